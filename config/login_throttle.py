"""django-axes glue: the backend that refuses a locked-out login, and the page that says so."""

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_lockout_message
from django.contrib.auth.forms import AuthenticationForm
from django.forms.utils import ErrorDict
from django.http import HttpResponse
from django.template.response import TemplateResponse


class ThrottledLoginBackend(AxesStandaloneBackend):
    """Axes' lock check, for every login that comes with a request.

    Every way in over HTTP passes the request (Django's and the admin's login forms, DRF's
    basic authentication); only code calls authenticate() without one (the test client's
    login(), a shell). Axes would raise for those; there is no client address to throttle, so
    they go on to the password check unthrottled."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request) -> str:
    # Whatever axes would guess from X-Forwarded-For (with django-ipware installed): that
    # header is the client's to write. Behind a reverse proxy, the proxy sets REMOTE_ADDR.
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, the lock-out message in place of "wrong password", input kept.

    Works for any login view that renders an AuthenticationForm (ours at /accounts/login/ and
    the admin's); anything else gets the bare message."""
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    message = get_lockout_message()
    status = 429
    if not isinstance(form, AuthenticationForm) or not isinstance(original_response, TemplateResponse):
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    # Replace the form's "wrong password" error: the password may well be right.
    form._errors = ErrorDict(renderer=form.renderer)
    form.add_error(None, message)
    response = TemplateResponse(request, original_response.template_name, context, status=status, using=original_response.using)
    return response.render()
