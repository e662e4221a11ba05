"""Forms of the household-change process."""

from decimal import Decimal
from typing import ClassVar

from django import forms

from workflows.changes.models import HouseholdChangeProcess
from workflows.core.models import AreaType, Household, IncomeKind, Member, Region, amount_validators
from workflows.core.scoping import scoped


class ProposeChangeForm(forms.ModelForm):
    household = forms.ModelChoiceField(Household.objects.none(), label="家庭", error_messages={"invalid_choice": "所选家庭不存在或不在您的辖区内"})
    address = forms.CharField(label="详细地址", max_length=200, required=False)
    phone = forms.RegexField(label="联系电话", regex=r"^[0-9\-]{7,20}$", required=False, error_messages={"invalid": "联系电话只能包含数字和短横线，7至20位"})
    area_type = forms.ChoiceField(label="城乡类别", choices=AreaType.choices)
    residence_region = forms.ModelChoiceField(Region.objects.filter(level="village"), label="居住地（村/社区）")
    income_member = forms.ModelChoiceField(Member.objects.none(), label="收入变更：成员", required=False)
    income_kind = forms.ChoiceField(label="收入变更：类别", choices=[("", "（不变更收入）")] + IncomeKind.choices, required=False)
    income_amount = forms.DecimalField(
        label="收入变更：新的月收入（元，0 表示删除）", required=False, max_digits=12, decimal_places=2, validators=amount_validators
    )
    reason = forms.CharField(label="变更原因", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = HouseholdChangeProcess
        fields: ClassVar[list[str]] = []

    def __init__(self, *args, user=None, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        households = scoped(Household.objects.all(), user)
        self.fields["household"].queryset = households
        self.fields["income_member"].queryset = scoped(Member.objects.all(), user, "household__region_code")
        if household is not None:
            self.fields["household"].initial = household.pk
            self.fields["address"].initial = household.address
            self.fields["phone"].initial = household.phone
            self.fields["area_type"].initial = household.area_type
            self.fields["residence_region"].initial = household.residence_region_id
            self.fields["income_member"].queryset = household.members.all()

    def clean(self):
        data = super().clean()
        kind, amount, member = data.get("income_kind"), data.get("income_amount"), data.get("income_member")
        household = data.get("household")
        if kind and amount is None:
            self.add_error("income_amount", "选择了收入类别，请填写新的月收入")
        if amount is not None and not kind:
            self.add_error("income_kind", "填写了收入金额，请选择收入类别")
        if member is not None and household is not None and member.household_id != household.pk:
            self.add_error("income_member", "该成员不属于所选家庭")
        return data

    def proposed(self) -> dict:
        data = self.cleaned_data
        proposed = {
            "address": data["address"],
            "phone": data["phone"],
            "area_type": data["area_type"],
            "residence_region_id": data["residence_region"].pk,
        }
        if data.get("income_kind"):
            proposed["income"] = {
                "kind": data["income_kind"],
                "member_id": data["income_member"].pk if data.get("income_member") else None,
                "monthly_amount": str(data["income_amount"].quantize(Decimal("0.01"))),
            }
        return proposed


class ReviewChangeForm(forms.ModelForm):
    decision = forms.TypedChoiceField(label="审核结论", choices=[("1", "批准变更"), ("0", "不予批准")], coerce=lambda v: v == "1", widget=forms.RadioSelect)
    comment = forms.CharField(label="审核意见", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = HouseholdChangeProcess
        fields: ClassVar[list[str]] = []

    def clean(self):
        data = super().clean()
        if data.get("decision") is False and not (data.get("comment") or "").strip():
            self.add_error("comment", "不予批准时必须填写理由")
        return data
