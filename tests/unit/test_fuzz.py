"""Property tests (hypothesis): no exception escapes the readers, the number parser or the
extractors, and every record they produce validates against the records' schema."""

from __future__ import annotations

import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extractors.numbers import find_numbers, parse_number
from kg.ingest.extract import extract_paper
from kg.ingest.papers import Reject, read_jsonl, read_listing
from kg.graph.records import Paper, PaperRecord

# text that looks like abstracts: words, ML names, numbers with units, LaTeX, punctuation
_pieces = st.sampled_from([
    "We propose", "FooNet", "FooNet-7B", "(FN)", "outperforms", "BarNet", "by", "1.2%", "4.54\\%", "3.2x", "$\\times$",
    "on", "ImageNet-1K", "COCO", "top-1 accuracy", "mIoU", "FID", "85 million parameters", "respectively", ",", ".",
    "and", "/", "+0.6%", "1.0%-2.5%", "∞", "NaN", "1e9", "1,234.5", "half", "state-of-the-art", "https://x.io/a.",
    "Our method", "GPT-4o", "LLaMA2-70B", "(", ")", ";", ":", "2023", "three times faster", "é", "中文", "\n",
])
abstracts = st.lists(st.one_of(_pieces, st.text(max_size=12)), max_size=60).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.text(max_size=80), abstract=abstracts)
def test_extraction_never_raises_and_validates(title, abstract):
    rec = extract_paper(Paper(id="fuzz", title=title, abstract=abstract))
    again = PaperRecord.model_validate(json.loads(rec.model_dump_json()))
    assert again == rec
    for r in rec.results:
        assert math.isfinite(r.value)
        src = rec.title if r.provenance.field == "title" else rec.abstract  # the stored text (control characters cleaned)
        assert src[r.provenance.start:r.provenance.end] == r.text
    for e in (*rec.methods, *rec.datasets, *rec.metrics, *rec.tasks):
        for m in e.mentions:
            src = rec.title if m.field == "title" else rec.abstract
            assert 0 <= m.start <= m.end <= len(src) and 0 <= m.confidence <= 1


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_number_finder_and_parser_never_raise(text):
    for n in find_numbers(text):
        assert 0 <= n.start < n.end <= len(text)
        assert math.isfinite(n.value)
        assert n.value_max is None or n.value_max > n.value
    v = parse_number(text)
    assert v is None or math.isfinite(v)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_jsonl_reader_takes_any_bytes(tmp_path, data):
    p = tmp_path / "x.jsonl"
    p.write_bytes(data)
    for item in read_jsonl(p):
        assert isinstance(item, (Paper, Reject))
        if isinstance(item, Reject):
            assert item.reason and "\n" not in item.reason


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(st.text(max_size=120), st.sampled_from(["", "• 3 authors", "·", "Jan 9, 2022"])), max_size=30))
def test_listing_reader_takes_any_text(tmp_path, lines):
    p = tmp_path / "x.txt"
    p.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass") if all(
        "\ud800" > c or c > "\udfff" for line in lines for c in line) else p.write_text("", encoding="utf-8")
    for item in read_listing(p):
        assert isinstance(item, (Paper, Reject))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(obj=st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
                        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.sampled_from(
                            ["id", "title", "abstract", "authors", "categories", "update_date", "date"]), c, max_size=6),
                        max_leaves=10))
def test_jsonl_reader_takes_any_json_value(tmp_path, obj):
    p = tmp_path / "y.jsonl"
    p.write_text(json.dumps(obj) + "\n" + json.dumps({"id": "ok", "title": "T", "abstract": "A b c."}) + "\n", encoding="utf-8")
    items = list(read_jsonl(p))
    assert any(isinstance(i, Paper) and i.id == "ok" for i in items)
