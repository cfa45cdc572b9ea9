"""The learned span classifier: candidates, rule features, decisions, the training corpus
and the shipped model."""

from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.tokens import Doc, Span

from kg.extractors import build_pipeline
from kg.extractors.candidates import RuleFeatures, candidate_spans, edge_words
from kg.extractors.learned import SpanDecisions, decide
from kg.extractors.lexicon import SPANS_KEY
from kg.extractors.mentions import CANDIDATES_KEY
from kg.extractors.training.corpus import find_mentions, record_examples, reference_doc, rule_pipeline


def _doc(words: list[str], sent_starts: list[bool] | None = None) -> Doc:
    return Doc(spacy.blank("en").vocab, words=words, sent_starts=sent_starts)


def test_candidates_skip_edge_words_punctuation_and_sentence_breaks():
    doc = _doc(["We", "train", "QuokkaNet", "for", "crater", "counting", ".", "It", "wins", "."],
               [True, False, False, False, False, False, False, True, False, False])
    cands = {doc[s:e].text for s, e in candidate_spans(doc, [1, 2, 3])}
    assert {"QuokkaNet", "crater counting", "crater", "train QuokkaNet"} <= cands
    assert "for crater" not in cands and "We" not in cands  # edge words
    assert not any("." in c for c in cands)  # punctuation at an edge
    assert "counting . It" not in cands and "wins" in cands  # never across sentences
    assert "we" in edge_words() and "crater" not in edge_words()


def test_candidates_include_every_rule_proposal():
    doc = _doc(["the", "Crater", "of", "the", "Moon", "set"])
    doc.spans[CANDIDATES_KEY] = [Span(doc, 1, 6, label="DATASET")]  # 5 tokens, inner edge words
    assert (1, 6) in candidate_spans(doc, [1, 2])


def test_rule_features_write_label_and_rule_as_entities():
    doc = _doc(["QuokkaNet", "beats", "Foo", "on", "Crater", "Count", "."])
    a, b = Span(doc, 0, 1, label="METHOD", span_id="name_shape"), Span(doc, 4, 6, label="DATASET", span_id="lexicon:crater")
    doc.spans[SPANS_KEY] = [a, b]
    doc = RuleFeatures(None, "f", SPANS_KEY)(doc)
    assert [(e.text, e.label_, e.ent_id_) for e in doc.ents] == [("QuokkaNet", "METHOD", "name_shape"),
                                                                  ("Crater Count", "DATASET", "lexicon")]
    assert [t.ent_iob_ for t in doc] == ["B", "O", "O", "O", "B", "I", "O"]


def test_decide_keeps_confirmed_rules_adds_confident_spans_and_drops_vetoed():
    doc = _doc(["QuokkaNet", "improves", "crater", "counting", "on", "Moon", "Set"])
    rule_ok = Span(doc, 0, 1, label="METHOD", span_id="name_shape")
    rule_bad = Span(doc, 5, 6, label="METHOD", span_id="name_shape")
    scored = [(Span(doc, 0, 1, label="METHOD"), 0.35), (Span(doc, 5, 7, label="DATASET"), 0.9),
              (Span(doc, 2, 4, label="TASK"), 0.55), (Span(doc, 3, 4, label="TASK"), 0.7)]
    got = decide([rule_ok, rule_bad], scored, keep=0.3, add=0.5)
    assert [(s.text, s.label_, s.id_) for s in got] == [("QuokkaNet", "METHOD", "name_shape"),
                                                         ("counting", "TASK", "learned"),
                                                         ("Moon Set", "DATASET", "learned")]
    # a stricter add threshold keeps the rules' mention only
    assert [s.text for s in decide([rule_ok, rule_bad], scored, keep=0.3, add=0.95)] == ["QuokkaNet"]
    # labels outside the veto keep their rule mentions whatever the classifier says
    assert "Moon" in [s.text for s in decide([rule_ok, rule_bad], scored, keep=0.3, add=0.95, veto={"TASK"})]
    with pytest.raises(ValueError):
        SpanDecisions(None, "d", SPANS_KEY, "sc", keep=1.5, add=0.5, veto=["TASK"])


def test_corpus_marks_whole_words_longest_first():
    text = "Tiny ImageNet and ImageNet-1k differ from ImageNet; imagenet is not matched."
    forms = [("ImageNet", "DATASET"), ("Tiny ImageNet", "DATASET"), ("ImageNet-1k", "DATASET")]
    ments = find_mentions(text, forms)
    assert [text[s:e] for s, e, _ in ments] == ["Tiny ImageNet", "ImageNet-1k", "ImageNet"]
    ref = reference_doc(build_pipeline().make_doc(text), ments)
    assert [s.text for s in ref.spans["kg_learned"]] == ["Tiny ImageNet", "ImageNet-1k", "ImageNet"]


