#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter: Rasa 3.6 needs Python < 3.11.
# Looks at an explicit PYTHON=..., then python3.10 on PATH, then pyenv's 3.10.
# Exits 1 with what to install when there is none.
set -uo pipefail

is_310() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }

if [ -n "${PYTHON:-}" ]; then
  if is_310 "$PYTHON"; then command -v "$PYTHON"; exit 0; fi
  echo "PYTHON=$PYTHON is not a working Python 3.10 interpreter." >&2
  exit 1
fi
# A pyenv shim named python3.10 exists even when no 3.10 is selected, so run it to be sure.
if is_310 python3.10; then command -v python3.10; exit 0; fi
if command -v pyenv >/dev/null 2>&1; then
  for candidate in $(ls -d "$(pyenv root)"/versions/3.10*/bin/python3.10 2>/dev/null | sort -V -r); do
    if is_310 "$candidate"; then echo "$candidate"; exit 0; fi
  done
fi
cat >&2 <<'MSG'
Wayfinder needs Python 3.10 (Rasa 3.6 supports Python 3.8-3.10), and none was found.
Install one of:
  - pyenv:          pyenv install 3.10
  - Debian/Ubuntu:  apt-get install python3.10 python3.10-venv   (Ubuntu: from the deadsnakes PPA)
  - macOS:          brew install python@3.10
or point at one you have:  make run PYTHON=/path/to/python3.10
MSG
exit 1
