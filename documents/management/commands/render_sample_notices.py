"""Render (and, when signing is available, sign) one sample notice of every kind.

    python manage.py render_sample_notices --out DIR [--new]

Needs the demo regions (`migrate` + `seed_demo`). The notices are issued by 长丰县民政局
(created if missing) with the contexts of `documents.samples`, under the case keys
"sample:<kind>:<n>": running it again writes the same notices again (n = 1) unless --new
issues a fresh set with the next n.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.kinds import KINDS
from documents.models import Issuer, Notice, NoticeState
from documents.samples import sample_addressee, sample_context, sign_notice_for_samples
from documents.services import issue_notice
from documents.signing import SigningNotConfigured
from workflows.core.models import Region

DEMO_COUNTY = "340121000000"  # 长丰县 in the demo data


class Command(BaseCommand):
    help = "为每种文书生成一份样例 PDF（演示数据）"

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="输出目录")
        parser.add_argument("--new", action="store_true", help="另行签发一套新的样例文书（新文号）")

    def handle(self, *args, out, new, **options):
        region = Region.objects.filter(code=DEMO_COUNTY).first()
        if region is None:
            raise CommandError("未找到演示区划长丰县（340121000000），请先运行 python manage.py seed_demo")
        issuer = Issuer.objects.filter(number_prefix="皖长民").first() or Issuer.objects.create(
            region=region, name="长丰县民政局", number_prefix="皖长民", phone="0551-66710001"
        )
        sign = sign_notice_for_samples
        n = _next_serial() if new else 1
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        for kind in KINDS:
            notice = issue_notice(
                kind=kind,
                issuer=issuer,
                case=None,
                case_key=f"sample:{kind}:{n}",
                addressee_name=sample_addressee(kind),
                context=sample_context(kind),
                region_code=region.code,
            )
            if sign is not None and notice.state == NoticeState.RENDERED:
                try:
                    sign(notice)
                except SigningNotConfigured as exc:
                    self.stdout.write(f"提示：{exc}；样例文书未签名。")
                    sign = None
            with notice.pdf.open("rb") as handle:
                (directory / f"{kind}.pdf").write_bytes(handle.read())
            self.stdout.write(f"{notice.number}  {notice.title}  → {directory / f'{kind}.pdf'}")
        self.stdout.write(self.style.SUCCESS(f"已生成 {len(KINDS)} 份样例文书：{directory}"))


def _next_serial() -> int:
    keys = Notice.objects.filter(case_key__startswith="sample:").values_list("case_key", flat=True)
    return max((int(k.rsplit(":", 1)[1]) for k in keys if k.rsplit(":", 1)[1].isdigit()), default=0) + 1
