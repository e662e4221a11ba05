"""The county officer's 开启发放批次 page: shown, refused with a Chinese message, never a 500."""

import pytest
from django.db import IntegrityError

from tests.factories import COUNTY
from workflows.payments import services
from workflows.payments.flows import PaymentFlow
from workflows.payments.models import PaymentCycle, PaymentProcess

pytestmark = pytest.mark.django_db


def test_the_page_opens(client, county):
    client.force_login(county["officer"])
    response = client.get(PaymentFlow.start.reverse("execute"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "发放月份" in page and 'type="month"' in page


@pytest.mark.parametrize("month", ["2026-13", "五月", "", "2026", "0-01", "99999-01"])
def test_a_bad_month_is_a_form_error_that_keeps_the_input(client, county, month):
    client.force_login(county["officer"])
    response = client.post(PaymentFlow.start.reverse("execute"), {"county": COUNTY, "month": month})
    assert response.status_code == 200
    page = response.content.decode()
    assert "发放月份" in page and ("格式" in page or "必填" in page or "这个字段是必填项" in page)
    assert not PaymentCycle.objects.exists() and not PaymentProcess.objects.filter(cycle__isnull=False).exists()


def test_a_month_posted_again_is_refused_with_a_clear_message(client, county):
    client.force_login(county["officer"])
    first = client.post(PaymentFlow.start.reverse("execute"), {"county": COUNTY, "month": "2026-05"})
    assert first.status_code == 302
    again = client.post(PaymentFlow.start.reverse("execute"), {"county": COUNTY, "month": "2026-05"})
    assert again.status_code == 200
    page = again.content.decode()
    assert "长丰县2026年5月的发放批次已经开启" in page and 'value="2026-05"' in page
    assert PaymentCycle.objects.count() == 1 and PaymentProcess.objects.count() == 1


def test_a_concurrent_duplicate_that_slips_past_the_check_is_a_form_error(client, county, monkeypatch):
    """Two officers posting the same month at once: both pass the existence check, the
    database's unique constraint refuses the second; that must read as the same message."""
    client.force_login(county["officer"])
    real = services.open_cycle

    def racing(process, county_region, month):
        raise IntegrityError("UNIQUE constraint failed: paymentcycle_one_per_county_month")

    monkeypatch.setattr(services, "open_cycle", racing)
    response = client.post(PaymentFlow.start.reverse("execute"), {"county": COUNTY, "month": "2026-05"})
    monkeypatch.setattr(services, "open_cycle", real)
    assert response.status_code == 200
    assert "的发放批次已经开启" in response.content.decode()
    assert not PaymentProcess.objects.exists()
