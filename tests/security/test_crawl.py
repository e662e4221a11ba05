"""GET every URL pattern: in scope 200/302/403/405/409, out of scope 404, never 500.

Every pattern is requested; what varies is by whom. A page without parameters (lists, inboxes,
forms: what a role sees differs most) is requested by every role. A page of the project's own
naming a record is requested by every user, with one record in and one out of their scope. A
flow's process or task page (viewflow's views, several hundred patterns) is requested once in
scope and once out of scope, by users taken in turn from those who can (and those who cannot)
see one of its records, so that every role crawls its share of them; every page once anonymously. The admin is requested by the superuser and a county's
administrator for a record of each county, and by one ordinary user in turn and anonymously,
who must be sent to the admin's login.

The counts go to stdout (`-s`) and to test-artifacts/crawl.json (WJZ_CRAWL_ARTIFACT moves it).
"""

import json
import logging
import os
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from workflows.core.admin_scoping import is_administrator

from . import crawl

# 409: a finished task names who finished it (TaskConflictMiddleware).
IN_SCOPE = {200, 302, 403, 405, 409}
# A page that names no record: anything but an error of ours (404 for a link that is wrong
# on its face, such as a batch that never existed or a stale reset token).
UNSCOPED = {200, 302, 403, 404, 405, 409}

# In scope, 404 is the right answer for these patterns with the crawl's data: {name: reason}.
IN_SCOPE_404 = {
    "documents:notice_pdf": "巡检的通知书没有生成 PDF 文件，文件不存在即 404",
    "documents:notice_proof": "巡检的通知书没有上传送达回证",
    "payments:roster_xlsx": "巡检的发放批次还没有生成花名册",
    "payments:bank_file": "巡检的发放批次还没有花名册，也就没有银行代发文件",
}

# The admin pages a non-administrator may open: the login itself, and logout (POST only).
ADMIN_OPEN = {"admin/login/": {200, 302}, "admin/logout/": {302, 405}}
ADMIN_LOGIN = "/admin/login/"
# viewflow's task and process pages: one view class per kind behind one scoping mixin, so the
# users take them in turn.
FLOW_PREFIX = "workflow/flows/"

# Known failures left to their owners: {(pattern name, user label): reason}. strict: when one
# is fixed the crawl says so, and the entry must go.
KNOWN = {}

ARTIFACT = Path(os.environ.get("WJZ_CRAWL_ARTIFACT", Path(settings.BASE_DIR) / "test-artifacts" / "crawl.json"))


def test_every_parameter_can_be_filled():
    """A new pattern whose parameter nothing fills fails here instead of being skipped."""
    unfilled = [f"{p.route} ({p.name}) {p.params}" for p in crawl.patterns() if crawl.provider_for(p) is None]
    assert not unfilled, "无法填充路径参数的 URL：\n" + "\n".join(unfilled)


class _Anonymous:
    is_authenticated = False
    is_superuser = False
    pk = None


ANONYMOUS = _Anonymous()


# Site applications closed as a whole to roles without their permission (config/urls.py):
# such a role gets 403 for every record, in scope or not, existing or not, so the answer tells
# nothing about a record.
APP_GATES = {"registry:": "core.view_household"}


def _gated(pattern, user) -> bool:
    return any((pattern.name or "").startswith(prefix) and not user.has_perm(perm) for prefix, perm in APP_GATES.items())


def _expected(pattern, candidate, user):
    """(allowed statuses, kind) of a GET of `candidate`'s URL by `user`."""
    visible = candidate.visible_to(user)
    if user.is_authenticated and visible is not None and _gated(pattern, user):
        return {403}, "in" if visible else "out"
    if not user.is_authenticated:
        allowed = {302, 404} if visible is not None else set(UNSCOPED)
        if pattern.route.startswith("api/"):
            allowed.add(401)  # DRF answers an anonymous API call itself
        return allowed, "anonymous"
    if visible is None:
        return UNSCOPED, "unscoped"
    if visible:
        return IN_SCOPE | ({404} if pattern.name in IN_SCOPE_404 else set()), "in"
    return {404}, "out"


