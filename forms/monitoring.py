"""Forms of low-income monitoring (M1): a feed uploaded by hand, and the county officer's
placing of a signal about someone we do not know yet."""

from datetime import date
from typing import cast

from django import forms

from forms.base import TaskForm
from workflows.core import regions
from workflows.core.models import Region
from workflows.core.scoping import scoped
from workflows.monitoring import services
from workflows.monitoring.models import Department, MonitoringProcess

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class PlaceForm(TaskForm):
    class Meta(TaskForm.Meta):
        model = MonitoringProcess

    village = forms.ModelChoiceField(
        Region.objects.none(), label="由哪个村（社区）入户核查", error_messages={"invalid_choice": "所选村（社区）不存在或不在您的辖区内"}
    )
    situation = forms.CharField(label="核查提示（交给协理员）", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user=None, county_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        villages = scoped(Region.objects.filter(level=regions.LEVEL_VILLAGE, code__startswith=regions.prefix_of(county_code)), user, "code")
        cast(forms.ModelChoiceField, self.fields["village"]).queryset = villages.order_by("code")


class UploadFeedForm(forms.Form):
    department = forms.ModelChoiceField(Department.objects.filter(active=True), label="报送部门", empty_label=None)
    county = forms.ModelChoiceField(Region.objects.none(), label="县（市、区）", empty_label=None)
    month = forms.CharField(label="数据月份（YYYY-MM）", max_length=7)
    file = forms.FileField(label="数据文件（CSV 或 xlsx）")

    def __init__(self, *args, user=None, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["county"]).queryset = scoped(Region.objects.filter(level=regions.LEVEL_COUNTY), user, "code").order_by("code")
        if today is not None and not self.is_bound:
            last = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
            self.fields["month"].initial = f"{last:%Y-%m}"

    def clean_month(self):
        return services.parse_month(self.cleaned_data["month"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件超过200MB，请按县、按月拆分后分别报送")
        return upload
