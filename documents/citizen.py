"""Citizen download of a notice by 文号 and 查询码, without an account (DESIGN §4.7).

A wrong code and an unknown number get the same page, status and amount of work, so that
the page does not tell whether a number exists. Failures are counted per client address and
per number in the cache; past the limit the code is not even checked until the window ends.
"""

import hashlib
import hmac
import math
import time

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from workflows.core.models import AuditLog

from .models import Notice, NoticeState

WINDOW_SECONDS = 15 * 60
WRONG_PAIR = "文号或查询码不正确"
# Compared against when there is no code to compare with, so every attempt costs the same.
DECOY_CODE = b"********"
# Citizens type the 〔〕 of a 文号 with whatever brackets their keyboard has.
BRACKETS = str.maketrans("[]【】［］", "〔〕〔〕〔〕")


class DownloadForm(forms.Form):
    number = forms.CharField(label="文号", max_length=40, widget=forms.TextInput(attrs={"placeholder": "如：皖长民救决字〔2026〕12号", "autocomplete": "off"}))
    code = forms.CharField(label="查询码", max_length=16, widget=forms.TextInput(attrs={"placeholder": "文书上印的 8 位查询码", "autocomplete": "off", "autocapitalize": "characters"}))

    def clean_number(self):
        return self.cleaned_data["number"].strip().translate(BRACKETS)


def _limit() -> int:
    return getattr(settings, "NOTICE_DOWNLOAD_MAX_TRIES", 5)


def _client_ip(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is written by the client. Behind a reverse proxy the
    # proxy (or a middleware trusting only it) must set REMOTE_ADDR.
    return request.META.get("REMOTE_ADDR", "")


def _counter_keys(request, number: str) -> list[str]:
    # Hashed: cache keys must be short ASCII, and a number is personal enough not to store.
    digest = hashlib.sha256(number.encode()).hexdigest()[:32]
    return [f"notice-dl:ip:{_client_ip(request)}", f"notice-dl:no:{digest}"]


def _seconds_to_wait(keys: list[str]) -> float:
    """Until the window of a counter that reached the limit ends; 0 when none has."""
    now, wait = time.time(), 0.0
    for key in keys:
        started = cache.get(f"{key}:since")
        # The window is checked here too, not only by cache expiry, so it ends on time with
        # any cache backend.
        if started is not None and now < started + WINDOW_SECONDS and cache.get(key, 0) >= _limit():
            wait = max(wait, started + WINDOW_SECONDS - now)
    return wait


def _count_failure(keys: list[str]) -> None:
    now = time.time()
    for key in keys:
        started = cache.get(f"{key}:since")
        if started is None or now >= started + WINDOW_SECONDS:
            cache.set_many({f"{key}:since": now, key: 0}, WINDOW_SECONDS)
        try:
            cache.incr(key)  # atomic: concurrent failures all count
        except ValueError:  # expired between the two calls
            cache.set(key, 1, WINDOW_SECONDS)


def _find(number: str, code: str) -> Notice | None:
    """The notice this pair opens, or None; the same work whether or not the number exists."""
    notice = Notice.objects.filter(number=number).exclude(state=NoticeState.RENDERED).exclude(pdf="").select_related("issuer").first()
    if notice is None or not notice.kind_info.citizen:
        hmac.compare_digest(DECOY_CODE, code.strip().upper().encode())
        return None
    return notice if notice.check_access_code(code) else None


def _form_page(request, form, error="", status=200):
    return render(request, "documents/citizen_download.html", {"form": form, "error": error}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def download(request):
    if request.method == "GET":
        return _form_page(request, DownloadForm())
    form = DownloadForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form)
    number, code = form.cleaned_data["number"], form.cleaned_data["code"]
    keys = _counter_keys(request, number)
    wait = _seconds_to_wait(keys)
    if wait:
        return _form_page(request, DownloadForm(), f"尝试次数过多，请 {math.ceil(wait / 60)} 分钟后再试", status=429)
    notice = _find(number, code)
    if notice is None:
        _count_failure(keys)
        # A blank form: nothing on the page depends on what was typed or on what exists.
        return _form_page(request, DownloadForm(), WRONG_PAIR)
    AuditLog.objects.create(user=None, action="citizen_download", object_type="notice", object_id=str(notice.pk), region_code=notice.region_code, detail=f"IP {_client_ip(request)}")
    return FileResponse(notice.pdf.open("rb"), as_attachment=True, filename=f"{notice.title}-{notice.number}.pdf", content_type="application/pdf")
