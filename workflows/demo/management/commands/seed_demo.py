"""seed_demo: the demo data `make run` serves (workflows.demo.seed)."""

from django.core.management.base import BaseCommand

from workflows.demo.seed import ADMIN_PASSWORD, ADMIN_USERNAME, DEMO_PASSWORD, DemoSeeder


class Command(BaseCommand):
    help = (
        "写入演示数据：安徽省及16个地级市、4个演示县的乡镇和村（社区）、各角色演示账号、救助标准和模拟家庭。"
        f"所有演示账号密码均为 {DEMO_PASSWORD}，管理员 {ADMIN_USERNAME} / {ADMIN_PASSWORD}；"
        "用户名为角色前缀_区划代码前缀，如 caseworker_340121100001、clerk_340121100、countyhead_340121、supervisor_3401"
        "（manage.py demo_logins 列出每个角色一个）。"
        "可重复运行：区划更新、账号和标准只建一次；演示村已有家庭时不再生成家庭（换规模或种子请先 flush）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=200, help="生成的家庭数（默认200）")
        parser.add_argument("--seed", type=int, default=2022, help="随机种子（默认2022），同一种子生成相同的数据")
        parser.add_argument("--no-cases", action="store_true", help="不生成演示案件（各角色的待办）")
        parser.add_argument("--pki-dir", default=None, help="演示案件签发文书所用开发证书的目录（默认 var/pki/，缺少时自动运行 init_dev_pki）")

    def handle(self, *args, households, seed, no_cases=False, pki_dir=None, **options):
        summary = DemoSeeder(stderr=self.stderr).run(households, seed, no_cases=no_cases, pki_dir=pki_dir)
        if options["verbosity"] >= 1:
            self.stdout.write(summary)
