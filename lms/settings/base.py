"""Settings shared by every environment. dev, test and production import from here."""

import os
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "lms",
    "certificates",
    "certificates.rendering",
    "assessments",
    "courses",
    "people.apps.PeopleConfig",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "people.apps.UsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "people.middleware.PasswordRequiredMiddleware",
    "lms.middleware.PrivacyHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"

# Background work (roster imports, certificate PDFs, Wagtail's reference and search indexing)
# is queued in the database and run by `manage.py db_worker`, which `make run` starts too.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "certificates"],
    }
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
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

WSGI_APPLICATION = "lms.wsgi.application"


def database_from_environment(*, sqlite_path: Path) -> dict:
    """PostgreSQL (or any database) from DATABASE_URL; otherwise SQLite in WAL mode.

    WAL lets readers go on while one connection writes; IMMEDIATE transactions take the write
    lock up front, so concurrent writers wait up to `timeout` seconds in a queue instead of
    failing with "database is locked" when a read transaction tries to upgrade.
    """
    url = os.environ.get("DATABASE_URL")
    if url:
        return dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": sqlite_path,
        "CONN_MAX_AGE": 600,
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
            ),
        },
    }


DATABASES = {
    "default": database_from_environment(sqlite_path=Path(os.environ.get("BALAI_SQLITE_PATH", BASE_DIR / "db.sqlite3")))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "default" is shared by every worker process (sessions, the curriculum version);
# "fragments" holds rendered lesson bodies in each process, keyed by revision.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("BALAI_CACHE_DIR", str(BASE_DIR / ".cache" / "shared")),
        "TIMEOUT": 60 * 60 * 24 * 14,
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "balai-fragments",
        "TIMEOUT": 60 * 60 * 24,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# Sessions are read from the shared cache and written through to the database, so an
# ordinary page view costs no session query and a logout still ends the session everywhere.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = ["people.backends.UsernameOrPhoneBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Argon2id at OWASP's first recommended setting (m = 19 MiB, t = 2, p = 1): about a tenth of
# PBKDF2's cost per check here. PBKDF2 stays second, so its hashes upgrade at the next login.
PASSWORD_HASHERS = [
    "people.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email", "phone")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login attempts allowed in a window before a pause (people/throttle.py): per account from one
# address, per account from anywhere, and per address (high: a training room shares one).
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_ACCOUNT_LIMIT = 20
LOGIN_FAILURE_ADDRESS_LIMIT = 100
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
# Self check-in: open from this many minutes before a session starts until it ends; late after
# this many minutes; wrong codes per companion within the login window above before a pause.
CHECKIN_OPENS_MINUTES_BEFORE = 30
CHECKIN_LATE_AFTER_MINUTES = 15
CHECKIN_FAILURE_LIMIT = 5
# Behind a reverse proxy every request comes from the proxy: name the header it sets with the
# client's address (e.g. HTTP_X_FORWARDED_FOR; its last entry is the one the proxy added).
CLIENT_ADDRESS_HEADER = os.environ.get("CLIENT_ADDRESS_HEADER", "")
# How long a login link or login code (people.AccessGrant) works before it must be issued again.
ACCESS_GRANT_DAYS = int(os.environ.get("BALAI_ACCESS_GRANT_DAYS", "7"))

LANGUAGE_CODE = "id"
LANGUAGES = [
    ("id", "Bahasa Indonesia"),
    ("en", "English"),
]
# The project's catalogue first, so its words win over the supplement to Wagtail's.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_wagtail"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("BALAI_STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Balai"
WAGTAILADMIN_USER_LOGIN_FORM = "people.forms.AdminLoginForm"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Wagtail ships its Indonesian catalogue as id_ID, which the plain "id" locale does not reach.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("id-id", "Bahasa Indonesia"), ("en", "English")]
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # through the permission hook, never a redirect to the file
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False

BALAI_DEMO_PASSWORD = "desmigratif"  # noqa: S105 - the published password of the fictional demo accounts

# Certificates (certificates/): rendered PDFs live outside MEDIA_ROOT and are served only by
# views that check who asks. The signing key is a PKCS#12 file; none means unsigned PDFs.
CERTIFICATE_ROOT = Path(os.environ.get("BALAI_CERTIFICATE_ROOT", BASE_DIR / "private" / "certificates"))
CERTIFICATE_NUMBER_FORMAT = "{seq:03d}/BIMTEK-DESMIG/{month_roman}/{year}"
CERTIFICATE_SIGNING_KEY = os.environ.get("BALAI_CERTIFICATE_SIGNING_KEY", "")
CERTIFICATE_SIGNING_PASSPHRASE = os.environ.get("BALAI_CERTIFICATE_SIGNING_PASSPHRASE", "")
CERTIFICATE_RENDER_ATTEMPTS = 3
CERTIFICATE_DEMO_KEY = False  # dev: `load_demo_data` makes a self-signed key at CERTIFICATE_SIGNING_KEY
# Public lookups per address in a window: scans of a QR code, and checks by number and name.
CERTIFICATE_VERIFY_LIMIT = 120
CERTIFICATE_CHECK_LIMIT = 20
CERTIFICATE_LOOKUP_WINDOW_SECONDS = 15 * 60
