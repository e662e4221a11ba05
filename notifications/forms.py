import re

from django import forms

from .models import ChannelPreference

MOBILE = re.compile(r"^1[3-9]\d{9}$")


class ChannelPreferenceForm(forms.ModelForm):
    class Meta:
        model = ChannelPreference
        fields = ["email", "sms", "phone", "quiet_start", "quiet_end"]
        widgets = {"quiet_start": forms.TimeInput(attrs={"type": "time"}), "quiet_end": forms.TimeInput(attrs={"type": "time"})}
        help_texts = {"quiet_start": "免打扰时段内的短信推迟到时段结束后发送，如 22:00–07:00", "phone": "11 位手机号码"}

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip().replace(" ", "").replace("-", "")
        if phone and not MOBILE.match(phone):
            raise forms.ValidationError("请输入 11 位手机号码，如 13800000000")
        return phone

    def clean(self):
        data = super().clean()
        if data.get("sms") and not data.get("phone"):
            self.add_error("phone", "开启短信通知需要填写手机号码")
        if (data.get("quiet_start") is None) != (data.get("quiet_end") is None):
            self.add_error("quiet_end", "免打扰时段需同时填写开始和结束时间")
        return data
