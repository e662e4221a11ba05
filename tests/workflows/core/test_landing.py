"""The landing page: real quick-start links per role, the tasks one may take, the notices
waiting for the leader's signature, a page for roles whose process comes later."""

import re
from decimal import Decimal

import pytest

from tests.documents.pki import pki  # noqa: F401 - fixture
from tests.factories import COUNTY, TOWNSHIP_A, VILLAGE_A, make_household, make_user
from tests.workflows.application.test_application_flow import do, file
from workflows.application.flows import ApplicationFlow
from workflows.application.models import ApplicationProcess

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(issuers, clerk_a, clerk_b, principal, principal_b):
    return {
        "household": make_household(VILLAGE_A, head_name="孙大", wage=Decimal("600"), members=3),
        "clerk": clerk_a,
        "clerk_b": clerk_b,
        "principal": principal,
        "principal_b": principal_b,
    }


def landing(client, user) -> str:
    client.force_login(user)
    return client.get("/", follow=True).content.decode()


def hrefs(page: str) -> list[str]:
    return re.findall(r'<a class="mdc-button[^"]*" href="([^"]*)"', page)


@pytest.mark.parametrize(
    "role,region",
    [
        ("caseworker", VILLAGE_A),
        ("township_clerk", TOWNSHIP_A),
        ("township_principal", TOWNSHIP_A),
        ("county_officer", COUNTY),
        ("finance_officer", COUNTY),
        ("supervisor", "340100000000"),
        ("petition_officer", COUNTY),
    ],
)
def test_every_quick_start_has_a_working_link(client, regions, role, region):
    user = make_user(f"u_{role}", role, region)
    page = landing(client, user)
    links = hrefs(page)
    assert links and all(links), links
    # the pages beside the tasks open (the forms that start a process are each flow's tests)
    for url in re.findall(r'<a class="mdc-button mdc-button--outlined" href="([^"]*)"', page):
        assert client.get(url).status_code == 200, url


def test_clerk_quick_starts_include_filing_and_ledger(client, world):
    page = landing(client, world["clerk"])
    assert f'href="{ApplicationFlow.start.reverse("execute")}"' in page
    assert 'href="/discovery/ledger/"' in page and 'href="/notices/"' in page


def test_task_waiting_in_the_queue_is_on_the_landing_page(client, world):
    assert file(client, world).status_code == 302
    process = ApplicationProcess.objects.get()
    task = process.task_set.get(flow_task=ApplicationFlow.accept)
    page = landing(client, world["clerk"])
    assert "可认领 <b>1</b> 件" in page
    assert "待认领（1 件" in page and task.flow_task.reverse("index", args=[process.pk, task.pk]) in page
    # another township's clerk does not see it
    assert "待认领（" not in landing(client, world["clerk_b"])


def test_acceptance_notice_waits_for_the_principal_with_a_sign_link(pki, client, world):
    assert file(client, world).status_code == 302
    process = ApplicationProcess.objects.get()
    assert do(client, process, ApplicationFlow.accept, {"decision": "accept"}).status_code == 302
    from documents.models import Notice

    notice = Notice.objects.get(kind="acceptance")
    page = landing(client, world["principal"])
    assert "待签发文书（1 件）" in page and f'href="/notices/{notice.pk}/sign/"' in page and notice.number in page
    # the clerk does not sign; the other township's principal does not see it
    assert "待签发文书" not in landing(client, world["clerk"])
    assert "待签发文书" not in landing(client, world["principal_b"])
    # once signed it leaves the list
    client.force_login(world["principal"])
    assert client.post(f"/notices/{notice.pk}/sign/", {"password": "pw-12345"}).status_code == 302
    assert "待签发文书" not in landing(client, world["principal"])


def test_petition_officer_finds_the_petition_start_and_lists(client, world):
    officer = make_user("petition_a", "petition_officer", COUNTY)
    page = landing(client, officer)
    assert "登记信访件" in page and 'href="/petitions/"' in page and 'href="/petitions/repeats/"' in page
    assert "即将上线" not in page


@pytest.mark.parametrize(
    "role,region,shown,hidden",
    [
        ("township_clerk", TOWNSHIP_A, ["文书", "主动发现台账"], ["抽查覆盖"]),
        ("county_officer", COUNTY, ["文书", "主动发现台账", "抽查覆盖"], []),
        ("supervisor", "340100000000", ["文书", "抽查覆盖"], []),
        ("finance_officer", COUNTY, [], ["文书", "主动发现台账", "抽查覆盖"]),
    ],
)
def test_menu_has_the_pages_each_role_uses(client, regions, role, region, shown, hidden):
    page = landing(client, make_user(f"m_{role}", role, region))
    menu = re.findall(r'<a class="mdc-list-item[^"]*"[^>]*href="([^"]+)"[^>]*>.*?<span class="mdc-list-item__content">\s*([^<]+?)\s*</span>', page, re.S)
    titles = {title: url for url, title in menu}
    for title in shown:
        assert title in titles, (title, titles)
        assert client.get(titles[title], follow=True).status_code == 200
    for title in hidden:
        assert title not in titles


def test_supervisor_reads_coverage_and_payments(client, regions):
    supervisor = make_user("sup", "supervisor", "340100000000")
    client.force_login(supervisor)
    assert client.get("/spotcheck/coverage/").status_code == 200
    from workflows.payments.flows import PaymentFlow

    assert client.get(PaymentFlow.instance.reverse("index"), follow=True).status_code == 200
    # read only: no cycle can be opened
    assert client.get(PaymentFlow.start.reverse("execute")).status_code == 403
