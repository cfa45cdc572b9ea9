"""kg.store.bulk.write_csv without a server: headers, quoting, nulls, entity merging, duplicates."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from kg.store.bulk import _first_error, ARRAY_DELIMITER, MANIFEST, BulkError, import_args, import_command, write_csv
from kg.graph.records import Claim, Entity, PaperRecord, Provenance, Result


def _prov(sentence: str = "s.", extractor: str = "result") -> Provenance:
    return Provenance(sentence=sentence, start=0, end=1, extractor=extractor, confidence=0.5)


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _records() -> list[PaperRecord]:
    odd = 'Foo, "Net"\nv2; x'  # comma, quotes, newline and the default array delimiter ';'
    r1 = PaperRecord(
        id="p1", title='A "quoted", title', abstract="line one\nline two", date=None, sources=("a.txt:1", "b;c.txt:2"),
        content_hash="h1",
        methods=(Entity(name="FooNet", aliases=("Foo Network",), role="proposed"), Entity(name=odd, role="used"),
                 Entity(name="foonet", role="proposed")),  # same key as FooNet, same role: one PROPOSES link
        datasets=(Entity(name="MS COCO"),),
        metrics=(Entity(name="FID"),),
        results=(Result(method="FooNet", dataset="MS COCO", metric="FID", value=1e-05, value_max=None, unit="",
                        text="1e-05 FID", provenance=_prov()),
                 Result(method=None, dataset=None, metric=None, value=2.0, compared_to=odd, kind="delta",
                        text="2 more", provenance=_prov())),
        claims=(Claim(type="outperforms", subject="FooNet", object=odd, results=(0, 0, 7), provenance=_prov()),),
        code_url="https://github.com/x/foo",
    )
    r2 = PaperRecord(
        id="p2", title="Second", abstract="", sources=(), content_hash="h2",
        methods=(Entity(name="foonet", aliases=("FN",), role="compared"),),
        datasets=(Entity(name="coco", aliases=("COCO 2017",)),),
        code_url="https://github.com/x/foo",
    )
    dup = r1.model_copy(update={"title": "a later copy", "methods": ()})
    return [r1, r2, dup]


@pytest.fixture
def written(tmp_path: Path):
    return write_csv(_records(), tmp_path / "csv", batch_size=1), tmp_path / "csv"


def test_headers_are_typed(written):
    _, d = written
    first = {p.stem: p.read_text(encoding="utf-8").splitlines()[0] for p in d.glob("*.csv")}
    assert first["Paper"] == ('"id:ID(Paper)","title:string","abstract:string","date:string","sources:string[]",'
                              '"content_hash:string","extractor_version:string","loaded_at:datetime"')
    assert first["Metric"] == '"key:ID(Metric)","name:string","aliases:string[]","higher_is_better:boolean","unit:string","family:string"'
    assert first["Result"].startswith('"id:ID(Result)","value:double","value_max:double",')
    assert '"start:long","end:long"' in first["Result"]
    assert first["PROPOSES"] == '":START_ID(Paper)",":END_ID(Method)","surface:string","rule:string"'
    assert first["AGAINST"] == '":START_ID(Result)",":END_ID(Method)"'
    assert first["SUPPORTED_BY"] == '":START_ID(Claim)",":END_ID(Result)"'


def test_quoting_round_trips_and_nulls_differ_from_empty_strings(written):
    report, d = written
    papers = {r["id:ID(Paper)"]: r for r in _rows(d / "Paper.csv")}
    assert papers["p1"]["title:string"] == 'A "quoted", title'
    assert papers["p1"]["abstract:string"] == "line one\nline two"
    assert papers["p1"]["sources:string[]"].split(ARRAY_DELIMITER) == ["a.txt:1", "b;c.txt:2"]
    assert report.multiline
    methods = {r["key:ID(Method)"]: r for r in _rows(d / "Method.csv")}
    odd = [r for r in methods.values() if r["name:string"].startswith("Foo,")]
    assert odd and odd[0]["name:string"] == 'Foo, "Net"\nv2; x'
    text = (d / "Result.csv").read_text(encoding="utf-8")
    # value_max None: an empty unquoted field; unit "": a quoted empty string
    assert '"p1#r0",1e-05,,"",' in text
    # Paper p2: date None is empty, abstract "" is "", sources () is no value (fixed up after import)
    assert '"p2","Second","",,,' in (d / "Paper.csv").read_text(encoding="utf-8")
    assert report.empty_lists == [["Paper", "sources"]]


def test_entities_merge_across_papers(written):
    report, d = written
    methods = {r["key:ID(Method)"]: r for r in _rows(d / "Method.csv")}
    foo = methods["m:foonet"]
    assert foo["name:string"] == "FooNet"  # surface names: the first seen is kept
    assert foo["aliases:string[]"].split(ARRAY_DELIMITER) == ["FooNet", "Foo Network", "foonet", "FN"]
    datasets = _rows(d / "Dataset.csv")
    assert len(datasets) == 1 and datasets[0]["name:string"] == "COCO"  # the lexicon's name wins
    assert datasets[0]["aliases:string[]"].split(ARRAY_DELIMITER) == ["MS COCO", "coco", "COCO 2017"]
    metric = _rows(d / "Metric.csv")[0]
    assert (metric["key:ID(Metric)"], metric["higher_is_better:boolean"]) == ("x:fid", "false")
    assert len(_rows(d / "Repository.csv")) == 1 and report.relationships["HAS_CODE"] == 2
    proposes = _rows(d / "PROPOSES.csv")
    assert [(r[":START_ID(Paper)"], r["surface:string"]) for r in proposes] == [("p1", "foonet")]  # last mention
    assert report.relationships["COMPARES_WITH"] == 1 and report.nodes["Method"] == 2


def test_relationships_and_duplicates(written):
    report, d = written
    assert report.papers == 2 and report.duplicates == 1
    assert [r["title:string"] for r in _rows(d / "Paper.csv")] == ['A "quoted", title', "Second"]  # first wins
    # claim results (0, 0, 7): one SUPPORTED_BY to p1#r0, none to a result that does not exist
    assert [(r[":START_ID(Claim)"], r[":END_ID(Result)"]) for r in _rows(d / "SUPPORTED_BY.csv")] == [("p1#c0", "p1#r0")]
    assert report.relationships["AGAINST"] == 1 and report.relationships["OF_METHOD"] == 1
    assert report.relationships["CLAIMS_ABOUT"] == 1 and report.relationships["CLAIMS_AGAINST"] == 1
    manifest = json.loads((d / MANIFEST).read_text())
    assert manifest["nodes"]["Paper"] == "Paper.csv" and manifest["multiline"] is True
    args = import_args(d)
    assert "--multiline-fields=true" in args and "--array-delimiter=U+001F" in args and args[3] == "neo4j"
    assert f"--nodes=Paper={d.resolve() / 'Paper.csv'}" in args
    assert import_command(d, "neo4j").startswith("neo4j-admin database import full neo4j --verbose --overwrite-destination=true")


def test_array_delimiter_in_a_value_rejects_the_paper(tmp_path: Path):
    bad = PaperRecord(id="bad", title="t", methods=(Entity(name="X" + ARRAY_DELIMITER + "Y"),))
    good = PaperRecord(id="good", title="t2", methods=(Entity(name="Z"),))
    report = write_csv([bad, good], tmp_path)
    assert [pid for pid, _ in report.rejected] == ["bad"] and report.papers == 1
    assert [r["id:ID(Paper)"] for r in _rows(tmp_path / "Paper.csv")] == ["good"]
    assert [r["key:ID(Method)"] for r in _rows(tmp_path / "Method.csv")] == ["m:z"]
    with pytest.raises(BulkError, match="every paper"):
        write_csv([bad, bad.model_copy(update={"id": "bad2"})], tmp_path / "b")


def test_streams_an_iterator(tmp_path: Path):
    seen = []
    report = write_csv(iter(_records()), tmp_path, progress=seen.append, batch_size=2)
    assert report.papers == 2 and seen[-1] == 3


def test_a_long_value_gets_a_read_buffer_that_holds_it(tmp_path: Path):
    write_csv([PaperRecord(id="p", title="t", abstract="x" * 2_000_000)], tmp_path)
    assert "--read-buffer-size=8065536" in import_args(tmp_path)
    write_csv([PaperRecord(id="p", title="t", abstract="short")], tmp_path / "s")
    assert not any(a.startswith("--read-buffer-size") for a in import_args(tmp_path / "s"))


def test_the_importers_error_becomes_one_line():
    verbose = """IMPORT FAILED in 860ms.
