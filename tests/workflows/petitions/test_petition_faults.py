"""Petitions given bad input, duplicates and late requests (docs/policy.md "Petitions"): each is
refused in Chinese, naming the rule, and leaves nothing behind; the clocks that restart (an
extension, a 12345 redo) restart as the rules say."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from rest_framework.authtoken.models import Token

from documents.models import Notice
from tests.factories import make_id
from tests.helpers import pdf_text
from tests.workflows.application.test_application_flow import do, open_task
from workflows.petitions import services
from workflows.petitions.flows import PetitionFlow, PetitionReviewFlow
from workflows.petitions.models import Petition, PetitionAttachment, PetitionProcess, PetitionReview, PetitionReviewProcess
from workflows.policy import petitions as rules
from workflows.policy.calendar import add_working_days

from .conftest import COUNTY, OTHER_COUNTY, TOWNSHIP_A, handle_data, receive

pytestmark = pytest.mark.django_db

API = "/api/petitions/work-orders/"
ONLINE = "/xinfang/online/"
STATUS = "/xinfang/status/"


def flat(text: str) -> str:
    return "".join(text.split())


def cn(day: date) -> str:
    """A date as the notices and messages write it (GB/T 9704: no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def page(response) -> str:
    return response.content.decode()


def wrong_checksum(number: str) -> str:
    """The same ID number with another check character: exactly one is right (GB 11643)."""
    return number[:17] + ("1" if number[17] != "1" else "2")


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PDF")
    return out.getvalue()


def nothing_registered():
    assert not Petition.objects.exists()
    assert not PetitionProcess.objects.exists()
    assert not PetitionAttachment.objects.exists()


def register_form(**over):
    """The window's register form (the start view), as po_a fills it in."""
    data = {
        "body": TOWNSHIP_A,
        "channel": "window",
        "kind": "claim",
        "category": "dibao_stopped",
        "received_on": timezone.localdate().isoformat(),
        "petitioner_name": "李秀英",
        "petitioner_id_number": make_id(date(1968, 3, 9), male=False),
        "petitioner_phone": "13900000000",
        "petitioner_address": "长丰村3组",
        "matter": "本户低保于上月停发，认为家庭收入计算有误",
        "request": "要求恢复低保",
        "household": "",
        "accused": "",
        "accused_name": "",
        "work_order": "",
        "forwarded_by": "",
        "group_size": "1",
        "representatives": "",
    }
    data.update(over)
    return data


def online_form(**over):
    data = {
        "county": COUNTY,
        "petitioner_name": "王桂兰",
        "petitioner_id_number": make_id(date(1959, 7, 1), male=False),
        "petitioner_phone": "13855550000",
        "petitioner_address": "水湖镇长丰村5组",
        "kind": "claim",
        "category": "dibao_refused",
        "matter": "申请低保三个月未获答复",
        "request": "要求尽快审核",
    }
    data.update(over)
    return data


def accepted(client, world, **over):
    process = receive(**over)
    client.force_login(world["po_a"])
    assert do(client, process, PetitionFlow.route, {"decision": "accept"}).status_code == 302
    process.petition.refresh_from_db()
    return process


# --- 12345 work orders through the API -------------------------------------------------------


def work_order(**over):
    body = {
        "work_order": "AH12345-20260105-000318",
        "body_code": TOWNSHIP_A,
        "category": "dibao_refused",
        "petitioner_name": "赵德明",
        "petitioner_phone": "13966660000",
        "matter": "来电反映申请低保两个月无人答复",
        "request": "要求告知审核进度",
    }
    body.update(over)
    return body


def post_order(client, user, *, token: bool = True, **over):
    headers = {}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Token {Token.objects.get_or_create(user=user)[0].key}"
    else:
        client.force_login(user)
    return client.post(API, work_order(**over), content_type="application/json", **headers)


@pytest.mark.parametrize("token", [True, False], ids=["token", "session"])
def test_the_same_work_order_delivered_twice_is_one_petition(client, world, token):
    assert world["po_county"].has_perm("petitions.register_petition")
    first = post_order(client, world["po_county"], token=token)
    assert first.status_code == 201 and first.json()["created"] is True
    again = post_order(client, world["po_county"], token=token, matter="重复推送：来电反映申请低保两个月无人答复")
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["number"] == first.json()["number"]
    petition = Petition.objects.get()
    # 12345 (Anhui practice): an order that is not an enquiry is done in 10 working days.
    assert first.json()["due_on"] == add_working_days(petition.received_on, 10).isoformat()
    assert petition.number == first.json()["number"] and petition.channel == "hotline" and petition.body_id == TOWNSHIP_A
    # The first delivery is the order: a repeat changes nothing in it.
    assert petition.matter == "来电反映申请低保两个月无人答复"
    assert petition.hotline_due == rules.hotline_deadline(petition.received_on, False)
    assert PetitionProcess.objects.count() == 1


def test_a_work_order_for_a_body_outside_the_callers_regions_is_refused(client, world):
    response = post_order(client, world["po_county"], body_code=OTHER_COUNTY)
    assert response.status_code == 400
    assert "不在您的辖区内" in "".join(response.json()["body_code"])
    nothing_registered()


def test_a_caller_without_the_register_permission_cannot_send_orders(client, world):
    assert not world["caseworker"].has_perm("petitions.register_petition")
    response = post_order(client, world["caseworker"])
    assert response.status_code == 403 and "没有通过接口派发12345工单的权限" in response.json()["detail"]
    nothing_registered()


@pytest.mark.parametrize("matter, message", [(None, "必填"), ("", "不能为空"), ("   ", "不能为空")], ids=["missing", "empty", "blank"])
def test_a_work_order_without_a_matter_is_refused(client, world, matter, message):
    body = work_order(matter=matter)
    if matter is None:
        del body["matter"]
    token = Token.objects.get_or_create(user=world["po_county"])[0]
    response = client.post(API, body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 400 and message in "".join(response.json()["matter"])
    nothing_registered()


def test_a_work_order_whose_id_number_fails_its_checksum_is_refused(client, world):
    bad = wrong_checksum(make_id(date(1961, 4, 2)))
    response = post_order(client, world["po_county"], petitioner_id_number=bad)
    assert response.status_code == 400 and "校验码错误" in "".join(response.json()["petitioner_id_number"])
    nothing_registered()


# --- Registration at the window and online ---------------------------------------------------


def test_a_petition_without_a_matter_is_refused_at_the_window(client, world):
    client.force_login(world["po_a"])
    for matter in ("", "   "):
        response = client.post(PetitionFlow.register.reverse("execute"), register_form(matter=matter))
        assert response.status_code == 200 and "请填写反映的事项" in page(response)
    nothing_registered()


def test_an_id_number_failing_its_checksum_is_refused_at_the_window(client, world):
    client.force_login(world["po_a"])
    bad = wrong_checksum(make_id(date(1968, 3, 9), male=False))
    response = client.post(PetitionFlow.register.reverse("execute"), register_form(petitioner_id_number=bad))
    assert response.status_code == 200 and "公民身份号码校验码错误" in page(response)
    nothing_registered()


def test_an_id_number_failing_its_checksum_is_refused_online(client, world):
    bad = wrong_checksum(make_id(date(1959, 7, 1), male=False))
    response = client.post(ONLINE, online_form(petitioner_id_number=bad))
    assert response.status_code == 200 and "公民身份号码校验码错误" in page(response)
    nothing_registered()


def test_a_pdf_whose_bytes_are_a_png_is_refused_at_the_window_naming_the_file(client, world):
    client.force_login(world["po_a"])
    fake = SimpleUploadedFile("收入证明.pdf", png_bytes(), content_type="application/pdf")
    response = client.post(PetitionFlow.register.reverse("execute"), register_form(attachments=fake))
    assert response.status_code == 200
    assert "收入证明.pdf" in page(response) and "与文件名不符" in page(response)
    nothing_registered()


def test_a_pdf_whose_bytes_are_a_png_is_refused_online_naming_the_file(client, world):
    fake = SimpleUploadedFile("病历.pdf", png_bytes(), content_type="application/pdf")
    response = client.post(ONLINE, online_form(attachments=fake))
    assert response.status_code == 200 and "病历.pdf" in page(response) and "与文件名不符" in page(response)
    nothing_registered()


def test_a_real_pdf_is_accepted_and_stored(client, world):
    data = pdf_bytes()
    response = client.post(ONLINE, online_form(attachments=SimpleUploadedFile("病历.pdf", data, content_type="application/pdf")))
    assert response.status_code == 200
    petition = Petition.objects.get()
    assert petition.number in page(response)
    attachment = petition.attachments.get()
    assert (attachment.name, attachment.content_type, attachment.size) == ("病历.pdf", "application/pdf", len(data))
    with attachment.file.open("rb") as stored:
        assert stored.read() == data


def test_a_group_visit_with_six_representatives_is_refused(client, world):
    client.force_login(world["po_a"])
    six = "\n".join(["张一", "张二", "张三", "张四", "张五", "张六"])
    form = register_form(channel="group_visit", group_size="12", representatives=six)
    response = client.post(PetitionFlow.register.reverse("execute"), form)
    text = page(response)
    # Art 20: at most 5 representatives.
    assert response.status_code == 200 and "不超过5名代表" in text and "第二十条" in text
    nothing_registered()
    # Five are accepted.
    form["representatives"] = "\n".join(six.splitlines()[:5])
    assert client.post(PetitionFlow.register.reverse("execute"), form).status_code == 302
    assert Petition.objects.get().representatives == ["张一", "张二", "张三", "张四", "张五"]


# --- Handling: the extension, the risk assessment ------------------------------------------


def test_an_extension_of_31_days_is_refused_and_30_goes_to_the_head(client, world):
    process = accepted(client, world)
    petition = process.petition
    due = petition.handling_due
    response = do(client, process, PetitionFlow.handle, {"risk": "none", "extension_days": "31", "extension_reason": "需调取银行流水，等待县医保局回函"})
    # Art 34: one extension of at most 30 日.
    assert response.status_code == 200 and "30日" in page(response)
    petition.refresh_from_db()
    assert petition.extension_requested == 0 and petition.extension_days == 0 and petition.handling_due == due
    assert not process.task_set.filter(flow_task=PetitionFlow.approve_extension).exists()

    reason = "需调取银行流水，等待县医保局回函"
    assert do(client, process, PetitionFlow.handle, {"risk": "none", "extension_days": "30", "extension_reason": reason}).status_code == 302
    petition.refresh_from_db()
    # Asked, not granted: the period changes only once the head approves.
    assert petition.extension_requested == 30 and petition.extension_days == 0 and petition.handling_due == due
    assert open_task(process, PetitionFlow.approve_extension)
    assert not Notice.objects.filter(kind="petition_extension").exists()

    client.force_login(world["principal"])
    assert do(client, process, PetitionFlow.approve_extension, {"decision": "yes", "comment": ""}).status_code == 302
    petition.refresh_from_db()
    new_due = rules.handling_deadline(petition.accepted_on, 30)
    assert petition.extension_days == 30 and petition.handling_due == new_due
    assert PetitionProcess.objects.get(pk=process.pk).due_date == new_due
    notice = Notice.objects.get(kind="petition_extension")
    text = flat(pdf_text(notice.pdf))
    # The reason is told to the petitioner (art 34).
    assert "30日" in text and cn(new_due) in text and reason in text
    # Back to handling, on the new period.
    assert open_task(process, PetitionFlow.handle)


def test_a_second_extension_is_refused(client, world):
    process = accepted(client, world)
    reason = "需调取银行流水"
    assert do(client, process, PetitionFlow.handle, {"risk": "none", "extension_days": "20", "extension_reason": reason}).status_code == 302
    client.force_login(world["principal"])
    assert do(client, process, PetitionFlow.approve_extension, {"decision": "yes", "comment": ""}).status_code == 302
    client.force_login(world["po_a"])
    response = do(client, process, PetitionFlow.handle, {"risk": "none", "extension_days": "10", "extension_reason": "仍在等待回函"})
    assert response.status_code == 200 and "只能延长一次" in page(response)
    petition = Petition.objects.get()
    assert petition.extension_days == 20 and petition.extension_requested == 0
    assert petition.handling_due == rules.handling_deadline(petition.accepted_on, 20)
    assert not process.task_set.filter(flow_task=PetitionFlow.approve_extension).exclude(status="DONE").exists()


def test_a_high_risk_without_a_handoff_is_refused_and_with_one_is_followed_up(client, world):
    process = accepted(client, world)
    response = do(client, process, PetitionFlow.handle, handle_data(risk="high", risk_note="多次表示“活着没意思”"))
    assert response.status_code == 200 and "请填写移交部门" in page(response)
    petition = Petition.objects.get()
    assert petition.risk == "" and petition.state == "accepted" and not petition.handoff_to
    assert not process.task_set.filter(flow_task=PetitionFlow.sign).exists()

    today = timezone.localdate()
    handoff = {"handoff_to": "水湖镇综治中心", "handoff_contact": "刘主任 13700001111", "handoff_on": today.isoformat()}
    assert do(client, process, PetitionFlow.handle, handle_data(risk="high", risk_note="多次表示“活着没意思”", **handoff)).status_code == 302
    assert open_task(process, PetitionFlow.sign)

    client.force_login(world["po_county"])
    risks = page(client.get("/petitions/risks/"))
    assert petition.number in risks and "水湖镇综治中心" in risks and "尚未跟进" in risks

    # A follow-up dated tomorrow is refused; nothing is recorded.
    response = client.post(f"/petitions/{petition.pk}/follow-up/", {"on": (today + timedelta(days=1)).isoformat(), "note": "已回访"}, follow=True)
    assert "跟进日期不能晚于今天" in page(response)
    petition.refresh_from_db()
    assert petition.follow_up_on is None and petition.follow_up == ""

    response = client.post(f"/petitions/{petition.pk}/follow-up/", {"on": today.isoformat(), "note": "已电话回访，情绪稳定"})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.follow_up_on == today and petition.follow_up == "已电话回访，情绪稳定"
    risks = page(client.get("/petitions/risks/"))
    assert "已电话回访，情绪稳定" in risks and "尚未跟进" not in risks


# --- 复查 asked late -------------------------------------------------------------------------


def replied(client, world):
    process = accepted(client, world)
    assert do(client, process, PetitionFlow.handle, handle_data()).status_code == 302
    client.force_login(world["principal"])
    assert do(client, process, PetitionFlow.sign, {"decision": "yes", "comment": ""}).status_code == 302
    return Petition.objects.get()


def ask_recheck(petition, world, received: date, requested: date):
    return services.request_review(
        PetitionReviewProcess(flow_class=PetitionReviewFlow),
        petition,
        reply_received_on=received,
        requested_on=requested,
        request="认为收入核算仍有误",
        user=world["po_county"],
        today=timezone.localdate(),
    )


def test_a_recheck_asked_after_its_deadline_is_refused_by_the_service(client, world):
    petition = replied(client, world)
    today = timezone.localdate()
    received = today - timedelta(days=45)
    Petition.objects.filter(pk=petition.pk).update(replied_on=received - timedelta(days=3))
    with pytest.raises(ValidationError) as refused:
        ask_recheck(petition, world, received, today)
    # Art 35: within 30 日 of receiving the reply, counted from the next day.
    message = "".join(refused.value.message_dict["requested_on"])
    assert cn(rules.period_end(received, 30)) in message and "届满" in message and "第三十五条" in message
    assert not PetitionReview.objects.exists()


def test_a_recheck_asked_on_the_thirtieth_day_is_accepted(client, world):
    petition = replied(client, world)
    today = timezone.localdate()
    received = today - timedelta(days=30)
    Petition.objects.filter(pk=petition.pk).update(replied_on=received)
    # "30日以内" includes day 30 (民法典 art 201: counted from the day after receipt).
    review = ask_recheck(petition, world, received, today)
    assert review.level == "recheck" and review.body_id == COUNTY


# --- 12345 call-back --------------------------------------------------------------------------


def hotline_replied(client, world, received: date):
    process = receive(channel="hotline", work_order="AH12345-20260105-000777", received_on=received)
    client.force_login(world["po_a"])
    assert do(client, process, PetitionFlow.route, {"decision": "accept"}).status_code == 302
    assert do(client, process, PetitionFlow.handle, handle_data(basis="")).status_code == 302
    client.force_login(world["principal"])
    assert do(client, process, PetitionFlow.sign, {"decision": "yes", "comment": ""}).status_code == 302
    assert Petition.objects.get().state == "replied"
    client.force_login(world["po_a"])
    return process


def test_an_unsatisfied_well_founded_caller_sends_the_order_back_on_a_new_clock(client, world):
    today = timezone.localdate()
    received = today - timedelta(days=20)
    process = hotline_replied(client, world, received)
    first_due = Petition.objects.get().hotline_due
    assert first_due == add_working_days(received, 10)
    data = {"satisfaction": "unsatisfied", "well_founded": "on", "note": "来电人称至今未见答复材料"}
    assert do(client, process, PetitionFlow.callback, data).status_code == 302
    petition = Petition.objects.get()
    # Unsatisfied and well founded: redone, in 10 working days from the call-back.
    assert petition.state == "accepted" and petition.redo_count == 1
    assert petition.hotline_due == rules.hotline_deadline(today, False) == add_working_days(today, 10) != first_due
    assert PetitionProcess.objects.get(pk=process.pk).due_date == petition.hotline_due
    assert open_task(process, PetitionFlow.handle)


def test_a_satisfied_caller_closes_the_order(client, world):
    today = timezone.localdate()
    process = hotline_replied(client, world, today - timedelta(days=5))
    assert do(client, process, PetitionFlow.callback, {"satisfaction": "satisfied", "note": "来电人表示满意"}).status_code == 302
    petition = Petition.objects.get()
    assert petition.state == "closed" and petition.closed_on == today and petition.redo_count == 0
    assert PetitionProcess.objects.get(pk=process.pk).status == "DONE"


# --- The online form and the status page ------------------------------------------------------


def test_the_sixth_online_submission_within_an_hour_is_refused(client, world):
    for _ in range(5):
        assert client.post(ONLINE, online_form()).status_code == 200
    assert Petition.objects.count() == 5
    response = client.post(ONLINE, online_form())
    assert response.status_code == 429 and "提交次数过多" in page(response)
    assert Petition.objects.count() == 5
    # Another address is not held back.
    assert client.post(ONLINE, online_form(), REMOTE_ADDR="10.1.2.3").status_code == 200
    assert Petition.objects.count() == 6


def strip_volatile(html: str, *values: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    for value in values:
        html = html.replace(value, "")
    return html


def test_the_status_page_opens_with_number_and_code_only(client, world):
    assert client.post(ONLINE, online_form()).status_code == 200
    petition = Petition.objects.get()
    response = client.post(STATUS, {"number": petition.number, "code": petition.access_code})
    assert response.status_code == 200 and "待受理" in page(response)

    # Handled and answered by the county: the state and the signed opinion are there.
    process = petition.petitionprocess
    client.force_login(world["po_county"])
    assert do(client, process, PetitionFlow.route, {"decision": "accept"}).status_code == 302
    assert do(client, process, PetitionFlow.handle, handle_data()).status_code == 302
    client.force_login(world["head"])
    assert do(client, process, PetitionFlow.sign, {"decision": "yes", "comment": ""}).status_code == 302
    client.logout()
    petition.refresh_from_db()
    response = client.post(STATUS, {"number": petition.number, "code": petition.access_code.lower()})
    text = page(response)
    assert response.status_code == 200 and "已答复" in text and petition.opinion_notice.number in text

    # A wrong code: the very page an unknown number gets.
    wrong_code = "ZZZZ9999" if petition.access_code != "ZZZZ9999" else "YYYY9999"
    wrong = client.post(STATUS, {"number": petition.number, "code": wrong_code})
    unknown_number = "XF340121" + "9" * 11
    unknown = client.post(STATUS, {"number": unknown_number, "code": wrong_code})
    assert wrong.status_code == unknown.status_code == 200
    assert "文号或查询码不正确" in page(wrong)
    assert "已答复" not in page(wrong) and petition.opinion_notice.number not in page(wrong)
    assert strip_volatile(page(wrong), petition.number) == strip_volatile(page(unknown), unknown_number)


def test_repeated_wrong_codes_end_in_429(client, world, settings):
    assert client.post(ONLINE, online_form()).status_code == 200
    petition = Petition.objects.get()
    limit = getattr(settings, "NOTICE_DOWNLOAD_MAX_TRIES", 5)
    wrong_code = "ZZZZ9999" if petition.access_code != "ZZZZ9999" else "YYYY9999"
    for _ in range(limit):
        assert client.post(STATUS, {"number": petition.number, "code": wrong_code}).status_code == 200
    response = client.post(STATUS, {"number": petition.number, "code": wrong_code})
    assert response.status_code == 429 and "尝试次数过多" in page(response)


# --- Objection to a forwarded petition ------------------------------------------------------


def test_an_objection_after_five_working_days_is_refused_naming_the_date(client, world):
    today = timezone.localdate()
    received = today - timedelta(days=15)
    process = receive(channel="forwarded", forwarded_by="长丰县人民政府信访局", received_on=received)
    deadline = add_working_days(received, 5)
    assert deadline < today
    client.force_login(world["po_a"])
    response = do(client, process, PetitionFlow.route, {"decision": "object", "reason": "所反映事项属县医保局职责"})
    text = page(response)
    # Art 23 ¶3: objected to within 5 个工作日.
    assert response.status_code == 200 and cn(deadline) in text and "届满" in text
    petition = Petition.objects.get()
    assert petition.state == "registered" and petition.route == ""
    assert not Notice.objects.exists()
    assert open_task(process, PetitionFlow.route)


def test_an_objection_within_five_working_days_is_recorded(client, world):
    process = receive(channel="forwarded", forwarded_by="长丰县人民政府信访局")
    client.force_login(world["po_a"])
    assert do(client, process, PetitionFlow.route, {"decision": "object", "reason": "所反映事项属县医保局职责"}).status_code == 302
    assert Petition.objects.get().state == "objected"


# --- The repeat ledger ------------------------------------------------------------------------


def test_the_third_petition_by_the_same_person_within_180_days_is_a_repeat(client, world):
    today = timezone.localdate()
    id_number = make_id(date(1968, 3, 9), male=False)
    first = receive(petitioner_id_number=id_number, received_on=today - timedelta(days=170)).petition
    second = receive(petitioner_id_number=id_number, received_on=today - timedelta(days=60), category="payment").petition
    third = receive(petitioner_id_number=id_number, received_on=today, category="relief").petition
    assert (first.repeat, second.repeat, third.repeat) == (False, False, True)
    assert third.earlier_in_window == 2
    client.force_login(world["po_county"])
    repeats = page(client.get("/petitions/repeats/"))
    assert third.number in repeats and second.number not in repeats and first.number not in repeats


def test_a_petition_older_than_180_days_does_not_count(client, world):
    today = timezone.localdate()
    id_number = make_id(date(1968, 3, 9), male=False)
    receive(petitioner_id_number=id_number, received_on=today - timedelta(days=181))
    receive(petitioner_id_number=id_number, received_on=today - timedelta(days=60))
    third = receive(petitioner_id_number=id_number, received_on=today).petition
    assert third.repeat is False and third.earlier_in_window == 1
