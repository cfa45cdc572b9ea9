"""Mention candidates and rule features for the learned span classifier.

The rule components propose mentions; the learned span classifier (spaCy's
``spancat``, trained by ``kg train``) re-decides them. Two things feed it:

* ``kg_rule_features`` (after ``kg_mention_filter``) writes the rules' decisions into
  token attributes the classifier's ``tok2vec`` embeds: ``doc.ents`` become the selected
  mentions, with ``ENT_TYPE`` the label ("METHOD") and ``ENT_ID`` the rule that found it
  ("lexicon", "acronym", "name_shape", ...), so the model learns when a rule is right.
* ``kg.candidate_suggester.v1`` (a spaCy span suggester) proposes the spans to classify:
  every n-gram of ``sizes`` tokens whose first and last tokens are neither punctuation nor
  an edge word of ``patterns/candidates.json``, inside one sentence, plus every mention any
  rule proposed before the overlap filter (``doc.spans["kg_candidates"]``, kept by
  :class:`kg.extractors.mentions.MentionFilter`).

Suggester protocol: https://spacy.io/api/spancategorizer#suggesters
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry
from thinc.api import Ops, get_current_ops
from thinc.types import Ragged

from .errors import Errors, PatternError
from .lexicon import SPANS_KEY
from .mentions import CANDIDATES_KEY, rule_of
from .patterns import PATTERNS_DIR


@lru_cache(maxsize=4)
def edge_words(directory: str = str(PATTERNS_DIR)) -> frozenset[str]:
    """Casefolded words that never start or end a mention candidate (``candidates.json``,
    key ``edge_words``). Raises :class:`PatternError` for a missing file or a bad list."""
    p = Path(directory) / "candidates.json"
    if not p.is_file():
        raise PatternError(Errors.E101.format(path=p))
    try:
        words = json.loads(p.read_text(encoding="utf-8")).get("edge_words")
    except (json.JSONDecodeError, AttributeError) as e:
        raise PatternError(Errors.E102.format(path=p, line=1, reason=f"not a JSON object ({e})")) from None
    if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
        raise PatternError(Errors.E102.format(path=p, line=1, reason="'edge_words' must be a non-empty list of words"))
    return frozenset(w.casefold() for w in words)


def candidate_spans(doc: Doc, sizes: list[int], candidates_key: str = CANDIDATES_KEY) -> list[tuple[int, int]]:
    """Sorted unique ``(start, end)`` token offsets of the candidates of ``doc`` (see the
    module docstring)."""
    edges = edge_words()
    ok_edge = [not (t.is_punct or t.is_space or t.lower_ in edges) for t in doc]
    sent_id = [0] * len(doc)
    if doc.has_annotation("SENT_START"):
        k = 0
        for i, t in enumerate(doc):
            if i and t.is_sent_start:
                k += 1
            sent_id[i] = k
    out: set[tuple[int, int]] = set()
    n = len(doc)
    for i in range(n):
        if not ok_edge[i]:
            continue
        for size in sizes:
            j = i + size
            if j > n:
                break
            if ok_edge[j - 1] and sent_id[j - 1] == sent_id[i]:
                out.add((i, j))
    for sp in doc.spans.get(candidates_key, []):
        out.add((sp.start, sp.end))
    return sorted(out)


@registry.misc("kg.candidate_suggester.v1")
def build_candidate_suggester(sizes: list[int], candidates_key: str = CANDIDATES_KEY):
    """A spancat suggester over :func:`candidate_spans` (``sizes`` in tokens, e.g. [1..5])."""

    def suggest(docs, *, ops: Ops | None = None) -> Ragged:
        ops = ops or get_current_ops()
        rows: list[list[int]] = []
        lengths: list[int] = []
        for doc in docs:
            spans = candidate_spans(doc, sizes, candidates_key)
            rows.extend([s, e] for s, e in spans)
            lengths.append(len(spans))
        data = ops.asarray2i(rows) if rows else ops.xp.zeros((0, 0), dtype="i")
        return Ragged(data, ops.asarray1i(lengths))

    return suggest


class RuleFeatures:
    """Write the selected rule mentions as ``doc.ents`` (label, and the rule as ``ent_id_``)."""

    def __init__(self, nlp: Language, name: str, spans_key: str):
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        ents: list[Span] = []
        last = 0
        for s in sorted(doc.spans.get(self.spans_key, []), key=lambda s: (s.start, -s.end)):
            if s.start < last or s.start == s.end:
                continue
            ents.append(Span(doc, s.start, s.end, label=s.label_, span_id=rule_of(s)))
            last = s.end
        doc.set_ents(ents, default="outside")
        return doc


@Language.factory("kg_rule_features", default_config={"spans_key": SPANS_KEY})
def make_rule_features(nlp: Language, name: str, spans_key: str) -> RuleFeatures:
    """Create the rule-feature writer."""
    return RuleFeatures(nlp, name, spans_key)
