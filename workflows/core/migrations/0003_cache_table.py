"""The table of Django's database cache (settings.CACHES when REDIS_URL is not set).

Made by `migrate`, so that no deployment step can be forgotten: without it every request that
counts a rate limit would fail. Made whatever the cache setting is now, so that dropping Redis
later needs no extra command. The name must match settings.CACHE_TABLE.
"""

from django.core.management import call_command
from django.db import migrations

TABLE = "wjz_cache"


def create(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):

    dependencies = [("core", "0002_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
