"""Feeds in (M1): strict, atomic and idempotent; every signal turned into the action the rule
table names, once per person and event."""

import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from workflows.discovery.models import Lead, LeadSource
from workflows.monitoring import actions
from workflows.monitoring.models import Feed, FeedRow, MonitoringProcess, Signal, SignalState
from workflows.policy.recheck import event_deadline
from workflows.recheck.models import Recheck

from .conftest import TODAY, csv_bytes, member_id, stranger_id, take, xlsx_bytes


def test_a_beneficiarys_death_opens_one_recheck_and_a_strangers_illness_a_placing_task(world):
    dead, sick_neighbour, unknown = member_id(world["beneficiary_home"], 1), member_id(world["other_home"]), stranger_id()
    data = csv_bytes(
        f"{dead},李秀英家属1,death,2026-11-03,,死亡医学证明",
        f"{sick_neighbour},王大山,serious_illness,2026-11-10,,尿毒症",
        f"{unknown},陌生人,serious_illness,2026-11-12,,白血病",
    )
    result = take(world, data, department="police")
    assert (result.applied, result.rows, result.matched, result.signals, result.duplicates, result.actions) == (True, 3, 2, 3, 0, 3)
    opened = actions.open_actions(result.feed.pk, TODAY)
    assert opened == {"recheck": 1, "lead": 1, "place": 1}
    recheck = Recheck.objects.get(beneficiary=world["beneficiary"])
    # Docs/policy.md: after a death, the recheck is done within 3 months.
    assert recheck.trigger == "death" and recheck.event_member.id_number == dead and recheck.due_on == event_deadline("death", TODAY)
    assert "死亡医学证明" in recheck.event_detail
    assert Signal.objects.get(id_number=dead).due_on == recheck.due_on
    lead = Lead.objects.get(source=LeadSource.MONITORING)
    assert lead.household == world["other_home"] and lead.village_id == world["other_home"].hukou_region_id and "尿毒症" in lead.situation
    assert lead.process.due_date is not None
    process = MonitoringProcess.objects.get()
    assert process.signal.id_number == unknown and process.region_code == world["county"].code
    # Again: nothing more.
    assert actions.open_actions(result.feed.pk, TODAY) == {"recheck": 0, "lead": 0, "place": 0}
    assert Recheck.objects.count() == 1 and Lead.objects.count() == 1 and MonitoringProcess.objects.count() == 1


def test_the_same_file_twice_changes_nothing(world):
    data = csv_bytes(f"{member_id(world['beneficiary_home'])},李秀英,death,2026-11-03,,")
    first = take(world, data)
    second = take(world, data)
    assert first.applied and not second.applied and second.feed == first.feed
    assert Feed.objects.count() == 1 and Signal.objects.count() == 1 and FeedRow.objects.count() == 1


def test_the_same_signal_from_two_departments_is_one_signal_and_one_lead(world):
    person = member_id(world["other_home"])
    take(world, csv_bytes(f"{person},王大山,disability,2026-11-05,,二级肢体"), department="police")
    second = take(world, csv_bytes(f"{person},王大山,disability,2026-11-05,,残疾证"), department="health")
    assert second.signals == 0 and second.duplicates == 1
    signal = Signal.objects.get()
    assert signal.reports == 2
    for feed in Feed.objects.all():
        actions.open_actions(feed.pk, TODAY)
    assert Lead.objects.count() == 1


