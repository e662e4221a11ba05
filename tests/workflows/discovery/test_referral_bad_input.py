"""Malformed bodies to the referral API answer 400 in Chinese, never a 500."""

import re

import pytest
from rest_framework.authtoken.models import Token

from workflows.discovery.models import Lead

pytestmark = pytest.mark.django_db

URL = "/api/discovery/referrals/"


def send(client, user, body: str):
    token = Token.objects.get_or_create(user=user)[0]
    return client.post(URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token.key}")


def chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


@pytest.mark.parametrize("depth", [1000, 100_000])
@pytest.mark.parametrize("opener,closer", [("[", "]"), ('{"a":', "}")])
def test_deeply_nested_json_is_refused(client, world, depth, opener, closer):
    response = send(client, world["officer"], opener * depth + "1" + closer * depth)
    assert response.status_code == 400
    assert chinese(response.json()["detail"]) and "嵌套" in response.json()["detail"]
    assert not Lead.objects.exists()


def test_nesting_inside_a_field_is_a_field_error(client, world):
    body = '{"source": "hotline", "external_id": "1", "village_code": ' + "[" * 5 + "]" * 5 + ', "person_name": "甲", "situation": "乙"}'
    response = send(client, world["officer"], body)
    assert response.status_code == 400 and chinese(response.json()["village_code"][0])
    assert not Lead.objects.exists()


@pytest.mark.parametrize("body", ["{", "not json", "\xff\xfe", '{"source": "hotline",}', "[]", "null", "1"])
def test_broken_json_is_refused_in_chinese(client, world, body):
    response = send(client, world["officer"], body)
    assert response.status_code == 400
    assert chinese(str(response.json()))
    assert not Lead.objects.exists()
