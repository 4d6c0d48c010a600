#!/usr/bin/env bash
# Make sure a PostGIS database is there and print its URL on stdout.
#
# With DATABASE_URL set: create that database if missing and enable PostGIS in it.
# Without it: run a project-local PostgreSQL cluster under var/pg (initdb on first run),
# listening only on a Unix socket of its own, so it never clashes with a server already
# running; the database "remix" in it gets PostGIS.
set -euo pipefail
export PGOPTIONS="-c client_min_messages=warning"
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
log() { printf '\033[1;34m[remix]\033[0m %s\n' "$*" >&2; }

major="${PGMAJOR:-$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)}"
BIN="/usr/lib/postgresql/$major/bin"
PORT="${REMIX_PGPORT:-5433}"

urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

as_owner() {  # run a command as the owner of the local cluster (postgres when we are root)
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ -n "${DATABASE_URL:-}" ]; then
  # postgres://user:pass@host:port/name (also postgis://); psql speaks postgresql://
  libpq_url="$(printf '%s' "$DATABASE_URL" | sed -E 's#^(postgis|postgres|postgresql|pgsql)://#postgresql://#')"
  dbname="$(printf '%s' "$libpq_url" | sed -E 's#^[^/]*//[^/]*/([^?]*).*#\1#')"
  admin_url="$(printf '%s' "$libpq_url" | sed -E 's#^([^/]*//[^/]*/)[^?]*#\1postgres#')"
  if ! psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$dbname'" | grep -q 1; then
    log "creating database $dbname"
    psql "$admin_url" -qc "CREATE DATABASE \"$dbname\""
  fi
  psql "$libpq_url" -qc "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
  echo "$DATABASE_URL"
  exit 0
fi

DATA="$ROOT/var/pg/data"
SOCK="$ROOT/var/pg/run"
# Unix socket paths are limited to ~107 bytes; fall back to a short private directory.
if [ ${#SOCK} -gt 80 ]; then SOCK="/tmp/remix-pg-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"; fi
mkdir -p "$ROOT/var/pg" "$SOCK"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$ROOT/var/pg" "$SOCK"; fi

if [ ! -f "$DATA/PG_VERSION" ]; then
  log "initialising a project-local PostgreSQL $major cluster in var/pg/data"
  as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  log "starting PostgreSQL (socket $SOCK, port $PORT)"
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$ROOT/var/pg/server.log" -w -t 60 start \
    -o "-c listen_addresses='' -c unix_socket_directories='$SOCK' -p $PORT -c synchronous_commit=off" >/dev/null
fi
if ! psql -h "$SOCK" -p "$PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'remix'" | grep -q 1; then
  log "creating database remix"
  psql -h "$SOCK" -p "$PORT" -U postgres -d postgres -qc "CREATE DATABASE remix"
fi
psql -h "$SOCK" -p "$PORT" -U postgres -d remix -qc "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
echo "postgis://postgres@$(urlencode "$SOCK"):$PORT/remix"
