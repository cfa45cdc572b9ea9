"""A result's qualifier and setting, and metric families, in a real Neo4j: written by the
writer, read back by Cypher, reloaded idempotently, ranked by the leaderboard (boards per
metric and setting, qualified values apart, a family's variants), and exported to RDF the
same as the server-less path."""

from __future__ import annotations

from rdflib import Graph
from rdflib.compare import isomorphic

from kgrun import run_kg as _kg
from qualifier_records import CLS, family_records
from qualifier_records import res as _res

from kg.export.rdf import export_graph, records_graph
from kg.explore.queries import run_saved
from kg.graph.records import Entity, PaperRecord
from kg.export.sparql import run_sparql
from kg.graph.vocab import KG
from kg.store.writer import GraphWriter

MORE = "We propose ZedCLIP. ZedCLIP obtains 73.0% zero-shot top-1 accuracy on ImageNet-1K, and over 52 mask AP on COCO."


def records() -> list[PaperRecord]:
    return [*family_records(),
        PaperRecord(
            id="q3", title="ZedCLIP", abstract=MORE,
            methods=(Entity(name="ZedCLIP", role="proposed"),), datasets=(Entity(name="ImageNet-1K"), Entity(name="COCO")),
            metrics=(Entity(name="zero-shot top-1 accuracy"), Entity(name="mask AP")),
            results=(_res(MORE, "73.0% zero-shot top-1 accuracy", "ZedCLIP", "ImageNet-1K", "zero-shot top-1 accuracy", 73.0),
                     _res(MORE, "over 52 mask AP", "ZedCLIP", "COCO", "mask AP", 52.0, qualifier="over"))),
    ]


def _cypher(driver, text: str, **params) -> list[dict]:
    recs, _, _ = driver.execute_query(text, params)
    return [r.data() for r in recs]


RESULTS = ("MATCH (p:Paper)-[:REPORTS]->(r:Result)-[:MEASURED_BY]->(x:Metric) "
           "RETURN r.id AS id, r.value AS value, r.qualifier AS qualifier, r.setting AS setting, x.name AS metric, "
           "x.family AS family ORDER BY id")
GRAPH = ("MATCH (n) OPTIONAL MATCH (n)-[r]->() WITH n, count(r) AS out "
         "RETURN labels(n)[0] AS label, coalesce(n.id, n.key, n.url) AS key, properties(n) AS props, out ORDER BY label, key")


def _graph(driver) -> list[dict]:
    rows = _cypher(driver, GRAPH)
    for r in rows:
        r["props"].pop("loaded_at", None)
    return rows


def _board(cols, rows):
    return [(r[cols.index("metric")], r[cols.index("setting")], r[cols.index("rank")], r[cols.index("method")],
             r[cols.index("value")], r[cols.index("qualifier")]) for r in rows]


def test_qualifier_setting_and_family_are_written_and_read_back(clean_db):
    GraphWriter(clean_db).write(records())
    got = {r["id"]: r for r in _cypher(clean_db, RESULTS)}
    assert len(got) == 10
    assert (got["q1#r3"]["qualifier"], got["q1#r3"]["setting"], got["q1#r3"]["metric"]) == ("up to", None, "box AP")
    assert got["q1#r2"]["qualifier"] is None
    assert (got["q3#r1"]["qualifier"], got["q3#r1"]["metric"], got["q3#r1"]["family"]) == ("over", "mask AP", "AP")
    assert {got[i]["setting"] for i in ("q2#r0", "q3#r0")} == {"zero-shot"}  # derived from the metric's words
    assert got["q2#r1"]["setting"] == "fine-tuned" and got["q2#r2"]["setting"] == "linear probe"
    assert {got[i]["metric"] for i in ("q2#r0", "q2#r1", "q2#r2")} == {"accuracy"}  # one metric, three settings
    fams = {r["name"]: r["family"] for r in _cypher(clean_db, "MATCH (x:Metric) RETURN x.name AS name, x.family AS family")}
    assert fams == {"box AP": "AP", "mask AP": "AP", "AP": "AP", "accuracy": "accuracy"}
    idx = _cypher(clean_db, "SHOW INDEXES YIELD labelsOrTypes, properties RETURN labelsOrTypes[0] AS l, properties[0] AS p")
    assert {"l": "Metric", "p": "family"} in idx


