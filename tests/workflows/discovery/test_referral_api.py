"""Referral API (M3): 12345 work orders and monitoring alerts start a discovery process."""

import pytest
from rest_framework.authtoken.models import Token

from tests.factories import TOWNSHIP_A, VILLAGE_A, make_id
from workflows.core.models import Region
from workflows.discovery.flows import DiscoveryFlow
from workflows.discovery.models import DiscoveryProcess, Lead

from .conftest import open_task

pytestmark = pytest.mark.django_db

URL = "/api/discovery/referrals/"


def post(client, user, **over):
    from datetime import date

    body = {
        "source": "hotline",
        "external_id": "12345-2026-000871",
        "village_code": VILLAGE_A,
        "person_name": "孙老汉",
        "id_number": make_id(date(1948, 2, 3)),
        "situation": "独居老人，冬季取暖困难",
        "risk_signs": ["elderly_alone"],
        "reported_by": "合肥市12345热线",
    }
    body.update(over)
    token = Token.objects.get_or_create(user=user)[0]
    return client.post(URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token.key}")


def test_same_work_order_twice_is_one_lead(client, world):
    first = post(client, world["officer"])
    assert first.status_code == 201 and first.json()["created"] is True
    again = post(client, world["officer"], situation="重复推送")
    assert again.status_code == 200 and again.json() == {"lead": first.json()["lead"], "state": "open", "created": False}
    lead = Lead.objects.get()
    assert (lead.source, lead.external_id, lead.region_code, lead.reported_by) == ("hotline", "12345-2026-000871", VILLAGE_A, "合肥市12345热线")
    assert lead.situation == "独居老人，冬季取暖困难"
    # The village caseworker now has a verification visit to make.
    assert open_task(DiscoveryProcess.objects.get(), DiscoveryFlow.verify)
    # Another monitoring alert with the same number is a different lead.
    assert post(client, world["officer"], source="monitoring").status_code == 201
    assert Lead.objects.count() == 2


@pytest.mark.parametrize(
    "over, field, message",
    [
        ({"id_number": "340121194802030010"}, "id_number", "校验码错误"),
        ({"id_number": "3401211948"}, "id_number", "应为18位"),
        ({"village_code": "340121100299"}, "village_code", "不存在"),
        ({"village_code": TOWNSHIP_A}, "village_code", "不是村（社区）"),
        ({"source": "visit"}, "source", "不是合法选项"),
        ({"person_name": ""}, "person_name", "不能为空"),
    ],
)
def test_bad_input_gets_chinese_field_errors_and_saves_nothing(client, world, over, field, message):
    response = post(client, world["officer"], **over)
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not Lead.objects.exists() and not DiscoveryProcess.objects.exists()


def test_village_outside_the_callers_county_does_not_exist_for_them(client, world):
    Region.objects.create(code="340122100201", name="外县村", level="village")
    response = post(client, world["officer"], village_code="340122100201")
    assert response.status_code == 400 and "不存在" in response.json()["village_code"][0]
    assert not Lead.objects.exists()


def test_only_users_allowed_to_refer(client, world):
    assert post(client, world["caseworker"]).status_code == 403
    assert client.post(URL, {}, content_type="application/json").status_code in (401, 403)
    assert not Lead.objects.exists()


def test_session_auth_and_schema(client, world):
    client.force_login(world["officer"])
    response = client.post(
        URL,
        {"source": "monitoring", "external_id": "YJ-001", "village_code": VILLAGE_A, "person_name": "周五", "situation": "医疗支出骤增"},
        content_type="application/json",
    )
    assert response.status_code == 201
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and URL in schema.content.decode()
