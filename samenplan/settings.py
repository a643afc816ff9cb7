"""The one settings module. Everything that differs between machines comes from the environment.

Defaults are the safe production ones; `make run` sets SAMENPLAN_DEMO=1 and HTTPS=0 for a local demo.
"""

import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Demo mode lets the demo accounts skip the second factor; never set it in production.
DEMO = env_bool("SAMENPLAN_DEMO", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment (the demo: make run writes var/local.env).")
    SECRET_KEY = "insecure-development-key-" + "x" * 40

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "samenplan.core",
    "samenplan.accounts",
    "samenplan.organisations",
    "samenplan.frameworks",
    "samenplan.plans",
    "samenplan.audit",
    "samenplan.participation",
    "samenplan.consent",
    "samenplan.notifications",
    "samenplan.careoffice",
    "samenplan.publishing",
    "samenplan.signals",
    "samenplan.monitoring",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    # First, so it times the whole request; it logs only with LOG_FORMAT=json.
    "samenplan.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "samenplan.accounts.middleware.UserLanguageMiddleware",
    "samenplan.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samenplan.urls"
WSGI_APPLICATION = "samenplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "samenplan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samenplan.organisations.context_processors.current_organisation",
                "samenplan.notifications.context_processors.unread_notifications",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'samenplan.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids
    # "database is locked" when a read transaction later wants to write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if DEBUG else DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "samenplan.accounts.backends.ModelBackend",
    "samenplan.accounts.backends.LoginLinkBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
# Council members may log in with a link from their e-mail (django-sesame): it works once
# (any login voids it) and for half an hour.
SESAME_MAX_AGE = env_int("LOGIN_LINK_MAX_AGE_MINUTES", 30) * 60
SESAME_ONE_TIME = True

# django-axes: lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The address a lockout is counted against (django-ipware finds it). Behind the proxy every request
# comes from the proxy's address, so the header the proxy sets counts (Caddy puts the address it sees
# there, replacing whatever the client sent); without a proxy only the socket's address counts, so a
# client cannot choose the address it is locked out under by sending a header.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if BEHIND_PROXY else ["REMOTE_ADDR"]

OTP_TOTP_ISSUER = "Samenplan"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "samenplan" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# How often a task worker says it is alive; a task whose worker missed three beats runs again.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 10)

# `pages`: rendered pages kept in each process's memory (core/pagecache.py). `default` is shared
# by the processes: it holds the tokens that tell them a page is out of date. A directory serves
# one machine; web servers on several machines must point CACHE_BACKEND/CACHE_LOCATION at one shared
# cache (Redis: CACHE_BACKEND=django.core.cache.backends.redis.RedisCache,
# CACHE_LOCATION=redis://redis:6379/0, as deploy/compose.yaml does), or a logout and a change of
# data on one machine go unseen on the others.
CACHE_BACKEND = os.environ.get("CACHE_BACKEND", "samenplan.core.cache.FileCache")
if CACHE_BACKEND.endswith(".RedisCache"):
    # Redis bounds its memory itself (maxmemory; its OPTIONS go to the connection, which refuses
    # MAX_ENTRIES). Short timeouts make a Redis that hangs an error instead of a page that hangs.
    CACHE_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
else:
    # Sessions live here too; past MAX_ENTRIES a third is dropped (they are read back from the database).
    CACHE_OPTIONS = {"MAX_ENTRIES": env_int("CACHE_ENTRIES", 20000)}
CACHES = {
    "default": {
        "BACKEND": CACHE_BACKEND,
        "LOCATION": os.environ.get("CACHE_LOCATION", str(BASE_DIR / "var" / "cache")),
        "OPTIONS": CACHE_OPTIONS,
        # Two sites on one machine (the demo and a benchmark, say) must not share tokens.
        "KEY_PREFIX": hashlib.sha256("{ENGINE} {HOST} {PORT} {NAME}".format_map(DATABASES["default"]).encode())
        .hexdigest()[:12],
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "samenplan-pages",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", 2000)},
    },
}

EMAIL_BACKEND_PATH = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 587),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Samenplan <noreply@samenplan.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Local hour at which the daily digest e-mails go out.
DIGEST_HOUR = env_int("DIGEST_HOUR", 7)
# Absolute links in e-mail (login links) need the public address of the site.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Security. HTTPS=0 is only for a local demo over plain http.
HTTPS = env_bool("HTTPS", True)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
# Sessions are read on every page: from the `default` cache, with the database behind it.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# LOG_FORMAT=json (production, deploy/): every log line on stdout is one JSON object, and every
# request gives one line with its route pattern, status, duration and user id (core/logs.py); it
# replaces gunicorn's access log, which shows raw paths and query strings.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"samenplan.request": {"level": "WARNING"}},  # the text log has gunicorn's access log
}
if LOG_FORMAT == "json":
    LOGGING["formatters"] = {"json": {"()": "samenplan.core.logs.JsonFormatter"}}
    LOGGING["handlers"] = {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                                       "formatter": "json"}}
    LOGGING["loggers"] = {
        "samenplan.request": {"level": "INFO"},
        # The request line has every 4xx already; Django's own warning would repeat it with the raw path.
        "django.request": {"level": "ERROR"},
    }

# /readyz fails when the worker has taken no job for this long. The scheduler enqueues a job every
# 15 minutes (notifications/tasks.py), so keep it above that.
READYZ_WORKER_MINUTES = env_int("READYZ_WORKER_MINUTES", 20)

# Open data (/api/v1/public/…, no login): requests per client address per window of seconds,
# counted in the shared `default` cache. A benchmark raises the limit; 429 with Retry-After beyond it.
OPEN_DATA_RATE_LIMIT = env_int("OPEN_DATA_RATE_LIMIT", 120)
OPEN_DATA_RATE_WINDOW = env_int("OPEN_DATA_RATE_WINDOW_SECONDS", 60)

# Public signal intake (signals app): per client address and location, this many signals per window
# of seconds. A hallway's shared tablet sends several an hour; a benchmark raises these.
SIGNAL_RATE_LIMIT = env_int("SIGNAL_RATE_LIMIT", 20)
SIGNAL_RATE_WINDOW = env_int("SIGNAL_RATE_WINDOW", 3600)

# The test run (samenplan/testing_env.py sets this): fast hashing, tasks run inline, static
# files served from the app folders without a collected manifest.
if env_bool("SAMENPLAN_TESTING", False):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    # One process: the tokens need not leave it, and tests leave nothing on disk.
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "samenplan-tokens"}
