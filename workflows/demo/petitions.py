"""The demo's petitions (seed_demo): work waiting for every petition role in 长丰县, driven
through the flows and services as their views drive them (demo.cases.start / do):

- 水湖镇's petition officer: a window visit to route (受理告知), an accusation against a
  caseworker to route (kept from that caseworker), a 12345 order to handle;
- 水湖镇's principal: a reply to sign (its petitioner assessed at psychological risk and handed
  off) and an extension to approve;
- 长丰县's petition officer: a group visit to route, a 复查 of a 水湖镇 reply to answer;
- 长丰县's head: a county reply to sign, and the 复查意见书 of a 复核 case in the signing list;
- 合肥市's petition officer: a 复核 to answer;
- the repeat-petition list: a person's third petition within the window;
- a citizen: the number and 查询码 of a replied petition (demo_logins prints them).
"""

from django.contrib.auth import get_user_model
from django.utils import timezone

from workflows.core.models import Household, Region
from workflows.petitions import services
from workflows.petitions.flows import PetitionFlow, PetitionReviewFlow
from workflows.petitions.models import Petition

from .cases import COUNTY, TOWNSHIP, do, start

CITY = COUNTY[:4].ljust(12, "0")
OFFICER_T, OFFICER_C, OFFICER_CITY = f"petition_{TOWNSHIP[:9]}", f"petition_{COUNTY[:6]}", f"petition_{CITY[:4]}"
PRINCIPAL, HEAD = f"principal_{TOWNSHIP[:9]}", f"countyhead_{COUNTY[:6]}"
# Valid GB 11643 numbers of made-up people (长丰县 address code).
PEOPLE = {
    "孙文华": "340121196502034511",
    "周桂兰": "340121197011123020",
    "吴德明": "340121195808155012",
    "郑玉梅": "340121198204206521",
    "冯建军": "34012119750308753X",
}
FACTS = "经入户核实，你户家庭成员4人，2026年10月家庭月人均收入680元，低于当地农村低保标准750元"


def _receive(body: str, name: str, **over):
    data = {
        "channel": "window",
        "kind": "claim",
        "category": "dibao_stopped",
        "matter": "本户低保于上月停发，认为家庭收入核算有误",
        "request": "要求恢复低保",
        "received_on": timezone.localdate(),
        "petitioner_name": name,
        "petitioner_id_number": PEOPLE.get(name, ""),
        "petitioner_phone": "13905510000",
    }
    data.update(over)
    return PetitionFlow.receive.run(body=Region.objects.get(code=body), **data)


def _route(process, user, decision="accept", **extra):
    do(process, PetitionFlow.route, user, lambda p: services.route(p.petition, decision=decision, user=user, today=timezone.localdate(), **extra))


def _handle(process, user, **over):
    data = {
        "investigation": "入户核实家庭人口、收入和财产状况，查阅停发审批材料",
        "facts": FACTS,
        "basis": "《社会救助暂行办法》第九条、第十三条",
        "outcome": "support",
        "opinion": "恢复你户最低生活保障，自下月起按月发放",
        "risk": "none",
    }
    data.update(over)
    do(process, PetitionFlow.handle, user, lambda p: services.record_handling(p.petition, user=user, today=timezone.localdate(), **data))


def _sign(process, user):
    do(process, PetitionFlow.sign, user, lambda p: services.sign_reply(p.petition, approve=True, comment="", user=user, today=timezone.localdate()))


def _review(petition, registrar, request):
    today = timezone.localdate()
    return start(
        PetitionReviewFlow.request,
        registrar,
        lambda p: services.request_review(p, petition, reply_received_on=today, requested_on=today, request=request, user=registrar, today=today),
    )


