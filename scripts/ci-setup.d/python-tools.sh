#!/usr/bin/env bash
# Installs the Python tools the tests run against a live server, pinned, into one virtual
# environment outside the clone ($HIVESYNC_PY_VENV, default ~/.cache/hivesync-py):
# openapi-spec-validator checks /api/v1/openapi.json (crates/server/tests/server/openapi.rs).
# Idempotent; fails loudly.
set -euo pipefail

venv="${HIVESYNC_PY_VENV:-$HOME/.cache/hivesync-py}"
want="openapi-spec-validator==0.7.2"

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -m pip show openapi-spec-validator 2>/dev/null | grep -q '^Version: 0.7.2$'; then
  echo "python-tools: $want already installed in $venv"
  exit 0
fi
command -v python3 >/dev/null || { echo "python-tools: python3 is required" >&2; exit 1; }
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$want"
"$venv/bin/python" -c "import openapi_spec_validator" && echo "python-tools: $want ready in $venv"
