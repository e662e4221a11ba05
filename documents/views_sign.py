"""A leader's sign page and the staff PDF download.

Both are region-scoped: outside the user's region a notice does not exist for them (404,
DESIGN §4.3). Signing needs the leader's password again (re-authentication for the act).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin

from workflows.core.scoping import get_scoped_or_404
from workflows.core.services import audit

from . import services
from .models import Notice


class SignForm(forms.Form):
    password = forms.CharField(label="登录密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


def _notice(request, pk) -> Notice:
    return get_scoped_or_404(Notice.objects.select_related("issuer", "signed_by", "replaces"), request.user, pk=pk)


def _page(request, notice, form, status=200):
    context = {"notice": notice, "form": form, "may_sign": notice.state == "rendered" and services.may_sign(request.user, notice)}
    return render(request, "documents/notice_sign.html", context, status=status)


@login_required
def notice_sign(request, pk):
    notice = _notice(request, pk)
    if request.method != "POST":
        return _page(request, notice, SignForm())
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            notice = services.sign_notice(notice, request.user, form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _page(request, notice, form, status=400)
    messages.success(request, f"已签发 {notice.number}，签名后的文书已保存")
    return redirect("documents:notice_sign", pk=notice.pk)


@login_required
@xframe_options_sameorigin  # shown inside the sign page's frame
def notice_pdf(request, pk):
    notice = _notice(request, pk)
    if not notice.pdf:
        raise Http404("文书文件尚未生成")
    # DESIGN §4.7: a notice carries personal data; every staff download is audited.
    audit(request.user, "download", "notice", notice.pk, notice.region_code)
    return FileResponse(notice.pdf.open("rb"), content_type="application/pdf", filename=f"{notice.number}.pdf")
