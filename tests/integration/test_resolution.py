"""Entity resolution and incremental loads against a real Neo4j (issue: one entity, one node)."""

from __future__ import annotations


import pytest

from kg.extractors.assemble import norm_key
from graphcheck import snapshot
from kg.explore.queries import run_saved
from kg.graph.records import Entity, PaperRecord, Provenance, Result
from kg.store.writer import GraphWriter

# Surface forms that occur in the seed abstracts and name the same thing.
ALIAS_GROUPS = {
    "Dataset": [("COCO", "MS COCO", "MSCOCO"), ("ImageNet-1K", "ImageNet-1k", "IN-1K"), ("CIFAR-10", "CIFAR10"),
                ("CIFAR-100", "CIFAR100"), ("Tiny ImageNet", "TinyImageNet"), ("Flickr30k", "Flickr30K"),
                ("Video-MME", "VideoMME"), ("NYUv2", "NYUDv2", "NYUD-v2"), ("Objects365", "Object365")],
    "Metric": [("top-1 accuracy", "Top-1 accuracy", "top1 accuracy", "accuracy"), ("FLOPs", "GFLOPs", "FLOPS"),
               ("speedup", "speed-up"), ("FID", "FID scores"), ("dice", "Dice", "Dice scores"),
               ("computational cost", "computation cost", "computational costs")],
}
# Different things that must stay apart.
DISTINCT = [("Method", "GPT-4", "GPT-4o"), ("Method", "ResNet-50", "ResNet-18"), ("Dataset", "CIFAR-10", "CIFAR-100"),
            ("Dataset", "ImageNet", "ImageNet-1K"), ("Dataset", "ImageNet-1K", "ImageNet-21K"),
            ("Method", "LLaVA-1.5-7B", "LLaVA-1.5-13B"), ("Dataset", "LiTS", "LiTS 2017")]


def _load(driver, records):
    driver.execute_query("MATCH (n) DETACH DELETE n")
    GraphWriter(driver).write(records)


def _nodes_with(driver, label: str, form: str) -> set[str]:
    recs, _, _ = driver.execute_query(f"MATCH (n:{label}) WHERE $f IN n.aliases OR n.name = $f RETURN n.key AS k", f=form)
    return {r["k"] for r in recs}


def test_alias_groups_are_one_node_each(neo4j_driver, seed_records):
    _load(neo4j_driver, seed_records)
    checked = 0
    for label, groups in ALIAS_GROUPS.items():
        for group in groups:
            present = {f: _nodes_with(neo4j_driver, label, f) for f in group}
            present = {f: k for f, k in present.items() if k}
            if len(present) >= 2:
                checked += 1
                keys = set().union(*present.values())
                assert len(keys) == 1, (label, present)
    assert checked >= 8  # the groups above do occur in the seeds
    for label in ("Dataset", "Metric"):
        recs, _, _ = neo4j_driver.execute_query(f"MATCH (n:{label}) RETURN n.key AS k, n.aliases AS a")
        owner: dict[str, str] = {}
        for r in recs:
            for a in r["a"]:
                other = owner.setdefault(norm_key(a), r["k"])
                assert other == r["k"], f"{label} nodes {other} and {r['k']} share the alias {a!r}"


def test_distinct_things_stay_apart(neo4j_driver, seed_records):
    _load(neo4j_driver, seed_records)
    seen = 0
    for label, a, b in DISTINCT:
        ka, kb = _nodes_with(neo4j_driver, label, a), _nodes_with(neo4j_driver, label, b)
        if ka and kb:
            seen += 1
            assert not ka & kb, (label, a, b)
    assert seen >= 5


def test_variants_link_to_their_family(neo4j_driver, seed_records):
    _load(neo4j_driver, seed_records)
    recs, _, _ = neo4j_driver.execute_query(
        "MATCH (v:Method)-[:VARIANT_OF]->(f:Method) RETURN v.name AS v, f.name AS f")
    pairs = {(r["v"], r["f"]) for r in recs}
    assert ("Llama2-70B", "Llama 2") in pairs or ("LLAMA2-70B", "Llama 2") in pairs
    assert ("RT-DETR-R50", "RT-DETR") in pairs
    assert all(v != f for v, f in pairs)


def _prov(s: str) -> Provenance:
    return Provenance(sentence=s, start=0, end=len(s), extractor="test", confidence=0.9)


