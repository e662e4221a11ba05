"""Print one demo login per role (what `make run` shows before the server starts)."""

import unicodedata

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from workflows.core.models import Region, StaffRole
from workflows.demo import cases
from workflows.demo import petitions as demo_petitions
from workflows.demo.seed import ADMIN_PASSWORD, ADMIN_USERNAME, DEMO_PASSWORD, staff_plan

URL = "http://127.0.0.1:8000/"


def width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


class Command(BaseCommand):
    help = "列出每个角色的一个演示账号（用户名、密码、角色、辖区）和访问地址。"

    def handle(self, *args, **options):
        first_per_role = {}
        for spec in staff_plan():
            first_per_role.setdefault(spec.role, spec)
        usernames = [s.username for s in first_per_role.values()]
        existing = set(get_user_model().objects.filter(username__in=usernames + [ADMIN_USERNAME]).values_list("username", flat=True))
        if not existing:
            self.stdout.write("还没有演示账号，请先运行：python manage.py seed_demo")
            return
        regions = {r.code: r for r in Region.objects.filter(code__in=[s.region for s in first_per_role.values()]).select_related("parent__parent__parent")}
        role_names = dict(StaffRole.ROLE_CHOICES)
        rows = [("用户名", "密码", "角色", "辖区")]
        rows += [
            (s.username, DEMO_PASSWORD, role_names[s.role], regions[s.region].full_name or regions[s.region].name)
            for s in first_per_role.values()
            if s.username in existing
        ]
        if ADMIN_USERNAME in existing:
            rows.append((ADMIN_USERNAME, ADMIN_PASSWORD, "系统管理员", "全部"))
        columns = [max(width(row[i]) for row in rows) for i in range(4)]
        rule = "+" + "+".join("-" * (c + 2) for c in columns) + "+"
        lines = [rule]
        for n, row in enumerate(rows):
            lines.append("| " + " | ".join(pad(cell, c) for cell, c in zip(row, columns, strict=False)) + " |")
            if n == 0:
                lines.append(rule)
        lines.append(rule)
        self.stdout.write("演示账号（每个角色一个）：")
        self.stdout.write("\n".join(lines))
        self.stdout.write(
            "其他辖区的账号按同一规则命名，密码相同：角色前缀_区划代码前缀，"
            "如 clerk_340121101（同县另一乡镇的经办人）、countyhead_341221（临泉县）、supervisor_34（省）。"
        )
        self.stdout.write(f"信访三级账号：乡镇 {demo_petitions.OFFICER_T}、县 {demo_petitions.OFFICER_C}、市 {demo_petitions.OFFICER_CITY}（复核），密码相同。")
        notices = cases.citizen_notices()
        if notices:
            self.stdout.write(f"群众下载文书（{URL}notices/download，输入文号和查询码）：")
            for title, number, code, name in notices:
                self.stdout.write(f"  {title}（{name}）：文号 {number}  查询码 {code}")
        petition = demo_petitions.citizen_petition()
        if petition:
            number, code, name = petition
            self.stdout.write(f"群众查询信访办理情况（{URL}xinfang/status/）：{name} 信访件编号 {number}  查询码 {code}；网上信访：{URL}xinfang/online/")
        self.stdout.write(f"访问地址：{URL}")
