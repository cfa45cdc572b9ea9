"""The extraction pipeline as spaCy expects it: built from ``extractors/pipeline.cfg``,
its pattern data loaded in ``initialize``, saved with ``nlp.to_disk`` and loaded with
``spacy.load`` (also in a fresh process, through kg's entry points)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import spacy

from kg.extractors import build_pipeline, pipeline_config
from kg.extractors.errors import PatternError
from kg.ingest.extract import extract_with
from kg.graph.records import Paper

PAPERS = [
    Paper(id="w1", title="QuokkaFormer: Sparse Attention for Long-Document Summarization",
          abstract="We propose QuokkaFormer, a sparse transformer. On the WombatSum dataset it reaches 41.2 ROUGE-L, "
                   "2.1 points over LongT5, and runs 3.4x faster. QuokkaFormer-B / QuokkaFormer-L achieve 39.8 / 41.2 ROUGE-L."),
    Paper(id="w2", title="Learning to Rank Songs with Listener Graphs",
          abstract="We introduce TuneGNN for music recommendation. TuneGNN improves NDCG@10 by 4.5% over LightGCN on "
                   "the Last.fm and Yelp2018 benchmarks, respectively 0.412 and 0.087 Recall@20."),
]


def _records(nlp) -> list[dict]:
    out = []
    for r in extract_with(nlp, PAPERS):
        d = json.loads(r.model_dump_json())
        d.pop("extractor_version", None)
        out.append(d)
    return out


def test_config_lists_every_kg_component_in_order():
    cfg = pipeline_config()
    assert cfg["nlp"]["pipeline"][0] == "sentencizer"
    assert [n for n in cfg["nlp"]["pipeline"] if n.startswith("kg_")] == list(build_pipeline().pipe_names[1:])


def test_saved_pipeline_extracts_the_same_records(tmp_path):
    nlp = build_pipeline()
    before = _records(nlp)
    assert any(r["results"] for r in before)  # the fixture exercises results
    nlp.to_disk(tmp_path / "pipe")
    assert (tmp_path / "pipe" / "kg_lexicon" / "patterns.jsonl").is_file()
    loaded = spacy.load(tmp_path / "pipe")
    assert loaded.pipe_names == nlp.pipe_names
    assert _records(loaded) == before


def test_saved_pipeline_loads_in_a_fresh_process(tmp_path):
    """``spacy.load`` finds kg's factories and tokenizer through the package's entry points
    (nothing of ``extractors`` imported first)."""
    build_pipeline().to_disk(tmp_path / "pipe")
    code = ("import spacy, sys; nlp = spacy.load(sys.argv[1]); d = nlp('FooNet reaches 80.1% on ImageNet-1K.'); "
            "print(sorted((s.text, s.label_) for s in d.spans['kg_mentions']))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "pipe")], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "('ImageNet-1K', 'DATASET')" in out.stdout


def test_pattern_data_comes_from_initialize_and_travels_with_the_pipeline(tmp_path):
    data = tmp_path / "patterns"
    data.mkdir()
    (data / "mine.jsonl").write_text(json.dumps({"label": "DATASET", "pattern": "Zorblax Corpus", "id": "zorblax"}) + "\n")
    (data / "generic_terms.json").write_text(json.dumps({"terms": ["model"]}))
    nlp = build_pipeline(patterns_dir=data)
    text = "We evaluate on the Zorblax Corpus and on ImageNet."

    def lexicon_datasets(pipe) -> list[str]:
        doc = pipe(text)
        return [s.text for s in doc.spans["kg_mentions"] if s.id_.startswith("lexicon:")]

    assert lexicon_datasets(nlp) == ["Zorblax Corpus"]
    nlp.to_disk(tmp_path / "pipe")
    assert lexicon_datasets(spacy.load(tmp_path / "pipe")) == ["Zorblax Corpus"]
    # the packaged lexicon knows ImageNet; this pipeline's data does not
    assert "ImageNet" in lexicon_datasets(build_pipeline())


def test_uninitialised_component_raises_a_coded_error():
    nlp = spacy.blank("en")
    import kg.extractors.lexicon  # noqa: F401  (registers the factory)

    nlp.add_pipe("kg_lexicon")
    with pytest.raises(PatternError, match="E104"):
        nlp("FooNet on ImageNet.")


def test_a_bad_saved_pattern_file_is_a_coded_error(tmp_path):
    build_pipeline().to_disk(tmp_path / "pipe")
    (tmp_path / "pipe" / "kg_lexicon" / "patterns.jsonl").write_text('{"label": "GADGET", "pattern": "x"}\n')
    with pytest.raises(PatternError, match="E103"):
        spacy.load(tmp_path / "pipe")


def test_mentions_carry_their_provenance_as_span_extensions():
    doc = build_pipeline()("We propose QuokkaFormer and reach 81.5% top-1 accuracy on ImageNet-1K.")
    by_text = {s.text: s for s in doc.spans["kg_mentions"]}
    assert by_text["ImageNet-1K"]._.kg_rule == "lexicon" and by_text["ImageNet-1K"]._.kg_lexicon_id
    assert by_text["QuokkaFormer"]._.kg_rule == "name_shape" and by_text["QuokkaFormer"]._.kg_lexicon_id is None
