"""Issue 4 item 6: one application from filing to the download of its approval notice, driven
through a real browser (Playwright for Python and Debian's Chromium; no browser download).

The clerk files, accepts, investigates and assesses the application, plans the joint review
meeting, sets its agenda and records the votes; the township principal signs the minutes; the
notice list then offers the 批准决定书, whose PDF is downloaded and read. Every step leaves a
screenshot in test-artifacts/browser/ (gitignored; WJZ_BROWSER_ARTIFACTS puts them elsewhere),
with the downloaded approval.pdf and, on failure, failure.png/failure.html of the last page.
"""

import os
import re
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from documents.models import Notice
from tests.documents.pki import PASSWORD, pki  # noqa: F401 - fixture
from tests.factories import VILLAGE_A, make_household, make_issuers
from tests.helpers import pdf_text
from tests.workflows.application.test_application_flow import fire_publicity_timer
from workflows.application.flows import ApplicationFlow
from workflows.application.models import Application, ApplicationProcess
from workflows.core.models import Beneficiary
from workflows.review.models import ReviewMeeting

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
ARTIFACTS = Path(os.environ.get("WJZ_BROWSER_ARTIFACTS", Path(django_settings.BASE_DIR) / "test-artifacts" / "browser"))
DEFAULT_MEDIA_ROOT = django_settings.MEDIA_ROOT  # read before any fixture overrides it
HEAD = "孙大"
MEMBERS = "刘建华 镇人民政府\n陈晓东 镇民政办\n许梅 镇财政所"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),  # the live server's thread sees committed rows only
]


@pytest.fixture
def world(pki, principal, clerk_a, settings):
    # Playwright's sync API runs an asyncio loop in this thread; the ORM calls made here
    # between browser actions are ordinary synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # make test installs Debian's chromium (scripts/system_deps.sh): its absence is a failure.
    assert Path(CHROMIUM).exists(), f"浏览器测试需要 Debian 的 Chromium（{CHROMIUM} 不存在）：sudo apt-get install chromium"
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        # A real worker renders the decision notice into its own MEDIA_ROOT, the default one;
        # the live server must serve the file from there (pki put ours in tmp_path).
        settings.MEDIA_ROOT = DEFAULT_MEDIA_ROOT
    make_issuers()  # after pki: init_dev_pki makes certificates for the issuers there are
    return {
        "household": make_household(VILLAGE_A, head_name=HEAD, wage=Decimal("600"), members=3),
        "clerk": clerk_a,
        "principal": principal,
    }


@pytest.fixture
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Steps:
    """Numbered screenshots, one per step: 01-household.png, 02-start-form.png, ..."""

    def __init__(self):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for old in [*ARTIFACTS.glob("*.png"), *ARTIFACTS.glob("failure.*"), *ARTIFACTS.glob("*.pdf")]:
            old.unlink()
        self.n = 0

    def shot(self, page, name):
        self.n += 1
        page.screenshot(path=str(ARTIFACTS / f"{self.n:02d}-{name}.png"), full_page=True)


@contextmanager
def signed_in(browser, base, username):
    """A browser session of one user; on failure the page is kept as failure.png/.html."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(re.compile(r".*/home/$"))
        yield page
    except BaseException:
        page.screenshot(path=str(ARTIFACTS / "failure.png"), full_page=True)
        (ARTIFACTS / "failure.html").write_text(page.content())
        raise
    finally:
        context.close()


def claim(page, base, task_title):
    """From the queue (待认领): open the task, claim it and go on to its form."""
    page.goto(f"{base}/workflow/queue/")
    page.get_by_role("row").filter(has_text=task_title).get_by_role("link").first.click()
    page.wait_for_url(re.compile(r".*/assign/$"))
    page.get_by_role("button", name="认领并继续").click()
    page.wait_for_url(re.compile(r".*/execute/$"))


def pick(page, field_label, option):
    """A single choice (Material select): open its menu and click the option."""
    field = page.get_by_role("button", name=re.compile(f"^{re.escape(field_label)}"))
    field.click()
    page.get_by_role("listbox", name=field_label).get_by_role("option", name=option, exact=True).click()
    expect(field).to_contain_text(option)


def pick_many(page, field_label, options):
    """A multiple choice (Material select, a checkbox per option): open, tick each, close."""
    field = page.get_by_role("button", name=re.compile(f"^{re.escape(field_label)}"))
    expect(field, f"多选字段「{field_label}」没有显示在页面上").to_be_visible()
    field.click()
    for option in options:
        item = page.get_by_role("checkbox", name=re.compile(re.escape(option)))
        item.click()
        expect(item).to_have_attribute("aria-checked", "true")
    page.keyboard.press("Escape")
    expect(item).to_be_hidden()


def submit(page):
    """办理: the form was accepted when the browser leaves the task's form."""
    page.get_by_role("button", name="办理", exact=True).click()
    page.wait_for_url(lambda url: not url.endswith("/execute/"))


