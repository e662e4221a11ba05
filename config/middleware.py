"""The staff Site's menu and colours on every staff page, also on pages outside its URL tree.

viewflow's base template reads the Site from the resolver match, which only the Site's own
URLs carry. Pages that apps register beside it (the 文书 list, the ledger, the payment pages,
notifications, objections, the demo clock) get the same Site here, in the composition root,
so that no app has to import the URL root to show its menu.
"""

from config.urls import site


class SiteMenuMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        # Staff only: a citizen's public pages stay outside the staff menu.
        if match is not None and getattr(match, "site", None) is None and request.user.is_authenticated:
            match.site = site
        return None
