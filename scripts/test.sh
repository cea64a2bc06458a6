#!/usr/bin/env bash
# Run every test against real services: builds the spaCy pipeline and trains the Rasa
# model when they are stale (Rasa's fingerprint skips training when nothing changed),
# starts PostgreSQL when it can (root and Debian's postgresql package, as in CI;
# otherwise its tests skip locally and fail under CI=true), then runs the conversation
# stories through `rasa test` and everything else through pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-3}

"$VENV/bin/python" -m bot.run --prepare || exit 1

if [ -z "${WAYFINDER_TEST_POSTGRES_URL:-}" ]; then
  if url=$(scripts/postgres.sh wayfinder_test 2>/tmp/wayfinder-postgres.log | tail -1) && [[ $url == postgresql://* ]]; then
    export WAYFINDER_TEST_POSTGRES_URL=$url
  else
    echo "test: PostgreSQL not started ($(cat /tmp/wayfinder-postgres.log)); its tests will skip" >&2
  fi
fi

status=0
mkdir -p results
stories=$(ls tests/test_*.yml 2>/dev/null | wc -l)
if [ "$stories" -gt 0 ]; then
  echo "test: conversation stories (rasa test core --e2e, tests/test_*.yml)"
  model=models/wayfinder.tar.gz
  # --e2e: the stories' user text goes through the real NLU, so intents and entities are checked too.
  "$VENV/bin/rasa" test core --model "$model" --stories tests --e2e --fail-on-prediction-errors \
    --out results/stories --no-plot >results/stories.log 2>&1 || {
    status=1
    echo "test: conversation stories FAILED; see results/stories.log and results/stories/failed_test_stories.yml" >&2
    tail -20 results/stories.log >&2
  }
fi

"$VENV/bin/python" -m pytest "$@" || status=$?
exit $status
