"""Issue #12's reported cases, on sentences written for these tests (same shapes as the
reports, other names and numbers): respective lists, box vs mask AP, zero-shot vs
fine-tuned accuracy, "up to N%", open-vocabulary metrics and the dataset context."""

from __future__ import annotations

import pytest

from kg.records import Paper


@pytest.fixture(scope="module")
def extract(nlp):
    from kg.extract import extract_paper

    def run(abstract: str, title: str = "A paper"):
        return extract_paper(Paper(id="t-" + str(abs(hash(abstract)) % 10**8), title=title, abstract=abstract))
    return run


def _by_value(rec):
    return {r.value: r for r in rec.results}


def test_respective_slash_list_gives_each_variant_its_own_value(extract):
    rec = extract("We present FooDet, a real-time detector. FooDet-S / FooDet-L achieves 48.2% / 51.7% AP on COCO.")
    got = _by_value(rec)
    assert got[48.2].method == "FooDet-S" and got[51.7].method == "FooDet-L"
    assert got[48.2].dataset == got[51.7].dataset == "COCO"


def test_box_ap_and_mask_ap_stay_two_metrics(extract):
    rec = extract("BarSeg reaches 47.1 box AP and 41.3 mask AP on COCO, and 40.2 AP on LVIS.")
    got = _by_value(rec)
    assert got[47.1].metric == "box AP" and got[41.3].metric == "mask AP"
    names = {m.name for m in rec.metrics}
    assert {"box AP", "mask AP"} <= names


def test_zero_shot_and_fine_tuned_accuracy_are_not_one_column(extract):
    rec = extract("QuxCLIP obtains 71.4% zero-shot top-1 accuracy and 85.2% fine-tuned top-1 accuracy on ImageNet-1K.")
    got = _by_value(rec)
    assert got[71.4].metric == "zero-shot top-1 accuracy"
    assert got[85.2].metric == "fine-tuned top-1 accuracy"


def test_up_to_improvement_is_a_qualified_delta_not_an_absolute_score(extract):
    rec = extract("ZapNet delivers up to 12% improvements in accuracy over ResNet-50 on CIFAR-100.")
    r = _by_value(rec)[12.0]
    assert r.kind == "delta" and r.qualifier == "up to" and r.compared_to == "ResNet-50"


def test_about_sign_and_nearly_are_kept_as_qualifiers(extract):
    rec = extract("MixyNet cuts the decoding latency by nearly 35% and reaches ~2.1x higher throughput.")
    got = _by_value(rec)
    assert got[35.0].qualifier == "nearly" and got[35.0].kind == "relative"
    assert got[2.1].qualifier == "about" and got[2.1].kind == "ratio"


def test_open_vocabulary_metric_phrases_become_metrics(extract):
    rec = extract("PlumNet keeps 97% of the dense model's zero-shot answer quality and achieves a 6.5% "
                  "token density improvement; it also reduces the total training cost by 41%.")
    got = _by_value(rec)
    assert got[6.5].metric == "token density"
    assert got[41.0].metric == "total training cost" or got[41.0].metric == "training cost"
    assert {"token density"} <= {m.name for m in rec.metrics}


def test_a_bare_head_is_no_metric(extract):
    rec = extract("PlumNet retains 95% performance after pruning.")
    assert all(r.metric is None for r in rec.results)
    assert not rec.metrics


def test_open_metric_rules_on_plain_text():
    from extractors.results import open_metric

    t = "It boosts the retrieval hit rate by 3.1 points."
    s, e, rule = open_metric(t, t.index("3.1"), t.index("3.1") + 3, 0, len(t))
    assert t[s:e] == "retrieval hit rate" and rule == "metric_phrase"
    t = "We see a 4-fold improvement in energy efficiency."
    s, e, _ = open_metric(t, t.index("4-fold"), t.index("4-fold") + 6, 0, len(t))
    assert t[s:e] == "energy efficiency"
    assert open_metric("It was trained for 300 epochs.", 19, 22, 0, 29) is None


def test_dataset_named_in_another_sentence_fills_a_result_and_says_so(extract):
    rec = extract("On ADE20K, GlimSeg reaches 51.0 mIoU. It also gains 3.3 mIoU over UPerNet.")
    got = _by_value(rec)
    assert got[51.0].dataset == "ADE20K" and got[51.0].kind == "absolute"
    assert got[3.3].kind == "delta" and got[3.3].dataset == "ADE20K"
    assert got[3.3].provenance.extractor.endswith("+dataset:abstract")
    assert got[3.3].compared_to == "UPerNet"
