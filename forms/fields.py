"""Shared form fields: regions typed as their 12-digit code, with Chinese messages."""

from django import forms

from workflows.core import regions
from workflows.core.models import Region
from workflows.core.scoping import in_scope


class RegionCodeField(forms.Field):
    """A region given by its 12-digit code; must exist, be of the wanted level and in scope."""

    def __init__(self, *args, level: str | None = None, user=None, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"maxlength": 12, "inputmode": "numeric"}))
        super().__init__(*args, **kwargs)
        self.level = level
        self.user = user

    def prepare_value(self, value):
        return value.code if isinstance(value, Region) else value

    def to_python(self, value):
        code = str(value or "").strip()
        if not code:
            return None
        if not code.isdigit() or len(code) != 12:
            raise forms.ValidationError("区划代码应为12位数字", code="region_format")
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError("区划代码 %(code)s 不存在", params={"code": code}, code="region_unknown")
        if self.level and region.level != self.level:
            raise forms.ValidationError(
                "%(name)s 不是%(level)s，请填写%(level)s的区划代码",
                params={"name": region.name, "level": dict(regions.LEVEL_CHOICES)[self.level]},
                code="region_level",
            )
        if self.user is not None and not in_scope(self.user, code):
            raise forms.ValidationError("区划代码 %(code)s 不存在", params={"code": code}, code="region_unknown")
        return region
