"""Every notice kind renders to an A4 PDF with embedded fonts and the parts GB/T 9704 and the
issue require (number, title; for decisions reasons, amounts, the 60-day and 6-month rights)."""

import re
import subprocess
from datetime import date

import pytest

from documents.kinds import KINDS
from documents.models import Issuer
from documents.rendering import render_html, verify_url
from documents.samples import sample_addressee, sample_context
from documents.services import issue_notice
from tests.factories import COUNTY, make_regions
from tests.helpers import pdf_text

NUMBER = re.compile(r"^.+〔20\d\d〕[1-9]\d*号$")
# Strings each decision must show (its reasons and amounts), taken from the sample contexts.
DECISION_PARTS = {
    "approval": ["monthly_amount", "income_per_capita", "standard", "rule"],
    "refusal": ["rule", "reasons"],
    "interim_relief": ["amount", "facts", "rule"],
    "gradual_exit": ["monthly_amount", "income_per_capita", "rule"],
    "termination": ["monthly_amount", "reasons", "rule"],
    "amount_change": ["old_amount", "new_amount", "income_per_capita", "from_month", "rule"],
    "recovery": ["amount", "months", "first_month", "plan", "rule"],
    "suspension": ["from_month", "monthly_amount", "rule"],
    "petition_opinion": ["facts", "opinion", "rule"],
}


@pytest.fixture
def issuer(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_regions()
    return Issuer.objects.create(region_id=COUNTY, name="长丰县民政局", number_prefix="皖长民", phone="0551-66710001")


def issue(issuer, kind, addressee=None):
    return issue_notice(
        kind=kind,
        issuer=issuer,
        case=None,
        case_key=f"test:{kind}",
        addressee_name=addressee or sample_addressee(kind),
        context=sample_context(kind),
        region_code=COUNTY,
        issued_on=date(2026, 11, 28),
    )


def poppler(tool, path, *args):
    return subprocess.run([tool, *args, str(path)], capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    """pdftotext breaks lines where the layout does: compare without any whitespace."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("kind", list(KINDS))
def test_notice_pdf(issuer, kind):
    notice = issue(issuer, kind)
    path = notice.pdf.path

    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", poppler("pdfinfo", path))
    assert abs(float(size[1]) - 595.28) <= 1 and abs(float(size[2]) - 841.89) <= 1, "应为 A4"

    rows = poppler("pdffonts", path).splitlines()[2:]
    assert rows, "PDF 中没有字体"
    for row in rows:
        emb, sub = row.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes"), f"字体未嵌入或未子集化：{row}"

    text = squash(pdf_text(path))
    assert NUMBER.match(notice.number)
    assert notice.number in text
    assert notice.title in text
    assert "—1—" in text  # page number (GB/T 9704 §7.5)
    if KINDS[kind].decision:
        assert "60日" in text and "6个月" in text and "行政复议" in text and "行政诉讼" in text
        for key in DECISION_PARTS[kind]:
            values = notice.context[key] if isinstance(notice.context[key], list) else [notice.context[key]]
            for value in values:
                assert squash(str(value)) in text, f"{kind} 缺少 {key}：{value}"
    if KINDS[kind].citizen:
        assert f"查询码：{notice.access_code}" in text

    html = render_html(notice)
    assert verify_url(notice) in html
    assert 'src="data:image/png;base64,' in html  # the QR code


def test_signer_printed_in_header_of_upward_notices_only(issuer):
    """GB/T 9704 §7.2.6: 签发人 belongs to 上行文; a decision to a citizen does not print it."""
    report = issue(issuer, "spotcheck_report")
    assert '签发人：<span class="signer-name">刘建华</span>' in render_html(report, signer_name="刘建华")
    assert "签发人" not in render_html(report)
    assert "签发人" not in render_html(issue(issuer, "approval"), signer_name="刘建华")


def test_hostile_name_is_text(issuer):
    name = "<script>alert(1)</script>&\"'𠮷"
    notice = issue(issuer, "approval", addressee=name)
    html = render_html(notice)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#x27;𠮷" in html
    assert name + "：" in pdf_text(notice.pdf.path)
