#!/bin/sh
# One-shot set-up of a Docker deployment (the compose `migrate` service): migrate, then load the
# real open data (scripts/fixture-commands.txt; each loader is idempotent and atomic).
# Sample data is loaded only when asked: `docker compose run --rm load-samples`.
set -eu
python manage.py migrate --noinput
grep -v '^#' scripts/fixture-commands.txt | while read -r command; do
  [ -n "$command" ] && python manage.py "$command"
done
