"""A cycle opened on the provisional year (DESIGN §4.4) has its M10 deadlines counted again when
the State Council's notice is loaded.

Provisional 2027 (全国年节及纪念日放假办法): 劳动节 1–2 May, a Saturday and Sunday, made up on
Monday 3 and Tuesday 4 May; Wednesday 5 May is a working day, so the roster is due on the 5th
(M10: by the 5th). The official file below (made up for the test) gives 1–5 May off: the roster is
then due on the last working day before, Friday 30 April.
"""

from datetime import date

import pytest

from tests.workflows.payments.conftest import open_cycle
from workflows.policy import calendar, holiday_import

# The cycle's roster job runs on commit, before the year is loaded, as it would in use.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.official_calendar_only]

OFFICIAL_2027 = """year: 2027
source: 测试通知（虚构）
holiday 2027-01-01 元旦
holiday 2027-05-01..2027-05-05 劳动节
"""


@pytest.fixture(autouse=True)
def _fresh_cache():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def test_a_cycle_counted_provisionally_is_counted_again_when_the_year_is_loaded(county):
    process = open_cycle(date(2027, 5, 1))
    cycle = process.cycle
    assert (cycle.roster_due, process.due_date, process.due_provisional) == (date(2027, 5, 5), date(2027, 5, 5), True)
    holiday_import.save(holiday_import.parse(OFFICIAL_2027))
    cycle.refresh_from_db()
    process.refresh_from_db()
    assert cycle.roster_due == date(2027, 4, 30)
    assert (process.due_date, process.due_provisional) == (date(2027, 4, 30), False)
