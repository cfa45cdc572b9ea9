"""The learned mention tagger: BIO decoding, the shipped model, and its absence by default."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from extractors import LEARNED_MODEL, build_pipeline
from extractors.learned import decode_bio
from extractors.lexicon import SPANS_KEY
from extractors.training.corpus import find_mentions, tag_doc


def test_decode_bio_spans():
    nlp = spacy.blank("en")
    words = ["Our", "Foo", "Net", "beats", "BarNet", "on", "Zed", "QA", "for", "image", "captioning", "."]
    tags = ["O", "B-METHOD", "I-METHOD", "O", "B-METHOD", "O", "B-DATASET", "I-DATASET", "O", "B-TASK", "I-TASK", "O"]
    doc = Doc(nlp.vocab, words=words)
    got = [(s.text, s.label_) for s in decode_bio(doc, tags)]
    assert got == [("Foo Net", "METHOD"), ("BarNet", "METHOD"), ("Zed QA", "DATASET"), ("image captioning", "TASK")]
    # an I- tag after O or after another label starts a new span; B- after B- splits
    got = [(s.start, s.end, s.label_) for s in decode_bio(doc, ["I-TASK", "I-TASK", "B-METRIC", "B-METRIC", "I-TASK"] + ["O"] * 7)]
    assert got == [(0, 2, "TASK"), (2, 3, "METRIC"), (3, 4, "METRIC"), (4, 5, "TASK")]


def test_corpus_tags_whole_words_longest_first():
    text = "Tiny ImageNet and ImageNet-1k differ from ImageNet; imagenet is not matched."
    forms = [("ImageNet", "DATASET"), ("Tiny ImageNet", "DATASET"), ("ImageNet-1k", "DATASET")]
    ments = find_mentions(text, forms)
    assert [text[s:e] for s, e, _ in ments] == ["Tiny ImageNet", "ImageNet-1k", "ImageNet"]
    doc = tag_doc(build_pipeline().make_doc(text), ments)
    assert [t.tag_ for t in doc][:3] == ["B-DATASET", "I-DATASET", "O"]
    assert [s.text for s in decode_bio(doc)] == ["Tiny ImageNet", "ImageNet-1k", "ImageNet"]


def test_default_pipeline_has_no_tagger():
    nlp = build_pipeline()
    assert "kg_tagger" not in nlp.pipe_names and "kg_learned_spans" not in nlp.pipe_names
    doc = nlp("We train a segmentation network on the Lunar Crater Benchmark.")
    assert all(s.id_ != "learned" for s in doc.spans[SPANS_KEY])


@pytest.mark.skipif(not (LEARNED_MODEL / "config.cfg").is_file(), reason="no shipped model in extractors/model/")
def test_shipped_model_gives_learned_spans():
    nlp = build_pipeline(learned="default")
    names = nlp.pipe_names
    assert names.index("kg_tagger") < names.index("kg_lexicon")
    assert names.index("kg_tasks") < names.index("kg_learned_spans") < names.index("kg_metrics")
    doc = nlp.make_doc("We propose QuokkaFormer, a hierarchical transformer for weakly supervised "
                       "object localization, and evaluate it on three benchmarks in terms of top-1 accuracy.")
    doc = nlp.get_pipe("kg_tagger")(doc)
    assert {t.tag_ for t in doc} - {"O"}, "the tagger tags some token as part of a mention"
    learned = decode_bio(doc)
    assert learned and all(s.label_ in {"METHOD", "DATASET", "METRIC", "TASK"} for s in learned)
    full = nlp(doc.text)
    assert full.has_annotation("TAG")


def test_learned_spans_component_modes():
    from extractors.learned import LearnedSpans

    nlp = spacy.blank("en")
    words = ["GraphZip", "improves", "node", "ranking", "."]
    tags = ["B-METHOD", "O", "B-TASK", "I-TASK", "O"]
    for mode, expected in (("compete", {("GraphZip", "learned"), ("node ranking", "learned"), ("ranking", "rule")}),
                           ("fill", {("GraphZip", "learned"), ("ranking", "rule")})):
        doc = Doc(nlp.vocab, words=words, tags=tags)
        rule_span = doc[3:4]
        rule_span.label_, rule_span.id_ = "TASK", "rule"
        doc.spans[SPANS_KEY] = [rule_span]
        doc = LearnedSpans(nlp, "x", SPANS_KEY, mode, ["METHOD", "TASK"])(doc)
        assert {(s.text, s.id_) for s in doc.spans[SPANS_KEY]} == expected
    with pytest.raises(ValueError):
        LearnedSpans(nlp, "x", SPANS_KEY, "both", ["TASK"])
