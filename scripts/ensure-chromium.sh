#!/usr/bin/env bash
# Browser journeys drive Debian's Chromium (Playwright's own browser download does not work offline).
# Installs it when running as root and it is missing; otherwise the browser tests skip and say so loudly.
set -uo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "== installing Debian's chromium for the browser journeys"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "!! could not install chromium: browser journeys will be SKIPPED"
else
  echo "!! chromium is missing and this is not root: browser journeys will be SKIPPED"
fi
