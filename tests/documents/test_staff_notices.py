"""Staff notice pages: region scope, audited detail, delivery (送达) and acknowledgement (签收)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.delivery import MAX_PROOF_BYTES
from documents.models import Notice, NoticeState
from tests.factories import TOWNSHIP_B, VILLAGE_B
from workflows.core.models import AuditLog

from .notice_helpers import HOSTILE_NAMES, issue, make_issuer, sign, use_small_pdfs

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def world(monkeypatch, clerk_a, principal):
    """Township A and B, each with an issuer and a notice, and a clerk and a leader in A."""
    use_small_pdfs(monkeypatch)
    issuer_a, issuer_b = make_issuer(), make_issuer(TOWNSHIP_B, prefix="庄政", name="长丰县庄墓镇人民政府")
    return {
        "clerk": clerk_a,
        "leader": principal,
        "issuer_a": issuer_a,
        "a": issue(issuer_a, "approval:a", name="李四"),
        "b": issue(issuer_b, "approval:b", name="王五", region_code=VILLAGE_B),
    }


@pytest.fixture
def clerk(client, world):
    client.force_login(world["clerk"])
    return client


def deliver(client, notice, **data):
    form = {"method": "direct", "day": timezone.localdate().isoformat(), **data}
    return client.post(f"/notices/{notice.pk}/deliver/", form)


def test_clerk_sees_only_notices_of_their_township(clerk, world):
    html = clerk.get("/notices/").content.decode()
    assert world["a"].number in html and "李*" in html
    assert world["b"].number not in html and "王" not in html
    assert clerk.get(f"/notices/{world['b'].pk}/").status_code == 404
    assert clerk.get(f"/notices/{world['b'].pk}/pdf/").status_code == 404
    assert deliver(clerk, world["b"]).status_code == 404
    assert clerk.get(f"/notices/{world['a'].pk}/pdf/").status_code == 200


def test_pages_need_a_login(client, world):
    for url in ["/notices/", f"/notices/{world['a'].pk}/"]:
        assert client.get(url)["Location"].startswith("/accounts/login/")


def test_detail_shows_the_full_record_and_is_audited(clerk, world):
    notice = world["a"]
    html = clerk.get(f"/notices/{notice.pk}/").content.decode()
    assert notice.number in html and "李四" in html and notice.sha256 in html
    assert f"/notices/{notice.pk}/pdf/" in html
    log = AuditLog.objects.get(action="view", object_type="notice")
    assert (log.user, log.object_id, log.region_code) == (world["clerk"], str(notice.pk), notice.region_code)


def test_list_filters_by_kind_and_state(clerk, world):
    acceptance = issue(world["issuer_a"], "acceptance:a", kind="acceptance", name="赵六")
    sign(world["a"], world["leader"])
    by_kind = clerk.get("/notices/?kind=acceptance").content.decode()
    assert acceptance.number in by_kind and world["a"].number not in by_kind
    by_state = clerk.get("/notices/?state=signed").content.decode()
    assert world["a"].number in by_state and acceptance.number not in by_state
    assert acceptance.number in clerk.get("/notices/?kind=nonsense").content.decode()


def test_list_runs_the_same_queries_whatever_its_length(clerk, world):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert clerk.get("/notices/").status_code == 200
        return len(captured)

    few = queries()
    for i in range(25):
        issue(world["issuer_a"], f"approval:many:{i}", name=f"张{i}")
    assert queries() == few


def test_recording_delivery_moves_a_signed_notice_to_delivered(clerk, world):
    notice = sign(world["a"], world["leader"])
    day = timezone.localdate()
    response = deliver(clerk, notice, method="post", day=day.isoformat(), proof=SimpleUploadedFile("回证.png", PNG))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert (notice.state, notice.delivery_method, notice.delivered_on) == (NoticeState.DELIVERED, "post", day)
    assert notice.delivery_proof.open("rb").read() == PNG
    assert AuditLog.objects.filter(action="deliver", object_id=str(notice.pk), user=world["clerk"]).exists()
    proof = clerk.get(f"/notices/{notice.pk}/proof/")
    assert b"".join(proof.streaming_content) == PNG

    assert clerk.post(f"/notices/{notice.pk}/acknowledge/").status_code == 302
    notice.refresh_from_db()
    assert notice.state == NoticeState.ACKNOWLEDGED and notice.acknowledged_at is not None


def test_an_unsigned_notice_cannot_be_delivered(clerk, world):
    response = deliver(clerk, world["a"])
    assert response.status_code == 400
    assert "只有已签发的文书才能记录送达" in response.content.decode()
    assert Notice.objects.get(pk=world["a"].pk).state == NoticeState.RENDERED


def test_acknowledging_before_delivery_is_refused(clerk, world):
    notice = sign(world["a"], world["leader"])
    response = clerk.post(f"/notices/{notice.pk}/acknowledge/", follow=True)
    assert "只有已送达的文书才能确认签收" in response.content.decode()
    assert Notice.objects.get(pk=notice.pk).state == NoticeState.SIGNED


def test_delivery_date_in_the_future_is_refused(clerk, world):
    notice = sign(world["a"], world["leader"])
    response = deliver(clerk, notice, day=(timezone.localdate() + timedelta(days=1)).isoformat())
    assert response.status_code == 400 and "送达日期不能晚于今天" in response.content.decode()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("回证.exe", PNG, "只能是 PDF、JPG 或 PNG"),
        ("回证.png", b"<html><script>alert(1)</script></html>", "文件内容与扩展名不符"),
        ("回证.pdf", PNG, "文件内容与扩展名不符"),
        ("回证.pdf", b"%PDF-1.7\n" + b"0" * MAX_PROOF_BYTES, "不能超过 10 MB"),
    ],
)
def test_proof_of_delivery_must_be_a_real_small_pdf_or_image(clerk, world, name, content, message):
    notice = sign(world["a"], world["leader"])
    response = deliver(clerk, notice, proof=SimpleUploadedFile(name, content))
    assert response.status_code == 400 and message in response.content.decode()
    notice.refresh_from_db()
    assert notice.state == NoticeState.SIGNED and not notice.delivery_proof


@pytest.mark.parametrize("raw, escaped", HOSTILE_NAMES)
def test_hostile_names_come_out_as_text(clerk, world, raw, escaped):
    notice = issue(world["issuer_a"], "approval:hostile", name=raw)
    detail = clerk.get(f"/notices/{notice.pk}/").content.decode()
    assert escaped in detail
    assert raw == escaped or raw not in detail
    masked = escaped[:4] if escaped.startswith("&") else escaped[0]  # the first character only
    assert f"<td>{masked}*" in clerk.get("/notices/").content.decode()


def test_the_list_masks_a_person_but_names_an_office():
    """DESIGN §4.7 guards personal data: a citizen's name and ID are masked; an office that
    receives a 纪要 or a roster is no person, and a masked office name says nothing."""
    minutes = Notice(kind="minutes", addressee_name="水湖镇社会救助联审联批领导小组各成员")
    assert minutes.masked_addressee == "水湖镇社会救助联审联批领导小组各成员"
    decision = Notice(kind="approval", addressee_name="杨莉凤", addressee_id_number="340121199001019021")
    assert decision.masked_addressee.startswith("杨**（") and "340121199001019021" not in decision.masked_addressee
