"""``kg_lexicon``: known datasets, metrics, tasks and methods, from pattern data.

A thin factory around spaCy's own ``SpanRuler`` (phrase patterns matched on ``LOWER``)
that loads every ``*.jsonl`` file of ``patterns_dir`` (see :mod:`extractors.patterns`)
and writes its matches into ``doc.spans[spans_key]`` with ``span.id_`` set to
``"lexicon:<canonical id>"``.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc

from .patterns import PATTERNS_DIR, all_patterns

SPANS_KEY = "kg_mentions"


class LexiconRecognizer:
    """Match the lexicon phrases; each match becomes a mention span."""

    def __init__(self, nlp: Language, name: str, patterns_dir: str | None, spans_key: str):
        self.name = name
        self.spans_key = spans_key
        # Two rulers: short or all-caps names ("MATH", "AP", "MAE") match case-sensitively
        # (ORTH) so ordinary words ("math", "ap") do not; longer phrases match on LOWER.
        self.exact = SpanRuler(nlp, name=f"{name}_exact", spans_key=None, annotate_ents=False,
                               phrase_matcher_attr="ORTH", validate=True, overwrite=False)
        self.folded = SpanRuler(nlp, name=f"{name}_folded", spans_key=None, annotate_ents=False,
                                phrase_matcher_attr="LOWER", validate=True, overwrite=False)
        exact, folded = [], []
        for p in all_patterns(Path(patterns_dir) if patterns_dir else PATTERNS_DIR):
            text = p["pattern"] if isinstance(p["pattern"], str) else ""
            if text and text != text.lower() and (len(text) <= 5 or text.isupper()):
                exact.append(p)
            else:
                folded.append(p)
        self.exact.add_patterns(exact)
        self.folded.add_patterns(folded)

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.setdefault(self.spans_key, [])
        for span in sorted(set(self.exact.match(doc)) | set(self.folded.match(doc))):
            span.id_ = f"lexicon:{span.id_}"
            group.append(span)
        return doc


@Language.factory(
    "kg_lexicon",
    default_config={"patterns_dir": None, "spans_key": SPANS_KEY},
)
def make_lexicon(nlp: Language, name: str, patterns_dir: str | None, spans_key: str) -> LexiconRecognizer:
    """Create the lexicon component (``patterns_dir`` None: the packaged patterns)."""
    return LexiconRecognizer(nlp, name, patterns_dir, spans_key)
