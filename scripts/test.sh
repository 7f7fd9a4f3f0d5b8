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

# -q -rfE: a short run, then every failure and error listed by name above pytest's summary line.
# The timeout only stops a hung test from hanging CI; it is not a speed check.
exec .venv/bin/python -m pytest -p no:cacheprovider -q -rfE --timeout=900 "$@"
