"""RDF export of the seed graph on a real Neo4j: shapes, round trips, the records path, stable
IRIs, and SPARQL twins returning the Cypher queries' rows."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kg.export.rdf import DEFAULT_BASE, export_graph, iter_triples, records_graph, validate, write_rdf
from kg.explore.queries import list_queries, run_read, run_saved
from kg.export.sparql import run_sparql
from kg.graph.vocab import KG
from kg.store.writer import GraphWriter

REPO = Path(__file__).resolve().parents[2]

# used when queries/provenance.cypher is not there: the same rows, for the comparison
PROVENANCE_CYPHER = """
MATCH (r:Result {id: $result})
MATCH (p:Paper)-[:REPORTS]->(r)
OPTIONAL MATCH (r)-[:OF_METHOD]->(m:Method)
OPTIONAL MATCH (r)-[:ON_DATASET]->(d:Dataset)
OPTIONAL MATCH (r)-[:MEASURED_BY]->(x:Metric)
OPTIONAL MATCH (r)-[:AGAINST]->(b:Method)
CALL (r) {
  OPTIONAL MATCH (c:Claim)-[:SUPPORTED_BY]->(r)
  WITH c ORDER BY c.id
  RETURN collect(c.id + ' ' + c.type) AS claims
}
RETURN r.id AS result_id, p.id AS paper_id, p.title AS paper, r.field AS field, r.start AS start, r.end AS end,
       r.text AS text, r.sentence AS sentence, r.extractor AS extractor, r.extractor_version AS extractor_version,
       r.confidence AS confidence, r.value AS value, r.value_max AS value_max, r.unit AS unit, r.kind AS kind,
       m.name AS method, d.name AS dataset, x.name AS metric, b.name AS against, claims
"""


@pytest.fixture(scope="module")
def seed_graph(neo4j_driver, seed_records):
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    GraphWriter(neo4j_driver).write(seed_records)
    return neo4j_driver


@pytest.fixture(scope="module")
def exported(seed_graph) -> Graph:
    return export_graph(seed_graph)


def _without_loaded_at(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        if t[1] != KG.loadedAt:
            out.add(t)
    return out


def _iris(g: Graph, base: str = DEFAULT_BASE) -> set[str]:
    return {str(t) for tr in g for t in tr if isinstance(t, URIRef) and str(t).startswith(base)}


# --- the export ----------------------------------------------------------------------------

def test_seed_export_conforms_to_the_shapes(exported):
    assert len(exported) > 10_000
    v = validate(exported)
    assert v.conforms, v.violations[:10]


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "xml"])
def test_streamed_export_parses_back_isomorphic(seed_graph, exported, fmt):
    buf = io.BytesIO()
    n, _ = write_rdf(iter_triples(seed_graph, batch_size=97), buf, fmt)  # small pages: paging is exercised
    assert n == len(exported)
    back = Graph().parse(data=buf.getvalue(), format={"jsonld": "json-ld"}.get(fmt, fmt))
    assert isomorphic(exported, back), fmt


def test_records_path_builds_the_graph_neo4j_holds(exported, seed_records):
    """`kg export rdf --records` equals the export of the same records loaded into Neo4j (keys,
    names, aliases, merges, variants, provenance), but for Neo4j's load timestamps."""
    staged = records_graph(seed_records)
    neo = _without_loaded_at(exported)
    assert len(exported) - len(neo) == 268
    if not isomorphic(staged, neo):
        only_staged, only_neo = set(staged) - set(neo), set(neo) - set(staged)
        pytest.fail(f"{len(only_staged)} triples only from records, {len(only_neo)} only from Neo4j; e.g. "
                    f"{sorted(only_staged)[:3]} / {sorted(only_neo)[:3]}")


# --- SPARQL twins ----------------------------------------------------------------------------

def _benchmarks(driver) -> list[tuple[str, str]]:
    cols, rows = run_saved(driver, "benchmarks", {"limit": 50})
    return [(r[cols.index("dataset")], r[cols.index("metric")]) for r in rows]


def test_leaderboard_sparql_returns_the_cypher_rows_for_every_benchmark(seed_graph, exported):
    benchmarks = _benchmarks(seed_graph)
    assert len(benchmarks) >= 5
    cases = [{"dataset": d, "metric": x} for d, x in benchmarks]
    d, x = benchmarks[0]
    cases += [{"dataset": d.lower(), "metric": x.upper(), "limit": 3}, {"dataset": d, "metric": x, "limit": 1}]
    compared = 0
    for params in cases:
        ccols, crows = run_saved(seed_graph, "leaderboard", params)
        scols, srows = run_sparql(exported, "leaderboard", params)
        assert scols == ccols
        assert srows == [list(r) for r in crows], params
        compared += len(crows)
    assert compared >= 20


def _h2h_key(row: list) -> tuple:
    return tuple("" if v is None else str(v) for v in row)


