#!/usr/bin/env bash
# The browser tests drive Debian's chromium through Playwright. Install it
# when it is missing and we may (root); otherwise say how.
set -euo pipefail
CHROMIUM=${KB_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "error: the browser tests need Chromium at $CHROMIUM." >&2
echo "  Install it with: sudo apt-get install chromium  (or set KB_CHROMIUM to its path)" >&2
exit 1