def _admin_expected(pattern, candidate, user):
    if not (user.is_authenticated and is_administrator(user)):
        if pattern.route in ADMIN_OPEN:
            return ADMIN_OPEN[pattern.route], "admin-refused"
        return {"login"}, "admin-refused"
    if set(pattern.params) <= {"app_label", "url"}:  # the admin's own pages: no record
        return {200, 302, 403, 404, 405}, "admin"
    if pattern.name == "admin":
        # admin/<app>/<model>/<pk>/ only redirects to <pk>/change/, which is crawled itself.
        return {"change"}, "admin"
    if pattern.name == "admin:view_on_site":
        # "View on site" of a record: 404 when its model has no page of its own (households).
        return {302, 404}, "admin"
    if candidate.missing:
        return {302, 403, 404}, "admin"
    visible = candidate.visible_to(user)
    if visible is None:
        # A record of no region: the province's calendar or a user account. Which of these a
        # county's administrator may open is the ModelAdmin's permission, not a scope question.
        return ({200, 302, 403} if user.is_superuser else {200, 302, 403, 404}), "admin"
    return ({200, 302, 403}, "admin-in") if visible else ({404}, "admin-out")


def _plan(index, pattern, candidates, staff, admins, others, distinct=None):
    """The (user, candidate) pairs to request for one pattern (`distinct`: the users whose
    role differs, for the pages naming no record)."""
    if pattern.route.startswith(crawl.ADMIN_PREFIX):
        pairs = [(user, c) for user in admins for c in candidates]
        return pairs + [(others[index % len(others)], candidates[0]), (ANONYMOUS, candidates[0])]
    if not pattern.params:
        return [(user, candidates[0]) for user in (*(distinct or staff), ANONYMOUS)]
    pairs = []
    if not pattern.route.startswith(FLOW_PREFIX):
        # The project's own views, each checking scope and permission its own way: a check in
        # the wrong order shows for one role only, so every user tries one record they can
        # and one they cannot see.
        for user in staff:
            for want in (True, False, None):
                found = next((c for c in candidates if c.visible_to(user) is want), None)
                if found is not None:
                    pairs.append((user, found))
        return pairs + [(ANONYMOUS, candidates[0])]
    for want in (True, False):
        # Users in turn, each with the first record they can (cannot) see.
        eligible = [(user, c) for user in staff for c in [next((c for c in candidates if c.visible_to(user) is want), None)] if c is not None]
        if eligible:
            pairs.append(eligible[index % len(eligible)])
    if all(c.visible_to(staff[0]) is None for c in candidates):
        pairs.append((staff[index % len(staff)], candidates[0]))
    return pairs + [(ANONYMOUS, candidates[0])]


@pytest.fixture
def quiet_request_log():
    # Each expected 403/404 would be logged as a warning: thousands of lines, and a fifth of
    # the run's time. A 500 is still logged (ERROR) and fails the crawl anyway.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.mark.django_db
