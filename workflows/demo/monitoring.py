"""The demo's low-income monitoring (seed_demo): last month's data from two of 长丰县's
departments compared, so that every role finds its part waiting:

- 公安 reports the death of a 水湖镇 beneficiary's household member → a recheck on the death
  (the township's recheck visit waits);
- 医保 reports high out-of-pocket costs of a 水湖镇 resident without benefits → a discovery
  lead for the village caseworker's visit;
- 卫健 (the same file format) reports a serious illness of someone not in our registry → the
  county officer's task to place the visit;
- the ten other departments have not delivered: the deliveries page lists them.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone

from workflows.core.models import Beneficiary, Household, Region
from workflows.monitoring import actions, delivery, services
from workflows.monitoring.models import Department, Via

from .cases import COUNTY, OFFICER, TOWNSHIP

#: A valid GB 11643 number of a made-up person our registry does not know (长丰县 code).
STRANGER = ("340121196809153021", "钱秀珍")


def _feed(department: str, rows: list[str], officer, month, today):
    data = ("id_number,name,event,event_date,amount,detail\n" + "\n".join(rows) + "\n").encode()
    result = services.import_feed(
        department=Department.objects.get(code=department),
        county=Region.objects.get(code=COUNTY),
        month=month,
        data=data,
        filename=f"{department}-{month:%Y%m}.csv",
        user=officer,
        via=Via.UPLOAD,
        today=today,
        announce=False,
    )
    actions.open_actions(result.feed.pk, today)


def seed() -> str:
    services.ensure_defaults()
    today = timezone.localdate()
    month = delivery.data_month(today)
    day = f"{month:%Y-%m}-12"
    officer = get_user_model().objects.get(username=OFFICER)
    beneficiary = (
        Beneficiary.objects.filter(region_code__startswith=TOWNSHIP[:9], state="active", kind="dibao", household__members__relation="spouse")
        .exclude(rechecks__state__in=["open", "visited", "proposed", "publicizing"])
        .order_by("pk")
        .first()
    )
    neighbour = Household.objects.filter(region_code__startswith=TOWNSHIP[:9], beneficiaries__isnull=True).order_by("pk").first()
    rows = []
    if beneficiary is not None:
        spouse = beneficiary.household.members.filter(relation="spouse").first()
        if spouse is not None:
            rows.append(f"{spouse.id_number},{spouse.name},death,{day},,死亡注销户口")
    if rows:
        _feed("police", rows, officer, month, today)
    person = neighbour.members.order_by("pk").first() if neighbour is not None else None
    if person is not None:
        _feed("medical_insurance", [f"{person.id_number},{person.name},medical_cost,{day},15800.00,住院治疗个人负担"], officer, month, today)
    _feed("health", [f"{STRANGER[0]},{STRANGER[1]},serious_illness,{day},,重症肺炎住院，现住水湖镇"], officer, month, today)
    return "低收入人口监测：公安、医保、卫健比对数据各1份"
