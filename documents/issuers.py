"""Which body issues a case's notices: the township government when it holds the power
(confirmation delegated, M8), otherwise the county civil-affairs bureau."""

from django.core.exceptions import ValidationError

from workflows.core import regions

from .models import Issuer


def issuer_for(region_code: str, level: str = regions.LEVEL_TOWNSHIP) -> Issuer:
    """The issuing body at ``level`` above (or at) the region: a township government, a county
    bureau, or (for a petition's 复查 and 复核) a city or the province's civil affairs."""
    keep = {regions.LEVEL_TOWNSHIP: 9, regions.LEVEL_COUNTY: 6, regions.LEVEL_CITY: 4, regions.LEVEL_PROVINCE: 2}[level]
    code = region_code[:keep].ljust(12, "0")
    issuer = Issuer.objects.filter(region_id=code).first()
    if issuer is None:
        raise ValidationError(f"区划 {code} 尚未配置发文机关，请先在“发文机关”中登记（开发环境可运行 init_dev_pki）")
    return issuer


def rights_context(region_code: str) -> dict:
    """复议机关 and 法院 named in a decision's rights paragraph: the county's."""
    from workflows.core.models import Region

    county = Region.objects.filter(code=regions.county_of(region_code)).first()
    name = county.name if county else "当地"
    return {"review_authority": f"{name}人民政府", "court": f"{name}人民法院"}
