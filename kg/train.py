"""Training and cross-validating the learned mention tagger (``kg train``).

:func:`train_tagger` builds the BIO corpus of some gold records
(:mod:`extractors.training.corpus`) and runs spaCy's own training with
``extractors/training/tagger.cfg``; the pipeline saved is the last epoch's (no model
selection on held-out data). :func:`cross_validate` trains on K-1 folds
(:func:`kg.evaluate.fold_of`), extracts the held-out fold with the rule pipeline alone,
with rules + learned spans, and with learned spans alone, and scores each with
:func:`kg.evaluate.evaluate`. Progress goes to stderr.
"""

from __future__ import annotations

import contextlib
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from .evaluate import ENTITY_TYPES, evaluate, fold_of
from .extract import extract_with
from .records import Paper

CATEGORIES = (*ENTITY_TYPES, "entities (micro)", "results", "results (strict)")


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


def train_tagger(gold: list[dict], inputs: dict[str, dict], output: Path | str, *, epochs: int = 15,
                 dropout: float = 0.1, width: int = 64, seed: int = 0) -> Path:
    """Train the tagger on ``gold`` and save the pipeline to ``output``; returns ``output``."""
    from spacy.cli.train import train

    from extractors import build_pipeline
    from extractors.training.corpus import CONFIG, build_docs, write_docbin

    output = Path(output)
    docs = build_docs(build_pipeline(), gold, inputs)
    with tempfile.TemporaryDirectory(prefix="kg-train-") as tmp:
        corpus = write_docbin(docs, Path(tmp) / "train.spacy")
        overrides = {"paths.train": str(corpus), "paths.dev": str(corpus), "training.max_epochs": epochs,
                     "training.dropout": dropout, "system.seed": seed,
                     "components.tagger.model.tok2vec.embed.width": width,
                     "components.tagger.model.tok2vec.encode.width": width}
        with contextlib.redirect_stdout(sys.stderr):
            train(CONFIG, Path(tmp) / "out", overrides=overrides, use_gpu=-1)
        if output.exists():
            shutil.rmtree(output)
        shutil.copytree(Path(tmp) / "out" / "model-last", output)
    return output




def learned_only(nlp, papers: list[Paper]) -> list[dict]:
    """Prediction records holding only the learned tagger's spans (title and abstract)."""
    from extractors.learned import decode_bio

    label_field = {"METHOD": "methods", "DATASET": "datasets", "METRIC": "metrics", "TASK": "tasks"}
    tagger = nlp.get_pipe("kg_tagger")
    out = []
    for p in papers:
        rec: dict = {"id": p.id, **{f: [] for f in label_field.values()}}
        seen = set()
        for text in (p.title, p.abstract):
            doc = tagger(nlp.make_doc(text))
            for s in decode_bio(doc):
                key = (s.label_, s.text)
                if key not in seen:
                    seen.add(key)
                    rec[label_field[s.label_]].append({"name": s.text, "aliases": []})
        out.append(rec)
    return out


def _f1s(ev) -> dict[str, float]:
    return {c: ev.scores[c].f1 for c in CATEGORIES}


def cross_validate(gold: list[dict], inputs: dict[str, dict], k: int = 5, folds: list[int] | None = None,
                   modes: tuple[str, ...] = ("compete",), **train_kw) -> dict[str, list[dict[str, float]]]:
    """Per-fold F1 by category for ``"rules"``, ``"rules+learned(<mode>)"`` and ``"learned"``."""
    from extractors import build_pipeline

    papers_all = {i: Paper(id=i, title=d.get("title") or "", abstract=d.get("abstract") or "") for i, d in inputs.items()}
    rules_nlp = build_pipeline()
    table: dict[str, list[dict[str, float]]] = {}
    for f in (folds if folds is not None else range(k)):
        train_gold = [g for g in gold if fold_of(g["id"], k) != f]
        test_gold = [g for g in gold if fold_of(g["id"], k) == f]
        papers = [papers_all[str(g["id"])] for g in test_gold if str(g["id"]) in papers_all]
        _log(f"fold {f}: training on {len(train_gold)} records, testing on {len(test_gold)}")
        with tempfile.TemporaryDirectory(prefix="kg-cv-") as tmp:
            model = train_tagger(train_gold, inputs, Path(tmp) / "model", **train_kw)
            table.setdefault("rules", []).append(_f1s(evaluate(extract_with(rules_nlp, papers), test_gold)))
            for mode in modes:
                nlp = build_pipeline(learned=model, learned_config={"mode": mode})
                table.setdefault(f"rules+learned({mode})", []).append(_f1s(evaluate(extract_with(nlp, papers), test_gold)))
            table.setdefault("learned", []).append(_f1s(evaluate(learned_only(nlp, papers), test_gold)))
        _log("  " + "  ".join(f"{name}: micro {rows[-1]['entities (micro)']:.3f} results {rows[-1]['results']:.3f}"
                              for name, rows in table.items()))
    return table


def summary(rows: list[dict[str, float]]) -> dict[str, tuple[float, float]]:
    """Mean and (sample) standard deviation of each category over folds."""
    return {c: (statistics.mean(r[c] for r in rows), statistics.stdev([r[c] for r in rows]) if len(rows) > 1 else 0.0)
            for c in CATEGORIES}
