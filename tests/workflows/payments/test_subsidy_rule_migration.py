"""The undated city thresholds become dated rules (payments 0005), losing no city's own values."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import CITY, make_regions

# SQLite's schema editor, which the migrations run in, refuses to work inside a transaction.
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = [("payments", "0004_relief_never_deducted")], [("payments", "0005_subsidy_rule_dated_per_city")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_each_citys_thresholds_become_a_rule_from_its_first_price_figure():
    make_regions()
    apps = migrate(BEFORE)
    try:
        apps.get_model("payments", "CpiFigure").objects.create(city_id=CITY, month=date(2025, 3, 1), cpi_yoy=Decimal("3.1"), food_cpi_yoy=Decimal("2"))
        apps.get_model("payments", "CpiFigure").objects.create(city_id=CITY, month=date(2025, 9, 1), cpi_yoy=Decimal("3.1"), food_cpi_yoy=Decimal("2"))
        apps.get_model("payments", "SubsidyThreshold").objects.create(city_id=CITY, cpi_threshold=Decimal("3.0"), food_threshold=Decimal("5.5"))
    finally:
        apps = migrate(AFTER)
    rule = apps.get_model("payments", "SubsidyRule").objects.get()
    assert (rule.city_id, rule.valid_from, rule.valid_to) == (CITY, date(2025, 3, 1), None)
    assert (rule.cpi_threshold, rule.food_threshold, rule.formula, rule.include_marginal) == (Decimal("3.0"), Decimal("5.5"), "standard_x_rise", False)
    assert "请补录文件名称及文号" in rule.source
