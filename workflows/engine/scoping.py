"""Every URL that names a process or a task is answered 404 outside the user's scope
(DESIGN §4.3), for every process at once."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from .models import process_in_scope


class RegionScopeMiddleware:
    """Every URL that names a process or a task is answered 404 outside the user's scope.

    This closes viewflow's gap (its process and task views check only model-wide
    permissions, viewflow issue #505) for every process at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        process_pk = view_kwargs.get("process_pk")
        task_pk = view_kwargs.get("task_pk")
        if process_pk is None and task_pk is None:
            return None
        if not request.user.is_authenticated:
            # Someone following a task link from a notification or an email who is not
            # logged in yet: the login page, then back to the link (no 404 for a colleague).
            return redirect_to_login(request.get_full_path())
        if not process_in_scope(request.user, process_pk=process_pk, task_pk=task_pk):
            raise Http404("流程不存在或不在您的辖区内")
        return None
