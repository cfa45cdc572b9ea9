"""RDF export without a server: vocabulary, mapping, shapes, round trips, saved SPARQL."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, OWL, PROV

from kg.export.rdf import (
    DEFAULT_BASE,
    ONTOLOGY,
    SHAPES,
    ExportError,
    iter_record_triples,
    records_elements,
    records_graph,
    sentence_span,
    validate,
    write_rdf,
)
from kg.explore.queries import QueryError
from kg.graph.records import Claim, Entity, PaperRecord, Provenance, Result
from kg.graph.schema import load_schema
from kg.export.sparql import get_sparql, list_sparql, run_sparql
from kg.graph import vocab
from kg.graph.vocab import KG, MLS, camel, kg_terms

REPO = Path(__file__).resolve().parents[2]
FORMATS = ("turtle", "nt", "json-ld", "xml")


# --- small hand-made records: every feature the mapping has -------------------------------

def _prov(text: str, part: str, rule: str = "result", conf: float = 0.9, field: str = "abstract") -> Provenance:
    start = text.index(part)
    sent_start = text.rfind(". ", 0, start)
    sent_start = 0 if sent_start < 0 else sent_start + 2
    sent_end = text.find(".", start + len(part) - 1)
    sentence = text[sent_start:sent_end + 1]
    return Provenance(field=field, sentence=sentence, start=start, end=start + len(part), extractor=rule, confidence=conf)


ABS1 = ("We present FooNet, a detector. FooNet-L reaches 55.1 AP on COCO, 2.0 AP above DINO-R50. "
        "FooNet outperforms DINO-R50 at 2x the speed.")
ABS2 = "We study BarNet. BarNet achieves 12.5 FID on ImageNet and 81.0% top-1 accuracy on ImageNet."


def small_records() -> list[PaperRecord]:
    r1 = PaperRecord(
        id="p1", title="FooNet: fast detection", abstract=ABS1, date="2024-05-01", sources=("a.txt:1",),
        content_hash="0123456789abcdef", code_url="https://github.com/x/foonet",
        methods=(Entity(name="FooNet-L", role="proposed"), Entity(name="FooNet", role="proposed"),
                 Entity(name="DINO-R50", role="compared")),
        datasets=(Entity(name="COCO"),), metrics=(Entity(name="AP"),), tasks=(Entity(name="object detection"),),
        results=(Result(method="FooNet-L", dataset="COCO", metric="AP", value=55.1, unit="",
                        text="FooNet-L reaches 55.1 AP on COCO", provenance=_prov(ABS1, "FooNet-L reaches 55.1 AP on COCO")),
                 Result(method="FooNet-L", dataset="COCO", metric="AP", value=2.0, kind="delta", compared_to="DINO-R50",
                        text="2.0 AP above DINO-R50", provenance=_prov(ABS1, "2.0 AP above DINO-R50", conf=0.8))),
        claims=(Claim(type="outperforms", subject="FooNet", object="DINO-R50", results=(1,),
                      provenance=_prov(ABS1, "FooNet-L reaches 55.1 AP on COCO, 2.0 AP above DINO-R50.",
                                       rule="claim_outperforms")),),
    )
    r2 = PaperRecord(
        id="p2", title="BarNet", abstract=ABS2, sources=("b.jsonl:3",),
        methods=(Entity(name="BarNet", role="proposed"),),
        datasets=(Entity(name="ImageNet"),), metrics=(Entity(name="FID"), Entity(name="top-1 accuracy")),
        results=(Result(method="BarNet", dataset="ImageNet", metric="FID", value=12.5, unit="",
                        text="BarNet achieves 12.5 FID on ImageNet", provenance=_prov(ABS2, "BarNet achieves 12.5 FID on ImageNet")),
                 Result(method="BarNet", dataset="ImageNet", metric="top-1 accuracy", value=81.0, value_max=82.0, unit="%",
                        text="81.0% top-1 accuracy on ImageNet", provenance=_prov(ABS2, "81.0% top-1 accuracy on ImageNet"))),
    )
    return [r1, r2]


@pytest.fixture(scope="module")
def small() -> Graph:
    return records_graph(small_records())


@pytest.fixture(scope="module")
def seed_records(shared):
    from kg.ingest.extract import extract_papers
    from kg.ingest.papers import read_papers

    papers, _ = read_papers([shared / "seeds"])
    return list(extract_papers(papers))


@pytest.fixture(scope="module")
def seed_rdf(seed_records) -> Graph:
    return records_graph(seed_records)


# --- vocabulary ----------------------------------------------------------------------------

def test_kg_ttl_and_the_python_namespace_declare_the_same_terms():
    onto = Graph().parse(ONTOLOGY, format="turtle")
    ns = str(KG._NS)
    declared = {str(s)[len(ns):] for s in onto.subjects(RDF.type, None) if str(s).startswith(ns)}
    assert declared == kg_terms()
    for name in sorted(declared):
        term = URIRef(ns + name)
        kinds = set(onto.objects(term, RDF.type))
        assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, name
        assert onto.value(term, RDFS.label), f"kg:{name} has no rdfs:label"
        assert onto.value(term, RDFS.comment), f"kg:{name} has no rdfs:comment"
    # every object of the ontology in kg's namespace is declared too (no dangling kg: term)
    used = {str(o)[len(ns):] for o in onto.objects() if isinstance(o, URIRef) and str(o).startswith(ns)}
    assert used <= declared
    with pytest.raises(AttributeError):
        KG.notATerm


def test_every_schema_label_property_and_relationship_has_a_term():
    s = load_schema()
    for label, spec in s["nodes"].items():
        assert getattr(KG, label)
        for prop in spec["properties"]:
            assert getattr(KG, camel(prop))
    for rel, spec in s["relationships"].items():
        assert getattr(KG, camel(rel))
        for prop in spec.get("properties", {}):
            assert getattr(KG, camel(prop))


def test_the_export_uses_only_declared_or_standard_terms(small):
    ns = str(KG._NS)
    allowed = ("http://www.w3.org/ns/mls#", "http://www.w3.org/ns/prov#", "https://schema.org/",
               str(DCTERMS), str(RDF), str(RDFS))
    for p in set(small.predicates()):
        assert str(p).startswith(ns) or str(p).startswith(allowed), p
        if str(p).startswith(ns):
            assert str(p)[len(ns):] in kg_terms()


# --- mapping ---------------------------------------------------------------------------------

def test_papers_results_and_provenance_use_standard_vocabularies(small):
    base = DEFAULT_BASE
    p1 = URIRef(base + "paper/p1")
    assert (p1, RDF.type, vocab.SCHEMA.ScholarlyArticle) in small
    assert small.value(p1, vocab.SCHEMA.headline) == small.value(p1, DCTERMS.title) == Literal("FooNet: fast detection")
    assert small.value(p1, vocab.SCHEMA.datePublished) == Literal("2024-05-01", datatype=rns.XSD.date)
    repo = small.value(p1, KG.hasCode)
    assert (repo, RDF.type, vocab.SCHEMA.SoftwareSourceCode) in small
    assert small.value(repo, vocab.SCHEMA.codeRepository) == URIRef("https://github.com/x/foonet")

    r0 = URIRef(base + "result/p1%23r0")
    assert (r0, RDF.type, MLS.ModelEvaluation) in small
    assert small.value(r0, MLS.hasValue) == Literal(55.1, datatype=rns.XSD.double)
    metric = small.value(r0, MLS.specifiedBy)
    assert (metric, RDF.type, MLS.EvaluationMeasure) in small and small.value(metric, KG.higherIsBetter).toPython() is True
    run = small.value(None, MLS.hasOutput, r0)
    assert (run, RDF.type, MLS.Run) in small
    method, dataset = small.value(run, MLS.executes), small.value(run, MLS.hasInput)
    assert (method, RDF.type, MLS.Implementation) in small and str(small.value(method, RDFS.label)) == "FooNet-L"
    assert (dataset, RDF.type, MLS.Dataset) in small and str(small.value(dataset, RDFS.label)) == "COCO"
    # provenance: the sentence with its offsets in the paper, the extraction activity and agent
    sent = small.value(r0, PROV.wasDerivedFrom)
    start, end = small.value(sent, KG.start).toPython(), small.value(sent, KG.end).toPython()
    assert ABS1[start:end] == str(small.value(sent, PROV.value))
    assert small.value(sent, PROV.wasQuotedFrom) == p1
    rs, re_ = small.value(r0, KG.start).toPython(), small.value(r0, KG.end).toPython()
    assert ABS1[rs:re_] == str(small.value(r0, KG.text))
    act = small.value(r0, PROV.wasGeneratedBy)
    agent = small.value(act, PROV.wasAssociatedWith)
    assert (act, PROV.used, p1) in small and (agent, RDF.type, PROV.SoftwareAgent) in small
    assert str(small.value(agent, KG.extractorVersion)).startswith("kg-extract/")
    # the delta result's baseline, the claim and its type
    r1 = URIRef(base + "result/p1%23r1")
    assert str(small.value(small.value(r1, KG.against), RDFS.label)) == "DINO-R50"
    c0 = URIRef(base + "claim/p1%23c0")
    assert (c0, RDF.type, KG.OutperformsClaim) in small and (c0, KG.supportedBy, r1) in small
    assert small.value(c0, PROV.wasDerivedFrom) == small.value(r1, PROV.wasDerivedFrom)  # one shared sentence
    # a link's surface form and rule are on a statement about the triple
    st = next(small.subjects(RDF.predicate, KG.proposes))
    assert (small.value(st, RDF.subject), KG.proposes, small.value(st, RDF.object)) in small
    assert small.value(st, KG.rule) is not None


def test_records_path_resolves_keys_like_the_writer_and_links_variants():
    nodes = {(e.label, e.props.get("key") or e.props.get("id") or e.props.get("url")): e
             for e in records_elements(small_records()) if hasattr(e, "label")}
    rels = {(e.type, e.start[1], e.end[1]) for e in records_elements(small_records()) if hasattr(e, "type")}
    assert ("Metric", "x:accuracy") in nodes and ("Metric", "x:fid") in nodes
    assert nodes[("Metric", "x:fid")].props["higher_is_better"] is False
    # FooNet-L is a variant of FooNet (a node of the graph), DINO-R50 of DINO (lexicon)
    assert ("VARIANT_OF", "m:foonetl", "m:foonet") in rels
    assert any(t == "VARIANT_OF" and a == "m:dinor50" for t, a, _ in rels)
    assert ("AGAINST", "p1#r1", "m:dinor50") in rels and ("SUPPORTED_BY", "p1#c0", "p1#r1") in rels


def test_a_paper_loaded_again_replaces_its_results_and_a_surface_name_is_kept():
    r1, r2 = small_records()
    again = r1.model_copy(update={"results": r1.results[:1], "claims": (), "methods": (Entity(name="foonet"), *r1.methods[:1])})
    els = list(records_elements([r1, r2, again], batch_size=1))
    results = {e.props["id"] for e in els if getattr(e, "label", None) == "Result"}
    assert results == {"p1#r0", "p2#r0", "p2#r1"}
    assert not any(getattr(e, "label", None) == "Claim" for e in els)
    foonet = next(e for e in els if getattr(e, "label", None) == "Method" and e.props["key"] == "m:foonet")
    assert foonet.props["name"] == "FooNet" and foonet.props["aliases"] == ["FooNet", "foonet"]


def test_sentence_span_finds_the_occurrence_holding_the_span():
    text = "A b. A b. C."
    assert sentence_span(text, "A b.", 5, 8) == (5, 9)
    assert sentence_span(text, "A b.", 0, 3) == (0, 4)
    assert sentence_span(text, "missing.", 0, 3) is None
    assert sentence_span(None, "A b.", 0, 3) is None


# --- stable IRIs -----------------------------------------------------------------------------

def _iris(g: Graph) -> set[str]:
    return {str(t) for tr in g for t in tr if isinstance(t, URIRef) and str(t).startswith("https://w3id.org/kg-ml/resource/")}


def test_iris_are_stable_across_exports_and_load_orders_and_follow_the_base():
    recs = small_records()
    a, b = records_graph(recs), records_graph(list(reversed(recs)))
    assert _iris(a) == _iris(b) and len(_iris(a)) > 20
    other = records_graph(recs, base="http://example.org/kg/")
    moved = {str(t).replace("http://example.org/kg/", DEFAULT_BASE) for tr in other for t in tr
             if isinstance(t, URIRef) and str(t).startswith("http://example.org/kg/")}
    assert moved == _iris(a)
    with pytest.raises(ExportError):
        records_graph(recs, base="not an iri")


# --- SHACL -----------------------------------------------------------------------------------

def test_small_export_conforms_and_broken_exports_do_not(small):
    v = validate(small)
    assert v.conforms, v.violations[:5]
    broken = Graph()
    for t in small:
        broken.add(t)
    r0 = URIRef(DEFAULT_BASE + "result/p1%23r0")
    broken.set((r0, MLS.hasValue, Literal("55.1")))  # a string, not an xsd:double
    broken.add((r0, URIRef(str(KG._NS) + "colour"), Literal("red")))  # not a term of the shape
    broken.remove((None, KG.reports, r0))  # a result no paper reports
    st = next(broken.subjects(RDF.predicate, KG.evaluatesOn))  # a statement about a missing triple
    broken.remove((broken.value(st, RDF.subject), KG.evaluatesOn, broken.value(st, RDF.object)))
    v = validate(broken)
    assert not v.conforms
    found = {(row["focus"], row["constraint"]) for row in v.violations}
    assert (str(r0), "DatatypeConstraintComponent") in found
    assert (str(r0), "ClosedConstraintComponent") in found
    assert (str(r0), "MinCountConstraintComponent") in found
    assert any(f == str(st) for f, _ in found)


def test_seed_export_from_records_conforms_to_the_shapes(seed_rdf):
    v = validate(seed_rdf)
    assert v.conforms, v.violations[:10]
    assert len(seed_rdf) > 10_000


# --- round trips -----------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_is_isomorphic(seed_rdf, fmt):
    data = seed_rdf.serialize(format=fmt)
    back = Graph().parse(data=data, format=fmt)
    assert len(back) == len(seed_rdf)
    assert isomorphic(seed_rdf, back), fmt


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "xml"])
def test_write_rdf_streams_the_same_graph(small, fmt):
    buf = io.BytesIO()
    n, kept = write_rdf(iter_record_triples(small_records()), buf, fmt, keep=True)
    assert n == len(small) and isomorphic(kept, small)
    back = Graph().parse(data=buf.getvalue(), format={"jsonld": "json-ld"}.get(fmt, fmt))
    assert isomorphic(small, back)


# --- CLI, no server ----------------------------------------------------------------------------

def _kg(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=300, **kw)


def _write_jsonl(records, path: Path) -> None:
    path.write_text("".join(json.dumps(r.model_dump(mode="json")) + "\n" for r in records), encoding="utf-8")


def test_cli_exports_records_validates_and_queries(tmp_path):
    src = tmp_path / "out.jsonl"
    _write_jsonl(small_records(), src)
    ttl = tmp_path / "g.ttl"
    res = _kg("export", "rdf", "--records", str(src), "-o", str(ttl), "--validate")
    assert res.returncode == 0, res.stderr
    assert "valid" in res.stderr and ttl.exists() and not (tmp_path / "g.ttl.part").exists()
    nt = _kg("export", "rdf", "--records", str(src), "--format", "nt", "--base", "http://example.org/r/")
    assert nt.returncode == 0 and "<http://example.org/r/paper/p1>" in nt.stdout
    assert isomorphic(Graph().parse(data=nt.stdout, format="nt"),
                      records_graph(small_records(), base="http://example.org/r/"))
    q = _kg("sparql", "leaderboard", "-p", "dataset=COCO", "-p", "metric=AP", "--rdf", str(ttl), "--format", "json")
    assert q.returncode == 0, q.stderr
    rows = json.loads(q.stdout)
    assert rows and rows[0]["method"] == "FooNet-L" and rows[0]["rank"] == 1 and rows[0]["value"] == 55.1
    bad = _kg("sparql", "leaderboard", "-p", "datset=COCO", "--rdf", str(ttl))
    assert bad.returncode == 2 and "valid: dataset, family, limit, metric" in bad.stderr and "Traceback" not in bad.stderr
    fmt = _kg("export", "rdf", "--records", str(src), "--format", "rdfa")
    assert fmt.returncode == 2 and "unknown RDF format" in fmt.stderr


def test_cli_validate_reports_violations_and_exits_1(tmp_path):
    rec = small_records()[0]
    # a sentence that is not in the abstract cannot be located: its offsets are missing
    r0 = rec.results[0]
    bad = r0.model_copy(update={"provenance": r0.provenance.model_copy(update={"sentence": "Not in the abstract."})})
    src = tmp_path / "bad.jsonl"
    _write_jsonl([rec.model_copy(update={"results": (bad,), "claims": ()})], src)
    res = _kg("export", "rdf", "--records", str(src), "-o", str(tmp_path / "bad.ttl"), "--validate")
    assert res.returncode == 1, res.stderr
    assert "invalid:" in res.stderr and "MinCountConstraintComponent" in res.stderr and "Traceback" not in res.stderr


# --- saved SPARQL ------------------------------------------------------------------------------

def test_every_saved_sparql_query_has_a_complete_header_and_binds_its_parameters():
    qs = list_sparql()
    assert {"leaderboard", "head_to_head", "provenance"} <= set(qs)
    for q in qs.values():
        assert q.description and q.columns and q.cypher.lstrip().startswith("PREFIX")
        assert not re.search(r"^\s*//", q.cypher, re.M), "header lines must precede the query"
        for p in q.params:
            assert p.required or p.default is not None, (q.name, p.name)
            assert p.example, (q.name, p.name)
            assert re.search(rf"\?{p.name}\b", q.cypher), (q.name, p.name)
        assert not re.search(r"\{\w+\}|%s|%\(", q.cypher), "no format placeholders"


def test_sparql_parameters_are_bound_not_formatted(small):
    cols, rows = run_sparql(small, "leaderboard", {"dataset": "COCO", "metric": "AP"})
    assert cols[:3] == ["rank", "method", "value"] and [r[1] for r in rows] == ["FooNet-L"]
    # a value that would break a query built by string formatting is only a name that matches nothing
    cols, rows = run_sparql(small, "leaderboard", {"dataset": 'COCO" } UNION { ?d ?p ?o', "metric": "AP"})
    assert rows == []
    # case-insensitive fallback, lower-is-better ranking, provenance and head-to-head
    cols, rows = run_sparql(small, "leaderboard", {"dataset": "imagenet", "metric": "fid"})
    assert rows[0][1:3] == ["BarNet", 12.5] and rows[0][cols.index("higher_is_better")] is False
    cols, rows = run_sparql(small, "provenance", {"result": "p1#r1"})
    row = dict(zip(cols, rows[0]))
    assert row["against"] == "DINO-R50" and row["claims"] == "p1#c0 outperforms" and row["kind"] == "delta"
    assert ABS1[row["start"]:row["end"]] == row["text"]
    cols, rows = run_sparql(small, "head_to_head", {"method_a": "FooNet-L", "method_b": "dino-r50"})
    assert [dict(zip(cols, r))["basis"] for r in rows] == ["direct comparison"]
    with pytest.raises(QueryError, match="missing required parameter 'result'"):
        run_sparql(small, "provenance", {})
    with pytest.raises(QueryError, match="no saved SPARQL query"):
        get_sparql("leaderbord")


def test_shapes_cover_every_exported_class(seed_rdf):
    shapes = Graph().parse(SHAPES, format="turtle")
    sh = "http://www.w3.org/ns/shacl#"
    targets = set(shapes.objects(None, URIRef(sh + "targetClass")))
    classes = set(seed_rdf.objects(None, RDF.type))
    # every class but PROV's generic ones (always beside a kg: class) has a shape
    assert {c for c in classes if not str(c).startswith(str(PROV))} <= targets
    for node in set(seed_rdf.subjects(RDF.type, None)):
        assert set(seed_rdf.objects(node, RDF.type)) & targets, node
