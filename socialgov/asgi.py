"""ASGI entry point, for servers that prefer it; SocialGov needs nothing async."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")

application = get_asgi_application()
