"""Django settings for casefile. Everything comes from config.settings (CASEFILE_* variables)."""
from __future__ import annotations

from config.settings import get_settings

_cfg = get_settings()

SECRET_KEY = _cfg.secret_key
DEBUG = _cfg.debug
ALLOWED_HOSTS = [h.strip() for h in _cfg.allowed_hosts.split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    # django-ninja as an app: /api/docs renders Swagger UI from ninja's own static files, not a CDN
    "ninja",
    "records",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view says otherwise (the login page, the token API).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Clerks see their own batches and the cases those touch (casework/visibility.py): an object
    # outside what the user sees is 404, on the pages and the API alike.
    "web.visibility.VisibilityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A strict Content-Security-Policy (django-csp): scripts, styles, images only from this server.
    "csp.middleware.CSPMiddleware",
    # Cache-Control: no-store on every page, image and API answer (they show personal data);
    # static files are answered by WhiteNoise above and keep their caching.
    "web.security.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
    # A bug: logged with an incident id, the user told the id (web/incidents.py).
    "web.incidents.IncidentMiddleware",
]

# Accounts: argon2 password hashes; django-axes locks a user name + address after 5 failed logins
# for 15 minutes; sessions end with the browser or after a working day.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "web/locked.html"
AXES_VERBOSE = False
# Password rules for createuser and the Django admin: at least 10 characters, not like the user
# name, not a common password, not all digits.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _cfg.https
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere (templates load web/*.js and web/app.css); Swagger UI's
# icons are data: URIs in its stylesheet. Nothing from another host: bureau machines have no internet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

ROOT_URLCONF = "casefile.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.role",
            ]
        },
    }
]


def _database() -> dict:
    if _cfg.database_url:
        from urllib.parse import unquote, urlparse

        url = urlparse(_cfg.database_url)
        if url.scheme not in ("postgres", "postgresql"):
            raise ValueError(f"CASEFILE_DATABASE_URL: unsupported scheme {url.scheme!r}")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": url.path.lstrip("/"),
            "USER": unquote(url.username or ""),
            "PASSWORD": unquote(url.password or ""),
            "HOST": url.hostname or "",
            "PORT": str(url.port or ""),
        }
    _cfg.workspace.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(_cfg.workspace / "casefile.sqlite3"),
        # Several page processes write to one SQLite file: wait for the lock instead of failing,
        # and use WAL so readers never block the writer.
        "OPTIONS": {
            "timeout": 60,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
WHITENOISE_USE_FINDERS = True  # serve the apps' static files straight from their folders: no collectstatic step
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_ids": {"()": "core.privacy.MaskIdNumbers"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_ids"]}},
    "loggers": {
        "casefile": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        # Server errors with their tracebacks (Django sends them nowhere when DEBUG is off).
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
    },
}
