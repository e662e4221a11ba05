"""Forms of the joint review meeting."""

from django import forms

from forms.base import TaskForm
from workflows.application.models import Application
from workflows.review.models import ReviewProcess

from .validators import NotAfterToday, NotBeforeToday


class _TaskForm(TaskForm):
    class Meta(TaskForm.Meta):
        model = ReviewProcess


class PlanMeetingForm(_TaskForm):
    scheduled_on = forms.DateField(label="会议日期", widget=forms.DateInput(attrs={"type": "date"}), validators=[NotBeforeToday("会议日期")])
    place = forms.CharField(label="会议地点", max_length=100)
    members = forms.CharField(label="联审小组成员（每行：姓名 单位）", widget=forms.Textarea(attrs={"rows": 6}), help_text="如：刘建华 镇人民政府")


class AgendaForm(_TaskForm):
    cases: "forms.ModelMultipleChoiceField[Application]" = forms.ModelMultipleChoiceField(
        queryset=None, label="上会案件（公示期满且无异议）", widget=forms.CheckboxSelectMultiple, error_messages={"required": "请至少选择一件申请"}
    )

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        self.fields["cases"].label_from_instance = lambda a: f"{a.household.head_name}家庭 · {a.get_kind_display()} · 拟月保障金 {a.proposed_amount or '—'} 元"


class RecordMeetingForm(_TaskForm):
    """Attendance, then per case: votes and the collective decision (fields built per case)."""

    held_on = forms.DateField(label="召开日期", widget=forms.DateInput(attrs={"type": "date"}), validators=[NotAfterToday("召开日期")])
    recorder = forms.CharField(label="记录人", max_length=50)

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["present"] = forms.MultipleChoiceField(
            label="出席成员",
            choices=[(m.name, f"{m.name}（{m.department}）") for m in meeting.members.all()],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.decisions = list(meeting.decisions.select_related("application__household"))
        for d in self.decisions:
            name = f"{d.application.household.head_name}家庭"
            self.fields[f"for_{d.pk}"] = forms.IntegerField(label=f"{name}：同意票", min_value=0)
            self.fields[f"against_{d.pk}"] = forms.IntegerField(label=f"{name}：不同意票", min_value=0)
            self.fields[f"abstain_{d.pk}"] = forms.IntegerField(label=f"{name}：弃权票", min_value=0)
            self.fields[f"approved_{d.pk}"] = forms.TypedChoiceField(
                label=f"{name}：集体决定", choices=[("1", "批准纳入"), ("0", "不予纳入")], coerce=lambda v: v == "1"
            )
            self.fields[f"reason_{d.pk}"] = forms.CharField(label=f"{name}：决定理由", widget=forms.Textarea(attrs={"rows": 2}))

    def votes(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            d.pk: {
                "votes_for": data[f"for_{d.pk}"],
                "votes_against": data[f"against_{d.pk}"],
                "abstentions": data[f"abstain_{d.pk}"],
                "approved": data[f"approved_{d.pk}"],
                "reason": data[f"reason_{d.pk}"],
            }
            for d in self.decisions
        }


class SignMinutesForm(_TaskForm):
    password = forms.CharField(label="签发人登录密码（确认签发）", widget=forms.PasswordInput, strip=False)
