import json

from kg.learn.evaluate import eval_norm, evaluate, match_entities, match_results

GOLD = {
    "id": "g1", "title": "t",
    "methods": [{"name": "FooNet", "aliases": ["Foo Network"], "role": "proposed"}, {"name": "BarNet", "aliases": [], "role": "compared"}],
    "datasets": [{"name": "ImageNet-1K", "aliases": []}],
    "metrics": [{"name": "top-1 accuracy", "aliases": ["accuracy"]}],
    "tasks": [],
    "results": [
        {"method": "FooNet", "dataset": "ImageNet-1K", "metric": "top-1 accuracy", "value": 81.5, "unit": "%", "kind": "absolute", "compared_to": None, "text": "x"},
        {"method": "FooNet", "dataset": None, "metric": None, "value": 2.0, "unit": "%", "kind": "delta", "compared_to": "BarNet", "text": "y"},
    ],
    "code_url": "https://github.com/a/b",
}


def test_eval_norm_folds_case_hyphens_spaces_and_punctuation():
    assert eval_norm("ImageNet-1K") == eval_norm("imagenet 1k") == eval_norm("Image.Net_1k") == "imagenet1k"
    assert eval_norm(None) == ""


def test_fold_of_depends_on_the_id_alone():
    from kg.learn.evaluate import fold_of

    ids = [f"paper-{i}" for i in range(500)]
    folds = [fold_of(i, 5) for i in ids]
    assert folds == [fold_of(i, 5) for i in reversed(ids)][::-1]
    assert set(folds) == {0, 1, 2, 3, 4} and all(60 <= folds.count(f) <= 140 for f in range(5))
    import pytest

    with pytest.raises(ValueError):
        fold_of("x", 0)


def test_gold_null_metric_matches_any_prediction():
    pred = [{"method": "FooNet", "dataset": "ImageNet-1K", "metric": "accuracy", "value": 2.0}]
    s, _, _ = match_results(pred, GOLD, strict=True)
    assert (s.tp, s.fp, s.fn) == (1, 0, 1)


def test_entities_match_on_any_form_one_to_one():
    s, fps, fns = match_entities([{"name": "Foo Network", "aliases": []}, {"name": "foonet", "aliases": []}, {"name": "Baz"}],
                                 GOLD["methods"])
    assert (s.tp, s.fp, s.fn) == (1, 2, 1)
    assert fps == ["foonet", "Baz"] and fns == ["BarNet"]


def test_results_need_value_metric_dataset_and_strict_needs_method():
    pred = [{"method": "BarNet", "dataset": "ImageNet-1K", "metric": "accuracy", "value": 81.5},
            {"method": "FooNet", "dataset": None, "metric": None, "value": 2.0},
            {"method": "FooNet", "dataset": "ImageNet-1K", "metric": None, "value": 81.5}]
    loose, _, _ = match_results(pred, GOLD, strict=False)
    strict, _, _ = match_results(pred, GOLD, strict=True)
    assert (loose.tp, loose.fp, loose.fn) == (2, 1, 0)
    assert (strict.tp, strict.fp, strict.fn) == (1, 2, 1)


def test_evaluate_counts_missing_records_and_code_urls():
    pred = {"id": "g1", "methods": [], "datasets": [], "metrics": [], "tasks": [], "results": [], "code_url": "https://github.com/a/b/"}
    ev = evaluate([pred], [GOLD, {**GOLD, "id": "g2"}])
    assert ev.missing == ["g2"]
    assert ev.scores["code_url"].tp == 1 and ev.scores["code_url"].fn == 1
    assert ev.scores["methods"].fn == 4


def test_dev_gold_scores_are_computed(shared):
    """The real dev set runs end to end and scores above a floor a regression would break."""
    from kg.learn.evaluate import read_gold
    from kg.ingest.extract import extract_papers
    from kg.ingest.papers import read_papers

    papers, rejects = read_papers([shared / "gold" / "dev_input.jsonl"])
    assert not rejects
    ev = evaluate(list(extract_papers(papers)), read_gold(shared / "gold" / "dev.jsonl"))
    assert ev.n_records == 228 and not ev.missing
    assert ev.scores["entities (micro)"].fscore >= 0.60
    assert ev.scores["results"].fscore >= 0.55
    assert ev.scores["code_url"].fscore >= 0.95
    json.dumps([e.fp for e in ev.errors])  # explain output is serialisable


def test_two_workers_give_the_same_records_in_the_same_order(shared):
    from kg.ingest.extract import extract_papers
    from kg.ingest.papers import read_papers

    papers, _ = read_papers([shared / "gold" / "dev_input.jsonl"])
    one = [r.model_dump_json() for r in extract_papers(papers, workers=1, batch_size=4)]
    two = [r.model_dump_json() for r in extract_papers(papers, workers=2, batch_size=4)]
    assert one == two and len(one) == 228


def test_kg_eval_gives_the_figures_of_the_judging_scorer(shared, tmp_path):
    """kg's evaluator and shared/gold/score.py (the scorer of the hidden sets) agree on
    every count over the 228 dev records."""
    import importlib.util

    from kg.learn.evaluate import read_gold
    from kg.ingest.extract import extract_papers
    from kg.ingest.extractions import write_jsonl
    from kg.ingest.papers import read_papers

    spec = importlib.util.spec_from_file_location("gold_score", shared / "gold" / "score.py")
    official = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(official)
    papers, _ = read_papers([shared / "gold" / "dev_input.jsonl"])
    out = tmp_path / "pred.jsonl"
    write_jsonl(extract_papers(papers), out)
    ours = evaluate([json.loads(line) for line in out.open()], read_gold(shared / "gold" / "dev.jsonl")).scores
    theirs = official.score(official.load(shared / "gold" / "dev.jsonl"), official.load(out))
    for ours_key, their_key in [("methods", "methods"), ("datasets", "datasets"), ("metrics", "metrics"), ("tasks", "tasks"),
                                ("results", "results"), ("results (strict)", "results_strict"), ("code_url", "code_url")]:
        o, t = ours[ours_key], theirs[their_key]
        assert (o.tp, o.tp + o.fp, o.tp + o.fn) == (t["tp"], t["pred"], t["gold"]), ours_key
