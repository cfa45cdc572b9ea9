"""Loading the pattern data in ``extractors/patterns/`` with validation.

Every ``*.jsonl`` file holds SpanRuler patterns, one per line:
``{"label": "DATASET", "pattern": "ImageNet-1K", "id": "imagenet-1k"}`` where ``pattern``
is a phrase (string) or a token pattern (list of dicts), ``label`` is one of
:data:`LABELS` and ``id`` is the canonical id shared by all aliases of one entity
(spaCy's SpanRuler pattern format: https://spacy.io/api/spanruler#patterns).
Loaded lists are new lists each call: module-level data is never mutated.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .errors import Errors, PatternError

PATTERNS_DIR = Path(__file__).parent / "patterns"
LABELS = ("METHOD", "DATASET", "METRIC", "TASK")


def load_patterns(path: Path) -> list[dict]:
    """Read and validate one JSONL pattern file.

    Returns a list of pattern dicts with keys ``label``, ``pattern``, ``id`` and, when the
    line names one, ``source`` (where a generated entry's name came from, e.g.
    ``"torchvision 0.29.2 torchvision.datasets"``; see ``*_public.jsonl``).
    Raises :class:`PatternError` naming the file and line for a missing file, invalid
    JSON, a missing key, an unknown label or a ``source`` that is not a non-empty string.
    """
    path = Path(path)
    if not path.is_file():
        raise PatternError(Errors.E101.format(path=path))
    out: list[dict] = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise PatternError(Errors.E102.format(path=path, line=i, reason=f"invalid JSON ({e.msg})")) from None
        if not isinstance(obj, dict) or "label" not in obj or "pattern" not in obj:
            raise PatternError(Errors.E102.format(path=path, line=i, reason="needs 'label' and 'pattern'"))
        if obj["label"] not in LABELS:
            raise PatternError(Errors.E103.format(label=obj["label"], path=path, line=i, labels=LABELS))
        if not isinstance(obj["pattern"], (str, list)) or not obj["pattern"]:
            raise PatternError(Errors.E102.format(path=path, line=i, reason="'pattern' must be a non-empty string or list"))
        entry = {"label": obj["label"], "pattern": obj["pattern"], "id": str(obj.get("id") or obj["pattern"])}
        if "source" in obj:
            if not isinstance(obj["source"], str) or not obj["source"].strip():
                raise PatternError(Errors.E102.format(path=path, line=i, reason="'source' must be a non-empty string"))
            entry["source"] = obj["source"]
        out.append(entry)
    return out


@lru_cache(maxsize=8)
def _load_dir(directory: str) -> tuple[tuple[str, str, str], ...]:
    rows = []
    for p in sorted(Path(directory).glob("*.jsonl")):
        for d in load_patterns(p):
            rows.append((d["label"], json.dumps(d["pattern"]), d["id"]))
    return tuple(rows)


def all_patterns(directory: Path | str = PATTERNS_DIR) -> list[dict]:
    """Every pattern of every ``*.jsonl`` file in ``directory`` (fresh list of fresh dicts)."""
    return [{"label": l, "pattern": json.loads(p), "id": i} for l, p, i in _load_dir(str(directory))]


@lru_cache(maxsize=8)
def generic_terms(directory: str = str(PATTERNS_DIR)) -> frozenset[str]:
    """Casefolded words that are never the name of one method (``generic_terms.json``)."""
    p = Path(directory) / "generic_terms.json"
    if not p.is_file():
        raise PatternError(Errors.E101.format(path=p))
    return frozenset(t.casefold() for t in json.loads(p.read_text(encoding="utf-8"))["terms"])


def lexicon_index(directory: Path | str = PATTERNS_DIR) -> dict[str, tuple[str, str]]:
    """Map casefolded phrase → (label, id) for every string pattern."""
    idx: dict[str, tuple[str, str]] = {}
    for d in all_patterns(directory):
        if isinstance(d["pattern"], str):
            idx.setdefault(d["pattern"].casefold(), (d["label"], d["id"]))
    return idx


@lru_cache(maxsize=8)
def metric_phrases(directory: str = str(PATTERNS_DIR)) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """``(heads, modifier_stop, bare_not_metric)`` of ``metric_phrases.json``: the measure
    words that end an open-vocabulary metric phrase, the words that end such a phrase on
    the left, and the heads that need a modifier to be a metric (all casefolded). Raises :class:`PatternError` for a missing file or a list that is
    not a non-empty list of strings."""
    p = Path(directory) / "metric_phrases.json"
    if not p.is_file():
        raise PatternError(Errors.E101.format(path=p))
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise PatternError(Errors.E102.format(path=p, line=e.lineno, reason=f"invalid JSON ({e.msg})")) from None
    out = []
    for key in ("heads", "modifier_stop", "bare_not_metric"):
        words = data.get(key) if isinstance(data, dict) else None
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            raise PatternError(Errors.E102.format(path=p, line=1, reason=f"{key!r} must be a non-empty list of words"))
        out.append(frozenset(w.casefold() for w in words))
    return out[0], out[1], out[2]


@lru_cache(maxsize=64)
def words(key: str, directory: str = str(PATTERNS_DIR)) -> tuple[str, ...]:
    """The word list ``key`` of ``words.json`` (``{"lists": {key: {"doc", "words"}}}``), in
    file order and case. Raises :class:`PatternError` for a missing file, an unknown key or
    a list that is not a non-empty list of non-blank strings."""
    p = Path(directory) / "words.json"
    if not p.is_file():
        raise PatternError(Errors.E101.format(path=p))
    try:
        lists = json.loads(p.read_text(encoding="utf-8"))["lists"]
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        raise PatternError(Errors.E102.format(path=p, line=1, reason=f"needs an object 'lists' ({e})")) from None
    entry = lists.get(key)
    if not isinstance(entry, dict):
        raise PatternError(Errors.E102.format(path=p, line=1, reason=f"no word list {key!r}"))
    got = entry.get("words")
    if not isinstance(got, list) or not got or not all(isinstance(w, str) and w.strip() for w in got):
        raise PatternError(Errors.E102.format(path=p, line=1, reason=f"{key!r} must be a non-empty list of words"))
    return tuple(got)
