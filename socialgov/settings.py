"""SocialGov settings, read from the environment.

One file for every environment: the defaults run the embedded mode (SQLite,
a filesystem Celery broker, mail to the console) and production sets the
environment. Every variable is documented in ``.env.example`` and the
README. A production process (``DEBUG`` off) refuses to start without
``SECRET_KEY``.
"""

import datetime
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

# No default outside DEBUG: a production process without a key must not start.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-embedded-development-key-only") if DEBUG else env("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

ORGANISATION_NAME = env("ORGANISATION_NAME", default="Glenmorven Council")
SERVICE_NAME = "SocialGov"
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.usersessions",
    "django_celery_beat",
    "simple_history",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    # Swagger UI's files, served from here: no CDN, under the Content-Security-Policy.
    "drf_spectacular_sidecar",
    "socialgov.web",
    "socialgov.people",
    "socialgov.notifications",
    "policies",
    "training",
    "socialgov.rota",
    "socialgov.channels",
    "incidents",
    "socialgov.abuse",
    "socialgov.reports",
    "socialgov.privacy",
    "socialgov.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every URL needs a signed-in person unless its view says otherwise.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "socialgov.people.middleware.RoleMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "socialgov.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "socialgov" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "socialgov.web.context_processors.layout",
            ],
        },
    },
]

WSGI_APPLICATION = "socialgov.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded mode runs the web server, a worker and beat side by side:
    # wait for a lock rather than fail, and write-ahead log for concurrent reads.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "socialgov",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# GOV.UK Frontend comes from npm (make installs it); our compiled stylesheet
# lives in socialgov/web/static/.
STATICFILES_DIRS = [("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Sign-in (django-allauth) ------------------------------------------------
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "socialgov.people.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "socialgov.people.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SERVICE_NAME}] "
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Staff are provisioned by HR; self sign-up opens only for these domains.
SIGNUP_EMAIL_DOMAINS = [d.lower() for d in env.list("SIGNUP_EMAIL_DOMAINS", default=[])]
# Roles that may not be used until the person has set up an authenticator.
MFA_REQUIRED_FOR_ROLES = env.bool("MFA_REQUIRED_FOR_ROLES", default=True)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = f"{SERVICE_NAME} ({ORGANISATION_NAME})"
# Sessions are recorded at sign-in (so they can be ended); not updated on every request.
USERSESSIONS_TRACK_ACTIVITY = False

SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {}
OIDC_SERVER_URL = env("OIDC_SERVER_URL", default="")
if OIDC_SERVER_URL:
    # Microsoft Entra ID: https://login.microsoftonline.com/<tenant-id>/v2.0
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env("OIDC_PROVIDER_ID", default="entra"),
                "name": env("OIDC_PROVIDER_NAME", default="Microsoft Entra ID"),
                "client_id": env("OIDC_CLIENT_ID"),
                "secret": env("OIDC_CLIENT_SECRET"),
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ],
    }

# --- Email -------------------------------------------------------------------
# Without EMAIL_URL, mail is written to files in var/mail/ (one per message), so
# the web server and the worker both leave it where a developer can read it.
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    EMAIL_CONFIG = env.email_url("EMAIL_URL")
    vars().update(EMAIL_CONFIG)
    if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":  # noqa: F821 - set by the line above
        # Records each send just before the server accepts it (see notifications.backends).
        EMAIL_BACKEND = "socialgov.notifications.backends.CommitPointSMTPBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# GOV.UK Notify instead of SMTP: set the API key and the id of a template whose
# subject is ((subject)) and body is ((body)).
GOVUK_NOTIFY_API_KEY = env("GOVUK_NOTIFY_API_KEY", default="")
GOVUK_NOTIFY_TEMPLATE_ID = env("GOVUK_NOTIFY_TEMPLATE_ID", default="")
# Notify allows 3,000 a minute per service; stay below it across all processes.
GOVUK_NOTIFY_RATE_PER_MINUTE = env.int("GOVUK_NOTIFY_RATE_PER_MINUTE", default=2500)
if GOVUK_NOTIFY_API_KEY:
    EMAIL_BACKEND = "socialgov.notifications.notify.NotifyEmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default=f"{ORGANISATION_NAME} SocialGov <socialgov@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work (Celery) ------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    # Embedded mode: a real worker and beat over a filesystem queue, so the
    # platform runs complete with no broker server.
    _queue_dir = BASE_DIR / "var" / "celery"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_queue_dir / "processed"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="default")
# Pages and escalations have a queue of their own, so a large sweep never delays them.
CELERY_URGENT_QUEUE = env("CELERY_URGENT_QUEUE", default="urgent")
CELERY_TASK_ROUTES = {"notifications.deliver_message": {"queue": CELERY_URGENT_QUEUE}}
# A task is acknowledged after it ran, so a killed worker's task is redelivered;
# tasks are idempotent, which makes that safe.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DJANGO_CELERY_BEAT_TZ_AWARE = True

