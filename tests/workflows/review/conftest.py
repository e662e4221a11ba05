import pytest


@pytest.fixture(autouse=True)
def _jobs_in_process(eager_celery):
    """These tests follow a job's result inside the test process (its files under tmp MEDIA_ROOT,
    its notices signed with tmp certificates): run Celery in-process even in the services run."""
