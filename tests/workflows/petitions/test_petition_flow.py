"""A petition end to end, as its users do it (docs/policy.md "Petitions"): registered at the
township, accepted with its 受理告知书, handled with a risk assessment, signed by the township
principal with the 信访处理意见书; then 复查 at the county and 复核 at the city; after that the
same matter is answered with the 不再受理告知书."""

from datetime import timedelta

import pytest
from django.utils import timezone

from documents.models import Notice
from tests.helpers import pdf_text
from tests.workflows.application.test_application_flow import do, open_task
from workflows.petitions.flows import PetitionFlow, PetitionReviewFlow
from workflows.petitions.models import Petition, PetitionReview
from workflows.policy import petitions as rules

from .conftest import handle_data, receive

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    return "".join(text.split())


def replied(client, world):
    process = receive(household=world["household"])
    client.force_login(world["po_a"])
    assert do(client, process, PetitionFlow.route, {"decision": "accept"}).status_code == 302
    assert do(client, process, PetitionFlow.handle, handle_data()).status_code == 302
    client.force_login(world["principal"])
    assert do(client, process, PetitionFlow.sign, {"decision": "yes", "comment": ""}).status_code == 302
    return process


def test_accepted_handled_and_signed_the_petitioner_gets_both_notices(client, world):
    today = timezone.localdate()
    process = replied(client, world)
    petition = Petition.objects.get()
    assert petition.state == "replied" and petition.accepted_on == today
    assert petition.handling_due == rules.handling_deadline(today)
    acceptance = Notice.objects.get(kind="petition_acceptance")
    assert "60日" in flat(pdf_text(acceptance.pdf))
    opinion = petition.opinion_notice
    text = flat(pdf_text(opinion.pdf))
    # Art 32: the request, the facts, the legal basis and one of the three outcomes; the
    # right to 复查 within 30 日.
    assert "要求恢复低保" in text and "650元" in text and "《社会救助暂行办法》第九条" in text and "支持" in text and "30日" in text
    assert opinion.state == "signed" and opinion.signed_by == world["principal"]
    assert process.__class__.objects.get(pk=process.pk).status == "DONE"


def test_a_reply_signed_twice_gives_one_notice(world):
    from workflows.petitions import services

    process = receive()
    petition = services.route(process.petition, decision="accept", user=world["po_a"], today=timezone.localdate())
    services.record_handling(petition, **handle_data(), user=world["po_a"], today=timezone.localdate())
    for _ in range(2):
        services.sign_reply(petition, approve=True, comment="", user=world["principal"], today=timezone.localdate())
    assert Notice.objects.filter(kind="petition_opinion").count() == 1


def test_recheck_at_the_county_then_review_at_the_city_then_final(client, world):
    replied(client, world)
    petition = Petition.objects.get()
    today = timezone.localdate()
    client.force_login(world["po_county"])
    start = PetitionReviewFlow.request.reverse("execute")
    response = client.post(
        start, {"number": petition.number, "reply_received_on": today.isoformat(), "requested_on": today.isoformat(), "request": "认为收入核算仍有误"}
    )
    assert response.status_code == 302
    recheck = PetitionReview.objects.get()
    assert recheck.level == "recheck" and recheck.body_id == "340121000000" and recheck.due_on == rules.review_answer_deadline(today)
    review_process = recheck.petitionreviewprocess
    # The township's officer is not asked: the county's is.
    client.force_login(world["po_a"])
    task = open_task(review_process, PetitionReviewFlow.answer)
    assert client.post(task.flow_task.reverse("assign", args=[review_process.pk, task.pk])).status_code in (403, 404)
    client.force_login(world["po_county"])
    answer = {"outcome": "uphold", "facts": "原处理意见认定事实清楚", "basis": "《信访工作条例》第三十五条", "opinion": "维持原处理意见", "paused_days": "0"}
    assert do(client, review_process, PetitionReviewFlow.answer, answer).status_code == 302
    recheck.refresh_from_db()
    text = flat(pdf_text(recheck.notice.pdf))
    assert recheck.notice.kind == "petition_recheck_opinion" and "维持" in text and "合肥市民政局" in text

    response = client.post(start, {"number": petition.number, "reply_received_on": today.isoformat(), "requested_on": today.isoformat(), "request": "仍不服"})
    # A county officer registers the 复核 too (the petitioner asks the city through any window);
    # the city answers it.
    assert response.status_code == 302
    review = PetitionReview.objects.get(level="review")
    assert review.body_id == "340100000000"
    client.force_login(world["po_city"])
    answer["opinion"] = "维持复查意见"
    assert do(client, review.petitionreviewprocess, PetitionReviewFlow.answer, answer).status_code == 302
    review.refresh_from_db()
    petition.refresh_from_db()
    assert petition.state == "closed"
    assert "不再受理" in flat(pdf_text(review.notice.pdf))

    # No third level: a further request is refused with the article.
    client.force_login(world["po_county"])
    response = client.post(start, {"number": petition.number, "reply_received_on": today.isoformat(), "requested_on": today.isoformat(), "request": "再次请求"})
    assert response.status_code == 200 and "第三十六条" in response.content.decode()

    # The same person on the same matter again: recognised, answered with 不再受理告知书.
    again = receive(household=world["household"])
    assert again.petition.final_of == petition
    client.force_login(world["po_a"])
    assert do(client, again, PetitionFlow.route, {"decision": "final", "reason": "同一事实和理由，已经复核终结"}).status_code == 302
    again.petition.refresh_from_db()
    assert again.petition.state == "final"
    final = Notice.objects.get(kind="petition_final")
    assert petition.number in flat(pdf_text(final.pdf))


def test_a_recheck_asked_after_thirty_days_is_refused_naming_the_deadline(client, world):
    replied(client, world)
    petition = Petition.objects.get()
    received = timezone.localdate() - timedelta(days=40)
    Petition.objects.filter(pk=petition.pk).update(replied_on=received)
    deadline = rules.review_request_deadline(received)
    client.force_login(world["po_county"])
    response = client.post(
        PetitionReviewFlow.request.reverse("execute"),
        {"number": petition.number, "reply_received_on": received.isoformat(), "requested_on": timezone.localdate().isoformat(), "request": "不服"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and f"{deadline.year}年{deadline.month}月{deadline.day}日" in page and "届满" in page
    assert not PetitionReview.objects.exists()
