#!/usr/bin/env bash
# Set up, then check and build the bundled briefing into site/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python build.py --strict "$@"
echo "Open site/index.html in a browser, or run: .venv/bin/python build.py serve"
