"""CCHC settings: one module, read from the environment.

CCHC_* variables and DATABASE_URL; every value is checked and a bad one fails loudly.
A secret may also come from a file named by the variable with a _FILE suffix.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("CCHC_HOME", BASE_DIR.parent.parent)).resolve()
VAR_DIR = Path(os.environ.get("CCHC_VAR_DIR", PROJECT_DIR / "var")).resolve()


def env(name: str, default: str = "") -> str:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name, "True" if default else "False")
    truthy, falsy = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}
    if value.lower() in truthy:
        return True
    if value.lower() in falsy:
        return False
    raise ImproperlyConfigured(f"Unexpected value {name}={value}, use True or False")


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    value = env(name, str(default)).strip()
    try:
        number = int(value.replace("_", ""))
    except ValueError:
        number = None
    if number is None or number < minimum or (maximum is not None and number > maximum):
        bounds = f"{minimum}–{maximum}" if maximum is not None else f"of at least {minimum}"
        raise ImproperlyConfigured(f"Unexpected value {name}={value}, use a whole number {bounds}")
    return number


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def secret_key() -> str:
    key = env("CCHC_SECRET_KEY")
    if key:
        return key
    # No key given: keep a generated one beside the data, so sessions survive restarts
    # and no two installations share a key.
    path = VAR_DIR / "secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


DEBUG = env_bool("CCHC_DEBUG", False)
SECRET_KEY = secret_key()
ALLOWED_HOSTS = env_list("CCHC_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CCHC_CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = env("CCHC_SITE_NAME", "CCHC")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # its own Swagger/ReDoc assets, served by the app (no CDN, see CSP below)
    "axes",
    "cchc.core",
    "cchc.units",
    "cchc.frameworks",
    "cchc.evaluations",
    "cchc.surveys",
    "cchc.dossiers",
    "cchc.plans",
    "cchc.reports",
    "cchc.reports.outlines",
    "cchc.service_index",
    "cchc.demo",  # the `demo` command, above every app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the database: decides whether this request may read the replica.
    "cchc.core.replica.ReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cchc.core.middleware.IgnoreBrowserLanguage",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "cchc.core.security.ContentSecurityPolicy",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc.urls"
WSGI_APPLICATION = "cchc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cchc.core.context_processors.shell",
            ],
            "builtins": ["cchc.core.templatetags.vn"],
        },
    }
]

DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cchc.sqlite3'}")
if DATABASE_URL.startswith("sqlite:") and "memory" not in DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as error:
    raise ImproperlyConfigured(f"Unexpected value DATABASE_URL={DATABASE_URL}: {error}") from None
# A streaming replica (a PostgreSQL hot standby of the primary) for reads that may lag:
# public pages, statistics, exports (cchc.core.replica). A browser that wrote reads from the
# primary for CCHC_REPLICA_PIN_SECONDS after (longer than the standby's usual lag).
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    try:
        DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"Unexpected value DATABASE_REPLICA_URL={DATABASE_REPLICA_URL}: {error}"
        ) from None
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL must name a replica of DATABASE_URL (the same engine)"
        )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests read the primary
DATABASE_ROUTERS = ["cchc.core.replica.ReplicaRouter"]
REPLICA_PIN_SECONDS = env_int("CCHC_REPLICA_PIN_SECONDS", 30, minimum=0, maximum=3600)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for the lock instead of failing with "database is locked":
    # every transaction starts with BEGIN IMMEDIATE (so a reader never has to upgrade to a
    # writer and die in a deadlock), and waits up to CCHC_SQLITE_BUSY_TIMEOUT seconds for the
    # one writer before it. 30 s covers a dossier import's load phase (issue 13: with 5 s,
    # 8 of 500 desk writes failed during a 1M-row import); longer imports need PostgreSQL.
    SQLITE_BUSY_TIMEOUT = env_int("CCHC_SQLITE_BUSY_TIMEOUT", 30, minimum=1, maximum=3600)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT,
        "init_command": (
            f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT * 1000}; PRAGMA journal_mode=WAL;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "vi"
# Vietnamese only: the users are Vietnamese officials, and a half-translated English
# interface was worse than none (issue 15).
LANGUAGES = [("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("CCHC_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
# Dates a person types, day first, padded or not (05/9/2016, 5/9/2016, 05/09/2016), and ISO
# (what a date input sends). Django's "vi" locale defines none, so without these a form read
# "05/9/2016" month first, as 9 May (issue 16). Printing is cchc.core.formatting.vn_date.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y",
]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
# The app serves its own assets (government networks are closed: no CDN).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("CCHC_MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Limits on every file read (core/reading.py; issue 13: a 4.8 KB XLSX held a worker for
# minutes). Defaults: a 5-million-dossier CSV passes, an XLSX bomb does not.
CCHC_FILE_LIMITS = {
    "max_bytes": env_int("CCHC_FILE_MAX_BYTES", 2 << 30, minimum=1),
    "max_rows": env_int("CCHC_FILE_MAX_ROWS", 10_000_000, minimum=1),
    "max_columns": env_int("CCHC_FILE_MAX_COLUMNS", 1_000, minimum=1),
    "max_cell": env_int("CCHC_FILE_MAX_CELL", 32_767, minimum=1),
    "max_uncompressed": env_int("CCHC_FILE_MAX_UNCOMPRESSED", 256 << 20, minimum=1),
    "max_ratio": env_int("CCHC_FILE_MAX_RATIO", 100, minimum=1),
    "max_sheets": env_int("CCHC_FILE_MAX_SHEETS", 50, minimum=1),
    "max_members": env_int("CCHC_FILE_MAX_MEMBERS", 1_000, minimum=1),
}
# Uploaded documents (evidence, reports): core/uploads.py checks size and content.
UPLOAD_MAX_BYTES = env_int("CCHC_UPLOAD_MAX_BYTES", 20 << 20, minimum=1)
STORAGES = {
    "default": {"BACKEND": env("CCHC_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background work: "immediate" runs a task inside the request (tests); "thread" in a
# background thread of the one server (make demo); "database" queues it for `cchc worker`.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "thread": "cchc.core.tasks_backend.ThreadBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASK_MODE = env("CCHC_TASKS", "immediate")
if TASK_MODE not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"Unexpected value CCHC_TASKS={TASK_MODE}, use one of {', '.join(TASK_BACKENDS)}"
    )
TASKS = {
    "default": {
        "BACKEND": TASK_BACKENDS[TASK_MODE],
        "QUEUES": ["default", "imports", "reports"],
    }
}

# A job or import on another host (or of unknown pid) that has not reported for this long
# is taken as dead (core/liveness.py). Longer than the longest silent phase: a 5M-row
# re-import's write on SQLite took 222 s (docs/benchmarks.md).
JOB_LEASE_SECONDS = env_int("CCHC_JOB_LEASE_SECONDS", 900, minimum=60, maximum=7 * 24 * 3600)

# Every upload job (core/jobs.run_upload) is stopped past this many seconds and ends failed,
# nothing written (the command line has no limit): a hostile file cannot hold a worker. A
# 5,000,000-row re-import took under 5 minutes (docs/benchmarks.md).
JOB_TIME_LIMIT_SECONDS = env_int(
    "CCHC_JOB_TIME_LIMIT_SECONDS", 1800, minimum=0, maximum=7 * 24 * 3600
)

FRAMEWORKS_DIR = Path(env("CCHC_FRAMEWORKS_DIR", str(PROJECT_DIR / "frameworks")))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("CCHC_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS only where the site says it runs on HTTPS (secure cookies on): browsers then refuse
# plain HTTP for a year (CCHC_HSTS_SECONDS; 0 turns it off), subdomains included unless
# CCHC_HSTS_INCLUDE_SUBDOMAINS=false (a province portal may host plain-HTTP subdomains).
SECURE_HSTS_SECONDS = env_int("CCHC_HSTS_SECONDS", 31536000) if SESSION_COOKIE_SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CCHC_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = False  # preloading is a promise for the whole domain: the operator's call
# Behind a reverse proxy (nginx, the province's gateway) that terminates TLS and sets
# X-Forwarded-Proto and X-Forwarded-For. On by default with secure cookies; a server that
# takes HTTPS itself sets CCHC_BEHIND_PROXY=false, since a client could forge those headers.
BEHIND_PROXY = env_bool("CCHC_BEHIND_PROXY", SESSION_COOKIE_SECURE)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None

# Content-Security-Policy (cchc.core.security): scripts and everything else from the site
# itself, no inline script, no eval. Inline style attributes stay allowed (templates use
# them for layout; a style cannot run code). CCHC_CSP replaces the whole policy.
CONTENT_SECURITY_POLICY = env(
    "CCHC_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)

# Failed logins (django-axes): after CCHC_LOGIN_FAILURE_LIMIT wrong passwords for one
# account, or from one address, that account or address is locked for
# CCHC_LOGIN_LOCKOUT_MINUTES; an administrator unlocks it sooner from /units/login-locks/
# or `cchc axes_reset_username NAME`. Per address too, because guessing many accounts
# from one place is the other attack; offices behind one NAT address share that count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("CCHC_LOGIN_THROTTLE", True)
AXES_FAILURE_LIMIT = env_int("CCHC_LOGIN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CCHC_LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "cchc.core.security.login_locked"
AXES_CLIENT_IP_CALLABLE = "cchc.core.security.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("CCHC_LOG_LEVEL", "WARNING")},
}
