"""Django settings for Remix.

Everything that differs between machines comes from the environment (12-factor), parsed by
django-environ so that "False" really is false. Development defaults apply only when DEBUG is
on; with DEBUG off, SECRET_KEY and ALLOWED_HOSTS must be given explicitly.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # unaccent and trigram lookups of the portal's search.
    "django.contrib.postgres",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "simple_history",
    # The job queue of long uploads (checks and commits), kept in PostgreSQL itself.
    "procrastinate.contrib.django",
    "layers",
    "territorio",
    "rules",
    "rigenerazione",
    "lum",
    "contributi",
    "frontend",
]

MIDDLEWARE = [
    # First, so a database outage becomes a 503 after every other middleware had its say.
    "remix.outage.DatabaseUnavailableMiddleware",
    # Request id (nginx's X-Request-ID) and user id on every log line; one line per request.
    "remix.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "remix.errors.NulByteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "remix.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Overrides of third-party templates (searched before the apps' own templates).
        "DIRS": [BASE_DIR / "frontend" / "template_overrides", BASE_DIR / "remix" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "frontend.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "remix.wsgi.application"

# The database must be PostGIS. Without DATABASE_URL the set-up (scripts/db.sh) runs a
# project-local cluster under var/ and exports its URL; this default only serves tools run
# by hand on a developer machine.
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default="postgis://postgres@127.0.0.1:5432/remix",
        engine="django.contrib.gis.db.backends.postgis",
    )
}
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
# A Unix-socket directory travels percent-encoded in the URL's host part.
DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST") or "")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's JIT compiles the big tile and feed queries (their estimated cost crosses
# jit_*_above_cost) for 0.5-1.5 s, more than running them: off, as measured in bench/RESULTS.md.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = env.str(
    "PG_OPTIONS", default="-c jit=off"
)

# GDAL < 3.9 (Debian 12 ships 3.6) cannot block file/network access from spatial reference
# strings. Remix never hands user-supplied CRS text to Django's GDAL: uploads are read by
# pyogrio's own GDAL and CRSs are parsed by pyproj from an allow-list of EPSG codes.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italiano")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
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
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"

LOGIN_URL = "contributi:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Where the real open data of the CMM is read from, in place (see README, "Dati").
REMIX_DATA_DIR = env.path("REMIX_DATA_DIR", default=BASE_DIR.parent / "shared" / "data")

# Catchment radius of a LUM (Luogo urbano per la mobilità), metres: 800 m ≈ 10 minutes on foot.
REMIX_LUM_RADIUS_M = env.int("REMIX_LUM_RADIUS_M", default=800)

# Basemap shown under our layers; any XYZ template. Empty string: no basemap at all.
REMIX_BASEMAP_URL = env.str(
    "REMIX_BASEMAP_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
REMIX_BASEMAP_ATTRIBUTION = env.str(
    "REMIX_BASEMAP_ATTRIBUTION",
    default="© <a href='https://www.openstreetmap.org/copyright'>OpenStreetMap</a>",
)

REST_FRAMEWORK = {
    # The schema documents each view's parameters and errors (layers.schema); every view
    # refuses unknown query parameters and bad values with a 400 (layers.rest).
    "DEFAULT_SCHEMA_CLASS": "layers.schema.AutoSchema",
    # JSON (GeoJSON) only: people read the API at /api/docs/, not in DRF's browsable pages.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["layers.rest.ContractFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "layers.rest.GeoJsonLimitOffsetPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "remix.errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Remix API",
    "DESCRIPTION": (
        "Sistema delle conoscenze territoriali per la rigenerazione urbana della "
        "Città metropolitana di Milano."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API docs load Redoc/Swagger UI from our static files (drf-spectacular-sidecar).
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (45.46, 9.19),
    "DEFAULT_ZOOM": 10,
    "MIN_ZOOM": 8,
    "MAX_ZOOM": 19,
    "TILES": [("OpenStreetMap", REMIX_BASEMAP_URL, {"attribution": REMIX_BASEMAP_ATTRIBUTION})]
    if REMIX_BASEMAP_URL
    else [],
    "SPATIAL_EXTENT": (8.69, 45.15, 9.56, 45.65),
    "RESET_VIEW": False,
}

# Django's cache framework, nothing of our own. Without REDIS_URL: this process's memory for
# small things (counts of OGC items, availability) and files under var/cache/tiles for heavy
# vector tiles, which every worker shares. With REDIS_URL (several machines): both in Redis.
# Keys carry the layer's data version, so a data change makes new keys and old ones expire.
REDIS_URL = env.str("REDIS_URL", default="")
TILE_CACHE_TIMEOUT = env.int("TILE_CACHE_TIMEOUT", default=7 * 24 * 3600)
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": alias,
            "TIMEOUT": TILE_CACHE_TIMEOUT if alias == "tiles" else 300,
        }
        for alias in ("default", "tiles")
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "tiles": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.path("TILE_CACHE_DIR", default=BASE_DIR / "var" / "cache" / "tiles"),
            "TIMEOUT": TILE_CACHE_TIMEOUT,
            "OPTIONS": {"MAX_ENTRIES": env.int("TILE_CACHE_MAX_ENTRIES", default=10_000)},
        },
    }

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads of municipalities' files: the limit, and a handler that stores nothing above it.
REMIX_UPLOAD_MAX_BYTES = env.int("REMIX_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "contributi.uploadhandlers.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Production hardening: on by default, off only in development.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
# Preloading puts the domain (and every subdomain) in the browsers' built-in HTTPS-only lists,
# which takes months to undo: the domain's owner opts in, it is never a default.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS += ["security.W021"]  # "preload not set": deliberately opt-in
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health probes come over plain HTTP from inside (docker-compose, a load balancer).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# The job queue (procrastinate): tasks live in each app's ``tasks.py``; the worker runs with
# `manage.py procrastinate worker` (started by `make run` and by docker-compose's worker).
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = "tasks"
# A worker that sends no heartbeat for this long is dead: its running jobs are retried.
PROCRASTINATE_STALLED_SECONDS = env.int("PROCRASTINATE_STALLED_SECONDS", default=60)

# E-mail of the review workflow (Django's mail framework). EMAIL_URL, e.g.
# smtp+tls://user:password@smtp.example.org:587; in development the console backend.
vars().update(
    env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Remix <remix@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # LOG_FORMAT=json (default in production): one JSON object per line, UTC timestamps
    # (remix.requestlog); text: the plain lines of development.
    "formatters": {
        "json": {"()": "remix.requestlog.UtcJsonFormatter"},
        "text": {"()": "remix.requestlog.UtcTextFormatter"},
    },
    "filters": {"request": {"()": "remix.requestlog.RequestContextFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("LOG_FORMAT", default="text" if DEBUG else "json"),
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # The queue logs every task registration at INFO: only its warnings, unless asked.
    "loggers": {"procrastinate": {"level": env.str("QUEUE_LOG_LEVEL", default="WARNING")}},
}
