"""manage.py import_feed --department CODE --county CODE --month YYYY-MM [--json] FILE

Compare one department's feed for one county and month (M1), then open the actions its
signals call for. A bad file exits non-zero with a Chinese message and applies nothing."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workflows.core.models import Region
from workflows.monitoring import actions, services
from workflows.monitoring.models import Department, Via


class Command(BaseCommand):
    help = "导入一个部门一个县一个月的比对数据，比对后启动复核或主动发现核查"

    def add_arguments(self, parser):
        parser.add_argument("--department", required=True, help="部门代码，如 police")
        parser.add_argument("--county", required=True, help="县（市、区）12位区划代码")
        parser.add_argument("--month", required=True, help="数据月份 YYYY-MM")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
        parser.add_argument("file")

    def handle(self, *args, **options):
        department = Department.objects.filter(code=options["department"]).first()
        if department is None:
            raise CommandError(f"没有部门代码“{options['department']}”；已有：{'、'.join(Department.objects.values_list('code', flat=True))}")
        county = Region.objects.filter(code=options["county"]).first()
        if county is None:
            raise CommandError(f"没有区划代码“{options['county']}”")
        try:
            month = services.parse_month(options["month"])
            with open(options["file"], "rb") as stream:
                result = services.import_feed(
                    department=department, county=county, month=month, data=stream, filename=options["file"], user=None, via=Via.COMMAND, announce=False
                )
        except FileNotFoundError:
            raise CommandError(f"找不到文件：{options['file']}")
        except ValidationError as error:
            raise CommandError("\n".join(error.messages))
        opened = actions.open_actions(result.feed.pk, timezone.localdate()) if result.applied else {"recheck": 0, "lead": 0, "place": 0}
        summary = {
            "feed": result.feed.pk,
            "applied": result.applied,
            "rows": result.rows,
            "matched": result.matched,
            "signals": result.signals,
            "rechecks_opened": opened["recheck"],
            "leads_opened": opened["lead"],
            "placing_tasks_opened": opened["place"],
            "duplicates": result.duplicates,
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        if not result.applied:
            self.stdout.write(f"该文件已于 {timezone.localtime(result.feed.created):%Y-%m-%d %H:%M} 导入比对，本次未作任何改动")
            return
        self.stdout.write(
            f"{department.name} {county.name} {month:%Y年%-m月}：{result.rows}行，比中本地人员{result.matched}行，新预警{result.signals}条"
            f"（启动复核{opened['recheck']}件，主动发现核查{opened['lead']}件，待县民政安排核查{opened['place']}件），重复{result.duplicates}行"
        )