# --- Reminders and working time ------------------------------------------------
# UK nation whose bank holidays apply: ENG, SCT, WLS or NIR.
BANK_HOLIDAY_NATION = env("BANK_HOLIDAY_NATION", default="SCT")
WORKING_DAY_START = datetime.time.fromisoformat(env("WORKING_DAY_START", default="09:00"))
WORKING_DAY_END = datetime.time.fromisoformat(env("WORKING_DAY_END", default="17:30"))
# When a person's daily digest goes, unless they choose another time.
NOTIFICATIONS_DIGEST_TIME = datetime.time.fromisoformat(env("NOTIFICATIONS_DIGEST_TIME", default="09:00"))
# Used for a kind until an administrator sets its policy in the admin site.
NOTIFICATIONS_DEFAULT_POLICY = {"offsets": "7, 1, 0", "overdue_every_days": 7, "escalate_after_days": 14}
# A message claimed by a worker that died is sent again after this many seconds.
NOTIFICATIONS_STALE_CLAIM_SECONDS = env.int("NOTIFICATIONS_STALE_CLAIM_SECONDS", default=300)
# At most this many messages per delivery run; the next run (every minute) carries on.
NOTIFICATIONS_DELIVER_MAX_MESSAGES = env.int("NOTIFICATIONS_DELIVER_MAX_MESSAGES", default=5000)
# Days after their start date that a new starter is reminded to set up their account.
NEW_STARTER_DAYS = env.int("NEW_STARTER_DAYS", default=60)

# --- Policies ----------------------------------------------------------------
# Categories (policy, guidance, house_style, playbook) whose drafts need a named approver
# other than the author; the rest a comms lead publishes directly.
POLICY_APPROVAL_CATEGORIES = env.list("POLICY_APPROVAL_CATEGORIES", default=["policy", "playbook"])

# --- Incidents -------------------------------------------------------------------
# Minutes between pages up the ladder (primary, secondary, head of communications), and how many times
# the ladder is climbed before paging stops. An incident keeps the values it was opened with.
INCIDENT_ESCALATION_MINUTES = env.int("INCIDENT_ESCALATION_MINUTES", default=10)
INCIDENT_ESCALATION_ROUNDS = env.int("INCIDENT_ESCALATION_ROUNDS", default=3)

# --- Training and the posting licence ------------------------------------------
# Onboarding courses are assigned to people who started within this many days.
TRAINING_ONBOARDING_DAYS = env.int("TRAINING_ONBOARDING_DAYS", default=90)
# A refresher is assigned this many days before a completion expires.
TRAINING_REFRESHER_NOTICE_DAYS = env.int("TRAINING_REFRESHER_NOTICE_DAYS", default=30)
# The licence needs this policy acknowledged, these courses completed and these quizzes passed.
LICENCE_POLICY_SLUG = env("LICENCE_POLICY_SLUG", default="social-media-policy")
LICENCE_COURSE_SLUGS = env.list("LICENCE_COURSE_SLUGS", default=["social-media-at-work"])
LICENCE_QUIZ_SLUGS = env.list("LICENCE_QUIZ_SLUGS", default=["twitiquette"])
LICENCE_VALID_MONTHS = env.int("LICENCE_VALID_MONTHS", default=12)
# Days a licence holder has to acknowledge a new major version of the policy.
LICENCE_POLICY_GRACE_DAYS = env.int("LICENCE_POLICY_GRACE_DAYS", default=30)

# --- Compliance reports ----------------------------------------------------------
# A completion or licence expiring within this many days shows as "expiring soon".
REPORTS_EXPIRING_SOON_DAYS = env.int("REPORTS_EXPIRING_SOON_DAYS", default=30)
# RAG status: green at or above the first percentage compliant, amber at or above the second, red below.
REPORTS_GREEN_PERCENT = env.int("REPORTS_GREEN_PERCENT", default=90)
REPORTS_AMBER_PERCENT = env.int("REPORTS_AMBER_PERCENT", default=75)
# A change touching more people than this is worked into the reports by the background worker.
REPORTS_INLINE_LIMIT = env.int("REPORTS_INLINE_LIMIT", default=200)

# --- Data protection -------------------------------------------------------------
# Days after a leaver's leaving date before their personal details are anonymised (nightly, at 02:15).
# Six years (2190 days): a claim about their employment or training can be brought for six years
# (Limitation Act 1980), so until then HR must be able to say who was trained and who acknowledged what.
LEAVER_RETENTION_DAYS = env.int("LEAVER_RETENTION_DAYS", default=2190)

# --- API -----------------------------------------------------------------------
# JSON only; signed-in sessions (the page's own scripts) or a token an
# administrator issues in the admin site (other systems).
API_RATE_PER_MINUTE = env.int("API_RATE_PER_MINUTE", default=120)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so a request without credentials is answered 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": f"{API_RATE_PER_MINUTE}/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SERVICE_NAME} API",
    "DESCRIPTION": (
        "Read people, departments, training and policy acknowledgements for HR and learning systems, and check "
        "draft posts against the platform limits, the policy and house style. Guide: docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI from our own static files: the site runs offline under a strict Content-Security-Policy.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False, "displayOperationId": False},
}

# --- Security ----------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
