"""In-app notifications, per-user channel preferences and the outgoing deliveries.

The unique idempotency keys are the guarantee that nothing is sent twice: a notification is
created once per key, and a delivery row exists once per (channel, key) before anything is
sent, so a retried or duplicated Celery message finds the row already 'sent' and stops.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="接收人")
    kind = models.CharField("类型", max_length=32)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=500, blank=True)
    created = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    idempotency_key = models.CharField("幂等键", max_length=200, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "站内通知"
        ordering = ["-created", "-pk"]
        indexes = [
            # the bell's unread count and the newest-first list, each one index range
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(fields=["user", "-created"], name="notification_user_created"),
            # unread notifications by link: settle() no longer needs it (it matches kind and key)
            models.Index(fields=["link"], name="notification_unread_link", condition=models.Q(read_at__isnull=True)),
        ]

    def __str__(self):
        return self.title


class ChannelPreference(models.Model):
    """Which channels a user wants besides the in-app notification (which is always on)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preference", verbose_name="用户")
    email = models.BooleanField("邮件通知", default=True)
    sms = models.BooleanField("短信通知", default=False)
    phone = models.CharField("手机号码", max_length=20, blank=True)
    quiet_start = models.TimeField("免打扰开始", null=True, blank=True)
    quiet_end = models.TimeField("免打扰结束", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知偏好"

    def __str__(self):
        return f"{self.user} 的通知偏好"

    def quiet_until(self, now: datetime) -> datetime | None:
        """The end of the quiet period ``now`` (aware, local) lies in, or None outside it.
        A period may cross midnight (22:00–07:00)."""
        if self.quiet_start is None or self.quiet_end is None or self.quiet_start == self.quiet_end:
            return None
        t = now.time()
        inside = self.quiet_start <= t < self.quiet_end if self.quiet_start < self.quiet_end else t >= self.quiet_start or t < self.quiet_end
        if not inside:
            return None
        end = now.replace(hour=self.quiet_end.hour, minute=self.quiet_end.minute, second=0, microsecond=0)
        return end if end > now else end + timedelta(days=1)


class Delivery(models.Model):
    EMAIL, SMS = "email", "sms"
    CHANNEL_CHOICES = [(EMAIL, "邮件"), (SMS, "短信")]
    PENDING, SENT, FAILED = "pending", "sent", "failed"
    STATUS_CHOICES = [(PENDING, "待发送"), (SENT, "已发送"), (FAILED, "发送失败")]

    # Null for messages to people without an account (e.g. an SMS to a citizen).
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries", verbose_name="站内通知")
    channel = models.CharField("渠道", max_length=8, choices=CHANNEL_CHOICES)
    recipient = models.CharField("接收地址", max_length=254)
    subject = models.CharField("主题", max_length=200, blank=True)
    text = models.TextField("正文")
    status = models.CharField("状态", max_length=8, choices=STATUS_CHOICES, default=PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    idempotency_key = models.CharField("幂等键", max_length=200)
    created = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "消息发送记录"
        constraints = [models.UniqueConstraint(fields=["channel", "idempotency_key"], name="delivery_once_per_channel")]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient}（{self.get_status_display()}）"
