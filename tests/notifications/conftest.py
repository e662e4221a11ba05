import pytest

from tests.factories import make_user


@pytest.fixture
def alice(db):
    user = make_user("alice")
    user.email = "alice@example.cn"
    user.save()
    return user


@pytest.fixture
def bob(db):
    return make_user("bob")


@pytest.fixture(autouse=True)
def _eager(eager_celery):
    """These tests check delivery logic within a test transaction: run tasks in-process."""
