"""Gelar settings: one module, driven by environment variables.

The defaults give the embedded set-up (SQLite under var/, in-process cache);
DATABASE_URL and REDIS_URL switch on PostgreSQL and Redis. There is no
production fork of this file: production is these settings with env vars set.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

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


DEBUG = envbool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and os.environ.get("SECRET_KEY_FILE"):
    SECRET_KEY = Path(os.environ["SECRET_KEY_FILE"]).read_text().strip()
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
if os.environ.get("DATABASE_URL", "").startswith("postgres"):
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
DATABASE_URL = os.environ.get("DATABASE_URL", "")
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

REDIS_URL = os.environ.get("REDIS_URL", "")
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
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
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
    "verify_phone": "1/30s/key,3/m/ip",
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Payment gateway (Midtrans). Empty server key = the gateway is off; the
# notification handler refuses everything rather than accept signatures that
# anyone could compute without the secret (see gelar.payments.midtrans).
MIDTRANS_SERVER_KEY = os.environ.get("MIDTRANS_SERVER_KEY", "")
MIDTRANS_CLIENT_KEY = os.environ.get("MIDTRANS_CLIENT_KEY", "")
MIDTRANS_IS_PRODUCTION = envbool("MIDTRANS_IS_PRODUCTION", False)

# Background work (gelar.common.tasks): False runs each task in a thread after the
# request's commit; settings_test runs them inline.
GELAR_TASKS_SYNC = envbool("GELAR_TASKS_SYNC", False)
# How long the organizer's live report is shared between the screens polling it.
GELAR_REPORT_CACHE_SECONDS = int(os.environ.get("GELAR_REPORT_CACHE_SECONDS", "15"))
