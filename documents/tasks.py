"""Celery tasks: render one notice, render many as a group with progress.

Progress lives in the shared cache (Redis in production, a database table in the embedded mode),
one counter per batch and field, incremented atomically by each task; no model needed.
"""

import logging
import uuid

from celery import group, shared_task
from django.db import transaction

from workflows.core.shared_cache import shared_cache

from .models import Notice
from .services import render_and_store

logger = logging.getLogger(__name__)
BATCH_TTL = 7 * 24 * 3600  # a week: long enough to look at a finished batch


def _key(batch_id: str, field: str) -> str:
    return f"documents:batch:{batch_id}:{field}"


@shared_task(acks_late=True)
def render_notice(notice_id: int, batch_id: str | None = None) -> None:
    """Render the notice's PDF unless it has one. Never issues or numbers anything, so a
    retried or repeated task leaves the same notice, number and file."""
    try:
        with transaction.atomic():
            # The row lock makes two workers handed the same notice render it once.
            notice = Notice.objects.select_for_update().get(pk=notice_id)
            if not notice.pdf:
                render_and_store(notice)
    except Exception:
        logger.exception("文书 %s 生成失败", notice_id)
        if batch_id:
            shared_cache.incr(_key(batch_id, "failed"))
        raise
    if batch_id:
        shared_cache.incr(_key(batch_id, "done"))


def start_render_batch(notice_ids) -> str:
    """Queue one render task per notice as a Celery group; returns the batch id to poll."""
    ids = list(notice_ids)
    batch_id = uuid.uuid4().hex
    shared_cache.set_many({_key(batch_id, "total"): len(ids), _key(batch_id, "done"): 0, _key(batch_id, "failed"): 0}, BATCH_TTL)
    group(render_notice.s(pk, batch_id) for pk in ids).apply_async()
    return batch_id


def batch_progress(batch_id: str) -> dict | None:
    """{"total", "done", "failed", "finished", "percent"}, or None for an unknown batch."""
    values = shared_cache.get_many([_key(batch_id, f) for f in ("total", "done", "failed")])
    if _key(batch_id, "total") not in values:
        return None
    total, done, failed = (values.get(_key(batch_id, f), 0) for f in ("total", "done", "failed"))
    return {
        "batch_id": batch_id,
        "total": total,
        "done": done,
        "failed": failed,
        "finished": done + failed >= total,
        "percent": 100 if not total else round(100 * (done + failed) / total),
    }
