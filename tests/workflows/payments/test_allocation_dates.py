"""The 拨付日期 finance enters: not in the future, not before the roster was submitted."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from workflows.payments import services
from workflows.payments.flows import PaymentFlow
from workflows.payments.models import CycleState, PaymentCycle

from .conftest import do, open_cycle

# A cycle's roster is built by a job that runs once the cycle's opening commits.
pytestmark = pytest.mark.django_db(transaction=True)


def allocate(process, day, today):
    return services.allocate_funds(process, day=day, reference="长财社〔2026〕31号", amount=process.cycle.total_amount, today=today)


def test_allocation_between_submission_and_today(county):
    process = open_cycle()
    services.submit_roster(process, date(2026, 4, 28))
    with pytest.raises(ValidationError) as error:
        allocate(process, date(2026, 4, 27), today=date(2026, 5, 8))
    assert error.value.message_dict["allocated_on"] == ["拨付日期（2026年4月27日）不能早于花名册报送日期（2026年4月28日）"]
    with pytest.raises(ValidationError) as error:
        allocate(process, date(2026, 5, 9), today=date(2026, 5, 8))
    assert "不能晚于今天（2026年5月8日）" in error.value.message_dict["allocated_on"][0]
    assert PaymentCycle.objects.get(pk=process.cycle_id).state == CycleState.ROSTER_SUBMITTED
    cycle = allocate(process, date(2026, 5, 8), today=date(2026, 5, 8))
    assert cycle.state == CycleState.FUNDS_ALLOCATED and cycle.allocated_on == date(2026, 5, 8)


def test_allocation_form_page_keeps_the_input(client, county):
    process = open_cycle()
    do(client, county["officer"], process, PaymentFlow.review, {"action": "submit"})
    day = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = do(client, county["finance"], process, PaymentFlow.allocate, {"allocated_on": day, "reference": "长财社〔2026〕31号", "amount": "2360.00"})
    text = page.content.decode()
    assert page.status_code == 200 and "不能晚于今天" in text
    assert f'value="{day}"' in text and 'value="长财社〔2026〕31号"' in text
