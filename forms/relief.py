"""Forms of interim relief (M6), one per task."""

from decimal import Decimal

from django import forms

from forms.base import TaskForm
from workflows.application.models import Application
from workflows.core.models import Member
from workflows.core.scoping import scoped
from workflows.core.validators import validate_id_number
from workflows.relief.models import PaymentMethod, ReliefKind, ReliefProcess


class _TaskForm(TaskForm):
    class Meta(TaskForm.Meta):
        model = ReliefProcess


class ProposeReliefForm(_TaskForm):
    # By ID number rather than a scoped list: during an emergency period the person may be
    # registered in another township (M6); the service decides whether this clerk may act.
    id_number = forms.CharField(label="救助对象公民身份号码", max_length=18, validators=[validate_id_number])
    kind = forms.ChoiceField(label="救助类型", choices=ReliefKind.choices)
    reason = forms.CharField(label="困难情形（时间、原因、损失及基本生活状况）", widget=forms.Textarea(attrs={"rows": 4}))
    amount = forms.DecimalField(
        label="救助金额（元）", max_digits=10, decimal_places=2, min_value=Decimal("0.01"), error_messages={"min_value": "救助金额应大于0"}
    )
    payment_method = forms.ChoiceField(label="发放方式", choices=PaymentMethod.choices)
    application = forms.ModelChoiceField(
        Application.objects.none(),
        label="申请低保、特困期间先行救助（关联的申请，可不选）",
        required=False,
        error_messages={"invalid_choice": "所选申请不存在或不在您的辖区内"},
    )

    def __init__(self, *args, user=None, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = scoped(Application.objects.exclude(state__in=["approved", "refused"]), user).select_related("household")
        if application is not None:
            self.fields["application"].initial = application.pk
            self.fields["id_number"].initial = application.applicant.id_number

    def clean(self):
        data = super().clean()
        number = (data.get("id_number") or "").upper()
        data["person"] = Member.objects.select_related("household").filter(id_number=number).first() if number else None
        if number and data["person"] is None:
            self.add_error("id_number", "该人员不存在或不在您的辖区内；请先在家庭档案中登记")
        return data


class ApproveReliefForm(_TaskForm):
    password = forms.CharField(label="审批人登录密码（确认审批并签发临时救助决定书）", widget=forms.PasswordInput, strip=False)


class CountyDecisionForm(_TaskForm):
    """The county head's decision on a relief above the interim cap."""

    decision = forms.TypedChoiceField(
        label="县级审批意见", choices=[("1", "批准，从乡镇备用金支付"), ("0", "不予批准")], coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    reason = forms.CharField(label="不予批准理由（写入临时救助决定书）", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    password = forms.CharField(label="县民政负责人登录密码（确认审批并签发临时救助决定书）", widget=forms.PasswordInput, strip=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") is False and not (data.get("reason") or "").strip():
            self.add_error("reason", "不予批准时必须填写理由")
        return data


class ExplainReliefForm(_TaskForm):
    explanation = forms.CharField(label="事后补充说明（救助经过、发放情况、核实结果）", widget=forms.Textarea(attrs={"rows": 5}))