def test_crawl_every_pattern(quiet_request_log):
    started = time.monotonic()
    data = crawl.build()
    built = time.monotonic()
    patterns = crawl.patterns()
    labels = {user.pk: label for label, user in data.users}
    staff = [user for _, user in data.users]
    admins = [user for user in staff if is_administrator(user)]
    others = [user for user in staff if not is_administrator(user)]
    distinct = [user for user in staff if user.pk not in data.neighbours]
    clients = {}
    for user in staff:
        clients[user.pk] = Client(raise_request_exception=False)
        clients[user.pk].force_login(user)
    clients[None] = Client(raise_request_exception=False)
    counts, failures, requested_by = Counter(), [], Counter()
    trace = os.environ.get("WJZ_CRAWL_TRACE")
    for index, pattern in enumerate(patterns):
        candidates = crawl.provider_for(pattern)(data)
        assert candidates, f"{pattern.name}: 没有可用的记录"
        for user, candidate in _plan(index, pattern, candidates, staff, admins, others, distinct):
            url = "/" + _fill(pattern.route, candidate.kwargs)
            began = time.monotonic()
            response = clients[user.pk].get(url)
            label = labels.get(user.pk, "匿名")
            if trace:
                with open(trace, "a") as out:
                    out.write(f"{time.monotonic() - began:.3f} {response.status_code} {label} {url}\n")
            if pattern.route.startswith(crawl.ADMIN_PREFIX):
                allowed, kind = _admin_expected(pattern, candidate, user)
            else:
                allowed, kind = _expected(pattern, candidate, user)
            if allowed == {"login"}:
                ok = response.status_code == 302 and response["Location"].startswith(ADMIN_LOGIN)
            elif allowed == {"change"}:
                ok = response.status_code == 302 and response["Location"] == f"{url}change/"
            else:
                ok = response.status_code in allowed
            counts["requests"] += 1
            counts[response.status_code] += 1
            counts[kind] += 1
            requested_by[label] += 1
            if not ok:
                failures.append((pattern.name, label, url, response.status_code, kind))
    elapsed = time.monotonic() - started
    figures = {
        "patterns": len(patterns),
        "requests": counts["requests"],
        "by_kind": {k: counts[k] for k in ("in", "out", "unscoped", "anonymous", "admin", "admin-in", "admin-out", "admin-refused")},
        "by_status": {str(k): v for k, v in sorted((k, v) for k, v in counts.items() if isinstance(k, int))},
        "by_user": dict(requested_by),
        "404": counts[404],
        "500": counts[500],
        "failures": len(failures),
        "build_seconds": round(built - started, 1),
        "total_seconds": round(elapsed, 1),
    }
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    report = (
        f"巡检：{len(patterns)} 个 URL 模式，{counts['requests']} 次请求（辖区内 {counts['in']}，辖区外 {counts['out']}，"
        f"无记录 {counts['unscoped']}，匿名 {counts['anonymous']}，管理后台 {counts['admin'] + counts['admin-in'] + counts['admin-out']}"
        f"（其中辖区外 {counts['admin-out']}），非管理员进后台 {counts['admin-refused']}），"
        f"404：{counts[404]}，500：{counts[500]}；造数 {built - started:.1f} 秒，共 {elapsed:.1f} 秒"
    )
    print("\n" + report)
    unexpected = [f for f in failures if (f[0], f[1]) not in KNOWN]
    fixed = [k for k in KNOWN if not any((f[0], f[1]) == k for f in failures)]
    assert not unexpected and not fixed, (
        report
        + "\n"
        + "\n".join(f"{status} {kind} {label} {url} ({name})" for name, label, url, status, kind in unexpected)
        + (f"\n已修复，请从 KNOWN 删除：{fixed}" if fixed else "")
    )


def test_every_role_and_pattern_is_covered():
    """The plan requests every pattern, in and out of scope, and gives every user a share."""

    # Pure planning over stand-in users and records: no database, no request.
    class User:
        is_authenticated = True
        is_superuser = False

        def __init__(self, pk):
            self.pk = pk

    staff = [User(pk) for pk in range(1, 6)]
    candidates = [crawl.Candidate({"pk": 1}, owner_id=1), crawl.Candidate({"pk": 2}, owner_id=2)]
    pattern = crawl.Pattern(FLOW_PREFIX + "x/<int:pk>/", "x", ["pk"])
    seen = Counter()
    for index in range(10):
        pairs = _plan(index, pattern, candidates, staff, [], staff)
        assert {c.visible_to(u) for u, c in pairs if u is not ANONYMOUS} == {True, False}
        assert any(u is ANONYMOUS for u, _ in pairs)
        seen.update(u.pk for u, _ in pairs if u is not ANONYMOUS)
    assert set(seen) == {1, 2, 3, 4, 5}


def _fill(route: str, kwargs: dict) -> str:
    import re

    route = re.sub(r"^\^|\$$", "", route.replace("admin/^", "admin/"))
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), route)
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)
