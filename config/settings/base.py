"""Settings shared by every environment; everything that differs comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("ASPA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-dev-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "aspa.core",
    "aspa.org",
    "aspa.wfm",
    "aspa.teamwork",
    "aspa.voice",
    "aspa.roadmap",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "aspa.core.middleware.FinnishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "aspa.core.middleware.TenantMiddleware",
    "aspa.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "src" / "aspa" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aspa.core.context_processors.shell",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'aspa.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the in-process job runner write progress while pages read it.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after 8 idle hours: a working day, not forever on a shared desk.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("en", _("English"))]
# English pages write dates the way they are written in Finland (day first, 24-hour clock).
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [Path(os.environ.get("ASPA_LOCALE_DIR", BASE_DIR / "locale"))]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "src" / "aspa" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Aspa <noreply@aspa.invalid>")

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "aspa"}
    )
}

# Uploads: a CSV of a year of 5-minute intervals is a few MB; refuse anything absurd early.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
ASPA_MAX_UPLOAD_BYTES = int(os.environ.get("ASPA_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))

# Background jobs: "inprocess" (embedded default, a thread pool) or "celery" (Redis broker).
ASPA_JOB_BACKEND = os.environ.get("ASPA_JOB_BACKEND", "inprocess")
CELERY_BROKER_URL = os.environ.get(
    "CELERY_BROKER_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Periodic work for `celery -A config.celery beat`; without Celery, cron runs the same management
# commands (README, "Running at scale").
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # History uploads never imported (and their stored files) go after a day: `wfm_cleanup_uploads`.
    "wfm-cleanup-uploads": {"task": "aspa.wfm.cleanup_uploads", "schedule": crontab(hour=3, minute=15)},
    # Owners of overdue actions get one mail a day, early on weekdays: `teamwork_remind_overdue`.
    "teamwork-overdue": {
        "task": "aspa.teamwork.remind_overdue",
        "schedule": crontab(hour=7, minute=0, day_of_week="1-5"),
    },
    # Open planning periods whose wish deadline is within 48 h are reminded once: `wfm_remind_wishes`.
    "wfm-remind-wishes": {"task": "aspa.wfm.remind_wishes", "schedule": crontab(minute=5)},
}

# History files above either limit are imported by a background job, in the browser and the API.
ASPA_WFM_ASYNC_IMPORT_BYTES = int(os.environ.get("ASPA_WFM_ASYNC_IMPORT_BYTES", str(2 * 1024 * 1024)))
ASPA_WFM_ASYNC_IMPORT_ROWS = int(os.environ.get("ASPA_WFM_ASYNC_IMPORT_ROWS", "20000"))
# A roster problem with more assignment variables than this is solved by decomposition (group by group)
# instead of one CP-SAT model; see aspa.engine.rostering.decompose.
ASPA_ROSTER_DECOMPOSE_ABOVE = int(os.environ.get("ASPA_ROSTER_DECOMPOSE_ABOVE", "60000"))

# Login rate limiting: attempts per e-mail+address within the window.
ASPA_LOGIN_MAX_ATTEMPTS = int(os.environ.get("ASPA_LOGIN_MAX_ATTEMPTS", "5"))
ASPA_LOGIN_WINDOW_SECONDS = int(os.environ.get("ASPA_LOGIN_WINDOW_SECONDS", "900"))
# Proxies in front of the web processes that append to X-Forwarded-For (0: the header is not trusted).
# Rate limits (login, public survey and idea pages) count per client address, found through them.
ASPA_TRUSTED_PROXIES = int(os.environ.get("ASPA_TRUSTED_PROXIES", "0"))
ASPA_INVITATION_DAYS = 14

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
