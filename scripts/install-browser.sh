#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing and we can.
set -u
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium for the browser tests (apt-get)..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    && exit 0
  echo "Could not install Chromium: the browser tests will be skipped." >&2
else
  echo "Chromium is not installed and cannot be installed here (needs root on Debian): the browser tests will be skipped." >&2
fi
exit 0
