"""Township-scoped household list page with 1,000,000 households on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wjz_bench_list \
        .venv/bin/python bench/bench_household_list.py [--households 1000000] [--runs 15]

The data generator fills the database with SQL (generate_series): 16 counties × 10 townships ×
10 villages, households spread evenly, two members each (the head with a synthetic,
unique ID-shaped number: the page only masks it, so no checksum is needed here).
It measures the server time of GET /registry/household/ for a township clerk through Django's
test client (view + ORM + template, no network), median of --runs runs, for 20 and 100 rows
per page, and the number of queries for each. Baseline in the same process: the same page
rows fetched the naive way (one query per row for its head and member count).

Search (`?_search=`, workflows.core.search), for the same clerk: a full ID number, its last 6
and last 4 digits, a spouse's name (not the head's), and words of an address; median server
time and queries of each, then the same searches with the search indexes (member_name_like,
member_id_reversed_like) dropped inside a transaction that is rolled back: the unindexed
baseline. Addresses are generated as “村N组M号” (M = the household's number).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

COUNTIES = [f"34{c:02d}{k:02d}" for c in (1, 12) for k in range(21, 29)]  # 16 counties


def generate(households: int) -> None:
    with connection.cursor() as cur:
        cur.execute("SELECT (SELECT count(*) FROM core_household), (SELECT count(*) FROM core_member)")
        have_households, have_members = cur.fetchone()
        cur.execute("SELECT count(*) FROM core_household WHERE address <> ''")
        if have_households == households and have_members == 2 * households and cur.fetchone()[0] == households:
            return
        cur.execute(
            "TRUNCATE core_member, core_incomeitem, core_asset, core_bankaccount, core_beneficiary, core_assessment, core_household, core_staffrole, policy_standard CASCADE"
        )
        cur.execute("DELETE FROM core_region")
        cur.execute("INSERT INTO core_region (code, name, level, area, parent_id) VALUES ('340000000000', '安徽省', 'province', '', NULL)")
        for city in ("3401", "3412"):
            cur.execute(
                "INSERT INTO core_region (code, name, level, area, parent_id) VALUES (%s, %s, 'city', %s, '340000000000')",
                [city + "00000000", city, "south" if city == "3401" else "north"],
            )
        regions = []
        for county in COUNTIES:
            regions.append((county + "000000", f"县{county}", "county", county[:4] + "00000000", None))
            for t in range(10):
                township = f"{county}{100 + t:03d}"
                regions.append((township + "000", f"镇{township}", "township", county + "000000", None))
                for v in range(10):
                    regions.append((f"{township}{201 + v:03d}", f"村{township}{v}", "village", township + "000", 3000))
        cur.executemany("INSERT INTO core_region (code, name, level, parent_id, registered_population, area) VALUES (%s, %s, %s, %s, %s, '')", regions)
        villages = [r[0] for r in regions if r[2] == "village"]
        cur.execute("CREATE TEMP TABLE bench_villages (n int, code varchar(12))")
        cur.executemany("INSERT INTO bench_villages VALUES (%s, %s)", list(enumerate(villages)))
        cur.execute(
            """
            INSERT INTO core_household (region_code, hukou_region_id, residence_region_id, address, area_type, phone, head_name, created, updated)
            SELECT v.code, v.code, v.code, '村' || (g %% 10) || '组' || g || '号', CASE WHEN g %% 3 = 0 THEN 'urban' ELSE 'rural' END, '', '户主' || g, now(), now()
            FROM generate_series(1, %s) g JOIN bench_villages v ON v.n = g %% %s
            """,
            [households, len(villages)],
        )
        cur.execute(
            """
            INSERT INTO core_member (household_id, name, id_number, relation, birth_date, sex, disability_type, serious_illness, employment, in_school)
            SELECT h.id, h.head_name, '3401211970' || lpad(h.id::text, 8, '0'), 'head', DATE '1970-01-01', 'M', '', false, 'employed', false FROM core_household h
            UNION ALL
            SELECT h.id, '配偶' || h.id, '3401211972' || lpad(h.id::text, 8, '0'), 'spouse', DATE '1972-01-01', 'F', '', false, 'farming', false FROM core_household h
            """
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def measure(client: Client, url: str, runs: int) -> tuple[float, int]:
    client.get(url)  # warm caches and the template loader
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return statistics.median(times), len(ctx.captured_queries)


def naive_rows(user, size: int) -> float:
    from workflows.core.models import Household
    from workflows.core.scoping import scoped

    start = time.perf_counter()
    rows = []
    for household in scoped(Household.objects.all(), user).order_by("-id")[:size]:
        head = household.members.filter(relation="head").first()
        rows.append((household.pk, household.hukou_region.name, head.id_number if head else "", household.members.count()))
    return (time.perf_counter() - start) * 1000


SEARCH_INDEXES = ("member_name_like", "member_id_reversed_like")


def search_terms(township: str) -> dict:
    from workflows.core.models import Household, Member

    household = Household.objects.filter(region_code__startswith=township[:9]).order_by("id")[len(township) * 7]
    spouse = Member.objects.filter(household=household, relation="spouse").get()
    head = Member.objects.filter(household=household, relation="head").get()
    return {
        "full_id": head.id_number,
        "last_6": head.id_number[-6:],
        "last_4": head.id_number[-4:],
        "member_name": spouse.name,
        "address": household.address[1:],  # “N组M号”, a part from the middle
    }


def measure_searches(client: Client, terms: dict, runs: int) -> dict:
    from urllib.parse import quote

    out = {}
    for kind, term in terms.items():
        median_ms, queries = measure(client, f"/registry/household/?_search={quote(term)}", runs)
        page = client.get(f"/registry/household/?_search={quote(term)}").content.decode()
        out[kind] = {"term": term, "median_ms": round(median_ms, 2), "queries": queries, "found": "没有与" not in page}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("这个基准需要 PostgreSQL：请设置 DATABASE_URL")
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    generate(args.households)
    generated = time.perf_counter() - t0

    from django.contrib.auth import get_user_model

    from workflows.core.models import Household, StaffRole

    user, _ = get_user_model().objects.get_or_create(username="bench_clerk")
    township = COUNTIES[3] + "105000"
    StaffRole.objects.get_or_create(user=user, role="township_clerk", region_id=township)
    client = Client()
    client.force_login(user)
    in_scope = Household.objects.filter(region_code__startswith=township[:9]).count()

    results = {"households": Household.objects.count(), "township_households": in_scope, "generate_s": round(generated, 1)}
    for size in (20, 100):
        median_ms, queries = measure(client, f"/registry/household/?page_size={size}", args.runs)
        naive = statistics.median(naive_rows(user, size) for _ in range(args.runs))
        results[f"page_{size}"] = {
            "median_ms": round(median_ms, 2),
            "queries": queries,
            "baseline_naive_rows_ms": round(naive, 2),
            "ratio_baseline_over_page": round(naive / median_ms, 2),
        }
    deep = measure(client, "/registry/household/?page_size=20&page=100", args.runs)
    results["page_20_deep_p100"] = {"median_ms": round(deep[0], 2), "queries": deep[1]}

    from django.db import transaction

    terms = search_terms(township)
    indexed = measure_searches(client, terms, args.runs)
    with transaction.atomic():
        with connection.cursor() as cur:
            for name in SEARCH_INDEXES:
                cur.execute(f"DROP INDEX IF EXISTS {name}")
        unindexed = measure_searches(client, terms, max(3, args.runs // 3))
        transaction.set_rollback(True)  # the indexes come back
    results["search"] = {
        kind: {
            **indexed[kind],
            "unindexed_median_ms": unindexed[kind]["median_ms"],
            "ratio_unindexed_over_indexed": round(unindexed[kind]["median_ms"] / indexed[kind]["median_ms"], 2),
        }
        for kind in terms
    }
    results["search_same_queries_for_every_kind"] = len({r["queries"] for r in indexed.values()}) == 1
    print(json.dumps(results, ensure_ascii=False, indent=2))
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "household_list.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
