#!/usr/bin/env bash
# Install what Remix needs and is missing: Debian packages (when root), the .venv with the
# Python packages locked in requirements/ (pinned, with hashes: `make lock` compiles them from
# pyproject.toml), and the front-end packages of package-lock.json copied into static files.
# Idempotent: a second run installs nothing and takes a second or two.
#
# Usage: scripts/bootstrap.sh run|test|bench
#   run   — what the application needs (requirements/base.txt), no development tools;
#   test  — plus the test and lint tools (requirements/dev.txt);
#   bench — plus the benchmark's baselines (requirements/bench.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-run}"
PYTHON="${PYTHON:-python3.11}"

log() { printf '\033[1;34m[remix]\033[0m %s\n' "$*"; }

pg_major() {
  if [ -n "${PGMAJOR:-}" ]; then echo "$PGMAJOR"; return; fi
  ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1
}

have() {  # have CHECK: is the thing a package provides present?
  case "$1" in
    cmd:*) command -v "${1#cmd:}" >/dev/null 2>&1 ;;
    lib:*) ldconfig -p 2>/dev/null | grep -q "${1#lib:}" ;;
    *) [ -e "$1" ] ;;
  esac
}

debian_packages() {
  local major missing=()
  major="$(pg_major)"
  if [ -z "$major" ]; then
    echo "PostgreSQL server binaries not found under /usr/lib/postgresql." >&2
    echo "Install them first: apt-get install postgresql" >&2
    exit 1
  fi
  while read -r when pkg check; do
    case "$when" in ''|'#'*) continue ;; esac
    case "$when:$profile" in
      run:*|test:test|test:bench|bench:bench) ;;
      *) continue ;;
    esac
    pkg="${pkg//PGMAJOR/$major}"; check="${check//PGMAJOR/$major}"
    have "$check" || missing+=("$pkg")
  done < scripts/debian-packages.txt
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages. Run, as root:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  no_service_starts
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Some packages start a system service when installed: nginx on port 80 (which fails, failing
# the install, where port 80 or IPv6 is unavailable), PostgreSQL its "main" cluster. Remix runs
# its own instances, so, unless the machine has its own policy, forbid those starts for the
# duration of the install with Debian's switch for this, policy-rc.d (see invoke-rc.d(8)).
no_service_starts() {
  local policy=/usr/sbin/policy-rc.d
  [ -e "$policy" ] && return 0
  printf '#!/bin/sh\n# Written by Remix scripts/bootstrap.sh for one install.\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'rm -f "'"$policy"'"' EXIT
}

python_packages() {
  local stamp want lock
  case "$profile" in
    run) lock=requirements/base.txt ;;
    test) lock=requirements/dev.txt ;;
    bench) lock=requirements/bench.txt ;;
    *) echo "unknown profile: $profile" >&2; exit 1 ;;
  esac
  want="$(sha256sum "$lock" | cut -c1-16)-$profile"
  stamp=".venv/.remix-installed-$want"
  [ -f "$stamp" ] && return 0
  if [ ! -x .venv/bin/python ]; then
    log "creating .venv"
    "$PYTHON" -m venv .venv
  fi
  log "installing Python packages ($lock, hashes checked)"
  .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r "$lock"
  rm -f .venv/.remix-installed-*
  touch "$stamp"
}

frontend_packages() {
  [ -f package.json ] || return 0
  local stamp want
  want="$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -c1-16)"
  stamp="node_modules/.remix-installed-$want"
  if [ ! -f "$stamp" ]; then
    command -v npm >/dev/null || { echo "npm is missing: apt-get install -y npm" >&2; exit 1; }
    log "installing front-end packages (package-lock.json)"
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
    rm -f node_modules/.remix-installed-*
    touch "$stamp"
  fi
  .venv/bin/python scripts/vendor.py
}

debian_packages
python_packages
frontend_packages
