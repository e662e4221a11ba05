"""A development PKI in a temporary directory, demo issuers, and a notice to sign."""

import io
import re
from datetime import date

import pytest
from django.core.management import call_command

from documents import services
from documents.models import Issuer
from documents.samples import sample_context
from tests.factories import TOWNSHIP_A, VILLAGE_A, make_id

PASSWORD = "pw-12345"  # tests.factories.make_user


@pytest.fixture
def pki(tmp_path, settings, regions):
    """init_dev_pki into tmp_path; its CA is the only trust root; files stored under tmp_path."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTICE_TRUST_ROOTS = [tmp_path / "pki" / "dev-ca.pem"]
    call_command("init_dev_pki", dir=str(tmp_path / "pki"), stdout=io.StringIO())
    return tmp_path / "pki"


@pytest.fixture
def township_issuer(pki):
    return Issuer.objects.get(region_id=TOWNSHIP_A)


ID_NUMBER = make_id(date(1968, 2, 3))


@pytest.fixture
def notice(township_issuer):
    context = sample_context("approval")
    return services.issue_notice(
        kind="approval",
        issuer=township_issuer,
        case=None,
        case_key="test:approval:1",
        addressee_name="张三丰",
        addressee_id_number=ID_NUMBER,
        context=context,
        region_code=VILLAGE_A,
    )


def flip_byte_in_signed_range(pdf: bytes) -> bytes:
    """Flip one byte inside the first long stream of the original revision (signed bytes),
    so that the file still parses and only the digest can tell."""
    for match in re.finditer(rb"stream\r?\n", pdf):
        start = match.end()
        if pdf.index(b"endstream", start) - start > 100:
            at = start + 50
            return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]
    raise AssertionError("no stream to alter")
