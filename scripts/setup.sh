#!/usr/bin/env bash
# Create .venv with Python 3.10 and install the pinned dependencies (constraints.txt),
# then the website widget's browser packages from package-lock.json (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
python=$(scripts/find_python.sh)
if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then
  echo "setup: $VENV is not Python 3.10; recreating it" >&2
  rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV with $python"
  "$python" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "pip==26.3" "wheel==0.45.1" "setuptools==70.3.0"
echo "setup: installing pinned dependencies (the first time takes a few minutes and about 3 GB)"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -c constraints.txt -r requirements.txt
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e .

# The widget serves the socket.io client from node_modules; the browser tests inject axe-core.
if ! command -v npm >/dev/null 2>&1; then
  echo "setup: npm is missing: install Node.js 18 or newer with npm (Debian: apt-get install nodejs npm)," >&2
  echo "setup: then run 'make setup' again. The website widget and its tests need it." >&2
  exit 1
fi
echo "setup: installing the widget's browser packages (npm ci)"
npm ci --no-audit --no-fund --loglevel=error
