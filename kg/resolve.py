"""Entity resolution: one canonical key per Method, Dataset, Metric and Task across papers.

The key of an entity is, in order of preference:

1. the canonical id of the lexicon entry (``extractors/patterns/*.jsonl``) or of the metric
   catalogue (``schema/metrics.json``) one of its surface forms matches, so "MS COCO" and
   "COCO" become one Dataset and "top-1 accuracy" the Metric "accuracy";
2. otherwise its normalised surface key (:func:`extractors.assemble.norm_key`: case,
   hyphens, spaces and a plural "s" folded), so "Llama-2" and "LLaMA 2" meet.

Variants stay apart: "ResNet-50" and "ResNet-101", "GPT-4" and "GPT-4o" have different
keys. Keys are prefixed by the label's initial ("m:", "d:", "x:", "t:") so a metric and a
method named alike never collide.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extractors.assemble import norm_key
from extractors.patterns import all_patterns, lexicon_index

from .records import Entity

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
PREFIX = {"methods": "m", "datasets": "d", "metrics": "x", "tasks": "t"}
LABEL_OF_FIELD = {"methods": "METHOD", "datasets": "DATASET", "metrics": "METRIC", "tasks": "TASK"}


@dataclass(frozen=True)
class MetricInfo:
    """A metric catalogue entry (``schema/metrics.json``)."""

    name: str
    unit: str
    higher_is_better: bool | None
    complement: str | None
    source: str


@lru_cache(maxsize=1)
def metric_catalogue() -> dict[str, MetricInfo]:
    """Map every normalised metric name and alias → its catalogue entry."""
    data = json.loads((SCHEMA_DIR / "metrics.json").read_text(encoding="utf-8"))
    out: dict[str, MetricInfo] = {}
    for m in data["metrics"]:
        info = MetricInfo(m["name"], m.get("unit", ""), m.get("higher_is_better"), m.get("complement"), m.get("source", ""))
        for form in [m["name"], *m.get("aliases", [])]:
            out.setdefault(norm_key(form), info)
    return out


def metric_info(name: str) -> MetricInfo | None:
    """The catalogue entry of a metric name or alias, or None when unknown."""
    return metric_catalogue().get(norm_key(name))


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, tuple[str, str]]:
    return {norm_key(k): v for k, v in lexicon_index().items()}


@lru_cache(maxsize=1)
def _lexicon_names() -> dict[str, str]:
    """Lexicon canonical id → its first (preferred) surface form."""
    out: dict[str, str] = {}
    for d in all_patterns():
        if isinstance(d["pattern"], str):
            out.setdefault(d["id"], d["pattern"])
    return out


@dataclass(frozen=True)
class Resolution:
    """Where an entity goes: its node ``key``, the ``rule`` that found the key
    (``catalogue``, ``lexicon`` or ``surface``) and the node's display ``name``."""

    key: str
    rule: str
    name: str


def resolve_entity(field: str, entity: Entity) -> Resolution:
    """Resolve an entity of the given record field (``methods``, ``datasets``, ...)."""
    prefix = PREFIX[field]
    forms = [entity.name, *entity.aliases]
    if field == "metrics":
        for f in forms:
            info = metric_info(f)
            if info is not None:
                return Resolution(f"{prefix}:{norm_key(info.name)}", "catalogue", info.name)
    label = LABEL_OF_FIELD[field]
    lex = _lexicon()
    for f in forms:
        hit = lex.get(norm_key(f))
        if hit and hit[0] == label:
            return Resolution(f"{prefix}:{hit[1]}", "lexicon", _lexicon_names().get(hit[1], entity.name))
    return Resolution(f"{prefix}:{norm_key(entity.name)}", "surface", entity.name)


def canonical_key(field: str, entity: Entity) -> tuple[str, str]:
    """``(key, rule)`` of :func:`resolve_entity`."""
    r = resolve_entity(field, entity)
    return r.key, r.rule
