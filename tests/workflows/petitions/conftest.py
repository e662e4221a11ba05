"""A county's petition offices (township A and B, the county, the city above) and helpers."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from documents.models import Issuer
from tests.documents.notice_helpers import use_small_pdfs
from tests.factories import CITY, COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, make_household, make_id, make_issuers, make_regions, make_user
from workflows.core.models import Region
from workflows.core.shared_cache import shared_cache
from workflows.petitions.flows import PetitionFlow

OTHER_COUNTY = "340122000000"


@pytest.fixture
def world(monkeypatch, eager_celery, tmp_path, settings):
    # Rate-limit counters outlive a test when the shared cache is CI's Redis.
    shared_cache.clear()
    use_small_pdfs(monkeypatch)
    make_regions()
    Region.objects.get_or_create(code=OTHER_COUNTY, defaults={"name": "肥东县", "level": "county", "parent_id": CITY})
    make_issuers()
    Issuer.objects.get_or_create(number_prefix="皖合市民", defaults={"region_id": CITY, "name": "合肥市民政局", "phone": "0551-63500000"})
    # Leaders sign the replies and the review opinions: the issuers need certificates.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTICE_TRUST_ROOTS = [tmp_path / "pki" / "dev-ca.pem"]
    call_command("init_dev_pki", dir=str(tmp_path / "pki"), stdout=io.StringIO())
    yield {
        "po_a": make_user("po_a", "petition_officer", TOWNSHIP_A),
        "po_b": make_user("po_b", "petition_officer", TOWNSHIP_B),
        "po_county": make_user("po_county", "petition_officer", COUNTY),
        "po_city": make_user("po_city", "petition_officer", CITY),
        "po_other": make_user("po_fd", "petition_officer", OTHER_COUNTY),
        "principal": make_user("principal_a", "township_principal", TOWNSHIP_A),
        "head": make_user("head", "county_head", COUNTY),
        "caseworker": make_user("cw_a", "caseworker", VILLAGE_A),
        "clerk": make_user("clerk_a", "township_clerk", TOWNSHIP_A),
        "household": make_household(VILLAGE_A, "李秀英"),
    }
    shared_cache.clear()


def petition_data(**over) -> dict:
    data = {
        "channel": "window",
        "kind": "claim",
        "category": "dibao_stopped",
        "matter": "本户低保于上月停发，认为家庭收入计算有误",
        "request": "要求恢复低保",
        "received_on": timezone.localdate(),
        "petitioner_name": "李秀英",
        "petitioner_id_number": make_id(date(1968, 3, 9), male=False),
        "petitioner_phone": "13900000000",
    }
    data.update(over)
    return data


def handle_data(**over) -> dict:
    """The handling task's form, as the township's officer fills it in."""
    data = {
        "investigation": "入户核实：家庭4口人，户主务工月收入2600元",
        "facts": "你户家庭月人均收入650元，低于当地低保标准750元",
        "basis": "《社会救助暂行办法》第九条",
        "outcome": "support",
        "opinion": "恢复你户低保，自下月起发放",
        "risk": "none",
    }
    data.update(over)
    return data


def receive(body: str = TOWNSHIP_A, **over):
    """A petition registered at ``body`` (as the online form and the 12345 API do)."""
    data = petition_data(**over)
    process = PetitionFlow.receive.run(body=Region.objects.get(code=body), **data)
    process.refresh_from_db()
    return process


__all__ = ["COUNTY", "OTHER_COUNTY", "TOWNSHIP_A", "TOWNSHIP_B", "VILLAGE_A", "handle_data", "petition_data", "receive"]
