"""文号 allocation: unique and gapless per issuer, word and year (DESIGN §4.5).

The counter row is locked (SELECT ... FOR UPDATE on PostgreSQL) and incremented in the same
transaction that creates the notice, so a rolled-back notice gives its number back and two
concurrent allocations never see the same value.
"""

from django.db import transaction

from .models import Issuer, NumberCounter


def format_number(prefix: str, word: str, year: int, seq: int) -> str:
    """GB/T 9704: full year in 〔〕, sequence without leading zeros: 皖长民救决字〔2026〕12号."""
    return f"{prefix}{word}〔{year}〕{seq}号"


def allocate(issuer: Issuer, word: str, year: int) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("文号必须在创建文书的同一事务中分配")
    NumberCounter.objects.get_or_create(issuer=issuer, word=word, year=year)
    counter = NumberCounter.objects.select_for_update().get(issuer=issuer, word=word, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
