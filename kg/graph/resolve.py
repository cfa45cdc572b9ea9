"""Entity resolution: one canonical key per Method, Dataset, Metric and Task across papers.

The key of an entity is, in order of preference:

1. the canonical id of the lexicon entry (``extractors/patterns/*.jsonl``) or of the metric
   catalogue (``schema/metrics.json``) one of its surface forms matches, so "MS COCO" and
   "COCO" become one Dataset and "top-1 accuracy" the Metric "accuracy";
2. otherwise its normalised surface key (:func:`kg.extractors.assemble.norm_key`: case,
   hyphens, spaces and a plural "s" folded), so "Llama-2" and "LLaMA 2" meet.

Variants stay apart: "ResNet-50" and "ResNet-101", "GPT-4" and "GPT-4o" have different
keys. Keys are prefixed by the label's initial ("m:", "d:", "x:", "t:") so a metric and a
method named alike never collide. Keys depend on the entity alone, never on what else was
loaded, so loading A then B gives the graph that loading A and B together gives.

Two graph-level passes follow a write (:mod:`kg.graph.consolidate`): an acronym defined in some
paper ("Masked Autoencoder (MAE)") folds the node of its long form into the acronym's
node, unless the acronym has several long forms in the graph ("SAM"); and a method whose
name carries a size or configuration suffix ("LLaMA2-70B", "RT-DETR-R50", "Swin-B") gets a
``VARIANT_OF`` link to its family (:func:`variant_families`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from kg.extractors.rules import METRIC_MODIFIERS, norm_key
from kg.extractors.patterns import all_patterns, lexicon_index

from kg.graph.records import Entity
from kg.resources import schema_dir

SCHEMA_DIR = schema_dir()
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
    family: str | None = None


@lru_cache(maxsize=1)
def metric_catalogue() -> dict[str, MetricInfo]:
    """Map every normalised metric name and alias → its catalogue entry."""
    data = json.loads((SCHEMA_DIR / "metrics.json").read_text(encoding="utf-8"))
    out: dict[str, MetricInfo] = {}
    for m in data["metrics"]:
        info = MetricInfo(m["name"], m.get("unit", ""), m.get("higher_is_better"), m.get("complement"),
                          m.get("source", ""), m.get("family") or m["name"])
        for form in [m["name"], *m.get("aliases", [])]:
            out.setdefault(norm_key(form), info)
    return out


def metric_info(name: str) -> MetricInfo | None:
    """The catalogue entry of a metric name or alias, or None when unknown.

    A trailing "score(s)" is ignored ("FID scores" is FID, "Dice score" is dice), and so
    are leading modifiers from ``extractors.metrics.MODIFIERS`` when the full phrase is
    not in the catalogue ("GPU throughput" is throughput)."""
    cat = metric_catalogue()
    if norm_key(name) in cat:
        return cat[norm_key(name)]
    words = re.sub(r"\s+scores?$", "", name.strip(), flags=re.I).split()
    # then without leading modifiers the extractor attaches ("inference computation",
    # "average BLEU"): the measure is the head's
    while words:
        hit = cat.get(norm_key(" ".join(words)))
        if hit is not None or len(words) == 1 or words[0].lower() not in METRIC_MODIFIERS:
            return hit
        words = words[1:]
    return None


def metric_family(name: str) -> str | None:
    """The family of a metric name or alias (``schema/metrics.json``): the measure's head
    with its qualifiers removed, itself a catalogue metric. ``"box AP"``, ``"mask AP"``,
    ``"AP50"``, ``"AP"`` → ``"AP"``; ``"top-1 accuracy"`` and ``"zero-shot top-1 accuracy"``
    (its leading modifiers dropped, as :func:`metric_info` does) → ``"accuracy"``; a metric
    the catalogue does not know → None (never guessed)."""
    info = metric_info(name)
    return info.family if info is not None else None


# The evaluation settings a metric phrase can carry: (pattern over the lowercased phrase,
# setting). "zero-shot top-1 accuracy" is accuracy measured zero-shot; the setting is
# what a leaderboard must keep apart, the metric node is the catalogue's "accuracy".
_SETTINGS = (
    (re.compile(r"\bzero[- ]?shot\b"), "zero-shot"),
    (re.compile(r"\b(?:one|1)[- ]?shot\b"), "one-shot"),
    (re.compile(r"\bfew[- ]?shot\b"), "few-shot"),
    (re.compile(r"\b(\d+|k)[- ]?shot\b"), None),  # "5-shot", "k-shot": the number is the setting
    (re.compile(r"\bfine[- ]?tun(?:ed|ing)\b|\bfinetun(?:ed|ing)\b"), "fine-tuned"),
    (re.compile(r"\blinear[- ]prob(?:e|ing)\b"), "linear probe"),
    (re.compile(r"\btest[- ]dev\b"), "test-dev"),
    (re.compile(r"\b(?:val|validation)\b"), "val"),
)


def metric_setting(metric: str | None) -> str | None:
    """The evaluation setting a metric's surface words name, or None.

    ``"zero-shot top-1 accuracy"`` → ``"zero-shot"``; ``"top-1 fine-tuning accuracy"`` →
    ``"fine-tuned"``; ``"linear probing accuracy"`` → ``"linear probe"``; ``"5-shot
    accuracy"`` → ``"5-shot"``; ``"test-dev AP"`` → ``"test-dev"``; ``"val mIoU"`` →
    ``"val"``; ``"top-1 accuracy"`` → None. The first setting named wins. Pure: the writer
    uses it when a Result has no ``setting`` of its own."""
    if not metric:
        return None
    text = metric.lower()
    for pattern, setting in _SETTINGS:
        m = pattern.search(text)
        if m:
            return setting if setting is not None else f"{m.group(1)}-shot"
    return None


# Size and configuration suffixes of model names: "-70B", " 66B", "-R50", "-B", "-Large",
# "-T2", "-d30", "-Chat", "-Instruct", "-v1.5" stays (a version is not a variant).
_VARIANT_SUFFIX = re.compile(
    r"(?:[-_ ](?:\d+(?:\.\d+)?[BMK]|A\d+(?:\.\d+)?B|R\d{2,3}|T\d|d\d{1,3}|[SMLBHGT]\d?|XL|XXL|Tiny|Small|Base|Large|"
    r"Huge|Giant|Mini|Chat|Instruct|Vision|HD|Pro|Lite)"
    r"|(?<=[a-z])\d+(?:\.\d+)?[BM]|(?<=[Nn]et)-\d{2,3}|(?<=NeXt)-\d{2,3})$",
    re.I,
)


def variant_families(name: str) -> list[str]:
    """Successively shorter family names of a model name, nearest first.

    ``"LLaMA-3.2-11B-Vision-Instruct"`` → ``["LLaMA-3.2-11B-Vision", "LLaMA-3.2-11B",
    "LLaMA-3.2"]``; ``"RT-DETR-R50"`` → ``["RT-DETR"]``; ``"Llama2-70B"`` → ``["Llama2"]``;
    ``"GPT-4o"`` → ``[]``. Versions ("GPT-4", "FlashAttention-2") are not stripped.
    """
    out = []
    cur = name.strip()
    while True:
        m = _VARIANT_SUFFIX.search(cur)
        if not m or m.start() < 2:
            break
        cur = cur[: m.start()].rstrip("-_ ")
        if len(cur) < 2:
            break
        out.append(cur)
    return out


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, tuple[str, str]]:
    return {norm_key(k): v for k, v in lexicon_index().items()}


@lru_cache(maxsize=1)
def _lexicon_names() -> dict[str, str]:
    """Lexicon canonical id → its first (preferred) surface form."""
    out: dict[str, str] = {}
    exact: dict[str, str] = {}
    for d in all_patterns():
        if isinstance(d["pattern"], str):
            # the first form the id was made from wins ("ImageNet-1K" for imagenet-1k, not "ILSVRC")
            if re.sub(r"[^a-z0-9]+", "-", d["pattern"].lower()).strip("-") == d["id"]:
                exact.setdefault(d["id"], d["pattern"])
            out.setdefault(d["id"], d["pattern"])
    return {**out, **exact}


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
            name = _lexicon_names().get(hit[1], entity.name)
            info = metric_info(name) if field == "metrics" else None
            if info is not None:  # "computational overhead" → lexicon "computational cost" → catalogue
                return Resolution(f"{prefix}:{norm_key(info.name)}", "catalogue", info.name)
            return Resolution(f"{prefix}:{hit[1]}", "lexicon", name)
    return Resolution(f"{prefix}:{norm_key(entity.name)}", "surface", entity.name)


def canonical_key(field: str, entity: Entity) -> tuple[str, str]:
    """``(key, rule)`` of :func:`resolve_entity`."""
    r = resolve_entity(field, entity)
    return r.key, r.rule


def explain(records, name: str) -> list[dict]:
    """Which mentions of ``name`` (any surface form, case- and hyphen-folded) became which
    node, and why: one row per (paper, entity) with the paper id, the record field, the
    entity's name and aliases in that paper, the node key, the rule that chose the key,
    and the variant families the consolidation pass would link it to."""
    target = norm_key(name)
    rows = []
    for rec in records:
        for fname, ents in rec.entities().items():
            for e in ents:
                forms = [e.name, *e.aliases]
                res = resolve_entity(fname, e)
                if target not in {norm_key(f) for f in forms} and res.key.split(":", 1)[1] != target:
                    continue
                why = {"catalogue": "metric catalogue (schema/metrics.json)",
                       "lexicon": "lexicon entry (extractors/patterns)",
                       "surface": "normalised surface form"}[res.rule]
                rows.append({"paper": rec.id, "field": fname, "name": e.name, "aliases": ", ".join(e.aliases),
                             "node": res.key, "node_name": res.name, "rule": res.rule, "why": why,
                             "families": " > ".join(variant_families(e.name)) if fname == "methods" else ""})
    return rows
