"""WSGI entry point (gunicorn remix.wsgi): Django, with plain tiles answered in front of it."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "remix.settings")
django_application = get_wsgi_application()

from layers.tile_wsgi import TileShortcut  # noqa: E402  (needs the settings and apps loaded)

application = TileShortcut(django_application)
