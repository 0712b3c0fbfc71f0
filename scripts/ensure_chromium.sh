#!/usr/bin/env bash
# Make sure Debian's chromium (the browser tests; never a browser download) and poppler-utils
# (pdftoppm: the reports rendered to PNG pages) are installed, and wrk (tests/test_bench.py runs
# the check-in benchmark at a small size). Without root or apt, print a
# loud warning: those tests then skip, except in CI (CI=true), where a missing browser fails
# the run.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's ${missing[*]} for the browser, PDF and benchmark tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "!!! ${missing[*]} not installed and cannot be installed here (needs root and apt-get)." >&2
echo "!!! Their tests will be SKIPPED. Install with: sudo apt-get install ${missing[*]}" >&2
if [ "${CI:-}" = "true" ] && [[ " ${missing[*]} " == *" chromium "* ]]; then
  echo "!!! CI=true: a missing browser is a failure." >&2
  exit 1
fi
