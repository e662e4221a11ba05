"""The fields of a home visit (入户调查), shared by an application's investigation and a
recheck's visit: two investigators, the day, what was found and, for 特困, the six-activity
self-care assessment (特困人员认定办法)."""

from django import forms

from workflows.policy import rules

from .validators import NotAfterToday

SELF_CARE_CHOICES = [("1", "能独立完成"), ("0", "不能独立完成")]


class HomeVisitFields(forms.Form):
    """Mixed into a task form before its base: ``class F(HomeVisitFields, TaskForm)``."""

    investigator_1 = forms.CharField(label="调查人一", max_length=50)
    investigator_2 = forms.CharField(label="调查人二", max_length=50)
    visited_on = forms.DateField(label="入户日期", widget=forms.DateInput(attrs={"type": "date"}), validators=[NotAfterToday("入户日期")])
    living_conditions = forms.CharField(label="家庭生活状况（住房、就业、健康、支出等）", widget=forms.Textarea(attrs={"rows": 4}))
    findings = forms.CharField(label="调查结论", widget=forms.Textarea(attrs={"rows": 3}))

    def add_self_care_fields(self, person: str = "申请人") -> None:
        self.self_care_fields = []
        for key in rules.SELF_CARE_ACTIVITIES:
            name = f"self_care_{key}"
            self.fields[name] = forms.ChoiceField(
                label=f"生活自理能力评估：{rules.SELF_CARE_LABELS[key]}",
                choices=SELF_CARE_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": f"请评估{person}能否独立{rules.SELF_CARE_LABELS[key]}"},
            )
            self.self_care_fields.append(name)

    def clean(self):
        data = super().clean()
        a, b = (data.get("investigator_1") or "").strip(), (data.get("investigator_2") or "").strip()
        if a and a == b:
            self.add_error("investigator_2", "入户调查应由两名不同的工作人员进行")
        fields = getattr(self, "self_care_fields", [])
        answers = {name[len("self_care_") :]: data.get(name) for name in fields}
        data["self_care"] = {k: v == "1" for k, v in answers.items()} if answers and all(answers.values()) else None
        return data
