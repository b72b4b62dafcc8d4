"""One settings module for every environment: each value comes from the environment, with a safe
embedded default so that `make run` works on a machine with nothing but Python."""
from __future__ import annotations

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str) -> str:
    """A string from the environment; unset or empty means the default (as for every env_* here), so a
    copied `.env.example` line like `VAR_DIR=` never turns a default into an empty value."""
    return os.environ.get(name) or default


VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    """A boolean from the environment; a value that is not clearly true or false fails loudly."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """Comma-separated CIDRs (IPv4 or IPv6); a value that is not a network fails loudly."""
    import ipaddress

    networks = env_list(name, "")
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"{name} must list networks like 203.0.113.0/24, not {network!r}") from None
    return networks


def _local_secret_key() -> str:
    # Local development only (debug on) without DJANGO_SECRET_KEY: a random key is made once and kept
    # under var/ (never committed), so sessions and links survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# ---------------------------------------------------------------------------- core
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
# Debug on, or a manage.py command on a developer's machine (migrate, seed_demo, analyze…; manage.py sets
# DJANGO_CLI_LOCAL_SECRET_KEY for every command but runserver): the local key below is fine. A served
# process (gunicorn, Celery, runserver) with debug off is an instance the public reaches: it needs the key.
_local_key_allowed = DEBUG or os.environ.get("DJANGO_CLI_LOCAL_SECRET_KEY") == "1"
if not SECRET_KEY:
    if not _local_key_allowed:
        # Made-up keys differ between instances: a withdrawal link signed by one would fail on another.
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG off it is required, and must be the same long random "
            "value for every process (web, worker, beat), e.g. the output of "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'. "
            "For local development set DJANGO_DEBUG=1 (as `make run` does)."
        )
    SECRET_KEY = _local_secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",  # the moderation API's tokens (/admin/api-token/)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "axes",
    "reviews",
    "moderation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",  # before CommonMiddleware: preflights answered early
    "reviews.api.http_cache.PublicApiCacheMiddleware",  # stored API answers; after CORS, before the rest
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a locked-out login into the lock-out page
    "config.outage.DatabaseOutageMiddleware",  # last: a view's database error becomes a kind 503
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# ---------------------------------------------------------------------------- database
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
# Health checks: a persistent connection that died with the database (a restart, an outage) is replaced
# at the start of the next request instead of failing it with a 500.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
                                              conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails the request (a 503 page) after this many seconds, not never.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("DB_CONNECT_TIMEOUT", 3)
    # The public feed's few hot queries (reviews.public_sql) are planned once per connection: planning
    # them cost PostgreSQL more than running them. Off (0) behind a transaction-pooling PgBouncer.
    # Only those queries use server-side binding; everything else keeps Django's client-side cursors.
    if env_bool("DB_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 1
        # …and planned once for good: left to choose, PostgreSQL re-planned the page on every execution
        # (its generic plan's estimate looked dearer than the custom plans), which cost it twice what
        # running the page did. The ORM's queries are not prepared, so they are not affected (the
        # counters' trigger functions, which cache plans too, run keyed upserts: one plan fits all);
        # the values a feed plan depends on (ids, rating, page size) are written into its query.
        DATABASES["default"]["OPTIONS"]["options"] = " ".join(
            filter(None, [DATABASES["default"]["OPTIONS"].get("options"), "-c plan_cache_mode=force_generic_plan"]))
    else:
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite is shared by the web process and the worker: WAL lets readers run beside the writer,
    # IMMEDIATE transactions take the write lock up front (no upgrade deadlocks), and a busy
    # writer is waited for rather than failed at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests run a real worker thread beside the test: a file database, not shared-cache memory.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------- cache
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",  # Django's, reusing its Redis clients
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "testimonials",
            # A cache outage must not hang a patient's request: short socket timeouts, and a breaker
            # (config/cache.py) that skips Redis for CACHE_BREAKER_SECONDS after a failure.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CACHE_BREAKER_SECONDS = env_float("CACHE_BREAKER_SECONDS", 5)

# ---------------------------------------------------------------------------- auth
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Admin logins are throttled by django-axes: its backend refuses a locked-out username + address before
# the password is checked; `manage.py axes_reset` (or axes_reset_username NAME) lifts a lock at once.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 30)
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured("AXES_FAILURE_LIMIT and AXES_COOLOFF_MINUTES must be at least 1")
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
# One account from one address: a colleague's typos elsewhere, or an attacker guessing at a known
# username from another network, do not lock anyone else out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # a successful login clears the failures that came before it
AXES_VERBOSE = False  # no start-up banner in every command; log lines carry only the lock-out parameters
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# The same address the form's rate limits see (TRUSTED_PROXY_COUNT entries of X-Forwarded-For).
AXES_CLIENT_IP_CALLABLE = "reviews.ratelimit.client_ip"

# ---------------------------------------------------------------------------- i18n
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------- static files
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("STATIC_MANIFEST", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# ---------------------------------------------------------------------------- security
# DJANGO_HTTPS=1 in production (behind TLS): secure cookies, HSTS, redirect to https.
_https = env_bool("DJANGO_HTTPS", False)
SECURE_SSL_REDIRECT = _https
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if _https else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
# Behind a reverse proxy: trust its X-Forwarded-Proto.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# How many proxies (a CDN, a load balancer…) each append one X-Forwarded-For entry in front of the app:
# the patient's address is that many entries from the right (anything further left is the client's own
# claim). 0 reads REMOTE_ADDR; the default is 1 behind a proxy, so rate limits see patients, not the proxy.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, not {TRUSTED_PROXY_COUNT}")
# The container healthcheck and load balancers probe /healthz over plain HTTP inside the network: no redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The patient form and admin load only their own scripts and styles (no CDN): a strict policy holds.
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'",
)

# ---------------------------------------------------------------------------- email
# SMTP in production; the console (whole messages on standard output) only with debug on (`make run`).
# A console setting with debug off sends nothing and prints none of the message (config/mail.py).
_CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
EMAIL_BACKEND = env_str("EMAIL_BACKEND", _CONSOLE_EMAIL if DEBUG else "django.core.mail.backends.smtp.EmailBackend")
if EMAIL_BACKEND == _CONSOLE_EMAIL and not DEBUG:
    EMAIL_BACKEND = "config.mail.WithheldConsoleBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "testimonials@localhost")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# ---------------------------------------------------------------------------- celery
# Redis when REDIS_URL is set; otherwise kombu's filesystem transport under var/, so a machine
# with nothing but Python still runs a real worker.
CELERY_QUEUE_DIR = VAR_DIR / "broker"
# The request path never waits long on the broker: one attempt per submission, each socket operation
# bounded (seconds; floats). A refused or hung Redis costs a patient at most connect + one read.
BROKER_CONNECT_TIMEOUT = env_float("BROKER_CONNECT_TIMEOUT", 0.5)
BROKER_SOCKET_TIMEOUT = env_float("BROKER_SOCKET_TIMEOUT", 0.5)
# After a failed enqueue, further enqueues in this process are skipped for this many seconds (the
# sweep sends what was skipped), so an outage costs one timeout per process, not one per request.
BROKER_BREAKER_SECONDS = env_float("BROKER_BREAKER_SECONDS", 5)
# The longest a message may stay delivered but unacknowledged before Redis hands it out again (a worker
# that vanished with it): the hard time limit of the longest task plus the longest retry countdown
# (RETRY_COUNTDOWN_MAX), with margin. Longer waits (webhook backoff) are kept in the database instead.
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
RETRY_COUNTDOWN_MAX = 60
BROKER_VISIBILITY_TIMEOUT = CELERY_TASK_TIME_LIMIT + RETRY_COUNTDOWN_MAX + 120
REDIS_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 2,
    # A worker's or beat's command on a hung Redis fails instead of waiting forever (kombu checks its
    # long BRPOP separately, so this does not cut the worker's polling).
    "socket_timeout": 10,
}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = dict(REDIS_BROKER_TRANSPORT_OPTIONS)
else:
    CELERY_BROKER_URL = "filesystem://localhost//"  # the host is unused; naming it silences kombu
    for _sub in ("queue", "processed", "control"):
        (CELERY_QUEUE_DIR / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message is acknowledged after its task ran, and given back when the process running it dies
# (SIGKILL, out of memory): another worker runs it at once.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 300_000)  # KiB
# Two queues: "analysis" (CPU-bound) and "io" (emails, webhooks, CDN purges, beat's sweeps), so a burst
# of analyses never delays a confirmation email. A worker started without -Q consumes both.
# Written as Celery's mapping form (name → options; the same kombu Queues as Queue(name, routing_key=name)),
# so settings import neither kombu nor Celery: commands that never enqueue start without them.
CELERY_TASK_QUEUES = {"analysis": {"routing_key": "analysis"}, "io": {"routing_key": "io"}}
CELERY_TASK_DEFAULT_QUEUE = "io"
CELERY_TASK_DEFAULT_ROUTING_KEY = "io"
CELERY_TASK_ROUTES = {"moderation.tasks.analyze_testimonial_task": {"queue": "analysis", "routing_key": "analysis"}}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # The queue is only a nudge: anything still pending (broker was down, message lost) is re-sent.
    # Every 15 s, so rows saved while the broker was away are analysed within a minute of its return.
    "sweep-pending-testimonials": {
        "task": "moderation.tasks.sweep_pending_testimonials_task",
        "schedule": float(env_int("SWEEP_INTERVAL_SECONDS", 15)),
    },
    # An expired authorization unpublishes its testimonial (event, cache bump, webhook) within the hour.
    "expire-authorizations": {
        "task": "moderation.tasks.expire_authorizations_task",
        "schedule": 3600.0,
    },
    # Patients are asked to renew CONSENT_RENEWAL_NOTICE_DAYS before expiry (each authorization once).
    "remind-expiring-authorizations": {
        "task": "moderation.tasks.remind_expiring_authorizations_task",
        "schedule": 6 * 3600.0,
    },
    # One reminder per invitation after INVITATION_REMINDER_DAYS; invitations left pending are sent.
    "remind-invited-patients": {
        "task": "moderation.tasks.send_invitation_reminders_task",
        "schedule": 3600.0,
    },
    # Withdrawn testimonials and spam lose their personal data after RETENTION_*_DAYS (moderation/retention.py).
    "purge-expired-personal-data": {
        "task": "moderation.tasks.purge_expired_personal_data_task",
        "schedule": 3600.0,
    },
}

# Crontab schedules (the moderators' digest) read hours in the practice's time zone.
CELERY_TIMEZONE = TIME_ZONE

# ---------------------------------------------------------------------------- API
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["config.renderers.FastJSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "config.negotiation.OneRendererNegotiation",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Testimonials API",
    "DESCRIPTION": "Approved patient testimonials for the practice's website. Read-only.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served by the app itself (no CDN), so the docs work offline and under the CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "reviews.api.schema.describe_public_api"],
    # The marketing-site webhook: `webhooks` is an OpenAPI 3.1 field.
    "OAS_VERSION": "3.1.0",
    "WEBHOOKS": ["moderation.webhook_schema.testimonial_changed"],
    # The moderation API's status fields and filter share one named enum.
    "ENUM_NAME_OVERRIDES": {"TestimonialStatusEnum": "reviews.models.Testimonial.Status"},
}

# ---------------------------------------------------------------------------- CORS
# The marketing site's pages call the public API, the Atom feed and /embed.js from their own origin.
# Only the origins listed get an Access-Control-Allow-Origin; nothing for any other, and never for the
# staff's moderation API. No credentials: the public API has no cookies to send.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", "")
CORS_URLS_REGEX = r"^/(api/v1/(?!moderation/)|feeds/|embed\.js$)"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
# A page may revalidate what it fetched (conditional GET) itself.
CORS_ALLOW_HEADERS = ("accept", "accept-language", "content-type", "if-none-match", "if-modified-since")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified")

# ---------------------------------------------------------------------------- the product
# A post faster than this after the form was shown is treated as a bot (0 turns the check off).
TESTIMONIAL_MIN_FILL_SECONDS = env_int("TESTIMONIAL_MIN_FILL_SECONDS", 3)
# A form older than this is refused with a message asking to submit again.
TESTIMONIAL_MAX_FORM_AGE_SECONDS = env_int("TESTIMONIAL_MAX_FORM_AGE_SECONDS", 4 * 3600)
# Submissions per hour per network origin and per email address. Patients at a clinic's front desk
# share its address: the address limit is high enough for a busy clinic and only stops floods.
TESTIMONIAL_RATE_PER_IP = env_int("TESTIMONIAL_RATE_PER_IP", 60)
TESTIMONIAL_RATE_PER_EMAIL = env_int("TESTIMONIAL_RATE_PER_EMAIL", 3)
# The clinics' own networks (comma-separated CIDRs): exempt from the address limit, not the email one.
TESTIMONIAL_TRUSTED_NETWORKS = env_networks("TESTIMONIAL_TRUSTED_NETWORKS")
# The practice's website, linked from the thanks page ("Back to …"); empty: no link.
SITE_HOME_URL = os.environ.get("SITE_HOME_URL", "")
if SITE_HOME_URL and not SITE_HOME_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"SITE_HOME_URL must start with https:// or http://, not {SITE_HOME_URL!r}")
# Minutes after which a message that was sent but never ran (lost with a Redis that kept no data) is sent
# again by the sweep; longer than the visibility timeout, so a message still in Redis is never doubled.
TESTIMONIAL_PENDING_SWEEP_MINUTES = env_int("TESTIMONIAL_PENDING_SWEEP_MINUTES", 10)
# Runs of one task for one testimonial (analysis, confirmation email) before it is marked failed in the
# admin and no longer sent (a text that crashes the analysis, an address the mail server refuses).
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 5)
# Seconds a public list page is cached; only with a shared cache (Redis), 0 turns it off.
FEED_CACHE_SECONDS = env_int("FEED_CACHE_SECONDS", 300 if REDIS_URL else 0)
# Signed notifications to the marketing site on publication changes (empty URL: off).
MARKETING_WEBHOOK_URL = os.environ.get("MARKETING_WEBHOOK_URL", "")
MARKETING_WEBHOOK_SECRET = os.environ.get("MARKETING_WEBHOOK_SECRET", "")
if MARKETING_WEBHOOK_URL and not MARKETING_WEBHOOK_SECRET:
    raise ImproperlyConfigured("MARKETING_WEBHOOK_URL needs MARKETING_WEBHOOK_SECRET to sign its requests")
# Standard Webhooks: the secret is `whsec_` + base64 of 24–64 random bytes (README: how to make one).
if MARKETING_WEBHOOK_SECRET and not re.fullmatch(r"whsec_[A-Za-z0-9+/]{32,88}={0,2}", MARKETING_WEBHOOK_SECRET):
    raise ImproperlyConfigured("MARKETING_WEBHOOK_SECRET must be whsec_<base64 of 24-64 random bytes>")
# A failed delivery is retried after 30 s, 60 s, 120 s… (doubling, at most half an hour apart) until this
# many attempts were made; then it is logged as failed.
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
if WEBHOOK_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured("WEBHOOK_MAX_ATTEMPTS must be at least 1")
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
# bench/feed.py only: serve its constant-JSON ceiling view at /api/v1/bench-ceiling/<bytes>/.
BENCH_CEILING = env_bool("BENCH_CEILING", False)
# A CDN in front of the site: its purge endpoint, POSTed by the worker on every publication change
# (empty: no CDN), and a bearer token for it.
CDN_PURGE_URL = os.environ.get("CDN_PURGE_URL", "")
CDN_PURGE_TOKEN = os.environ.get("CDN_PURGE_TOKEN", "")
# Seconds the moderation dashboard's figures are kept per clinic scope (0: computed on every view).
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 60)
# Years the patient's authorization stays valid (printed in the consent text).
CONSENT_VALID_YEARS = env_int("CONSENT_VALID_YEARS", 3)
# Days before expiry that the patient is emailed a link to renew the authorization.
CONSENT_RENEWAL_NOTICE_DAYS = env_int("CONSENT_RENEWAL_NOTICE_DAYS", 60)
# Retention (moderation/retention.py): days after a withdrawal, and after a spam rejection or honeypot catch,
# that the testimonial's personal data is removed (0: at the next hourly run). Nothing else is purged by age.
RETENTION_WITHDRAWN_DAYS = env_int("RETENTION_WITHDRAWN_DAYS", 30)
RETENTION_SPAM_DAYS = env_int("RETENTION_SPAM_DAYS", 14)
for _name in ("RETENTION_WITHDRAWN_DAYS", "RETENTION_SPAM_DAYS"):
    if globals()[_name] < 0:
        raise ImproperlyConfigured(f"{_name} must be 0 or more days, not {globals()[_name]}")
# Where a patient revokes the authorization in writing (named in the authorization, the form and the emails).
PRIVACY_CONTACT = env_str(
    "PRIVACY_CONTACT",
    "Privacy Officer, Twin Boro Physical Therapy, privacy@" + DEFAULT_FROM_EMAIL.rpartition("@")[2],
)

# Invitations (issue 8): every discharged patient is asked once, neutrally, with at most one reminder.
INVITATION_REMINDER_DAYS = env_int("INVITATION_REMINDER_DAYS", 7)  # 0: no reminder
INVITATION_DUPLICATE_DAYS = env_int("INVITATION_DUPLICATE_DAYS", 180)  # the same address is not asked twice within
INVITATION_LINK_DAYS = env_int("INVITATION_LINK_DAYS", 60)  # the prefilled link's name and email expire after
INVITATION_MAX_ROWS = env_int("INVITATION_MAX_ROWS", 5000)  # rows per uploaded CSV
# The moderators' digest: hours of the day (TIME_ZONE) it is emailed, comma-separated; empty turns it off.
_digest_hours = env_list("MODERATION_DIGEST_HOURS", "8")
if not all(h.isdigit() and int(h) <= 23 for h in _digest_hours):
    raise ImproperlyConfigured("MODERATION_DIGEST_HOURS must list hours from 0 to 23, e.g. 8 or 8,14")
MODERATION_DIGEST_HOURS = sorted({int(h) for h in _digest_hours})
# Days a digest's links to the admin stay valid (login is still required to act).
MODERATION_DIGEST_LINK_DAYS = env_int("MODERATION_DIGEST_LINK_DAYS", 7)
# Its beat entry ("moderation-digest", a crontab at those hours) is added by config/celery.py, where Celery
# is loaded: importing celery.schedules here would load Celery into every manage.py command.

# ---------------------------------------------------------------------------- logging
# Every line goes through one handler whose filter removes email addresses, withdrawal/renewal tokens and
# IP addresses (config/log_redaction.py): a safety net, as the code logs ids only. Django's own handlers
# (runserver's request lines, the DEBUG console) are replaced by it, and the Celery worker keeps it too
# (config/celery.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "config.log_redaction.RedactPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
    },
}

# ---------------------------------------------------------------------------- error reporting
# Opt-in: with SENTRY_DSN set, unhandled errors of web, worker and beat go to Sentry (or a compatible
# service) without personal data (config/sentry.py); unset, the SDK is never even initialised.
SENTRY_DSN = env_str("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "production")
if SENTRY_DSN:
    from config.sentry import sentry_init

    sentry_init(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT)
