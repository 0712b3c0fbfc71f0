#!/usr/bin/env bash
# Run a command against PostgreSQL: use the server on 127.0.0.1:5432 if it answers, start the
# local cluster if it is installed but stopped, install it from Debian when running as root in
# CI. Without PostgreSQL, skip with a loud message (and fail only in CI, where it must run).
set -euo pipefail
HOST=${PGHOST_FOR_TESTS:-127.0.0.1}
PORT=${PGPORT_FOR_TESTS:-5432}

ready() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h "$HOST" -p "$PORT"; }

start_cluster() {
  command -v pg_lsclusters >/dev/null 2>&1 || return 1
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] || return 1
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  for _ in $(seq 1 30); do ready && return 0; sleep 1; done
  return 1
}

if ! ready; then
  echo "PostgreSQL is not answering on $HOST:$PORT; trying to start it…"
  if ! start_cluster && [ "${CI:-}" = "true" ] && [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    # Trust local TCP connections for the throwaway test cluster, as on the development machines.
    sed -i 's/^\(host.*127.0.0.1\/32\s*\)\S*$/\1trust/' "/etc/postgresql/$version/main/pg_hba.conf"
    start_cluster || true
  fi
fi

if ! ready; then
  echo "!!! PostgreSQL is not available: the PostgreSQL run of the test suite is SKIPPED." >&2
  if [ "${CI:-}" = "true" ]; then
    echo "!!! CI=true: the suite must run on PostgreSQL too; failing." >&2
    exit 1
  fi
  exit 0
fi

export DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@$HOST:$PORT/iepright}
echo "== Test suite on PostgreSQL ($HOST:$PORT) =="
exec "$@"
