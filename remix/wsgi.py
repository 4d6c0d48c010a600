"""WSGI entry point (gunicorn remix.wsgi): Django, every request through its middleware."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "remix.settings")
application = get_wsgi_application()
