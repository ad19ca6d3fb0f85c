#!/usr/bin/env bash
# Installs the system programs the test suite starts itself, when they are missing:
# redis-server and PostgreSQL (tests run their own servers on free ports) and Chromium (dashboard tests).
# Quiet when everything is present. Needs root (apt-get) only when something is missing.
set -uo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
[ -x /usr/bin/chromium ] || missing+=(chromium)

[ ${#missing[@]} -eq 0 ] && exit 0

echo "== installing system packages for the tests: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-system: need root to install ${missing[*]} (run: sudo apt-get install -y ${missing[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
