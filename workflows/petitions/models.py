"""Petitions (信访) and 12345 work orders (docs/policy.md "Petitions": 信访工作条例 2022; M14).

A petition belongs to the body that handles it: a township government or a county civil
affairs bureau (``body``, whose code is the petition's ``region_code``). A 复查 or 复核 belongs
to the body above (``PetitionReview.body``), so that each body's staff find exactly their own
work, and the body below sees the review of its own reply.
"""

import hmac

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from documents.models import Notice, new_access_code
from workflows.core import regions
from workflows.core.models import Household, Region, RegionCoded, mask_id, pattern_index
from workflows.engine.models import CaseProcess
from workflows.policy import petitions as rules

CHANNEL_CHOICES = list(rules.CHANNEL_LABELS.items())
KIND_CHOICES = list(rules.KIND_LABELS.items())
OUTCOME_CHOICES = list(rules.OUTCOME_LABELS.items())
REVIEW_OUTCOME_CHOICES = list(rules.REVIEW_OUTCOME_LABELS.items())
REVIEW_LEVEL_CHOICES = list(rules.REVIEW_LEVEL_LABELS.items())


class Category(models.TextChoices):
    """What a petition is about: with the household, the "matter" the repeat ledger follows."""

    DIBAO_REFUSED = "dibao_refused", "低保申请未获批准"
    DIBAO_STOPPED = "dibao_stopped", "低保停发或减发"
    TEKUN = "tekun", "特困人员认定与供养"
    RELIEF = "relief", "临时救助"
    PAYMENT = "payment", "救助金发放"
    CONDUCT = "conduct", "工作人员作风与违纪"
    UNFAIR = "unfair", "反映他人不符合条件享受救助"
    POLICY = "policy", "政策咨询"
    OTHER = "other", "其他"


class PetitionState(models.TextChoices):
    REGISTERED = "registered", "待受理"
    ACCEPTED = "accepted", "办理中"
    REPLIED = "replied", "已答复"
    FORWARDED = "forwarded", "已转送交办"
    DIRECTED = "directed", "已告知向有权机关或法定途径提出"
    OBJECTED = "objected", "已提出异议退回"
    FINAL = "final", "不再受理"
    CLOSED = "closed", "办结"


#: States in which the petition no longer waits for anyone on our side.
DONE_STATES = (PetitionState.FORWARDED, PetitionState.DIRECTED, PetitionState.OBJECTED, PetitionState.FINAL, PetitionState.CLOSED)


class RiskLevel(models.TextChoices):
    NONE = "none", "未发现风险"
    WATCH = "watch", "需关注"
    HIGH = "high", "有心理危机或极端行为风险"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Mediation(models.TextChoices):
    NONE = "", "未调解"
    MEDIATION = "mediation", "调解协议"
    SETTLEMENT = "settlement", "和解协议"


