"""Layout of the printed notices, read back from the PDFs: titles break where the words stay
whole, the signature never stands on a page without body text, the verification block takes
no page of its own, the seal stays clear of the text, 签发人 only on 上行文, the office's phone."""

import re
import subprocess
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from documents.kinds import KINDS
from documents.models import Issuer
from documents.rendering import render_notice_pdf
from documents.samples import sample_addressee, sample_context
from documents.services import issue_notice
from tests.factories import COUNTY, TOWNSHIP_A, make_regions

PHONE = "0551-66710001"
# The name of a real meeting (workflows.review.minutes): two characters wider than a title line.
MEETING = "水湖镇2026年11月社会救助联审联批"


@pytest.fixture
def issuer(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_regions()
    return Issuer.objects.create(region_id=TOWNSHIP_A, name="长丰县水湖镇人民政府", number_prefix="皖长水", phone=PHONE)


def render(issuer, kind, tmp_path, context=None, signer="刘建华", name="notice"):
    notice = issue_notice(
        kind=kind,
        issuer=issuer,
        case=None,
        case_key=f"layout:{kind}:{name}",
        addressee_name=sample_addressee(kind),
        context=context or sample_context(kind),
        region_code=COUNTY,
        issued_on=date(2026, 12, 1),
    )
    path = tmp_path / f"{kind}-{name}.pdf"
    path.write_bytes(render_notice_pdf(notice, signer_name=signer))
    return path


def pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info)[1])


def page_text(path, page: int) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(path), "-"], capture_output=True, text=True, check=True).stdout


def lines(path) -> list[str]:
    return [line.strip() for page in range(1, pages(path) + 1) for line in page_text(path, page).splitlines() if line.strip()]


def words(path, page: int) -> list[tuple[float, float, float, float, str]]:
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"], capture_output=True, text=True, check=True).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)
    return [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in found]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_minutes_title_breaks_between_whole_words(issuer, tmp_path):
    path = render(issuer, "minutes", tmp_path, {**sample_context("minutes"), "meeting": MEETING})
    text = lines(path)
    assert "社会救助联审联批会议纪要" in text, text[:8]
    assert "水湖镇2026年11月" in text
    assert not any(line in ("要", "纪要", "议纪要") for line in text)


def test_short_title_stays_on_one_line(issuer, tmp_path):
    path = render(issuer, "minutes", tmp_path, {**sample_context("minutes"), "meeting": "水湖镇11月联审联批"})
    assert "水湖镇11月联审联批会议纪要" in lines(path)


@pytest.mark.parametrize("cases", [1, 2, 3])
def test_minutes_never_end_on_a_page_without_body_text(issuer, tmp_path, cases):
    """Whatever the length, the page that carries the signature and the verification block also
    carries body text (GB/T 9704 §7.3.5.1), and the QR block never has a page to itself."""
    context = {**sample_context("minutes"), "meeting": MEETING}
    context["cases"] = (context["cases"] * 3)[:cases]
    path = render(issuer, "minutes", tmp_path, context, name=str(cases))
    last = squash(page_text(path, pages(path)))
    assert "核验本文书真伪" in last
    assert "长丰县水湖镇人民政府2026年12月1日" in last or ("长丰县水湖镇人民政府" in last and "2026年12月1日" in last)
    assert "以上议定事项" in last, "签署页没有正文"
    for page in range(1, pages(path)):
        assert "核验本文书真伪" not in squash(page_text(path, page))


def test_one_page_decision_stays_one_page(issuer, tmp_path):
    path = render(issuer, "interim_relief", tmp_path)
    assert pages(path) == 1
    text = squash(page_text(path, 1))
    assert "2026年12月1日" in text and "核验本文书真伪" in text and "6个月" in text


def seal_clearance(path) -> list[float]:
    """Per page with a seal: the gap (pt) between the last body line above it and the seal's ring.

    The seal's name is drawn as single rotated characters; its ring is about 8 pt above them."""
    gaps = []
    for page in range(1, pages(path) + 1):
        found = words(path, page)
        seal = [w for w in found if len(w[4]) == 1 and w[4] not in "—0123456789"]
        if not seal:
            continue
        ring_top = min(w[1] for w in seal) - 8
        sign = {"长丰县水湖镇人民政府", "2026年12月1日", "演示用章"}
        body = [w for w in found if len(w[4]) > 1 and w[4] not in sign and w[1] < ring_top + 8 and not w[4].startswith("—")]
        if body:
            gaps.append(ring_top - max(w[3] for w in body))
    return gaps


@pytest.mark.parametrize("kind", ["approval", "acceptance", "interim_relief", "spotcheck_report"])
def test_seal_does_not_cover_body_text(issuer, tmp_path, kind):
    gaps = seal_clearance(render(issuer, kind, tmp_path))
    assert gaps and all(gap >= 0 for gap in gaps), gaps
    # …and its top stays within one line (28.95 pt) of the text (§7.3.5.1).
    assert all(gap <= 28.95 for gap in gaps), gaps


def test_signer_only_on_upward_notices(issuer, tmp_path):
    assert KINDS["spotcheck_report"].upward and not KINDS["approval"].upward
    for kind in [k for k, info in KINDS.items() if info.citizen]:
        assert not KINDS[kind].upward, kind
    decision = squash(page_text(render(issuer, "approval", tmp_path), 1))
    assert "签发人" not in decision and "刘建华" not in decision
    report = squash(page_text(render(issuer, "spotcheck_report", tmp_path), 1))
    assert "签发人：刘建华" in report


def test_acceptance_prints_the_issuers_phone(issuer, tmp_path):
    text = squash(page_text(render(issuer, "acceptance", tmp_path), 1))
    assert f"联系电话：{PHONE}（长丰县水湖镇人民政府）" in text
    assert "社会救助窗口" not in text


def test_issuer_without_phone_cannot_issue(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_regions()
    issuer = Issuer.objects.create(region_id=TOWNSHIP_A, name="长丰县水湖镇人民政府", number_prefix="皖长水")
    with pytest.raises(ValidationError, match="尚未登记联系电话"):
        issue_notice(
            kind="acceptance", issuer=issuer, case=None, case_key="x", addressee_name="李秀兰", context=sample_context("acceptance"), region_code=COUNTY
        )


@pytest.mark.parametrize("value", ["", "电话", "0551 66711234", "0551-", "12"])
def test_issuer_phone_is_required_and_checked(db, value):
    make_regions()
    issuer = Issuer(region_id=TOWNSHIP_A, name="长丰县水湖镇人民政府", number_prefix="皖长水", phone=value)
    with pytest.raises(ValidationError) as error:
        issuer.full_clean()
    assert "phone" in error.value.message_dict


def test_issuer_phone_accepts_office_numbers(db):
    make_regions()
    for value in ["0551-66711234", "0551-66711234-8001", "12345"]:
        Issuer(region_id=TOWNSHIP_A, name="长丰县水湖镇人民政府", number_prefix="皖长水", phone=value).full_clean()
