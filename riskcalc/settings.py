"""Django settings for riskcalc: one module, driven by environment variables.

Safe by default: DEBUG is off unless ``DJANGO_DEBUG=true``; with DEBUG off a
``DJANGO_SECRET_KEY`` is required and HTTPS hardening is on (turn it off for a plain-HTTP
loopback run with ``DJANGO_HTTPS=false``). Every variable is listed in README.md.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

# The test suite runs with production-like settings (DEBUG off, hashed static files) over
# plain HTTP on loopback; it needs a key but must not depend on one being exported.
TESTING = "pytest" in sys.modules

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "django-insecure-local-development-key-never-use-in-production"
    elif TESTING:
        SECRET_KEY = secrets.token_urlsafe(50)
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DEBUG is off (see README.md, Configuration)."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "riskcalc",
]

MIDDLEWARE = [
    # Outermost, so it times the whole stack and logs every response (riskcalc/request_log.py).
    "riskcalc.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "riskcalc.permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compress pages, partials and JSON (gzip, with Django's BREACH padding); below WhiteNoise,
    # which serves static files already compressed (.br/.gz). A calculator page's HTML goes
    # from about 25 KB to 5 KB on the wire (benchmarks/README.md, "Calculator pages").
    "django.middleware.gzip.GZipMiddleware",
    # ETag on every GET and 304 for a matching If-None-Match (riskcalc/http.py sets nonce-free
    # ETags on the cacheable calculator and embed responses).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the URL prefix (/es/, /zh-hans/, /ar/; English has none) for pages;
    # the API and embeds choose theirs per request (riskcalc/languages.py).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The newest tier tables stored by refresh_exchange_data, per request (exchange_data.py).
    "riskcalc.exchange_data.StoredTablesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A view failing because the database is unreachable answers 503, not 500 (availability.py).
    "riskcalc.availability.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "riskcalc.urls"
WSGI_APPLICATION = "riskcalc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time, and a class session writes an answer per student at
    # once. Wait up to 20 s for the write lock instead of failing at once (timeout), take it
    # when a transaction begins so a read-then-write cannot deadlock (IMMEDIATE), and let
    # readers carry on while one request writes (WAL; a no-op for in-memory test databases).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache every app server shares (rate limits, cached pages): Redis when REDIS_URL is set
# (needs the optional `redis` package), else a table in the database. Never per-process memory,
# so several app servers behave as one.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "riskcalc_cache",
        }
    }

# Rendered calculator pages kept for their next reader (riskcalc/views/calculators.py,
# kept_key): in each process's memory, the exception to the rule above, because a kept page
# is a pure function of its key (every process renders the same page) and a hit must cost no
# query. LocMemCache drops the least recently used third beyond MAX_ENTRIES, so any number
# of distinct valid links holds at most that many pages (about 40 KB each) per process.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "riskcalc-kept-pages",
    "OPTIONS": {"MAX_ENTRIES": 300},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# Each language in its own name: the switcher shows these, so a reader finds theirs.
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("zh-hans", "简体中文"),
    ("ar", "العربية"),
]
# The catalogues: locale/<language>/LC_MESSAGES/django.po, compiled to .mo by
# `make compilemessages` (make run, make test, the Dockerfile); locale/README.md.
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date formats that differ from Django's for a language (riskcalc/formats/<language>/).
FORMAT_MODULE_PATH = ["riskcalc.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files in every mode but DEBUG, so tests serve what production serves.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Hashed file names never change content: let browsers and CDNs keep them for a year.
WHITENOISE_MAX_AGE = 0 if DEBUG else 31536000

# Django 6.1 replaced EMAIL_BACKEND with MAILERS; the site sends no mail today, and a
# development-only backend would fail `check --deploy` (mail.E001).
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        )
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers. Scripts only from our origin or with this response's nonce; styles may
# also carry the nonce because Plotly writes its rules into a nonce'd <style> element
# (plotly/plotly.js#7543). Framing is denied everywhere; embed views override it.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no page or embed uses, turned off for the document and anything it frames
# (riskcalc/permissions_policy.py sends them on every response). Every name is one Chromium
# 156 recognises: an unknown name costs a console warning on every page. clipboard-write is
# left at its default (our own origin): the widget builder's Copy buttons need it.
PERMISSIONS_POLICY_DISABLED = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-create",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)

# No form or API body on the site comes near 64 KB; the JSON API (riskcalc/api.py) answers
# larger bodies with 413 itself, and this caps what Django reads for every other request.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024

# Origins allowed to frame /embed/ routes (space-separated CSP sources; "*" means any site).
EMBED_FRAME_ANCESTORS = os.environ.get("RISKCALC_EMBED_FRAME_ANCESTORS", "*").split()

HTTPS = env_bool("DJANGO_HTTPS", not (DEBUG or TESTING))
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Health checks come from Docker or the balancer over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Our own reverse proxies (addresses or networks). Only a request whose direct peer is one of
# them has its X-Forwarded-For read for the client's address (riskcalc/client_address.py),
# which every rate limit and the request log use. Empty: the peer is the client.
RISKCALC_TRUSTED_PROXIES = env_list("RISKCALC_TRUSTED_PROXIES", "")
for _proxy in RISKCALC_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy)
    except ValueError:
        raise ImproperlyConfigured(
            f"RISKCALC_TRUSTED_PROXIES: {_proxy!r} is not an address or a network."
        ) from None

# Logs go to stderr, one line per record: JSON (for a log shipper) unless DEBUG, or as chosen
# with DJANGO_LOG_FORMAT=json|plain. riskcalc.request logs one line per request at INFO
# (method, path without the query string, status, duration_ms, request_id, client); gunicorn's own
# access log is off (gunicorn.conf.py). DJANGO_REQUEST_LOG=false silences it.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "riskcalc.request_log.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        "riskcalc.request": {
            "level": "INFO" if env_bool("DJANGO_REQUEST_LOG", True) else "WARNING",
        },
    },
}