def test_clerk_and_principal_take_an_application_to_its_approval_notice(live_server, world, browser, wait_until):
    base, household, steps = live_server.url, world["household"], Steps()

    with signed_in(browser, base, "clerk_a") as page:
        page.goto(f"{base}/registry/household/{household.pk}/detail/")
        expect(page.get_by_role("heading", name=re.compile(HEAD))).to_be_visible()
        steps.shot(page, "household")

        page.get_by_role("link", name="登记救助申请").click()
        page.wait_for_url(re.compile(r".*/workflow/flows/application/start/\?household=\d+$"))
        expect(page.get_by_role("button", name=re.compile("^申请人"))).to_contain_text(HEAD)  # prefilled
        steps.shot(page, "start-form")
        page.get_by_role("button", name="发起", exact=True).click()
        page.wait_for_url(lambda url: "/start/" not in url)

        page.goto(f"{base}/workflow/queue/")
        expect(page.get_by_role("row").filter(has_text="受理审查")).to_contain_text(f"{HEAD}家庭")
        steps.shot(page, "queue")

        claim(page, base, "受理审查")
        page.get_by_label("材料齐全，予以受理").check()
        steps.shot(page, "accept")
        submit(page)

        claim(page, base, "入户调查")
        page.get_by_label("调查人一").fill("王强")
        page.get_by_label("调查人二").fill("李娟")
        page.get_by_label("入户日期").fill(timezone.localdate().isoformat())
        page.get_by_label("家庭生活状况（住房、就业、健康、支出等）").fill("住房简陋，户主务工收入不稳定")
        page.get_by_label("调查结论").fill("情况属实")
        steps.shot(page, "investigation")
        submit(page)

        # The economic verification is a Celery job (eager here, a worker in the services run).
        process = ApplicationProcess.objects.get(application__household=household)
        wait_until(lambda: process.task_set.filter(flow_task=ApplicationFlow.assess).exists(), message="经济状况核对未完成")
        claim(page, base, "评估测算")
        expect(page.get_by_text("人均月收入").first).to_be_visible()
        steps.shot(page, "assessment")
        submit(page)

        # 公示 lasts 7 days: its Timer cannot be clicked, so it is fired through the ORM, as
        # the flow tests do (tests/workflows/application/test_application_flow.py).
        application = Application.objects.get(household=household)
        assert application.state == "publicized"
        fire_publicity_timer(process)
        application.refresh_from_db()
        assert application.state == "awaiting_review"
        page.goto(f"{base}/workflow/flows/application/{process.pk}/")
        expect(page.get_by_text("等待联审会议").first).to_be_visible()
        steps.shot(page, "after-publicity")

        page.goto(f"{base}/workflow/flows/reviewmeeting/start/")
        page.get_by_label("会议日期").fill(timezone.localdate().isoformat())
        page.get_by_label("会议地点").fill("镇政府二楼会议室")
        page.get_by_label("联审小组成员（每行：姓名 单位）").fill(MEMBERS)
        steps.shot(page, "meeting-plan")
        page.get_by_role("button", name="发起", exact=True).click()
        page.wait_for_url(lambda url: "/start/" not in url)

        claim(page, base, "确定议程")
        pick_many(page, "上会案件", [f"{HEAD}家庭"])
        steps.shot(page, "meeting-agenda")
        submit(page)

        claim(page, base, "会议记录与表决")
        page.get_by_label("召开日期").fill(timezone.localdate().isoformat())
        page.get_by_label("记录人").fill("陈晓东")
        pick_many(page, "出席成员", ["刘建华（", "陈晓东（", "许梅（"])
        page.get_by_label(f"{HEAD}家庭：同意票").fill("3")
        page.get_by_label(f"{HEAD}家庭：不同意票").fill("0")
        page.get_by_label(f"{HEAD}家庭：弃权票").fill("0")
        pick(page, f"{HEAD}家庭：集体决定", "批准纳入")
        page.get_by_label(f"{HEAD}家庭：决定理由").fill("家庭人均收入低于当地低保标准，同意纳入")
        steps.shot(page, "meeting-record")
        submit(page)
        assert ReviewMeeting.objects.get().state == "held"
        # Only the principal may sign: the clerk's queue does not offer it.
        page.goto(f"{base}/workflow/queue/")
        expect(page.get_by_role("row").filter(has_text="签发会议纪要")).to_have_count(0)

    with signed_in(browser, base, "principal_a") as page:
        claim(page, base, "签发会议纪要")
        page.get_by_label("签发人登录密码（确认签发）").fill(PASSWORD)
        steps.shot(page, "sign-minutes")
        submit(page)

        # Signing moves the decided case on; a Celery job then issues the decision notices.
        wait_until(lambda: Notice.objects.filter(kind="approval").exclude(pdf="").exists(), message="批准决定书未生成")
        approval = Notice.objects.get(kind="approval")
        beneficiary = Beneficiary.objects.get(household=household, state="active")

        page.goto(f"{base}/notices/")
        row = page.get_by_role("row").filter(has_text="批准决定书")
        steps.shot(page, "notice-list")
        row.get_by_role("link", name=approval.number).click()
        page.wait_for_url(re.compile(rf".*/notices/{approval.pk}/$"))
        steps.shot(page, "notice-detail")

        # Chromium shows the PDF in its built-in viewer: no download event, and the viewer
        # keeps the bytes. Check the response it showed, then download the same URL with the
        # page's session, as the viewer's save button would.
        with page.expect_response(re.compile(rf".*/notices/{approval.pk}/pdf/$")) as viewed:
            page.get_by_role("link", name="查看 PDF").click()
        assert viewed.value.ok and viewed.value.headers["content-type"] == "application/pdf"
        steps.shot(page, "approval-pdf")
        download = page.request.get(viewed.value.url)
        assert download.ok and quote(f"{approval.number}.pdf") in download.headers["content-disposition"]
        pdf = download.body()
        (ARTIFACTS / "approval.pdf").write_bytes(pdf)

    text = re.sub(r"\s+", "", pdf_text(pdf, layout=True))  # pdftotext breaks lines (and spaces out CJK) at will
    assert "批准决定书" in text
    assert approval.number in text
    assert approval.addressee_name == HEAD and f"{HEAD}：" in text
    assert f"月保障金额{beneficiary.monthly_amount:.2f}元" in text, (beneficiary.monthly_amount, text)