class Petition(RegionCoded, ConcurrentTransitionMixin, models.Model):
    number = models.CharField("信访件编号", max_length=32, unique=True)
    access_code = models.CharField("查询码", max_length=8, default=new_access_code)
    body = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="办理机关所在区划")
    region_code_from = "body_id"
    region_code = models.CharField("区划代码", max_length=12, editable=False)

    channel = models.CharField("来源渠道", max_length=16, choices=CHANNEL_CHOICES)
    kind = models.CharField("信访类型", max_length=12, choices=KIND_CHOICES)
    category = models.CharField("事项类别", max_length=16, choices=Category.choices)
    matter = models.TextField("反映事项")
    request = models.TextField("信访人请求", blank=True)
    received_on = models.DateField("收到日期")

    petitioner_name = models.CharField("信访人姓名", max_length=50)
    petitioner_id_number = models.CharField("信访人身份号码", max_length=18, blank=True, db_index=True)
    petitioner_phone = models.CharField("联系电话", max_length=20, blank=True)
    petitioner_address = models.CharField("住址", max_length=200, blank=True)
    # Art 20: a group visit speaks through at most 5 representatives.
    group_size = models.PositiveIntegerField("来访人数", default=1)
    representatives = models.JSONField("代表", default=list, blank=True)

    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT, related_name="petitions", verbose_name="涉及家庭")
    case = models.ForeignKey(CaseProcess, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="涉及业务")
    # Arts 29–30: the accused never sees the accusation (core.Recusal).
    accused = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="被反映的工作人员")
    accused_name = models.CharField("被反映人", max_length=50, blank=True)

    # The matter the repeat ledger follows: the category and the household (or the person).
    matter_key = models.CharField("事项标识", max_length=64, editable=False)
    earlier_in_window = models.PositiveIntegerField("期内此前信访次数", default=0)
    repeat = models.BooleanField("重复信访", default=False)
    # Art 36 ¶3: the same matter after its 复核: recognised, not opened again.
    final_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="已复核终结的同一事项")

    # A petition forwarded or assigned to us from above (art 23 ¶3).
    forwarded_by = models.CharField("转送交办机关", max_length=100, blank=True)
    # 12345 (Anhui practice): the order, its clock, its signature and call-back.
    work_order = models.CharField("12345工单号", max_length=40, blank=True)
    enquiry = models.BooleanField("咨询类工单", default=False)
    hotline_due = models.DateField("工单办理期限", null=True, blank=True)
    hotline_signed_at = models.DateTimeField("工单签收时间", null=True, blank=True)
    hotline_signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="签收人")
    callback_on = models.DateField("回访日期", null=True, blank=True)
    satisfaction = models.CharField("满意度", max_length=12, choices=Satisfaction.choices, blank=True)
    well_founded = models.BooleanField("诉求合理", null=True)
    redo_count = models.PositiveSmallIntegerField("退回重办次数", default=0)
    # A matter that entered the 信访 channel leaves 12345 (and the two stay linked).
    moved_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="moved_from", verbose_name="转入信访件")

    state = FSMField("状态", default=PetitionState.REGISTERED, choices=PetitionState.choices, protected=True)
    acceptance_due = models.DateField("受理告知期限")
    objection_due = models.DateField("异议期限", null=True, blank=True)
    route = models.CharField("受理意见", max_length=16, blank=True)
    route_reason = models.TextField("受理意见说明", blank=True)
    to_body = models.CharField("转送交办或告知的机关、途径", max_length=200, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    handling_due = models.DateField("办结期限", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("延长天数", default=0)
    extension_reason = models.CharField("延期理由", max_length=300, blank=True)
    # Asked of the head, not yet decided (0: none): the period changes only once approved.
    extension_requested = models.PositiveSmallIntegerField("申请延长天数", default=0)

    # The handling (art 32): what was found and the opinion, with its legal basis.
    investigation = models.TextField("调查核实情况", blank=True)
    heard_on = models.DateField("听取信访人意见日期", null=True, blank=True)
    mediation = models.CharField("调解和解", max_length=12, choices=Mediation.choices, blank=True)
    mediation_text = models.TextField("协议内容", blank=True)
    facts = models.TextField("事实和理由", blank=True)
    basis = models.CharField("法律政策依据", max_length=300, blank=True)
    outcome = models.CharField("处理意见类别", max_length=10, choices=OUTCOME_CHOICES, blank=True)
    opinion = models.TextField("处理意见", blank=True)
    # A reply that shows a household wrongly included or left out opens a recheck or a lead.
    case_action = models.CharField("后续处置", max_length=8, choices=[("", "无"), ("recheck", "启动复核"), ("lead", "登记主动发现线索")], blank=True)
    linked_case = models.ForeignKey(CaseProcess, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="启动的复核或线索")
    reply_sent_back = models.CharField("审签退回意见", max_length=300, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    reply_signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="审签人")
    opinion_notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="处理意见书")

    # M14: a psychological-risk assessment, and a handoff where there is a risk.
    risk = models.CharField("心理风险评估", max_length=8, choices=RiskLevel.choices, blank=True)
    risk_note = models.CharField("风险说明", max_length=300, blank=True)
    handoff_to = models.CharField("移交部门", max_length=100, blank=True)
    handoff_contact = models.CharField("对接人及电话", max_length=100, blank=True)
    handoff_on = models.DateField("移交日期", null=True, blank=True)
    follow_up_on = models.DateField("跟进日期", null=True, blank=True)
    follow_up = models.CharField("跟进情况", max_length=300, blank=True)

    closed_on = models.DateField("办结日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="登记人")
    created = models.DateTimeField("登记时间", auto_now_add=True)

    #: Withheld from the accused and from staff who withdraw (core.Recusal).
    recusable = True

    class Meta:
        verbose_name = verbose_name_plural = "信访件"
        ordering = ["-received_on", "-pk"]
        constraints = [
            # The same 12345 order delivered twice is one petition.
            models.UniqueConstraint(fields=["work_order"], condition=~Q(work_order=""), name="petition_work_order_once"),
            models.CheckConstraint(condition=Q(extension_days__lte=rules.MAX_EXTENSION_DAYS), name="petition_extension_at_most_30"),
        ]
        indexes = [
            pattern_index("region_code", "petition_region_like"),
            models.Index(fields=["matter_key", "received_on"], name="petition_matter"),
            models.Index(fields=["petitioner_id_number", "received_on"], name="petition_person"),
            models.Index(fields=["region_code", "received_on"], name="petition_region_received"),
        ]
        permissions = [
            ("register_petition", "可登记信访件"),
            ("handle_township", "可办理乡镇信访件"),
            ("handle_county", "可办理县级信访件"),
            ("handle_city", "可办理市级信访件"),
            ("sign_township", "可审签乡镇信访答复、批准延期"),
            ("sign_county", "可审签县级信访答复、批准延期"),
            ("answer_county", "可办理复查复核（县级）"),
            ("answer_city", "可办理复查复核（市级）"),
            ("answer_province", "可办理复查复核（省级）"),
            ("view_statistics", "可查看信访统计通报"),
        ]

    def __str__(self):
        return f"{self.number} {self.petitioner_name}"

    @property
    def level(self) -> str:
        return regions.level_of(self.body_id)

    @property
    def masked_id_number(self) -> str:
        return mask_id(self.petitioner_id_number) if self.petitioner_id_number else ""

    @property
    def is_hotline(self) -> bool:
        return self.channel == "hotline"

    @property
    def is_accusation(self) -> bool:
        return self.kind == "accusation"

    def check_access_code(self, code: str) -> bool:
        return hmac.compare_digest(self.access_code.encode(), (code or "").strip().upper().encode())

    # Transitions are called only from services.
    @transition(field=state, source=PetitionState.REGISTERED, target=PetitionState.ACCEPTED)
    def accept(self):
        pass

    @transition(field=state, source=PetitionState.REGISTERED, target=PetitionState.FORWARDED)
    def forward(self):
        pass

    @transition(field=state, source=PetitionState.REGISTERED, target=PetitionState.DIRECTED)
    def direct(self):
        pass

    @transition(field=state, source=PetitionState.REGISTERED, target=PetitionState.OBJECTED)
    def object_to(self):
        pass

    @transition(field=state, source=PetitionState.REGISTERED, target=PetitionState.FINAL)
    def refuse_as_final(self):
        pass

    @transition(field=state, source=PetitionState.ACCEPTED, target=PetitionState.REPLIED)
    def reply(self):
        pass

    @transition(field=state, source=PetitionState.REPLIED, target=PetitionState.ACCEPTED)
    def redo(self):
        pass

    @transition(field=state, source=[PetitionState.ACCEPTED, PetitionState.REPLIED], target=PetitionState.CLOSED)
    def close(self):
        pass


class PetitionAttachment(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("附件", upload_to="petitions/%Y/%m/")
    name = models.CharField("文件名", max_length=120)
    content_type = models.CharField("文件类型", max_length=40)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "信访附件"


class ReviewState(models.TextChoices):
    OPEN = "open", "办理中"
    ANSWERED = "answered", "已出具意见"


class PetitionReview(RegionCoded, ConcurrentTransitionMixin, models.Model):
    """复查 (art 35) or 复核 (art 36) of a petition's reply, by the body above the one that
    answered last."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="reviews", verbose_name="信访件")
    level = models.CharField("类别", max_length=8, choices=REVIEW_LEVEL_CHOICES)
    body = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="复查复核机关所在区划")
    region_code_from = "body_id"
    region_code = models.CharField("区划代码", max_length=12, editable=False)
    reply_received_on = models.DateField("收到原答复日期")
    requested_on = models.DateField("请求日期")
    request = models.TextField("复查复核请求")
    due_on = models.DateField("办理期限")
    paused_days = models.PositiveSmallIntegerField("听证等不计入期限天数", default=0)
    state = FSMField("状态", default=ReviewState.OPEN, choices=ReviewState.choices, protected=True)
    facts = models.TextField("事实和理由", blank=True)
    basis = models.CharField("依据", max_length=300, blank=True)
    outcome = models.CharField("复查复核结论", max_length=8, choices=REVIEW_OUTCOME_CHOICES, blank=True)
    opinion = models.TextField("复查复核意见", blank=True)
    answered_on = models.DateField("出具日期", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="办理人")
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="意见书")
    created = models.DateTimeField("登记时间", auto_now_add=True)

    recusable = True

    class Meta:
        verbose_name = verbose_name_plural = "复查复核"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["petition", "level"], name="petition_review_once_per_level")]
        indexes = [pattern_index("region_code", "petition_review_region_like")]

    def __str__(self):
        return f"{self.petition.number} {self.get_level_display()}"

    @property
    def body_level(self) -> str:
        return regions.level_of(self.body_id)

    @transition(field=state, source=ReviewState.OPEN, target=ReviewState.ANSWERED)
    def answer(self):
        pass


class PetitionProcess(CaseProcess):
    petition: "models.OneToOneField[Petition | None, Petition | None]" = models.OneToOneField(
        Petition, null=True, on_delete=models.PROTECT, verbose_name="信访件"
    )

    class Meta:
        verbose_name = verbose_name_plural = "信访办理流程"


class PetitionReviewProcess(CaseProcess):
    review: "models.OneToOneField[PetitionReview | None, PetitionReview | None]" = models.OneToOneField(
        PetitionReview, null=True, on_delete=models.PROTECT, verbose_name="复查复核"
    )

    class Meta:
        verbose_name = verbose_name_plural = "信访复查复核流程"
