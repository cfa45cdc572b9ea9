"""``kg_mention_filter``: one label per stretch of text.

The recognisers may propose overlapping mentions ("FLOPs" as a metric by the lexicon and
as a name by its shape; "ImageNet" inside "Tiny ImageNet"). This component keeps a
non-overlapping set: longest first, then by rule priority (lexicon > acronym > task and
metric rules > dataset context > name shape), then leftmost. It runs before the result
and claim extractors so they see the same mentions the paper record will have.
"""

from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from .docs import doc_text
from .lexicon import SPANS_KEY

CANDIDATES_KEY = "kg_candidates"

RULE_PRIORITY = {"lexicon": 0, "title_prefix": 0, "acronym": 1, "task_title": 2, "task_list": 2,
                 "task_hyphen_tasks": 2, "task_phrase": 2, "name_dataset_context": 3, "metric_shape": 3, "slash_variant": 3, "learned": 3.5, "name_shape": 4, "metric_phrase": 2}


def rule_of(span: Span) -> str:
    """The rule name a recogniser stored in ``span.id_`` ("lexicon:<id>" → "lexicon")."""
    rid = span.id_ or ""
    return "lexicon" if rid.startswith("lexicon") else rid.split("+")[0]


def lexicon_id_of(span: Span) -> str | None:
    """The canonical lexicon id of a lexicon mention ("lexicon:imagenet-1k" → "imagenet-1k"), else None."""
    rid = span.id_ or ""
    return rid.split(":", 1)[1] if rid.startswith("lexicon:") else None


# A mention's provenance read as extensions: ``span._.kg_rule`` (the rule that found it) and
# ``span._.kg_lexicon_id``. Stored in ``span.id_``, where spaCy's SpanRuler writes a pattern's
# id: spaCy keys a span's stored extension values by its offsets, label, kb_id and id, so
# two recognisers finding the same text with the same label would overwrite each other's
# value unless their ids differ (https://spacy.io/api/span#set_extension).
if not Span.has_extension("kg_rule"):
    Span.set_extension("kg_rule", getter=rule_of)
if not Span.has_extension("kg_lexicon_id"):
    Span.set_extension("kg_lexicon_id", getter=lexicon_id_of)


