"""Scoring extraction against gold records annotated as in ``shared/gold/GUIDELINES.md``.

Matching rules (also in the README, "Evaluation"):

* These are the rules of ``shared/gold/score.py``, the scorer that judges the hidden sets
  (``tests/unit/test_evaluate.py`` checks that both give the same figures on the dev set).
* Names are compared after :func:`eval_norm` (Unicode NFKC, casefold, and white space,
  dashes, ``. / , : ; ( ) ' " ` `` removed). A predicted entity matches a gold
  entity of the same type when any of its forms (name or aliases) equals any form of the
  gold entity; each gold entity is matched at most once (greedy, in order).
* A predicted result matches a gold result when the values are equal (relative
  tolerance 1e-6; ``value_max`` is not compared), and the metric and the dataset each
  match: the gold side is null (any prediction matches), or the predicted name is a form of
  the gold-side entity (its name or an alias in the gold record) or equal after
  normalisation. "Strict" also needs
  the method to match the same way. One-to-one, greedy.
* ``code_url`` counts as a prediction when not null; it is correct when equal to the
  gold URL after dropping a trailing ``/`` or ``.``.

Precision, recall and F1 are micro-averaged over all records (sums of TP/FP/FN).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.scorer import PRFScore

from kg.errors import KgError
from kg.graph.records import PaperRecord

ENTITY_TYPES = ("methods", "datasets", "metrics", "tasks")


_PUNCT = re.compile(r"[\s\-_\u2010\u2011\u2013\u2014./,:;()'\"`]+")


def eval_norm(s: str | None) -> str:
    """Normalised form of a name for matching ("" for None): ``score.py``'s ``norm``."""
    if s is None:
        return ""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(s)).casefold())


def fold_of(record_id: str, k: int) -> int:
    """The fold (0 <= fold < ``k``) of a record: the SHA-1 of its id as an integer, mod ``k``.

    Depends on the id alone, so a record keeps its fold whatever the file order; the
    honest-protocol split of the dev set (develop on some folds, report the others).
    """
    import hashlib

    if k < 1:
        raise ValueError(f"k must be >= 1, not {k}")
    return int(hashlib.sha1(str(record_id).encode("utf-8")).hexdigest(), 16) % k


@dataclass
class RecordErrors:
    """False positives and negatives of one record, by category (for ``--explain``)."""

    id: str
    fp: dict[str, list[str]] = field(default_factory=dict)
    fn: dict[str, list[str]] = field(default_factory=dict)


def _forms(e: dict) -> set[str]:
    return {eval_norm(e.get("name"))} | {eval_norm(a) for a in e.get("aliases") or []}


def match_entities(pred: list[dict], gold: list[dict]) -> tuple[PRFScore, list[str], list[str]]:
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
    return PRFScore(tp=len(used), fp=len(fps), fn=len(fns)), fps, fns


def _alias_map(rec: dict) -> dict[str, set[str]]:
    """Normalised surface form -> every normalised form of the same entity, over all
    entity types of one record (score.py's ``alias_map``)."""
    m: dict[str, set[str]] = {}
    for t in ENTITY_TYPES:
        for e in rec.get(t) or []:
            forms = _forms(e) - {""}
            for f in forms:
                m.setdefault(f, set()).update(forms)
    return m


def _name_match(pred: str | None, gold: str | None, gmap: dict[str, set[str]], pmap: dict[str, set[str]]) -> bool:
    """A result's metric/dataset/method matches: gold null matches anything; else some
    form of the predicted entity is a form of the gold one."""
    if gold is None:
        return True  # the gold record does not say: any prediction matches (score.py)
    if pred is None:
        return False
    g, p = eval_norm(gold), eval_norm(pred)
    return bool(gmap.get(g, {g}) & pmap.get(p, {p}))


def _value_eq(pred: dict, gold: dict) -> bool:
    """Equal within 1e-6 relative (at least 1e-6 absolute), or a gold percentage given
    as a fraction (83.8 % vs 0.838)."""
    try:
        a, b = float(gold["value"]), float(pred["value"])
    except (KeyError, TypeError, ValueError):
        return False

    def close(x: float, y: float) -> bool:
        return abs(x - y) <= 1e-6 * max(1.0, abs(x), abs(y))

    return close(a, b) or (gold.get("unit") == "%" and close(a / 100.0, b))


def match_results(pred: list[dict], gold_rec: dict, strict: bool, pred_rec: dict | None = None) -> tuple[PRFScore, list[str], list[str]]:
    """Match results as the module docstring says; returns score, unmatched pred/gold texts.
    ``pred_rec`` (the predicted record) lends its entities' aliases to the names of ``pred``."""
    gold = gold_rec.get("results") or []
    gmap, pmap = _alias_map(gold_rec), _alias_map(pred_rec or {})
    used: set[int] = set()
    fps: list[str] = []
    for p in pred:
        hit = None
        for i, g in enumerate(gold):
            if i in used or not _value_eq(p, g):
                continue
            if not _name_match(p.get("metric"), g.get("metric"), gmap, pmap):
                continue
            if not _name_match(p.get("dataset"), g.get("dataset"), gmap, pmap):
                continue
            if strict and not _name_match(p.get("method"), g.get("method"), gmap, pmap):
                continue
            hit = i
            break
        if hit is None:
            fps.append(_describe(p))
        else:
            used.add(hit)
    fns = [_describe(g) for i, g in enumerate(gold) if i not in used]
    return PRFScore(tp=len(used), fp=len(fps), fn=len(fns)), fps, fns


def _describe(r: dict) -> str:
    vm = f"-{r['value_max']:g}" if r.get("value_max") is not None else ""
    return (f"{r['value']:g}{vm}{r.get('unit') or ''} {r.get('kind')} metric={r.get('metric')} "
            f"dataset={r.get('dataset')} method={r.get('method')} vs={r.get('compared_to')}")


def _url(u: str | None) -> str | None:
    return eval_norm(u) if u else None


@dataclass
class Evaluation:
    """Scores by category and the per-record errors."""

    scores: dict[str, PRFScore]
    errors: list[RecordErrors]
    n_records: int
    missing: list[str]

    def rows(self) -> list[tuple[str, int, int, int, float, float, float]]:
        """``(category, tp, fp, fn, precision, recall, f1)`` in display order."""
        order = [*ENTITY_TYPES, "entities (micro)", "results", "results (strict)", "code_url"]
        return [(k, s.tp, s.fp, s.fn, s.precision, s.recall, s.fscore) for k in order for s in [self.scores[k]]]


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
    scores = {c: PRFScore() for c in cats}
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
            scores[t] += s
            scores["entities (micro)"] += s
            err.fp[t], err.fn[t] = fps, fns
        for key, strict in (("results", False), ("results (strict)", True)):
            s, fps, fns = match_results(list(p.get("results") or []), g, strict, p)
            scores[key] += s
            if not strict:
                err.fp["results"], err.fn["results"] = fps, fns
        pu, gu = _url(p.get("code_url")), _url(g.get("code_url"))
        s = PRFScore(tp=int(pu is not None and pu == gu), fp=int(pu is not None and pu != gu), fn=int(gu is not None and pu != gu))
        scores["code_url"] += s
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
