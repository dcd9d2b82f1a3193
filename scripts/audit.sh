#!/usr/bin/env bash
# Audit the pinned requirements for known vulnerabilities with pip-audit (PyPA).
# Needs PyPI's JSON API or OSV (api.osv.dev) to be reachable; --strict makes an unauditable
# package a failure rather than a silent skip. See SECURITY.md for what to do with findings.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet "pip-audit==2.10.1"
exec .venv/bin/pip-audit --strict --progress-spinner off -r requirements.txt -r requirements-dev.txt "$@"
