"""Settings for 皖救助, driven by the environment.

With no environment set this is the embedded default: SQLite and eager Celery, so that
`make run` works on a bare machine. Production sets DATABASE_URL, CELERY_BROKER_URL,
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DJANGO_DEBUG=0.
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DJANGO_DEBUG", True)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

if not DEBUG:
    # Production mode. Signed sessions, password-reset links and CSRF tokens all rest on the
    # key: one that is public (the default above) or guessable lets anyone forge them.
    if SECRET_KEY == DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure-"):
        raise ImproperlyConfigured("DJANGO_DEBUG=0 needs DJANGO_SECRET_KEY set to a long random string, not the development default")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is too short: use at least 50 random characters")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    # One year, subdomains included: the service lives on its own host name. No preload: the
    # browsers' preload list is a commitment for the whole registered domain (often a shared
    # gov.cn parent) that its owner, not this application, has to make.
    SECURE_HSTS_SECONDS = env_int("WJZ_HSTS_SECONDS", 365 * 24 * 3600, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("WJZ_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("WJZ_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Django's reminder that the site cannot be put on the preload list: that is on purpose.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_SSL_REDIRECT = env_bool("WJZ_SSL_REDIRECT", True)
    if env_bool("WJZ_BEHIND_TLS_PROXY", False):
        # The proxy terminates TLS and talks plain HTTP to gunicorn; it must set (and strip any
        # client-sent) X-Forwarded-Proto, or every request would be redirected in a loop.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "workflows.core.apps.AdministratorAdminConfig",  # django.contrib.admin, for administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "viewflow",
    "viewflow.workflow",
    "workflows.core",
    "workflows.policy",
    "workflows.engine",
    "workflows.changes",
    "workflows.application",
    "workflows.review",
    "workflows.discovery",
    "workflows.relief",
    "workflows.payments",
    "workflows.spotcheck",
    "workflows.recheck",
    "workflows.petitions",
    "workflows.monitoring",
    "workflows.desk",
    "documents",
    "notifications",
    "workflows.demo",
    "config.apps.LoginProtectionConfig",  # django-axes
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.SiteMenuMiddleware",
    "workflows.engine.scoping.RegionScopeMiddleware",
    "workflows.engine.middleware.TaskConflictMiddleware",
    "workflows.engine.middleware.CalendarMissingMiddleware",
    # Last, so that it sees the login page's response and turns a lock-out into its message.
    "axes.middleware.AxesMiddleware",
]

# Demo mode (`make run` sets WJZ_DEMO_MODE=1): administrators may move the demo's clock forward
# (workflows.demo.clock). Never in production: it is refused unless DEBUG is on.
WJZ_DEMO_MODE = env_bool("WJZ_DEMO_MODE", False)
if WJZ_DEMO_MODE and not DEBUG:
    raise ImproperlyConfigured("WJZ_DEMO_MODE=1（演示模式）只能在 DJANGO_DEBUG=1 的开发环境中使用，生产环境不得开启")
if WJZ_DEMO_MODE:
    MIDDLEWARE.append("workflows.demo.clock.DemoClockMiddleware")

ROOT_URLCONF = "config.urls"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests (and the eager Celery jobs inside them) write at once in the
    # embedded mode; wait for the write lock instead of failing at once. A deferred
    # transaction that reads and then writes cannot wait: SQLite refuses its upgrade to a write
    # lock at once ("database is locked") when another writer holds it, whatever the timeout.
    # IMMEDIATE takes the write lock at BEGIN, where the busy timeout applies. WAL lets readers
    # go on while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=env_float("WJZ_SQLITE_TIMEOUT", 20, minimum=0),
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
if IS_POSTGRES and env_bool("WJZ_PG_PREPARED", True):
    # Server-side binding lets psycopg prepare a statement after it has run 5 times on a
    # connection, so that PostgreSQL parses and plans the engine's few hundred recurring
    # queries once per connection rather than on every task completion. Set
    # WJZ_PG_PREPARED=0 behind a transaction-mode PgBouncer that cannot keep them.
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
if IS_POSTGRES and env_bool("WJZ_PG_TUNING", True):
    # Session settings for the planner. random_page_cost 1.1: the database lives on SSD (or in
    # cache); with the default 4, meant for spinning disks, PostgreSQL seq-scans 200,000
    # processes to find one township's 1,250 and a task queue page takes 45 ms instead of 10.
    # force_custom_plan: a prepared statement is still planned for its parameters, so a
    # region prefix (LIKE '340124105%') keeps its index range instead of a generic plan.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, [options.get("options", ""), "-c random_page_cost=1.1 -c plan_cache_mode=force_custom_plan"]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# For every password set through a form (password change, the admin). The demo accounts'
# documented passwords are set by seed_demo directly and are not checked.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is refused until the cool-off ends or an administrator deletes
# the attempt in the admin (访问尝试). The pair, not the username alone: a stranger typing
# wrong passwords for an officer's name locks out only himself, not the officer at her desk.
AUTHENTICATION_BACKENDS = [
    "config.login_throttle.ThrottledLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("WJZ_LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_COOLOFF_MINUTES = env_int("WJZ_LOGIN_COOLOFF_MINUTES", 15, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The address as the citizen download limits see it: REMOTE_ADDR only, since X-Forwarded-For
# is written by the client and would give an attacker a fresh address for every guess.
AXES_CLIENT_IP_CALLABLE = "config.login_throttle.client_address"
AXES_LOCKOUT_CALLABLE = "config.login_throttle.lockout_response"
AXES_COOLOFF_MESSAGE = f"登录失败次数过多，账号已暂时锁定。请 {LOGIN_COOLOFF_MINUTES} 分钟后再试，或请系统管理员解锁。"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Our catalog comes first: it completes viewflow's mostly empty zh_Hans translation.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# The project's own static files (static/wjz/wjz.css, the staff pages' stylesheet), beside the apps'.
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TABLE = "wjz_cache"
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "shared": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "shared"},
    }
else:
    # Rate-limit counters (citizen downloads) and batch progress must be shared by every
    # gunicorn worker and counted without losing a concurrent count: the "shared" alias lives in
    # the database (config/cache.py; the table is made by a migration in workflows.core). The
    # default cache stays in memory: viewflow caches each user's avatar there on every page, and
    # a database round trip per page for that buys nothing.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {"BACKEND": "config.cache.CountingDatabaseCache", "LOCATION": CACHE_TABLE},
    }

# Celery: eager in the embedded default, a real broker when CELERY_BROKER_URL is set.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
CELERY_TASK_ALWAYS_EAGER = "CELERY_BROKER_URL" not in os.environ
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", None)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # viewflow's Timer nodes (e.g. the 7-day 公示) are fired by this sweep.
    "workflow-timers": {"task": "workflows.engine.tasks.fire_timers", "schedule": 60.0},
    # M8: a review meeting per township each month, opened on the first working day.
    "monthly-review-meetings": {"task": "workflows.review.tasks.ensure_monthly_meetings", "schedule": 6 * 3600.0},
    # Overdue cases are escalated to the responsible leader (checked every working morning).
    "overdue-escalation": {"task": "workflows.engine.tasks.escalate_overdue", "schedule": 3 * 3600.0},
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
SPECTACULAR_SETTINGS = {"TITLE": "皖救助 API", "VERSION": "0.1.0"}

# viewflow 2.4's frontend defines no <vf-field-checkbox-select>: render checkbox lists (agenda
# cases, attendance, risk signs) as its Material multi-select, which it does define.
VIEWFLOW = {"WIDGET_RENDERERS": {"django.forms.CheckboxSelectMultiple": "viewflow.forms.renderers.SelectMultipleRenderer"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The address citizens reach: printed in notices' QR codes and verification links.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# Trust roots for notice signatures (PEM paths, separated by os.pathsep). Production: the
# issuing CA's certificates; default: the development CA made by `manage.py init_dev_pki`.
NOTICE_TRUST_ROOTS = [Path(p) for p in os.environ.get("NOTICE_TRUST_ROOTS", "").split(os.pathsep) if p] or [BASE_DIR / "var" / "pki" / "dev-ca.pem"]

# --- notifications: bell, email/SMS channels, deadline reminders ---
TEMPLATES[0]["OPTIONS"]["context_processors"].append("notifications.context_processors.unread_count")
TEMPLATES[0]["OPTIONS"]["context_processors"].append("workflows.demo.context_processors.demo_clock")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "皖救助 <noreply@localhost>")
# Dotted path of a notifications.sms.SmsBackend; HttpSmsBackend posts JSON to SMS_HTTP_URL.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "notifications.sms.LoggingSmsBackend")
SMS_HTTP_URL = os.environ.get("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = os.environ.get("SMS_HTTP_TOKEN", "")
SMS_HTTP_TIMEOUT = env_float("SMS_HTTP_TIMEOUT", 10, minimum=0)
# Remind of tasks whose case is due within this many working days.
REMINDER_WORKING_DAYS = env_int("REMINDER_WORKING_DAYS", 3, minimum=0)
from celery.schedules import crontab  # noqa: E402

# Every day at 08:30 (CELERY_TIMEZONE); the task itself skips non-working days.
CELERY_BEAT_SCHEDULE["deadline-reminders"] = {"task": "workflows.engine.tasks.send_deadline_reminders", "schedule": crontab(hour=8, minute=30)}
# M8: on the first working day of a month, last month's spot check per county (the task skips other days).
CELERY_BEAT_SCHEDULE["monthly-spot-checks"] = {"task": "workflows.spotcheck.tasks.ensure_monthly_spot_checks", "schedule": crontab(hour=7, minute=0)}
# M10: each county's monthly payment cycle, opened from the first working day (the task checks the calendar).
CELERY_BEAT_SCHEDULE["monthly-payment-cycles"] = {"task": "workflows.payments.tasks.open_monthly_cycles", "schedule": crontab(hour=7, minute=10)}
# DESIGN §4.4: remind the administrators, weekly, of a coming year with no holiday calendar.
# Rechecks: on the first working day, those due by the end of next month (the task checks the calendar).
CELERY_BEAT_SCHEDULE["monthly-rechecks"] = {"task": "workflows.recheck.tasks.open_due_rechecks", "schedule": crontab(hour=6, minute=30)}
# M2: gradual exits that ended last month, and amounts decided for this month (idempotent).
CELERY_BEAT_SCHEDULE["settle-benefit-month"] = {"task": "workflows.recheck.tasks.settle_month", "schedule": crontab(hour=0, minute=30)}
# 信访工作条例 arts 35–36: a reply not asked to be rechecked within 30 日 closes.
CELERY_BEAT_SCHEDULE["close-unreviewed-petitions"] = {"task": "workflows.petitions.tasks.close_unreviewed", "schedule": crontab(hour=1, minute=10)}
CELERY_BEAT_SCHEDULE["monitoring-delete-expired-raw"] = {"task": "workflows.monitoring.tasks.delete_expired_raw", "schedule": crontab(hour=1, minute=40)}
CELERY_BEAT_SCHEDULE["monitoring-remind-deliveries"] = {"task": "workflows.monitoring.tasks.remind_deliveries", "schedule": crontab(hour=8, minute=20)}

# Low-income monitoring (M1), configurable: out-of-pocket medical costs that call for a visit,
# the working days to act on a signal, the days raw files and rows are kept.
MONITORING_MEDICAL_COST_YUAN = Decimal(os.environ.get("MONITORING_MEDICAL_COST_YUAN", "10000"))
MONITORING_ACTION_WORKING_DAYS = int(os.environ.get("MONITORING_ACTION_WORKING_DAYS", "15"))
MONITORING_RAW_RETENTION_DAYS = int(os.environ.get("MONITORING_RAW_RETENTION_DAYS", "180"))
CELERY_BEAT_SCHEDULE["missing-calendar-years"] = {"task": "workflows.engine.calendar_watch.warn_missing_calendar", "schedule": crontab(hour=8, minute=0)}
