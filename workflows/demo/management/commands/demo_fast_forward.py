"""演示：快进 N 天, from the shell (the same as the administrators' page /demo/clock/)."""

from django.core.management.base import BaseCommand, CommandError

from workflows.demo import clock


class Command(BaseCommand):
    help = "演示模式下把演示时钟快进 N 天，并补办这些天到期的定时任务（公示期满、逾期督办、每月会议等）。生产环境不可用。"

    def add_arguments(self, parser):
        parser.add_argument("days", type=int, help=f"快进天数（1 至 {clock.MAX_DAYS}）")

    def handle(self, *args, days, **options):
        if not clock.enabled():
            raise CommandError(clock.DemoModeOff.message)
        try:
            result = clock.fast_forward(days)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已快进到 {result.after:%Y年%-m月%-d日}（共快进 {result.days} 天）；到期事项 {result.timers} 项。")
        for label, count in result.jobs.items():
            self.stdout.write(f"{label}：{count} 项")
        for problem in result.problems:
            self.stderr.write(problem)
