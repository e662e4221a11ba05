"""12345 orders through the API: registered once per order number, and their reply read back."""

import pytest
from django.utils import timezone

from workflows.petitions import services
from workflows.petitions.models import Petition
from workflows.policy import petitions as rules

from .conftest import COUNTY, TOWNSHIP_A, handle_data

pytestmark = pytest.mark.django_db
URL = "/api/petitions/work-orders/"


def order(**over):
    data = {
        "work_order": "12345-2026-0001",
        "body_code": TOWNSHIP_A,
        "petitioner_name": "陈立",
        "matter": "询问低保申请需要哪些材料",
        "enquiry": True,
        "category": "policy",
    }
    data.update(over)
    return data


def test_an_order_is_registered_once_and_its_signed_reply_read_back(client, world):
    client.force_login(world["po_county"])
    first = client.post(URL, order(), content_type="application/json")
    again = client.post(URL, order(), content_type="application/json")
    assert first.status_code == 201 and again.status_code == 200 and first.json()["number"] == again.json()["number"]
    petition = Petition.objects.get()
    # An enquiry: 3 working days from the day it arrived.
    assert petition.hotline_due == rules.hotline_deadline(timezone.localdate(), enquiry=True) and petition.body_id == TOWNSHIP_A
    today = timezone.localdate()
    services.route(petition, decision="accept", user=world["po_a"], today=today)
    services.record_handling(
        petition, **handle_data(basis="", opinion="所需材料为户口簿、身份证和收入证明", outcome="explain"), user=world["po_a"], today=today
    )
    services.sign_reply(petition, approve=True, comment="", user=world["principal"], today=today)
    reply = client.get(URL, {"work_order": "12345-2026-0001"}).json()
    assert (
        reply["state"] == "replied"
        and reply["reply"] == "所需材料为户口簿、身份证和收入证明"
        and reply["reply_signed_by"] == world["principal"].get_full_name()
    )
    assert reply["signed_at"] is not None


def test_an_order_for_another_county_is_refused_and_an_unknown_order_is_not_found(client, world):
    client.force_login(world["po_other"])
    response = client.post(URL, order(body_code=COUNTY), content_type="application/json")
    assert response.status_code == 400 and "不在您的辖区内" in response.content.decode()
    assert not Petition.objects.exists()
    assert client.get(URL, {"work_order": "12345-nope"}).status_code == 404
