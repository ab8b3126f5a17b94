"""WSGI entry point: ``gunicorn riskcalc.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskcalc.settings")

application = get_wsgi_application()
