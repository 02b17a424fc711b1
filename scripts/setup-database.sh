#!/usr/bin/env bash
# Creates the PostgreSQL database a URL names when the server is up but the
# database does not exist yet (the store tests fail, not skip, without it).
# Usage: scripts/setup-database.sh postgres://user@host:port/name
set -euo pipefail
database_url="$1"
if psql "$database_url" -Atqc 'select 1' >/dev/null 2>&1; then exit 0; fi

name="${database_url##*/}"
name="${name%%\?*}"
# The same server and user, through the maintenance database every cluster has.
maintenance_url="${database_url%/*}/postgres"
if ! psql "$maintenance_url" -Atqc 'select 1' >/dev/null 2>&1; then
  echo "setup: cannot connect to $database_url (nor to its server's postgres database); check DATABASE_URL" >&2
  exit 1
fi
echo "setup: creating the database \"$name\" for the store tests"
psql "$maintenance_url" -qc "CREATE DATABASE \"${name//\"/\"\"}\"" >/dev/null
