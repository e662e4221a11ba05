"""Citizen download of a notice by 文号 and 查询码, without an account (DESIGN §4.7).

A wrong code and an unknown number get the same page, status and amount of work, so that
the page does not tell whether a number exists. Failures are counted in the cache per client
address (past the limit that client waits until the window ends) and per number. 文号 run in
sequence, so anyone can name a real one: the per-number count must never lock the addressee
out. It only makes guessing at that number costlier: once it passes its (higher) limit, one
more failure from any address makes that address wait. The right code always opens the notice
unless the client itself must wait.
"""

import hashlib
import hmac
import logging
import math
import re
import time
import unicodedata

from django import forms
from django.conf import settings
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from workflows.core.services import audit
from workflows.core.shared_cache import shared_cache

from .models import Notice, NoticeState

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 15 * 60
WRONG_PAIR = "文号或查询码不正确"
# Only said to someone who typed the right code: the notice is theirs, its leader has not
# signed it yet. A draft is no document (no 签发人, no signature, replaced when signed), so
# it is not handed out; what the citizen downloads is the signed notice the paper promises.
NOT_YET_SIGNED = "该文书正在签发，签发后即可凭同一文号和查询码下载；如需帮助，请联系出具文书的乡镇（街道）社会救助窗口"
# Compared against when there is no code to compare with, so every attempt costs the same.
DECOY_CODE = b"********"
# Citizens type the 〔〕 of a 文号 with whatever brackets their keyboard has; NFKC has already
# made full-width （）［］ and digits half-width.
BRACKETS = str.maketrans("([【〖{<《)]】〗}>》", "〔〔〔〔〔〔〔〕〕〕〕〕〕〕")
SPACES = re.compile(r"\s+")


def normalise_number(typed: str) -> str:
    """皖长民救决字(2026)12号, ＂（２０２６）＂, [2026], 〔 2026 〕 all name 皖长民救决字〔2026〕12号."""
    return SPACES.sub("", unicodedata.normalize("NFKC", typed)).translate(BRACKETS)


def normalise_code(typed: str) -> str:
    return SPACES.sub("", unicodedata.normalize("NFKC", typed)).upper()


class DownloadForm(forms.Form):
    number = forms.CharField(label="文号", max_length=40, widget=forms.TextInput(attrs={"placeholder": "如：皖长民救决字〔2026〕12号", "autocomplete": "off"}))
    code = forms.CharField(
        label="查询码",
        max_length=16,
        widget=forms.TextInput(attrs={"placeholder": "文书上印的 8 位查询码", "autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_number(self):
        return normalise_number(self.cleaned_data["number"])

    def clean_code(self):
        return normalise_code(self.cleaned_data["code"])


def _limit() -> int:
    return getattr(settings, "NOTICE_DOWNLOAD_MAX_TRIES", 5)


def _number_limit() -> int:
    """Failures on one number, from any addresses, before each further failure on it makes
    the failing address wait at once."""
    return getattr(settings, "NOTICE_DOWNLOAD_MAX_NUMBER_FAILURES", 10 * _limit())


def _client_ip(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is written by the client. Behind a reverse proxy the
    # proxy (or a middleware trusting only it) must set REMOTE_ADDR.
    return request.META.get("REMOTE_ADDR", "")


def _client_key(request) -> str:
    return f"notice-dl:ip:{_client_ip(request)}"


def _number_key(number: str) -> str:
    # Hashed: cache keys must be short ASCII, and a number is personal enough not to store.
    return f"notice-dl:no:{hashlib.sha256(number.encode()).hexdigest()[:32]}"


def _count(key: str, now: float) -> int:
    """The failures counted under `key` in its current window (0 once the window ended)."""
    started = shared_cache.get(f"{key}:since")
    # The window is checked here too, not only by cache expiry, so it ends on time with any
    # cache backend.
    if started is None or now >= started + WINDOW_SECONDS:
        return 0
    return shared_cache.get(key, 0)


def _seconds_to_wait(client_key: str) -> float:
    """Until the client's window ends if it reached the limit; 0 when it has not."""
    now = time.time()
    if _count(client_key, now) < _limit():
        return 0.0
    return shared_cache.get(f"{client_key}:since") + WINDOW_SECONDS - now


def _count_failure(key: str, by: int = 1) -> int:
    now = time.time()
    started = shared_cache.get(f"{key}:since")
    if started is None or now >= started + WINDOW_SECONDS:
        shared_cache.set_many({f"{key}:since": now, key: 0}, WINDOW_SECONDS)
    try:
        return shared_cache.incr(key, by)  # atomic: concurrent failures all count
    except ValueError:  # expired between the two calls
        shared_cache.set(key, by, WINDOW_SECONDS)
        return by


def _record_failure(client_key: str, number: str) -> None:
    _count_failure(client_key)
    if _count_failure(_number_key(number)) > _number_limit():
        # Guessed at from many addresses: this address waits now. The addressee, who types
        # the right code, is not stopped by the number's count.
        _count_failure(client_key, _limit())
        logger.warning("citizen download: many wrong codes for one notice number (latest from %s)", client_key)


def wait_seconds(request) -> float:
    """How long this client must wait before its next try (0: it may try now). For every
    number-and-code page (a notice, a petition's status), with the same limits."""
    return _seconds_to_wait(_client_key(request))


def count_wrong_pair(request, number: str) -> None:
    """A wrong number or code from this client, counted as the notice download counts it."""
    _record_failure(_client_key(request), number)


def _find(number: str, code: str) -> Notice | None:
    """The notice this pair opens, or None; the same work whether or not the number exists."""
    notice = Notice.objects.filter(number=number).exclude(pdf="").select_related("issuer").first()
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
    client_key = _client_key(request)
    wait = _seconds_to_wait(client_key)
    # The form keeps what was typed (to correct a slip); the page says nothing else that
    # depends on what exists.
    if wait:
        return _form_page(request, form, f"尝试次数过多，请 {math.ceil(wait / 60)} 分钟后再试", status=429)
    notice = _find(number, code)
    if notice is None:
        _record_failure(client_key, number)
        return _form_page(request, form, WRONG_PAIR)
    if notice.state == NoticeState.RENDERED:
        return _form_page(request, form, NOT_YET_SIGNED)
    audit(None, "citizen_download", "notice", notice.pk, notice.region_code, f"IP {_client_ip(request)}")
    return FileResponse(notice.pdf.open("rb"), as_attachment=True, filename=f"{notice.title}-{notice.number}.pdf", content_type="application/pdf")
