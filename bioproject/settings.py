"""Settings for bioproject, all driven by environment variables (see .env.example).

The defaults are the safe ones for production: DEBUG off, secure cookies, HSTS and the HTTPS
redirect. The embedded database is SQLite; production sets DATABASE_URL to PostgreSQL.

What the site writes (the local secret key, the embedded database, collected static files) goes
to DATA_DIR, never into the installed package.
"""

import datetime
import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent  # the checkout, or site-packages when installed


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def default_data_dir():
    """The checkout (where manage.py is) when run from one; a per-user folder when installed."""
    if (BASE_DIR / "manage.py").is_file():
        return BASE_DIR
    user_data = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(user_data) / "bioproject"


def data_dir():
    path = Path(os.environ.get("DATA_DIR") or default_data_dir()).expanduser().resolve()
    if path == PACKAGE_DIR or PACKAGE_DIR in path.parents:
        raise ImproperlyConfigured(f"DATA_DIR must be outside the installed package, not {path}")
    return path


DATA_DIR = data_dir()


def local_secret_key():
    """A random key kept in DATA_DIR, so a fresh machine runs without set-up.

    Several app servers must share one key: production sets SECRET_KEY instead.
    """
    path = DATA_DIR / ".secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "simple_history",
    "nested_admin",
    "axes",
    "profiles",
    "sources",
]

MIDDLEWARE = [
    "bioproject.middleware.HealthCheckMiddleware",  # before host validation and the HTTPS redirect
    "bioproject.middleware.NulByteMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "bioproject.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bioproject.urls"
WSGI_APPLICATION = "bioproject.wsgi.application"

# The top-level templates/ folder of the checkout; an installed package carries it inside itself
# (see pyproject.toml).
TEMPLATES_DIR = PACKAGE_DIR / "templates"
if not TEMPLATES_DIR.is_dir():
    TEMPLATES_DIR = BASE_DIR / "templates"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [TEMPLATES_DIR],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # for the embedded database
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several readers and one writer at a time without "database is locked" under light load.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    # A down or hung Redis costs at most these timeouts, then the page is served uncached.
    CACHES = {
        "default": {
            "BACKEND": "bioproject.cache.FailSoftRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "bioproject"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// URL, not {CACHE_URL!r}")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while an account is locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: 5 failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# How many trusted proxies stand in front: the client is the address the outermost one appended
# to X-Forwarded-For. 0: the header is ignored (anyone could write it).
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
if PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"PROXY_COUNT must be 0 or more, not {PROXY_COUNT}")
AXES_CLIENT_IP_CALLABLE = "bioproject.proxies.client_ip_address"
# The addresses (or networks) the proxies connect from. X-Forwarded-For and X-Forwarded-Proto of a
# request from anywhere else are dropped first thing (bioproject.proxies.TrustedProxyMiddleware).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1"])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address or a network") from None
MIDDLEWARE.insert(0, "bioproject.proxies.TrustedProxyMiddleware")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security: production defaults; DEBUG relaxes only what plain-HTTP local work needs.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LOGIN_URL = "admin:login"

# No inline scripts or styles on public pages; JSON-LD is a data block, not a script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# A profile's admin form posts about 20 fields a claim and 14 a citation; longer profiles are
# listed and edited claim by claim (profiles.admin.PersonAdmin.is_large) so none goes over this.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Edit summaries are kept whole in the history (the form allows 250 characters, imports more).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# The admin's own "revert to this version" form would save outside the review workflow;
# reverts go through the review screen instead.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Public pages are cached per published revision; see profiles/views.py.
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "300"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The public site's address without a trailing slash (https://bios.example.org): cached profile
# pages are rendered without a request, and their canonical link, og:url and JSON-LD need it to be
# absolute. Empty: those addresses are paths on whatever host served the page.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

# Readers at the speed of a static file (profiles/serving.py, profiles/pages.py): a cached live
# page or JSON is answered right after the health probes, from the worker's memory, whose rendered
# bodies (identity and gzip) are bounded in bytes; a live stamp learnt from Redis is trusted
# LIVE_STAMP_SECONDS at most (push invalidation makes a publication reach every worker within 1 s).
MIDDLEWARE.insert(
    MIDDLEWARE.index("bioproject.middleware.HealthCheckMiddleware") + 1,
    "profiles.serving.PublishedPageMiddleware",
)
MIDDLEWARE.append("bioproject.middleware.DatabaseOutageMiddleware")
# The read API (profiles/api.py): every answer JSON and readable from any origin, errors and
# redirects included (django-cors-headers, before any middleware that answers by itself).
INSTALLED_APPS.append("corsheaders")
_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
MIDDLEWARE[_security:_security] = [
    "profiles.api.PublicCorsMiddleware",
    "profiles.api.JSONAnswersMiddleware",
]
CORS_URLS_REGEX = r"^/api(/|$)"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["If-None-Match", "If-Modified-Since", "Accept"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Location", "Link"]
CORS_PREFLIGHT_MAX_AGE = 86400
PAGE_MEMORY_BYTES = int(os.environ.get("PAGE_MEMORY_BYTES", str(48 * 1024 * 1024)))
LIVE_STAMP_SECONDS = int(os.environ.get("LIVE_STAMP_SECONDS", "30"))
# While PostgreSQL is down, a page that was live is served as it was for up to this long.
STALE_IF_ERROR_SECONDS = int(os.environ.get("STALE_IF_ERROR_SECONDS", str(24 * 3600)))
# Search: requests per client address (bioproject.proxies) per minute; 0 turns the limit off.
SEARCH_RATE_PER_MINUTE = int(os.environ.get("SEARCH_RATE_PER_MINUTE", "60"))

# E-mail notices of review steps (profiles/notices.py: submitted, sent back, published). On by
# default only with DEBUG (the demo), where mail is printed to the console instead of sent.
NOTIFY_BY_EMAIL = env_bool("NOTIFY_BY_EMAIL", DEBUG)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "bioproject <noreply@localhost>")
