"""A result's qualifier and setting, and metric families, without a server: the record
field, the derivation from metric words, the catalogue's families, the writer's rows, the
bulk CSV, the RDF export (round trips, shapes) and the SPARQL leaderboard's boards."""

from __future__ import annotations

import csv
import json

import pytest
from pydantic import ValidationError
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from kg.export.rdf import DEFAULT_BASE, node_iri, records_graph, validate
from kg.graph.records import Entity, PaperRecord, Provenance, Result
from kg.graph.resolve import SCHEMA_DIR, metric_catalogue, metric_family, metric_info, metric_setting, resolve_entity
from kg.graph.schema import load_schema
from kg.export.sparql import run_sparql
from kg.graph.vocab import KG
from kg.graph.model import build_batch
from qualifier_records import CLS, family_records
from qualifier_records import res as _res


# --- the record field -------------------------------------------------------------------

def test_result_has_an_optional_setting_and_keeps_the_qualifier():
    r = _res(CLS, "71.4% zero-shot top-1 accuracy", "QuxCLIP", "ImageNet-1K", "accuracy", 71.4,
             setting="zero-shot", qualifier="up to")
    assert (r.setting, r.qualifier) == ("zero-shot", "up to")
    plain = _res(CLS, "85.2% fine-tuned top-1 accuracy", "QuxCLIP", "ImageNet-1K", "accuracy", 85.2)
    assert plain.setting is None and plain.qualifier is None
    assert Result.model_validate_json(r.model_dump_json()) == r  # JSONL round trip
    blank = _res(CLS, "80.0% linear probe", "QuxCLIP", "ImageNet-1K", "accuracy", 80.0, setting="  ", qualifier="")
    assert blank.setting is None and blank.qualifier is None
    assert _res(CLS, "80.0% linear probe", "Q", "I", "a", 1.0, setting=" linear  probe ").setting == "linear probe"
    with pytest.raises(ValidationError):
        _res(CLS, "80.0% linear probe", "Q", "I", "a", 1.0, setting=3)
    with pytest.raises(ValidationError):  # records stay closed
        Result.model_validate({**plain.model_dump(), "settings": "zero-shot"})


def test_a_record_without_the_new_field_still_reads():
    d = family_records()[0].model_dump(mode="json")
    for r in d["results"]:
        del r["setting"]
    assert PaperRecord.model_validate_json(json.dumps(d)).results[0].setting is None


@pytest.mark.parametrize("metric, setting", [
    ("zero-shot top-1 accuracy", "zero-shot"), ("Zero-Shot accuracy", "zero-shot"), ("zeroshot acc", "zero-shot"),
    ("top-1 fine-tuning accuracy", "fine-tuned"), ("fine-tuned top-1 accuracy", "fine-tuned"),
    ("finetuned accuracy", "fine-tuned"), ("linear probing accuracy", "linear probe"),
    ("linear-probe accuracy", "linear probe"), ("few-shot accuracy", "few-shot"), ("5-shot accuracy", "5-shot"),
    ("one-shot accuracy", "one-shot"), ("test-dev AP", "test-dev"), ("val mIoU", "val"),
    ("validation accuracy", "val"), ("top-1 accuracy", None), ("box AP", None), ("interval score", None),
    ("evaluation loss", None), (None, None), ("", None),
])
def test_metric_setting_reads_the_setting_from_the_metric_words(metric, setting):
    assert metric_setting(metric) == setting


# --- families ---------------------------------------------------------------------------

def test_every_catalogue_entry_has_a_family_that_is_a_catalogue_metric():
    data = json.loads((SCHEMA_DIR / "metrics.json").read_text(encoding="utf-8"))
    names = {m["name"] for m in data["metrics"]}
    for m in data["metrics"]:
        assert m.get("family") in names, m["name"]
        head = next(e for e in data["metrics"] if e["name"] == m["family"])
        assert head["family"] == head["name"], f"{m['family']} is a family head: its own family"
        assert head["higher_is_better"] == m["higher_is_better"], "a family never mixes directions"
    for m in data["metrics"]:
        if m["family"] == "AP":  # every form of an AP variant finds that variant, not plain AP
            assert all(metric_info(f).name == m["name"] for f in (m["name"], *m["aliases"])), m["name"]


