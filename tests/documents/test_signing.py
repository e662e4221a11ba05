"""Leaders sign notices (PAdES, pyHanko); a signed notice is final; corrections."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from documents import samples, services, signing
from documents.models import Issuer, Notice
from tests.factories import CITY, COUNTY, TOWNSHIP_A
from tests.helpers import pdf_text
from workflows.core.models import AuditLog

from .pki import PASSWORD, flip_byte_in_signed_range, notice, pki, township_issuer  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def stored(notice) -> bytes:
    with Notice.objects.get(pk=notice.pk).pdf.open("rb") as handle:
        return handle.read()


def test_init_dev_pki_makes_issuers_and_certificates_once(pki, tmp_path):
    issuers = {i.region_id: i for i in Issuer.objects.all()}
    assert issuers[COUNTY].name == "长丰县民政局" and issuers[COUNTY].number_prefix == "皖长民"
    assert issuers[TOWNSHIP_A].name == "长丰县水湖镇人民政府" and issuers[TOWNSHIP_A].number_prefix == "皖长水"
    before = {p.name: p.read_bytes() for p in pki.iterdir()}
    out = io.StringIO()
    call_command("init_dev_pki", dir=str(pki), stdout=out)
    assert "开发测试证书" in out.getvalue()
    assert {p.name: p.read_bytes() for p in pki.iterdir()} == before
    # The county bureau, its first township, and the city's bureau (it answers 复核 of petitions).
    assert Issuer.objects.count() == 3 and issuers[CITY].name == "合肥市民政局"
    assert all(signing.resolve(i.certificate_path).exists() and signing.resolve(i.key_path).exists() for i in Issuer.objects.all())


def test_leader_signs_notice_with_valid_pades_signature(notice, principal):
    signed = services.sign_notice(notice, principal, PASSWORD)
    assert signed.state == "signed" and signed.signed_by == principal and signed.signed_at
    pdf = stored(notice)
    # pyHanko's own validator, the dev CA as the only trust root.
    embedded = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=signing.load_trust_roots(), allow_fetching=False))
    assert status.bottom_line and status.intact and status.trusted
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert Notice.objects.get(pk=notice.pk).file_intact()
    text = pdf_text(pdf).replace(" ", "")
    assert "签发人" not in text  # a decision to a citizen is no 上行文 (GB/T 9704 §7.2.6); the signature names the signer
    result = signing.validate_pdf(pdf)
    assert result["valid"] and result["intact"] and result["signer"] == "王建国"
    assert result["certificate"] == "长丰县水湖镇人民政府"
    audit = AuditLog.objects.get(action="sign")
    assert (audit.user, audit.object_type, audit.object_id) == (principal, "notice", str(notice.pk))
    assert notice.number in audit.detail


def test_tampered_copy_is_not_valid(notice, principal):
    services.sign_notice(notice, principal, PASSWORD)
    result = signing.validate_pdf(flip_byte_in_signed_range(stored(notice)))
    assert not result["valid"] and not result["intact"]
    assert "改动" in result["message_cn"]


def test_signature_from_an_untrusted_ca_is_not_valid(notice, principal, tmp_path):
    services.sign_notice(notice, principal, PASSWORD)
    call_command("init_dev_pki", dir=str(tmp_path / "other"), stdout=io.StringIO())  # another CA
    result = signing.validate_pdf(stored(notice), signing.load_trust_roots([tmp_path / "other" / "dev-ca.pem"]))
    assert result["intact"] and not result["valid"]


def test_wrong_password_changes_nothing(notice, principal):
    with pytest.raises(ValidationError, match="密码不正确"):
        services.sign_notice(notice, principal, "wrong")
    after = Notice.objects.get(pk=notice.pk)
    assert after.state == "rendered" and after.sha256 == notice.sha256 and after.signed_by is None
    assert not AuditLog.objects.filter(action="sign").exists()


def test_signed_notice_cannot_be_signed_or_changed_again(notice, principal):
    services.sign_notice(notice, principal, PASSWORD)
    sha = Notice.objects.get(pk=notice.pk).sha256
    with pytest.raises(ValidationError, match="该文书已签发，不能修改；如需更正请另行制发更正文书"):
        services.sign_notice(notice, principal, PASSWORD)
    with pytest.raises(ValidationError, match="已签发"):
        services.ensure_rendered(Notice.objects.get(pk=notice.pk))
    assert Notice.objects.get(pk=notice.pk).sha256 == sha
    assert AuditLog.objects.filter(action="sign").count() == 1


def test_only_the_leader_of_the_issuer_level_may_sign(notice, clerk_a, county_head):
    # The county head signs county decisions, not township ones.
    for user in (clerk_a, county_head):
        with pytest.raises(ValidationError, match="签发负责人"):
            services.sign_notice(notice, user, PASSWORD)
    assert Notice.objects.get(pk=notice.pk).state == "rendered"


def test_correction_is_a_new_notice_naming_the_original(notice, principal):
    services.sign_notice(notice, principal, PASSWORD)
    original = Notice.objects.get(pk=notice.pk)
    correction = services.issue_correction(original, user=principal, context={**original.context, "monthly_amount": "560.00"})
    assert correction.pk != original.pk and correction.number != original.number
    assert correction.replaces == original and correction.context["replaces_number"] == original.number
    assert correction.state == "rendered" and correction.kind == original.kind
    assert services.issue_correction(original, user=principal, context={}) == correction
    untouched = Notice.objects.get(pk=notice.pk)
    assert (untouched.state, untouched.sha256, untouched.context) == ("signed", original.sha256, original.context)


def test_sign_page_shows_the_notice_and_signs_on_password(client, notice, principal):
    client.force_login(principal)
    url = reverse("documents:notice_sign", args=[notice.pk])
    page = client.get(url).content.decode()
    assert notice.number in page and "张三丰" in page and "确认签发" in page
    assert reverse("documents:notice_pdf", args=[notice.pk]) in page
    wrong = client.post(url, {"password": "nope"})
    assert wrong.status_code == 400 and "密码不正确" in wrong.content.decode()
    assert Notice.objects.get(pk=notice.pk).state == "rendered"
    done = client.post(url, {"password": PASSWORD}, follow=True)
    assert "已签发" in done.content.decode() and "确认签发" not in done.content.decode()
    assert Notice.objects.get(pk=notice.pk).state == "signed"


def test_pdf_url_serves_the_stored_file_in_scope(client, notice, principal):
    client.force_login(principal)
    response = client.get(reverse("documents:notice_pdf", args=[notice.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == stored(notice)
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_other_township_gets_404_on_sign_page_and_pdf(client, notice, clerk_b):
    client.force_login(clerk_b)
    assert client.get(reverse("documents:notice_sign", args=[notice.pk])).status_code == 404
    assert client.post(reverse("documents:notice_sign", args=[notice.pk]), {"password": PASSWORD}).status_code == 404
    assert client.get(reverse("documents:notice_pdf", args=[notice.pk])).status_code == 404
    assert Notice.objects.get(pk=notice.pk).state == "rendered"


def test_anonymous_is_sent_to_login(client, notice):
    response = client.get(reverse("documents:notice_sign", args=[notice.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_sample_signing_marks_the_notice_signed_without_a_user(notice):
    pdf = samples.sign_notice_for_samples(notice)
    signed = Notice.objects.get(pk=notice.pk)
    assert signed.state == "signed" and signed.signed_by is None and signed.file_intact()
    result = signing.validate_pdf(pdf)
    assert result["valid"] and result["signer"] == signing.SAMPLE_SIGNER_NAME
