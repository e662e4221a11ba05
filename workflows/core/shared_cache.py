"""The cache that every web and worker process sees: rate-limit counters and batch progress.

The default cache may live in each process's memory (the embedded mode); counters kept there
would allow each gunicorn worker its own limit. The ``shared`` alias is Redis when REDIS_URL is
set, else a table in the database (config/settings.py)."""

from django.core.cache import caches
from django.utils.connection import ConnectionProxy

shared_cache = ConnectionProxy(caches, "shared")
