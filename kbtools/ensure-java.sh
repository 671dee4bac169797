#!/usr/bin/env bash
# The Nu Html Checker (npm package vnu-jar, pinned in package.json) runs on
# Java MIN_JAVA or later (kbtools/nu.py, which also reads the version: one
# definition of both). Install Debian's headless runtime when it is missing and
# we may (root); otherwise say how. vnu-jar's own install script, which would
# download a Java runtime, does not run (.npmrc: ignore-scripts).
# Usage: ensure-java.sh PYTHON (the project's venv python)
set -euo pipefail
PY=${1:?usage: ensure-java.sh PYTHON}
versions() { "$PY" -c 'from kbtools import nu; print(nu.java_version() or 0, nu.MIN_JAVA)'; }
read -r major min < <(versions)
[ "$major" -ge "$min" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && [ -z "${KB_JAVA:-}" ]; then
  echo "Installing Debian's Java runtime for the Nu Html Checker..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
  read -r major min < <(versions)
  [ "$major" -ge "$min" ] && exit 0
fi
found=""
[ "$major" != 0 ] && found="; found Java $major"
echo "error: the Nu Html Checker (make test) needs Java $min or later$found." >&2
echo "  Install it with: sudo apt-get install default-jre-headless  (or set KB_JAVA to a java $min+ binary)" >&2
exit 1
