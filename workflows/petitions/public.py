"""The citizen's side, without an account (信访工作条例 art 21: the petitioner can file online,
query the handling and read every notice sent to them).

The online form is rate-limited per client address; the status page takes the number and the
查询码 with the same limits and the same answer for a wrong number as for a wrong code as the
notice download (documents.citizen)."""

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from documents.citizen import WRONG_PAIR, count_wrong_pair, normalise_code, wait_seconds
from documents.models import NoticeState
from forms.petitions import OnlineForm, StatusForm
from workflows.core.services import audit
from workflows.core.shared_cache import shared_cache

from . import notices
from .flows import PetitionFlow
from .models import Petition

ONLINE_WINDOW_SECONDS = 60 * 60


def _online_limit() -> int:
    return getattr(settings, "PETITION_ONLINE_MAX_PER_HOUR", 5)


def _online_key(request) -> str:
    return f"petition-online:{request.META.get('REMOTE_ADDR', '')}"


def _too_many(request) -> bool:
    return shared_cache.get(_online_key(request), 0) >= _online_limit()


def _count_submission(request) -> None:
    key = _online_key(request)
    if shared_cache.add(key, 1, ONLINE_WINDOW_SECONDS):
        return
    try:
        shared_cache.incr(key)
    except ValueError:
        shared_cache.set(key, 1, ONLINE_WINDOW_SECONDS)


@never_cache
@require_http_methods(["GET", "POST"])
def online(request):
    """网上信访: name, ID number, phone, the matter, attachments → a number and a 查询码."""
    if request.method == "GET":
        return render(request, "petitions/online.html", {"form": OnlineForm()})
    form = OnlineForm(request.POST, request.FILES)
    if _too_many(request):
        return render(request, "petitions/online.html", {"form": form, "error": "提交次数过多，请一小时后再试，或拨打12345热线反映"}, status=429)
    if not form.is_valid():
        return render(request, "petitions/online.html", {"form": form})
    data = form.cleaned_data
    try:
        process = PetitionFlow.receive.run(
            body=data["county"],
            channel="online",
            kind=data["kind"],
            category=data["category"],
            matter=data["matter"],
            request=data["request"],
            received_on=timezone.localdate(),
            petitioner_name=data["petitioner_name"],
            petitioner_id_number=data["petitioner_id_number"],
            petitioner_phone=data["petitioner_phone"],
            petitioner_address=data["petitioner_address"],
            attachments=data["attachments"],
        )
    except ValidationError as error:
        for field, messages in (error.message_dict if hasattr(error, "error_dict") else {None: error.messages}).items():
            form.add_error(field if field in form.fields else None, messages)
        return render(request, "petitions/online.html", {"form": form})
    _count_submission(request)
    petition = process.petition
    return render(request, "petitions/online_done.html", {"petition": petition})


@never_cache
@require_http_methods(["GET", "POST"])
def status(request):
    """The petitioner's view of the handling: the state, the dates, every notice sent."""
    if request.method == "GET":
        return render(request, "petitions/status.html", {"form": StatusForm()})
    form = StatusForm(request.POST)
    if not form.is_valid():
        return render(request, "petitions/status.html", {"form": form})
    number, code = form.cleaned_data["number"].strip().upper(), normalise_code(form.cleaned_data["code"])
    wait = wait_seconds(request)
    if wait:
        return render(request, "petitions/status.html", {"form": form, "error": f"尝试次数过多，请 {math.ceil(wait / 60)} 分钟后再试"}, status=429)
    petition = Petition.objects.filter(number=number).select_related("body").first()
    if petition is None or not petition.check_access_code(code):
        count_wrong_pair(request, number)
        return render(request, "petitions/status.html", {"form": form, "error": WRONG_PAIR})
    sent = [n for n in notices.of_petition(petition) if n.state != NoticeState.RENDERED and n.pdf]
    audit(None, "citizen_status", "petition", petition.pk, petition.region_code, f"IP {request.META.get('REMOTE_ADDR', '')}")
    return render(request, "petitions/status_result.html", {"petition": petition, "notices": sent, "reviews": petition.reviews.all()})
