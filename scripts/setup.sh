#!/usr/bin/env bash
# Create .venv and install what the project needs. Sourced by the other scripts; safe to re-run.
#   scripts/setup.sh          runtime packages (requirements.txt)
#   scripts/setup.sh --dev    also the test tools (requirements-dev.txt)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
requirements=requirements.txt
[ "${1:-}" = "--dev" ] && requirements=requirements-dev.txt
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
