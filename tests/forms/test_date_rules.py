"""Dates a person enters: facts that happened are not in the future, plans are not in the past,
a step is not dated before the step it follows. Forms say so in Chinese and keep the input;
services refuse the same dates, so an API call or a job cannot bypass the forms."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from forms.application import DeliverDecisionForm, InvestigationForm
from forms.discovery import VisitForm
from forms.payments import AllocateForm
from forms.review import PlanMeetingForm
from forms.spotcheck import OpenSpotCheckForm
from tests.factories import COUNTY, TOWNSHIP_A, VILLAGE_A, make_household, make_regions, make_user
from workflows.application import notices as application_notices
from workflows.application import services as application_services
from workflows.application.models import Application, Investigation
from workflows.core.models import Region
from workflows.discovery import services as discovery_services
from workflows.relief.models import EmergencyPeriod
from workflows.review import services as review_services
from workflows.review.models import ReviewMeeting, ReviewProcess
from workflows.spotcheck import services as spotcheck_services
from workflows.spotcheck.models import SpotCheck, SpotCheckProcess


def today():
    return timezone.localdate()


def tomorrow():
    return today() + timedelta(days=1)


def yesterday():
    return today() - timedelta(days=1)


INVESTIGATION = {"investigator_1": "王强", "investigator_2": "李娟", "living_conditions": "住房简陋", "findings": "情况属实"}
VISIT = {"visitor_1": "王强", "place": "北城村", "findings": "情况属实"}
PLAN = {"place": "镇政府二楼会议室", "members": "刘建华 镇人民政府\n陈晓东 镇民政办\n许梅 镇财政所\n"}
ALLOCATION = {"reference": "长财社〔2026〕31号", "amount": "100.00"}


@pytest.mark.parametrize(
    "form_class, data, field, word",
    [
        (InvestigationForm, INVESTIGATION, "visited_on", "入户日期"),
        (VisitForm, VISIT, "visited_on", "走访日期"),
        (AllocateForm, ALLOCATION, "allocated_on", "拨付日期"),
    ],
)
def test_a_fact_cannot_be_dated_tomorrow(form_class, data, field, word):
    day = tomorrow().isoformat()
    form = form_class(data={**data, field: day})
    assert not form.is_valid()
    message = " ".join(form.errors[field])
    assert f"{word}（" in message and "不能晚于今天" in message
    # The page shown again keeps what was typed.
    assert f'value="{day}"' in str(form[field])
    assert all(f'value="{v}"' in str(form[k]) for k, v in data.items() if k not in ("members", "living_conditions", "findings"))


@pytest.mark.parametrize(
    "form_class, data, field",
    [
        (InvestigationForm, INVESTIGATION, "visited_on"),
        (VisitForm, VISIT, "visited_on"),
        (AllocateForm, ALLOCATION, "allocated_on"),
    ],
)
def test_a_fact_of_today_is_accepted(form_class, data, field):
    form = form_class(data={**data, field: today().isoformat()})
    assert form.is_valid(), form.errors


def test_delivery_cannot_be_dated_tomorrow():
    form = DeliverDecisionForm(data={"method": "direct", "day": tomorrow().isoformat()})
    assert not form.is_valid()
    assert "送达日期" in " ".join(form.errors["day"]) and "不能晚于今天" in " ".join(form.errors["day"])


def test_meeting_cannot_be_planned_for_yesterday():
    form = PlanMeetingForm(data={**PLAN, "scheduled_on": yesterday().isoformat()})
    assert not form.is_valid()
    assert "会议日期" in form.errors["scheduled_on"][0] and "不能早于今天" in form.errors["scheduled_on"][0]
    assert f'value="{yesterday().isoformat()}"' in str(form["scheduled_on"]) and "刘建华 镇人民政府" in str(form["members"])
    assert PlanMeetingForm(data={**PLAN, "scheduled_on": today().isoformat()}).is_valid()


def test_spot_check_period_is_over_and_in_order():
    form = OpenSpotCheckForm(data={"period_start": yesterday().isoformat(), "period_end": tomorrow().isoformat()})
    assert not form.is_valid() and "不能晚于今天" in form.errors["period_end"][0]
    form = OpenSpotCheckForm(data={"period_start": today().isoformat(), "period_end": yesterday().isoformat()})
    assert not form.is_valid() and form.errors["period_end"] == ["截止日期不能早于起始日期"]
    assert OpenSpotCheckForm(data={"period_start": yesterday().isoformat(), "period_end": today().isoformat()}).is_valid()


# --- the same rules in the services -----------------------------------------------------


@pytest.fixture
def application(db):
    make_regions()
    household = make_household(VILLAGE_A)
    clerk = make_user("clerk_a", "township_clerk", TOWNSHIP_A)
    return Application.objects.create(
        household=household, applicant=household.members.first(), kind="dibao", filed_on=today() - timedelta(days=3), created_by=clerk
    )


def messages_of(error) -> str:
    return " ".join(error.value.messages)


def test_investigation_service_refuses_a_future_visit(application):
    with pytest.raises(ValidationError) as error:
        application_services.record_investigation(application, user=None, visited_on=tomorrow(), **INVESTIGATION)
    assert "visited_on" in error.value.message_dict and "不能晚于今天" in messages_of(error)
    assert not Investigation.objects.exists()


def test_investigation_service_refuses_a_visit_before_the_application(application):
    with pytest.raises(ValidationError) as error:
        application_services.record_investigation(application, user=None, visited_on=application.filed_on - timedelta(days=1), **INVESTIGATION)
    assert "不能早于申请日期" in messages_of(error)
    application_services.record_investigation(application, user=application.created_by, visited_on=application.filed_on, **INVESTIGATION)


def test_discovery_service_refuses_a_future_visit(db):
    with pytest.raises(ValidationError) as error:
        discovery_services.record_visit(None, user=None, visited_on=tomorrow(), today=today(), **VISIT)
    assert "走访日期" in messages_of(error) and "不能晚于今天" in messages_of(error)


def test_plan_service_refuses_a_past_meeting(db):
    make_regions()
    township = Region.objects.get(code=TOWNSHIP_A)
    with pytest.raises(ValidationError) as error:
        review_services.plan_meeting(ReviewProcess(), township=township, scheduled_on=yesterday(), place="镇政府", members=[])
    assert "scheduled_on" in error.value.message_dict
    assert not ReviewMeeting.objects.exists()


def test_monthly_job_plans_from_its_own_day(db):
    """The job passes the day it runs for, so a job replayed for an earlier day can plan."""
    make_regions()
    township = Region.objects.get(code=TOWNSHIP_A)
    day = date(2026, 3, 2)
    meeting = review_services.plan_meeting(
        ReviewProcess.objects.create(),
        township=township,
        scheduled_on=date(2026, 3, 9),
        place="镇政府",
        members=[("甲", "镇政府"), ("乙", "民政办"), ("丙", "财政所")],
        today=day,
    )
    assert meeting.scheduled_on == date(2026, 3, 9)


def test_record_service_refuses_a_meeting_held_tomorrow(db):
    with pytest.raises(ValidationError) as error:
        review_services.record_meeting(ReviewMeeting(), day=tomorrow(), recorder="陈晓东", present=set(), votes={}, user=None)
    assert "held_on" in error.value.message_dict and "召开日期" in messages_of(error)


def test_decision_notice_is_not_dated_before_its_meeting():
    with pytest.raises(ValidationError) as error:
        application_notices.decision(Application(decided_on=tomorrow()))
    assert "决定书的成文日期" in messages_of(error) and "不能早于作出决定的会议召开日期" in messages_of(error)


def test_spot_check_service_refuses_a_period_not_over(db):
    make_regions()
    county = Region.objects.get(code=COUNTY)
    with pytest.raises(ValidationError) as error:
        spotcheck_services.open_spot_check(SpotCheckProcess(), county=county, period_start=yesterday(), period_end=tomorrow())
    assert "period_end" in error.value.message_dict
    assert not SpotCheck.objects.exists()


def test_emergency_period_ends_after_it_starts(db):
    make_regions()
    user = make_user("countyofficer", "county_officer", COUNTY)
    period = EmergencyPeriod(region_id=COUNTY, starts=today(), ends=yesterday(), reason="洪涝灾害", declared_by=user)
    with pytest.raises(ValidationError) as error:
        period.full_clean()
    assert error.value.message_dict == {
        "ends": [
            f"结束日期（{yesterday().year}年{yesterday().month}月{yesterday().day}日）不能早于开始日期（{today().year}年{today().month}月{today().day}日）"
        ]
    }