def _paper(pid: str, method: str, value: float, metric: str = "FID", dataset: str = "FrobSet") -> PaperRecord:
    return PaperRecord(id=pid, title=f"{method} paper", abstract=f"{method} reaches {value} {metric} on {dataset}.",
                       methods=(Entity(name=method, role="proposed"),), datasets=(Entity(name=dataset),),
                       metrics=(Entity(name=metric),),
                       results=(Result(method=method, dataset=dataset, metric=metric, value=value, kind="absolute",
                                       text=f"{value} {metric}", provenance=_prov(f"{method} reaches")),))


def test_lower_is_better_leaderboard_ranks_smallest_first(clean_db):
    GraphWriter(clean_db).write([_paper("f1", "FooGAN", 3.5), _paper("f2", "BarGAN", 1.9), _paper("f3", "BazGAN", 7.0)])
    cols, rows = run_saved(clean_db, "leaderboard", {"dataset": "FrobSet", "metric": "FID"})
    got = [(r[cols.index("method")], r[cols.index("value")]) for r in rows]
    assert got == [("BarGAN", 1.9), ("FooGAN", 3.5), ("BazGAN", 7.0)]
    assert rows[0][cols.index("higher_is_better")] is False
    GraphWriter(clean_db).write([_paper("a1", "FooNet", 71.0, "top-1 accuracy"), _paper("a2", "BarNet", 80.5, "accuracy")])
    cols, rows = run_saved(clean_db, "leaderboard", {"dataset": "FrobSet", "metric": "accuracy"})
    assert [r[cols.index("value")] for r in rows] == [80.5, 71.0]


def test_seed_leaderboard_of_a_lower_is_better_metric(neo4j_driver, seed_records):
    _load(neo4j_driver, seed_records)
    cols, rows = run_saved(neo4j_driver, "benchmarks", {"limit": 100})
    low = [dict(zip(cols, r)) for r in rows if r[cols.index("higher_is_better")] is False and r[cols.index("methods")] >= 2]
    if not low:
        pytest.skip("no lower-is-better benchmark with two methods in this extraction of the seeds")
    b = low[0]
    cols, rows = run_saved(neo4j_driver, "leaderboard", {"dataset": b["dataset"], "metric": b["metric"]})
    assert len(rows) >= 2
    boards: dict[tuple, list[float]] = {}  # one board per (metric, setting); plain values ranked, qualified after
    for r in (dict(zip(cols, row)) for row in rows):
        if r["qualifier"] is None:
            boards.setdefault((r["metric"], r["setting"]), []).append(r["value"])
    assert boards and all(values == sorted(values) for values in boards.values()), boards


def test_build_a_then_b_equals_a_plus_b(neo4j_driver, seed_records):
    half = len(seed_records) // 2
    a, b = seed_records[:half], seed_records[half:]
    _load(neo4j_driver, seed_records)
    together = snapshot(neo4j_driver)
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    w = GraphWriter(neo4j_driver)
    w.write(a)
    w.write(b)
    assert snapshot(neo4j_driver) == together
    w.write(seed_records)  # and again: nothing changes
    assert snapshot(neo4j_driver) == together


def test_reextracting_one_paper_changes_only_its_results_and_claims(neo4j_driver, seed_records):
    _load(neo4j_driver, seed_records)
    target = next(r for r in seed_records if len(r.results) >= 2 and r.claims)
    def parts(pid=None):
        recs, _, _ = neo4j_driver.execute_query(
            "MATCH (p:Paper)-[:REPORTS|MAKES]->(x) RETURN p.id AS p, x.id AS id, properties(x) AS props")
        return {r["id"]: r["props"] for r in recs if (pid is None or r["p"] == pid)}
    before = parts()
    newer = target.model_copy(update={"results": target.results[:1], "claims": (), "extractor_version": "kg-extract/9.9"})
    rep = GraphWriter(neo4j_driver).write([newer])
    assert rep.written == 1
    after = parts()
    others_before = {k: v for k, v in before.items() if not k.startswith(target.id + "#")}
    others_after = {k: v for k, v in after.items() if not k.startswith(target.id + "#")}
    assert others_after == others_before
    mine = {k: v for k, v in after.items() if k.startswith(target.id + "#")}
    assert list(mine) == [f"{target.id}#r0"] and mine[f"{target.id}#r0"]["extractor_version"] == "kg-extract/9.9"


