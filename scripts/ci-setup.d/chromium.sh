#!/usr/bin/env bash
# Installs Debian's `chromium` for the headless browser tests (the admin dashboard,
# crates/cli/tests/cli/operations.rs, and the web preview viewer,
# crates/cli/tests/cli/viewer.rs) when it is missing. Idempotent; fails loudly.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "chromium: $(chromium --version 2>/dev/null | head -n 1) already installed"
  exit 0
fi
command -v apt-get >/dev/null || { echo "chromium: chromium is missing and apt-get is not available" >&2; exit 1; }
echo "chromium: installing chromium from Debian's packages" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
chromium --version