@pytest.mark.parametrize(
    "row, message",
    [
        ("{id},张三,flood,2026-11-03,,", "事项代码“flood”不是已登记的比对事项"),
        ("340121197005040012,张三,death,2026-11-03,,", "公民身份号码“340121197005040012”校验不通过"),
        ("{id},张三,death,2026-10-31,,", "发生日期 2026-10-31 不在本期数据月份（2026年11月）内"),
        ("{id},张三,medical_cost,2026-11-03,一万,", "金额“一万”应为不小于0的数字"),
        ("{id},,death,2026-11-03,,", "姓名不能为空"),
        ("{id},张三,death,2026-11-03", "应有6列，实有4列"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_applied(world, row, message):
    good = csv_bytes(f"{member_id(world['beneficiary_home'])},李秀英,death,2026-11-03,,", row.format(id=stranger_id()))
    with pytest.raises(ValidationError) as error:
        take(world, good)
    assert "第3行" in error.value.messages[0] and message in error.value.messages[0]
    assert not Feed.objects.exists() and not Signal.objects.exists() and not FeedRow.objects.exists()


def test_wrong_columns_an_empty_file_and_another_countys_file_are_refused(world):
    with pytest.raises(ValidationError, match="列不符"):
        take(world, csv_bytes("x", header="身份证号,姓名,事项"))
    with pytest.raises(ValidationError, match="文件是空的"):
        take(world, b"")
    with pytest.raises(ValidationError, match="没有数据行"):
        take(world, csv_bytes())
    elsewhere = member_id(world["elsewhere"])
    with pytest.raises(ValidationError, match="家庭档案在其他县"):
        take(world, csv_bytes(f"{elsewhere},赵外县,death,2026-11-03,,"))
    assert not Feed.objects.exists()


def test_sixty_bad_rows_list_fifty_and_count_the_rest(world):
    rows = [f"{stranger_id()},某,unknown_event,2026-11-03,," for _ in range(60)]
    with pytest.raises(ValidationError) as error:
        take(world, csv_bytes(*rows))
    text = error.value.messages[0]
    assert text.count("不是已登记的比对事项") == 50 and "另有10处错误" in text


def test_an_officer_cannot_import_another_countys_feed(world):
    with pytest.raises(PermissionDenied):
        take(world, csv_bytes(f"{stranger_id()},某,death,2026-11-03,,"), user=world["other_officer"])


def test_medical_costs_below_the_line_are_recorded_and_above_it_call_for_a_visit(world):
    below, above = member_id(world["other_home"]), stranger_id()
    result = take(world, csv_bytes(f"{below},王大山,medical_cost,2026-11-03,9999.99,", f"{above},某,medical_cost,2026-11-04,10000,"), department="medical")
    states = dict(Signal.objects.values_list("id_number", "state"))
    assert states == {below: SignalState.RECORDED, above: SignalState.PENDING}
    assert result.actions == 1


def test_an_xlsx_feed_is_read_like_a_csv(world):
    person = member_id(world["beneficiary_home"])
    result = take(world, xlsx_bytes([[person, "李秀英", "vehicle", "2026-11-20", None, "小型轿车"]]))
    assert result.signals == 1 and Signal.objects.get().action == "recheck"


def test_the_command_prints_json_and_a_bad_file_exits_in_chinese(world, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(f"{member_id(world['beneficiary_home'])},李秀英,hukou_out,2026-11-03,,迁往江苏"))
    out = StringIO()
    call_command("import_feed", "--department", "police", "--county", world["county"].code, "--month", "2026-11", "--json", str(good), stdout=out)
    printed = json.loads(out.getvalue())
    assert {k: printed[k] for k in ("rows", "matched", "signals", "rechecks_opened", "leads_opened", "duplicates")} == {
        "rows": 1,
        "matched": 1,
        "signals": 1,
        "rechecks_opened": 1,
        "leads_opened": 0,
        "duplicates": 0,
    }
    again = StringIO()
    call_command("import_feed", "--department", "police", "--county", world["county"].code, "--month", "2026-11", "--json", str(good), stdout=again)
    assert json.loads(again.getvalue())["rechecks_opened"] == 0 and Recheck.objects.count() == 1
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(f"{stranger_id()},某,flood,2026-11-03,,"))
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_feed", "--department", "police", "--county", world["county"].code, "--month", "2026-11", str(bad))
