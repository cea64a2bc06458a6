#!/usr/bin/env bash
# Run the whole test suite against real services: PostgreSQL is started here when it
# can be (root and Debian's postgresql package, as in CI); otherwise its tests skip
# locally, and fail under CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
if [ -z "${WAYFINDER_TEST_POSTGRES_URL:-}" ]; then
  if url=$(scripts/postgres.sh wayfinder_test 2>/tmp/wayfinder-postgres.log); then
    export WAYFINDER_TEST_POSTGRES_URL=$url
  else
    echo "test: PostgreSQL not started ($(cat /tmp/wayfinder-postgres.log)); its tests will skip" >&2
  fi
fi
exec "$VENV/bin/python" -m pytest "$@"
