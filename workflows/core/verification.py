"""Economic verification (家庭经济状况核对) through an adapter.

The default adapter reads the incomes and assets registered in the household registry. Other
departments' data (tax, social insurance, real estate, vehicles...) plug in later as adapters
with the same interface, selected by settings.VERIFICATION_ADAPTER.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass
class VerificationResult:
    source: str
    monthly_income: Decimal
    assets_total: Decimal
    details: list = field(default_factory=list)
    #: Assets by kind, each {"kind", "value" (str), "exempt_use", "description"}; the rules
    #: evaluate these against the local property limits.
    assets: list = field(default_factory=list)


class RegistryAdapter:
    source = "家庭档案登记信息"

    def verify(self, household) -> VerificationResult:
        incomes = list(household.incomes.select_related("member"))
        assets = list(household.assets.all())
        return VerificationResult(
            source=self.source,
            monthly_income=sum((i.monthly_amount for i in incomes if not i.exempt), Decimal("0")),
            assets_total=sum((a.value for a in assets), Decimal("0")),
            details=[
                *(
                    {"项目": i.get_kind_display(), "成员": i.member.name if i.member else "家庭", "金额": str(i.monthly_amount), "计入": not i.exempt}
                    for i in incomes
                ),
                *({"项目": a.get_kind_display(), "说明": a.description, "金额": str(a.value)} for a in assets),
            ],
            assets=[{"kind": a.kind, "value": str(a.value), "exempt_use": a.exempt_use, "description": a.description} for a in assets],
        )


def get_adapter():
    path = getattr(settings, "VERIFICATION_ADAPTER", "workflows.core.verification.RegistryAdapter")
    return import_string(path)()
