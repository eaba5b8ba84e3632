#!/usr/bin/env bash
# Installs the Yoga cross-check harness of hivesync-frames: npm `yoga-layout` (pinned in
# crates/frames/yoga-harness/package-lock.json) into that folder only. Idempotent; fails loudly.
set -euo pipefail

harness="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../crates/frames/yoga-harness" && pwd)"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "frames-yoga-harness: node and npm are required (Node 18 or newer)" >&2
  exit 1
fi

installed="$harness/node_modules/yoga-layout/package.json"
if [ -f "$installed" ] && grep -q '"version": "3.2.1"' "$installed"; then
  echo "frames-yoga-harness: yoga-layout 3.2.1 already installed"
else
  npm ci --prefix "$harness" --no-audit --no-fund
fi

# Prove it loads and lays out.
echo '{"viewport":{"width":10,"height":10,"scale":1},"root":{}}' | node "$harness/harness.mjs" - >/dev/null
echo "frames-yoga-harness: ready"
