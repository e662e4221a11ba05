"""Forms of the application process (one per task)."""

from django import forms
from django.utils import timezone

from documents.models import NoticeState
from forms.base import TaskForm
from forms.documents import DeliveryForm
from forms.visits import HomeVisitFields
from workflows.application.models import ApplicationKind, ApplicationProcess, Channel
from workflows.core.models import Household, Member, amount_validators
from workflows.core.scoping import scoped
from workflows.policy import procedure

from .validators import NotAfterToday


class _TaskForm(TaskForm):
    class Meta(TaskForm.Meta):
        model = ApplicationProcess


class FileApplicationForm(_TaskForm):
    household = forms.ModelChoiceField(Household.objects.none(), label="申请家庭", error_messages={"invalid_choice": "所选家庭不存在或不在您的辖区内"})
    applicant = forms.ModelChoiceField(Member.objects.none(), label="申请人", error_messages={"invalid_choice": "所选申请人不存在或不在您的辖区内"})
    kind = forms.ChoiceField(label="申请类别", choices=ApplicationKind.choices, initial=ApplicationKind.DIBAO)
    channel = forms.ChoiceField(label="申请渠道", choices=Channel.choices, initial=Channel.WINDOW)
    delegated = forms.BooleanField(label=f"审核确认权已下放乡镇（办理时限{procedure.PROCEDURE_WORKING_DAYS_DELEGATED}个工作日）", required=False, initial=True)
    staff_relative = forms.BooleanField(label="申请人是村（社区）干部或经办人员的近亲属（单独登记备案）", required=False)
    staff_relative_note = forms.CharField(label="备案说明（与哪位工作人员何种关系）", max_length=200, required=False)

    def __init__(self, *args, user=None, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = scoped(Household.objects.all(), user)
        self.fields["applicant"].queryset = scoped(Member.objects.all(), user, "household__region_code")
        if household is not None:
            self.fields["household"].initial = household.pk
            self.fields["applicant"].queryset = household.members.all()
            head = household.members.filter(relation="head").first()
            self.fields["applicant"].initial = head.pk if head else None

    def clean(self):
        data = super().clean()
        if data.get("staff_relative") and not (data.get("staff_relative_note") or "").strip():
            self.add_error("staff_relative_note", "近亲属备案必须说明与哪位工作人员是何种关系")
        return data


class AcceptForm(_TaskForm):
    decision = forms.ChoiceField(
        label="受理意见", choices=[("accept", "材料齐全，予以受理"), ("correct", "材料不齐，一次性告知补正")], widget=forms.RadioSelect
    )
    missing_items = forms.CharField(label="需补正的全部材料（每行一项）", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        data = super().clean()
        items = [line.strip() for line in (data.get("missing_items") or "").splitlines() if line.strip()]
        if data.get("decision") == "correct" and not items:
            self.add_error("missing_items", "一次性告知补正时，请逐项列明需要补正的全部材料")
        data["items"] = items
        return data


class CorrectionReceivedForm(_TaskForm):
    received = forms.BooleanField(label="申请人已按告知补齐材料", required=True, error_messages={"required": "请确认申请人已补齐材料"})


class InvestigationForm(HomeVisitFields, _TaskForm):
    extension_reason = forms.CharField(
        label=f"如需延长办理期限至{procedure.PROCEDURE_WORKING_DAYS_EXTENDED}个工作日，请说明原因", max_length=200, required=False
    )

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        # 特困人员认定办法: the self-care assessment of six activities decides the care standard.
        self.self_care_fields = []
        if application is not None and application.kind == "tekun":
            self.add_self_care_fields()


class AssessForm(_TaskForm):
    corrected_amount = forms.DecimalField(
        label="人工调整月保障金（元，不调整请留空）", required=False, max_digits=10, decimal_places=2, validators=amount_validators
    )
    correction_reason = forms.CharField(label="调整原因", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    property_override = forms.CharField(
        label="家庭财产超出当地限额但经核实符合规定的，请书面说明理由（不需要请留空）",
        max_length=280,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="填写后按符合财产规定评估，理由记入评估依据和审计日志",
    )

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        if application is not None and application.kind == "marginal":
            del self.fields["corrected_amount"], self.fields["correction_reason"]  # recognised, not paid

    def clean(self):
        data = super().clean()
        if data.get("corrected_amount") is not None and not (data.get("correction_reason") or "").strip():
            self.add_error("correction_reason", "人工调整保障金必须写明原因")
        return data


class DeliverDecisionForm(_TaskForm, DeliveryForm):
    """送达: how and when the decision notice reached the applicant, and the 送达回证 scan."""

    def __init__(self, *args, notice=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate()
        self.fields["day"].validators.append(NotAfterToday("送达日期"))
        if notice is not None and notice.state in (NoticeState.DELIVERED, NoticeState.ACKNOWLEDGED):
            # Recorded already on the notice's own page: completing the task records nothing more.
            for name in ("method", "day", "proof"):
                del self.fields[name]
