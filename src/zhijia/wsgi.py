"""WSGI entry point (gunicorn zhijia.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhijia.settings.production")

application = get_wsgi_application()
