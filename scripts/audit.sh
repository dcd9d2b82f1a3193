#!/usr/bin/env bash
# Audit the pinned requirements for known vulnerabilities with pip-audit (PyPA). Run by the
# test command (scripts/test.sh) and on its own. Policy for findings: SECURITY.md.
#
# pip-audit needs a vulnerability service: OSV (api.osv.dev) or PyPI's per-release JSON API.
# * one is reachable: audit in strict mode; a finding (or a package it cannot audit) fails.
# * neither is reachable (a closed network that only mirrors packages): say so loudly and
#   exit 0, unless PLACEMAP_AUDIT=required, which makes that a failure too (use it on the
#   release machine). Advisories we have assessed and accepted: scripts/audit-ignore.txt.
# PLACEMAP_OSV_URL points at another OSV query endpoint (an organisation's mirror of OSV);
# PLACEMAP_AUDIT_REQUIREMENTS / PLACEMAP_AUDIT_IGNORE replace the files audited / ignored
# (the tests use them).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet "pip-audit==2.10.1"

reachable() {  # an HTTP answer of 200 within 10 s
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$1" 2>/dev/null || true)" = "200" ]
}
osv_url=${PLACEMAP_OSV_URL:-https://api.osv.dev/v1/query}
if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -d '{}' "$osv_url" 2>/dev/null || true)" != "000" ]; then
  service=(--vulnerability-service osv --osv-url "$osv_url")
elif reachable "${PLACEMAP_PYPI_JSON:-https://pypi.org/pypi}/pip/23.0/json"; then
  service=(--vulnerability-service pypi)
else
  echo "pip-audit: NOT AUDITED - neither OSV ($osv_url) nor PyPI's per-release JSON API answers from this machine." >&2
  echo "pip-audit: run 'bash scripts/audit.sh' where one of them is reachable before a release (SECURITY.md)." >&2
  [ "${PLACEMAP_AUDIT:-}" = "required" ] && exit 1
  exit 0
fi
ignores=()
while read -r id _; do
  [[ -z "$id" || "$id" == \#* ]] || ignores+=(--ignore-vuln "$id")
done < "${PLACEMAP_AUDIT_IGNORE:-scripts/audit-ignore.txt}"
requirements=()
for file in ${PLACEMAP_AUDIT_REQUIREMENTS:-requirements.txt requirements-dev.txt}; do requirements+=(-r "$file"); done
echo "pip-audit: auditing ${requirements[*]} with ${service[*]}" >&2
exec .venv/bin/pip-audit --strict --progress-spinner off "${service[@]}" "${requirements[@]}" "${ignores[@]}" "$@"
