"""Every kind of notice the product issues (DESIGN §1), with its number word and audience.

The number word goes into the 文号: 皖长民救决字〔2026〕12号 = issuer prefix "皖长民" +
word "救决字" + year + sequence. Numbers run per issuer, word and year.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class NoticeKind:
    key: str
    title: str
    word: str
    template: str
    citizen: bool  # addressed to a citizen: carries an access code
    decision: bool  # states facts, rule, result, amounts and the rights to 复议/诉讼
    # 上行文, sent to a higher authority: only these print 签发人 in the header (GB/T 9704 §7.2.6).
    # A decision to a citizen is signed (PAdES) all the same, without the header line.
    upward: bool = False


KINDS = {
    k.key: k
    for k in [
        NoticeKind("acceptance", "受理通知书", "救受字", "documents/notices/acceptance.html", True, False),
        NoticeKind("correction", "补正材料一次性告知书", "救补字", "documents/notices/correction.html", True, False),
        NoticeKind("publicity", "公示名单", "救公字", "documents/notices/publicity.html", False, False),
        NoticeKind("approval", "批准决定书", "救决字", "documents/notices/approval.html", True, True),
        NoticeKind("refusal", "不予批准决定书", "救决字", "documents/notices/refusal.html", True, True),
        NoticeKind("interim_relief", "临时救助决定书", "救临字", "documents/notices/interim_relief.html", True, True),
        NoticeKind("minutes", "会议纪要", "救纪字", "documents/notices/minutes.html", False, False),
        NoticeKind("spotcheck_list", "抽查名单", "救查字", "documents/notices/spotcheck_list.html", False, False),
        NoticeKind("spotcheck_report", "抽查报告", "救查字", "documents/notices/spotcheck_report.html", False, False, upward=True),
        NoticeKind("roster", "发放花名册", "救发字", "documents/notices/roster.html", False, False),
        NoticeKind("payment_report", "发放报告", "救发字", "documents/notices/payment_report.html", False, False, upward=True),
        NoticeKind("gradual_exit", "渐退告知书", "救退字", "documents/notices/gradual_exit.html", True, True),
        NoticeKind("termination", "停保决定书", "救决字", "documents/notices/termination.html", True, True),
        NoticeKind("amount_change", "保障金调整决定书", "救决字", "documents/notices/amount_change.html", True, True),
        NoticeKind("suspension", "暂停保障告知书", "救停字", "documents/notices/suspension.html", True, True),
        NoticeKind("recovery", "多发保障金追回告知书", "救追字", "documents/notices/recovery.html", True, True),
        NoticeKind("tekun_end_publicity", "特困人员终止救助供养公示", "救公字", "documents/notices/tekun_end_publicity.html", False, False),
        # 信访工作条例 (2022, docs/policy.md "Petitions"): the written replies of arts 23, 32, 34–36.
        # Only the 处理意见书 is a decision: it carries the 复议/诉讼 rights on the assistance
        # decision it concerns; 复查 and 复核 opinions answer within the petition procedure.
        NoticeKind("petition_acceptance", "信访受理告知书", "信受字", "documents/notices/petition_acceptance.html", True, False),
        NoticeKind("petition_refusal", "不予受理告知书", "信不受字", "documents/notices/petition_refusal.html", True, False),
        NoticeKind("petition_transfer", "信访事项转送告知书", "信转字", "documents/notices/petition_transfer.html", True, False),
        NoticeKind("petition_extension", "信访事项延期办理告知书", "信延字", "documents/notices/petition_extension.html", True, False),
        NoticeKind("petition_opinion", "信访处理意见书", "信复字", "documents/notices/petition_opinion.html", True, True),
        NoticeKind("petition_recheck_opinion", "信访事项复查意见书", "信复查字", "documents/notices/petition_recheck_opinion.html", True, False),
        NoticeKind("petition_review_opinion", "信访事项复核意见书", "信复核字", "documents/notices/petition_review_opinion.html", True, False),
        NoticeKind("petition_final", "不再受理告知书", "信不再字", "documents/notices/petition_final.html", True, False),
        NoticeKind("petition_bulletin", "信访工作月度通报", "信通字", "documents/notices/petition_bulletin.html", False, False),
    ]
}

KIND_CHOICES = [(k.key, k.title) for k in KINDS.values()]
