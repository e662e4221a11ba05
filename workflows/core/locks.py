"""Per-county locks for whole-county operations that must not interleave with a change of one
of its beneficiaries: a roster is built either before a recheck's decision or after it, never
across it (DESIGN §4.5)."""

import zlib

from django.db import connection


def lock_county(county_code: str) -> None:
    """Hold the county's lock until the transaction ends (PostgreSQL advisory lock; SQLite
    already lets one writer at a time)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x57A1, zlib.crc32(county_code[:6].encode()) & 0x7FFFFFFF])
