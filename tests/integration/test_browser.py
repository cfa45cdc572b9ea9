"""The Neo4j Browser for real: headless Debian chromium, driven by playwright-core (npm),
opens a `kg browse` link to the test server loaded with the seeds, logs in, gets kg's
style from ``browser.post_connect_cmd``, runs who_beats_whom and draws the graph.

Needs /usr/bin/chromium, node and tests/integration/browser/node_modules (scripts/setup
installs all three; this test installs what is missing when it can, and skips only when
chromium or node cannot be had). The screenshot goes to test-artifacts/browser.png.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.graph.style import load_grass, post_connect_cmd
from kg.ingest.extract import extract_papers
from kg.ingest.papers import read_papers
from kg.store.writer import GraphWriter

REPO = Path(__file__).resolve().parents[2]
BROWSER_DIR = Path(__file__).resolve().parent / "browser"
SCREENSHOT = REPO / "test-artifacts" / "browser.png"


def _run(cmd: list[str], timeout: float, cwd: Path | None = None) -> bool:
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              env=dict(os.environ, DEBIAN_FRONTEND="noninteractive")).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _apt_install(*packages: str) -> None:
    """Debian packages, when apt-get is there and we are root (as on these machines and CI)."""
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        _run(["apt-get", "update", "-qq"], 600)
        _run(["apt-get", "install", "-y", "-qq", *packages], 900)


def _chromium() -> str | None:
    for path in ("/usr/bin/chromium", shutil.which("chromium")):
        if path and os.access(path, os.X_OK):
            return path
    return None


@pytest.fixture(scope="module")
def tools() -> dict[str, str]:
    """chromium, node, and playwright-core under tests/integration/browser (installed if missing)."""
    if not _chromium():
        _apt_install("chromium")
    if not shutil.which("node") or not shutil.which("npm"):
        _apt_install("nodejs", "npm")
    chromium, node, npm = _chromium(), shutil.which("node"), shutil.which("npm")
    if not chromium:
        pytest.skip("Debian's chromium is not installed and could not be installed (apt-get install chromium)")
    if not node:
        pytest.skip("node is not installed and could not be installed (apt-get install nodejs npm)")
    if not (BROWSER_DIR / "node_modules" / "playwright-core").is_dir():
        if not (npm and _run([npm, "ci", "--no-audit", "--no-fund"], 600, cwd=BROWSER_DIR)):
            pytest.skip("playwright-core could not be installed from npm (npm ci in tests/integration/browser)")
    return {"chromium": chromium, "node": node}


@pytest.fixture(scope="module")
def seeded(neo4j_driver, shared):
    papers, _ = read_papers([shared / "seeds"])
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    GraphWriter(neo4j_driver).write(extract_papers(papers))
    return neo4j_driver


def test_server_hands_the_browser_kgs_style(neo4j_driver):
    recs, _, _ = neo4j_driver.execute_query(
        "CALL dbms.clientConfig() YIELD name, value WHERE name = 'browser.post_connect_cmd' RETURN value")
    assert recs and recs[0]["value"] == post_connect_cmd()
    style = json.loads(recs[0]["value"].removeprefix("style "))
    assert style["node.Result"]["caption"] == "{value} {unit}"


def test_browser_draws_who_beats_whom_in_kgs_style(tools, seeded, neo4j_server, neo4j_settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_URI=neo4j_settings.uri, NEO4J_USERNAME=neo4j_settings.username,
               NEO4J_PASSWORD=neo4j_settings.password)
    # the method stated against most baselines: a small, readable graph
    recs, _, _ = seeded.execute_query("MATCH (w:Method)<-[:OF_METHOD]-(:Result)-[:AGAINST]->(l:Method) "
                                      "RETURN w.name AS name, count(DISTINCT l) AS n ORDER BY n DESC, name LIMIT 1")
    link = subprocess.run([sys.executable, "-m", "kg.cli", "browse", "who_beats_whom", "-p", f"method={recs[0]['name']}",
                           "--http", neo4j_server.http_url], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)
    assert link.returncode == 0, link.stderr
    url = link.stdout.strip()
    assert url.startswith(neo4j_server.http_url + "/browser/?dbms=")

    SCREENSHOT.unlink(missing_ok=True)
    args = {"url": url, "password": neo4j_settings.password, "screenshot": str(SCREENSHOT),
            "chromium": tools["chromium"], "timeout_ms": 60000}
    run = subprocess.run([tools["node"], str(BROWSER_DIR / "browser_check.mjs"), json.dumps(args)],
                         cwd=BROWSER_DIR, capture_output=True, text=True, timeout=240)
    out = json.loads(run.stdout.strip().splitlines()[-1]) if run.stdout.strip() else {}
    assert run.returncode == 0 and out.get("ok"), (out, run.stderr[-2000:])

    # the connection form was pre-filled from the URL, and the style came on connect
    assert out["boltaddress"].endswith(f"127.0.0.1:{neo4j_server.bolt_port}") and out["username"] == "neo4j"
    assert out["style_frame"]
    # a graph was drawn: SVG node and relationship elements, and the frame's summary
    m = re.fullmatch(r"Displaying (\d+) nodes?, (\d+) relationships?", out["summary"] or "")
    assert m and int(m.group(1)) > 0 and int(m.group(2)) > 0, out
    assert out["nodes"] == int(m.group(1)) and out["relationships"] >= int(m.group(2))
    # in kg's colours, with Result captions '{value} {unit}'
    grass = load_grass()
    for label in ("Method", "Result"):
        assert grass[f"node.{label}"]["color"].upper() in out["fills"], (label, out["fills"])
    assert any(re.fullmatch(r"-?\d+(\.\d+)?( \S+)?", c) for c in out["captions"]), out["captions"]
    assert SCREENSHOT.is_file() and SCREENSHOT.stat().st_size > 20_000
