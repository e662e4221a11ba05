"""Sending: once per key under Celery retries, channels as the user prefers."""

import json
import threading
from datetime import datetime, time
from http.server import BaseHTTPRequestHandler, HTTPServer
from zoneinfo import ZoneInfo

import pytest

from notifications import sms
from notifications.models import ChannelPreference, Delivery, Notification
from notifications.services import notify, send_message
from notifications.tasks import deliver
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


class RecordingSms(sms.SmsBackend):
    sent: list = []
    failures_left = 0

    def send(self, phone, text, key=""):
        if RecordingSms.failures_left:
            RecordingSms.failures_left -= 1
            raise sms.SmsError("网关超时")
        RecordingSms.sent.append((phone, text))


@pytest.fixture
def sms_outbox(settings):
    settings.SMS_BACKEND = "tests.notifications.test_delivery.RecordingSms"
    RecordingSms.sent, RecordingSms.failures_left = [], 0
    return RecordingSms.sent


def assign_context(title="审核变更"):
    return {"task_title": title, "process_title": "家庭信息变更", "summary": "赵大 家庭信息变更", "due_date": None}


def test_notify_creates_in_app_and_email_once_per_key(alice, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(alice, "task_assigned", assign_context("A&B <审核>"), "/workflow/x/", key="task_assigned:1")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = notify(alice, "task_assigned", assign_context("A&B <审核>"), "/workflow/x/", key="task_assigned:1")
    assert again.pk == first.pk and callbacks == []
    assert Notification.objects.count() == 1
    assert first.title == "新任务：A&B <审核>"  # plain text, not HTML-escaped
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["alice@example.cn"] and mail.subject == "新任务：A&B <审核>"
    assert "请及时办理" in mail.body and mail.body.rstrip().endswith("/workflow/x/")


def test_retry_after_successful_send_sends_nothing(alice, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(alice, "task_assigned", assign_context(), key="k")
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.SENT, 1)
    # the worker died after the send committed but before acking: the broker redelivers
    assert deliver.apply(args=[delivery.pk]).get() == "skipped"
    assert deliver.apply(args=[delivery.pk]).get() == "skipped"
    assert len(mailoutbox) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_failing_sms_is_retried_with_attempts_and_error_recorded(alice, settings, sms_outbox, django_capture_on_commit_callbacks):
    ChannelPreference.objects.create(user=alice, email=False, sms=True, phone="13800000001")
    RecordingSms.failures_left = 2
    with django_capture_on_commit_callbacks(execute=True):
        notify(alice, "task_assigned", assign_context(), key="k")
    delivery = Delivery.objects.get()
    # eager Celery runs the autoretries at once: two failures, then one success
    assert (delivery.channel, delivery.status, delivery.attempts) == (Delivery.SMS, Delivery.SENT, 3)
    assert delivery.last_error == ""
    assert sms_outbox == [("13800000001", "【皖救助】新任务：审核变更：" + Notification.objects.get().body)]


def test_sms_that_keeps_failing_ends_failed_and_a_later_run_sends_once(alice, settings, sms_outbox, django_capture_on_commit_callbacks):
    ChannelPreference.objects.create(user=alice, email=False, sms=True, phone="13800000001")
    RecordingSms.failures_left = 100
    with django_capture_on_commit_callbacks(execute=True):
        notify(alice, "task_assigned", assign_context(), key="k")
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.FAILED, 6)  # first try + 5 retries
    assert "SmsError: 网关超时" in delivery.last_error
    assert sms_outbox == []

    RecordingSms.failures_left = 0  # the gateway is back; an operator re-queues the delivery
    deliver.apply(args=[delivery.pk])
    deliver.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Delivery.SENT, 7, "")
    assert len(sms_outbox) == 1


