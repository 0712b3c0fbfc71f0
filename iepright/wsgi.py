"""WSGI entry point: `gunicorn iepright.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iepright.settings")
application = get_wsgi_application()
