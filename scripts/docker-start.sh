#!/bin/sh
# Start-up of the Docker app: check the deployment (including the data-version triggers of
# every layer, which `migrate` installs) and serve. Migrations and data loads are one-shot
# steps of their own (docker-compose.yml: the `migrate` and `load-samples` services).
set -eu
python manage.py check --deploy --fail-level ERROR
exec gunicorn remix.wsgi --bind 0.0.0.0:8000 --workers "${WEB_CONCURRENCY:-3}"
