#!/usr/bin/env bash
# Set-up for working on this repository: everything `npm test` needs.
# The README's set-up line and CI (.ci/run) both run this one script.
#   - Chromium for the browser test (Debian's package; playwright-core
#     cannot download one everywhere). CHROMIUM_PATH points at another one.
#   - PostgreSQL for the store tests (DATABASE_URL, default the local
#     postgres@127.0.0.1:5432/test): the local cluster is started when down.
#   - The dependencies, including the pinned Node 22 toolchain (`npm ci`
#     under CI, `npm install` otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "setup: '$*' needs root; run it as root, or install the package yourself" >&2; return 1
  fi
}

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium_path" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian's chromium for the browser test"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: Chromium is needed for the browser test: install it and set CHROMIUM_PATH=/path/to/chromium" >&2
    exit 1
  fi
fi

database_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
if ! pg_isready -d "$database_url" -q 2>/dev/null; then
  if [[ "$database_url" == *@127.0.0.1:5432/* ]] && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "setup: PostgreSQL is down; starting the local cluster"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 30); do pg_isready -d "$database_url" -q && break; sleep 1; done
  fi
  pg_isready -d "$database_url" -q 2>/dev/null || {
    echo "setup: the store tests need PostgreSQL at $database_url (set DATABASE_URL to use another server)" >&2
    exit 1
  }
fi
# A server that is up does not mean the database exists (a fresh cluster has only `postgres`).
bash scripts/setup-database.sh "$database_url"

if [ -n "${CI:-}" ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
