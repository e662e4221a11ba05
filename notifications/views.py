"""The user's notifications and channel preferences. Everything is filtered by the logged-in
user: another user's notification answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .forms import ChannelPreferenceForm
from .models import ChannelPreference
from .services import mark_read


@login_required
def notification_list(request):
    page = Paginator(request.user.notifications.all(), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
def notification_open(request, pk):
    """Opening a notification reads it and goes to what it is about."""
    notification = get_object_or_404(request.user.notifications, pk=pk)
    mark_read(request.user.notifications.filter(pk=pk))
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts={request.get_host()}):
        return redirect(notification.link)
    return redirect("notifications:list")


@login_required
def notification_read(request, pk):
    # Someone else's notification or none at all is 404 for any method, before the method check.
    get_object_or_404(request.user.notifications, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    mark_read(request.user.notifications.filter(pk=pk))
    return redirect("notifications:list")


@require_POST
@login_required
def notification_read_all(request):
    count = mark_read(request.user.notifications.all())
    messages.success(request, f"已将 {count} 条通知标为已读")
    return redirect("notifications:list")


@login_required
def preferences(request):
    instance = ChannelPreference.objects.filter(user=request.user).first() or ChannelPreference(user=request.user)
    form = ChannelPreferenceForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "通知设置已保存")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
