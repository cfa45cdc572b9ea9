"""Resolution rules without a server: variant families, acronym merge plans, explain, analytics."""

from __future__ import annotations

import networkx as nx

from kg.explore.analytics import benchmark_coverage, coevaluation, staged_graph, write_graphml
from kg.graph.consolidate import acronym_pairs, plan_merges
from kg.graph.records import Entity, PaperRecord, Provenance, Result
from kg.graph.resolve import explain, metric_info, resolve_entity, variant_families


def test_variant_families_strip_sizes_not_versions():
    assert variant_families("LLaMA2-70B") == ["LLaMA2"]
    assert variant_families("RT-DETR-R50") == ["RT-DETR"]
    assert variant_families("Qwen2.5-VL-7B") == ["Qwen2.5-VL"]
    assert variant_families("OPT 66B") == ["OPT"]
    assert variant_families("ResNet-101") == ["ResNet"]
    assert variant_families("GPT-4o") == [] and variant_families("GPT-4") == [] and variant_families("Phi-2") == []


def test_family_of_a_llama_variant_resolves_to_the_lexicon_node():
    fam = variant_families("LLaMA2-70B")[0]
    assert resolve_entity("methods", Entity(name=fam)).name == "Llama 2"


def test_metric_scores_suffix():
    assert metric_info("FID scores").name == "FID" and metric_info("Dice score").name == "dice"


def test_acronym_merge_plan_and_ambiguous_acronyms():
    nodes = [
        {"key": "m:mfnet", "name": "MFNet", "aliases": ["MFNet", "Masked Frobnication Network"]},
        {"key": "m:maskedfrobnicationnetwork", "name": "Masked Frobnication Network", "aliases": []},
        {"key": "m:sam", "name": "SAM", "aliases": ["SAM", "Segment Anything Model", "Sharpness Aware Minimization"]},
        {"key": "m:segmentanythingmodel", "name": "Segment Anything Model", "aliases": []},
    ]
    assert acronym_pairs(nodes[0]["aliases"]) == [("MFNet", "Masked Frobnication Network")]
    plan, ambiguous = plan_merges(nodes, "m")
    assert plan == {"m:maskedfrobnicationnetwork": "m:mfnet"}
    assert "sam" in ambiguous


def _prov(text: str) -> Provenance:
    return Provenance(sentence=text, start=0, end=len(text), extractor="test", confidence=0.5)


def _rec(pid: str, method: str, dataset: str, metric: str, value: float, against: str | None = None) -> PaperRecord:
    methods = [Entity(name=method, role="proposed")] + ([Entity(name=against, role="compared")] if against else [])
    return PaperRecord(id=pid, title=pid, methods=tuple(methods), datasets=(Entity(name=dataset),),
                       metrics=(Entity(name=metric),),
                       results=(Result(method=method, dataset=dataset, metric=metric, value=value, text="x",
                                       provenance=_prov("x"), kind="absolute"),
                                *((Result(method=method, value=1.0, kind="delta", compared_to=against, text="y",
                                          provenance=_prov("y")),) if against else ())))


def test_analytics_coverage_coevaluation_and_graphml(tmp_path):
    recs = [_rec("p1", "FooNet", "COCO", "AP", 50.0, against="BarNet"), _rec("p2", "FooNet", "ADE20K", "mIoU", 40.0),
            _rec("p3", "BarNet", "MS COCO", "AP", 48.0)]
    g = staged_graph(recs)
    cov = benchmark_coverage(g)
    assert cov[0][:2] == ("FooNet", 2) and ("BarNet", 1, ["COCO / AP"]) in cov
    co = coevaluation(g)
    a, b = "Method:m:foonet", "Method:m:barnet"
    assert co[a][b]["weight"] == 1 and co[a][b]["direct"] == 1 and co[a][b]["datasets"] == ["COCO"]
    write_graphml(co, tmp_path / "co.graphml")
    back = nx.read_graphml(tmp_path / "co.graphml")
    assert back.number_of_edges() == co.number_of_edges()


def test_explain_names_the_rule():
    recs = [_rec("p1", "FooNet", "MS COCO", "top-1 accuracy", 1.0)]
    rows = explain(recs, "ms-coco")
    assert rows == [{"paper": "p1", "field": "datasets", "name": "MS COCO", "aliases": "", "node": "d:coco",
                     "node_name": "COCO", "rule": "lexicon", "why": "lexicon entry (extractors/patterns)", "families": ""}]
    assert explain(recs, "top-1 accuracy")[0]["node"] == "x:accuracy"


def test_lexicon_and_catalogue_agree_on_metric_keys():
    """Every pattern of one metric lexicon entry resolves to one node key."""
    from collections import defaultdict

    from kg.extractors.patterns import all_patterns

    keys = defaultdict(set)
    for p in all_patterns():
        if p["label"] == "METRIC" and isinstance(p["pattern"], str):
            keys[p["id"]].add(resolve_entity("metrics", Entity(name=p["pattern"])).key)
    split = {i: k for i, k in keys.items() if len(k) > 1}
    assert not split
