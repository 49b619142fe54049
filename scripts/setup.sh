#!/usr/bin/env bash
# Create .venv and install the generator. With --test, also what the test suite needs:
# Debian packages (Chromium for the browser tests, poppler for PDF checks, fonts) and the test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--test" ]; then
  need=()
  for p in chromium poppler-utils fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "== apt-get install ${need[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi

# axe-core for the accessibility tests, from the npm registry (the copy bundled in pip packages is older)
if [ "${1:-}" = "--test" ] && [ ! -f .cache/axe/node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null; then
  npm install --prefix .cache/axe --no-audit --no-fund --loglevel=error axe-core@4.14.1 >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v 'is ignored' || true
extras=""; [ "${1:-}" = "--test" ] && extras="[test,compare]"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}" 2>&1 | grep -v 'is ignored' || true
