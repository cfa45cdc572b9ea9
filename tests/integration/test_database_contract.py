"""The command line's contracts against a real server: ``NEO4J_DATABASE`` reaches every
command (a missing database fails at once, in one line, exit 2, writing nothing anywhere),
and ``kg neo4j`` errors exit 2 (README "Exit codes").

Neo4j Community has only the ``neo4j`` and ``system`` databases, so the error path uses a
database that does not exist and the happy path names ``neo4j`` explicitly.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from kgrun import REPO, kg_env

MISSING = "nosuchdb"


def _kg(settings, *args: str, database: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    env = kg_env(settings)
    if database is not None:
        env["NEO4J_DATABASE"] = database
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=timeout)


def _error_lines(res: subprocess.CompletedProcess) -> list[str]:
    return [ln for ln in res.stderr.splitlines() if ln.strip()]


def _footprint(driver) -> tuple[int, int, int]:
    """(nodes, relationships, constraints + indexes) of the default database."""
    def one(q: str) -> int:
        return driver.execute_query(q, database_="neo4j").records[0]["n"]

    return (one("MATCH (n) RETURN count(n) AS n"), one("MATCH ()-[r]->() RETURN count(r) AS n"),
            one("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n") + one("SHOW INDEXES YIELD name RETURN count(*) AS n"))


@pytest.fixture
def seed_file(shared):
    return sorted((shared / "seeds").glob("*.txt"))[0]


def test_build_into_a_missing_database_fails_in_one_line_with_exit_2_and_writes_nothing(
        neo4j_settings, clean_db, seed_file):
    before = _footprint(clean_db)
    res = _kg(neo4j_settings, "build", str(seed_file), database=MISSING)
    assert res.returncode == 2, res.stderr
    lines = _error_lines(res)
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("error: E207") and f"'{MISSING}'" in lines[0] and "neo4j" in lines[0]
    assert "Traceback" not in res.stderr and neo4j_settings.password not in res.stderr + res.stdout
    assert _footprint(clean_db) == before


def test_build_into_a_missing_database_leaves_a_loaded_default_database_as_it_was(
        neo4j_settings, clean_db, seed_file):
    ok = _kg(neo4j_settings, "build", str(seed_file), database="neo4j")
    assert ok.returncode == 0, ok.stderr
    before = _footprint(clean_db)
    assert before[0] > 0
    res = _kg(neo4j_settings, "build", "--force", str(seed_file), database=MISSING)
    assert res.returncode == 2 and len(_error_lines(res)) == 1, res.stderr
    assert _footprint(clean_db) == before


@pytest.mark.parametrize("args", [
    ("load", "{records}"),
    ("query", "paper", "-p", "paper=x"),
    ("query", "--cypher", "RETURN 1 AS one"),
    ("stats",),
    ("remove", "x"),
    ("analytics",),
    ("viz", "-o", "{tmp}/v.html"),
    ("viz", "paper", "-p", "paper=x", "-o", "{tmp}/v.html"),
    ("export", "rdf", "-o", "{tmp}/g.nt", "--format", "nt"),
], ids=lambda a: " ".join(a[:2]))
def test_every_command_that_reads_or_writes_uses_the_named_database(neo4j_settings, clean_db, tmp_path, args):
    records = tmp_path / "r.jsonl"
    records.write_text('{"id": "a", "title": "FooNet"}\n')
    before = _footprint(clean_db)
    argv = [a.format(records=records, tmp=tmp_path) for a in args]
    res = _kg(neo4j_settings, *argv, database=MISSING)
    assert res.returncode == 2, res.stdout + res.stderr
    lines = _error_lines(res)
    assert len(lines) == 1 and lines[0].startswith("error: E207") and MISSING in lines[0], res.stderr
    assert not res.stdout.strip()
    assert _footprint(clean_db) == before
    assert not (tmp_path / "v.html").exists() and not (tmp_path / "g.nt").exists()


def test_the_named_database_neo4j_gets_the_writes_and_answers_the_reads(neo4j_settings, clean_db, seed_file, tmp_path):
    res = _kg(neo4j_settings, "build", str(seed_file), "-f", "json", database="neo4j")
    assert res.returncode == 0, res.stderr
    nodes = clean_db.execute_query("MATCH (p:Paper) RETURN count(p) AS n", database_="neo4j").records[0]["n"]
    assert nodes > 0
    q = _kg(neo4j_settings, "query", "--cypher", "MATCH (p:Paper) RETURN count(p) AS n", "-f", "json", database="neo4j")
    assert q.returncode == 0 and '"n": %d' % nodes in q.stdout, q.stderr
    st = _kg(neo4j_settings, "stats", "-f", "json", database="neo4j")
    assert st.returncode == 0 and '"Paper": %d' % nodes in st.stdout, st.stderr
    out = tmp_path / "g.nt"
    ex = _kg(neo4j_settings, "export", "rdf", "-o", str(out), "--format", "nt", database="neo4j")
    assert ex.returncode == 0 and out.stat().st_size > 0, ex.stderr


# --- kg neo4j: errors exit 2 ---------------------------------------------------------------

def _kg_neo4j(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", "neo4j", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=300)


def test_neo4j_start_on_a_taken_port_exits_2_in_one_line(neo4j_server, tmp_path, free_ports):
    (http,) = free_ports(1)
    res = _kg_neo4j("start", "--instance-dir", str(tmp_path / "inst"), "--bolt-port", str(neo4j_server.bolt_port),
                    "--http-port", str(http))
    assert res.returncode == 2, res.stdout + res.stderr
    lines = _error_lines(res)
    assert len(lines) == 1 and lines[0].startswith("error:") and str(neo4j_server.bolt_port) in lines[0], res.stderr
    assert "Traceback" not in res.stderr


def test_neo4j_start_with_one_port_for_bolt_and_http_exits_2(tmp_path, free_ports):
    (port,) = free_ports(1)
    res = _kg_neo4j("start", "--instance-dir", str(tmp_path / "inst"), "--bolt-port", str(port),
                    "--http-port", str(port))
    assert res.returncode == 2 and "must differ" in res.stderr and len(_error_lines(res)) == 1, res.stderr


def test_neo4j_status_of_a_stopped_instance_exits_3_and_stop_exits_0(tmp_path):
    assert _kg_neo4j("status", "--instance-dir", str(tmp_path)).returncode == 3
    stop = _kg_neo4j("stop", "--instance-dir", str(tmp_path))
    assert stop.returncode == 0 and "not running" in stop.stdout


def test_neo4j_usage_errors_exit_2(tmp_path):
    assert _kg_neo4j("status", "--format", "csv", "--instance-dir", str(tmp_path)).returncode == 2
    assert _kg_neo4j("start", "--bolt-port", "not-a-port").returncode == 2
