"""Settings, all chosen by environment variables (12-factor).

Without any variable set the platform runs in its embedded default: SQLite and local files
under ``var/``, local-memory cache, background work run in-process after commit.
Production mode (``EGOV_PRODUCTION=1``) expects PostgreSQL, Redis, a Celery broker and
S3-compatible storage; see README.md.
"""

import base64
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from egov import public_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("EGOV_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("EGOV_PRODUCTION")
DEBUG = env_bool("EGOV_DEBUG")


def _secret_key() -> str:
    if key := env("SECRET_KEY"):
        return key
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set in production mode")
    # Embedded default: one random key per installation, kept beside the database.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

# The platform's own public address, the one door for every link to itself (payments, SMS,
# verification QR codes, e-mails): EGOV_PUBLIC_URL, by default the address `egov serve`/`egov demo`
# serves (EGOV_ADDR, set from their --addr). Decision 0021.
EGOV_ADDR = env("EGOV_ADDR", public_url.DEFAULT_ADDR)
EGOV_PUBLIC_URL = public_url.normalise(env("EGOV_PUBLIC_URL") or public_url.for_addr(EGOV_ADDR))
_PUBLIC_HOST = EGOV_PUBLIC_URL.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0].strip("[]")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ",".join(dict.fromkeys(("127.0.0.1", "localhost", "testserver",
                                                                  _PUBLIC_HOST))))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "import_export",
    "mozilla_django_oidc",
    "csp",
    "egov",
    "outbox",
    "audit",
    "directory",
    "accounts",
    "workdays",
    "legal",
    "procedures",
    "processes",
    "dossiers",
    "notifications",
    "payments",
    "simulators",
    "paysim",
    "api",
    "reports",
    "signing",
    "documents",
    "work",
    "records",
    "exchange",
    "support",
    "training",
    "itplanning",
    "architecture",
    "indices",
    "feedback",
    "recognition",
    "dashboards",
    "oauth2_provider",
    "national",
    "datastore",
    "nationalsync",
    "lgsp",
    "retention",
    "portal",
    "workspace",
]

MIDDLEWARE = [
    "egov.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "lgsp.middleware.GatewayLogMiddleware",  # logs the calls of client systems (lgsp.gateway)
    "api.middleware.ApiProblemMiddleware",  # errors under /api/ as problem+json, in the client's language
    "egov.middleware.NulCharacterMiddleware",  # a NUL in an address, a query or fields: refused
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",  # absolute time-out, the user's list of sessions
    "audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # Innermost, so that the security headers above are added to the page it renders.
    "portal.middleware.StyledMethodNotAllowedMiddleware",  # a bare 405 as the styled page, for browsers
]

ROOT_URLCONF = "egov.urls"
WSGI_APPLICATION = "egov.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "egov.context_processors.platform",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'egov.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        # A kept connection is checked before a request reuses it: after a database restart or
        # fail-over each thread opens a new one instead of failing its next request (the soak, ADR 0053).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the embedded server take concurrent requests.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if test_name := env("TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": test_name}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------
