"""scripts/audit's verdict on pip-audit's JSON report: a known vulnerability fails, an
unchecked package is reported (exit 3), a clean report passes. The reports have the shape
``pip-audit -f json`` writes (pip-audit 2.10)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_report.py"


def _judge(tmp_path: Path, deps: list[dict], rc: int = 0) -> subprocess.CompletedProcess:
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"dependencies": deps, "fixes": []}), encoding="utf-8")
    return subprocess.run([sys.executable, str(SCRIPT), str(report), str(rc), "--no-probe"],
                          capture_output=True, text=True, timeout=60)


def test_a_known_vulnerability_fails_the_audit(tmp_path: Path) -> None:
    res = _judge(tmp_path, [
        {"name": "rdflib", "version": "7.6.0", "vulns": []},
        {"name": "jinja2", "version": "3.1.2", "vulns": [
            {"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"], "aliases": ["CVE-2024-22195"],
             "description": "xmlattr filter allows keys with spaces"}]},
    ], rc=1)
    assert res.returncode == 1
    assert "VULNERABLE jinja2==3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)" in res.stderr


def test_unchecked_packages_are_reported_not_passed(tmp_path: Path) -> None:
    res = _judge(tmp_path, [
        {"name": "rdflib", "version": "7.6.0", "vulns": []},
        {"name": "spacy", "version": "3.8.18",
         "skip_reason": "Dependency not found on PyPI and could not be audited: spacy (3.8.18)"},
    ])
    assert res.returncode == 3
    assert "NOT AUDITED: 1 of 2 packages" in res.stderr and "spacy" in res.stderr


def test_a_clean_report_passes_and_a_missing_report_fails(tmp_path: Path) -> None:
    res = _judge(tmp_path, [{"name": "rdflib", "version": "7.6.0", "vulns": []}])
    assert res.returncode == 0 and "1 packages checked, no known vulnerabilities" in res.stdout
    res = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "none.json"), "2", "--no-probe"],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 1 and "without a report" in res.stderr
