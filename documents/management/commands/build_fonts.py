"""`manage.py build_fonts`: make the compact notice fonts (documents.fonts); run by `make install`.

Skips a face whose copy matches its system file; --force rebuilds.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from documents import fonts


class Command(BaseCommand):
    help = "生成文书所用的精简字体（GB 2312 字集），使 PDF 更小、更快。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="即使已是最新也重新生成")

    def handle(self, *args, force=False, **options):
        for spec in fonts.SPECS:
            if not force and fonts.is_current(spec):
                self.stdout.write(f"{fonts.family(spec)}: 已是最新 ({fonts.derived_path(spec)})")
                continue
            start = time.perf_counter()
            try:
                path = fonts.build(spec)
            except FileNotFoundError as exc:
                raise CommandError(f"{exc}。请先安装系统字体：sudo apt-get install fonts-arphic-ukai fonts-noto-cjk") from exc
            size = path.stat().st_size / 1024 / 1024
            self.stdout.write(f"{fonts.family(spec)}: {path} ({size:.1f} MiB, {time.perf_counter() - start:.1f} s)")
