"""Issue #12's reported cases, on sentences written for these tests (same shapes as the
reports, other names and numbers): respective lists, box vs mask AP, zero-shot vs
fine-tuned accuracy, "up to N%", open-vocabulary metrics and the dataset context."""

from __future__ import annotations

import pytest

from kg.graph.records import Paper


@pytest.fixture(scope="module")
def extract(nlp):
    from kg.ingest.extract import extract_paper

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
    from kg.extractors.results import open_metric

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


def test_signed_gain_on_a_named_benchmark_needs_no_metric(extract):
    rec = extract("QuillNet improves over the baseline by a wide margin: +2.4 on FooQA and +3.1 on BarQA.")
    got = _by_value(rec)
    assert got[2.4].dataset == "FooQA" and got[3.1].dataset == "BarQA"
    assert got[2.4].kind == "delta"


def test_the_dataset_named_right_after_a_number_wins(extract):
    rec = extract("On commonsense suites, QuillNet reaches an accuracy of 71.5% for FooQA and 64.2% for BarQA.")
    got = _by_value(rec)
    assert got[71.5].dataset == "FooQA" and got[64.2].dataset == "BarQA"


def test_counted_things_and_names_before_a_change_noun_are_metrics(extract):
    rec = extract("PruneX removes 80% of the visual tokens. It brings a 3.6% Zeta-Sum improvement on FooQA.")
    got = _by_value(rec)
    assert got[80.0].metric == "visual tokens"
    assert got[3.6].metric == "Zeta-Sum"
    assert "Zeta-Sum" not in {m.name for m in rec.methods}


def test_coordinated_and_descriptive_metric_words_stay_in_the_metric(extract):
    rec = extract("FastMoD reduces the training and inference time by 21.0% and 33.5%, respectively. "
                  "It also yields an increase of 1.7% in Dice similarity coefficient.")
    got = _by_value(rec)
    assert got[21.0].metric == got[33.5].metric == "training and inference time"
    assert got[1.7].metric == "Dice similarity coefficient"


def test_wall_clock_times_are_results_only_when_the_text_says_how_long(extract):
    rec = extract("We train FooGS for 24 hours on one GPU. FooGS renders a scene in under 12 minutes.")
    got = _by_value(rec)
    assert 24.0 not in got
    assert got[12.0].unit == "min"


def test_a_longer_metric_keeps_its_measure_as_an_alias(extract):
    rec = extract("SpecFoo reaches a peak speedup of 3.9x over autoregressive decoding.")
    m = next(m for m in rec.metrics if m.name == "peak speedup")
    assert "speedup" in m.aliases


def test_task_words_as_in_the_text_with_the_bare_task_as_alias(extract):
    rec = extract("We evaluate GlimNet on commonsense reasoning tasks and on medical image segmentation, "
                  "where segmentation quality matters.", title="GlimNet for Medical Image Segmentation")
    tasks = {t.name: t for t in rec.tasks}
    assert "commonsense reasoning" in tasks["commonsense reasoning tasks"].aliases
    assert not any(t.name.lower() == "segmentation" for t in rec.tasks)


def test_metric_with_its_acronym_before_the_value(extract):
    rec = extract("On LibriSpeech test-clean, SpeechFoo reaches a word error rate (WER) of 2.1%.",
                  title="SpeechFoo: Robust Speech Recognition")
    got = _by_value(rec)
    assert got[2.1].metric == "word error rate" and got[2.1].method == "SpeechFoo"
    assert "WER" not in {m.name for m in rec.methods}


def test_a_listed_score_inherits_the_measure_and_a_title_name_is_proposed(extract):
    rec = extract("GraphBar outperforms GCN on node classification, reaching 84.1% accuracy on FooGraph "
                  "and 73.2% on BarGraph. It improves accuracy by 1.3 points on BazGraph.",
                  title="GraphBar for Node Classification")
    got = _by_value(rec)
    assert got[73.2].metric == "accuracy" and got[73.2].dataset == "BarGraph"
    assert got[1.3].method == "GraphBar"


