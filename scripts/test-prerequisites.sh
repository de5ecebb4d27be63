#!/usr/bin/env bash
# Run by `npm test` first (npm's pretest): what the suite needs beyond node_modules.
# - redis-server on the PATH: the Redis suites start their own servers on free ports.
# - Chromium: the debug panel's browser tests drive it headless through playwright-core, at
#   /usr/bin/chromium (Debian's package) or wherever CHROMIUM_PATH points.
# Whatever is missing is installed with apt-get; elsewhere the script says what to install.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x "$chromium" ] || missing+=(chromium)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ -n "${CHROMIUM_PATH:-}" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "npm test needs ${missing[*]}: redis-server on the PATH and Chromium at $chromium (set CHROMIUM_PATH to use another). Install them, then run npm test again." >&2
  exit 1
fi
echo "npm test needs ${missing[*]}: installing with apt-get (Debian's packages)."
if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
