"""The petition notices (信访工作条例 2022, docs/policy.md "Petitions") say what the articles
require, read back from the PDFs rendered from their samples: acceptance and by whom (art 23),
refusal with the way to take (arts 23, 31), where a forwarded petition went (art 23), an
extension approved by the head (art 34), the 处理意见书's request, facts, outcome and rights
(arts 32, 33, 35), 复查 with the 30 日 for 复核 (arts 35, 36), the finality of 复核 (art 36 ¶3),
and the monthly bulletin's figures."""

import re
from datetime import date

import pytest

from documents.kinds import KINDS
from documents.models import Issuer
from documents.samples import sample_addressee, sample_context
from documents.services import issue_notice
from tests.factories import COUNTY, make_regions
from tests.helpers import pdf_text

PETITION_KINDS = [key for key in KINDS if key.startswith("petition_")]


@pytest.fixture
def issuer(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_regions()
    return Issuer.objects.create(region_id=COUNTY, name="长丰县民政局", number_prefix="皖长民", phone="0551-66710001")


def squash(text: str) -> str:
    """pdftotext breaks lines where the layout does: compare without any whitespace."""
    return re.sub(r"\s+", "", text)


def render(issuer, kind, name="sample", **changes):
    context = {**sample_context(kind), **changes}
    for key in [k for k, v in changes.items() if v is None]:
        del context[key]
    notice = issue_notice(
        kind=kind,
        issuer=issuer,
        case=None,
        case_key=f"petition:{kind}:{name}",
        addressee_name=sample_addressee(kind),
        context=context,
        region_code=COUNTY,
        issued_on=date(2026, 11, 28),
    )
    return notice, squash(pdf_text(notice.pdf))


def test_every_petition_kind_has_its_own_number_word_and_access_code_for_citizens(issuer):
    words = [KINDS[k].word for k in PETITION_KINDS]
    assert len(set(words)) == len(words), words
    for kind in PETITION_KINDS:
        notice, text = render(issuer, kind)
        assert notice.number.startswith(f"皖长民{KINDS[kind].word}〔2026〕")
        assert notice.number in text and notice.title in text
        assert f"{notice.addressee_name}：" in text
        assert ("查询码" in text) == KINDS[kind].citizen, kind


def test_acceptance_says_who_handles_it_and_by_when(issuer):
    """Art 23: whether accepted, by whom and how; art 34: within 60 日 of acceptance."""
    c = sample_context("petition_acceptance")
    _, text = render(issuer, "petition_acceptance")
    assert "予以受理" in text
    assert f"由{c['handling_body']}负责办理" in text
    assert "60日内" in text and c["due_on"] in text
    assert c["work_order"] in text and squash(c["contact"]) in text


def test_refusal_gives_the_reason_and_the_way_to_take(issuer):
    """Arts 23, 31: a matter for 复议 or litigation is not accepted; the petitioner is told where to go."""
    c = sample_context("petition_refusal")
    _, text = render(issuer, "petition_refusal")
    assert "不予受理" in text and "予以受理" not in text
    assert squash(c["reason"]) in text
    assert squash(c["direction"]) in text
    assert "申请行政复议" in text and "提起行政诉讼" in text


@pytest.mark.parametrize("action", ["转送", "交办"])
def test_transfer_tells_where_the_petition_went(issuer, action):
    """Art 23: forwarded or assigned, with the body named; it tells the petitioner within 15 日."""
    c = sample_context("petition_transfer")
    _, text = render(issuer, "petition_transfer", name=action, action=action)
    assert f"{action}{c['to_body']}" in text
    assert "15日内" in text
    assert c["work_order"] in text


def test_extension_is_approved_by_the_head_with_its_reason(issuer):
    """Art 34: at most 30 日 more, approved by the head, the reason told to the petitioner."""
    c = sample_context("petition_extension")
    _, text = render(issuer, "petition_extension")
    assert "经本机关负责人批准" in text
    assert f"延长{c['extension_days']}" in text and "30日" in text
    assert c["original_due"] in text and c["new_due"] in text
    assert squash(c["reason"]) in text


def test_opinion_states_request_facts_outcome_basis_and_recheck(issuer):
    """Art 32: the request, facts, opinion with its basis and the outcome; art 35: 复查 within 30 日."""
    c = sample_context("petition_opinion")
    _, text = render(issuer, "petition_opinion")
    for key in ("request", "facts", "opinion", "rule"):
        assert squash(c[key]) in text, key
    assert c["outcome"] == "不予支持"
    assert "不予支持" in text
    assert f"30日内向{c['recheck_body']}请求复查" in text
    # The assistance decision concerned: its rights to 复议 (60 日) and 诉讼 (6 个月).
    assert f"{c['assistance']}决定不服" in text
    assert f"60日内向{c['review_authority']}申请行政复议" in text
    assert f"6个月内向{c['court']}提起行政诉讼" in text
    assert "调解" not in text


@pytest.mark.parametrize("outcome", ["支持", "解释说明"])
def test_opinion_prints_each_outcome_of_article_32(issuer, outcome):
    _, text = render(issuer, "petition_opinion", name=outcome, outcome=outcome)
    assert f"对你的信访请求，予以{outcome}。" in text
    assert "不予支持" not in text


def test_opinion_prints_mediation_only_when_given(issuer):
    """Art 33: a mediation agreement reached with both parties' consent is stated."""
    agreement = "经调解，你与你子女就赡养费支付达成调解协议，并签订调解协议书。"
    _, text = render(issuer, "petition_opinion", name="mediation", mediation=agreement)
    assert squash(agreement) in text


def test_opinion_without_an_assistance_decision_has_no_appeal_rights(issuer):
    c = sample_context("petition_opinion")
    _, text = render(issuer, "petition_opinion", name="no-assistance", assistance=None)
    assert "行政复议" not in text and "行政诉讼" not in text
    assert f"30日内向{c['recheck_body']}请求复查" in text


def test_recheck_opinion_gives_30_days_for_review(issuer):
    """Art 35: the 复查 answer; art 36: 复核 asked of the body above within 30 日."""
    c = sample_context("petition_recheck_opinion")
    _, text = render(issuer, "petition_recheck_opinion")
    assert f"自收到本意见书之日起30日内向{c['review_body']}请求复核" in text
    assert squash(c["outcome"]) in text and c["outcome"].startswith("维持")
    assert c["original_number"] in text and c["original_body"] in text
    assert c["requested_on"] in text
    for key in ("request", "facts", "opinion", "rule"):
        assert squash(c[key]) in text, key
    assert "行政复议" not in text  # not a decision: no 复议/诉讼 paragraph


def test_review_opinion_is_final(issuer):
    """Art 36 ¶3 (2022 wording): after 复核 the same facts and reasons are not accepted again."""
    c = sample_context("petition_review_opinion")
    _, text = render(issuer, "petition_review_opinion")
    assert "信访人对复核意见不服，仍然以同一事实和理由提出投诉请求的，各级党委和政府信访部门和其他机关、单位不再受理。" in text
    assert squash(c["outcome"]) in text
    assert c["original_number"] in text and c["original_body"] in text
    assert not re.search(r"日内向.{0,20}请求复[查核]", text)  # no further petition remedy
    assert "行政复议" not in text


def test_final_notice_names_the_earlier_petition_and_the_review(issuer):
    """Art 36 ¶3: a repeat of a reviewed matter is not accepted again."""
    c = sample_context("petition_final")
    _, text = render(issuer, "petition_final")
    assert f"编号：{c['earlier_work_order']}" in text
    assert f"编号：{c['work_order']}" in text
    assert c["review_number"] in text and c["review_body"] in text and c["reviewed_on"] in text
    assert "不再受理" in text


def test_bulletin_tables_show_the_months_figures(issuer):
    c = sample_context("petition_bulletin")
    notice, _ = render(issuer, "petition_bulletin")
    text = pdf_text(notice.pdf, layout=True)
    flat = squash(text)
    assert f"{c['area']}{c['month']}信访工作月度通报" in flat
    for row in c["by_channel"] + c["by_kind"] + c["overdue_by_clock"] + c["hot_matters"]:
        assert re.search(rf"{re.escape(row['label'])}\s+{row['count']}\b", text), row
    for area in c["per_area"]:
        cells = [area["name"], area["received"], area["closed"], area["overdue"], area["avg_days"], area["satisfaction_rate"], area["repeat_rate"]]
        assert re.search(r"\s+".join(re.escape(str(cell)) for cell in cells), text), area
    totals = c["totals"]
    assert f"登记信访事项{totals['received']}件" in flat and f"办结{totals['closed']}件" in flat
    assert f"满意率{totals['satisfaction_rate']}" in flat
    assert "超期事项逐件核查" in flat


def test_bulletin_without_overdue_matters_says_so(issuer):
    c = sample_context("petition_bulletin")
    _, text = render(issuer, "petition_bulletin", name="none-overdue", overdue_by_clock=[], totals={**c["totals"], "overdue": "0"})
    assert "无超期事项" in text
    assert "超期事项逐件核查" not in text
