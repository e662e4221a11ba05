"""Forms of the policy data: the yearly holiday arrangement (DESIGN §4.4)."""

from django import forms

from workflows.policy.holiday_import import ParsedYear, parse

MAX_FILE_BYTES = 64 * 1024  # a year's notice is a few dozen lines; anything larger is the wrong file


class HolidayFileForm(forms.Form):
    """Step 1: the file. Its text is checked here exactly as `load_holidays` checks it."""

    file = forms.FileField(label="节假日安排文件", help_text="UTF-8 文本，格式见下方说明")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(f"文件过大（{upload.size // 1024} KB），节假日安排文件不应超过 {MAX_FILE_BYTES // 1024} KB")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("文件不是 UTF-8 编码，请另存为 UTF-8 文本后再上传") from None
        self.text, self.parsed = text, parse_or_error(text)
        return upload


class HolidayConfirmForm(forms.Form):
    """Step 2: the same text, shown to the administrator, confirmed. It is parsed again, so a
    text changed on the way is checked like a new file."""

    text = forms.CharField(widget=forms.HiddenInput, max_length=MAX_FILE_BYTES)

    def clean(self):
        cleaned = super().clean()
        if "text" in cleaned:
            self.parsed = parse_or_error(cleaned["text"])
        return cleaned


def parse_or_error(text: str) -> ParsedYear:
    try:
        return parse(text)
    except ValueError as exc:
        raise forms.ValidationError(["文件有错误，未导入："] + str(exc).splitlines()) from None
