"""A line the bank failed to pay opens a 修正发放账户 task for its township (M10); the corrected
account is what the next cycle's arrears line pays to."""

from datetime import date
from decimal import Decimal

import pytest

from workflows.core.models import BankAccount
from workflows.payments import bankfile, services, tasks
from workflows.payments.flows import AccountFixFlow
from workflows.payments.models import AccountFixProcess

from .conftest import card, do, open_cycle, task_of
from .test_bank_import import as_file, disbursing, rows  # noqa: F401 - fixture

# The roster job, and the account fixes a bank file's import opens, run once each commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def failed(disbursing, county):
    """May's result: 甲一 (township A) and 乙一 (township B) failed, 甲二 paid."""
    result = rows(disbursing)
    for row, line in zip(result, disbursing.lines.order_by("pk"), strict=False):
        if line.beneficiary_id in (county["a1"].pk, county["b1"].pk):
            row[4:] = ["失败", "账户已销户"]
    bankfile.import_result(disbursing, as_file(result), "结果.csv", county["bank"])
    return disbursing


def fix_of(county, key):
    return AccountFixProcess.objects.get(line__beneficiary=county[key])


def test_each_failed_line_opens_one_task_in_its_townships_queue(client, county, failed):
    assert AccountFixProcess.objects.count() == 2
    fix = fix_of(county, "a1")
    assert fix.region_code == county["a1"].region_code and "账户已销户" in fix.summary
    assert fix.due_date == date(2026, 6, 5)  # June's roster deadline (M10: by the 5th)
    client.force_login(county["clerk_a"])
    queue = client.get("/workflow/queue/").content.decode()
    assert "甲一" in queue and "乙一" not in queue
    # the job runs again (a retry, a second import attempt): no second task
    assert tasks.open_account_fixes_now(failed) == 0
    assert AccountFixProcess.objects.count() == 2


def test_another_township_gets_404(client, county, failed):
    fix = fix_of(county, "a1")
    task = task_of(fix, AccountFixFlow.fix)
    client.force_login(county["clerk_b"])
    for name in ("index", "assign", "execute"):
        assert client.get(task.flow_task.reverse(name, args=[fix.pk, task.pk])).status_code == 404
    assert client.post(task.flow_task.reverse("assign", args=[fix.pk, task.pk])).status_code == 404


def test_a_bad_card_number_is_refused_and_nothing_changes(client, county, failed):
    fix = fix_of(county, "a1")
    before = list(BankAccount.objects.order_by("pk").values_list("pk", "card_number", "active"))
    for bad, message in (("6228480402512345678", "银行卡号校验失败"), ("6228-4804", "银行卡号应为12至19位数字"), ("", "该字段是必填项")):
        response = do(client, county["clerk_a"], fix, AccountFixFlow.fix, {"account_name": "甲一", "card_number": bad, "bank_name": "长丰农商银行"})
        assert response.status_code == 200 and message in response.content.decode(), bad
    assert list(BankAccount.objects.order_by("pk").values_list("pk", "card_number", "active")) == before
    assert task_of(fix, AccountFixFlow.fix).status != "DONE"


def test_the_corrected_account_is_paid_the_arrears_next_month(client, county, failed):
    fix = fix_of(county, "a1")
    task = task_of(fix, AccountFixFlow.fix)
    client.force_login(county["clerk_a"])
    client.post(task.flow_task.reverse("assign", args=[fix.pk, task.pk]))
    page = client.get(task.flow_task.reverse("execute", args=[fix.pk, task.pk])).content.decode()
    assert "账户已销户" in page and "800.00 元" in page and "2026-06-05" in page
    new = card()
    response = do(
        client, county["clerk_a"], fix, AccountFixFlow.fix, {"account_name": "甲一", "card_number": f"{new[:4]} {new[4:]}", "bank_name": "长丰农商银行"}
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    fix.refresh_from_db()
    assert fix.status == "DONE" and fix.account.card_number == new and fix.account.active
    household = county["a1"].household
    assert list(BankAccount.objects.filter(household=household, active=True).values_list("card_number", flat=True)) == [new]
    assert BankAccount.objects.filter(household=household, active=False).count() == 1  # the old card, kept
    services.close_cycle(failed.paymentprocess, date(2026, 5, 20), county["officer"])
    june = open_cycle(date(2026, 6, 1)).cycle
    arrears = june.lines.get(kind="arrears", beneficiary=county["a1"])
    assert (arrears.amount, arrears.card_number) == (Decimal("800"), new)


def test_confirming_the_same_account_changes_nothing(client, county, failed):
    """The bank's own fault: the clerk confirms the account on file."""
    fix = fix_of(county, "a1")
    line = fix.line
    response = do(
        client, county["clerk_a"], fix, AccountFixFlow.fix, {"account_name": line.account_name, "card_number": line.card_number, "bank_name": line.bank_name}
    )
    assert response.status_code == 302
    fix.refresh_from_db()
    assert fix.status == "DONE" and fix.account.card_number == line.card_number
    assert BankAccount.objects.filter(household=county["a1"].household).count() == 1


def test_no_task_when_everything_was_paid(disbursing, county):
    bankfile.import_result(disbursing, as_file(rows(disbursing)), "结果.csv", county["bank"])
    assert not AccountFixProcess.objects.exists()
