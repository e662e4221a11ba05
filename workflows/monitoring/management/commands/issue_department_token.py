"""manage.py issue_department_token CODE: a new API token for a department that pushes its
data (POST /api/monitoring/feeds/); the old one stops working. Printed once, only its SHA-256
is kept."""

from django.core.management.base import BaseCommand, CommandError

from workflows.monitoring import services
from workflows.monitoring.models import Department


class Command(BaseCommand):
    help = "为报送部门签发新的数据接口令牌（原令牌即时失效），令牌只显示这一次"

    def add_arguments(self, parser):
        parser.add_argument("department", help="部门代码，如 police")

    def handle(self, *args, **options):
        department = Department.objects.filter(code=options["department"]).first()
        if department is None:
            raise CommandError(f"没有部门代码“{options['department']}”；已有：{'、'.join(Department.objects.values_list('code', flat=True))}")
        self.stdout.write(services.issue_token(department))