def test_head_to_head_sparql_returns_the_cypher_rows(seed_graph, exported):
    direct, _, _ = seed_graph.execute_query(
        "MATCH (r:Result)-[:OF_METHOD]->(a:Method), (r)-[:AGAINST]->(b:Method) "
        "RETURN DISTINCT a.name AS a, b.name AS b ORDER BY a, b LIMIT 6")
    shared, _, _ = seed_graph.execute_query(
        "MATCH (a:Method)<-[:OF_METHOD]-(ra:Result {kind: 'absolute'})-[:ON_DATASET]->(d:Dataset)"
        "<-[:ON_DATASET]-(rb:Result {kind: 'absolute'})-[:OF_METHOD]->(b:Method) "
        "WHERE ra <> rb AND EXISTS { (ra)-[:MEASURED_BY]->(:Metric)<-[:MEASURED_BY]-(rb) } "
        "RETURN DISTINCT a.name AS a, b.name AS b ORDER BY a, b LIMIT 6")
    pairs = [(r["a"], r["b"]) for r in [*direct, *shared]]
    assert len(pairs) >= 6
    pairs.append((pairs[0][0].lower(), pairs[0][1].upper()))  # the case-insensitive fallback
    bases = set()
    for a, b in pairs:
        params = {"method_a": a, "method_b": b}
        ccols, crows = run_saved(seed_graph, "head_to_head", params)
        scols, srows = run_sparql(exported, "head_to_head", params)
        assert scols == ccols and crows, params
        assert sorted(map(_h2h_key, srows)) == sorted(map(_h2h_key, crows)), params
        order = [ccols.index(c) for c in ("basis", "dataset", "metric")]
        assert [[r[i] for i in order] for r in srows] == [[r[i] for i in order] for r in crows], params
        bases |= {r[0] for r in crows}
    assert bases == {"shared benchmark", "direct comparison"}


def test_provenance_sparql_returns_the_cypher_rows(seed_graph, exported):
    picks, _, _ = seed_graph.execute_query("""
        MATCH (r:Result) WITH r ORDER BY r.id
        WITH collect(r) AS rs
        RETURN [r IN rs WHERE EXISTS { (:Claim)-[:SUPPORTED_BY]->(r) }][0..3]
             + [r IN rs WHERE EXISTS { (r)-[:AGAINST]->() }][0..2]
             + [r IN rs WHERE r.value_max IS NOT NULL][0..1]
             + [r IN rs WHERE NOT EXISTS { (r)-[:OF_METHOD]->() }][0..1]
             + [r IN rs WHERE r.field = 'title'][0..1] AS picks""")
    ids = sorted({r["id"] for r in picks[0]["picks"]})
    assert len(ids) >= 5
    saved = "provenance" in list_queries()
    for rid in ids + ["no such result"]:
        if saved:
            ccols, crows = run_saved(seed_graph, "provenance", {"result": rid})
        else:
            ccols, crows = run_read(seed_graph, PROVENANCE_CYPHER, {"result": rid})
        scols, srows = run_sparql(exported, "provenance", {"result": rid})
        assert scols == ccols
        ci = ccols.index("claims")
        expect = [[*r[:ci], "; ".join(r[ci]), *r[ci + 1:]] for r in crows]  # SPARQL has no lists
        assert srows == expect, rid


def test_cli_exports_validates_and_queries_the_server(neo4j_settings, seed_graph, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_URI=neo4j_settings.uri, NEO4J_USERNAME=neo4j_settings.username,
               NEO4J_PASSWORD=neo4j_settings.password)

    def kg(*args):
        return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=600)

    out = tmp_path / "seeds.nt"
    res = kg("export", "rdf", "--format", "nt", "-o", str(out), "--validate", "--batch-size", "500")
    assert res.returncode == 0, res.stderr
    assert "valid" in res.stderr
    d, x = _benchmarks(seed_graph)[0]
    cy = kg("query", "leaderboard", "-p", f"dataset={d}", "-p", f"metric={x}", "--format", "json")
    sp = kg("sparql", "leaderboard", "-p", f"dataset={d}", "-p", f"metric={x}", "--rdf", str(out), "--format", "json")
    assert cy.returncode == 0 and sp.returncode == 0, sp.stderr
    assert json.loads(sp.stdout) == json.loads(cy.stdout) != []


# --- stable IRIs (reloads the database: keep last) -----------------------------------------------

def test_iris_are_the_same_after_a_reload_in_another_order(seed_graph, exported, seed_records):
    again = export_graph(seed_graph)
    assert isomorphic(exported, again)  # export twice: the same graph
    before = _iris(exported)
    seed_graph.execute_query("MATCH (n) DETACH DELETE n")
    GraphWriter(seed_graph, batch_size=50).write(list(reversed(seed_records)))
    after = export_graph(seed_graph, base="http://example.org/kg/")
    moved = {i.replace("http://example.org/kg/", DEFAULT_BASE) for i in _iris(after, "http://example.org/kg/")}
    assert moved == before
    assert not _iris(after)  # nothing left under the default base