# Limits on guessing (sign-in codes, the public lookup) count in the cache, so production mode
# needs Redis shared by every worker (egov/checks.py). Without REDIS_URL each process counts on
# its own, which only the embedded default accepts.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background work ----------------------------------------------------------------------
# With a broker, tasks go to Celery workers; without one they run in-process, eagerly,
# after the transaction that scheduled them commits (egov.tasks.enqueue).
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")  # beat's state, never in the working directory
CELERY_BEAT_SCHEDULE = {
    "audit-seal": {"task": "audit.seal", "schedule": float(env("AUDIT_SEAL_SECONDS", "10"))},
    "deadline-sweep": {"task": "dossiers.sweep_deadlines", "schedule": 300.0},
    "payment-reconcile": {"task": "payments.reconcile", "schedule": 900.0},
    "notification-retry": {"task": "notifications.retry_failed", "schedule": 300.0},
    "certificate-expiry": {"task": "signing.warn_expiring", "schedule": 86400.0},
    "outbox-drain": {"task": "outbox.drain", "schedule": float(env("OUTBOX_DRAIN_SECONDS", "60"))},
    "orphan-files": {"task": "outbox.sweep_orphan_files", "schedule": 86400.0},
    "work-reminders": {"task": "work.remind_tasks", "schedule": 3600.0},
    "document-reminders": {"task": "documents.remind_due_assignments", "schedule": 3600.0},
    "exchange-poll": {"task": "exchange.poll", "schedule": float(env("EXCHANGE_POLL_SECONDS", "60"))},
    "training-reminders": {"task": "training.remind", "schedule": 86400.0},
    "support-escalation": {"task": "support.escalate_overdue", "schedule": 300.0},
    "feedback-escalate": {"task": "feedback.escalate_overdue", "schedule": 300.0},
    "dashboard-alerts": {"task": "dashboards.check_alerts", "schedule": 3600.0},
    "indices-rollups": {"task": "indices.refresh_rollups", "schedule": 600.0},
    "it-asset-expiry": {"task": "itplanning.alert_expiring_assets", "schedule": 86400.0},
    "national-deliver-due": {"task": "national.deliver_due", "schedule": 60.0},
    "national-recheck-identities": {"task": "national.recheck_identities", "schedule": 60.0},
    "npsp-fetch-inbound": {"task": "nationalsync.fetch_inbound", "schedule": 300.0},
    # Hourly ask; the job itself runs once a night within RETENTION_NIGHT_HOURS (retention, ADR 0051).
    "retention-nightly": {"task": "retention.nightly", "schedule": 3600.0},
}
# Side effects not done this long after commit are sent again, then after doubling pauses (outbox).
OUTBOX_GRACE_SECONDS = int(env("OUTBOX_GRACE_SECONDS", "300"))
OUTBOX_MAX_ATTEMPTS = int(env("OUTBOX_MAX_ATTEMPTS", "8"))
ORPHAN_FILE_GRACE_HOURS = int(env("ORPHAN_FILE_GRACE_HOURS", "24"))
# Retention (retention/, ADR 0051): local hours [start, end) in which the nightly job runs, rows per batch,
# and at most this many records of each kind per run (the rest the next night).
RETENTION_NIGHT_HOURS = (int(env("RETENTION_NIGHT_START", "1")), int(env("RETENTION_NIGHT_END", "5")))
RETENTION_BATCH = int(env("RETENTION_BATCH", "200"))
RETENTION_LIMIT = int(env("RETENTION_LIMIT", "5000"))

# Inter-agency document exchange (exchange/, ADR 0031): the axis this system is registered on, with its
# system id and secret (the demo starts the local simulator of the axis and fills these in).
EXCHANGE_AXIS_URL = env("EXCHANGE_AXIS_URL")
EXCHANGE_SYSTEM_ID = env("EXCHANGE_SYSTEM_ID")
EXCHANGE_SECRET = env("EXCHANGE_SECRET")
# The national systems reached through the NGSP (national/, ADR 0042): for each, NATIONAL_<SYSTEM>_URL and
# NATIONAL_<SYSTEM>_TOKEN (the demo starts their local simulators and fills these in).
NATIONAL_SYSTEMS = {
    system: {"url": env(f"NATIONAL_{system.upper()}_URL"), "token": env(f"NATIONAL_{system.upper()}_TOKEN")}
    for system in ("population", "npsp", "payment", "business", "civil_status")
}
# Which platform takes online fees (payments.platforms, ADR 0045): "gateway" (the payment gateway) or "national"
# (the national payment platform of the National Public Service Portal); per procedure code if needed.
PAYMENT_PLATFORM = env("PAYMENT_PLATFORM", "gateway")
PAYMENT_PLATFORM_BY_PROCEDURE: dict[str, str] = {}
EXCHANGE_MAX_PACKAGE_BYTES = int(env("EXCHANGE_MAX_PACKAGE_BYTES", str(50 * 1024 * 1024)))
EXCHANGE_POLL_SECONDS = int(env("EXCHANGE_POLL_SECONDS", "60"))
# A package must be sealed by its sender: the seal certificate names the sender's identifier code (the test
# PKI puts it in the OU; for the Government CA's agency certificates to confirm, ADR 0031).
EXCHANGE_SIGNER_NAMES_SENDER = env_bool("EXCHANGE_SIGNER_NAMES_SENDER", True)

