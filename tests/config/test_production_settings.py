"""Production mode (DJANGO_DEBUG=0): Django's deployment checks pass with a real key; the
development key, a short key and an unreadable boolean stop the start."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WJZ_"))}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=300)


def test_check_deploy_passes_with_a_real_key():
    out = _manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_production_settings_are_on():
    out = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER)",
        DJANGO_DEBUG="off",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        WJZ_BEHIND_TLS_PROXY="1",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1].split() == ["True", "True", "True", "31536000", "True", "('HTTP_X_FORWARDED_PROTO',", "'https')"]


@pytest.mark.parametrize("key", [None, "dev-only-insecure-key-change-me", "short-but-not-default", "a" * 60])
def test_the_default_or_a_weak_key_is_refused(key):
    env = {"DJANGO_DEBUG": "0"}
    if key is not None:
        env["DJANGO_SECRET_KEY"] = key
    out = _manage("check", **env)
    assert out.returncode != 0
    assert "ImproperlyConfigured" in out.stderr and "DJANGO_SECRET_KEY" in out.stderr


def test_a_bad_boolean_is_refused_not_read_as_false():
    out = _manage("check", DJANGO_DEBUG="flase")
    assert out.returncode != 0
    assert "ImproperlyConfigured" in out.stderr and "DJANGO_DEBUG='flase' is not a boolean" in out.stderr


@pytest.mark.parametrize(
    "raw, expected", [("1", True), ("TRUE", True), (" yes ", True), ("on", True), ("0", False), ("False", False), ("no", False), ("off", False), ("", True)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("WJZ_SOME_SWITCH", raw)
    assert env_bool("WJZ_SOME_SWITCH", True) is expected


@pytest.mark.parametrize("raw", ["2", "y", "enabled", "真"])
def test_env_bool_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv("WJZ_SOME_SWITCH", raw)
    with pytest.raises(ImproperlyConfigured, match="WJZ_SOME_SWITCH"):
        env_bool("WJZ_SOME_SWITCH", False)


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("WJZ_N", "ten")
    with pytest.raises(ImproperlyConfigured, match="WJZ_N='ten' is not an integer"):
        env_int("WJZ_N", 3)
    monkeypatch.setenv("WJZ_N", "-1")
    with pytest.raises(ImproperlyConfigured, match="below the minimum 0"):
        env_int("WJZ_N", 3, minimum=0)
    monkeypatch.setenv("WJZ_HOSTS", " a.example , ,b.example,")
    assert env_list("WJZ_HOSTS", []) == ["a.example", "b.example"]