def test_variants_are_separate_metrics_in_one_family():
    key = lambda n: resolve_entity("metrics", Entity(name=n)).key  # noqa: E731
    assert len({key("AP"), key("box AP"), key("mask AP"), key("AP50"), key("AP75")}) == 5
    for n in ("AP", "box AP", "mask AP", "AP50", "AP75", "mAP", "APbox", "average precision", "zero-shot box AP"):
        assert metric_family(n) == "AP", n
    for n in ("accuracy", "top-1 accuracy", "zero-shot top-1 accuracy", "top-5 accuracy", "fine-tuned top-1 accuracy"):
        assert metric_family(n) == "accuracy", n
    assert key("zero-shot top-1 accuracy") == key("top-1 accuracy") == key("accuracy")  # the setting is not the metric
    assert metric_family("mIoU") == "IoU" and metric_family("FID") == "FID"
    # ROUGE-1, ROUGE-2 and ROUGE-L measure different overlaps: three boards, one family
    assert len({key("ROUGE-1"), key("ROUGE-2"), key("ROUGE-L"), key("ROUGE")}) == 4
    assert {metric_family(n) for n in ("ROUGE-1", "ROUGE-2", "ROUGE-L", "rouge-l", "ROUGE score")} == {"ROUGE"}
    assert metric_family("frobnication index") is None
    assert metric_info("box AP").higher_is_better is True
    assert all(i.family for i in metric_catalogue().values())


# --- rows the writer and the bulk path write ---------------------------------------------

def test_writer_rows_carry_qualifier_setting_and_family():
    batch = build_batch(family_records(), load_schema())
    res = {n.key: dict(n.properties) for n in batch.nodes if n.label == "Result"}
    for r in batch.relationships:
        if r.type == "MEASURED_BY":
            res[r.start[1]]["metric"] = r.end[1]
    assert res["q1#r3"]["qualifier"] == "up to" and res["q1#r3"]["setting"] is None
    assert res["q1#r2"]["qualifier"] is None
    assert res["q2#r0"]["setting"] == "zero-shot"  # derived from the metric's words
    assert res["q2#r1"]["setting"] == "fine-tuned"
    assert res["q2#r2"]["setting"] == "linear probe"  # the record's own
    assert res["q1#r0"]["metric"] != res["q1#r1"]["metric"]  # box AP and mask AP: two Metric nodes
    metrics = {n.properties["name"]: n.properties for n in batch.nodes if n.label == "Metric"}
    assert {n: m["family"] for n, m in metrics.items()} == {"box AP": "AP", "mask AP": "AP", "AP": "AP",
                                                            "accuracy": "accuracy"}


def test_bulk_csv_writes_the_new_columns(tmp_path):
    from kg.store.bulk import write_csv

    write_csv(family_records(), tmp_path / "csv")
    with open(tmp_path / "csv" / "Result.csv", encoding="utf-8", newline="") as fh:
        rows = {r["id:ID(Result)"]: r for r in csv.DictReader(fh)}
    assert rows["q1#r3"]["qualifier:string"] == "up to" and rows["q1#r3"]["setting:string"] == ""
    assert rows["q2#r0"]["setting:string"] == "zero-shot"
    with open(tmp_path / "csv" / "Metric.csv", encoding="utf-8", newline="") as fh:
        fam = {r["name:string"]: r["family:string"] for r in csv.DictReader(fh)}
    assert fam == {"box AP": "AP", "mask AP": "AP", "AP": "AP", "accuracy": "accuracy"}


# --- RDF --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fam_graph() -> Graph:
    return records_graph(family_records())


