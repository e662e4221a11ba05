"""Batch rendering reports progress; re-rendering a rendered notice changes nothing."""

from datetime import date

import pytest

from documents.models import Issuer, Notice, NumberCounter
from documents.samples import sample_addressee, sample_context
from documents.services import issue_notice
from documents.tasks import batch_progress, render_notice, start_render_batch
from tests.factories import COUNTY, make_regions, make_user


@pytest.fixture
def notices(db, settings, tmp_path, eager_celery):
    settings.MEDIA_ROOT = tmp_path
    make_regions()
    issuer = Issuer.objects.create(region_id=COUNTY, name="长丰县民政局", number_prefix="皖长民", phone="0551-66710001")
    kinds = ["acceptance", "approval", "refusal", "roster"]
    issued = [
        issue_notice(
            kind=k,
            issuer=issuer,
            case=None,
            case_key=f"batch:{k}",
            addressee_name=sample_addressee(k),
            context=sample_context(k),
            region_code=COUNTY,
            issued_on=date(2026, 11, 28),
        )
        for k in kinds
    ]
    # As if their rendering had not run yet (e.g. issued during a bulk import).
    Notice.objects.filter(pk__in=[n.pk for n in issued]).update(pdf="", sha256="")
    return issued


def test_batch_renders_all_and_reports_progress(notices):
    batch_id = start_render_batch([n.pk for n in notices])
    progress = batch_progress(batch_id)
    assert progress["total"] == progress["done"] == len(notices)
    assert progress["failed"] == 0 and progress["finished"] and progress["percent"] == 100
    for notice in Notice.objects.filter(pk__in=[n.pk for n in notices]):
        assert notice.pdf and len(notice.sha256) == 64 and notice.file_intact()


def test_rerendering_changes_nothing(notices):
    notice = notices[0]
    render_notice(notice.pk)
    notice.refresh_from_db()
    before = (notice.sha256, notice.pdf.name, Notice.objects.count(), list(NumberCounter.objects.values_list("last", flat=True).order_by("pk")))
    render_notice(notice.pk)
    start_render_batch([notice.pk])
    notice.refresh_from_db()
    after = (notice.sha256, notice.pdf.name, Notice.objects.count(), list(NumberCounter.objects.values_list("last", flat=True).order_by("pk")))
    assert after == before


def test_progress_endpoint(notices, client):
    batch_id = start_render_batch([n.pk for n in notices])
    assert client.get(f"/notices/batches/{batch_id}/progress").status_code == 302  # login required
    client.force_login(make_user("clerk"))
    answer = client.get(f"/notices/batches/{batch_id}/progress").json()
    assert answer["done"] == len(notices) and answer["finished"]
    page = client.get(f"/notices/batches/{batch_id}/")
    assert page.status_code == 200 and "批量生成文书" in page.content.decode()
    assert client.get("/notices/batches/0123456789abcdef0123456789abcdef/progress").status_code == 404
