"""Cached views of a ``Doc`` that the components share.

``Doc.text`` joins every token on each access and ``Span.sent`` walks tokens; with dozens of
mentions per abstract both dominate extraction time, so they are computed once per doc
and kept in ``doc.user_data``.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Doc, Span


def doc_text(doc: Doc) -> str:
    """``doc.text``, cached in ``doc.user_data`` (spaCy joins the tokens on every access)."""
    t = doc.user_data.get("kg_text")
    if t is None:
        t = doc.user_data["kg_text"] = doc.text
    return t


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """``(start_char, end_char)`` of each sentence, computed once per doc and cached in
    ``doc.user_data`` (``Span.sent`` walks tokens on every call)."""
    cached = doc.user_data.get("kg_sent_bounds")
    if cached is None:
        if doc.has_annotation("SENT_START"):
            cached = [(s.start_char, s.end_char) for s in doc.sents]
        else:
            cached = [(0, len(doc_text(doc)))]
        doc.user_data["kg_sent_bounds"] = cached
    return cached


def sentence_of(span: Span) -> tuple[int, int]:
    """The character bounds of the sentence holding ``span``."""
    bounds = sentence_bounds(span.doc)
    i = bisect.bisect_right([b[0] for b in bounds], span.start_char) - 1
    return bounds[max(i, 0)]

