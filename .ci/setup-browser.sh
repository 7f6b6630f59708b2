#!/usr/bin/env bash
# Installs what the labelling page's browser tests drive (al-examples, dev.al4j.label): Debian's chromium and
# chromium-driver, with apt-get, only when they are missing. Needs root (or sudo) when it installs; does nothing
# otherwise. Nothing is downloaded at test time: Selenium uses /usr/bin/chromium and /usr/bin/chromedriver.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  SUDO="sudo"
fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium chromium-driver
