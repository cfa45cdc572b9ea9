"""Judge a pip-audit JSON report (``pip-audit -f json``) for scripts/audit.

Usage: ``python scripts/audit_report.py REPORT.json PIP_AUDIT_EXIT_CODE [--no-probe]``.
Exit 0: every package was checked and none has a known vulnerability; 1: a known
vulnerability (each printed as one line) or no report; 3: some packages could not be
checked (pip-audit's ``skip_reason``), printed with the reason and, unless ``--no-probe``,
whether PyPI's per-version JSON API (where pip-audit reads vulnerabilities) answers.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request


def probe() -> str:
    """Why PyPI's vulnerability data may be out of reach, or "" when it answers."""
    try:
        urllib.request.urlopen("https://pypi.org/pypi/pip/24.0/json", timeout=20).read(1)
    except urllib.error.HTTPError as exc:
        return (f"; PyPI's per-version JSON API (pypi.org/pypi/<name>/<version>/json, where pip-audit reads "
                f"vulnerabilities) answers HTTP {exc.code} from here")
    except Exception as exc:  # noqa: BLE001 - any failure is the answer
        return f"; PyPI's per-version JSON API is not reachable ({exc})"
    return ""


def main(argv: list[str]) -> int:
    path, rc = argv[0], int(argv[1])
    try:
        with open(path, encoding="utf-8") as f:
            deps = json.load(f).get("dependencies", [])
    except (OSError, ValueError):
        print(f"audit: FAILED: pip-audit exited {rc} without a report", file=sys.stderr)
        return 1
    vulns = [(d["name"], d.get("version"), v) for d in deps for v in d.get("vulns", [])]
    for name, version, v in vulns:
        fixes = ", ".join(v.get("fix_versions") or []) or "no fixed version"
        print(f"audit: VULNERABLE {name}=={version}: {v.get('id')} (fixed in {fixes})", file=sys.stderr)
    if vulns:
        return 1
    skipped = [d for d in deps if d.get("skip_reason")]
    if skipped:
        why = "" if "--no-probe" in argv else probe()
        print(f"audit: NOT AUDITED: {len(skipped)} of {len(deps)} packages could not be checked "
              f"(e.g. {skipped[0]['name']}: {skipped[0]['skip_reason']}){why}", file=sys.stderr)
        return 3
    print(f"audit: {len(deps)} packages checked, no known vulnerabilities")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