def seed() -> str:
    people = {u.username: u for u in get_user_model().objects.filter(username__in=[OFFICER_T, OFFICER_C, OFFICER_CITY, PRINCIPAL, HEAD])}
    if len(people) < 5 or Petition.objects.filter(region_code__startswith=COUNTY[:6]).exists():
        return ""
    officer_t, officer_c, officer_city, principal, head = (people[k] for k in (OFFICER_T, OFFICER_C, OFFICER_CITY, PRINCIPAL, HEAD))
    households = list(Household.objects.filter(region_code__startswith=TOWNSHIP[:9]).order_by("-pk")[:4])
    household = households[0] if households else None
    caseworker = get_user_model().objects.filter(username__startswith=f"caseworker_{TOWNSHIP[:9]}").order_by("username").first()

    # 水湖镇's officer: route these.
    _receive(
        TOWNSHIP, "周桂兰", category="dibao_refused", matter="申请低保未获批准，认为家中两人长期患病，生活困难", request="要求重新审核", household=household
    )
    if caseworker is not None:
        _receive(
            TOWNSHIP,
            "吴德明",
            kind="accusation",
            category="conduct",
            matter="反映村协理员入户核查时态度生硬、未如实记录家庭情况",
            request="要求调查处理",
            accused=caseworker,
            channel="letter",
        )
    hotline = _receive(
        TOWNSHIP, "郑玉梅", channel="hotline", work_order="12345-2026-1202-0107", category="payment", matter="反映本月低保金尚未到账", request="要求尽快发放"
    )
    _route(hotline, officer_t)

    # 水湖镇's principal: a reply to sign (risk handed off) and an extension to approve.
    to_sign = _receive(TOWNSHIP, "孙文华", household=households[1] if len(households) > 1 else None)
    _route(to_sign, officer_t)
    today = timezone.localdate()
    _handle(
        to_sign,
        officer_t,
        risk="high",
        risk_note="信访人情绪低落，多次表示生活无望",
        handoff_to="水湖镇综治中心、镇卫生院心理咨询室",
        handoff_contact="刘静 0551-66710020",
        handoff_on=today,
    )
    extension = _receive(TOWNSHIP, "冯建军", category="tekun", matter="其父年逾八旬独居，申请特困供养未获答复", request="要求尽快认定")
    _route(extension, officer_t)
    _handle(extension, officer_t, extension_days=20, extension_reason="需协调县民政局核实赡养人经济状况")

    # 复查 at the county, 复核 at the city.
    for_recheck = _receive(TOWNSHIP, "孙文华", category="relief", matter="申请临时救助被告知不符合条件", request="要求给予临时救助")
    _route(for_recheck, officer_t)
    _handle(
        for_recheck,
        officer_t,
        outcome="reject",
        opinion="你户不符合临时救助条件，请按规定另行申请其他救助",
        facts="你户家庭月人均收入高于当地低保标准，且未发生突发事件",
    )
    _sign(for_recheck, principal)
    _review(Petition.objects.get(pk=for_recheck.petition.pk), officer_c, "认为家庭因病支出未予考虑")

    for_review = _receive(TOWNSHIP, "孙文华", category="payment", matter="反映低保金被少发两个月", request="要求补发")
    _route(for_review, officer_t)
    _handle(for_review, officer_t, outcome="explain", opinion="少发系渐退期按规定调整，已向你说明", facts="你户2026年8月起进入渐退期")
    _sign(for_review, principal)
    recheck = _review(Petition.objects.get(pk=for_review.petition.pk), officer_c, "不认可渐退决定")
    do(
        recheck,
        PetitionReviewFlow.answer,
        officer_c,
        lambda p: services.answer_review(
            p.review,
            outcome="uphold",
            facts="渐退决定事实清楚、程序合法",
            basis="《信访工作条例》第三十五条",
            opinion="维持原处理意见",
            paused_days=0,
            user=officer_c,
            today=today,
        ),
    )
    _review(Petition.objects.get(pk=for_review.petition.pk), officer_c, "仍不服复查意见")

    # 长丰县: a group visit to route, a reply for the head to sign.
    _receive(
        COUNTY,
        "冯建军",
        channel="group_visit",
        group_size=12,
        representatives=["冯建军", "李桂芳", "张志强"],
        category="policy",
        matter="反映本村低保评议不公开、不透明",
        request="要求公开评议过程",
    )
    county = _receive(COUNTY, "郑玉梅", channel="phone", category="dibao_refused", matter="反映乡镇未受理其低保申请", request="要求乡镇依法受理")
    _route(county, officer_c)
    _handle(county, officer_c, outcome="explain", opinion="已责成乡镇依法受理你的申请", facts="经查乡镇窗口未出具受理通知书")
    return "信访件 8 件（待受理、办理、审签、复查、复核）"


def citizen_petition():
    """(number, 查询码, name) of a replied petition for the citizen's status page."""
    petition = Petition.objects.filter(region_code__startswith=TOWNSHIP[:9], opinion_notice__isnull=False).order_by("pk").first()
    return (petition.number, petition.access_code, petition.petitioner_name) if petition else None
