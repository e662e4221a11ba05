"""The SMS gateway interface. Which backend is used is a setting (``SMS_BACKEND``, a dotted
path), so production can point at the province's SMS platform without code changes."""

import json
import logging
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway did not accept the message."""


class SmsBackend:
    def send(self, phone: str, text: str, key: str = "") -> None:
        """Send ``text`` to ``phone``; raise on failure. ``key`` is the delivery's idempotency
        key, for gateways that can drop duplicates themselves."""
        raise NotImplementedError


class LoggingSmsBackend(SmsBackend):
    """Development default: nothing leaves the machine, the message is only logged."""

    def send(self, phone, text, key=""):
        logger.warning("短信（未实际发送）→ %s：%s", phone, text)


class HttpSmsBackend(SmsBackend):
    """POSTs ``{"phone", "text", "key"}`` as JSON to ``SMS_HTTP_URL`` with a bearer token."""

    def send(self, phone, text, key=""):
        url = settings.SMS_HTTP_URL
        if not url:
            raise SmsError("未配置 SMS_HTTP_URL")
        request = urllib.request.Request(
            url,
            data=json.dumps({"phone": phone, "text": text, "key": key}, ensure_ascii=False).encode(),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {settings.SMS_HTTP_TOKEN}",
                # lets the gateway drop a resend after a crash between its reply and our commit
                "Idempotency-Key": key,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_HTTP_TIMEOUT) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            raise SmsError(f"短信网关返回 HTTP {exc.code}") from exc
        if not 200 <= status < 300:
            raise SmsError(f"短信网关返回 HTTP {status}")


def get_backend() -> SmsBackend:
    # Looked up on every send so that a changed setting (or a test override) takes effect.
    return import_string(settings.SMS_BACKEND)()