def select_mentions(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans, chosen as the module docstring says, in text order."""
    ordered = sorted(spans, key=lambda s: (-(s.end_char - s.start_char), RULE_PRIORITY.get(rule_of(s), 5), s.start_char))
    # the taken spans never overlap: sorted by start, a new span can only overlap its two
    # neighbours there (a bisect, not a scan: linear-time extraction, #14 D9)
    starts: list[int] = []
    ends: list[int] = []
    out: list[Span] = []
    for s in ordered:
        i = bisect.bisect_left(starts, s.start_char)
        if (i < len(starts) and starts[i] < s.end_char) or (i > 0 and ends[i - 1] > s.start_char):
            continue
        starts.insert(i, s.start_char)
        ends.insert(i, s.end_char)
        out.append(s)
    return sorted(out, key=lambda s: s.start_char)


_DATASET_VARIANT = re.compile(r"^\s(?:(?:19|20)\d{2}|\d{2,4}\s?[x×]\s?\d{2,4}|minival|test-dev|test-std|(?:val|test|train)20\d{2}|[A-Z][a-z]+-(?:to-)?[A-Z][a-z]+|[A-Z][a-z]-[A-Z][a-z])\b")


_METHOD_SIZE = re.compile(r"^(?:\s|-)\d+(?:\.\d+)?[BMK]\b(?!-)")


def _grow(doc: Doc, spans: list[Span], label: str, suffix: re.Pattern, width: int, when=None) -> list[Span]:
    """Grow the ``label`` mentions (those ``when`` accepts, if given) over the ``suffix``
    that follows them (within ``width`` chars)."""
    out = []
    text = doc_text(doc)
    for s in spans:
        ok = s.label_ == label and (when is None or when(s))
        m = suffix.match(text[s.end_char : s.end_char + width]) if ok else None
        if m:
            grown = doc.char_span(s.start_char, s.end_char + m.end(), label=label, alignment_mode="expand")
            if grown is not None:
                grown.id_ = s.id_
                s = grown
        out.append(s)
    return out


def extend_method_sizes(doc: Doc, spans: list[Span]) -> list[Span]:
    """Grow METHOD mentions over the size that names the checkpoint: "Mistral 7B",
    "Llama 3 8B", "Qwen2-72B" (guidelines: "LLaMA2-70B" is one name)."""
    return _grow(doc, spans, "METHOD", _METHOD_SIZE, 12)


# "ViT-B/16", "DeiT-S/16", "ViT-L/14@336": a size letter and the patch size after a slash
_PATCH_SIZE = re.compile(r"^/\d{1,3}(?:@\d{3})?(?![\w./])")
_SIZE_LETTER = re.compile(r"-(?:[A-Z]|[A-Z][a-z]|XL|XXL)$")


def extend_patch_sizes(doc: Doc, spans: list[Span]) -> list[Span]:
    """Grow a METHOD mention that ends in a size letter over the patch size after it:
    "ViT-B/16" is one checkpoint's name, not "ViT-B" and a number."""
    return _grow(doc, spans, "METHOD", _PATCH_SIZE, 8, when=lambda s: bool(_SIZE_LETTER.search(s.text)))


def extend_dataset_variants(doc: Doc, spans: list[Span]) -> list[Span]:
    """Grow DATASET mentions over a year, a resolution, a language pair or a named split
    that names their edition: "LiTS 2017", "ImageNet 512x512", "WMT16 Romanian-English",
    "WMT14 En-De", "COCO test-dev", "LVIS minival"."""
    return _grow(doc, spans, "DATASET", _DATASET_VARIANT, 30)


# a method's context: "using MAE", "with FPS", "MAE-based", "the MAE encoder"
_METHOD_BEFORE = re.compile(r"\b(?:using|use|uses|with|via|based on|apply|applies|applying|adopt|adopts|of)\s+(?:the\s+|a\s+|an\s+)?$", re.I)
_METHOD_AFTER = re.compile(r"^(?:-based|-style|-like|\s+(?:model|models|encoder|decoder|backbone|pre-?training|architecture|framework|"
                           r"method|approach|variant)s?\b)", re.I)


def acronym_labels(doc: Doc, spans: list[Span]) -> list[Span]:
    """A short form takes the label its long form has: "word error rate (WER)" makes the
    name-shaped "WER" a METRIC, here and wherever it recurs in the doc."""
    pairs = doc._.kg_acronyms if Doc.has_extension("kg_acronyms") else None
    if not pairs:
        return spans
    by_pos = {(s.start_char, s.end_char): s.label_ for s in spans}
    relabel = {}
    for short, long in pairs:
        lab = by_pos.get((long.start_char, long.end_char))
        if lab is not None and lab != "METHOD":
            relabel[short.text] = lab
    out = []
    for s in spans:
        lab = relabel.get(s.text)
        if lab is not None and s.label_ != lab and rule_of(s) in ("name_shape", "acronym"):
            s = Span(doc, s.start, s.end, label=lab, span_id=s.id_)
        out.append(s)
    return out


_BY_NUMBER_AFTER = re.compile(r"^\s+by\s+[+]?\d")
_CHANGE_VERB_BEFORE = re.compile(r"\b(?:improv|reduc|increas|boost|lower|rais|decreas|cut)\w*\s+[^.;]*\bby\s+[+]?[\d.]+\s*(?:%|points?|pp)?\s*(?:,\s*|,?\s*and\s+)$", re.I)


def coordinated_metrics(doc: Doc, spans: list[Span]) -> list[Span]:
    """"improves NDS by 2.3 points and FooAP by 1.7": a bare name coordinated with a
    change of a measure is a measure too."""
    text = doc_text(doc)
    out = []
    for s in spans:
        if s.label_ == "METHOD" and rule_of(s) == "name_shape" and _BY_NUMBER_AFTER.match(text[s.end_char : s.end_char + 20]) \
                and _CHANGE_VERB_BEFORE.search(text[max(0, s.start_char - 80) : s.start_char]):
            s = Span(doc, s.start, s.end, label="METRIC", span_id="metric_shape")
        out.append(s)
    return out


def disambiguate(doc: Doc, spans: list[Span]) -> list[Span]:
    """One label for a stretch the lexicon gives two ("MAE": masked autoencoder, or mean
    absolute error): the other label where a method's context stands next to it ("using
    MAE", "the MAE encoder"), else METRIC (measures are what results name)."""
    text = doc_text(doc)
    by_pos: dict[tuple[int, int], list[Span]] = {}
    for s in spans:
        by_pos.setdefault((s.start_char, s.end_char), []).append(s)
    out = []
    for (a, b), group in by_pos.items():
        labels = {s.label_ for s in group if rule_of(s) == "lexicon"}
        if len(labels) > 1 and "METRIC" in labels:
            as_method = bool(_METHOD_AFTER.match(text[b : b + 30]) or _METHOD_BEFORE.search(text[max(0, a - 30) : a]))
            group = [s for s in group if (s.label_ == "METRIC") != as_method] or group
        out.extend(group)
    return out


if not Span.has_extension("kg_name"):
    Span.set_extension("kg_name", default=None)

_SLASH_SUFFIXES = re.compile(r"(?:\s*/\s*[A-Za-z0-9][A-Za-z0-9.]{0,5}(?![\w-]))+")
_SLASH_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.]{0,5}")


