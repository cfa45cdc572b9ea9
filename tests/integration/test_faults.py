"""Server faults and concurrency, each against a Neo4j instance of its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from graphcheck import key_checksum, snapshot

from kg.store.connection import ConnectionSettings, open_driver
from kg.store.server import read_password, start, stop

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def own_server(tmp_path, free_ports):
    """A server nobody else uses (it gets killed)."""
    inst = tmp_path / "inst"
    bolt, http = free_ports(2)
    info = start(instance_dir=inst, bolt_port=bolt, http_port=http, heap="512m", pagecache="128m", timeout=180)
    yield info, inst, (bolt, http)
    stop(instance_dir=inst, timeout=30)


def _env(info, inst) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_URI=info.bolt_uri, NEO4J_USERNAME="neo4j", NEO4J_PASSWORD=read_password(inst))
    return env


def _kg(env, *args, **kw):
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=600, **kw)


def _driver(info, inst):
    return open_driver(ConnectionSettings(uri=info.bolt_uri, username="neo4j", password=read_password(inst)))


def test_no_server_gives_a_clear_error_not_a_traceback(tmp_path, free_ports):
    (port,) = free_ports(1)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_URI=f"bolt://127.0.0.1:{port}", NEO4J_PASSWORD="not-a-real-password")
    papers = tmp_path / "p.jsonl"
    papers.write_text('{"id": "a", "title": "FooNet", "abstract": "FooNet reaches 80% accuracy on COCO."}\n')
    res = _kg(env, "build", str(papers))
    assert res.returncode == 2
    assert "cannot reach Neo4j" in res.stderr and "Traceback" not in res.stderr
    assert "not-a-real-password" not in res.stderr + res.stdout


def test_server_killed_mid_build_then_rebuilt_equals_a_clean_build(own_server, shared, tmp_path):
    info, inst, (bolt, http) = own_server
    env = _env(info, inst)
    seeds = str(shared / "seeds")
    ok = _kg(env, "build", seeds)
    assert ok.returncode == 0, ok.stderr
    degree = "MATCH (p:Paper) RETURN p.id AS id, count { (p)-->() } AS n"
    with _driver(info, inst) as d:
        reference = snapshot(d)
        reference_keys = key_checksum(d)
        ref_degree = {r["id"]: r["n"] for r in d.execute_query(degree)[0]}
        d.execute_query("MATCH (n) DETACH DELETE n")
    # small batches so the kill lands between commits
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", seeds, "--batch-size", "5"], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    stored = 0
    with _driver(info, inst) as d:
        while time.time() < deadline and proc.poll() is None:
            stored = d.execute_query("MATCH (p:Paper) RETURN count(p) AS n")[0][0]["n"]
            if stored >= 20:
                break
            time.sleep(0.05)
    assert proc.poll() is None, "the build finished before the server could be killed"
    os.kill(info.pid, signal.SIGKILL)
    out, errtext = proc.communicate(timeout=300)
    assert proc.returncode == 2 and "Traceback" not in errtext
    # restart the same instance and run the same build again
    info2 = start(instance_dir=inst, bolt_port=bolt, http_port=http, heap="512m", pagecache="128m", timeout=180)
    with _driver(info2, inst) as d:
        partial = d.execute_query("MATCH (p:Paper) RETURN count(p) AS n")[0][0]["n"]
        assert 0 < partial < 268  # some papers were stored ...
        got_degree = {r["id"]: r["n"] for r in d.execute_query(degree)[0]}
        assert {k: ref_degree[k] for k in got_degree} == got_degree  # ... each with all its links
    again = _kg(_env(info2, inst), "build", seeds)
    assert again.returncode == 0, again.stderr
    assert f"{partial} unchanged" in again.stderr  # stored papers are skipped by content hash
    with _driver(info2, inst) as d:
        after_keys, after = key_checksum(d), snapshot(d)
    report = (f"| server killed (SIGKILL) mid-build after >= 20 of 268 papers | {partial} papers stored, "
              f"each whole | clean build: keys {reference_keys[:12]}, graph {reference[0][:12]} | rebuilt: keys "
              f"{after_keys[:12]}, graph {after[0][:12]} |\n")
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    (REPO / "test-artifacts" / "faults.md").write_text(report, encoding="utf-8")
    assert after_keys == reference_keys
    assert after == reference


def test_two_concurrent_builds_over_overlapping_inputs(own_server, shared, tmp_path):
    info, inst, _ = own_server
    env = _env(info, inst)
    files = sorted((shared / "seeds").glob("*.txt"))
    # A = files 0-2, B = files 1-3: papers of files 1 and 2 are built by both at once
    procs = [subprocess.Popen([sys.executable, "-m", "kg.cli", "build", *map(str, part), "--batch-size", "10"],
                              cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for part in (files[:3], files[1:])]
    outs = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-3000:] for o in outs]
    with _driver(info, inst) as d:
        for label, key in (("Paper", "id"), ("Method", "key"), ("Dataset", "key"), ("Metric", "key"), ("Task", "key"),
                           ("Result", "id")):
            dup = d.execute_query(f"MATCH (n:{label}) WITH n.{key} AS k, count(*) AS c WHERE c > 1 RETURN count(k) AS n")
            assert dup[0][0]["n"] == 0, label
        got = snapshot(d)
        d.execute_query("MATCH (n) DETACH DELETE n")
    ok = _kg(env, "build", str(shared / "seeds"))
    assert ok.returncode == 0
    with _driver(info, inst) as d:
        assert snapshot(d)[1] == got[1]