def test_acronym_learnt_in_one_paper_merges_the_long_form_of_another(clean_db):
    p1 = PaperRecord(id="m1", title="t", methods=(Entity(name="MFNet", aliases=("Masked Frobnication Network",), role="proposed"),))
    p2 = PaperRecord(id="m2", title="t", methods=(Entity(name="Masked Frobnication Network", role="used"),))
    w = GraphWriter(clean_db)
    w.write([p2])
    rep = w.write([p1])
    assert rep.consolidation.merged["Method"] == 1
    recs, _, _ = clean_db.execute_query("MATCH (p:Paper)-[]->(m:Method) RETURN p.id AS p, m.key AS k, m.merged_from AS mf ORDER BY p")
    assert [(r["p"], r["k"]) for r in recs] == [("m1", "m:mfnet"), ("m2", "m:mfnet")]
    assert recs[0]["mf"] == ["m:maskedfrobnicationnetwork"]


# --- consolidation touches what a load changed ------------------------------------------------

def _full_consolidation_refused(monkeypatch):
    """Make a full read of a label (the non-incremental pass) fail the test."""
    from kg.graph import consolidate as cons

    def refuse(*a, **k):
        raise AssertionError("an incremental write read a whole label")

    monkeypatch.setattr(cons, "_nodes", refuse)


def test_a_long_form_arriving_after_its_acronym_merges_into_it(clean_db, monkeypatch):
    """The acronym's node is stored, untouched; the new long-form node finds it (the server
    filters on folded forms) and folds into it, with no full read of the label."""
    w = GraphWriter(clean_db)
    w.write([PaperRecord(id="a1", title="t", methods=(Entity(name="MFNet", aliases=("Masked Frobnication Network",),
                                                             role="proposed"),))])
    w.write([PaperRecord(id="a0", title="t", methods=(Entity(name="Other Net", role="used"),))])
    _full_consolidation_refused(monkeypatch)
    rep = w.write([PaperRecord(id="a2", title="t", methods=(Entity(name="masked frobnication-network", role="used"),))])
    assert rep.consolidation.merged["Method"] == 1
    recs, _, _ = clean_db.execute_query("MATCH (p:Paper)-[]->(m:Method) RETURN p.id AS p, m.key AS k ORDER BY p")
    assert [(r["p"], r["k"]) for r in recs] == [("a0", "m:othernet"), ("a1", "m:mfnet"), ("a2", "m:mfnet")]


def test_a_family_arriving_after_its_variant_gets_the_link(clean_db, monkeypatch):
    w = GraphWriter(clean_db)
    w.write([PaperRecord(id="v1", title="t", methods=(Entity(name="Frobnet-70B", role="proposed"),))])
    assert clean_db.execute_query("MATCH ()-[v:VARIANT_OF]->() RETURN count(v) AS n").records[0]["n"] == 0
    _full_consolidation_refused(monkeypatch)
    rep = w.write([PaperRecord(id="v2", title="t", methods=(Entity(name="Frobnet", role="proposed"),))])
    assert rep.consolidation.variants == 1
    recs, _, _ = clean_db.execute_query("MATCH (a)-[:VARIANT_OF]->(b) RETURN a.key AS a, b.key AS b")
    assert [(r["a"], r["b"]) for r in recs] == [("m:frobnet70b", "m:frobnet")]


def test_an_acronym_with_a_second_long_form_in_another_load_merges_nothing(clean_db, monkeypatch):
    w = GraphWriter(clean_db)
    w.write([PaperRecord(id="s1", title="t", methods=(Entity(name="ZAM", aliases=("Zonal Attention Model",)),))])
    _full_consolidation_refused(monkeypatch)
    rep = w.write([PaperRecord(id="s2", title="t", methods=(Entity(name="ZAM", aliases=("Zero Alignment Method",)),
                                                            Entity(name="Zonal Attention Model"),))])
    assert not rep.consolidation.merged.get("Method") and "zam" in rep.consolidation.ambiguous


def test_loads_in_thirds_consolidated_incrementally_equal_full_passes(neo4j_driver, seed_records, monkeypatch):
    """The seeds written in three loads, each consolidated over what it changed, give the
    graph that three loads each consolidated over every node give (and one full pass
    afterwards changes nothing)."""
    from kg.graph import consolidate as cons
    from kg.store import writer as writer_mod

    thirds = [seed_records[i::3] for i in range(3)]
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    w = GraphWriter(neo4j_driver)
    for part in thirds:
        w.write(part)
    incremental = snapshot(neo4j_driver)
    cons.consolidate(neo4j_driver, w.schema)
    assert snapshot(neo4j_driver) == incremental

    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    full = cons.consolidate
    monkeypatch.setattr(writer_mod, "consolidate", lambda d, s, db=None, touched=None: full(d, s, db))
    for part in thirds:
        w.write(part)
    assert snapshot(neo4j_driver) == incremental
