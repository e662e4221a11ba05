"""Forms of the recheck process (one per task)."""

from django import forms

from forms.base import TaskForm
from forms.visits import HomeVisitFields
from workflows.core.models import Beneficiary, BeneficiaryState, Member, Region, amount_validators
from workflows.core.scoping import scoped
from workflows.policy import recheck as rules
from workflows.recheck.models import RecheckProcess

from .validators import NotAfterToday


class _TaskForm(TaskForm):
    class Meta(TaskForm.Meta):
        model = RecheckProcess


EVENT_CHOICES = [(k, v) for k, v in rules.EVENT_LABELS.items()]


class ReportEventForm(_TaskForm):
    """A change reported by the family or the caseworker, or another source's hit: opens a
    recheck at once (or joins the one already open). The checks that need more than one field
    are the service's (``services.report_event``), shown on their field."""

    beneficiary = forms.ModelChoiceField(Beneficiary.objects.none(), label="保障对象", error_messages={"invalid_choice": "所选保障对象不存在或不在您的辖区内"})
    event = forms.ChoiceField(label="复核事由", choices=EVENT_CHOICES)
    event_date = forms.DateField(label="事件日期", widget=forms.DateInput(attrs={"type": "date"}), validators=[NotAfterToday("事件日期")])
    member = forms.ModelChoiceField(Member.objects.none(), label="涉及成员（死亡、迁出必填）", required=False)
    detail = forms.CharField(label="情况说明", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, beneficiary=None, **kwargs):
        super().__init__(*args, **kwargs)
        open_ones = Beneficiary.objects.exclude(state__in=[BeneficiaryState.TERMINATED, BeneficiaryState.EXITED]).select_related("household")
        self.fields["beneficiary"].queryset = scoped(open_ones, user)
        self.fields["member"].queryset = scoped(Member.objects.all(), user, "household__region_code")
        if beneficiary is not None:
            self.fields["beneficiary"].initial = beneficiary.pk
            self.fields["member"].queryset = beneficiary.household.members.all()


class VisitForm(HomeVisitFields, _TaskForm):
    def __init__(self, *args, recheck=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.self_care_fields = []
        if recheck is not None and recheck.beneficiary.kind in rules.TEKUN_KINDS:
            self.add_self_care_fields("保障对象")


class ProposeForm(_TaskForm):
    outcome = forms.ChoiceField(label="复核结论", choices=list(rules.OUTCOME_LABELS.items()), widget=forms.RadioSelect)
    new_amount = forms.DecimalField(label="调整后月保障金（元）", required=False, max_digits=10, decimal_places=2, validators=amount_validators)
    exit_months = forms.IntegerField(
        label=f"渐退期（月，1–{rules.GRADUAL_EXIT_MAX_MONTHS}）",
        required=False,
        min_value=1,
        max_value=rules.GRADUAL_EXIT_MAX_MONTHS,
        error_messages={"max_value": "渐退期原则上不超过6个月", "min_value": "渐退期至少为1个月"},
    )
    member = forms.ModelChoiceField(Member.objects.none(), label="拒不接受就业的成员（停发其保障金时填写）", required=False)
    new_head = forms.ModelChoiceField(Member.objects.none(), label="新户主（户主死亡或迁出、家庭继续保障时指定）", required=False)
    reason = forms.CharField(label="事实与理由（调整、渐退、暂停、停保时必填，写入决定书）", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    delegated = forms.BooleanField(label="审核确认权已下放乡镇（由乡镇审批；否则报县民政负责人审批）", required=False, initial=True)

    def __init__(self, *args, recheck=None, suggested: str = "", rule_amount=None, **kwargs):
        super().__init__(*args, **kwargs)
        if recheck is not None:
            present = recheck.beneficiary.household.members.filter(died_on__isnull=True, left_on__isnull=True)
            for name in ("member", "new_head"):
                field = self.fields[name]
                assert isinstance(field, forms.ModelChoiceField)
                field.queryset = present
            self.fields["outcome"].initial = suggested or None
            if suggested == "change_amount" and rule_amount is not None:
                self.fields["new_amount"].initial = rule_amount
            if recheck.exit_months:
                self.fields["exit_months"].initial = recheck.exit_months


class DecideForm(_TaskForm):
    decision = forms.TypedChoiceField(label="审批意见", choices=[("1", "同意"), ("0", "退回乡镇重新核查")], coerce=lambda v: v == "1", widget=forms.RadioSelect)
    comment = forms.CharField(label="意见说明（退回时必填）", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RecheckFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="范围",
        required=False,
        choices=[("", "到期（至下月底）、渐退期及在办"), ("overdue", "已逾期"), ("gradual_exit", "渐退期内"), ("open", "复核在办")],
    )
    village = forms.ModelChoiceField(
        Region.objects.none(), label="村（社区）", required=False, error_messages={"invalid_choice": "所选村（社区）不在您的辖区内"}
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = scoped(Region.objects.filter(level="village"), user, "code")
