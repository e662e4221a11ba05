"""Which flow lock to use: row locks on PostgreSQL, a plain transaction on SQLite.

SQLite has no SELECT ... FOR UPDATE; it serialises writers on the whole database file, which
gives the same exclusion for the embedded mode.
"""

from django.db import connection
from viewflow.workflow.lock import NoLock, SelectForUpdateLock


class DatabaseLock:
    """Chooses at call time so the same flow class works on both backends."""

    def __init__(self):
        # Block (not nowait) so concurrent completions queue up and the loser sees a clear
        # "already done" instead of a lock error.
        self._row_lock = SelectForUpdateLock(nowait=False, attempts=1)
        self._no_lock = NoLock()

    def __call__(self, flow_class, process_pk):
        impl = self._row_lock if connection.vendor == "postgresql" else self._no_lock
        return impl(flow_class, process_pk)


flow_lock = DatabaseLock()
