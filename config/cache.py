"""Django's database cache with counters that do not lose a count under concurrent workers."""

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction


class CountingDatabaseCache(DatabaseCache):
    """incr() in one transaction that holds the row.

    Django's is a get and then a set: two workers counting a wrong 查询码 at the same moment
    both read 3 and both write 4, and a guesser firing requests in parallel gets more tries
    than the limit. SQLite's immediate transactions (settings) serialise the whole block;
    PostgreSQL locks the row with FOR UPDATE."""

    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT cache_key FROM {connection.ops.quote_name(self._table)} WHERE cache_key = %s FOR UPDATE",
                        [self.make_and_validate_key(key, version=version)],
                    )
            return super().incr(key, delta, version)
