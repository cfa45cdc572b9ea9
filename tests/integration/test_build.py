"""The main job against a real Neo4j: build the seeds, build again, query, export RDF."""

from __future__ import annotations

import json
import re

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kgrun import run_kg as _kg

from kg.export.rdf import export_graph
from kg.explore.queries import run_saved
from kg.graph.records import Paper
from kg.store.writer import GraphWriter


@pytest.fixture(scope="module")
def seed_graph(neo4j_driver, seed_records):
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    GraphWriter(neo4j_driver).write(seed_records)
    return neo4j_driver


def test_cli_build_twice_is_idempotent(neo4j_settings, neo4j_driver, shared):
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    first = _kg(neo4j_settings, "build", str(shared / "seeds"), "--format", "json")
    assert first.returncode == 0, first.stderr
    counts1 = json.loads(first.stdout)
    assert {r["name"] for r in counts1 if r["kind"] == "node"} >= {"Paper", "Method", "Dataset", "Metric", "Task", "Result", "Claim", "Repository"}
    assert next(r["count"] for r in counts1 if r["name"] == "Paper") == 268
    second = _kg(neo4j_settings, "build", str(shared / "seeds"), "--format", "json")
    assert second.returncode == 0, second.stderr
    assert "268 unchanged" in second.stderr
    forced = _kg(neo4j_settings, "build", str(shared / "seeds"), "--force", "--format", "json")
    assert forced.returncode == 0, forced.stderr
    assert json.loads(second.stdout) == counts1 == json.loads(forced.stdout)


def test_every_result_and_claim_links_to_its_paper_with_provenance(seed_graph):
    recs, _, _ = seed_graph.execute_query(
        "MATCH (r:Result) OPTIONAL MATCH (p:Paper)-[:REPORTS]->(r) "
        "RETURN r.text AS text, r.start AS s, r.end AS e, r.field AS f, p.abstract AS abstract, p.title AS title")
    assert recs
    for r in recs:
        src = r["abstract"] if r["f"] == "abstract" else r["title"]
        assert src is not None and src[r["s"]:r["e"]] == r["text"]
    orphans, _, _ = seed_graph.execute_query("MATCH (c:Claim) WHERE NOT ()-[:MAKES]->(c) RETURN count(c) AS n")
    assert orphans[0]["n"] == 0
    claims, _, _ = seed_graph.execute_query(
        "MATCH (p:Paper)-[:MAKES]->(c:Claim) RETURN c.sentence AS sentence, c.start AS s, c.end AS e, c.field AS f, "
        "c.confidence AS conf, c.extractor AS rule, p.abstract AS abstract, p.title AS title")
    assert claims
    for c in claims:
        src = c["abstract"] if c["f"] == "abstract" else c["title"]
        assert src[c["s"]:c["e"]] == c["sentence"] and 0 < c["conf"] <= 1 and c["rule"].startswith("claim_")


def test_leaderboard_values_appear_in_the_abstracts(seed_graph, seed_records):
    cols, rows = run_saved(seed_graph, "benchmarks", {"limit": 5})
    assert rows, "the seeds report at least one benchmark"
    best = dict(zip(cols, rows[0]))
    cols, rows = run_saved(seed_graph, "leaderboard", {"dataset": best["dataset"], "metric": best["metric"]})
    assert rows
    by_id = {r.id: r for r in seed_records}
    boards: dict[tuple, list[dict]] = {}  # one board per (metric, setting), in the query's order
    for row in (dict(zip(cols, r)) for r in rows):
        abstract = by_id[row["paper_id"]].abstract
        assert row["sentence"] in abstract
        shown = re.escape(f"{row['value']:g}")
        assert re.search(rf"(?<![\d.]){shown}", row["sentence"]), row
        boards.setdefault((row["metric"], row["setting"]), []).append(row)
    assert [k for k in boards] == sorted(boards, key=lambda k: (k[0], k[1] or ""))
    for board in boards.values():
        hib = board[0]["higher_is_better"]
        assert [r["rank"] for r in board] == list(range(1, len(board) + 1))
        plain = [r["value"] for r in board if r["qualifier"] is None]
        qualified = [r["value"] for r in board if r["qualifier"] is not None]
        assert plain == sorted(plain, reverse=hib is not False)  # ranked by the metric's direction
        assert [r["qualifier"] is not None for r in board] == [False] * len(plain) + [True] * len(qualified)


def test_paper_and_head_to_head_queries(seed_graph, seed_records):
    rec = next(r for r in seed_records if any(x.compared_to and x.method for x in r.results))
    cols, rows = run_saved(seed_graph, "paper", {"paper": rec.id})
    sections = {r[cols.index("section")] for r in rows}
    assert {"method", "result"} <= sections
    res = next(r for r in rec.results if r.compared_to and r.method)
    cols, rows = run_saved(seed_graph, "head_to_head", {"method_a": res.method, "method_b": res.compared_to})
    assert any(r[cols.index("basis")] == "direct comparison" and r[cols.index("value_a")] == res.value for r in rows)


def test_query_cli_formats_and_bad_parameters(neo4j_settings, seed_graph):
    ok = _kg(neo4j_settings, "query", "benchmarks", "-p", "limit=3", "--format", "csv")
    assert ok.returncode == 0 and ok.stdout.splitlines()[0] == "dataset,metric,higher_is_better,methods,papers,results"
    bad = _kg(neo4j_settings, "query", "leaderboard", "-p", "datset=COCO")
    assert bad.returncode == 2 and "valid: dataset, family, limit, metric" in bad.stderr and "Traceback" not in bad.stderr


def test_rdf_export_parses_back_isomorphic(seed_graph, tmp_path):
    g = export_graph(seed_graph)
    assert len(g) > 1000
    for fmt in ("turtle", "nt", "json-ld", "xml"):
        data = g.serialize(format=fmt)
        back = Graph().parse(data=data, format=fmt)
        assert isomorphic(g, back), fmt


def test_rdf_export_cli_writes_turtle(neo4j_settings, seed_graph, tmp_path):
    out = tmp_path / "graph.ttl"
    res = _kg(neo4j_settings, "export", "rdf", "-o", str(out))
    assert res.returncode == 0, res.stderr
    g = Graph().parse(out, format="turtle")
    papers = list(g.subjects(predicate=None, object=None))
    assert papers and len(g) > 1000
