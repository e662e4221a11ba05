"""Forms of the monthly payment cycle (M10), one per task."""

from datetime import date
from decimal import Decimal
from typing import ClassVar

from django import forms

from forms.base import TaskForm
from workflows.core import regions
from workflows.core.models import Region
from workflows.core.validators import validate_bank_card
from workflows.payments.models import AccountFixProcess, PaymentProcess

from .validators import NotAfterToday

# A result file is a CSV of a county's lines: tens of MB at most for the largest county.
MAX_RESULT_FILE_BYTES = 200 * 1024 * 1024


class _TaskForm(TaskForm):
    class Meta(TaskForm.Meta):
        model = PaymentProcess


class MonthInput(forms.TextInput):
    """The browser's month picker. Not a DateInput: the form layer renders those as a
    day calendar, which needs a DateField's input formats; the field here is text, parsed
    in clean_month."""

    input_type = "month"


class OpenCycleForm(_TaskForm):
    county = forms.ModelChoiceField(Region.objects.none(), label="县（区）", error_messages={"invalid_choice": "所选县（区）不在您的辖区内"})
    month = forms.CharField(label="发放月份", widget=MonthInput, help_text="如 2026-05")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        codes = user.staff_roles.filter(role="county_officer").values_list("region_id", flat=True) if user else []
        self.fields["county"].queryset = Region.objects.filter(code__in=list(codes), level=regions.LEVEL_COUNTY)

    def clean_month(self):
        text = self.cleaned_data["month"].strip()
        try:
            year, month = (int(p) for p in text.split("-")[:2])
            return date(year, month, 1)
        except ValueError:
            raise forms.ValidationError("发放月份格式应为“年-月”，如 2026-05")


class ReviewRosterForm(_TaskForm):
    REBUILD, SUBMIT = "rebuild", "submit"
    action = forms.ChoiceField(
        label="审核结果",
        choices=[(SUBMIT, "核对无误，报送财政"), (REBUILD, "重新生成花名册（保障对象有变动时）")],
        widget=forms.RadioSelect,
        initial=SUBMIT,
    )


class AllocateForm(_TaskForm):
    allocated_on = forms.DateField(label="拨付日期", widget=forms.DateInput(attrs={"type": "date"}), validators=[NotAfterToday("拨付日期")])
    reference = forms.CharField(label="拨款文号（或支付凭证号）", max_length=100)
    amount = forms.DecimalField(
        label="拨付金额（元）", max_digits=16, decimal_places=2, min_value=Decimal("0.01"), error_messages={"min_value": "拨付金额应大于0"}
    )


class UploadResultForm(_TaskForm):
    result_file = forms.FileField(label="银行发放结果文件（CSV）", help_text="列：批次号,参考号,账号,金额,结果,原因；结果填“成功”或“失败”，失败须注明原因")

    def clean_result_file(self):
        upload = self.cleaned_data["result_file"]
        if upload.size > MAX_RESULT_FILE_BYTES:
            raise forms.ValidationError("文件过大（超过200MB），请确认是否为本县的结果文件")
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("请上传 CSV 格式的结果文件")
        return upload


class CloseCycleForm(_TaskForm):
    confirm = forms.BooleanField(label="已核对发放报告，失败笔数已转入下期补发，确认办结", error_messages={"required": "请勾选确认后办结"})


class FixAccountForm(forms.ModelForm):
    """修正发放账户: the account the next cycle pays the failed amount to."""

    account_name = forms.CharField(label="户名", max_length=50)
    card_number = forms.CharField(label="卡号", max_length=23, help_text="12至19位数字，可含空格")
    bank_name = forms.CharField(label="开户银行", max_length=60)

    class Meta:
        model = AccountFixProcess
        fields: ClassVar[list[str]] = []

    def clean_card_number(self):
        number = self.cleaned_data["card_number"].replace(" ", "")
        validate_bank_card(number)
        return number
