#!/usr/bin/env bash
# Start the local PostgreSQL server that the tests and benchmarks use, creating the
# role and database once, and print its URL. Idempotent; needs root (as in CI) and
# Debian's postgresql package. Exits non-zero, saying why, when it cannot.
set -euo pipefail
DB=${1:-wayfinder_test}
PORT=${WAYFINDER_PG_PORT:-5432}

if ! command -v pg_lsclusters >/dev/null; then
  echo "postgres.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "postgres.sh: starting the server needs root; set WAYFINDER_TEST_POSTGRES_URL to use your own" >&2
  exit 1
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
  pg_createcluster --port "$PORT" "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  # Its chatter ("Removed stale pid file.") must not reach stdout, which callers capture
  # as the URL; the daemon must not inherit that pipe either, or $(...) never returns.
  pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 50); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 0.2
done
as_postgres() { su postgres -s /bin/sh -c "$1"; }
if ! as_postgres "psql -p $PORT -tAc \"SELECT 1 FROM pg_roles WHERE rolname='wayfinder'\"" | grep -q 1; then
  as_postgres "psql -p $PORT -qc \"CREATE ROLE wayfinder LOGIN CREATEDB PASSWORD 'wayfinder'\"" >&2
fi
# The tests drop their databases WITH (FORCE), which must be able to end an autovacuum
# worker that has just started on one: only a member of pg_signal_backend may.
if ! as_postgres "psql -p $PORT -tAc \"SELECT pg_has_role('wayfinder', 'pg_signal_backend', 'member')\"" | grep -qx t; then
  as_postgres "psql -p $PORT -qc \"GRANT pg_signal_backend TO wayfinder\"" >&2
fi
if ! as_postgres "psql -p $PORT -tAc \"SELECT 1 FROM pg_database WHERE datname='$DB'\"" | grep -q 1; then
  as_postgres "createdb -p $PORT -O wayfinder $DB" >&2
fi
echo "postgresql://wayfinder:wayfinder@127.0.0.1:$PORT/$DB"
