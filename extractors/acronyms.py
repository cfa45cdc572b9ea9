"""``kg_acronyms``: acronym definitions in the text, "Multi-Axis MLP (MAXIM)".

Implements the algorithm of Schwartz & Hearst, "A simple algorithm for identifying
abbreviation definitions in biomedical text", PSB 2003 (the one scispacy's
``AbbreviationDetector`` uses): for a parenthesised short form, the long form is the
shortest run of at most ``min(|A| + 5, 2|A|)`` words before it whose characters contain
the short form's letters in order, the first letter starting a word. Both orders are
read: "long form (SF)" and "SF (long form)".

Writes ``doc._.kg_acronyms``: a list of ``(short, long)`` pairs of :class:`Span`.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from .docs import doc_text
from .rules import best_long_form, is_short_form  # noqa: F401  (spaCy-free, re-exported)

if not Doc.has_extension("kg_acronyms"):
    Doc.set_extension("kg_acronyms", default=None)

_PAREN = re.compile(r"\(([^()]{1,60})\)")
_WORD = re.compile(r"\S+")


def _char_span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def find_acronyms(doc: Doc) -> list[tuple[Span, Span]]:
    """All (short, long) pairs defined in ``doc``; see the module docstring."""
    text = doc_text(doc)
    pairs: list[tuple[Span, Span]] = []
    for m in _PAREN.finditer(text):
        inner = m.group(1).strip()
        inner_start = m.start(1) + (len(m.group(1)) - len(m.group(1).lstrip()))
        before = text[: m.start()].rstrip()
        # keep to the current clause: stop at the last sentence/clause boundary
        cut = max(before.rfind(". "), before.rfind("; "), before.rfind(": "), before.rfind("("))
        window_start = cut + 2 if cut >= 0 else 0
        if is_short_form(inner.rstrip("s") if inner.endswith("s") and inner[:-1].isupper() else inner):
            short = inner
            words = list(_WORD.finditer(before, window_start))
            n = len([c for c in short if c.isalnum()])
            max_words = min(n + 5, 2 * n)
            if not words:
                continue
            cand_start = words[max(0, len(words) - max_words)].start()
            candidate = before[cand_start:]
            i = best_long_form(short, candidate)
            if i is None:
                continue
            long_text = candidate[i:].strip(" ,")
            if len(long_text) <= len(short) or len(long_text.split()) > max_words:
                continue
            if len(long_text.split()) == 1 and "-" not in long_text:
                continue  # "routers (RTRs)": a one-word long form has the letters in order by chance
            ls = cand_start + i
            le = ls + len(long_text)
            sp_short = _char_span(doc, inner_start, inner_start + len(short))
            sp_long = _char_span(doc, ls, le)
        else:
            # "SF (long form)": the short form is the word right before the parenthesis
            wm = re.search(r"(\S+)$", before)
            if not wm or not is_short_form(wm.group(1)) or len(inner.split()) < 2:
                continue
            short = wm.group(1).strip(",;:")
            if best_long_form(short, inner) != 0:
                continue
            sp_short = _char_span(doc, wm.start(1), wm.start(1) + len(short))
            sp_long = _char_span(doc, inner_start, inner_start + len(inner))
        if sp_short is not None and sp_long is not None:
            pairs.append((sp_short, sp_long))
    return pairs


class AcronymDetector:
    """Pipeline component: sets ``doc._.kg_acronyms``."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_acronyms = find_acronyms(doc)
        return doc


@Language.factory("kg_acronyms", default_config={})
def make_acronyms(nlp: Language, name: str) -> AcronymDetector:
    """Create the acronym-definition detector."""
    return AcronymDetector(nlp, name)