def test_training_examples_carry_rule_features_and_gold_spans():
    record = {"id": "x1", "title": "QuokkaNet: Crater Counting on the Moon",
              "abstract": "We propose QuokkaNet for crater counting. It reaches 71.2% accuracy on CraterBench.",
              "methods": [{"name": "QuokkaNet", "aliases": []}], "datasets": [{"name": "CraterBench", "aliases": []}],
              "metrics": [{"name": "accuracy", "aliases": []}], "tasks": [{"name": "crater counting", "aliases": []}]}
    title, abstract = record_examples(rule_pipeline(), record)
    assert abstract.predicted.has_annotation("ENT_IOB")
    assert {e.text for e in abstract.predicted.ents} >= {"QuokkaNet", "accuracy"}
    assert CANDIDATES_KEY in abstract.predicted.spans
    gold = {(s.text, s.label_) for s in abstract.reference.spans["kg_learned"]}
    assert gold == {("QuokkaNet", "METHOD"), ("crater counting", "TASK"), ("accuracy", "METRIC"), ("CraterBench", "DATASET")}


def test_rules_only_pipeline_has_no_classifier():
    nlp = build_pipeline(learned=None)
    assert "kg_spancat" not in nlp.pipe_names and "kg_span_decisions" not in nlp.pipe_names
    doc = nlp("We train a segmentation network on the Lunar Crater Benchmark.")
    assert all(s.id_ != "learned" for s in doc.spans[SPANS_KEY])


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    """A span classifier trained by kg's own training on three records written for the test."""
    from kg.learn.train import train_classifier

    recs = [
        ("t1", "QuokkaNet: Crater Counting on the Moon", "We propose QuokkaNet for crater counting. It reaches 71.2% accuracy on CraterBench.",
         ["QuokkaNet"], ["CraterBench"], ["accuracy"], ["crater counting"]),
        ("t2", "ZebraSeg for Stripe Segmentation", "ZebraSeg improves stripe segmentation on StripeSet by 2.1 mIoU over FooNet.",
         ["ZebraSeg", "FooNet"], ["StripeSet"], ["mIoU"], ["stripe segmentation"]),
        ("t3", "OtterQA: Answering River Questions", "OtterQA answers river questions and scores 64.0 F1 on RiverQA.",
         ["OtterQA"], ["RiverQA"], ["F1"], ["river questions"]),
    ]
    gold, inputs = [], {}
    for i, title, abstract, m, d, x, t in recs:
        gold.append({"id": i, "title": title, "methods": [{"name": n} for n in m], "datasets": [{"name": n} for n in d],
                     "metrics": [{"name": n} for n in x], "tasks": [{"name": n} for n in t]})
        inputs[i] = {"id": i, "title": title, "abstract": abstract}
    return train_classifier(gold, inputs, tmp_path_factory.mktemp("model") / "m", epochs=2)


def test_a_trained_classifier_joins_the_pipeline_and_decides_the_mentions(tiny_model):
    assert (tiny_model / "config.cfg").is_file() and (tiny_model / "spancat").is_dir()
    nlp = build_pipeline(learned=tiny_model, learned_config={"keep": 0.0, "add": 1.0, "veto": ["TASK"]})
    names = nlp.pipe_names
    assert names.index("kg_mention_filter") < names.index("kg_spancat") < names.index("kg_span_decisions") < names.index("kg_results")
    doc = nlp("We propose QuokkaFormer and reach 81.5% top-1 accuracy on ImageNet.")
    scored = doc.spans["kg_learned"]
    scores = numpy.asarray(scored.attrs["scores"], dtype=float).reshape(-1)
    assert len(scores) == len(scored) and ((scores >= 0.0) & (scores <= 1.0)).all()
    # keep 0 and add 1: nothing vetoed, nothing added, so the rules' mentions stand
    rules = {(s.text, s.label_) for s in build_pipeline()("We propose QuokkaFormer and reach 81.5% top-1 accuracy on ImageNet.").spans[SPANS_KEY]}
    assert {(s.text, s.label_) for s in doc.spans[SPANS_KEY]} == rules
    with pytest.raises(OSError):
        build_pipeline(learned=tiny_model.parent / "absent")
