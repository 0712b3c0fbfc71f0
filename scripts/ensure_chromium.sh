#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the browser tests (never a browser download).
# Without root or apt, print a loud warning: the browser tests then skip, except in CI
# (CI=true), where a missing browser fails the run.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "!!! chromium is not installed and cannot be installed here (needs root and apt-get)." >&2
echo "!!! Browser tests will be SKIPPED. Install it with: sudo apt-get install chromium" >&2
if [ "${CI:-}" = "true" ]; then
  echo "!!! CI=true: a missing browser is a failure." >&2
  exit 1
fi
