"""Gelar settings: one module, driven by environment variables.

The defaults give the embedded set-up (SQLite under var/, in-process cache);
DATABASE_URL and REDIS_URL switch on PostgreSQL and Redis. There is no
production fork of this file: production is these settings with env vars set.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from gelar.ops.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GELAR_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envsecret(name: str, default: str = "") -> str:
    """A secret from the variable NAME or, when that is unset, from the file that
    NAME_FILE names (a Docker secret, a systemd credential): never from this file."""
    value = os.environ.get(name, "")
    if value:
        return value
    path = os.environ.get(f"{name}_FILE", "")
    if not path:
        return default
    try:
        return Path(path).read_text().strip()
    except OSError as error:
        raise ImproperlyConfigured(f"{name}_FILE: cannot read {path!r} ({error})") from error


DEBUG = envbool("DEBUG", False)

SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        # Failing loudly beats running production with a guessable key.
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "gelar.common",
    "gelar.accounts",
    "gelar.audit",
    "gelar.regions",
    "gelar.events",
    "gelar.exhibitors",
    "gelar.catalog",
    "gelar.orders",
    "gelar.pos",
    "gelar.reports",
    "gelar.payments",
    "gelar.tickets",
    "gelar.live",
    "gelar.public",
    "gelar.shop",
    "gelar.console",
    "gelar.dashboard",
    "gelar.api",
    "gelar.demo",
]
if envsecret("DATABASE_URL").startswith("postgres"):
    INSTALLED_APPS.append("django.contrib.postgres")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "gelar.accounts.mfa.require_mfa_for_organizer_admins",
]

ROOT_URLCONF = "gelar.urls"
WSGI_APPLICATION = "gelar.wsgi.application"
ASGI_APPLICATION = "gelar.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gelar" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASE_URL = envsecret("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "gelar.sqlite3",
            # Writers wait for the lock instead of failing at once; IMMEDIATE
            # transactions take the write lock up front, so a transaction that
            # reads then writes cannot deadlock with another one.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envsecret("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Live events (gelar.live): Redis reaches the viewers of every app process; the
# in-memory layer only those of this process, which is all the embedded set-up runs.
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # The layer blocks 5 s on BZPOPMIN waiting for a viewer's next event; redis-py
            # 8 gives up a read after 5 s too, and the race closed ~1 socket in 170 every
            # few seconds (bench/live.sh; django/channels_redis#422): read for longer.
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 10}]},
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "gelar.live.layers.InMemoryChannelLayer",
            # A busy chat queues many events per viewer; the default 100 drops silently.
            "CONFIG": {"capacity": 1000},
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # the admin's username login
    "allauth.account.auth_backends.AuthenticationBackend",  # email or mobile number
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Indonesian first: id by default, English on request (the /en/ prefix).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "gelar" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Private files (exhibitors' legal documents): outside MEDIA_ROOT, never served as
# media; the dashboard and console stream them through views that check access.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# Serving media from Django is for the embedded set-up; production puts nginx in front.
SERVE_MEDIA = envbool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Email: SMTP when EMAIL_HOST is set; otherwise each message is written to a
# file under var/mail (the demo), so nothing is lost and nothing is sent.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
    # Mail goes out after commit inside the request (a buyer's inquiry, a ticket): a
    # server that hangs must not hang the request. The senders log the timeout.
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Gelar <noreply@gelar.local>")
# The absolute address of the site, for links in emails and WhatsApp messages.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# == Accounts (django-allauth) ==
# Sign-up and login by email or Indonesian mobile number with a password.
# allauth requires "email*" in the sign-up fields when verification is
# mandatory; gelar.accounts.forms.SignupForm makes the email optional again
# when a mobile number is given (a UMKM owner may have only a phone), and
# gelar.accounts.stages skips email verification for such phone-only accounts:
# they verify their number by SMS code instead.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"
ACCOUNT_ADAPTER = "gelar.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "gelar.accounts.forms.LoginForm",
    "signup": "gelar.accounts.forms.SignupForm",
}
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# A code is easier to type on a phone than a link is to open in the right browser.
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
# Password reset goes by email only; a phone-only owner who forgot the password
# signs in with a code sent to the number instead ("Send me a sign-in code").
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# Six digits bring up the phone's number pad; each code allows 3 attempts and
# expires after 15 minutes (allauth's defaults).
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None  # ask: shared phones at a booth should not stay signed in
ACCOUNT_USER_DISPLAY = str
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Gelar] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Throttling against brute force. The counters live in the default cache:
# per process with locmem (each worker counts on its own, so the effective
# limit is multiplied by the worker count), shared by all workers with Redis
# (REDIS_URL). login_failed: 10 failures a minute per IP and 5 per login
# (email or normalised mobile number) in 5 minutes.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    # A code sent by SMS costs money and can pester a number (SMS pumping): besides
    # the pace, at most 10 an hour to one number (the key).
    "verify_phone": "1/30s/key,10/h/key,3/m/ip",
    "request_login_code": "20/m/ip,3/m/key,10/h/key",
}
# Behind nginx the client address is in X-Forwarded-For; without this every
# visitor would share the proxy's address and one limit.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Where SMS verification codes go until a gateway is configured: one file per
# message (see gelar.accounts.sms). settings_test uses the in-memory backend.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "gelar.accounts.sms.FileBackend")
SMS_FILE_PATH = VAR_DIR / "sms"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Gelar"
# Accept the previous and next 30-second code too: phone clocks drift.
MFA_TOTP_TOLERANCE = 1

# Only the benches switch this on: it mounts the bare baseline view.
BENCH_VIEWS = envbool("BENCH_VIEWS", False)

# Payment gateway (Midtrans). Empty server key = the gateway is off; the
# notification handler refuses everything rather than accept signatures that
# anyone could compute without the secret (see gelar.payments.midtrans).
MIDTRANS_SERVER_KEY = envsecret("MIDTRANS_SERVER_KEY")
MIDTRANS_CLIENT_KEY = os.environ.get("MIDTRANS_CLIENT_KEY", "")
MIDTRANS_IS_PRODUCTION = envbool("MIDTRANS_IS_PRODUCTION", False)

# Background work (gelar.common.tasks): False runs each task in a thread after the
# request's commit; settings_test runs them inline.
GELAR_TASKS_SYNC = envbool("GELAR_TASKS_SYNC", False)
# How long the organizer's live report is shared between the screens polling it.
GELAR_REPORT_CACHE_SECONDS = int(os.environ.get("GELAR_REPORT_CACHE_SECONDS", "15"))

# --- Operations and security (issue 9) ---
# gelar.ops and docs/deploy.md, "Security and operations".
# /healthz, /readyz and /metrics are answered before the site's middleware (host check,
# HTTPS redirect, session, CSRF, locale); the request observer around everything.
MIDDLEWARE = [
    "gelar.ops.observe.request_observer",
    "gelar.ops.middleware.ops_endpoints",
    *MIDDLEWARE,
]

# Uploads are served to anyone by URL (gelar.ops.media, nginx): the private files must
# never be among them.
if PRIVATE_MEDIA_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()):
    raise ImproperlyConfigured("PRIVATE_MEDIA_ROOT must be outside MEDIA_ROOT.")
# Seconds a readiness probe waits for Redis; the database's wait is its connect_timeout.
HEALTH_REDIS_TIMEOUT = float(os.environ.get("HEALTH_REDIS_TIMEOUT", "1"))
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # A database that is down or restarting is refused within seconds rather than left
    # hanging each request (and the readiness probe) for libpq's default of forever.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
    )

# Logs: text lines for a person at a terminal (the demo), LOG_FORMAT=json for a log
# collector; each line carries the request id (X-Request-ID), one access line a request.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = logging_config(
    log_format=LOG_FORMAT,
    level=os.environ.get("LOG_LEVEL", "WARNING"),
    access_log=envbool("ACCESS_LOG", True),
)

# /metrics answers requests from this machine that did not come through the proxy, or
# those with "Authorization: Bearer <METRICS_TOKEN>"; empty = no token accepted.
METRICS_TOKEN = envsecret("METRICS_TOKEN")

# HTTPS. SITE_URL says whether the site is public over HTTPS; the defaults then make
# `check --deploy` clean, and stay off for the demo on http://127.0.0.1:8000.
_HTTPS_SITE = SITE_URL.startswith("https://") and not DEBUG
# Behind nginx, TLS ends at nginx: it tells the app the scheme in X-Forwarded-Proto,
# which is trusted only when the app is reachable through nginx alone.
if envbool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", _HTTPS_SITE)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", _HTTPS_SITE)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", _HTTPS_SITE)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HSTS: a browser that saw it refuses plain HTTP to the host for this long; preload
# (the header's flag alone changes nothing until the domain is submitted to the lists).
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if _HTTPS_SITE else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _HTTPS_SITE)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", _HTTPS_SITE)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = os.environ.get("SECURE_REFERRER_POLICY", "same-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp): scripts and styles from our own static files
# only -- no inline script, style element or style attribute (templates use classes
# and static/js files). Exceptions, each for a reason:
# - the 500 and 503 pages' one <style> (the same in both: self-contained so that they
#   render when static files or the database fail), by its hash;
#   gelar/ops/tests/test_csp.py recomputes it from the templates;
# - media-src https: a stream may be an organizer's .m3u8/.mp4 on any CDN;
# - frame-src: the YouTube player (public/embeds.py: youtube-nocookie.com);
# - form-action: "Pay online" posts to us and is redirected to Midtrans Snap, and
#   browsers apply form-action to that redirect too.
_SITE = urlsplit(SITE_URL)
_SITE_SOCKETS = f"{'wss' if _SITE.scheme == 'https' else 'ws'}://{_SITE.netloc}"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'sha256-IPrcysC/gg3ahrrHX10YBHBkdLhGljSqDDLoxwzdlBo='"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:", "https:"],
        # 'self' covers the site's own ws(s):// in current browsers; the explicit
        # origin is for older ones (live.js connects to /ws/ on this host).
        "connect-src": ["'self'", _SITE_SOCKETS],
        "frame-src": ["https://www.youtube-nocookie.com", "https://www.youtube.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", "https://*.midtrans.com"],
        "frame-ancestors": ["'none'"],
        "report-uri": envlist("CSP_REPORT_URI", "") or None,
    }
}
MIDDLEWARE.append("csp.middleware.CSPMiddleware")

# Rate limits (gelar.ops.ratelimits.LIMITS; sign-in and sign-up: ACCOUNT_RATE_LIMITS).
# RATELIMIT_ENABLE=0 is for load benches only, whose buyers all come from 127.0.0.1.
RATELIMIT_ENABLE = envbool("RATELIMIT_ENABLE", True)
# A cache that cannot count lets the request through (the limits are a ceiling
# against scripts, not a rule of the domain).
RATELIMIT_FAIL_OPEN = True
MIDDLEWARE.append("gelar.ops.ratelimits.RateLimitMiddleware")


# --- Task queue and processes (issue 9) ---
# Celery (gelar/celery.py, docs/adr/0009-task-queue.md), switched on by CELERY_BROKER_URL
# alone -- never by REDIS_URL: a broker that no worker reads would leave every export
# queued and, without beat, no reservation released. With a broker,
# gelar.common.tasks.enqueue sends tasks to the workers and beat sends the periodic ones;
# without one (the embedded demo, or Redis as a cache only) a task runs in a thread of
# the web process and `manage.py expire_reservations --every 60` releases reservations.
# Production puts the broker on REDIS_URL's server under another database number, so
# that clearing the cache (FLUSHDB) cannot drop queued tasks. A secret: it may hold the
# Redis password.
CELERY_BROKER_URL = envsecret("CELERY_BROKER_URL")
CELERY_TIMEZONE = TIME_ZONE
# Nobody reads a task's return value: the rows it writes are the result.
CELERY_TASK_IGNORE_RESULT = True
# Acknowledged when done, one at a time: a worker killed mid-task leaves its message in
# Redis, delivered again after the broker's visibility timeout (an hour by default).
# Every task is idempotent (a conditional UPDATE takes its rows), so a late second run
# does nothing; an export whose run died is failed by its heartbeat and asked again.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that enqueues waits for a broker that is down -- ~1.5 s when it refuses the
# connection, up to ~7.5 s when it drops packets (3 connects of 2 s and the back-off) --
# then the task runs in a thread of the web process instead (gelar.common.tasks).
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 10}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# The logs go where Django's LOGGING sends them.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Seconds between two releases of unpaid reservations (beat).
EXPIRE_RESERVATIONS_EVERY = int(os.environ.get("EXPIRE_RESERVATIONS_EVERY", "60"))
if EXPIRE_RESERVATIONS_EVERY < 10:
    raise ImproperlyConfigured("EXPIRE_RESERVATIONS_EVERY must be at least 10 seconds.")
CELERY_BEAT_SCHEDULE = {
    "expire-reservations": {
        "task": "gelar.orders.tasks.expire_reservations",
        "schedule": float(EXPIRE_RESERVATIONS_EVERY),
        # A tick that waited longer than its interval (no worker) is dropped: the next
        # one does the same work.
        "options": {"expires": EXPIRE_RESERVATIONS_EVERY - 5},
    },
}
# While the database is away the site answers 503 with Retry-After, not 500
# (gelar.common.unavailable; bench/drills/pg_restart.sh). Last: it sees a view's
# database error first.
MIDDLEWARE = [*MIDDLEWARE, "gelar.common.unavailable.DatabaseUnavailableMiddleware"]
# A Redis that is away must not fail requests: the cache answers as an empty one
# (gelar.common.cache), within a second or two rather than hanging.
if REDIS_URL:
    CACHES["default"]["BACKEND"] = "gelar.common.cache.ForgivingRedisCache"
    CACHES["default"]["OPTIONS"] = {"socket_connect_timeout": 1, "socket_timeout": 2}
