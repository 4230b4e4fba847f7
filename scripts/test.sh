#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine, then run them all:
#   - .venv with requirements-dev.txt (pytest, Playwright's Python package — its own browser is
#     never downloaded; the tests drive Debian's chromium)
#   - Debian packages: chromium (browser tests), a Java runtime (the Nu HTML Checker)
#   - npm packages from package-lock.json: axe-core, vnu-jar
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v rsync >/dev/null 2>&1 || missing+=(rsync)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

bash scripts/setup.sh --dev
if [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] || [ ! -f node_modules/axe-core/axe.min.js ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # --ignore-scripts: vnu-jar's postinstall would fetch a Java runtime; we use Debian's.
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
.venv/bin/python -m pytest "$@"