def test_cutoff_measures_and_ambiguous_acronyms_are_metrics_in_a_measurement(extract):
    rec = extract("RecZip improves NDCG@10 by 8.2% over SASRec. TimeNet reduces MSE by 14.3% and MAE by 9.8%.")
    got = _by_value(rec)
    assert got[8.2].metric == "NDCG@10" and got[9.8].metric == "MAE"
    assert not {"NDCG@10", "MAE"} & {m.name for m in rec.methods}


def test_the_model_a_method_processes_is_not_what_its_result_is_about(extract):
    rec = extract("TinyQ quantizes FooLM-70B to 4 bits with a perplexity of 3.41 on WikiText-2.",
                  title="TinyQ: 4-bit Quantization")
    assert _by_value(rec)[3.41].method == "TinyQ"


def test_from_a_to_b_gives_the_new_value_not_a_range(extract):
    rec = extract("LinkFoo improves Hits@50 on ogbl-collab from 51.2 to 57.9. Peak memory drops from 38 GB to 21 GB.")
    got = _by_value(rec)
    assert 51.2 not in got and got[57.9].metric == "Hits@50" and got[57.9].value_max is None
    assert got[57.9].dataset == "ogbl-collab"
    assert 38.0 not in got and got[21.0].unit == "GB"


def test_metric_phrase_before_of_and_medical_measures(extract):
    rec = extract("On the FooECG dataset, CardioBar achieves a sensitivity of 90.4% and a specificity of 94.1%. "
                  "In control suites it reaches a median human-normalized score of 187%.",
                  title="CardioBar: Arrhythmia Detection")
    got = _by_value(rec)
    assert got[90.4].metric == "sensitivity" and got[94.1].metric == "specificity"
    assert got[90.4].dataset == "FooECG" and got[187.0].metric == "human-normalized score"
    assert "FooECG" in {d.name for d in rec.datasets} and "CardioBar" in {m.name for m in rec.methods}


def test_a_qualifier_is_no_reference_and_a_later_clause_keeps_its_own_kind(extract):
    rec = extract("PruneBar removes half of the heads with less than 0.4% drop in top-1 accuracy. "
                  "CTRFoo increases CTR by 2.9% and reaches an AUC of 0.8111 on FooLogs.")
    got = _by_value(rec)
    assert got[0.4].kind == "delta" and got[0.4].qualifier == "less than"
    assert got[0.8111].kind == "absolute" and got[2.9].metric == "CTR"


def test_title_tail_tasks_settings_in_numbers_and_versions_in_names(extract):
    rec = extract("GenFoo attains an FID of 2.4 on ImageNet 512x512 in 8 sampling steps, and 88.1 F1 and 80.3 exact match "
                  "(EM) on FooQA v1.1, with a 5-shot accuracy of 61.2% on BarQA 2.0.",
                  title="GenFoo: Fast Image Synthesis")
    got = _by_value(rec)
    assert "Image Synthesis" in {t.name for t in rec.tasks}
    assert got[2.4].dataset == "ImageNet" and got[2.4].setting == "512x512"
    assert got[88.1].dataset == got[80.3].dataset == "FooQA v1.1"
    assert 5.0 not in got and 2.0 not in got  # "5-shot" is a setting, "2.0" part of the dataset's name
    assert got[61.2].dataset == "BarQA 2.0"


def test_tasks_that_start_a_title_or_a_sentence_or_follow_a_research_verb(extract):
    rec = extract("Session-based recommendation predicts the next click. We tackle molecular property prediction "
                  "and also improve link prediction.", title="Anomaly Detection in Multivariate Sensor Streams")
    names = {t.name for t in rec.tasks}
    assert {"Anomaly Detection", "Session-based recommendation", "molecular property prediction", "link prediction"} <= names
    # before "for" a title names its method, not a task
    rec = extract("We prune voxels.", title="Text-guided Voxel Pruning for Efficient 3D Visual Grounding")
    assert {t.name for t in rec.tasks} == {"3D Visual Grounding"}


