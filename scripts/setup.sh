#!/usr/bin/env bash
# Create .venv and install the generator. With --test, also what the test suite needs:
# Debian packages (Chromium for the browser tests, poppler for PDF checks, fonts) and the test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

# Another apt-get (a second setup, an unattended upgrade) may hold the package locks: wait for it.
# apt-get waits for the dpkg lock itself (DPkg::Lock::Timeout), but `apt-get update` takes the
# package lists' lock, which that option does not cover: it is tried again while that lock is held.
apt_update() {
  local out try
  for try in $(seq 60); do
    if out=$($sudo apt-get -o DPkg::Lock::Timeout=600 update -qq 2>&1); then
      [ -z "$out" ] || echo "$out" >&2
      return 0
    fi
    if [[ "$out" != *"Could not get lock"* ]] || [ "$try" -eq 60 ]; then
      echo "$out" >&2
      return 1
    fi
    [ "$try" -gt 1 ] || echo "== waiting for another apt-get to finish"
    sleep 10
  done
}

if [ "${1:-}" = "--test" ]; then
  need=()
  for p in chromium poppler-utils fonts-dejavu-core; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "== apt-get install ${need[*]}"
    apt_update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >/dev/null
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
