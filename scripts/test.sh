#!/usr/bin/env bash
# Runs the whole test suite. Called by `make test` (and so by .ci/run) after installing.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1

# Browser tests drive Debian's Chromium; install it when we can (root, apt).
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
        || echo "warning: could not install chromium; browser tests will fail" >&2
fi

exec .venv/bin/python -m pytest "$@"
