"""GraphWriter behaviour on small invented papers, against a real Neo4j."""

from __future__ import annotations

from kg.ingest.extract import extract_papers
from kg.graph.records import Paper
from kg.store.writer import GraphWriter


def test_reextraction_replaces_only_that_paper(clean_db):
    p1 = Paper(id="a1", title="FooNet: A Test", abstract="We propose FooNet. FooNet reaches 80.1% top-1 accuracy on ImageNet-1K.")
    p2 = Paper(id="a2", title="BarNet: Another", abstract="We propose BarNet. BarNet reaches 79.0% top-1 accuracy on ImageNet-1K.")
    w = GraphWriter(clean_db)
    w.write(extract_papers([p1, p2]))
    p1b = Paper(id="a1", title=p1.title, abstract="We propose FooNet. FooNet reaches 82.4% top-1 accuracy on ImageNet-1K.")
    rep = w.write(extract_papers([p1b, p2]))
    assert (rep.written, rep.skipped) == (1, 1)
    recs, _, _ = clean_db.execute_query("MATCH (p:Paper)-[:REPORTS]->(r:Result) RETURN p.id AS id, r.value AS v ORDER BY id")
    assert [(r["id"], r["v"]) for r in recs] == [("a1", 82.4), ("a2", 79.0)]
    assert w.remove_paper("a1")
    recs, _, _ = clean_db.execute_query("MATCH (m:Method) RETURN m.name AS n")
    assert [r["n"] for r in recs] == ["BarNet"]


def test_constraints_exist_after_a_write(clean_db):
    GraphWriter(clean_db).write([])
    recs, _, _ = clean_db.execute_query("SHOW CONSTRAINTS YIELD labelsOrTypes, properties RETURN labelsOrTypes[0] AS l, properties[0] AS p")
    got = {(r["l"], r["p"]) for r in recs}
    assert {("Paper", "id"), ("Method", "key"), ("Result", "id"), ("Claim", "id")} <= got


def test_a_paper_the_server_refuses_is_rejected_and_the_rest_stored(clean_db):
    from kg.graph.records import Entity, PaperRecord

    good = [PaperRecord(id=f"g{i}", title=f"Good {i}", methods=(Entity(name=f"FooNet{i}", role="proposed"),)) for i in range(3)]
    # a 100 kB name is too large for Neo4j's key index: the server refuses that paper
    bad = PaperRecord(id="bad", title="Bad", methods=(Entity(name="X" * 100_000, role="proposed"),))
    rep = GraphWriter(clean_db, batch_size=10).write([good[0], bad, good[1], good[2]])
    assert [r[0] for r in rep.rejected] == ["bad"] and rep.rejected[0][1]
    assert rep.written == 3
    recs, _, _ = clean_db.execute_query("MATCH (p:Paper) RETURN p.id AS id ORDER BY id")
    assert [r["id"] for r in recs] == ["g0", "g1", "g2"]
