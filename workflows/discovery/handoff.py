"""What other processes may do to the village ledger: record a lead they found (a petition
showing a household that may be left out). Flow layer."""

from django.db import transaction

from .flows import DiscoveryFlow
from .models import Lead, LeadSource


def record_lead_from(
    *,
    source: str,
    external_id: str,
    village,
    person_name: str,
    situation: str,
    user,
    id_number: str = "",
    household=None,
    risk_signs=(),
    due_working_days: int | None = None,
    today=None,
) -> Lead:
    """A lead for the village caseworker to visit (within ``due_working_days`` when given);
    the same reference twice is one lead."""
    existing = Lead.objects.filter(source=source, external_id=external_id).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        return DiscoveryFlow.referral.run(
            user=user,
            village=village,
            source=source,
            external_id=external_id,
            person_name=person_name,
            situation=situation,
            id_number=id_number,
            household=household,
            risk_signs=risk_signs,
            due_working_days=due_working_days,
            today=today,
        )


PETITION = LeadSource.PETITION
MONITORING = LeadSource.MONITORING