def test_method_names_hyphenated_with_a_known_name_and_checkpoint_sizes(extract):
    rec = extract("We distil Whisper into Whisper-Tiny2 and compare it with Distil-Whisper, Mistral 7B and Llama 3 8B.",
                  title="Beyond FooSpeech: Distilling Speech Recognizers")
    names = {m.name for m in rec.methods}
    assert {"Distil-Whisper", "Mistral 7B", "Llama 3 8B"} <= names
    assert "Beyond FooSpeech" not in names  # a phrase about a name, not a name
    rec = extract("A Self-Supervised approach: we train a Mamba-Transformer hybrid.")
    assert not {"Self-Supervised", "Mamba-Transformer"} & {m.name for m in rec.methods}


def test_a_method_named_only_in_the_title_takes_the_title_phrase(extract):
    rec = extract("We prune voxels guided by text. Our method reduces latency by 35% on FooRefer.",
                  title="Text-Guided Voxel Pruning for Efficient 3D Grounding")
    assert _by_value(rec)[35.0].method == "Text-Guided Voxel Pruning"
    assert any(m.name == "Text-Guided Voxel Pruning" and m.role == "proposed" for m in rec.methods)


def test_baseline_scores_in_the_same_sentence_share_the_measure(extract):
    rec = extract("QuickDet reaches a box AP of 31.4% on FooVal, compared to 29.0% for BarDet and 27.5% for BazDet.")
    got = _by_value(rec)
    assert got[29.0].metric == got[27.5].metric == got[31.4].metric
    assert got[29.0].dataset == "FooVal"


def test_removed_shares_trainable_sizes_and_counted_things(extract):
    rec = extract("FooPrune keeps accuracy with 30% layers removed, tunes just 0.40M trainable parameters, "
                  "reduces the number of required training epochs by half and cuts GPU memory by 41.5%.")
    got = _by_value(rec)
    assert got[30.0].metric == "layers"
    assert got[400000.0].unit == "params" and got[400000.0].metric == "trainable parameters"
    assert got[0.5].metric == "training epochs"
    assert got[41.5].metric == "GPU memory"


def test_scores_in_parentheses_baseline_scores_and_measure_shaped_names(extract):
    rec = extract("FooODE achieves the lowest RMSE (0.213) and MAE (0.151) on the Electricity dataset. "
                  "FooBot reaches 64% success rate, compared with 51% for RT-1. "
                  "FooFold reaches a TM-score of 0.82 on FooCASP while running on a Cortex-M7.",
                  title="FooODE: Neural ODE Forecasters")
    got = _by_value(rec)
    assert got[0.213].metric == "RMSE" and got[0.151].metric == "MAE" and got[0.213].dataset == "Electricity"
    assert got[51.0].method == "RT-1"
    assert got[0.82].metric == "TM-score"
    assert not {"TM-score", "Cortex-M7"} & {m.name for m in rec.methods}
    rec = extract("On MovieLens-1M and FooYelp, FooRec improves HR@10 by 4.2% and 3.7%, respectively.")
    assert "MovieLens-1M" in {d.name for d in rec.datasets}


def test_dataset_lists_after_benchmarks_respectively_and_coordinated_measures(extract):
    rec = extract("Experiments on three benchmarks, FooBook, Yelp2018 and BarWalla, show gains. "
                  "We evaluate on the Long Range Foo benchmark and the Speech Bar dataset, where FooSSM reaches "
                  "87.2% and 96.5% accuracy respectively. FooDet improves NDS by 2.3 points and mAPH by 1.7 points.")
    assert {"FooBook", "Yelp2018", "BarWalla"} <= {d.name for d in rec.datasets}
    got = _by_value(rec)
    assert got[1.7].metric == "mAPH" and "mAPH" not in {m.name for m in rec.methods}


def test_bare_suffix_variants_after_a_slash_each_get_their_own_value(extract):
    # issue #12: "RT-DETR-R50 / R101 achieves 53.1% / 54.3%" gave R50 the R101 value
    rec = extract("Our FooDETR-R50 / R101 achieves 52.4% / 54.0% AP on COCO. FooViT-T/S/B reach 79.1%/82.3%/83.9% "
                  "top-1 accuracy on ImageNet-1K, above BarCLIP ViT-L/14 (75.5%).")
    got = _by_value(rec)
    assert got[52.4].method == "FooDETR-R50" and got[54.0].method == "FooDETR-R101"
    assert [got[v].method for v in (79.1, 82.3, 83.9)] == ["FooViT-T", "FooViT-S", "FooViT-B"]
    assert "ViT-14" not in {m.name for m in rec.methods}  # a patch size, not a variant


