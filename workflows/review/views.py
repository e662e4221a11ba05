from viewflow.workflow.flow.views import CreateProcessView, UpdateProcessView

from forms import review as forms
from workflows.core import regions
from workflows.engine.views import ServiceFormMixin

from . import services


def township_of_user(user):
    """The township a clerk organises meetings for: their first township-level role."""
    role = user.staff_roles.filter(region__level=regions.LEVEL_TOWNSHIP).select_related("region").first()
    return role.region if role else None


class PlanMeetingView(ServiceFormMixin, CreateProcessView):
    form_class = forms.PlanMeetingForm
    template_name = "engine/start.html"

    def perform(self, form, process):
        from django.core.exceptions import ValidationError

        township = township_of_user(self.request.user)
        if township is None:
            raise ValidationError("只有乡镇（街道）工作人员可以组织联审会议")
        members = services.parse_members(form.cleaned_data["members"])
        process.save()
        services.plan_meeting(process, township=township, scheduled_on=form.cleaned_data["scheduled_on"], place=form.cleaned_data["place"], members=members)


class MeetingTaskView(ServiceFormMixin, UpdateProcessView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.request.activation.process.meeting, **kwargs)


class AgendaView(MeetingTaskView):
    form_class = forms.AgendaForm

    def get_form_kwargs(self):
        meeting = self.request.activation.process.meeting
        return {**super().get_form_kwargs(), "cases": services.eligible_cases(meeting.township_id)}

    def perform(self, form, process):
        services.set_agenda(process.meeting, list(form.cleaned_data["cases"]))


class RecordMeetingView(MeetingTaskView):
    form_class = forms.RecordMeetingForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.request.activation.process.meeting}

    def perform(self, form, process):
        data = form.cleaned_data
        services.record_meeting(
            process.meeting, day=data["held_on"], recorder=data["recorder"], present=set(data["present"]), votes=form.votes(), user=self.request.user
        )


class SignMinutesView(MeetingTaskView):
    form_class = forms.SignMinutesForm

    def perform(self, form, process):
        services.sign_minutes(process.meeting, self.request.user, form.cleaned_data["password"])
