"""Forms of the application process (one per task)."""

from django import forms
from django.utils import timezone

from documents.models import NoticeState
from forms.base import task_form
from forms.documents import DeliveryForm
from workflows.application.models import ApplicationKind, ApplicationProcess, Channel
from workflows.core.models import Household, Member, amount_validators
from workflows.core.scoping import scoped
from workflows.policy import procedure, rules

from .validators import NotAfterToday

_TaskForm = task_form(ApplicationProcess)


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


SELF_CARE_CHOICES = [("1", "能独立完成"), ("0", "不能独立完成")]


class InvestigationForm(_TaskForm):
    investigator_1 = forms.CharField(label="调查人一", max_length=50)
    investigator_2 = forms.CharField(label="调查人二", max_length=50)
    visited_on = forms.DateField(label="入户日期", widget=forms.DateInput(attrs={"type": "date"}), validators=[NotAfterToday("入户日期")])
    living_conditions = forms.CharField(label="家庭生活状况（住房、就业、健康、支出等）", widget=forms.Textarea(attrs={"rows": 4}))
    findings = forms.CharField(label="调查结论", widget=forms.Textarea(attrs={"rows": 3}))
    extension_reason = forms.CharField(
        label=f"如需延长办理期限至{procedure.PROCEDURE_WORKING_DAYS_EXTENDED}个工作日，请说明原因", max_length=200, required=False
    )

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        # 特困人员认定办法: the self-care assessment of six activities decides the care standard.
        self.self_care_fields = []
        if application is not None and application.kind == "tekun":
            for key in rules.SELF_CARE_ACTIVITIES:
                name = f"self_care_{key}"
                self.fields[name] = forms.ChoiceField(
                    label=f"生活自理能力评估：{rules.SELF_CARE_LABELS[key]}",
                    choices=SELF_CARE_CHOICES,
                    widget=forms.RadioSelect,
                    error_messages={"required": f"请评估申请人能否独立{rules.SELF_CARE_LABELS[key]}"},
                )
                self.self_care_fields.append(name)

    def clean(self):
        data = super().clean()
        a, b = (data.get("investigator_1") or "").strip(), (data.get("investigator_2") or "").strip()
        if a and a == b:
            self.add_error("investigator_2", "入户调查应由两名不同的工作人员进行")
        answers = {name[len("self_care_") :]: data.get(name) for name in self.self_care_fields}
        data["self_care"] = {k: v == "1" for k, v in answers.items()} if answers and all(answers.values()) else None
        return data


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
