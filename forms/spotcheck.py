"""Forms of the spot check (M8)."""

from decimal import Decimal

from django import forms

from forms.base import TaskForm
from workflows.spotcheck.models import CaseCheckProcess, CheckResult, RectifyAction, SpotCheckProcess

from .validators import NotAfterToday


class _TaskForm(TaskForm):
    class Meta(TaskForm.Meta):
        model = SpotCheckProcess


class _CaseTaskForm(TaskForm):
    class Meta(TaskForm.Meta):
        model = CaseCheckProcess


class OpenSpotCheckForm(_TaskForm):
    period_start = forms.DateField(label="决定日期自", widget=forms.DateInput(attrs={"type": "date"}))
    # Cases decided in the period are sampled: a period still running would leave its last cases out.
    period_end = forms.DateField(label="决定日期至", widget=forms.DateInput(attrs={"type": "date"}), validators=[NotAfterToday("抽查期间的截止日期")])

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "截止日期不能早于起始日期")
        return data


class CheckCaseForm(_CaseTaskForm):
    result = forms.ChoiceField(label="核查结论", choices=CheckResult.choices)
    evidence = forms.CharField(label="核查情况及证据", widget=forms.Textarea(attrs={"rows": 4}), help_text="入户核查时间、核查人、核对的材料及发现的问题")
    evidence_file = forms.FileField(label="证据材料（可选）", required=False)


class RectifyForm(_CaseTaskForm):
    action = forms.ChoiceField(label="整改措施", choices=RectifyAction.choices)
    note = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 4}))
    amount = forms.DecimalField(
        label="追回金额（元）", required=False, max_digits=12, decimal_places=2, min_value=Decimal("0.01"), error_messages={"min_value": "追回金额应大于0"}
    )


class SignReportForm(_TaskForm):
    password = forms.CharField(label="签发人登录密码（确认签发）", widget=forms.PasswordInput, strip=False)


class BulkOkForm(forms.Form):
    cases = forms.TypedMultipleChoiceField(label="核查无问题的案件", coerce=int, error_messages={"required": "请至少选择一件案件"})
    evidence = forms.CharField(label="核查情况", initial="经入户核查，家庭成员、收入和财产情况与审核确认材料一致", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(c.pk, str(c)) for c in cases]
