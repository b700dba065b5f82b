#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine, then run every check:
# ruff (lint + format), then pytest (unit, properties, seeds, AppTest, browser).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -m "not browser"`.
set -euo pipefail
cd "$(dirname "$0")/.."

# The browser tests drive Debian's chromium (Playwright's own browser download does not
# work on these machines), and their screenshots of the zh-TW pages need a CJK font
# (fonts-noto-cjk). Install them when missing and we are allowed to.
if { [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/opentype/noto ]; } \
    && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
  -r requirements.txt -r requirements-dev.txt

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
