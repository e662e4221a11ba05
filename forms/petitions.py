"""Forms of petition handling (one per task, and the public online form). The checks that
need more than one field are the services' (``workflows.petitions.services``), shown on their
field."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from forms.base import TaskForm
from workflows.core import regions
from workflows.core.models import Household, Region, StaffRole
from workflows.core.scoping import scoped
from workflows.core.validators import validate_id_number
from workflows.engine.models import CaseProcess
from workflows.petitions.models import Category, Mediation, PetitionProcess, PetitionReviewProcess, RiskLevel, Satisfaction
from workflows.petitions.services import ROUTES
from workflows.policy import petitions as rules

from .validators import NotAfterToday

DATE = {"type": "date"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several attachments in one field (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class _PetitionTask(TaskForm):
    class Meta(TaskForm.Meta):
        model = PetitionProcess


class _ReviewTask(TaskForm):
    class Meta(TaskForm.Meta):
        model = PetitionReviewProcess


def _bodies(user):
    """The bodies a user registers for: their own township or county (never a village)."""
    codes = StaffRole.objects.filter(user=user, role=StaffRole.PETITION_OFFICER).values_list("region_id", flat=True)
    levels = (regions.LEVEL_TOWNSHIP, regions.LEVEL_COUNTY)
    return Region.objects.filter(code__in=list(codes), level__in=levels).order_by("code")


class RegisterForm(_PetitionTask):
    """登记 at the window, from a letter, a call, a fax, a group visit, a 12345 order typed in,
    or a petition forwarded from above."""

    body = forms.ModelChoiceField(Region.objects.none(), label="办理机关", empty_label=None)
    channel = forms.ChoiceField(label="来源渠道", choices=[(k, v) for k, v in rules.CHANNEL_LABELS.items() if k != "online"])
    kind = forms.ChoiceField(label="信访类型", choices=list(rules.KIND_LABELS.items()), widget=forms.RadioSelect, initial="claim")
    category = forms.ChoiceField(label="事项类别", choices=Category.choices)
    received_on = forms.DateField(label="收到日期", widget=forms.DateInput(attrs=DATE), validators=[NotAfterToday("收到日期")])
    petitioner_name = forms.CharField(label="信访人姓名", max_length=50)
    petitioner_id_number = forms.CharField(label="公民身份号码", max_length=18, required=False, validators=[validate_id_number])
    petitioner_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    petitioner_address = forms.CharField(label="住址", max_length=200, required=False)
    matter = forms.CharField(label="反映事项", widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": "请填写反映的事项"})
    request = forms.CharField(label="信访人请求", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    household = forms.ModelChoiceField(Household.objects.none(), label="涉及家庭（如有）", required=False)
    case = forms.IntegerField(label="涉及业务的流程编号（如 #125 填 125；检举控告对经办人员保密）", required=False, min_value=1)
    accused = forms.ModelChoiceField(get_user_model().objects.none(), label="被反映的工作人员（检举控告）", required=False)
    accused_name = forms.CharField(label="被反映人姓名（非本系统人员）", max_length=50, required=False)
    work_order = forms.CharField(label="12345工单号", max_length=40, required=False)
    enquiry = forms.BooleanField(label="咨询类工单（3个工作日）", required=False)
    forwarded_by = forms.CharField(label="转送交办机关（上级转来的）", max_length=100, required=False)
    group_size = forms.IntegerField(label="来访人数", min_value=1, initial=1)
    representatives = forms.CharField(label="推选代表（集体来访，每行一人，不超过5人）", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    attachments = MultipleFileField(label="附件（PDF、JPG、PNG）")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["body"].queryset = _bodies(user)
        self.fields["household"].queryset = scoped(Household.objects.all(), user).order_by("head_name")
        staff = get_user_model().objects.filter(staff_roles__region__code__startswith=_county_prefix(user)).distinct().order_by("last_name", "first_name")
        self.fields["accused"].queryset = staff
        self.fields["accused"].label_from_instance = lambda u: f"{u.get_full_name() or u.username}"
        self.fields["household"].label_from_instance = lambda h: f"{h.head_name}（{h.address}）"

    def clean_case(self):
        number = self.cleaned_data.get("case")
        if not number:
            return None
        case = scoped(CaseProcess.objects.all(), self.user).filter(pk=number).first()
        if case is None:
            raise forms.ValidationError(f"流程 #{number} 不存在或不在您的辖区内")
        return case

    def clean_representatives(self):
        return [line.strip() for line in self.cleaned_data["representatives"].splitlines() if line.strip()]


def _county_prefix(user) -> str:
    codes = list(StaffRole.objects.filter(user=user).values_list("region_id", flat=True)) if user else []
    return regions.county_of(codes[0])[:6] if codes else "-"


class RouteForm(_PetitionTask):
    decision = forms.ChoiceField(label="受理意见", choices=list(ROUTES.items()), widget=forms.RadioSelect)
    to_body = forms.CharField(label="转送、交办或告知的机关", max_length=200, required=False)
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    withdrawn = forms.ModelMultipleChoiceField(get_user_model().objects.none(), label="需回避的工作人员（与信访事项或信访人有利害关系）", required=False)
    withdrawal_reason = forms.CharField(label="回避理由", max_length=200, required=False)

    def __init__(self, *args, petition=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if petition is not None:
            choices = [(k, v) for k, v in ROUTES.items() if _route_applies(k, petition)]
            self.fields["decision"].choices = choices
            self.fields["decision"].initial = "final" if petition.final_of_id else "accept"
            staff = get_user_model().objects.filter(staff_roles__region__code__startswith=petition.body_id[:6]).exclude(pk=getattr(user, "pk", None))
            self.fields["withdrawn"].queryset = staff.distinct().order_by("last_name", "first_name")
            self.fields["withdrawn"].label_from_instance = lambda u: u.get_full_name() or u.username


def _route_applies(key: str, petition) -> bool:
    if key == "object":
        return bool(petition.objection_due)
    if key == "final":
        return bool(petition.final_of_id)
    if key == "moved":
        return petition.is_hotline
    return True


class HandleForm(_PetitionTask):
    investigation = forms.CharField(label="调查核实情况", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    heard_on = forms.DateField(label="听取信访人意见日期", widget=forms.DateInput(attrs=DATE), required=False, validators=[NotAfterToday("听取意见日期")])
    mediation = forms.ChoiceField(label="调解和解", choices=Mediation.choices, required=False)
    mediation_text = forms.CharField(label="协议内容", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    facts = forms.CharField(label="事实和理由", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    basis = forms.CharField(label="法律政策依据", max_length=300, required=False)
    outcome = forms.ChoiceField(label="处理意见类别", choices=[("", "—"), *rules.OUTCOME_LABELS.items()], required=False)
    opinion = forms.CharField(label="处理意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    risk = forms.ChoiceField(label="心理风险评估", choices=RiskLevel.choices, widget=forms.RadioSelect)
    risk_note = forms.CharField(label="风险说明", max_length=300, required=False)
    handoff_to = forms.CharField(label="移交部门（有风险时必填）", max_length=100, required=False)
    handoff_contact = forms.CharField(label="对接人及电话", max_length=100, required=False)
    handoff_on = forms.DateField(label="移交日期", widget=forms.DateInput(attrs=DATE), required=False)
    case_action = forms.ChoiceField(
        label="答复签发后",
        choices=[("", "无需后续处置"), ("recheck", "启动复核（在保家庭情况可能已变化或不应继续享受）"), ("lead", "登记主动发现线索（可能应保未保）")],
        required=False,
    )
    extension_days = forms.IntegerField(label="申请延长办理期限（日，不超过30日；不申请请留空）", required=False, min_value=1)
    extension_reason = forms.CharField(label="延期理由", max_length=300, required=False)

    def __init__(self, *args, petition=None, **kwargs):
        super().__init__(*args, **kwargs)
        if petition is not None:
            for name in (
                "investigation",
                "heard_on",
                "mediation",
                "mediation_text",
                "facts",
                "basis",
                "outcome",
                "opinion",
                "risk",
                "risk_note",
                "handoff_to",
                "handoff_contact",
                "handoff_on",
            ):
                value = getattr(petition, name)
                if value not in ("", None):
                    self.fields[name].initial = value
            if petition.is_hotline:
                del self.fields["extension_days"], self.fields["extension_reason"]

    def clean_extension_days(self):
        return self.cleaned_data.get("extension_days") or 0


class DecideForm(_PetitionTask):
    decision = forms.TypedChoiceField(
        label="审批意见", choices=[("yes", "同意"), ("no", "不同意（退回）")], coerce=lambda v: v == "yes", widget=forms.RadioSelect
    )
    comment = forms.CharField(label="意见", max_length=300, required=False)


class CallbackForm(_PetitionTask):
    satisfaction = forms.ChoiceField(label="回访满意度", choices=Satisfaction.choices, widget=forms.RadioSelect)
    well_founded = forms.BooleanField(label="不满意且诉求合理，退回重办", required=False)
    note = forms.CharField(label="回访记录", max_length=300, required=False)


class RequestReviewForm(_ReviewTask):
    number = forms.CharField(label="信访件编号", max_length=32)
    reply_received_on = forms.DateField(label="信访人收到原答复（意见书）的日期", widget=forms.DateInput(attrs=DATE), validators=[NotAfterToday("收到日期")])
    requested_on = forms.DateField(label="提出请求的日期", widget=forms.DateInput(attrs=DATE), validators=[NotAfterToday("请求日期")])
    request = forms.CharField(label="请求及理由", widget=forms.Textarea(attrs={"rows": 3}))


class AnswerReviewForm(_ReviewTask):
    outcome = forms.ChoiceField(label="结论", choices=list(rules.REVIEW_OUTCOME_LABELS.items()), widget=forms.RadioSelect)
    facts = forms.CharField(label="查明的事实和理由", widget=forms.Textarea(attrs={"rows": 3}))
    basis = forms.CharField(label="依据", max_length=300)
    opinion = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 3}))
    paused_days = forms.IntegerField(label="听证等不计入期限的天数", min_value=0, initial=0)


class OnlineForm(forms.Form):
    """The public form (art 17 信息网络): no account; it returns a number and a 查询码."""

    county = forms.ModelChoiceField(Region.objects.filter(level=regions.LEVEL_COUNTY).order_by("code"), label="所在县（市、区）", empty_label="请选择")
    petitioner_name = forms.CharField(label="姓名", max_length=50)
    petitioner_id_number = forms.CharField(label="公民身份号码", max_length=18, validators=[validate_id_number])
    petitioner_phone = forms.CharField(label="联系电话", max_length=20)
    petitioner_address = forms.CharField(label="住址", max_length=200, required=False)
    kind = forms.ChoiceField(label="类型", choices=list(rules.KIND_LABELS.items()), initial="claim")
    category = forms.ChoiceField(label="事项类别", choices=Category.choices)
    matter = forms.CharField(label="反映事项", widget=forms.Textarea(attrs={"rows": 5}), error_messages={"required": "请填写反映的事项"})
    request = forms.CharField(label="您的请求", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    attachments = MultipleFileField(label="附件（PDF、JPG、PNG，每个不超过10MB）")


class StatusForm(forms.Form):
    number = forms.CharField(label="信访件编号", max_length=32)
    code = forms.CharField(label="查询码", max_length=16)
