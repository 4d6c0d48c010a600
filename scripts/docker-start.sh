#!/bin/sh
# Start-up of the Docker image: migrate, load the data (scripts/fixture-commands.txt), serve.
set -eu
python manage.py migrate --noinput
grep -v '^#' scripts/fixture-commands.txt | while read -r command; do
  [ -n "$command" ] && python manage.py "$command"
done
exec gunicorn remix.wsgi --bind 0.0.0.0:8000 --workers "${WEB_CONCURRENCY:-3}"
