#!/usr/bin/env bash
# Installs Debian's `strace` for the egress test (crates/cli/tests/cli/egress.rs records every
# connection a worker process opens). Idempotent; fails loudly.
set -euo pipefail
if command -v strace >/dev/null 2>&1; then
  echo "strace: $(strace -V | head -n 1) already installed"
  exit 0
fi
command -v apt-get >/dev/null || { echo "strace: strace is missing and apt-get is not available" >&2; exit 1; }
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends strace >/dev/null
strace -V | head -n 1
