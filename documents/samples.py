"""The context keys each notice template reads, with a realistic demo context per kind.

`Notice.context` is the notice's frozen content: a process fills it when it issues the notice
and the PDF is re-rendered from it (e.g. for signing), so every value is already a display
string (amounts as "860.00", dates as "2026年11月3日"). Keys per kind:

Every decision kind (approval, refusal, interim_relief, gradual_exit, termination,
petition_opinion) also needs `review_authority` (复议机关, e.g. "长丰县人民政府") and `court`
(e.g. "长丰县人民法院") for the rights paragraph; `rule` is always the rule applied with its clause.

- acceptance: assistance, applied_on, time_limit (the telephone printed is the issuer's, `Issuer.phone`)
- correction: assistance, applied_on, rule, items [{name, note}], due_on, place (telephone: the issuer's)
- publicity: assistance, rule, period, phone, place, rows [{name, village, members, amount}]
- approval: assistance, applied_on, head, members [names], facts, income_per_capita, standard,
  rule, monthly_amount, first_month
- refusal: assistance, applied_on, facts, rule, reasons [text]
- interim_relief: facts, rule, relief_type, amount, paid_from, payment; above the interim cap
  (the county's decision) also interim_cap, and refusal_reason when the county refused
- minutes: meeting (name without "会议"), held_on, place, chair, attendees [names], absent [names], recorder,
  quorum {present, total}, cases [{household, village, item, votes_for, votes_against, abstain,
  decision}]
- spotcheck_list: period, rule, total, ratio, method, sampled, due_on,
  rows [{name, village, assistance, amount, basis}]
- spotcheck_report: period, rule, total, sampled, checked, summary, rectify_due,
  findings [{name, village, category, finding, action}]
- roster: month, assistance, rule, pay_by, total_households, total_people, total_amount,
  rows [{name, id_masked, kind, members, amount, account_masked}]
- payment_report: month, rule, total_lines, total_amount, submitted_on, allocation, paid_lines,
  paid_amount, failed_lines, failed_amount, townships [{name, lines, due, paid, failed}],
  failures [{name, id_masked, account_masked, amount, reason}]
- gradual_exit: assistance, facts, income_per_capita, standard, rule, months, from_month,
  until_month, monthly_amount
- termination: assistance, facts, rule, reasons [text], stop_month, monthly_amount
- amount_change: assistance, facts, income_per_capita, standard, rule, old_amount, new_amount,
  members, from_month
- suspension: assistance, facts, rule, from_month, monthly_amount
- recovery: assistance, facts, rule, first_month, last_month, months, amount, plan
- tekun_end_publicity: rule, period, phone, place, rows [{name, village, reason, stop_month}]
- petition_acceptance: received_on, channel, work_order (信访件编号), summary, handling_body
  (办理机关), rule, time_limit, due_on (办结期限), contact
- petition_refusal: received_on, channel, work_order, summary, reason, direction (the body or
  procedure to turn to, after "你可以"), rule, contact
- petition_transfer: received_on, channel, work_order, summary, action ("转送" or "交办"),
  to_body, rule, contact
- petition_extension: received_on, work_order, summary, original_due, extension_days, new_due,
  reason, rule, contact
- petition_opinion: received_on, work_order, summary, request, facts, rule, outcome ("支持",
  "解释说明" or "不予支持"), opinion, recheck_body (复查机关); optional mediation (printed when
  given) and assistance (the assistance decision concerned: the 复议/诉讼 paragraph prints
  only with it)
- petition_recheck_opinion: received_on, work_order, summary, original_body, original_number
  (文号 of the 处理意见书), requested_on, request, facts, rule, outcome (维持 / 撤销 / 变更 with
  the result), opinion, review_body (复核机关)
- petition_review_opinion: received_on, work_order, summary, original_body (the 复查机关),
  original_number (文号 of the 复查意见书), requested_on, request, facts, rule, outcome, opinion
- petition_final: received_on, channel, work_order, summary, earlier_work_order, review_number
  (文号 of the 复核意见书), review_body, reviewed_on, rule, contact
- petition_bulletin: area, month, totals {received, accepted, closed, overdue, avg_days,
  satisfaction_rate, repeat_rate}, by_channel [{label, count}], by_kind [{label, count}],
  overdue_by_clock [{label, count}], hot_matters [{label, count}], per_area [{name, received,
  closed, overdue, avg_days, satisfaction_rate, repeat_rate}]

Names, amounts and dates below are demo data (standards are plausible values, not the
official ones of any county).
"""

