"""Recording an objection raised during 公示 (最低生活保障审核确认办法: it re-opens the investigation)."""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from workflows.core.scoping import get_scoped_or_404

from . import services
from .models import Application


class ObjectionForm(django_forms.Form):
    raised_by = django_forms.CharField(label="异议人（可匿名）", max_length=50, required=False)
    content = django_forms.CharField(label="异议内容", widget=django_forms.Textarea(attrs={"rows": 4}))


@login_required
def record_objection(request, pk):
    # Scope before permission: a record outside the user's regions does not exist for them (404),
    # whatever their role; only a record they may see can be refused (403).
    application = get_scoped_or_404(Application.objects.select_related("household"), request.user, pk=pk)
    if not request.user.has_perm("application.handle_application"):
        raise PermissionDenied
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_objection(
                application, user=request.user, content=form.cleaned_data["content"], raised_by=form.cleaned_data["raised_by"], today=timezone.localdate()
            )
        except ValidationError as error:
            form.add_error(None, error.messages if not hasattr(error, "error_dict") else sum(error.message_dict.values(), []))
        else:
            messages.success(request, "异议已登记，公示期满后将转入复查")
            return redirect(application.applicationprocess.flow_class.instance.reverse("process_detail", args=[application.applicationprocess.pk]))
    return render(request, "application/objection.html", {"application": application, "form": form})


app_name = "application"
urlpatterns = [path("applications/<int:pk>/objection/", record_objection, name="objection")]
