"""Field validators with Chinese messages. Checksums come from python-stdnum."""

from datetime import date

from django.core.exceptions import ValidationError
from stdnum import luhn
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from workflows.policy.calendar import cn_date


def validate_id_number(value: str) -> None:
    """GB 11643-1999: 18 characters, a known address code, a real birth date, the check character."""
    number = (value or "").strip().upper()
    if len(number) != 18:
        raise ValidationError("公民身份号码应为18位，当前为%(n)s位", params={"n": len(number)}, code="id_length")
    try:
        ric.validate(number)
    except InvalidFormat:
        raise ValidationError("公民身份号码前17位应为数字", code="id_format")
    except InvalidChecksum:
        raise ValidationError("公民身份号码校验码错误，请核对", code="id_checksum")
    except InvalidLength:
        raise ValidationError("公民身份号码应为18位", code="id_length")
    except InvalidComponent:
        try:
            ric.get_birth_date(number)
        except InvalidComponent:
            raise ValidationError("公民身份号码中的出生日期不存在", code="id_birth_date")
        raise ValidationError("公民身份号码中的地址码%(code)s不是有效的行政区划代码", params={"code": number[:6]}, code="id_region")
    if ric.get_birth_date(number) > date.today():
        raise ValidationError("公民身份号码中的出生日期晚于今天", code="id_birth_date")


def birth_date_of(id_number: str) -> date:
    return ric.get_birth_date(id_number)


def sex_of(id_number: str) -> str:
    """The 17th digit: odd for men, even for women (GB 11643-1999)."""
    return "M" if int(id_number[16]) % 2 else "F"


def validate_bank_card(value: str) -> None:
    number = (value or "").replace(" ", "")
    if not number.isdigit() or not 12 <= len(number) <= 19:
        raise ValidationError("银行卡号应为12至19位数字", code="card_format")
    if not luhn.is_valid(number):
        raise ValidationError("银行卡号校验失败，请核对", code="card_checksum")


def validate_office_phone(value: str) -> None:
    """An office's telephone as printed on notices: digits with an optional area code and
    extension joined by "-" (0551-66711234, 0551-66711234-8001, 12345)."""
    text = (value or "").strip()
    if not text:
        raise ValidationError("请填写联系电话", code="phone_required")
    parts = text.split("-")
    if not all(p.isdigit() for p in parts) or len(parts) > 3 or not 5 <= len("".join(parts)) <= 20:
        raise ValidationError("联系电话格式不正确，应为数字，区号与分机号用“-”连接，如 0551-66711234", code="phone_format")


# Dates a person enters. A fact that happened (a visit, a meeting held, money allocated) is not
# in the future; a plan (a meeting to hold) is not in the past; a step is not dated before the
# step it follows. Services call these (an API or a job cannot bypass them) and forms call them
# through forms.validators, so both give the same message.


def _raise(message: str, field: str | None, code: str):
    error = ValidationError(message, code=code)
    raise ValidationError({field: error}) if field else error


def validate_not_after_today(day: date | None, label: str, *, today: date, field: str | None = None) -> None:
    if day is not None and day > today:
        _raise(f"{label}（{cn_date(day)}）不能晚于今天（{cn_date(today)}）：尚未发生的事项不能登记", field, "date_future")


def validate_not_before_today(day: date | None, label: str, *, today: date, field: str | None = None) -> None:
    if day is not None and day < today:
        _raise(f"{label}（{cn_date(day)}）不能早于今天（{cn_date(today)}）：请安排今天或以后的日期", field, "date_past")


def validate_not_before(day: date | None, earlier: date | None, label: str, earlier_label: str, *, field: str | None = None) -> None:
    if day is not None and earlier is not None and day < earlier:
        _raise(f"{label}（{cn_date(day)}）不能早于{earlier_label}（{cn_date(earlier)}）", field, "date_order")