# --- Files --------------------------------------------------------------------------------
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
_S3_BUCKET = env("AWS_STORAGE_BUCKET_NAME")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": _S3_BUCKET,
                "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
                "region_name": env("AWS_S3_REGION_NAME", "us-east-1"),
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
        if _S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    # Archive packages of the retention job (ADR 0051): never in the default storage, whose orphan sweep
    # deletes every file no row names; a bucket of its own in production (versioned, replicated).
    "retention": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env("RETENTION_ARCHIVE_BUCKET"),
                "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
                "region_name": env("AWS_S3_REGION_NAME", "us-east-1"),
                "default_acl": None,
                "file_overwrite": True,
            },
        }
        if env("RETENTION_ARCHIVE_BUCKET")
        else {"BACKEND": "django.core.files.storage.FileSystemStorage",
              "OPTIONS": {"location": env("RETENTION_ARCHIVE_ROOT", str(VAR_DIR / "archive")),
                          "file_permissions_mode": 0o600, "directory_permissions_mode": 0o700}}
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# --- Accounts and security ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UsernameOrEmailBackend",
    "accounts.oidc.CitizenOIDCBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Sessions end after 30 minutes without activity, and always when the browser closes.
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True  # so SESSION_COOKIE_AGE is the idle time-out
# However active, a session ends this long after signing in (accounts.sessions).
SESSION_ABSOLUTE_SECONDS_OFFICIAL = int(env("SESSION_ABSOLUTE_SECONDS_OFFICIAL", str(10 * 3600)))
SESSION_ABSOLUTE_SECONDS = int(env("SESSION_ABSOLUTE_SECONDS", str(24 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("SECURE_SSL_REDIRECT", True)
# Probes reach gunicorn over plain HTTP; a redirect (3xx counts as healthy) would hide a 503.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"  # the styled 403 page, in the shell of the path

# Strict Content-Security-Policy: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Login throttling (django-axes): 5 failures on one account from one address lock it for 15
# minutes there. Failures count against the account the typed name resolves to (any casing, the
# e-mail address or the username), not against the string typed.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.backends.lockout_key"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "audit.middleware.client_ip"
# Behind the province's reverse proxy, which overwrites X-Forwarded-For (docs/production.md).
EGOV_TRUST_PROXY = env_bool("EGOV_TRUST_PROXY")

# The key that signs the audit trail's checkpoints (audit.sealing, ADR 0048); keep it outside the database.
# Without it, a key derived from SECRET_KEY is used.
AUDIT_SEAL_KEY = env("AUDIT_SEAL_KEY")


def _data_key(name: str, make) -> str:
    """A key of personal data at rest (egov.crypto, ADR 0050), never in the database: from the
    environment; required in production mode; in the embedded default generated once into var/ (created
    atomically, so that two processes starting together cannot each encrypt under a key of their own)."""
    if value := env(name):
        return value
    if PRODUCTION:
        raise RuntimeError(f"{name} must be set in production mode")
    path = VAR_DIR / name.lower()
    if not path.exists():
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        draft.write_text(make())
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


# Fernet keys, comma-separated: the first encrypts, all decrypt (rotation: `egov reencrypt`).
DATA_ENCRYPTION_KEYS = [key.strip() for key in _data_key(
    "DATA_ENCRYPTION_KEYS", lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()).split(",")
    if key.strip()]
# The key of the keyed hashes that find rows by an identification number or a phone (egov.crypto.lookup_hash).
DATA_LOOKUP_KEY = _data_key("DATA_LOOKUP_KEY", lambda: secrets.token_urlsafe(48))

OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Chính quyền điện tử")

# The integration platform's OAuth 2.0 clients (lgsp, ADR 0043): agency systems get short-lived
# tokens by client credentials; their scopes and the token endpoint's rules (status, address) are lgsp's.
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "lgsp.oauth.ClientScopes",
    "OAUTH2_VALIDATOR_CLASS": "lgsp.oauth.ClientValidator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    # The OAuth 2.0 Security BCP (RFC 9700): tokens stored hashed, only the grants and transports it
    # allows (the platform uses client credentials only), https redirect URIs.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}

# OpenID Connect: a national identity provider (VNeID or a provincial SSO) for citizens.
OIDC_OP_ISSUER = env("OIDC_OP_ISSUER")
OIDC_ENABLED = bool(OIDC_OP_ISSUER)
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", "egov")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid email profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", f"{OIDC_OP_ISSUER}/auth")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", f"{OIDC_OP_ISSUER}/token")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", f"{OIDC_OP_ISSUER}/me")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", f"{OIDC_OP_ISSUER}/jwks")
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = False
OIDC_CREATE_USER = True
OIDC_AUTHENTICATE_CLASS = "accounts.oidc.CitizenOIDCRequestView"
OIDC_CALLBACK_CLASS = "accounts.oidc.CitizenOIDCCallbackView"

# --- Mail ---------------------------------------------------------------------------------
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Cổng dịch vụ công <no-reply@egov.localhost>")

# --- Systems outside the province (adapters; local simulators in the embedded default) -----
# The demo secrets below are published with the platform: they exist only outside production
# mode, and in production mode egov/checks.py refuses them (egov check, serve and worker).
EGOV_SIMULATORS = env_bool("EGOV_SIMULATORS", not PRODUCTION)
# In the embedded default SMS go to the local simulator (its inbox: /simulators/sms/).
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", f"{EGOV_PUBLIC_URL}/simulators/sms/send" if EGOV_SIMULATORS else "")
SMS_TYPE = env("SMS_TYPE", "2")
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "20"))
SMS_API_KEY = env("SMS_API_KEY", "" if PRODUCTION else "demo-key")
SMS_SECRET_KEY = env("SMS_SECRET_KEY", "" if PRODUCTION else "demo-secret")
SMS_BRANDNAME = env("SMS_BRANDNAME", "UBND TINH")
SMS_SIMULATOR_API_KEY = env("SMS_SIMULATOR_API_KEY", "" if PRODUCTION else "demo-key")
SMS_SIMULATOR_SECRET_KEY = env("SMS_SIMULATOR_SECRET_KEY", "" if PRODUCTION else "demo-secret")

