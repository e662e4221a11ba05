"""What the province-scale benchmarks share: their PostgreSQL database, the registry they
generate by COPY, and the Celery workers they start. Import it after django.setup()."""

import os
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import connection
from django.utils import timezone
from stdnum import luhn
from stdnum.cn import ric

from workflows.core.models import BankAccount, Beneficiary, Household, Member, Region

ROOT = Path(__file__).resolve().parent.parent
CITIES = ["3401", "3402", "3403", "3404", "3405", "3406", "3407", "3408", "3410", "3411", "3412", "3413", "3415", "3416", "3417", "3418"]
COUNTIES = [f"{CITIES[i % 16]}{21 + i // 16:02d}000000" for i in range(100)]


def copy_rows(model, columns: list[str], rows) -> None:
    """COPY rows (tuples in `columns` order) into the model's table; every other column gets
    its field's default, so the rows are what the ORM would have written."""
    now, fixed = timezone.now(), {}
    for field in model._meta.concrete_fields:
        if field.column in columns or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            fixed[field.column] = now
        else:  # the field's default, "" for text, None otherwise (the database refuses a missing value)
            fixed[field.column] = field.get_default()
    tail = tuple(fixed.values())
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {model._meta.db_table} ({', '.join([*columns, *fixed])}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row + tail)


def villages_of(county: str) -> list[str]:
    return [f"{county[:6]}{100 + t:03d}{201 + v:03d}" for t in range(10) for v in range(2)]


def generate(n: int, next_recheck=lambda i: None) -> None:
    """Regions (16 cities, 100 counties of 10 townships × 2 villages), and n households, heads,
    accounts and beneficiaries spread evenly over the counties, with explicit primary keys
    1..n (household i ↔ member i ↔ account i ↔ beneficiary i; beneficiary i lives in county
    i mod 100). ``next_recheck(i)`` gives beneficiary i's next recheck day."""
    regions = [Region(code="340000000000", name="安徽省", level="province")]
    regions += [Region(code=f"{c}00000000", name=f"第{c}市", level="city", parent_id="340000000000", area="south") for c in CITIES]
    for k, county in enumerate(COUNTIES):
        regions.append(Region(code=county, name=f"第{k + 1}县", level="county", parent_id=f"{county[:4]}00000000"))
        for t in range(10):
            township = f"{county[:6]}{100 + t:03d}000"
            regions.append(Region(code=township, name=f"第{k + 1}县{t + 1}镇", level="township", parent_id=county))
            regions += [
                Region(code=f"{township[:9]}{201 + v:03d}", name=f"第{k + 1}县{t + 1}镇{v + 1}村", level="village", parent_id=township) for v in range(2)
            ]
    Region.objects.bulk_create(regions)
    places = [villages_of(c) for c in COUNTIES]

    def village(i):
        county = places[i % 100]
        return county[(i // 100) % len(county)]

    def id_number(i):
        county, k = COUNTIES[i % 100], i // 100  # k-th person of the county: 500 a birth day
        body = f"{county[:6]}{date(1940, 1, 1) + timedelta(days=k // 500):%Y%m%d}{k % 500 * 2 + 1:03d}"
        return body + ric.calc_check_digit(body + "0")

    def card(i):
        body = f"622848{i:012d}"
        return body + luhn.calc_check_digit(body)

    ids = range(1, n + 1)
    copy_rows(
        Household,
        ["id", "region_code", "hukou_region_id", "residence_region_id", "area_type", "head_name"],
        ((i, village(i), village(i), village(i), "rural", f"户主{i}") for i in ids),
    )
    copy_rows(
        Member,
        ["id", "household_id", "name", "id_number", "relation", "birth_date", "sex"],
        ((i, i, f"户主{i}", (x := id_number(i)), "head", date(int(x[6:10]), int(x[10:12]), int(x[12:14])), "M") for i in ids),
    )
    copy_rows(
        BankAccount, ["id", "household_id", "member_id", "account_name", "card_number", "bank_name"], ((i, i, i, f"户主{i}", card(i), "农商银行") for i in ids)
    )
    copy_rows(
        Beneficiary,
        ["id", "region_code", "household_id", "kind", "monthly_amount", "covered_members", "first_paid_month", "next_recheck_on"],
        ((i, village(i), i, "tekun_dispersed" if i % 10 == 0 else "dibao", Decimal(600 + i % 300), 1 + i % 4, date(2026, 1, 1), next_recheck(i)) for i in ids),
    )
    with connection.cursor() as cursor:
        for model in (Household, Member, BankAccount, Beneficiary):
            table = model._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {n})")
            cursor.execute(f"ANALYZE {table}")


def start_workers(n: int, name: str) -> list[subprocess.Popen]:
    """n Celery workers (-P solo, one process each) on this benchmark's environment; returns
    once every one answers a ping."""
    from config.celery import app

    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-c", "1", "-P", "solo", "-n", f"{name}{i}@%h", "-l", "warning"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT,
            env=dict(os.environ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(n)
    ]
    deadline = time.monotonic() + 60
    while len(app.control.ping(timeout=1.0) or []) < n:
        if time.monotonic() > deadline:
            raise SystemExit("Celery worker 未能在 60 秒内启动")
    return workers


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for proc in workers:
        proc.terminate()
    for proc in workers:
        proc.wait(timeout=60)
