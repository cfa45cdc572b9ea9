"""The generated lexicon files (``extractors/patterns/*_public.jsonl``, from
``scripts/lexicon/build.py``): every entry says where its name came from, the loader
checks that field, and the names are recognised in sentences written for these tests."""

from __future__ import annotations

import json
import re

import pytest

from kg.extractors.patterns import PATTERNS_DIR, PatternError, load_patterns

FILES = {"methods": "METHOD", "datasets": "DATASET", "metrics": "METRIC", "tasks": "TASK"}
PUBLIC = sorted(PATTERNS_DIR.glob("*_public.jsonl"))


def _hand_written() -> set[str]:
    return {d["pattern"].casefold() for p in PATTERNS_DIR.glob("*.jsonl") if p not in PUBLIC
            for d in load_patterns(p) if isinstance(d["pattern"], str)}


def test_public_files_exist_for_every_type():
    assert {p.name for p in PUBLIC} == {f"{k}_public.jsonl" for k in FILES}


@pytest.mark.parametrize("path", PUBLIC, ids=lambda p: p.name)
def test_every_generated_entry_has_a_source(path):
    entries = load_patterns(path)
    assert entries
    label = FILES[path.name.removesuffix("_public.jsonl")]
    for e in entries:
        assert isinstance(e.get("source"), str) and e["source"].strip(), e
        assert e["label"] == label
        assert re.fullmatch(r"[a-z0-9][a-z0-9+.-]*", e["id"]), e["id"]
        assert len(e["pattern"]) >= 3


def test_generated_entries_add_only_new_names():
    hand = _hand_written()
    seen: set[str] = set()
    for path in PUBLIC:
        for e in load_patterns(path):
            key = e["pattern"].casefold()
            assert key not in hand and key not in seen, e
            seen.add(key)


def test_hand_written_entries_need_no_source():
    entries = load_patterns(PATTERNS_DIR / "datasets.jsonl")
    assert entries and all("source" not in e for e in entries)


@pytest.mark.parametrize("bad", [5, "", "  ", None, ["torchvision"]])
def test_loader_rejects_a_bad_source(tmp_path, bad):
    p = tmp_path / "x.jsonl"
    good = {"label": "DATASET", "pattern": "FooSet", "id": "fooset", "source": "some-package 1.0"}
    p.write_text(json.dumps(good) + "\n" + json.dumps({**good, "source": bad}) + "\n", encoding="utf-8")
    with pytest.raises(PatternError, match=r"x\.jsonl:2: 'source' must be a non-empty string"):
        load_patterns(p)


def test_loader_keeps_the_source(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text(json.dumps({"label": "METRIC", "pattern": "foo score", "id": "foo-score", "source": "pkg 1.0"}) + "\n",
                 encoding="utf-8")
    assert load_patterns(p) == [{"label": "METRIC", "pattern": "foo score", "id": "foo-score", "source": "pkg 1.0"}]


def _lexicon_spans(doc):
    return {(s.text, s.label_) for s in doc.spans["kg_mentions"] if s.id_.startswith("lexicon:")}


def test_public_names_are_recognised(nlp):
    # names picked from the generated files, one or more per source package
    doc = nlp("We fine-tune DistilBERT and GraphSAGE, train TRPO on HalfCheetah-v4, and test on "
              "ogbn-arxiv and Caltech-256 with the structural similarity index measure and SI-SDR "
              "for Keyword Spotting.")
    got = _lexicon_spans(doc)
    for want in [("DistilBERT", "METHOD"), ("GraphSAGE", "METHOD"), ("TRPO", "METHOD"),
                 ("HalfCheetah-v4", "DATASET"), ("ogbn-arxiv", "DATASET"), ("Caltech-256", "DATASET"),
                 ("structural similarity index measure", "METRIC"), ("SI-SDR", "METRIC"),
                 ("Keyword Spotting", "TASK")]:
        assert want in got, (want, sorted(got))


def test_capitalised_public_names_stay_case_sensitive(nlp):
    # "TRPO" and "GTZAN" are all capitals: the lexicon matches them with their case only
    doc = nlp("A trpo of gtzan.")
    assert not _lexicon_spans(doc)
