"""Before Django starts: a province-scale benchmark's own PostgreSQL database and the
environment (Redis db 12 broker, db 13 results and cache) its process and workers share."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def use_database(name: str) -> None:
    """Create the database if missing, point this process (and the workers it starts) at it,
    and start Django."""
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ.update(
        {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/12",
            "CELERY_RESULT_BACKEND": "redis://127.0.0.1:6379/13",
            "REDIS_URL": "redis://127.0.0.1:6379/13",
            "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