PAYMENT_GATEWAY_URL = env("PAYMENT_GATEWAY_URL", f"{EGOV_PUBLIC_URL}/paysim/")  # the simulator (paysim) by default
PAYMENT_MERCHANT_ID = env("PAYMENT_MERCHANT_ID", "BACKAN01")
PAYMENT_SECRET = env("PAYMENT_SECRET", "" if PRODUCTION else "demo-payment-secret")
PAYSIM_MERCHANTS = {PAYMENT_MERCHANT_ID: PAYMENT_SECRET} if EGOV_SIMULATORS else {}

# --- Digital signatures (signing): keys behind PKCS#11 ------------------------------------
# The embedded default uses SoftHSM2 and the test PKI made by `egov demo` under var/; production
# points SIGNING_PKCS11_MODULE at the HSM's module and trusts the Government CA's roots.
SIGNING_PKCS11_MODULE = env("SIGNING_PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so")
SIGNING_TOKEN_LABEL = env("SIGNING_TOKEN_LABEL", "egov-signing")
SIGNING_TOKEN_PIN = env("SIGNING_TOKEN_PIN", "" if PRODUCTION else "1234")
SIGNING_PKI_DIR = Path(env("SIGNING_PKI_DIR", str(VAR_DIR / "pki")))
SIGNING_SOFTHSM_DIR = Path(env("SIGNING_SOFTHSM_DIR", str(VAR_DIR / "softhsm")))
SIGNING_TSA_URL = env("SIGNING_TSA_URL")  # empty: the test PKI's timestamp authority
SIGNING_TRUST_ROOTS_DIR = env("SIGNING_TRUST_ROOTS_DIR") or None
# The demo's test PKI: its OCSP/CRL/timestamp responder runs as a child of `egov serve`/`egov demo`
# (EGOV_DEMO_SERVICES, outside production mode) on SIGNING_PKI_PORT, by default the web port + 787.
EGOV_DEMO_SERVICES = env_bool("EGOV_DEMO_SERVICES", not PRODUCTION)
SIGNING_PKI_PORT = int(env("SIGNING_PKI_PORT") or public_url.pki_port_for(EGOV_ADDR))
# The local simulator of the document exchange axis, also a demo child (decision 0033): web port + 788.
EXCHANGE_AXIS_PORT = int(env("EXCHANGE_AXIS_PORT") or public_url.axis_port_for(EGOV_ADDR))
SIGNING_CONFIRMATION_MINUTES = 5
SIGNING_TOTP_ONLY_WINDOW_MINUTES = 15
SIGNING_EXPIRY_WARNING_DAYS = 30
# The public verifier (/verify/) fetches revocation data only for chains to the trust roots and only
# from these responders (comma-separated URL prefixes; empty outside production: the test PKI's
# responder), SIGNING_FETCH_TIMEOUT seconds per request. Production lists the Government CA's.
SIGNING_VERIFY_FETCH = env_bool("SIGNING_VERIFY_FETCH", True)
SIGNING_REVOCATION_URLS = env_list("SIGNING_REVOCATION_URLS")
SIGNING_FETCH_TIMEOUT = 5
# Signing keeps the revocation data it fetched until its nextUpdate, at most this many seconds
# (signing.revocation); a batch makes this many signatures at once (signing.batch). Decision 0054.
SIGNING_REVOCATION_CACHE_SECONDS = int(env("SIGNING_REVOCATION_CACHE_SECONDS") or 300)
SIGNING_BATCH_CONCURRENCY = int(env("SIGNING_BATCH_CONCURRENCY") or 8)