import copy
from typing import Any

from django.utils import timezone

from . import services, signing
from .rendering import render_notice_pdf

RIGHTS = {"review_authority": "长丰县人民政府", "court": "长丰县人民法院"}
DIBAO = "最低生活保障"
PETITION_CONTACT = "长丰县民政局信访室 0551-66712345"

# Addressee of each sample notice: a citizen (household head) or the receiving offices.
ADDRESSEES = {
    "acceptance": "李秀兰",
    "correction": "周建国",
    "publicity": "水湖镇各村（社区）",
    "approval": "张桂芳",
    "refusal": "陈德明",
    "interim_relief": "刘小燕",
    "minutes": "水湖镇社会救助联审联批领导小组各成员",
    "spotcheck_list": "水湖镇人民政府、庄墓镇人民政府",
    "spotcheck_report": "长丰县人民政府",
    "roster": "长丰县财政局、安徽长丰农村商业银行",
    "payment_report": "长丰县人民政府、长丰县财政局",
    "gradual_exit": "王立新",
    "termination": "赵春花",
    "petition_acceptance": "孙文华",
    "petition_refusal": "钱玉梅",
    "petition_transfer": "吴长林",
    "petition_extension": "孙文华",
    "petition_opinion": "孙文华",
    "petition_recheck_opinion": "王秀英",
    "petition_review_opinion": "王秀英",
    "petition_final": "王秀英",
    "petition_bulletin": "各乡镇人民政府，县直有关单位",
    "amount_change": "周建华",
    "recovery": "周德明家属",
    "suspension": "沈利斌",
    "tekun_end_publicity": "水湖镇各村（社区）",
}

