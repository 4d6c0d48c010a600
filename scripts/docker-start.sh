#!/bin/sh
# Start-up of the Docker app: check the deployment (including the data-version triggers of
# every layer, which `migrate` installs) and serve. Migrations and data loads are one-shot
# steps of their own (docker-compose.yml: the `migrate` and `load-samples` services).
set -eu
python manage.py check --deploy --fail-level ERROR
# --access-logfile -: one access line per request on stdout (with the request time in µs).
exec gunicorn remix.wsgi --bind 0.0.0.0:8000 --workers "${WEB_CONCURRENCY:-3}" \
    --access-logfile - \
    --access-logformat '%(h)s "%(r)s" %(s)s %(B)s %(D)sus "%({x-request-id}i)s" "%(a)s"'
