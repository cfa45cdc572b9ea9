"""``kg_metrics``: grow metric mentions over the modifiers the text puts before them.

The lexicon finds "accuracy"; the text says "top-1 classification accuracy" or "GPU
throughput". Guidelines ask for the words of the text, so a METRIC span is extended
leftwards over up to ``max_modifiers`` words from ``MODIFIERS``, and rightwards over one
word from ``SUFFIXES`` ("sparsity ratio", "success rate"), or one lowercase descriptive
word and a suffix ("Dice similarity coefficient"). Both lists live in ``patterns/words.json``.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from .docs import doc_text
from .lexicon import SPANS_KEY
from .patterns import words

from .rules import METRIC_MODIFIERS as MODIFIERS  # noqa: E402  (spaCy-free, re-exported)


SUFFIXES = frozenset(words("metric_suffixes"))


class MetricModifiers:
    """Extend METRIC spans in ``doc.spans[spans_key]`` over leading modifiers."""

    def __init__(self, nlp: Language, name: str, spans_key: str, max_modifiers: int):
        self.name = name
        self.spans_key = spans_key
        self.max_modifiers = max_modifiers

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.get(self.spans_key)
        if not group:
            return doc
        spans = list(group)
        text = doc_text(doc)
        for i, sp in enumerate(spans):
            if sp.label_ != "METRIC":
                continue
            # modifiers are whitespace-delimited words ("fine-tuning" is three spaCy tokens)
            start_char = sp.start_char
            for _ in range(self.max_modifiers):
                m = re.search(r"(\S+)\s+$", text[max(0, start_char - 40) : start_char])
                if not m or m.group(1).lower() not in MODIFIERS:
                    break
                start_char -= len(m.group(0))
            # coordinated modifiers: "training and inference time" is one measure of both
            m = re.search(r"(\S+)\s+(?:and|or|/)\s+$", text[max(0, start_char - 40) : start_char])
            if m and m.group(1).lower() in MODIFIERS:
                start_char -= len(m.group(0))
            start = doc.char_span(start_char, sp.end_char, alignment_mode="expand").start
            end = sp.end
            if end < len(doc) and doc[end].lower_ in SUFFIXES:
                end += 1
            elif (end + 1 < len(doc) and doc[end + 1].lower_ in SUFFIXES and doc[end].is_lower and doc[end].is_alpha
                  and len(doc[end]) > 3 and not doc[end].is_stop):
                end += 2  # "Dice similarity score": one descriptive word before the suffix
            if start != sp.start or end != sp.end:
                new = doc[start:end]
                new.label_ = "METRIC"
                new.id_ = sp.id_ + "+modifiers"
                spans[i] = new
        doc.spans[self.spans_key] = spans
        return doc


@Language.factory("kg_metrics", default_config={"spans_key": SPANS_KEY, "max_modifiers": 2})
def make_metrics(nlp: Language, name: str, spans_key: str, max_modifiers: int) -> MetricModifiers:
    """Create the metric-modifier component."""
    return MetricModifiers(nlp, name, spans_key, max_modifiers)
