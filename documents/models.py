"""Notices: numbered, rendered, signed, delivered documents (DESIGN §4.5, §4.7)."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from workflows.core.models import mask_id, pattern_index
from workflows.core.validators import validate_office_phone

from .kinds import KIND_CHOICES, KINDS


def new_verify_token() -> str:
    return secrets.token_urlsafe(18)


def new_access_code() -> str:
    """Eight characters a citizen can type: no 0/O/1/I to confuse."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Issuer(models.Model):
    """An issuing body: a township government or a county civil-affairs bureau."""

    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="issuers", verbose_name="区划")
    name = models.CharField("发文机关", max_length=60, help_text="如：长丰县民政局")
    number_prefix = models.CharField("文号机关代字", max_length=12, help_text="如：皖长民")
    # Printed on the citizen's notices (受理通知书 …) as the number to call: no notice goes out without it.
    phone = models.CharField("联系电话", max_length=30, validators=[validate_office_phone], help_text="如：0551-66711234")
    # Signing material (PAdES). Development: made by `init_dev_pki`; production: configured files.
    certificate_path = models.CharField("证书文件", max_length=300, blank=True)
    key_path = models.CharField("私钥文件", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "发文机关"
        constraints = [models.UniqueConstraint(fields=["number_prefix"], name="issuer_prefix_unique")]

    def __str__(self):
        return self.name


class NumberCounter(models.Model):
    """The last 文号 sequence used per issuer, word and year; locked to allocate the next."""

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT)
    word = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "文号计数"
        constraints = [models.UniqueConstraint(fields=["issuer", "word", "year"], name="counter_unique")]


class NoticeState(models.TextChoices):
    RENDERED = "rendered", "已生成"
    SIGNED = "signed", "已签发"
    DELIVERED = "delivered", "已送达"
    ACKNOWLEDGED = "acknowledged", "已签收"


class DeliveryMethod(models.TextChoices):
    DIRECT = "direct", "直接送达"
    POST = "post", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达"
    PUBLIC = "public", "公告送达"
    LEFT = "left", "留置送达"


class Notice(ConcurrentTransitionMixin, models.Model):
    kind = models.CharField("文书种类", max_length=24, choices=KIND_CHOICES)
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, verbose_name="发文机关")
    region_code = models.CharField("区划代码", max_length=12)
    # 文号, e.g. 皖长民救决字〔2026〕12号
    word = models.CharField("代字", max_length=12)
    year = models.PositiveSmallIntegerField("年份")
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("文号", max_length=40, unique=True)
    title = models.CharField("标题", max_length=100)
    addressee_name = models.CharField("收件人", max_length=100)
    addressee_id_number = models.CharField("收件人身份号码", max_length=18, blank=True)
    # The case it belongs to, and a key that makes issuing idempotent per case and kind.
    case_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    case_id = models.PositiveBigIntegerField(null=True, blank=True)
    case = GenericForeignKey("case_type", "case_id")
    case_key = models.CharField("业务键", max_length=120, unique=True)
    context = models.JSONField("文书内容", default=dict)
    pdf = models.FileField("文书文件", upload_to="notices/%Y/%m/", blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    state = FSMField("状态", default=NoticeState.RENDERED, choices=NoticeState.choices, protected=True)
    issued_on = models.DateField("成文日期")
    created = models.DateTimeField("生成时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="签发人")
    signed_at = models.DateTimeField("签发时间", null=True, blank=True)
    delivery_method = models.CharField("送达方式", max_length=12, choices=DeliveryMethod.choices, blank=True)
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    delivery_proof = models.FileField("送达回证", upload_to="delivery/%Y/%m/", blank=True)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    verify_token = models.CharField("核验码", max_length=32, unique=True, default=new_verify_token)
    # Printed on the citizen's copy; needed again whenever the notice is re-rendered for signing.
    access_code = models.CharField("查询码", max_length=8, blank=True, default=new_access_code)
    # A notice can be withheld from a staff member (core.Recusal: withdrawal, an accusation).
    recusable = True

    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by", verbose_name="更正的文书")

    class Meta:
        verbose_name = verbose_name_plural = "文书"
        ordering = ["-created"]
        constraints = [models.UniqueConstraint(fields=["issuer", "word", "year", "seq"], name="notice_number_unique")]
        indexes = [pattern_index("region_code", "notice_region_like"), models.Index(fields=["case_type", "case_id"], name="notice_case")]

    def __str__(self):
        return f"{self.title} {self.number}"

    @property
    def kind_info(self):
        return KINDS[self.kind]

    @property
    def masked_addressee(self) -> str:
        """The addressee as lists show it (DESIGN §4.7): a person's name and ID masked; an
        office (a 纪要 to the review group, a roster to the finance bureau) in full."""
        name = self.addressee_name
        if not self.addressee_id_number and not self.kind_info.citizen:
            return name
        masked = name[0] + "*" * (len(name) - 1) if len(name) > 1 else name
        return f"{masked}（{mask_id(self.addressee_id_number)}）" if self.addressee_id_number else masked

    def check_access_code(self, code: str) -> bool:
        return self.kind_info.citizen and hmac.compare_digest(self.access_code.encode(), (code or "").strip().upper().encode())

    def file_intact(self) -> bool:
        """Whether the stored file still has the hash recorded when it was written."""
        if not self.pdf or not self.sha256:
            return False
        digest = hashlib.sha256()
        with self.pdf.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 16), b""):
                digest.update(chunk)
        return hmac.compare_digest(digest.hexdigest(), self.sha256)

    # Transitions are called only from documents.services.
    @transition(field=state, source=NoticeState.RENDERED, target=NoticeState.SIGNED)
    def mark_signed(self, user, when):
        self.signed_by, self.signed_at = user, when

    @transition(field=state, source=NoticeState.SIGNED, target=NoticeState.DELIVERED)
    def mark_delivered(self, method: str, day):
        self.delivery_method, self.delivered_on = method, day

    @transition(field=state, source=NoticeState.DELIVERED, target=NoticeState.ACKNOWLEDGED)
    def mark_acknowledged(self, when):
        self.acknowledged_at = when
