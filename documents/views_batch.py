"""Progress of a batch rendering: JSON for polling and a page with a progress bar.

Staff only (login required). A batch id is a random UUID and the answer holds only counts.
"""

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render

from .tasks import batch_progress

BATCH_ID = re.compile(r"^[0-9a-f]{32}$")


def _progress_or_404(batch_id: str) -> dict:
    progress = batch_progress(batch_id) if BATCH_ID.match(batch_id) else None
    if progress is None:
        raise Http404("没有这个批次")
    return progress


@login_required
def batch_progress_json(request, batch_id):
    return JsonResponse(_progress_or_404(batch_id))


@login_required
def batch_progress_page(request, batch_id):
    return render(request, "documents/batch_progress.html", {"progress": _progress_or_404(batch_id)})
