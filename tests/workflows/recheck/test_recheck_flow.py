"""A recheck end to end, as its users do it (docs/policy.md "Recheck, gradual exit,
termination"): the caseworker visits, the township clerk proposes, the township principal or
the county head decides; the outcome takes effect from the month after the decision."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from documents.models import Notice
from tests.helpers import pdf_text
from tests.workflows.application.test_application_flow import do, open_task
from workflows.core.models import IncomeItem
from workflows.policy.rules import SELF_CARE_ACTIVITIES
from workflows.recheck.flows import RecheckFlow
from workflows.recheck.models import Recheck

from .conftest import VILLAGE_A, due, enroll, start

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    """PDF text without the line breaks and spaces of its layout."""
    return "".join(text.split())


def visit_data(**over):
    today = timezone.localdate().isoformat()
    return {"investigator_1": "王强", "investigator_2": "李娟", "visited_on": today, "living_conditions": "住房自有", "findings": "儿子已稳定就业", **over}


def visited(client, world, beneficiary, **over):
    process = start(due(beneficiary, timezone.localdate()), timezone.localdate())
    client.force_login(world["caseworker"])
    assert do(client, process, RecheckFlow.visit, visit_data(**over)).status_code == 302
    return process


def propose(client, world, process, **data):
    client.force_login(world["clerk"])
    return do(client, process, RecheckFlow.propose, {"delegated": "on", **data})


def test_income_above_the_standard_gives_a_gradual_exit_paid_to_its_last_month(client, world):
    beneficiary = enroll(VILLAGE_A, "王立新", "940", 2)
    # The household now earns 4,100 元 of wages: less the employment deduction (M2, 200 元),
    # per capita (4,100 − 200) ÷ 2 = 1,950 元, above the rural standard of 750 元.
    IncomeItem.objects.filter(household=beneficiary.household).update(monthly_amount=Decimal("4100"))
    process = visited(client, world, beneficiary)
    recheck = Recheck.objects.get()
    assert recheck.state == "visited"

    # The task page shows what the rules found, and suggests the gradual exit.
    client.force_login(world["clerk"])
    task = open_task(process, RecheckFlow.propose)
    client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk]))
    page = client.get(task.flow_task.reverse("execute", args=[process.pk, task.pk])).content.decode()
    assert "给予渐退期" in page and "1950.00" in page

    response = propose(client, world, process, outcome="gradual_exit", exit_months="7", reason="儿子稳定就业，月工资4100元")
    assert response.status_code == 200 and "不超过6个月" in response.content.decode()
    assert Recheck.objects.get().state == "visited"  # nothing saved
    assert propose(client, world, process, outcome="gradual_exit", exit_months="3", reason="儿子稳定就业，月工资4100元").status_code == 302

    client.force_login(world["principal"])
    assert do(client, process, RecheckFlow.township_decide, {"decision": "1", "comment": ""}).status_code == 302
    recheck.refresh_from_db()
    beneficiary.refresh_from_db()
    first = date(timezone.localdate().year + (timezone.localdate().month == 12), timezone.localdate().month % 12 + 1, 1)
    last = date(first.year + (first.month + 2 > 12), (first.month + 2 - 1) % 12 + 1, 1)
    assert recheck.state == "decided" and beneficiary.state == "gradual_exit" and beneficiary.gradual_exit_until == last
    assert beneficiary.next_recheck_on is None  # leaving: no further recheck
    notice = recheck.notice
    assert notice.kind == "gradual_exit"
    text = flat(pdf_text(notice.pdf))
    assert "3个月" in text and f"{first.year}年{first.month}月" in text and "940.00" in text and "行政复议" in text
    assert process.__class__.objects.get(pk=process.pk).status == "DONE"


def test_an_amount_change_needs_a_reason_and_counts_from_next_month(client, world):
    beneficiary = enroll(VILLAGE_A, "周建华", "940", 2)
    process = visited(client, world, beneficiary)
    response = propose(client, world, process, outcome="change_amount", new_amount="700", reason="")
    assert response.status_code == 200 and "必须写明事实与理由" in response.content.decode()
    assert propose(client, world, process, outcome="change_amount", new_amount="700", reason="儿媳灵活就业，月收入240元").status_code == 302
    client.force_login(world["principal"])
    assert do(client, process, RecheckFlow.township_decide, {"decision": "1"}).status_code == 302
    beneficiary.refresh_from_db()
    today = timezone.localdate()
    assert beneficiary.monthly_amount == Decimal("940.00") and beneficiary.next_amount == Decimal("700.00")
    assert beneficiary.amount_for(today.replace(day=1)) == Decimal("940.00")
    assert beneficiary.next_amount_from > today and beneficiary.next_amount_from.day == 1
    # Rechecked again in 6 months: the head works (a member of working age able to work).
    assert beneficiary.last_rechecked_on == today
    text = flat(pdf_text(Recheck.objects.get().notice.pdf))
    assert "940.00" in text and "700.00" in text and "保障金调整决定书" in text


def test_sent_back_the_township_proposes_again(client, world):
    beneficiary = enroll(VILLAGE_A, "孙大", "800", 2)
    process = visited(client, world, beneficiary)
    assert propose(client, world, process, outcome="terminate", reason="收入超过标准").status_code == 302
    client.force_login(world["principal"])
    response = do(client, process, RecheckFlow.township_decide, {"decision": "0", "comment": ""})
    assert response.status_code == 200 and "必须写明理由" in response.content.decode()
    assert do(client, process, RecheckFlow.township_decide, {"decision": "0", "comment": "收入核对有误，请重新核查"}).status_code == 302
    assert Recheck.objects.get().state == "visited"
    assert open_task(process, RecheckFlow.propose)
    beneficiary.refresh_from_db()
    assert beneficiary.state == "active"


def test_ending_tekun_support_is_the_county_heads_and_is_announced_first(client, world, settings):
    beneficiary = enroll(VILLAGE_A, "赵德胜", "1100", 1, kind="tekun_dispersed")
    beneficiary.member = beneficiary.household.members.first()
    beneficiary.save()
    # 特困: the visit assesses self-care again (six activities, all done alone here).
    process = visited(client, world, beneficiary, **{f"self_care_{key}": "1" for key in SELF_CARE_ACTIVITIES})
    assert propose(client, world, process, outcome="terminate", reason="其子已具备赡养能力").status_code == 302
    assert open_task(process, RecheckFlow.county_decide)
    # Another county's head has no such task to open.
    client.force_login(world["other_head"])
    task = open_task(process, RecheckFlow.county_decide)
    assert client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk])).status_code == 404
    task.refresh_from_db()
    assert task.owner_id is None
    client.force_login(world["head"])
    assert do(client, process, RecheckFlow.county_decide, {"decision": "1"}).status_code == 302
    recheck = Recheck.objects.get()
    beneficiary.refresh_from_db()
    assert recheck.state == "publicizing" and beneficiary.state == "active"
    publicity = Notice.objects.get(kind="tekun_end_publicity")
    assert "赵德胜" in flat(pdf_text(publicity.pdf))


def test_a_gradual_exit_needs_income_above_the_standard(client, world):
    """M2: the gradual exit is for a household whose income rose above the standard; per
    capita (500 − 200) ÷ 2 = 150 元 is below the rural 750 元."""
    beneficiary = enroll(VILLAGE_A, "孙大", "800", 2)
    process = visited(client, world, beneficiary)
    response = propose(client, world, process, outcome="gradual_exit", exit_months="3", reason="听说收入增加")
    assert response.status_code == 200 and "不适用渐退期" in response.content.decode()
    assert Recheck.objects.get().state == "visited"
