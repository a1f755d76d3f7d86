"""WSGI entry point (gunicorn socialgov.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")

application = get_wsgi_application()
