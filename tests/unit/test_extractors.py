"""Component tests on sentences written for these tests (not from the seeds)."""

from __future__ import annotations

import pytest

from kg.extractors.acronyms import best_long_form
from kg.extractors.names import name_shape
from kg.extractors.patterns import PatternError, generic_terms, load_patterns
from kg.ingest.extract import extract_paper
from kg.graph.records import Paper


def _spans(doc, label):
    return [s.text for s in doc.spans["kg_mentions"] if s.label_ == label]


def test_lexicon_and_name_shapes(nlp):
    doc = nlp("We evaluate FooNet-L and BarGPT-7B on ImageNet-1K and COCO with top-1 accuracy and mIoU.")
    assert _spans(doc, "DATASET") == ["ImageNet-1K", "COCO"]
    assert _spans(doc, "METRIC") == ["top-1 accuracy", "mIoU"]
    assert _spans(doc, "METHOD") == ["FooNet-L", "BarGPT-7B"]


def test_generic_families_are_not_methods(nlp):
    doc = nlp("Transformers, LLMs and MLPs on GPUs are Self-Supervised.")
    assert _spans(doc, "METHOD") == []


def test_case_sensitive_short_lexicon_entries(nlp):
    doc = nlp("We study math reasoning on MATH.")
    assert _spans(doc, "DATASET") == ["MATH"]


@pytest.mark.parametrize("word,ok", [("VWFormer", True), ("GPT-4o", True), ("Qwen2.5-VL-7B", True), ("MAXIM", True),
                                     ("Transformers", False), ("LLMs", False), ("Multi-Scale", False), ("R101", False),
                                     ("HR", False), ("T5", False)])
def test_name_shape(word, ok):
    assert name_shape(word, generic_terms()) is ok


def test_acronym_long_form():
    cand = "we present the Gated Frobnication Network"
    start = best_long_form("GFN", cand)
    assert cand[start:] == "Gated Frobnication Network"
    assert best_long_form("XYZ", "nothing matching here") is None


def test_acronym_pairs_in_doc(nlp):
    doc = nlp("We propose Sparse Token Mixer (STM), built on LLaVA (Large Language and Vision Assistant).")
    pairs = [(s.text, l.text) for s, l in doc._.kg_acronyms]
    assert ("STM", "Sparse Token Mixer") in pairs


def test_results_values_kinds_and_attachment(nlp):
    doc = nlp("FooNet achieves 81.5% top-1 accuracy on ImageNet-1K. "
              "It outperforms BarNet by 2.3% mIoU on ADE20K. "
              "FooNet runs 3.2x faster than BarNet and reduces memory by 40%.")
    res = [(r.value, r.unit, r.kind, r.metric.text if r.metric else None, r.dataset.text if r.dataset else None,
            r.compared_to.text if r.compared_to else None) for r in doc._.kg_results]
    assert (81.5, "%", "absolute", "top-1 accuracy", "ImageNet-1K", None) in res
    assert (2.3, "%", "delta", "mIoU", "ADE20K", "BarNet") in res
    assert (3.2, "x", "ratio", None, None, "BarNet") in res
    assert (40.0, "%", "relative", "memory", None, None) in res


def test_years_and_counts_are_not_results(nlp):
    doc = nlp("In 2021, we collected 12 benchmarks and 3 tasks for FooNet.")
    assert doc._.kg_results == []


def test_claims(nlp):
    doc = nlp("FooNet outperforms BarNet on COCO. FooNet sets a new state-of-the-art on ADE20K.")
    types = [(c["type"], c["subject"].text if c["subject"] else None, c["object"].text if c["object"] else None)
             for c in doc._.kg_claims]
    assert types == [("outperforms", "FooNet", "BarNet"), ("state_of_the_art", "FooNet", None)]


def test_paper_record_roles_aliases_provenance():
    abstract = ("We propose Gated Frobnication Network (GFN), a simple model for image classification. "
                "GFN reaches 84.1% top-1 accuracy on ImageNet-1K, outperforming ResNet-50 by 3.2%. "
                "Code: https://github.com/example/gfn.")
    rec = extract_paper(Paper(id="p1", title="GFN: Gated Frobnication for Image Classification", abstract=abstract))
    methods = {m.name: m for m in rec.methods}
    assert methods["GFN"].role == "proposed"
    assert "Gated Frobnication Network" in methods["GFN"].aliases
    assert methods["ResNet-50"].role == "compared"
    assert rec.code_url == "https://github.com/example/gfn"
    r = next(r for r in rec.results if r.value == 84.1)
    assert (r.method, r.dataset, r.metric, r.kind) == ("GFN", "ImageNet-1K", "top-1 accuracy", "absolute")
    assert abstract[r.provenance.start:r.provenance.end] == r.text
    assert r.text in r.provenance.sentence
    d = next(r for r in rec.results if r.value == 3.2)
    assert (d.kind, d.compared_to, d.method) == ("delta", "ResNet-50", "GFN")
    for e in rec.methods + rec.datasets:
        for m in e.mentions:
            src = rec.title if m.field == "title" else abstract
            assert 0 <= m.start < m.end <= len(src) and 0 < m.confidence <= 1


def test_pattern_file_validation(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"label": "DATASET", "pattern": "X"}\n{"label": "ANIMAL", "pattern": "cat"}\n')
    with pytest.raises(PatternError, match="E103"):
        load_patterns(bad)
    with pytest.raises(PatternError, match="E101"):
        load_patterns(tmp_path / "missing.jsonl")


