"""Indexes for the region-scoped inbox and queue pages (bench/bench_inbox.py).

The scoped lists join viewflow_task → viewflow_process → engine_caseprocess and keep the rows
whose region_code starts with the user's prefix. With 1,000,000 tasks, PostgreSQL walked the
township's processes (all of them, finished included) and read every task of each, or
hash-joined a sequential scan of viewflow_process; each list query took 15-50 ms and a page
runs four of them (count, the filter's node choices and process choices, the page).

- wjz_task_open_process: only the open tasks (NEW, ASSIGNED), by process. Finished tasks are
  the bulk of the table and never appear in an inbox or a queue; the partial index stays small.
  It carries the columns the queue filters on and the node, so the page's count, the filter's
  node choices and its process choices are answered from the index alone.
- wjz_task_assigned_owner: the inbox (owner = user, status ASSIGNED) without scanning a
  clerk's whole history of finished tasks.
- wjz_caseprocess_region_pk: the region prefix with the process id, so the township's
  processes are found by an index-only scan.

PostgreSQL only (partial indexes and varchar_pattern_ops); elsewhere (SQLite, the embedded
mode) nothing is done. viewflow's tables are not ours, hence raw SQL with IF NOT EXISTS.
"""

from django.db import migrations

INDEXES = [
    (
        "wjz_task_open_process",
        "viewflow_task (process_id) INCLUDE (status, flow_task_type, owner_permission, owner_id, flow_task)"
        " WHERE status IN ('NEW', 'ASSIGNED')",
    ),
    ("wjz_task_assigned_owner", "viewflow_task (owner_id) WHERE status = 'ASSIGNED'"),
    ("wjz_caseprocess_region_pk", "engine_caseprocess (region_code varchar_pattern_ops, process_ptr_id)"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("engine", "0002_case_summary"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [migrations.RunPython(create, drop)]
