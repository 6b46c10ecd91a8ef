"""One settings module driven by environment variables; malformed values stop start-up (perfeval/env.py)."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from perfeval.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_required,
    env_str,
    env_url,
    parse_cache_url,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-" + "x" * 40
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_htmx",
    "perfeval.orgs",
    "perfeval.filing",
    "perfeval.editing",
    "perfeval.workflow",
    "perfeval.publishing",
    "perfeval.excel",
    "perfeval.portal",
    "perfeval.evidence",
    "perfeval.notices",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "perfeval.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
    "perfeval.workflow.middleware.AccessAuditMiddleware",
]

ROOT_URLCONF = "perfeval.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "perfeval.filing.access.context",
                "perfeval.notices.context.bell",
            ],
        },
    },
]
WSGI_APPLICATION = "perfeval.wsgi.application"

DATABASES = {"default": parse_database_url(env_str("DATABASE_URL", "sqlite:///db.sqlite3"), BASE_DIR)}
# Nothing the app keeps between requests lives in its process, so that any number of gunicorn workers on any
# number of machines serve one season: the cache (a report version's checks and rendered pages, the dashboard,
# the portal) is the database's unless CACHE_URL names Redis; sessions are in the database; files go through
# the storage API (STORAGES); background tasks are in the database (TASKS_BACKEND, django-tasks-db).
CACHES = {"default": parse_cache_url(env_str("CACHE_URL", "db://"))}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with the navigation bar's department, bureau and unread count in its one query.
    "perfeval.notices.auth.UserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Evidence files (佐证材料, perfeval/evidence): on the filesystem under MEDIA_ROOT by default; in S3-compatible
# object storage (django-storages) when PERFEVAL_S3_BUCKET is set, so that several app servers share the files.
# Never served by the web server: only the evidence views, after the access check, read them.
EVIDENCE_S3_BUCKET = env_str("PERFEVAL_S3_BUCKET", "")
if EVIDENCE_S3_BUCKET:
    EVIDENCE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": EVIDENCE_S3_BUCKET,
            "endpoint_url": env_url("PERFEVAL_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("PERFEVAL_S3_REGION", "") or None,
            "access_key": env_required("PERFEVAL_S3_ACCESS_KEY_ID", "PERFEVAL_S3_BUCKET"),
            "secret_key": env_required("PERFEVAL_S3_SECRET_ACCESS_KEY", "PERFEVAL_S3_BUCKET"),
            "location": env_str("PERFEVAL_S3_PREFIX", "evidence"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": env_choice(
                "PERFEVAL_S3_ADDRESSING_STYLE", "auto", ("auto", "path", "virtual")
            ),
        },
    }
else:
    EVIDENCE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # No base_url: the files have no public URL; only perfeval.evidence.views serves them.
        "OPTIONS": {"location": str(MEDIA_ROOT / "evidence"), "base_url": None},
    }
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)  # per file
EVIDENCE_MAX_PER_REPORT = env_int("EVIDENCE_MAX_PER_REPORT", 50)
EVIDENCE_MAX_PER_UPLOAD = env_int("EVIDENCE_MAX_PER_UPLOAD", 10)  # files in one request
EVIDENCE_MAX_NAME_LENGTH = 200
# Django refuses a request with more file fields than this before our count would; ours must be lower.
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("DATA_UPLOAD_MAX_NUMBER_FILES", 100)
if not 1 <= EVIDENCE_MAX_PER_UPLOAD <= min(EVIDENCE_MAX_PER_REPORT, DATA_UPLOAD_MAX_NUMBER_FILES):
    raise ImproperlyConfigured(
        "EVIDENCE_MAX_PER_UPLOAD must be at least 1 and at most EVIDENCE_MAX_PER_REPORT and "
        "DATA_UPLOAD_MAX_NUMBER_FILES"
    )
if EVIDENCE_MAX_BYTES < 1:
    raise ImproperlyConfigured("EVIDENCE_MAX_BYTES must be positive")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "evidence": EVIDENCE_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# In development WhiteNoise serves straight from the finders; production serves the collected STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Background jobs: immediate in development and tests, the database worker in production.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# PDF rendering (perfeval/publishing/pdf.py) and Excel uploads (perfeval/excel/safety.py).
# A document's limits grow with its parts (one per 附件3): base + per part (perfeval/filing/bounds.py, pdf_limits).
PDF_TIMEOUT_SECONDS = env_int("PDF_TIMEOUT_SECONDS", 60)
PDF_TIMEOUT_SECONDS_PER_PART = env_int("PDF_TIMEOUT_SECONDS_PER_PART", 2)
PDF_MAX_PAGES = env_int("PDF_MAX_PAGES", 100)
PDF_MAX_PAGES_PER_PART = env_int("PDF_MAX_PAGES_PER_PART", 5)
PDF_WORKERS = env_int("PDF_WORKERS", 0)  # render processes at a time per render; 0: one per CPU
PDF_PART_KEEP_DAYS = env_int("PDF_PART_KEEP_DAYS", 30)
EXCEL_IMPORT_MAX_BYTES = env_int("EXCEL_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
EXCEL_IMPORT_MAX_SECONDS = env_int("EXCEL_IMPORT_MAX_SECONDS", 5)
EXCEL_IMPORT_MAX_CELLS = env_int("EXCEL_IMPORT_MAX_CELLS", 60_000)

# E-mail (reminders, perfeval/notices): printed on the console unless EMAIL_HOST is set, then sent over SMTP.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are exclusive: set one of them to false")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "perfeval@localhost")
# The site's address as users reach it, for the links in e-mails (empty: the mails carry paths only).
SITE_URL = env_str("SITE_URL", "").rstrip("/")
# The hour (TIME_ZONE) at which the task worker runs the daily reminder job.
REMINDER_HOUR = env_int("REMINDER_HOUR", 8)
if not 0 <= REMINDER_HOUR <= 23:
    raise ImproperlyConfigured(f"REMINDER_HOUR={REMINDER_HOUR} is not an hour (0–23)")

# Login hardening (django-axes): lock an account+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # security.W021: joining the browsers' HSTS preload list binds the whole registered domain (often a
        # government domain we do not own) to HTTPS for good; that is the domain owner's decision, so it is
        # opt-in through SECURE_HSTS_PRELOAD=true and the check is silenced while it is off.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
