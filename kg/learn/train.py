"""Training and cross-validating the learned span classifier (``kg train``).

:func:`train_classifier` writes the gold records (with their inputs' title and abstract)
as the JSONL that ``extractors/training/spancat.cfg``'s reader ``kg.gold_examples.v1``
reads, and runs spaCy's own training (``spacy train``) on it; the pipeline saved is the
last epoch's (no model selection on held-out data). :func:`cross_validate` trains on K-1
folds (:func:`kg.learn.evaluate.fold_of`), extracts the held-out fold with the rule pipeline
alone and with rules + the classifier at each ``(keep, add)`` threshold pair, and scores
each with :func:`kg.learn.evaluate.evaluate`. Progress goes to stderr.
"""

from __future__ import annotations

import contextlib
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from kg.learn.evaluate import ENTITY_TYPES, evaluate, fold_of
from kg.ingest.extract import extract_with
from kg.graph.records import Paper

CATEGORIES = (*ENTITY_TYPES, "entities (micro)", "results", "results (strict)")
# (keep, add, veto labels) tried by cross-validation; see extractors.learned. add > 1:
# the classifier only vetoes; veto "MT": it may drop rule METHOD and TASK mentions only
THRESHOLDS = ((0.1, 0.5, "MDET"), (0.2, 0.7, "MDET"), (0.2, 0.6, "MT"), (0.1, 0.8, "MT"), (0.2, 1.01, "MT"), (0.3, 0.7, "T"))
_VETO = {"M": "METHOD", "D": "DATASET", "E": "METRIC", "T": "TASK"}


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def read_inputs(path: Path | str) -> dict[str, dict]:
    """id -> input record (``{"id","title","abstract"}``) of a JSONL file."""
    import json

    out = {}
    with Path(path).open(encoding="utf-8-sig") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                out[str(d["id"])] = d
    return out


def train_classifier(gold: list[dict], inputs: dict[str, dict], output: Path | str, *, epochs: int = 20,
                     dropout: float = 0.1, width: int = 64, seed: int = 0) -> Path:
    """Train the span classifier on ``gold`` and save the pipeline to ``output``; returns
    ``output``. ``epochs``: passes over the records; ``width``: tok2vec width."""
    from spacy.cli.train import train

    from kg.extractors.training import register  # noqa: F401  (the suggester and the reader)
    from kg.extractors.training.corpus import CONFIG, with_inputs, write_jsonl

    output = Path(output)
    with tempfile.TemporaryDirectory(prefix="kg-train-") as tmp:
        corpus = write_jsonl(with_inputs(gold, inputs), Path(tmp) / "train.jsonl")
        overrides = {"paths.train": str(corpus), "paths.dev": str(corpus), "training.max_epochs": epochs,
                     "training.dropout": dropout, "system.seed": seed,
                     "components.spancat.model.tok2vec.embed.width": width,
                     "components.spancat.model.tok2vec.encode.width": width}
        with contextlib.redirect_stdout(sys.stderr):
            train(CONFIG, Path(tmp) / "out", overrides=overrides, use_gpu=-1)
        if output.exists():
            shutil.rmtree(output)
        shutil.copytree(Path(tmp) / "out" / "model-last", output)
    return output


def _f1s(ev) -> dict[str, float]:
    return {c: ev.scores[c].fscore for c in CATEGORIES}


def cross_validate(gold: list[dict], inputs: dict[str, dict], k: int = 5, folds: list[int] | None = None,
                   thresholds: tuple[tuple[float, float, str], ...] = THRESHOLDS, **train_kw) -> dict[str, list[dict[str, float]]]:
    """Per-fold F1 by category for ``"rules"`` and ``"rules+learned(keep,add,veto)"``."""
    from kg.extractors import build_pipeline

    papers_all = {i: Paper(id=i, title=d.get("title") or "", abstract=d.get("abstract") or "") for i, d in inputs.items()}
    rules_nlp = build_pipeline()
    table: dict[str, list[dict[str, float]]] = {}
    for f in (folds if folds is not None else range(k)):
        train_gold = [g for g in gold if fold_of(g["id"], k) != f]
        test_gold = [g for g in gold if fold_of(g["id"], k) == f]
        papers = [papers_all[str(g["id"])] for g in test_gold if str(g["id"]) in papers_all]
        _log(f"fold {f}: training on {len(train_gold)} records, testing on {len(test_gold)}")
        with tempfile.TemporaryDirectory(prefix="kg-cv-") as tmp:
            model = train_classifier(train_gold, inputs, Path(tmp) / "model", **train_kw)
            table.setdefault("rules", []).append(_f1s(evaluate(extract_with(rules_nlp, papers), test_gold)))
            for keep, add, veto in thresholds:
                nlp = build_pipeline(learned=model, learned_config={"keep": keep, "add": min(add, 1.0),
                                                                    "veto": [_VETO[c] for c in veto]})
                name = f"learned({keep:g},{add:g},{veto})"
                table.setdefault(name, []).append(_f1s(evaluate(extract_with(nlp, papers), test_gold)))
        _log("  " + "  ".join(f"{name}: micro {rows[-1]['entities (micro)']:.3f} results {rows[-1]['results']:.3f}"
                              for name, rows in table.items()))
    return table


def summary(rows: list[dict[str, float]]) -> dict[str, tuple[float, float]]:
    """Mean and (sample) standard deviation of each category over folds."""
    return {c: (statistics.mean(r[c] for r in rows), statistics.stdev([r[c] for r in rows]) if len(rows) > 1 else 0.0)
            for c in CATEGORIES}
