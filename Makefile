# Remix — the two commands: `make run` and `make test`. Everything else is a step of theirs.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PORT ?= 8000
PY := .venv/bin/python
# Loaders run in this order by `make fixtures`: the real data, then the samples (the same lists
# as the Docker set-up, which loads samples only when asked).
FIXTURE_COMMANDS := $(shell grep -hv '^\#' scripts/fixture-commands.txt scripts/sample-commands.txt)

# The database URL: DATABASE_URL when given, otherwise the project-local cluster (scripts/db.sh).
WITH_DB = export DATABASE_URL="$$(scripts/db.sh)" &&

.PHONY: help run test setup setup-test db migrate fixtures admin lint format bench clean-db screenshots lock

help:
	@echo "make run   — install what is missing, set up PostGIS, migrate, load data, serve on :$(PORT)"
	@echo "make test  — the same set-up, then lint, migration check and the whole test suite"

setup:
	@scripts/bootstrap.sh run

setup-test:
	@scripts/bootstrap.sh test

db:
	@scripts/db.sh >/dev/null

migrate: setup
	@$(WITH_DB) DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput -v 0

fixtures: migrate
	@$(WITH_DB) for cmd in $(FIXTURE_COMMANDS); do DEBUG=$${DEBUG:-true} $(PY) manage.py $$cmd; done

# The worker of the job queue (uploads' checks and commits) runs beside runserver and stops
# with it (Ctrl-C, or the shell's exit: the trap stops it).
run: fixtures
	@$(WITH_DB) export DEBUG=$${DEBUG:-true} PORT=$(PORT) && \
	  $(PY) manage.py ensure_dev_admin && \
	  { $(PY) manage.py procrastinate worker & } && worker=$$! && \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM && \
	  echo "[remix] serving on http://127.0.0.1:$(PORT) (job worker: pid $$worker)" && \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: setup-test
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .

test: setup-test lint
	@$(WITH_DB) export DEBUG=true && \
	  $(PY) manage.py makemigrations --check --dry-run -v 1 && \
	  .venv/bin/pytest $(PYTEST_ARGS)

# The README's pictures (docs/screenshots/): the browser tests that take them, with the copy to
# docs/ switched on; they wait for the charts to be drawn. `make test` never writes them.
screenshots: setup-test
	@$(WITH_DB) export DEBUG=true REMIX_DOCS_SCREENSHOTS=1 && .venv/bin/pytest -m docs_screenshot -q

# Re-lock the Python packages (requirements/*.txt, pinned with hashes) after editing
# pyproject.toml; the set-up installs only from these files.
lock: setup-test
	@for spec in "base:" "dev:--extra dev" "bench:--extra dev --extra bench"; do \
	  name=$${spec%%:*}; CUSTOM_COMPILE_COMMAND="make lock" .venv/bin/pip-compile -q \
	    --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	    --no-emit-find-links $${spec#*:} -o requirements/$$name.txt pyproject.toml; \
	done

format: setup-test
	@.venv/bin/ruff format . && .venv/bin/ruff check --fix .

# Benchmarks (never part of the tests): regenerate the synthetic load layer at each size and
# print the tables of bench/RESULTS.md. BENCH_SIZES=10000,100000,1000000 for the 1M step.
BENCH_SIZES ?= 10000,100000
# The bench app is installed only by bench.settings (never in production): its table is
# migrated here.
bench: fixtures
	@scripts/bootstrap.sh bench
	@$(WITH_DB) DEBUG=$${DEBUG:-true} DJANGO_SETTINGS_MODULE=bench.settings $(PY) manage.py migrate --noinput -v 0
	@$(WITH_DB) $(PY) -m bench.run --sizes $(BENCH_SIZES)

# Stop the project-local cluster (as its owner: postgres when we are root, else ourselves, as in
# scripts/db.sh) and delete it.
clean-db:
	@if [ -f var/pg/data/PG_VERSION ]; then \
	  pg_ctl="$$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl"; \
	  if [ "$$(id -u)" -eq 0 ]; then runuser -u postgres -- "$$pg_ctl" -D var/pg/data stop -m fast || true; \
	  else "$$pg_ctl" -D var/pg/data stop -m fast || true; fi; \
	fi
	rm -rf var/pg
