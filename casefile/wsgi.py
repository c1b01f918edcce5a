"""WSGI entry point for `casefile serve` (gunicorn casefile.wsgi)."""
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casefile.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