Critical error occurred! Shutting down the import...
Error in input data
Caused by: org.neo4j.internal.batchimport.input.InputException: ERROR in input
  data source: BufferedCharSeeker[source:/x/USES.csv, position:48, line:2]
  in field: rule:string:4
  original error: a (Paper)-[USES]->m:missing (Method) referring to missing node m:missing
"""
    assert _first_error(verbose) == "/x/USES.csv line:2: a (Paper)-[USES]->m:missing (Method) referring to missing node m:missing"
    assert _first_error("IMPORT FAILED in 1s.\nCritical error occurred! Shutting down the import...\nError in input data\n") \
        == "Error in input data"
    assert _first_error("") == "no output"
    assert _first_error("Error occurred during initialization of VM\nToo small maximum heap\n") \
        == "Error occurred during initialization of VM: Too small maximum heap"


def test_out_dir_must_be_new_empty_or_an_earlier_write(tmp_path: Path):
    (tmp_path / "mine.csv").write_text("keep me")
    with pytest.raises(BulkError, match="not empty"):
        write_csv(_records(), tmp_path)
    assert (tmp_path / "mine.csv").read_text() == "keep me"
    d = tmp_path / "out"
    write_csv(_records(), d)
    assert (d / "Claim.csv").is_file()
    write_csv([PaperRecord(id="z", title="t")], d)  # the earlier write's files are replaced
    assert not (d / "Claim.csv").exists() and sorted(p.name for p in d.glob("*.csv")) == ["Paper.csv"]
