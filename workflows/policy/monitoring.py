"""Low-income monitoring (M1; 社会救助暂行办法 art 58; docs/policy.md "Low-income monitoring").

M1: civil affairs runs the low-income monitoring platform; education, human resources,
housing, health, emergency management, medical insurance, rural revitalization and the
disabled persons' federation share their data, and until sharing works each city and county
compares data with those departments at least once a month ("每月至少进行1次信息比对").

What a department's row means for us is decided here, by a rule table: a beneficiary's member
who died, moved out, or shows new income or assets → a recheck on that event; a person who is
not a beneficiary with a serious illness, high out-of-pocket medical costs, a disaster or a new
disability → a discovery visit (a lead). No deadline for acting on a warning was found in the
policy: the team default is 15 working days, configurable.
"""

from dataclasses import dataclass
from decimal import Decimal

#: M1 and art 58: the departments whose data are compared (code → name). Data: extendable in
#: the admin; these are the defaults the migration loads.
DEPARTMENTS = {
    "police": "公安",
    "hrss": "人力资源社会保障",
    "housing": "住房城乡建设",
    "health": "卫生健康",
    "medical_insurance": "医疗保障",
    "emergency": "应急管理",
    "rural_revitalization": "乡村振兴",
    "disability_federation": "残联",
    "market_regulation": "市场监管",
    "natural_resources": "不动产登记",
    "tax": "税务",
    "education": "教育",
}

#: The events a feed reports (code → name, usual department). Data as well.
EVENTS = {
    "death": ("死亡", "police"),
    "hukou_out": ("户籍迁出", "police"),
    "employment": ("就业登记", "hrss"),
    "social_insurance": ("社会保险缴费", "hrss"),
    "vehicle": ("机动车登记", "police"),
    "property": ("不动产登记", "natural_resources"),
    "business": ("市场主体登记", "market_regulation"),
    "serious_illness": ("重特大疾病", "health"),
    "medical_cost": ("医疗费用个人负担", "medical_insurance"),
    "disaster": ("受灾", "emergency"),
    "disability": ("新增残疾", "disability_federation"),
    "poverty_watch": ("防返贫监测对象", "rural_revitalization"),
}

#: The columns of the common layout (CSV, UTF-8 or GB18030, or xlsx with the same header).
COLUMNS = ["id_number", "name", "event", "event_date", "amount", "detail"]
COLUMN_LABELS = {
    "id_number": "公民身份号码",
    "name": "姓名",
    "event": "事项代码",
    "event_date": "发生日期（YYYY-MM-DD）",
    "amount": "金额（元，可空）",
    "detail": "说明（可空）",
}

#: The team default for out-of-pocket medical costs that call for a visit (configurable:
#: settings.MONITORING_MEDICAL_COST_YUAN).
MEDICAL_COST_YUAN = Decimal("10000")
#: The team default for acting on a signal, in working days (configurable:
#: settings.MONITORING_ACTION_WORKING_DAYS). No deadline was found in the policy.
ACTION_WORKING_DAYS = 15
#: Raw files and rows are kept this many days, then deleted (settings.MONITORING_RAW_RETENTION_DAYS).
RAW_RETENTION_DAYS = 180
#: The reminder for a missing delivery goes out this many days before the month ends.
REMIND_DAYS_BEFORE_MONTH_END = 5

RECHECK, LEAD, NONE = "recheck", "lead", "none"
ACTION_LABELS = {RECHECK: "启动复核", LEAD: "主动发现核查", NONE: "仅记录"}


@dataclass(frozen=True)
class Rule:
    """One line of the rule table: an event, whom it concerns, and what it calls for."""

    event: str
    #: True: a member of a household with benefits; False: anyone else.
    beneficiary: bool
    action: str
    #: The recheck's event (workflows.policy.recheck.EVENT_LABELS) for a RECHECK.
    recheck_event: str = ""
    #: A LEAD only at or above this amount (yuan), when set.
    min_amount: Decimal | None = None


def rules(medical_cost_yuan: Decimal = MEDICAL_COST_YUAN) -> list[Rule]:
    """The rule table. A beneficiary's member died, moved out, or shows new income or assets →
    a recheck on that event; a person who is not a beneficiary with a serious illness, high
    out-of-pocket medical costs, a disaster or a new disability → a discovery visit."""
    table = [
        Rule("death", True, RECHECK, "death"),
        Rule("hukou_out", True, RECHECK, "hukou_out"),
    ]
    table += [Rule(e, True, RECHECK, "monitoring") for e in ("employment", "social_insurance", "vehicle", "property", "business")]
    table += [Rule(e, False, LEAD) for e in ("serious_illness", "disaster", "disability")]
    table.append(Rule("medical_cost", False, LEAD, min_amount=medical_cost_yuan))
    return table


def rule_for(event: str, beneficiary: bool, amount: Decimal | None, table: list[Rule] | None = None) -> Rule | None:
    """The rule a row falls under, or None: recorded only (a beneficiary's illness is for the
    care and relief processes, a non-beneficiary's new job is no concern of ours)."""
    for rule in rules() if table is None else table:
        if rule.event != event or rule.beneficiary != beneficiary:
            continue
        if rule.min_amount is not None and (amount is None or amount < rule.min_amount):
            continue
        return rule
    return None


def event_label(code: str) -> str:
    """An event's name; a code added in the admin (not in the defaults) shows as itself."""
    entry = EVENTS.get(code)
    return entry[0] if entry else code


def recheck_event(event: str, table: list[Rule] | None = None) -> str:
    """The recheck's event (workflows.policy.recheck.EVENT_LABELS) a beneficiary's ``event``
    opens, or "" when it opens none."""
    for rule in rules() if table is None else table:
        if rule.event == event and rule.beneficiary and rule.action == RECHECK:
            return rule.recheck_event
    return ""


def action_for(event: str, beneficiary: bool, amount: Decimal | None, table: list[Rule] | None = None) -> str:
    rule = rule_for(event, beneficiary, amount, table)
    return rule.action if rule else NONE


#: The risk sign a visit's lead carries for each event (workflows.discovery RiskSign).
LEAD_RISK_SIGNS = {"serious_illness": "illness", "medical_cost": "illness", "disability": "disability", "disaster": "disaster"}
