"""Forms of the household registry (used by the admin and the registry pages)."""

from django import forms

from workflows.core import regions
from workflows.core.models import BankAccount, Household, IncomeItem, Member, mask_id
from workflows.core.validators import validate_bank_card, validate_id_number

from .fields import RegionCodeField


class HouseholdForm(forms.ModelForm):
    hukou_region = RegionCodeField(label="户籍地（村/社区区划代码）", level=regions.LEVEL_VILLAGE)
    residence_region = RegionCodeField(label="居住地（村/社区区划代码）", level=regions.LEVEL_VILLAGE)

    class Meta:
        model = Household
        fields = ["hukou_region", "residence_region", "address", "area_type", "phone"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the hukou place decides who may file: a user may register households of their
        # own region; residence may be anywhere.
        self.fields["hukou_region"].user = user


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["household", "name", "id_number", "relation", "disability_type", "disability_grade", "serious_illness", "employment", "in_school"]

    def clean_id_number(self):
        number = self.cleaned_data["id_number"].strip().upper()
        other = Member.objects.filter(id_number=number).exclude(pk=self.instance.pk).select_related("household").first()
        if other is not None:
            raise forms.ValidationError(
                "该公民身份号码已登记在家庭（编号 %(hid)s）中，同一人不能重复登记", params={"hid": other.household_id}, code="id_duplicate"
            )
        return number

    def clean(self):
        data = super().clean()
        kind, grade = data.get("disability_type"), data.get("disability_grade")
        if kind and not grade:
            self.add_error("disability_grade", "填写了残疾类别，请选择残疾等级")
        if grade and not kind:
            self.add_error("disability_type", "填写了残疾等级，请选择残疾类别")
        return data


class MaskedMemberForm(MemberForm):
    """The admin shows ID numbers masked like the registry (DESIGN §4.7): a saved member's
    number is shown as 3401**********123X and kept unless a new one is typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["id_number"] = mask_id(self.instance.id_number)
            # The masked value comes back as it was shown: checked in clean_id_number instead.
            self.fields["id_number"].validators = []
            self.fields["id_number"].help_text = "已登记的号码以脱敏方式显示；如需更正，请输入完整号码"

    def clean_id_number(self):
        typed = (self.cleaned_data.get("id_number") or "").strip().upper()
        if self.instance.pk and typed == mask_id(self.instance.id_number):
            return self.instance.id_number
        validate_id_number(typed)
        return super().clean_id_number()


class IncomeItemForm(forms.ModelForm):
    class Meta:
        model = IncomeItem
        fields = ["household", "member", "kind", "monthly_amount", "note"]


class BankAccountForm(forms.ModelForm):
    class Meta:
        model = BankAccount
        fields = ["household", "member", "account_name", "card_number", "bank_name", "active"]

    def clean_card_number(self):
        return self.cleaned_data["card_number"].replace(" ", "")


class MaskedBankAccountForm(BankAccountForm):
    """The admin shows a saved card number masked like the registry (6227 **** **** 4025),
    kept unless a new one is typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["card_number"] = self.instance.masked_card
            self.fields["card_number"].validators = []
            self.fields["card_number"].help_text = "已登记的卡号以脱敏方式显示；如需更正，请输入完整卡号"

    def clean_card_number(self):
        typed = (self.cleaned_data.get("card_number") or "").strip()
        if self.instance.pk and typed == self.instance.masked_card:
            return self.instance.card_number
        validate_bank_card(typed)
        return super().clean_card_number()