def test_reloading_gives_the_same_graph(clean_db):
    w = GraphWriter(clean_db)
    w.write(records())
    before = _graph(clean_db)
    rep = w.write(records())
    assert (rep.written, rep.skipped) == (0, 3)
    assert _graph(clean_db) == before
    rep = w.write(records(), force=True)  # rewritten: the same nodes, ids and properties again
    assert rep.written == 3
    assert _graph(clean_db) == before
    # a changed qualifier replaces the paper's results: one Result with the new value, no leftovers
    q1 = records()[0]
    changed = q1.model_copy(update={"content_hash": "changed", "results": tuple(
        r.model_copy(update={"qualifier": "nearly"}) if r.qualifier else r for r in q1.results)})
    w.write([changed])
    got = {r["id"]: r["qualifier"] for r in _cypher(clean_db, RESULTS)}
    assert got["q1#r3"] == "nearly" and len(got) == 10


def test_leaderboard_by_family_shows_box_ap_and_mask_ap_apart(clean_db):
    GraphWriter(clean_db).write(records())
    cols, rows = run_saved(clean_db, "leaderboard", {"dataset": "COCO", "metric": "AP", "family": True})
    assert cols[:5] == ["rank", "method", "value", "qualifier", "setting"]
    assert _board(cols, rows) == [("AP", None, 1, "BazDet", 49.0, None),
                                  ("box AP", None, 1, "BarDet", 51.0, None), ("box AP", None, 2, "FooDet", 50.1, None),
                                  ("box AP", None, 3, "BarDet", 53.0, "up to"),
                                  ("mask AP", None, 1, "FooDet", 44.0, None), ("mask AP", None, 2, "ZedCLIP", 52.0, "over")]
    # the same family from any of its members; without family=true, the metric alone
    cols, again = run_saved(clean_db, "leaderboard", {"dataset": "COCO", "metric": "mask AP", "family": True})
    assert again == rows
    cols, rows = run_saved(clean_db, "leaderboard", {"dataset": "coco", "metric": "MASK AP"})
    assert _board(cols, rows) == [("mask AP", None, 1, "FooDet", 44.0, None), ("mask AP", None, 2, "ZedCLIP", 52.0, "over")]
    cols, rows = run_saved(clean_db, "leaderboard", {"dataset": "COCO", "metric": "AP", "family": True, "limit": 1})
    assert [b[:4] for b in _board(cols, rows)] == [("AP", None, 1, "BazDet"), ("box AP", None, 1, "BarDet"),
                                                   ("mask AP", None, 1, "FooDet")]


def test_leaderboard_keeps_each_setting_on_its_own_board(clean_db):
    GraphWriter(clean_db).write(records())
    cols, rows = run_saved(clean_db, "leaderboard", {"dataset": "ImageNet-1K", "metric": "accuracy"})
    assert _board(cols, rows) == [("accuracy", "fine-tuned", 1, "QuxCLIP", 85.2, None),
                                  ("accuracy", "linear probe", 1, "QuxCLIP", 80.0, None),
                                  ("accuracy", "zero-shot", 1, "ZedCLIP", 73.0, None),
                                  ("accuracy", "zero-shot", 2, "QuxCLIP", 71.4, None)]
    # the 85.2 fine-tuned value never outranks the zero-shot ones: they are on other boards
    row = dict(zip(cols, rows[0]))
    assert row["sentence"] == CLS and CLS[row["start"]:row["end"]] == "85.2% fine-tuned top-1 accuracy"


def test_export_and_sparql_twin_agree_with_the_server(clean_db):
    GraphWriter(clean_db).write(records())
    g = export_graph(clean_db)
    server = Graph()
    for t in g:
        if t[1] != KG.loadedAt:
            server.add(t)
    assert isomorphic(server, records_graph(records()))  # the new properties too, from both paths
    assert len(list(server.subject_objects(KG.qualifier))) == 2 and len(list(server.subject_objects(KG.setting))) == 4
    for params in ({"dataset": "COCO", "metric": "AP", "family": True}, {"dataset": "COCO", "metric": "box AP"},
                   {"dataset": "ImageNet-1K", "metric": "accuracy"}, {"dataset": "ImageNet-1K", "metric": "accuracy",
                                                                      "family": True, "limit": 1}):
        ccols, crows = run_saved(clean_db, "leaderboard", params)
        scols, srows = run_sparql(g, "leaderboard", params)
        assert scols == ccols and srows == [list(r) for r in crows], params


def test_query_cli_takes_the_family_parameter(clean_db, neo4j_settings):
    GraphWriter(clean_db).write(records())
    res = _kg(neo4j_settings, "query", "leaderboard", "-p", "dataset=COCO", "-p", "metric=box AP", "-p", "family=true",
              "--format", "csv")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].startswith("rank,method,value,qualifier,setting,unit,metric,dataset")
    assert any(",53.0,up to,,%,box AP,COCO," in ln for ln in lines) and any(",mask AP," in ln for ln in lines)