# --- Language, time -----------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "egov_language"
LOCALE_PATHS = [BASE_DIR / "egov" / "locale"]
FORMAT_MODULE_PATH = ["egov.formats"]  # dates dd/mm/yyyy in Vietnamese, typed that way too (egov/formats/vi)
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"  # rules and display; the database stores UTC

# --- The province this installation serves ------------------------------------------------
# Code of the province in the national list of administrative units; its name, agencies and
# structure come from the directory data, so another province needs data, not code.
EGOV_PROVINCE_CODE = env("EGOV_PROVINCE_CODE", "19")  # Thái Nguyên (since 1 July 2025 including the former Bắc Kạn, 06)
EGOV_PLATFORM_NAME = env("EGOV_PLATFORM_NAME", "")
# Office hours (giờ hành chính) used by the working-day calendar, as HH:MM ranges.
EGOV_OFFICE_HOURS = env_list("EGOV_OFFICE_HOURS", "07:30-11:30,13:30-17:00")
# How a time limit in days ends (workdays.periods): "end_of_day" (Civil Code art. 147–148, the legal
# default: a dossier settled on its last day is on time) or "exact" (hour-precise appointments).
EGOV_PERIOD_END = env("EGOV_PERIOD_END", "end_of_day")
# Working hours the one-stop desk has to take in a dossier submitted online (an agency may set its
# own): one working day of office hours by default (decision 0013).
EGOV_INTAKE_HOURS = env("EGOV_INTAKE_HOURS", "7.5")
# A request to supplement during processing (decision 0016): "pause" (the legal default: the time
# already spent counts, the clock stops until the applicant answers) or "restart" (the full time limit
# counts again from the complete dossier); how many such requests (empty: no limit) and until which
# share of the time limit (empty: up to the due moment under "pause", half of it under "restart").
EGOV_SUPPLEMENT_CLOCK = env("EGOV_SUPPLEMENT_CLOCK", "pause")
EGOV_SUPPLEMENT_MAX_REQUESTS = env("EGOV_SUPPLEMENT_MAX_REQUESTS", "1")
EGOV_SUPPLEMENT_LATEST_SHARE = env("EGOV_SUPPLEMENT_LATEST_SHARE", "")

# --- Logging ------------------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "egov.logging.RedactPersonalData"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601 in UTC
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
API_OFFICIAL_TOKEN_DAYS = int(env("API_OFFICIAL_TOKEN_DAYS", "30"))  # an official's API token lasts at most this long (ADR 0029)
