#!/usr/bin/env bash
# The Nu Html Checker (npm package vnu-jar, pinned in package.json) runs on
# Java 17 or later. Install Debian's headless runtime when it is missing and we
# may (root); otherwise say how. vnu-jar's own install script, which would
# download a Java runtime, does not run (.npmrc: ignore-scripts).
set -euo pipefail
JAVA=${KB_JAVA:-java}
version() {
  # `java -version` prints e.g. 'openjdk version "17.0.15" 2025-04-15' (or "1.8.0_x" for Java 8).
  "$JAVA" -version 2>&1 | sed -n 's/.* version "\([0-9]*\)\.\{0,1\}\([0-9]*\).*/\1 \2/p' | head -1 |
    awk '{ print ($1 == 1 ? $2 : $1) }'
}
major=$(command -v "$JAVA" >/dev/null 2>&1 && version || true)
[ -n "$major" ] && [ "$major" -ge 17 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && [ -z "${KB_JAVA:-}" ]; then
  echo "Installing Debian's Java runtime for the Nu Html Checker..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
  major=$(version || true)
  [ -n "$major" ] && [ "$major" -ge 17 ] && exit 0
fi
echo "error: the Nu Html Checker (make test) needs Java 17 or later${major:+; found Java $major}." >&2
echo "  Install it with: sudo apt-get install default-jre-headless  (or set KB_JAVA to a java 17+ binary)" >&2
exit 1