def test_a_difference_to_a_named_baseline_in_the_sentences_measure(extract):
    rec = extract("BarLM reaches a perplexity of 6.21 on PG-19, 0.8 lower than FooLoRA, with W4A8 weights.")
    got = _by_value(rec)
    assert got[0.8].metric == "perplexity" and got[0.8].compared_to == "FooLoRA" and got[0.8].kind == "delta"
    assert "W4A8" not in {m.name for m in rec.methods}


def test_listed_scores_respective_gains_split_names_and_setup_times(extract):
    rec = extract("On the FooRL benchmark, QDiff attains an average normalized score of 88.4 on FooLoco tasks and "
                  "71.2 on BarMaze, improving over DiffQL by 3.1 and 9.8 points, respectively. "
                  "On LibriSpeech, EchoFoo reaches 2.3%/5.1% WER on test-clean/test-other with a 160 ms chunk.")
    got = _by_value(rec)
    assert got[71.2].metric == "average normalized score" and got[71.2].dataset == "BarMaze"
    assert got[3.1].dataset == "FooLoco" and got[9.8].dataset == "BarMaze"
    assert got[3.1].compared_to == got[9.8].compared_to == "DiffQL"
    assert got[3.1].metric == "average normalized score"
    assert got[5.1].dataset == "LibriSpeech" and 160.0 not in got


def test_pruned_shares_and_losses_in_parentheses(extract):
    rec = extract("PruneFoo prunes 50% of the weights of BarLM-7B and cuts FLOPs by 40% with negligible accuracy "
                  "loss (<0.5%) on FooNet-val.")
    got = _by_value(rec)
    assert got[50.0].metric == "weights" and got[50.0].kind == "relative"
    assert got[0.5].metric == "accuracy" and got[0.5].qualifier == "less than"


def test_the_setting_a_clause_names_is_the_results_setting(extract):
    rec = extract("FooCLIP reaches a zero-shot top-1 accuracy of 74.1% on ImageNet, and 87.9% top-1 accuracy after fine-tuning.")
    got = _by_value(rec)
    assert got[74.1].setting == "zero-shot" and got[87.9].setting == "fine-tuned"
    assert got[74.1].metric != got[87.9].metric or got[74.1].setting != got[87.9].setting


def test_a_generic_title_phrase_is_no_method(extract):
    rec = extract("We study how our pipeline scales. Our method reduces latency by 20% on FooBench.",
                  title="Simple and Efficient Architectures for Foo Parsing")
    assert "Simple and Efficient Architectures" not in {m.name for m in rec.methods}
    rec = extract("We show our approach improves accuracy by 2% on FooBench.", title="Deep Learning for Foo Parsing")
    assert "Deep Learning" not in {m.name for m in rec.methods}


def test_a_size_used_as_a_modifier_is_no_result(extract):
    rec = extract("QuuxDistill feeds a 0.6B parameter encoder into a 9B-parameter decoder model and keeps only "
                  "2.4M trainable parameters, reaching 71.3% accuracy on FooQA.")
    got = _by_value(rec)
    assert 600000000.0 not in got and 9000000000.0 not in got  # what is used, not what is measured
    assert got[2400000.0].unit == "params"
    assert got[71.3].metric == "accuracy"


def test_a_bare_score_in_parentheses_after_a_baseline_is_that_baselines(extract):
    rec = extract("Our agent, FooQL, attains a normalized return of 91.0 on the QuuxGym suite, surpassing BarQL (80.4) "
                  "and BazQL (77.2), and beats QuxLM (7B tokens) too.")
    got = _by_value(rec)
    assert got[80.4].method == "BarQL" and got[77.2].method == "BazQL"
    assert got[80.4].metric == got[77.2].metric == "normalized return"
    assert 7000000000.0 not in got  # "(7B tokens)" is no score