_SAMPLES: dict[str, dict[str, Any]] = {
    "acceptance": {"assistance": DIBAO, "applied_on": "2026年11月3日", "time_limit": "30个工作日"},
    "correction": {
        "assistance": DIBAO,
        "applied_on": "2026年11月4日",
        "rule": "《最低生活保障审核确认办法》（民发〔2021〕57号）关于申请材料一次性告知",
        "items": [
            {"name": "共同生活家庭成员的户口簿复印件", "note": "缺少儿子周强的页面"},
            {"name": "家庭经济状况核对授权书", "note": "须由每位成年家庭成员本人签字"},
            {"name": "周建国的残疾人证复印件", "note": "申请单人户保障时提供"},
        ],
        "due_on": "2026年11月18日",
        "place": "水湖镇便民服务中心社会救助窗口",
    },
    "publicity": {
        "assistance": DIBAO,
        "rule": "《最低生活保障审核确认办法》（民发〔2021〕57号）关于公示的规定",
        "period": "2026年11月20日至2026年11月26日（7天）",
        "phone": "0551-66711234",
        "place": "各村（社区）村务公开栏",
        "rows": [
            {"name": "张桂芳", "village": "北城村", "members": 3, "amount": "1260.00"},
            {"name": "吴永福", "village": "魏老庄村", "members": 1, "amount": "620.00"},
            {"name": "何翠英", "village": "水湖社区", "members": 2, "amount": "940.00"},
            {"name": "马长青", "village": "长岗村", "members": 4, "amount": "1580.00"},
        ],
    },
    "approval": {
        "assistance": DIBAO,
        "applied_on": "2026年11月3日",
        "head": "张桂芳",
        "members": ["张桂芳", "李明", "李小雨"],
        "facts": "你户共同生活家庭成员3人，配偶李明因病丧失劳动能力，女儿李小雨在校就读；",
        "income_per_capita": "320.00",
        "standard": "740.00",
        "rule": "《社会救助暂行办法》第九条、第十一条",
        "monthly_amount": "1260.00",
        "first_month": "2026年12月",
        **RIGHTS,
    },
    "refusal": {
        "assistance": DIBAO,
        "applied_on": "2026年10月12日",
        "facts": "你户共同生活家庭成员4人，儿子陈军在合肥务工，月工资收入5200元，你户拥有小型轿车1辆（购置价格14.8万元）。",
        "rule": "《社会救助暂行办法》第九条及长丰县最低生活保障家庭财产状况认定规定",
        "reasons": ["家庭月人均收入1410.00元，高于当地最低生活保障标准740.00元/人·月；", "家庭拥有非生活必需的机动车辆，不符合家庭财产状况规定。"],
        **RIGHTS,
    },
    "interim_relief": {
        "facts": "你户于2026年11月15日因房屋失火，衣被、粮食等生活必需品全部损毁，基本生活暂时出现严重困难。",
        "rule": "《社会救助暂行办法》第四十七条、皖民社救字〔2022〕46号第六条",
        "relief_type": "急难型临时救助金",
        "amount": "3000.00",
        "paid_from": "水湖镇临时救助备用金",
        "payment": "于本决定作出之日起3个工作日内发放至你户社会保障卡（“一卡通”）账户",
        **RIGHTS,
    },
    "minutes": {
        "meeting": "水湖镇2026年第11次社会救助联审联批",
        "held_on": "2026年11月27日",
        "place": "水湖镇人民政府第二会议室",
        "chair": "镇长刘建华",
        "attendees": ["刘建华", "陈晓东", "王静", "杨志远", "许梅", "黄永胜", "钱立"],
        "absent": ["郑光明（出差）"],
        "recorder": "王静",
        "quorum": {"present": 7, "total": 8},
        "cases": [
            {
                "household": "张桂芳",
                "village": "北城村",
                "item": "低保新申请",
                "votes_for": 7,
                "votes_against": 0,
                "abstain": 0,
                "decision": "同意，月保障1260.00元",
            },
            {
                "household": "陈德明",
                "village": "长岗村",
                "item": "低保新申请",
                "votes_for": 0,
                "votes_against": 7,
                "abstain": 0,
                "decision": "不予批准（收入、车辆超标）",
            },
            {"household": "王立新", "village": "水湖社区", "item": "低保复核", "votes_for": 6, "votes_against": 0, "abstain": 1, "decision": "给予6个月渐退期"},
        ],
    },
    "spotcheck_list": {
        "period": "2026年10月",
        "rule": "皖民社救字〔2022〕46号第八条",
        "total": 40,
        "ratio": "不低于30%",
        "method": "随机",
        "sampled": 12,
        "due_on": "2026年11月25日",
        "rows": [
            {"name": "吴永福", "village": "水湖镇魏老庄村", "assistance": "低保", "amount": "620.00", "basis": "随机抽取"},
            {"name": "何翠英", "village": "水湖镇水湖社区", "assistance": "低保", "amount": "940.00", "basis": "随机抽取"},
            {"name": "冯玉兰", "village": "庄墓镇老庄村", "assistance": "特困（分散）", "amount": "962.00", "basis": "村干部近亲属备案"},
            {"name": "陈德明", "village": "水湖镇长岗村", "assistance": "申请未通过", "amount": "0.00", "basis": "含申请未通过对象"},
        ],
    },
    "spotcheck_report": {
        "period": "2026年10月",
        "rule": "皖民社救字〔2022〕46号第八条",
        "total": 40,
        "sampled": 12,
        "checked": 12,
        "summary": "抽查对象中，11户审核确认程序规范、认定准确；1户存在家庭收入核算不准确问题，未发现“人情保”“关系保”。",
        "rectify_due": "2026年12月15日",
        "findings": [
            {"name": "吴永福", "village": "水湖镇魏老庄村", "category": "错保", "finding": "漏计子女赡养费每月300元", "action": "重新核算收入，调整保障金额"},
        ],
    },
    "roster": {
        "month": "2026年11月",
        "assistance": DIBAO,
        "rule": "皖民社救字〔2022〕46号第十条",
        "pay_by": "2026年12月15日",
        "total_households": 3,
        "total_people": 6,
        "total_amount": "2820.00",
        "rows": [
            {
                "name": "张桂芳",
                "id_masked": "3401**********2028",
                "kind": "城乡低保",
                "members": 3,
                "amount": "1260.00",
                "account_masked": "6226 **** **** 1234",
            },
            {
                "name": "吴永福",
                "id_masked": "3401**********1815",
                "kind": "城乡低保",
                "members": 1,
                "amount": "620.00",
                "account_masked": "6226 **** **** 5678",
            },
            {
                "name": "何翠英",
                "id_masked": "3401**********3342",
                "kind": "城乡低保",
                "members": 2,
                "amount": "940.00",
                "account_masked": "6226 **** **** 9012",
            },
        ],
    },
    "payment_report": {
        "month": "2026年11月",
        "rule": "皖民社救字〔2022〕46号第十条",
        "total_lines": 3,
        "total_amount": "2820.00",
        "submitted_on": "2026年11月4日",
        "allocation": "长财社〔2026〕88号",
        "paid_lines": 2,
        "paid_amount": "1880.00",
        "failed_lines": 1,
        "failed_amount": "940.00",
        "townships": [
            {"name": "水湖镇", "lines": 2, "due": "1880.00", "paid": "1880.00", "failed": "0.00"},
            {"name": "庄墓镇", "lines": 1, "due": "940.00", "paid": "0.00", "failed": "940.00"},
        ],
        "failures": [
            {"name": "何翠英", "id_masked": "3401**********3342", "account_masked": "6226 **** **** 9012", "amount": "940.00", "reason": "账户已销户"},
        ],
    },
    "gradual_exit": {
        "assistance": DIBAO,
        "facts": "你户儿子王磊于2026年9月在长丰县双凤经济开发区稳定就业，月工资收入3600元；",
        "income_per_capita": "1200.00",
        "standard": "740.00",
        "rule": "皖民社救字〔2022〕46号第二条、《社会救助暂行办法》第十三条",
        "months": 6,
        "from_month": "2026年12月",
        "until_month": "2027年5月",
        "monthly_amount": "940.00",
        **RIGHTS,
    },
    "termination": {
        "assistance": DIBAO,
        "facts": "你户渐退期已于2026年10月届满；经家庭经济状况核对，你户家庭月人均收入1350.00元。",
        "rule": "《社会救助暂行办法》第十三条",
        "reasons": ["家庭月人均收入高于当地最低生活保障标准740.00元/人·月；", "渐退期已满。"],
        "stop_month": "2026年12月",
        "monthly_amount": "620.00",
        **RIGHTS,
    },
    "amount_change": {
        "assistance": DIBAO,
        "facts": "你户儿媳周琴于2026年10月在合肥市灵活就业，月收入1100元；",
        "income_per_capita": "520.00",
        "standard": "740.00",
        "rule": "《社会救助暂行办法》第十三条、《最低生活保障审核确认办法》",
        "old_amount": "1260.00",
        "new_amount": "880.00",
        "members": 4,
        "from_month": "2027年1月",
        **RIGHTS,
    },
    "suspension": {
        "assistance": DIBAO,
        "facts": "你户家庭成员自2026年9月起外出，经村（社区）多次电话联系和入户均未能取得联系，无法核实家庭经济状况；",
        "rule": "《社会救助暂行办法》第十三条、《最低生活保障审核确认办法》",
        "from_month": "2026年12月",
        "monthly_amount": "860.00",
        **RIGHTS,
    },
    "recovery": {
        "assistance": DIBAO,
        "facts": "你户户主周德明已于2026年8月20日死亡，家庭于2026年11月报告。",
        "rule": "《社会救助暂行办法》第十三条、第六十八条",
        "first_month": "2026年9月",
        "last_month": "2026年11月",
        "months": 3,
        "amount": "1140.00",
        "plan": "自2027年1月起从你户以后发放的保障金中按月扣减，每月扣减不超过当月保障金的30%，扣完为止",
        **RIGHTS,
    },
    "tekun_end_publicity": {
        "rule": "《社会救助暂行办法》第十八条",
        "period": "2026年12月1日至2026年12月8日",
        "phone": "0551-66712345",
        "place": "水湖镇人民政府公示栏、各村（社区）公示栏",
        "rows": [{"name": "赵德胜", "village": "水湖镇新城村", "reason": "其子已具备赡养能力", "stop_month": "2027年1月"}],
    },
    "petition_acceptance": {
        "received_on": "2026年11月10日",
        "channel": "12345政务服务便民热线",
        "work_order": "12345-2026-1110-0387",
        "summary": "要求复核本户低保停发",
        "handling_body": "长丰县民政局",
        "rule": "《信访工作条例》第二十三条、第三十四条",
        "time_limit": "60日",
        "due_on": "2027年1月11日",
        "contact": PETITION_CONTACT,
    },
    "petition_refusal": {
        "received_on": "2026年11月16日",
        "channel": "来信",
        "work_order": "XF340121-2026-1116-0008",
        "summary": "要求撤销本户低保不予批准决定",
        "reason": "你反映的事项系对长丰县水湖镇人民政府2026年10月20日作出的不予批准最低生活保障决定不服，依法应当通过行政复议或者行政诉讼途径解决",
        "direction": "自知道该决定之日起60日内向长丰县人民政府申请行政复议，或者6个月内向长丰县人民法院提起行政诉讼",
        "rule": "《信访工作条例》第二十三条、第三十一条",
        "contact": PETITION_CONTACT,
    },
    "petition_transfer": {
        "received_on": "2026年11月18日",
        "channel": "网上信访",
        "work_order": "XF340121-2026-1118-0015",
        "summary": "北城村低保民主评议结果未公开",
        "action": "转送",
        "to_body": "长丰县水湖镇人民政府",
        "rule": "《信访工作条例》第二十三条",
        "contact": PETITION_CONTACT,
    },
    "petition_extension": {
        "received_on": "2026年11月10日",
        "work_order": "12345-2026-1110-0387",
        "summary": "要求复核本户低保停发",
        "original_due": "2027年1月11日",
        "extension_days": "30日",
        "new_due": "2027年2月11日",
        "reason": "需向合肥市有关用人单位调取你户子女2026年度工资发放记录，并提请县住房公积金、税务部门开展家庭经济状况核对，难以在原定期限内办结",
        "rule": "《信访工作条例》第三十四条",
        "contact": PETITION_CONTACT,
    },
    "petition_opinion": {
        "received_on": "2026年11月10日",
        "work_order": "12345-2026-1110-0387",
        "summary": "要求复核本户低保停发",
        "request": "撤销对你户最低生活保障的停发决定，恢复发放保障金。",
        "facts": "你户2026年10月家庭月人均收入1350.00元，高于当地低保标准740.00元/人·月，渐退期已届满，停发决定事实清楚、程序合法。",
        "rule": "《社会救助暂行办法》第十三条、《信访工作条例》第三十二条",
        "outcome": "不予支持",
        "opinion": "维持停发决定；你户如因病等原因再次出现生活困难，可随时重新申请。",
        "recheck_body": "长丰县人民政府",
        "assistance": DIBAO,
        **RIGHTS,
    },
    "petition_recheck_opinion": {
        "received_on": "2026年7月6日",
        "work_order": "12345-2026-0706-0112",
        "summary": "本户低保保障金额核减",
        "original_body": "长丰县水湖镇人民政府",
        "original_number": "皖长水信复字〔2026〕3号",
        "requested_on": "2026年9月8日",
        "request": "撤销原处理意见，按核减前每月2120.00元恢复发放你户保障金。",
        "facts": "你户共同生活家庭成员4人，儿子王强自2026年6月起在合肥市灵活就业，月收入1200元，经家庭经济状况核对，家庭月人均收入由210.00元增至510.00元；水湖镇人民政府据此将你户月保障金由2120.00元调整为920.00元，收入核算准确，调整程序符合规定。",
        "rule": "《社会救助暂行办法》第十三条、《信访工作条例》第三十五条",
        "outcome": "维持长丰县水湖镇人民政府作出的信访处理意见",
        "opinion": "王强如失业或者收入下降，你户可以随时申请重新核定保障金额。",
        "review_body": "长丰县人民政府",
    },
    "petition_review_opinion": {
        "received_on": "2026年7月6日",
        "work_order": "12345-2026-0706-0112",
        "summary": "本户低保保障金额核减",
        "original_body": "长丰县民政局",
        "original_number": "皖长民信复查字〔2026〕2号",
        "requested_on": "2026年10月15日",
        "request": "撤销复查意见，恢复按每月2120.00元发放你户保障金。",
        "facts": "复查意见认定的家庭成员、收入和保障金额事实清楚、证据充分；本机关调取了王强2026年6月至9月的劳务报酬发放记录，月收入均为1200元，与家庭经济状况核对结果一致。",
        "rule": "《社会救助暂行办法》第十三条、《信访工作条例》第三十六条",
        "outcome": "维持长丰县民政局作出的复查意见",
        "opinion": "你户月保障金调整为920.00元的决定依法作出，应予维持。",
    },
    "petition_final": {
        "received_on": "2026年11月20日",
        "channel": "12345政务服务便民热线",
        "work_order": "12345-2026-1120-0451",
        "summary": "要求恢复本户核减前的低保金额",
        "earlier_work_order": "12345-2026-0706-0112",
        "review_number": "皖长政信复核字〔2026〕1号",
        "review_body": "长丰县人民政府",
        "reviewed_on": "2026年11月6日",
        "rule": "《信访工作条例》第三十六条",
        "contact": PETITION_CONTACT,
    },
    "petition_bulletin": {
        "area": "长丰县",
        "month": "2026年11月",
        "totals": {
            "received": "46",
            "accepted": "41",
            "closed": "38",
            "overdue": "3",
            "avg_days": "19.9",
            "satisfaction_rate": "92.1%",
            "repeat_rate": "6.5%",
        },
        "by_channel": [
            {"label": "12345政务服务便民热线", "count": 15},
            {"label": "网上信访", "count": 14},
            {"label": "来访（窗口接待）", "count": 9},
            {"label": "来信", "count": 6},
            {"label": "来电", "count": 2},
        ],
        "by_kind": [
            {"label": "申诉求决", "count": 32},
            {"label": "检举控告", "count": 9},
            {"label": "建议意见", "count": 5},
        ],
        "overdue_by_clock": [
            {"label": "受理告知（15日）", "count": 1},
            {"label": "办理（60日）", "count": 1},
            {"label": "12345工单办结（10个工作日）", "count": 1},
        ],
        "hot_matters": [
            {"label": "低保停发、减发", "count": 11},
            {"label": "低保申请未获批准", "count": 8},
            {"label": "临时救助金额偏低", "count": 5},
            {"label": "特困人员照料服务", "count": 3},
        ],
        "per_area": [
            {"name": "水湖镇", "received": 12, "closed": 10, "overdue": 1, "avg_days": "19.5", "satisfaction_rate": "90.0%", "repeat_rate": "8.3%"},
            {"name": "庄墓镇", "received": 9, "closed": 8, "overdue": 0, "avg_days": "16.3", "satisfaction_rate": "100.0%", "repeat_rate": "0.0%"},
            {"name": "杨庙镇", "received": 7, "closed": 6, "overdue": 1, "avg_days": "27.0", "satisfaction_rate": "83.3%", "repeat_rate": "14.3%"},
            {"name": "吴山镇", "received": 8, "closed": 7, "overdue": 0, "avg_days": "14.9", "satisfaction_rate": "100.0%", "repeat_rate": "0.0%"},
            {"name": "岗集镇", "received": 6, "closed": 4, "overdue": 1, "avg_days": "31.5", "satisfaction_rate": "75.0%", "repeat_rate": "16.7%"},
            {"name": "下塘镇", "received": 4, "closed": 3, "overdue": 0, "avg_days": "12.7", "satisfaction_rate": "100.0%", "repeat_rate": "0.0%"},
        ],
    },
}


def sample_context(kind: str) -> dict:
    """A fresh copy of the demo context of `kind` (callers may change it freely)."""
    return copy.deepcopy(_SAMPLES[kind])


def sample_addressee(kind: str) -> str:
    return ADDRESSEES[kind]


def sign_notice_for_samples(notice) -> bytes:
    """Sign a notice as the issuer's system, without a leader's password: demo samples ONLY.

    Real notices are signed by a leader through documents.services.sign_notice, which checks
    the password and role and writes the audit log. Returns the signed PDF, which is stored.
    """
    services.ensure_rendered(notice)
    pdf = signing.sign_pdf(
        render_notice_pdf(notice, signer_name=signing.SAMPLE_SIGNER_NAME),
        notice.issuer,
        reason=f"签发{notice.title}（演示）",
        signer_name=signing.SAMPLE_SIGNER_NAME,
    )
    services.store_pdf(notice, pdf)
    notice.mark_signed(None, timezone.now())
    notice.save()
    return pdf