def test_rdf_export_has_qualifier_setting_and_family(fam_graph):
    r = lambda rid: node_iri(DEFAULT_BASE, "Result", rid)  # noqa: E731
    assert fam_graph.value(r("q1#r3"), KG.qualifier) == Literal("up to")
    assert fam_graph.value(r("q1#r2"), KG.qualifier) is None
    assert fam_graph.value(r("q2#r0"), KG.setting) == Literal("zero-shot")
    assert fam_graph.value(r("q2#r2"), KG.setting) == Literal("linear probe")
    box = node_iri(DEFAULT_BASE, "Metric", resolve_entity("metrics", Entity(name="box AP")).key)
    assert fam_graph.value(box, KG.family) == Literal("AP")
    report = validate(fam_graph)
    assert report.conforms, report.text


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "xml"])
def test_rdf_round_trip_keeps_the_new_properties(fam_graph, fmt):
    back = Graph().parse(data=fam_graph.serialize(format=fmt), format=fmt)
    assert isomorphic(fam_graph, back)
    assert len(list(back.subject_objects(KG.qualifier))) == 1
    assert len(list(back.subject_objects(KG.setting))) == 3
    assert len(list(back.subject_objects(KG.family))) == 4


def test_shapes_refuse_an_empty_or_repeated_setting(fam_graph):
    g = Graph()
    for t in fam_graph:
        g.add(t)
    r = node_iri(DEFAULT_BASE, "Result", "q2#r0")
    g.add((r, KG.setting, Literal("few-shot")))
    assert not validate(g).conforms
    g.remove((r, KG.setting, None))
    g.add((r, KG.qualifier, Literal("")))
    assert not validate(g).conforms


# --- the SPARQL leaderboard: boards by metric and setting, qualified rows apart ------------

def _board(rows, cols):
    return [(r[cols.index("metric")], r[cols.index("setting")], r[cols.index("rank")], r[cols.index("method")],
             r[cols.index("value")], r[cols.index("qualifier")]) for r in rows]


def test_sparql_leaderboard_by_family_keeps_box_and_mask_ap_apart(fam_graph):
    cols, rows = run_sparql(fam_graph, "leaderboard", {"dataset": "COCO", "metric": "box AP"})
    assert _board(rows, cols) == [("box AP", None, 1, "BarDet", 51.0, None), ("box AP", None, 2, "FooDet", 50.1, None),
                                  ("box AP", None, 3, "BarDet", 53.0, "up to")]
    cols, rows = run_sparql(fam_graph, "leaderboard", {"dataset": "COCO", "metric": "AP", "family": True})
    assert _board(rows, cols) == [("AP", None, 1, "BazDet", 49.0, None),
                                  ("box AP", None, 1, "BarDet", 51.0, None), ("box AP", None, 2, "FooDet", 50.1, None),
                                  ("box AP", None, 3, "BarDet", 53.0, "up to"),
                                  ("mask AP", None, 1, "FooDet", 44.0, None)]
    cols, rows = run_sparql(fam_graph, "leaderboard", {"dataset": "COCO", "metric": "AP"})
    assert _board(rows, cols) == [("AP", None, 1, "BazDet", 49.0, None)]
    cols, rows = run_sparql(fam_graph, "leaderboard", {"dataset": "COCO", "metric": "AP", "family": True, "limit": 1})
    assert [b[:4] for b in _board(rows, cols)] == [("AP", None, 1, "BazDet"), ("box AP", None, 1, "BarDet"),
                                                   ("mask AP", None, 1, "FooDet")]


def test_sparql_leaderboard_puts_each_setting_on_its_own_board(fam_graph):
    cols, rows = run_sparql(fam_graph, "leaderboard", {"dataset": "ImageNet-1K", "metric": "accuracy"})
    assert _board(rows, cols) == [("accuracy", "fine-tuned", 1, "QuxCLIP", 85.2, None),
                                  ("accuracy", "linear probe", 1, "QuxCLIP", 80.0, None),
                                  ("accuracy", "zero-shot", 1, "QuxCLIP", 71.4, None)]
