"""The dependency audit's policy (scripts/audit.sh, run by the test command; SECURITY.md).

Real pip-audit against an OSV-compatible endpoint on loopback (the test's own, as an
organisation's OSV mirror would be) that reports one advisory for ``six``: a finding fails
the audit, an advisory listed in the ignore file with its reason does not, and an unreachable
service is said out loud (and fails when an audit is required).
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ADVISORY = "PYSEC-0000-TEST"


class _OSV(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        name = (body.get("package") or {}).get("name")
        vulns = []
        if name == "six":
            vulns = [
                {
                    "id": ADVISORY,
                    "summary": "Test advisory",
                    "details": "Test advisory",
                    "affected": [{"package": {"name": "six", "ecosystem": "PyPI"}, "versions": [body.get("version")]}],
                }
            ]
        out = json.dumps({"vulns": vulns}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def osv_url():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _OSV)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    server.shutdown()


def _audit(tmp_path: Path, osv_url: str, ignore: str = "", **env) -> subprocess.CompletedProcess:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("six==1.16.0\n")
    ignore_file = tmp_path / "ignore.txt"
    ignore_file.write_text("# id  package  reason  re-check by\n" + ignore)
    return subprocess.run(
        # --disable-pip --no-deps: audit the pin as written, without building a venv (the policy
        # is under test here; the real run resolves every transitive dependency).
        ["bash", str(ROOT / "scripts" / "audit.sh"), "--disable-pip", "--no-deps"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env={
            **os.environ,
            "PLACEMAP_OSV_URL": osv_url,
            "PLACEMAP_AUDIT_REQUIREMENTS": str(requirements),
            "PLACEMAP_AUDIT_IGNORE": str(ignore_file),
            **env,
        },
    )


def test_a_known_vulnerability_fails_the_audit(tmp_path, osv_url):
    result = _audit(tmp_path, osv_url)
    assert result.returncode != 0
    assert ADVISORY in result.stdout and "six" in result.stdout


def test_an_assessed_advisory_in_the_ignore_file_passes(tmp_path, osv_url):
    result = _audit(tmp_path, osv_url, ignore=f"{ADVISORY}  six  not reachable from Placemap  2027-01-31\n")
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_service_is_said_out_loud_and_fails_when_an_audit_is_required(tmp_path):
    closed = "http://127.0.0.1:9/v1/query"  # the discard port: nothing answers
    result = _audit(tmp_path, closed, PLACEMAP_PYPI_JSON="http://127.0.0.1:9/pypi")
    assert result.returncode == 0 and "NOT AUDITED" in result.stderr
    required = _audit(tmp_path, closed, PLACEMAP_PYPI_JSON="http://127.0.0.1:9/pypi", PLACEMAP_AUDIT="required")
    assert required.returncode != 0 and "NOT AUDITED" in required.stderr
