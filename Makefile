# Remix — the two commands: `make run` and `make test`. Everything else is a step of theirs.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PORT ?= 8000
PY := .venv/bin/python
# Loaders run in this order by `make fixtures` (one list, shared with the Docker image).
FIXTURE_COMMANDS := $(shell grep -v '^\#' scripts/fixture-commands.txt)

# The database URL: DATABASE_URL when given, otherwise the project-local cluster (scripts/db.sh).
WITH_DB = export DATABASE_URL="$$(scripts/db.sh)" &&

.PHONY: help run test setup setup-test db migrate fixtures admin lint format bench clean-db

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

format: setup-test
	@.venv/bin/ruff format . && .venv/bin/ruff check --fix .

# Benchmarks (never part of the tests): regenerate the synthetic load layer at each size and
# print the tables of bench/RESULTS.md. BENCH_SIZES=10000,100000,1000000 for the 1M step.
BENCH_SIZES ?= 10000,100000
bench: fixtures
	@scripts/bootstrap.sh bench
	@$(WITH_DB) $(PY) -m bench.run --sizes $(BENCH_SIZES)

clean-db:
	@if [ -f var/pg/data/PG_VERSION ]; then runuser -u postgres -- /usr/lib/postgresql/*/bin/pg_ctl -D var/pg/data stop -m fast || true; fi
	rm -rf var/pg
