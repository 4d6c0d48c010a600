#!/bin/sh
# Load the sample data («Dato di esempio», scripts/sample-commands.txt), only when asked:
#   docker compose run --rm load-samples
set -eu
grep -v '^#' scripts/sample-commands.txt | while read -r command; do
  [ -n "$command" ] && python manage.py "$command"
done