def test_the_model_a_system_serves_is_its_object(extract):
    rec = extract("FooServe serves BarLM-13B with 2.7x higher throughput than QuuxLLM on one GPU.")
    got = _by_value(rec)
    assert got[2.7].method == "FooServe" and got[2.7].metric == "throughput"


def test_from_a_to_b_after_an_acronym_is_the_new_absolute_value(extract):
    rec = extract("FooVox lowers the equal error rate (EER) on QuuxCeleb-T from 2.31% to 1.74%.")
    got = _by_value(rec)
    assert got[1.74].metric == "equal error rate" and got[1.74].kind == "absolute"
    assert got[1.74].dataset == "QuuxCeleb-T"


def test_an_averaged_lexicon_metric_is_a_metric_not_a_method(extract):
    rec = extract("FooGCN keeps macro-F1 within 0.3 points of BarGCN on QuuxGraph.")
    assert "macro-F1" in {m.name for m in rec.metrics} and "macro-F1" not in {m.name for m in rec.methods}


def test_one_reducing_verb_gives_both_coordinated_changes_its_kind(extract):
    rec = extract("FooCast reduces the MAE by 7.2% and the MSE by 10.5% on QuuxTraffic.")
    got = _by_value(rec)
    assert got[7.2].kind == got[10.5].kind == "relative"
    assert got[10.5].metric == "MSE"


def test_names_listed_with_a_known_dataset_are_datasets(extract):
    rec = extract("On Criteo and Zorbazu, FooCTR reaches an AUC of 0.8123 and 0.7911, respectively. "
                  "It is also tested on four benchmarks, including Quuxland and Blorpia.")
    datasets = {d.name for d in rec.datasets}
    assert {"Zorbazu", "Quuxland", "Blorpia"} <= datasets
    assert _by_value(rec)[0.7911].dataset == "Zorbazu"


def test_improving_to_a_value_states_the_new_absolute_value(extract):
    rec = extract("FooMol improves the ROC-AUC on QuuxTox to 79.2%, compared with 74.6% for BarGNN.")
    got = _by_value(rec)
    assert got[79.2].kind == "absolute" and got[79.2].metric == "ROC-AUC"
    assert got[74.6].method == "BarGNN" and got[74.6].metric == "ROC-AUC"


def test_a_patch_size_is_part_of_the_checkpoint_name(extract):
    rec = extract("FooMoE-S matches the top-1 accuracy of QuuxViT-B/16 (80.9%) on FooNet-1K with 2.2x fewer FLOPs.")
    got = _by_value(rec)
    assert "QuuxViT-B/16" in {m.name for m in rec.methods}
    assert got[80.9].method == "QuuxViT-B/16" and got[80.9].metric == "top-1 accuracy"


def test_a_name_after_a_fronted_benchmark_phrase_is_no_dataset(extract):
    rec = extract("On the QuuxGen benchmark, FooQL improves the normalized score from 0.44 to 0.63 over PPO.")
    assert "FooQL" in {m.name for m in rec.methods} and "FooQL" not in {d.name for d in rec.datasets}
    assert _by_value(rec)[0.63].dataset == "QuuxGen"


def test_respective_scores_pair_with_the_previous_sentences_datasets(extract):
    rec = extract("We study node classification on Zorbnet, QuuxSeer and CIFAR-10. FooPrompt achieves accuracies of "
                  "80.1%, 69.4% and 78.2%, respectively, exceeding the best baseline by 2.9% on average.")
    got = _by_value(rec)
    assert [got[v].dataset for v in (80.1, 69.4, 78.2)] == ["Zorbnet", "QuuxSeer", "CIFAR-10"]
    assert got[80.1].metric == "accuracies" and "accuracy" in next(m for m in rec.metrics if m.name == "accuracies").aliases
    assert got[2.9].dataset is None  # on average: over all of them


def test_an_ngram_order_metric_is_a_metric(extract):
    rec = extract("On FooCXR, BarRG improves BLEU-4 from 0.101 to 0.127 and CIDEr by 12%.")
    got = _by_value(rec)
    assert got[0.127].metric == "BLEU-4" and "BLEU-4" not in {m.name for m in rec.methods}
