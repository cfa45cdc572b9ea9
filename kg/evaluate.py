"""Scoring extraction against gold records annotated as in ``shared/gold/GUIDELINES.md``.

Matching rules (also in the README, "Evaluation"):

* Names are compared after :func:`eval_norm` (Unicode NFKC, casefold, hyphens /
  underscores / runs of spaces folded to one space). A predicted entity matches a gold
  entity of the same type when any of its forms (name or aliases) equals any form of the
  gold entity; each gold entity is matched at most once (greedy, in order).
* A predicted result matches a gold result when the values are equal (relative
  tolerance 1e-6; ``value_max`` is not compared), and the metric and the dataset each
  match: both null, or the predicted name is a form of the gold-side entity (its name
  or an alias in the gold record) or equal after normalisation. "Strict" also needs
  the method to match the same way. One-to-one, greedy.
* ``code_url`` counts as a prediction when not null; it is correct when equal to the
  gold URL after dropping a trailing ``/`` or ``.``.

Precision, recall and F1 are micro-averaged over all records (sums of TP/FP/FN).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KgError
from .records import PaperRecord

ENTITY_TYPES = ("methods", "datasets", "metrics", "tasks")


def eval_norm(s: str | None) -> str:
    """Normalised form of a name for matching ("" for None)."""
    if s is None:
        return ""
    t = unicodedata.normalize("NFKC", s).casefold()
    return re.sub(r"[\s\-_‐–]+", " ", t).strip()


@dataclass
class Score:
    """True positives, false positives and false negatives of one category."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class RecordErrors:
    """False positives and negatives of one record, by category (for ``--explain``)."""

    id: str
    fp: dict[str, list[str]] = field(default_factory=dict)
    fn: dict[str, list[str]] = field(default_factory=dict)


def _forms(e: dict) -> set[str]:
    return {eval_norm(e.get("name"))} | {eval_norm(a) for a in e.get("aliases") or []}


def match_entities(pred: list[dict], gold: list[dict]) -> tuple[Score, list[str], list[str]]:
    """Greedy one-to-one matching; returns the score, unmatched predicted and gold names."""
    used: set[int] = set()
    fps: list[str] = []
    for p in pred:
        pf = _forms(p)
        hit = next((i for i, g in enumerate(gold) if i not in used and pf & _forms(g)), None)
        if hit is None:
            fps.append(p["name"])
        else:
            used.add(hit)
    fns = [g["name"] for i, g in enumerate(gold) if i not in used]
    return Score(tp=len(used), fp=len(fps), fn=len(fns)), fps, fns


def _name_match(pred: str | None, gold: str | None, gold_entities: list[dict]) -> bool:
    if pred is None or gold is None:
        return pred is None and gold is None
    pn = eval_norm(pred)
    if pn == eval_norm(gold):
        return True
    for e in gold_entities:
        f = _forms(e)
        if eval_norm(gold) in f:
            return pn in f
    return False


def _value_eq(a: float, b: float) -> bool:
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)


def match_results(pred: list[dict], gold_rec: dict, strict: bool) -> tuple[Score, list[str], list[str]]:
    """Match results as the module docstring says; returns score, unmatched pred/gold texts."""
    gold = gold_rec.get("results") or []
    used: set[int] = set()
    fps: list[str] = []
    for p in pred:
        hit = None
        for i, g in enumerate(gold):
            if i in used or not _value_eq(p["value"], g["value"]):
                continue
            if not _name_match(p.get("metric"), g.get("metric"), gold_rec.get("metrics") or []):
                continue
            if not _name_match(p.get("dataset"), g.get("dataset"), gold_rec.get("datasets") or []):
                continue
            if strict and not _name_match(p.get("method"), g.get("method"), gold_rec.get("methods") or []):
                continue
            hit = i
            break
        if hit is None:
            fps.append(_describe(p))
        else:
            used.add(hit)
    fns = [_describe(g) for i, g in enumerate(gold) if i not in used]
    return Score(tp=len(used), fp=len(fps), fn=len(fns)), fps, fns


def _describe(r: dict) -> str:
    vm = f"-{r['value_max']:g}" if r.get("value_max") is not None else ""
    return (f"{r['value']:g}{vm}{r.get('unit') or ''} {r.get('kind')} metric={r.get('metric')} "
            f"dataset={r.get('dataset')} method={r.get('method')} vs={r.get('compared_to')}")


def _url(u: str | None) -> str | None:
    return u.rstrip("/.") if u else None


@dataclass
class Evaluation:
    """Scores by category and the per-record errors."""

    scores: dict[str, Score]
    errors: list[RecordErrors]
    n_records: int
    missing: list[str]

    def rows(self) -> list[tuple[str, int, int, int, float, float, float]]:
        """``(category, tp, fp, fn, precision, recall, f1)`` in display order."""
        order = [*ENTITY_TYPES, "entities (micro)", "results", "results (strict)", "code_url"]
        return [(k, s.tp, s.fp, s.fn, s.precision, s.recall, s.f1) for k in order for s in [self.scores[k]]]


def evaluate(pred: Iterable[PaperRecord | dict], gold: Iterable[dict]) -> Evaluation:
    """Score predictions against gold records, matched by ``id``.

    A gold record with no prediction counts all its items as false negatives (its id is
    listed in ``missing``). Predictions without a gold record are ignored.
    """
    preds: dict[str, dict] = {}
    for p in pred:
        d = json.loads(p.model_dump_json()) if isinstance(p, PaperRecord) else p
        preds[str(d["id"])] = d
    cats = [*ENTITY_TYPES, "entities (micro)", "results", "results (strict)", "code_url"]
    scores = {c: Score() for c in cats}
    errors: list[RecordErrors] = []
    missing: list[str] = []
    n = 0
    for g in gold:
        n += 1
        p = preds.get(str(g["id"]))
        if p is None:
            missing.append(str(g["id"]))
            p = {"id": g["id"]}
        err = RecordErrors(id=str(g["id"]))
        for t in ENTITY_TYPES:
            s, fps, fns = match_entities(list(p.get(t) or []), list(g.get(t) or []))
            scores[t].add(s)
            scores["entities (micro)"].add(s)
            err.fp[t], err.fn[t] = fps, fns
        for key, strict in (("results", False), ("results (strict)", True)):
            s, fps, fns = match_results(list(p.get("results") or []), g, strict)
            scores[key].add(s)
            if not strict:
                err.fp["results"], err.fn["results"] = fps, fns
        pu, gu = _url(p.get("code_url")), _url(g.get("code_url"))
        s = Score(tp=int(pu is not None and pu == gu), fp=int(pu is not None and pu != gu), fn=int(gu is not None and pu != gu))
        scores["code_url"].add(s)
        if s.fp or s.fn:
            err.fp["code_url"], err.fn["code_url"] = [pu] if pu else [], [gu] if gu else []
        errors.append(err)
    return Evaluation(scores=scores, errors=errors, n_records=n, missing=missing)


def read_gold(path: Path | str) -> list[dict]:
    """Read a gold JSONL file; raises :class:`KgError` naming the line of a bad record."""
    out = []
    with Path(path).open(encoding="utf-8-sig") as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                raise KgError(f"{path}:{i}: invalid JSON in gold file ({e.msg})") from None
            if not isinstance(d, dict) or "id" not in d:
                raise KgError(f"{path}:{i}: gold record needs an 'id'")
            out.append(d)
    return out
