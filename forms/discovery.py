"""Forms of proactive discovery (M3): the ledger entry, the verification visit, the assessment."""

from django import forms

from forms.base import TaskForm
from workflows.core.models import Household, Region
from workflows.core.scoping import scoped
from workflows.core.validators import validate_id_number
from workflows.discovery.models import Decision, DiscoveryProcess, LeadSource, LeadState, RiskSign

from .validators import NotAfterToday


class _TaskForm(TaskForm):
    class Meta(TaskForm.Meta):
        model = DiscoveryProcess


def household_field():
    return forms.ModelChoiceField(
        Household.objects.none(),
        label="家庭档案（已在系统登记的家庭）",
        required=False,
        error_messages={"invalid_choice": "所选家庭不存在或不在您的辖区内"},
    )


class RecordLeadForm(_TaskForm):
    village = forms.ModelChoiceField(Region.objects.none(), label="村（社区）", error_messages={"invalid_choice": "所选村（社区）不存在或不在您的辖区内"})
    # Monitoring alerts arrive only through the API.
    source = forms.ChoiceField(label="发现渠道", choices=[c for c in LeadSource.choices if c[0] != LeadSource.MONITORING])
    external_id = forms.CharField(label="12345工单编号", max_length=64, required=False)
    person_name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="公民身份号码（知道时填写）", max_length=18, required=False, validators=[validate_id_number])
    household = household_field()
    address = forms.CharField(label="住址", max_length=200, required=False)
    situation = forms.CharField(label="困难情况", widget=forms.Textarea(attrs={"rows": 4}))
    risk_signs = forms.MultipleChoiceField(label="风险标识", choices=RiskSign.choices, required=False, widget=forms.CheckboxSelectMultiple)
    reported_by = forms.CharField(label="上报人（网格员、村干部等）", max_length=50, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        villages = scoped(Region.objects.filter(level="village"), user, "code")
        self.fields["village"].queryset = villages
        if len(villages) == 1:
            self.fields["village"].initial = villages[0].pk
        self.fields["household"].queryset = scoped(Household.objects.all(), user)


class VisitForm(_TaskForm):
    visitor_1 = forms.CharField(label="走访人", max_length=50)
    visitor_2 = forms.CharField(label="同行走访人", max_length=50, required=False)
    visited_on = forms.DateField(label="走访日期", widget=forms.DateInput(attrs={"type": "date"}), validators=[NotAfterToday("走访日期")])
    place = forms.CharField(label="走访地点", max_length=200)
    findings = forms.CharField(label="核实情况（家庭成员、收入、住房、健康、支出等）", widget=forms.Textarea(attrs={"rows": 4}))


class AssessLeadForm(_TaskForm):
    household = household_field()
    assessment_note = forms.CharField(label="评估意见", widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.ChoiceField(label="处置", choices=Decision.choices, widget=forms.RadioSelect)
    referred_to = forms.CharField(label="转介去向（转介时填写）", max_length=200, required=False)
    close_reason = forms.CharField(label="办结理由（办结时必填）", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, lead=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = scoped(Household.objects.all(), user)
        self.fields["household"].initial = lead.household_id if lead else None


class LedgerFilterForm(forms.Form):
    """Filters of the ledger page and its export (GET parameters)."""

    village = forms.ModelChoiceField(Region.objects.none(), label="村（社区）", required=False, empty_label="全部")
    state = forms.ChoiceField(label="状态", choices=[("", "全部")] + LeadState.choices, required=False)
    source = forms.ChoiceField(label="发现渠道", choices=[("", "全部")] + LeadSource.choices, required=False)
    status = forms.ChoiceField(label="办理情况", choices=[("", "全部"), ("open", "在办"), ("closed", "已办结")], required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = scoped(Region.objects.filter(level="village"), user, "code")
