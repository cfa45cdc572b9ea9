"""``kg_learned_spans``: mention spans from the learned BIO tagger.

The trained ``tagger`` (``extractors/training/``, sourced into the kg pipeline by
:func:`extractors.build_pipeline` with ``learned=``) writes BIO tags ("B-TASK",
"I-TASK", "O") into ``token.tag_``. This component decodes them into spans appended to
``doc.spans[spans_key]`` with ``span.id_ = "learned"``, before the mention filter, which
then weighs them against the rule mentions (``RULE_PRIORITY["learned"]``).

``mode`` says how learned spans merge with the rules' mentions: ``"compete"`` adds every
learned span (the filter decides: longest first, then rule priority); ``"fill"`` adds only
learned spans that overlap no rule mention. ``labels`` restricts the labels kept.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .lexicon import SPANS_KEY

RULE = "learned"
LABELS = ("METHOD", "DATASET", "METRIC", "TASK")


def decode_bio(doc: Doc, tags: list[str] | None = None) -> list[Span]:
    """Spans of the BIO tags (``tags``, or the doc's ``token.tag_``). An "I-X" after "O"
    or after another label starts a new span (lenient decoding); "O" and unknown tags end one."""
    tags = [t.tag_ for t in doc] if tags is None else tags
    spans: list[Span] = []
    start, label = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, lab = tag.partition("-")
        if prefix == "I" and label == lab and start is not None:
            continue
        if start is not None:
            spans.append(Span(doc, start, i, label=label))
            start, label = None, None
        if prefix in ("B", "I") and lab:
            start, label = i, lab
    return spans


class LearnedSpans:
    """Pipeline component appending the decoded tagger spans to ``doc.spans[spans_key]``."""

    def __init__(self, nlp: Language, name: str, spans_key: str, mode: str, labels: list[str]):
        if mode not in ("compete", "fill"):
            raise ValueError(f"kg_learned_spans: mode is 'compete' or 'fill', not {mode!r}")
        self.name = name
        self.spans_key = spans_key
        self.mode = mode
        self.labels = set(labels)

    def __call__(self, doc: Doc) -> Doc:
        if not doc.has_annotation("TAG"):
            return doc
        existing = list(doc.spans.get(self.spans_key, []))
        new = []
        for s in decode_bio(doc):
            if s.label_ not in self.labels:
                continue
            if self.mode == "fill" and any(s.start < e.end and e.start < s.end for e in existing):
                continue
            s.id_ = RULE
            new.append(s)
        if new:
            doc.spans[self.spans_key] = existing + new
        return doc


@Language.factory("kg_learned_spans",
                  default_config={"spans_key": SPANS_KEY, "mode": "compete", "labels": list(LABELS)})
def make_learned_spans(nlp: Language, name: str, spans_key: str, mode: str, labels: list[str]) -> LearnedSpans:
    """Create the BIO-to-span decoder."""
    return LearnedSpans(nlp, name, spans_key, mode, labels)