def _shape(token: str) -> str:
    """"R50" → "a9", "T" → "a", "13B" → "9a", "14" → "9": the kind of a variant suffix."""
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[A-Za-z]", "a", re.sub(r"[0-9.]", "9", token)))


def slash_variants(doc: Doc, spans: list[Span]) -> list[Span]:
    """"FooDet-R50 / R101", "FooViT-T/S/B": the bare suffixes after a method's name are
    variants of it. Each becomes a METHOD mention over the suffix, with its full name
    ("FooDet-R101") in ``span._.kg_name`` (GUIDELINES v2: respective lists pair in order,
    each result with its own method)."""
    text = doc_text(doc)
    taken = [(s.start_char, s.end_char) for s in spans]
    out = list(spans)
    for s in spans:
        if s.label_ != "METHOD":
            continue
        name = text[s.start_char : s.end_char]
        base = re.match(r"^(.*[-_])[A-Za-z0-9.]+$", name)
        m = _SLASH_SUFFIXES.match(text, s.end_char)
        if not base or not m:
            continue
        shape = _shape(name[len(base.group(1)):])
        for t in _SLASH_TOKEN.finditer(text, s.end_char, m.end()):
            if any(a < t.end() and t.start() < b for a, b in taken) or _shape(t.group(0)) != shape:
                break  # "ViT-L/14": a patch size after a letter suffix is no variant
            sp = doc.char_span(t.start(), t.end(), label="METHOD")
            if sp is None:
                break
            sp.id_ = "slash_variant"
            sp._.kg_name = base.group(1) + t.group(0)
            out.append(sp)
    return sorted(out, key=lambda x: x.start_char)


class MentionFilter:
    """Pipeline component replacing ``doc.spans[spans_key]`` by its non-overlapping subset."""

    def __init__(self, nlp: Language, name: str, spans_key: str):
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans.get(self.spans_key, []))
        spans = coordinated_metrics(doc, acronym_labels(doc, spans))
        spans = extend_patch_sizes(doc, extend_method_sizes(doc, extend_dataset_variants(doc, disambiguate(doc, spans))))
        doc.spans[CANDIDATES_KEY] = spans  # every proposal, for the learned span classifier
        doc.spans[self.spans_key] = slash_variants(doc, select_mentions(spans))
        return doc


@Language.factory("kg_mention_filter", default_config={"spans_key": SPANS_KEY})
def make_mention_filter(nlp: Language, name: str, spans_key: str) -> MentionFilter:
    """Create the overlap filter."""
    return MentionFilter(nlp, name, spans_key)
