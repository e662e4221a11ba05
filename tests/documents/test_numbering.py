"""文号: format, sequences per issuer/word/year, gapless under rollback and concurrency."""

import threading
from datetime import date

import pytest
from django.db import connection, transaction
from weasyprint import HTML

from documents.models import Notice, NumberCounter
from documents.numbering import allocate, format_number
from tests.factories import TOWNSHIP_B, VILLAGE_B, make_regions

from .notice_helpers import issue, make_issuer, use_small_pdfs

WORD = "救决字"  # the word of approval notices, the kind `issue` uses by default


@pytest.fixture
def issuer(db, monkeypatch):
    use_small_pdfs(monkeypatch)
    make_regions()
    return make_issuer()


def test_format_has_full_year_in_brackets_and_no_leading_zeros():
    assert format_number("皖长民", WORD, 2026, 12) == "皖长民救决字〔2026〕12号"
    assert format_number("皖长民", WORD, 2026, 1) == "皖长民救决字〔2026〕1号"
    assert format_number("皖长民", WORD, 2026, 100) == "皖长民救决字〔2026〕100号"


def test_sequence_runs_per_issuer_word_and_year(issuer):
    other = make_issuer(TOWNSHIP_B, prefix="庄政", name="长丰县庄墓镇人民政府")
    first = issue(issuer, "a1", issued_on=date(2026, 3, 2))
    second = issue(issuer, "a2", issued_on=date(2026, 3, 3))
    next_year = issue(issuer, "a3", issued_on=date(2027, 1, 4))
    other_issuer = issue(other, "b1", region_code=VILLAGE_B, issued_on=date(2026, 3, 2))
    other_word = issue(issuer, "c1", kind="acceptance", issued_on=date(2026, 3, 2))

    assert [first.number, second.number] == ["水政救决字〔2026〕1号", "水政救决字〔2026〕2号"]
    assert next_year.number == "水政救决字〔2027〕1号"
    assert other_issuer.number == "庄政救决字〔2026〕1号"
    assert other_word.number == "水政救受字〔2026〕1号"


def test_rolled_back_allocation_gives_its_number_back(issuer):
    with transaction.atomic():
        assert allocate(issuer, WORD, 2026) == 1
    with pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012 - the rollback after a number is the point
        assert allocate(issuer, WORD, 2026) == 2
        raise RuntimeError("the notice could not be created")
    with transaction.atomic():
        assert allocate(issuer, WORD, 2026) == 2
    assert NumberCounter.objects.get(issuer=issuer, word=WORD, year=2026).last == 2


@pytest.mark.django_db(transaction=True)
def test_allocate_outside_a_transaction_is_refused():
    make_regions()
    with pytest.raises(RuntimeError, match="同一事务"):
        allocate(make_issuer(), WORD, 2026)
    assert not NumberCounter.objects.filter(last__gt=0).exists()


def test_issuing_twice_for_one_case_gives_one_notice_and_one_number(issuer):
    first = issue(issuer, "approval:case:1")
    again = issue(issuer, "approval:case:1")
    assert again.pk == first.pk and again.number == first.number
    assert Notice.objects.count() == 1
    assert NumberCounter.objects.get(issuer=issuer, word=WORD).last == 1


def _in_threads(count: int, work) -> list:
    """Run `work(i)` in `count` threads started together, each on its own DB connection."""
    barrier, results, errors = threading.Barrier(count), [None] * count, []

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


@pytest.fixture
def pg_issuer(monkeypatch):
    # One PDF made before the threads start: WeasyPrint is not what these tests are about.
    pdf = HTML(string="<p>x</p>").write_pdf()
    monkeypatch.setattr("documents.rendering.render_notice_pdf", lambda notice, signer_name=None: pdf)
    make_regions()
    return make_issuer()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_numbers_one_to_eight(pg_issuer):
    notices = _in_threads(8, lambda i: issue(pg_issuer, f"case:{i}", issued_on=date(2026, 5, 6)))
    assert sorted(n.seq for n in notices) == list(range(1, 9))
    assert set(Notice.objects.values_list("number", flat=True)) == {f"水政救决字〔2026〕{i}号" for i in range(1, 9)}
    assert NumberCounter.objects.get(issuer=pg_issuer, word=WORD, year=2026).last == 8


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_give_one_notice(pg_issuer):
    notices = _in_threads(8, lambda i: issue(pg_issuer, "case:same", issued_on=date(2026, 5, 6)))
    assert {n.pk for n in notices} == {Notice.objects.get().pk}
    assert NumberCounter.objects.get(issuer=pg_issuer, word=WORD, year=2026).last == 1
