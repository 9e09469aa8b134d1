"""PhốiHợp settings, read from the environment (see .env.example)."""

from __future__ import annotations

import secrets
from pathlib import Path

import environ
import xstatic.pkg.leaflet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.development import DEVELOPMENT_MODES, development_apps

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("PHOIHOP_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# "production" (default), "demo" or "test": demo and test may run without a SECRET_KEY.
MODE = env.str("PHOIHOP_MODE", default="production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or MODE in DEVELOPMENT_MODES):
        raise ImproperlyConfigured(
            "SECRET_KEY is required outside demo, test and DEBUG mode (see .env.example)."
        )
    # A key of this installation's own, kept under var/, never a key written in the code.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # The Django admin, opened to the administrator role (phoihop/core/adminsite.py).
    "phoihop.core.adminsite.PhoihopAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "bootstrap",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "phoihop.core",
    "phoihop.org",
    "phoihop.access",
    "phoihop.audit",
    "phoihop.exchange",
    "phoihop.cases",
    "phoihop.operations",
    "phoihop.mobilisation",
    "phoihop.indicators",
    "phoihop.reports",
    "phoihop.dashboards",
    "phoihop.notifications",
    # The demo province and synthetic volumes (phoihop_dev): demo and test modes only.
    *development_apps(MODE),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "phoihop.core.middleware.RequestContextMiddleware",
    "phoihop.org.middleware.SecondFactorRequiredMiddleware",
    # AxesMiddleware last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "phoihop" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "phoihop.core.context_processors.installation",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'phoihop.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN so that
    # read-then-write transactions (the audit chain) never interleave.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth and login security ----------------------------------------------------------------
AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Inactivity expiry: the session is renewed on every request and ends after this many idle seconds.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
OTP_TOTP_ISSUER = "PhốiHợp"

# --- installation policy --------------------------------------------------------------------
# The highest classification this installation is accredited for: "thuong" (default), "mat" or
# "toi_mat". State secrets may only sit on an isolated, accredited network.
PHOIHOP_MAX_CLASSIFICATION = env.str("PHOIHOP_MAX_CLASSIFICATION", default="thuong")
# Reporting-period windows: `decree09` (Nghị định 09/2019: the 15th of the month before the
# period to the 14th of its last month) or `calendar` (natural months, quarters, years).
PHOIHOP_PERIOD_RULE = env.str("PHOIHOP_PERIOD_RULE", default="decree09")
# Reminders of periodic submissions: days relative to the deadline (negative: before it), and how
# far back a missed deadline is still worth a reminder.
# The coordination report's header (issuing agency, one line per row) and its recipients
# (Nơi nhận) for every province that has not set its own on the report settings page; left
# empty, they follow each province's forces and kind (reports/header.py). The signature blocks
# default to a commander of each of the province's forces' provincial command.
PHOIHOP_REPORT_ISSUER = env.str("PHOIHOP_REPORT_ISSUER", default="").replace("\\n", "\n")
PHOIHOP_REPORT_RECIPIENTS = env.list("PHOIHOP_REPORT_RECIPIENTS", default=[])
PHOIHOP_SUBMISSION_REMINDER_DAYS = env.list(
    "PHOIHOP_SUBMISSION_REMINDER_DAYS", cast=int, default=[-3, 1, 7]
)
# The dashboard opens on the current quarter; a demo pins the period its records are in.
PHOIHOP_DASHBOARD_PERIOD = env.str("PHOIHOP_DASHBOARD_PERIOD", default="")
# Hotspots: a commune's figure ≥ `minimum` and ≥ `factor` × its mean over `baseline_periods`.
PHOIHOP_HOTSPOT = {
    "baseline_periods": env.int("PHOIHOP_HOTSPOT_BASELINE_PERIODS", default=4),
    "factor": env.str("PHOIHOP_HOTSPOT_FACTOR", default="2"),
    "minimum": env.int("PHOIHOP_HOTSPOT_MINIMUM", default=3),
}
PHOIHOP_SUBMISSION_REMINDER_LOOKBACK_DAYS = env.int(
    "PHOIHOP_SUBMISSION_REMINDER_LOOKBACK_DAYS", default=30
)
# Information exchange: acknowledgement and verification due times, hours by urgency
# (0 Thường, 1 Khẩn, 2 Thượng khẩn, 3 Hỏa tốc). Override with e.g. PHOIHOP_ACK_DUE_HOURS=72,24,8,2.
PHOIHOP_ACK_DUE_HOURS = dict(
    enumerate(env.list("PHOIHOP_ACK_DUE_HOURS", cast=int, default=[72, 24, 8, 2]))
)
PHOIHOP_VERIFY_DUE_HOURS = dict(
    enumerate(env.list("PHOIHOP_VERIFY_DUE_HOURS", cast=int, default=[168, 72, 24, 8]))
)
# Escalation of overdue acknowledgements and verifications to the commanders: once at each of
# these many hours past the due time (0 = as soon as it is overdue). `manage.py escalate_overdue`.
PHOIHOP_ESCALATION_STEPS_HOURS = env.list(
    "PHOIHOP_ESCALATION_STEPS_HOURS", cast=int, default=[0, 24]
)
# Items overdue for longer than this are history, not news: they are no longer escalated.
PHOIHOP_ESCALATION_LOOKBACK_DAYS = env.int("PHOIHOP_ESCALATION_LOOKBACK_DAYS", default=30)
# Attachments of exchanged information: the largest file and the accepted types.
PHOIHOP_ATTACHMENT_MAX_BYTES = env.int("PHOIHOP_ATTACHMENT_MAX_MB", default=20) * 1024 * 1024
PHOIHOP_ATTACHMENT_TYPES = env.list(
    "PHOIHOP_ATTACHMENT_TYPES",
    default=["pdf", "docx", "xlsx", "doc", "xls", "jpg", "jpeg", "png", "txt"],
)
# Addresses of the reverse proxies whose X-Forwarded-For header the audit log may believe.
PHOIHOP_TRUSTED_PROXIES = env.list("PHOIHOP_TRUSTED_PROXIES", default=[])
PHOIHOP_INSTALLATION_NAME = env.str("PHOIHOP_INSTALLATION_NAME", default="PhốiHợp")

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# Vietnamese input formats: 01/07/2025 is the 1st of July, never 7 January.
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "phoihop" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise warns at start-up when the collected-static directory is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# phoihop/static belongs to the package, not to one app: the app-directories finder misses it.
# Leaflet comes from the xstatic-leaflet wheel and is served as leaflet/leaflet.js (no CDN).
STATICFILES_DIRS = [
    BASE_DIR / "phoihop" / "static",
    ("leaflet", xstatic.pkg.leaflet.BASE_DIR),
]
MEDIA_ROOT = Path(env.str("PHOIHOP_MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and MODE == "production"
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = MODE != "production" or DEBUG

# --- e-mail ---------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="phoihop@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so that an anonymous call answers 401 with `WWW-Authenticate: Token`.
    # Tokens expire (PHOIHOP_API_TOKEN_HOURS) and need the second factor for Mật and above.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "phoihop.org.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: every endpoint must name what it allows.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "phoihop.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "phoihop.core.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "phoihop.core.api.exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
PHOIHOP_API_TOKEN_HOURS = env.int("API_TOKEN_HOURS", default=12)
SPECTACULAR_SETTINGS = {
    "TITLE": "PhốiHợp API",
    "DESCRIPTION": "API of the joint coordination and reporting system of the three forces.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No online validator badge: Swagger UI would fetch it from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets sharing a field name get distinct names (the schema warns otherwise).
    "ENUM_NAME_OVERRIDES": {
        "ReceiptStatusEnum": "phoihop.exchange.serializers.ReceiptStatus",
        "VerificationStatusEnum": "phoihop.exchange.enums.VerificationStatus",
        "CaseStatusEnum": "phoihop.cases.enums.CaseStatus",
        "ParticipationRoleEnum": "phoihop.cases.enums.ParticipationRole",
        "ProgrammeKindEnum": "phoihop.mobilisation.enums.ProgrammeKind",
        "OpinionTopicEnum": "phoihop.mobilisation.enums.OpinionTopic",
        "TopicEnum": "phoihop.exchange.enums.Topic",
        "WantedStatusEnum": "phoihop.cases.enums.WantedStatus",
        "SubjectRoleEnum": "phoihop.cases.enums.SubjectRole",
        "SubjectResultEnum": "phoihop.cases.enums.SubjectResult",
        "IndicatorKindEnum": "phoihop.indicators.enums.IndicatorKind",
        "SubmissionStatusEnum": "phoihop.indicators.enums.SubmissionStatus",
        "QualifierEnum": "phoihop.core.qualifiers.Qualifier",
    },
}

# --- security (production sits behind an HTTPS proxy) ---------------------------------------
if not DEBUG and MODE == "production":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
