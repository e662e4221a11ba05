"""Roles are groups whose permissions follow DESIGN §6; no role inherits another's grants."""

import pytest
from django.contrib.auth.models import Group

from workflows.core.roles import ROLE_PERMISSIONS, group_name

pytestmark = pytest.mark.django_db


def perms_of(role):
    group = Group.objects.get(name=group_name(role))
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_every_role_has_a_group_with_its_permissions():
    for role, wanted in ROLE_PERMISSIONS.items():
        assert perms_of(role) == set(wanted), role


@pytest.mark.parametrize("role", ["review_member", "petition_officer", "caseworker", "township_clerk"])
def test_signing_powers_stay_with_leaders(role):
    granted = perms_of(role)
    assert "spotcheck.sign_report" not in granted
    assert "review.sign_minutes" not in granted
    assert "relief.approve_relief" not in granted


def test_leaders_can_sign():
    assert "review.sign_minutes" in perms_of("township_principal")
    assert "spotcheck.sign_report" in perms_of("county_head")