def _results(abstract: str, title: str = "FooNet: A Test Paper"):
    rec = extract_paper(Paper(id="t", title=title, abstract=abstract))
    return rec, [(r.value, r.unit, r.kind, r.method, r.dataset, r.metric, r.compared_to) for r in rec.results]


def test_gains_over_several_baselines_and_parenthesised_numbers():
    _, res = _results("We propose FooNet. FooNet outperforms BarNet by 2.5% and BazNet by 3.1% on CIFAR-100.")
    assert (2.5, "%", "delta", "FooNet", "CIFAR-100", None, "BarNet") in res
    assert (3.1, "%", "delta", "FooNet", "CIFAR-100", None, "BazNet") in res


def test_slash_lists_pair_numbers_with_names():
    _, res = _results("We propose FooNet. On ImageNet-1K, FooNet surpasses BarNet-S/BazNet-B by 0.4%/1.2% top-1 accuracy.")
    assert (0.4, "%", "delta", "FooNet", "ImageNet-1K", "top-1 accuracy", "BarNet-S") in res
    assert (1.2, "%", "delta", "FooNet", "ImageNet-1K", "top-1 accuracy", "BazNet-B") in res


def test_respectively_lists_of_datasets():
    _, res = _results("We propose FooNet. FooNet reaches 71.2% and 64.0% mIoU on ADE20K and Cityscapes, respectively.")
    assert (71.2, "%", "absolute", "FooNet", "ADE20K", "mIoU", None) in res
    assert (64.0, "%", "absolute", "FooNet", "Cityscapes", "mIoU", None) in res


def test_our_method_and_generic_subjects():
    rec, res = _results("We propose FooNet. Using BarNet-L as backbone, our method reaches 55.0% AP on COCO. "
                        "The best existing model achieves 40.0% AP on COCO.")
    assert (55.0, "%", "absolute", "FooNet", "COCO", "AP", None) in res
    assert (40.0, "%", "absolute", None, "COCO", "AP", None) in res


def test_model_sizes_are_results_of_the_model_beside_them():
    _, res = _results("We propose FooNet. We train a larger model of about 600 million parameters, FooNet-H, "
                      "and a 2B model (FooNet-G).")
    assert (600e6, "params", "absolute", "FooNet-H", None, "parameters", None) in res
    assert (2e9, "params", "absolute", "FooNet-G", None, "parameters", None) in res


def test_relative_changes_and_accuracy_drops():
    _, res = _results("We propose FooNet. FooNet reduces GPU memory usage by 35% with an accuracy drop of only 0.3% on COCO.")
    assert (35.0, "%", "relative", "FooNet", "COCO", "GPU memory usage", None) in res
    assert (0.3, "%", "delta", "FooNet", "COCO", "accuracy", None) in res


def test_benchmark_titles_and_concept_acronyms():
    rec = extract_paper(Paper(id="t", title="QuuxBench: A Benchmark for Frobnication Reasoning",
                              abstract="We study the Grand Unified Hypothesis (GUH) and evaluate FooNet and BarNet on QuuxBench."))
    assert [d.name for d in rec.datasets] == ["QuuxBench"]
    assert {m.name for m in rec.methods} == {"FooNet", "BarNet"}


def test_task_phrases_in_lists():
    rec = extract_paper(Paper(id="t", title="FooNet", abstract="We evaluate FooNet on image captioning, "
                              "machine translation and visual question generation, using standard metrics."))
    assert {"image captioning", "machine translation", "visual question generation"} <= {t.name for t in rec.tasks}


def test_dataset_editions_latex_times_and_word_factors(nlp):
    doc = nlp("FooNet gets 35.2 BLEU on WMT16 Romanian-English and 81.0% dice on LiTS 2017. "
              "It is 2.5$\\times$ faster and three times smaller than BarNet.")
    assert _spans(doc, "DATASET") == ["WMT16 Romanian-English", "LiTS 2017"]
    res = [(r.value, r.unit, r.kind) for r in doc._.kg_results]
    assert (35.2, "", "absolute") in res and (81.0, "%", "absolute") in res
    assert (2.5, "x", "ratio") in res and (3.0, "x", "ratio") in res


def test_claims_need_evidence_and_use_the_papers_method():
    rec = extract_paper(Paper(id="t", title="FooNet: Fast Things", abstract=(
        "We aim to accelerate training of large models. "
        "Our FooNet runs 2.1x faster than BarNet on COCO. "
        "Experiments show that our method outperforms BazNet on ADE20K.")))
    claims = [(c.type, c.subject, c.object, c.dataset) for c in rec.claims]
    assert claims == [("efficiency", "FooNet", "BarNet", "COCO"), ("outperforms", "FooNet", "BazNet", "ADE20K")]
    assert rec.claims[0].results == (0,)


def test_unitless_gains_over_slash_lists_of_baselines():
    _, res = _results("Our largest model FooGen-XL registers 1.78 FID on ImageNet and outperforms LlamaGen/VAR by "
                      "0.4/0.19 and LDM/DiT by 1.82/0.49, respectively.", title="FooGen: A Test")
    assert (1.78, "", "absolute", "FooGen-XL", "ImageNet", "FID", None) in res
    assert [(r[0], r[6]) for r in res if r[2] == "delta"] == [(0.4, "LlamaGen"), (0.19, "VAR"), (1.82, "LDM"), (0.49, "DiT")]
    assert all(r[3] == "FooGen-XL" and r[5] == "FID" for r in res)