def test_default_preference_is_email_only(alice, sms_outbox, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(alice, "task_assigned", assign_context(), key="k")
    assert len(mailoutbox) == 1 and sms_outbox == []
    assert list(Delivery.objects.values_list("channel", flat=True)) == [Delivery.EMAIL]


def test_preference_sms_only(alice, sms_outbox, mailoutbox, django_capture_on_commit_callbacks):
    ChannelPreference.objects.create(user=alice, email=False, sms=True, phone="13800000001")
    with django_capture_on_commit_callbacks(execute=True):
        notify(alice, "task_assigned", assign_context(), key="k")
    assert mailoutbox == [] and len(sms_outbox) == 1
    assert Notification.objects.filter(user=alice).count() == 1  # in-app is always on


def test_no_channel_without_address(bob, sms_outbox, mailoutbox, django_capture_on_commit_callbacks):
    ChannelPreference.objects.create(user=bob, email=True, sms=True, phone="")
    with django_capture_on_commit_callbacks(execute=True):
        notify(bob, "task_assigned", assign_context(), key="k")
    assert mailoutbox == [] and sms_outbox == [] and not Delivery.objects.exists()
    assert Notification.objects.filter(user=bob).count() == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(alice, mailoutbox, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(alice, "task_assigned", assign_context(), key="k")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and mailoutbox == [] and not Notification.objects.exists()


def test_standalone_sms_to_a_citizen(sms_outbox, django_capture_on_commit_callbacks):
    context = {
        "notice_title": "批准决定书",
        "addressee": "赵大",
        "document_number": "皖长民救字〔2026〕12号",
        "access_code": "483920",
        "issuer": "长丰县民政局",
    }
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            send_message(Delivery.SMS, "13900000002", "notice_issued", context, key="notice:12:sms")
    assert len(sms_outbox) == 1
    phone, text = sms_outbox[0]
    assert phone == "13900000002"
    assert text == "【皖救助】赵大：您的批准决定书（皖长民救字〔2026〕12号）已出具。可凭文号和查询码 483920 在线查看下载。如有疑问请联系长丰县民政局。"


@pytest.mark.parametrize(
    "now, start, end, until",
    [
        (datetime(2026, 9, 30, 23, 0), time(22), time(7), datetime(2026, 10, 1, 7, 0)),
        (datetime(2026, 9, 30, 6, 0), time(22), time(7), datetime(2026, 9, 30, 7, 0)),
        (datetime(2026, 9, 30, 12, 0), time(22), time(7), None),
        (datetime(2026, 9, 30, 12, 30), time(12), time(14), datetime(2026, 9, 30, 14, 0)),
        (datetime(2026, 9, 30, 14, 0), time(12), time(14), None),
        (datetime(2026, 9, 30, 23, 0), None, None, None),
    ],
)
def test_quiet_hours(now, start, end, until):
    pref = ChannelPreference(quiet_start=start, quiet_end=end)
    expected = until.replace(tzinfo=SHANGHAI) if until else None
    assert pref.quiet_until(now.replace(tzinfo=SHANGHAI)) == expected


@pytest.fixture
def gateway():
    """A local HTTP SMS gateway answering with the status in ``gateway.status``."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), json.loads(body)))
            self.send_response(server.status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    server.status, server.received = 200, received
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_http_sms_backend_posts_json_and_raises_on_error(settings, gateway):
    settings.SMS_BACKEND = "notifications.sms.HttpSmsBackend"
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{gateway.server_port}/send"
    settings.SMS_HTTP_TOKEN = "t0ken"
    backend = sms.get_backend()
    backend.send("13800000001", "【皖救助】测试", key="k1")
    headers, payload = gateway.received[0]
    assert payload == {"phone": "13800000001", "text": "【皖救助】测试", "key": "k1"}
    assert headers["Authorization"] == "Bearer t0ken" and headers["Idempotency-Key"] == "k1"
    gateway.status = 503
    with pytest.raises(sms.SmsError, match="503"):
        backend.send("13800000001", "【皖救助】测试", key="k2")


def test_notify_many_bulk_creates_once_per_user_and_key(alice, bob, sms_outbox, mailoutbox, django_capture_on_commit_callbacks, django_assert_num_queries):
    from notifications.services import notify_many

    ChannelPreference.objects.create(user=bob, email=False, sms=True, phone="13900000001")
    # notifications, preferences and deliveries, in a savepoint: the same for any number of users
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(5):
        notify_many([alice, bob, alice], "task_assigned", assign_context(), "/workflow/t/1/", key="task_assigned:1")
    assert sorted(Notification.objects.values_list("idempotency_key", flat=True)) == sorted([f"{alice.pk}:task_assigned:1", f"{bob.pk}:task_assigned:1"])
    assert [m.to for m in mailoutbox] == [["alice@example.cn"]]
    assert [phone for phone, _ in sms_outbox] == ["13900000001"]
    # a repeat (one user already has it, one is new) adds only the new user's and sends nothing twice
    carol = make_user("carol")
    with django_capture_on_commit_callbacks(execute=True):
        notify_many([alice, bob, carol], "task_assigned", assign_context(), "/workflow/t/1/", key="task_assigned:1")
    assert Notification.objects.count() == 3 and Delivery.objects.count() == 2
    assert len(mailoutbox) == 1 and len(sms_outbox) == 1
