"""``kg build --bulk``: CSV + neo4j-admin import into a fresh server equals the incremental build,
the graph model staged in memory, and (as RDF) the export made from the records.

The incremental reference is written by :class:`kg.store.writer.GraphWriter` into the session's
test server; the bulk build goes into a server instance of this module's own (started on
free ports under the tmp dir, stopped at the end).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.export.rdf import export_graph, records_graph
from kg.graph.model import stage
from kg.graph.vocab import KG
from kg.store.bulk import BulkError, bulk_build
from kg.store.connection import ConnectionSettings, open_driver
from kg.store.server import read_password, start, status, stop
from kg.store.writer import GraphWriter

from conftest import find_free_ports
from graphcheck import snapshot, staged_snapshot
from kgrun import REPO, run_kg

ORDERED = ("MATCH (n) WHERE n.aliases IS NOT NULL "
           "RETURN labels(n)[0] AS l, n.key AS k, n.name AS name, n.aliases AS aliases ORDER BY l, k")
CONSTRAINTS = "SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties RETURN name, labelsOrTypes, properties ORDER BY name"
INDEXES = "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name, type ORDER BY name"


def _rows(driver, q: str) -> list[dict]:
    return [r.data() for r in driver.execute_query(q).records]


def _rdf_without_load_times(driver) -> Graph:
    g = Graph()
    for t in export_graph(driver):
        if t[1] != KG.loadedAt:
            g.add(t)
    return g


@pytest.fixture(scope="module")
def incremental(neo4j_driver, seed_records):
    """The incremental build of the seeds: (snapshot, ordered names/aliases, constraints),
    and its RDF export (load times left out) in ``incremental.rdf``."""
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    GraphWriter(neo4j_driver, database="neo4j").write(seed_records)
    out = snapshot(neo4j_driver), _rows(neo4j_driver, ORDERED), _rows(neo4j_driver, CONSTRAINTS)
    _RDF["writer"] = _rdf_without_load_times(neo4j_driver)
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    return out


_RDF: dict[str, Graph] = {}


@pytest.fixture(scope="module")
def bulk_instance(tmp_path_factory, incremental):
    """A fresh server of its own, bulk-built from the seeds: (instance dir, settings, report)."""
    inst = tmp_path_factory.mktemp("bulk-instance")
    bolt, http = find_free_ports(2)
    info = start(instance_dir=inst, bolt_port=bolt, http_port=http, heap="512m", pagecache="128m", timeout=180)
    try:
        yield inst, ConnectionSettings(uri=info.bolt_uri, username="neo4j", password=read_password(inst)), info
    finally:
        stop(instance_dir=inst, timeout=30)


@pytest.fixture(scope="module")
def failed_first(bulk_instance, seed_records):
    """A bulk build whose import fails (the tool's JVM cannot start with a 1k heap), on the
    fresh instance first: (the error, the database's node count after it)."""
    inst, settings, _ = bulk_instance
    with pytest.raises(BulkError) as exc:
        bulk_build(iter(seed_records), instance_dir=inst, import_heap="1k")
    driver = open_driver(settings)
    try:
        n = driver.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
    finally:
        driver.close()
    return exc.value, n


@pytest.fixture(scope="module")
def bulk_built(bulk_instance, seed_records, failed_first):
    inst, settings, info = bulk_instance
    report = bulk_build(iter(seed_records), instance_dir=inst, csv_dir=inst / "csv")
    driver = open_driver(settings)
    try:
        yield inst, settings, info, report, driver
    finally:
        driver.close()


def test_failed_import_gives_one_line_and_leaves_the_server_empty_and_up(failed_first, bulk_instance):
    error, nodes = failed_first
    inst, settings, info = bulk_instance
    message = str(error)
    assert "neo4j-admin database import full into 'neo4j' failed" in message and "heap" in message
    assert "\n" not in message and settings.password not in message
    assert nodes == 0  # the server came back on its ports with the empty database
    assert status(instance_dir=inst).bolt_port == info.bolt_port
    assert not list(inst.glob("bulk-stash-*"))


def test_bulk_graph_equals_incremental_build(bulk_built, incremental, seed_records):
    inst, _, info, report, driver = bulk_built
    (ref_sum, ref_counts), ref_ordered, _ = incremental
    got_sum, got_counts = snapshot(driver)
    assert got_counts == ref_counts
    assert got_sum == ref_sum
    assert _rows(driver, ORDERED) == ref_ordered  # names, and aliases in first-seen order
    # every paper has its load time, typed
    rows = _rows(driver, "MATCH (p:Paper) RETURN count(p) AS n, count(p.loaded_at) AS t, "
                         "collect(DISTINCT valueType(p.loaded_at)) AS ty")
    assert rows == [{"n": len(seed_records), "t": len(seed_records), "ty": ["ZONED DATETIME NOT NULL"]}]
    assert report.csv.papers == len(seed_records) and not report.csv.rejected
    assert report.imported.nodes == sum(report.csv.nodes.values())
    assert report.imported.relationships == sum(report.csv.relationships.values())
    assert set(report.seconds) == {"csv", "import", "restart", "schema", "consolidate"}
    assert (report.labels, report.rels) == GraphWriter(driver, database="neo4j").counts()
    # the same server again: same ports, same password (the driver opened after the restart logs in)
    now = status(instance_dir=inst)
    assert (now.bolt_port, now.http_port) == (info.bolt_port, info.http_port) and now.pid != info.pid
    assert read_password(inst) == bulk_built[1].password
    print("bulk seconds:", {k: round(v, 2) for k, v in report.seconds.items()})


def test_writer_bulk_model_and_rdf_are_one_graph(bulk_built, incremental, seed_records):
    """One graph, four ways: the writer's Neo4j graph, the bulk-imported one and the graph
    model staged from the records have one checksum over their sorted node and
    relationship tuples; the RDF made from the records is isomorphic to the RDF exported
    from either Neo4j graph (load times aside: only Neo4j has them)."""
    *_, driver = bulk_built
    (writer_sum, writer_counts), _, _ = incremental
    bulk_sum, bulk_counts = snapshot(driver)
    model_sum, model_counts = staged_snapshot(stage(seed_records))
    assert writer_counts == bulk_counts == model_counts
    assert writer_sum == bulk_sum == model_sum
    from_records = records_graph(seed_records)
    from_bulk = _rdf_without_load_times(driver)
    assert len(from_records) > 10_000
    for name, g in (("writer", _RDF["writer"]), ("bulk", from_bulk)):
        assert isomorphic(from_records, g), (name, sorted(set(from_records) ^ set(g))[:3])


def test_constraints_exist_after_bulk(bulk_built, incremental):
    _, _, _, _, driver = bulk_built
    _, _, ref_constraints = incremental
    got = _rows(driver, CONSTRAINTS)
    assert got == ref_constraints and {c["labelsOrTypes"][0] for c in got} >= {"Paper", "Method", "Result", "Claim"}
    # the import data fits them: a second copy of a key is refused
    with pytest.raises(Exception, match="already exists"):
        driver.execute_query("MATCH (p:Paper) WITH p LIMIT 1 CREATE (:Paper {id: p.id})")


def _env_without_neo4j() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}


def test_second_bulk_into_non_empty_database_is_refused(bulk_built, shared):
    inst, _, _, _, driver = bulk_built
    before = snapshot(driver)
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", "--bulk", "--instance-dir", str(inst),
                           str(shared / "seeds")], cwd=REPO, env=_env_without_neo4j(),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip() and ln.startswith("error:")]
    assert len(lines) == 1 and "not empty" in lines[0] and "Traceback" not in proc.stderr
    assert snapshot(driver) == before
    with pytest.raises(BulkError, match="not empty"):
        bulk_build(iter(()), instance_dir=inst)


def test_bulk_against_another_server_says_to_use_csv_dir(neo4j_settings, tmp_path: Path):
    papers = tmp_path / "papers.jsonl"
    papers.write_text('{"id": "x1", "title": "FooNet", "abstract": "FooNet reaches 80.1% top-1 accuracy on ImageNet."}\n')
    proc = run_kg(neo4j_settings, "build", "--bulk", str(papers))
    assert proc.returncode == 2 and "--csv-dir" in proc.stderr and "NEO4J_URI" in proc.stderr
    assert neo4j_settings.password not in proc.stderr + proc.stdout
    out = tmp_path / "csv"
    proc = run_kg(neo4j_settings, "build", "--bulk", "--no-import", "--csv-dir", str(out), str(papers))
    assert proc.returncode == 0, proc.stderr
    command = proc.stdout.strip().splitlines()[-1]
    assert command.startswith("neo4j-admin database import full ") and str(out / "Paper.csv") in command
    assert (out / "Paper.csv").is_file() and (out / "kg-bulk.json").is_file()
    # the step the printed instructions give after an import there: constraints and consolidation
    proc = run_kg(neo4j_settings, "load", "/dev/null")
    assert proc.returncode == 0, proc.stderr
