"""``kg_span_decisions``: the learned span classifier's verdict on the mentions.

The trained ``spancat`` (``extractors/training/spancat.cfg``, sourced into the kg pipeline
as ``kg_spancat`` by :func:`kg.extractors.build_pipeline` with ``learned=``) scores every
candidate of :mod:`kg.extractors.candidates` for each label and writes the spans whose best
score passes its threshold into ``doc.spans[sc_key]`` (scores in ``.attrs["scores"]``).
This component turns them into the mentions the result and claim extractors see:

* a rule mention stays when the classifier gives its span and label at least ``keep``
  (below it, the rules were wrong here: the mention goes), or when its label is not in
  ``veto`` (those rule mentions always stay);
* a classifier span that no rule proposed with that label is added when its score is at
  least ``add``, with ``span.id_ = "learned"``;
* overlaps are resolved by score, highest first, then longest.

``keep`` < ``add``: the rules are trusted more than the classifier alone; the two
thresholds are chosen by ``kg train --cross-validate``.
"""

from __future__ import annotations

import numpy
from spacy.language import Language
from spacy.tokens import Doc, Span

from .lexicon import SPANS_KEY

RULE = "learned"
LABELS = ("METHOD", "DATASET", "METRIC", "TASK")
SC_KEY = "kg_learned"


def decide(rule_mentions: list[Span], scored: list[tuple[Span, float]], keep: float, add: float,
           veto: frozenset[str] | set[str] = frozenset(LABELS)) -> list[Span]:
    """The mentions kept (module docstring), in text order.

    ``rule_mentions``: the rules' non-overlapping mentions; ``scored``: ``(span, score)``
    of the classifier, the span labelled with its best label; ``veto``: the labels whose
    rule mentions the classifier may drop (the others stay whatever it scores).
    """
    score_of = {(s.start, s.end, s.label_): p for s, p in scored}
    pool: list[tuple[float, Span]] = []
    ruled = set()
    for m in rule_mentions:
        p = score_of.get((m.start, m.end, m.label_), 0.0)
        ruled.add((m.start, m.end, m.label_))
        if p >= keep:
            pool.append((p, m))
        elif m.label_ not in veto:
            pool.append((keep, m))
    for s, p in scored:
        if (s.start, s.end, s.label_) not in ruled and p >= add and s.label_ in LABELS:
            s = Span(s.doc, s.start, s.end, label=s.label_, span_id=RULE)
            pool.append((p, s))
    pool.sort(key=lambda ps: (-ps[0], -(ps[1].end - ps[1].start), ps[1].start))
    taken: list[Span] = []
    for _, s in pool:
        if all(s.end <= t.start or t.end <= s.start for t in taken):
            taken.append(s)
    return sorted(taken, key=lambda s: s.start)


class SpanDecisions:
    """Pipeline component replacing ``doc.spans[spans_key]`` by :func:`decide`'s mentions."""

    def __init__(self, nlp: Language, name: str, spans_key: str, sc_key: str, keep: float, add: float,
                 veto: list[str]):
        if not 0.0 <= keep <= 1.0 or not 0.0 <= add <= 1.0:
            raise ValueError(f"kg_span_decisions: keep and add are probabilities in [0, 1], not {keep!r}, {add!r}")
        self.name = name
        self.spans_key = spans_key
        self.sc_key = sc_key
        self.keep = keep
        self.add = add
        self.veto = frozenset(veto)

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.get(self.sc_key)
        if group is None:
            return doc
        scores = group.attrs.get("scores")
        scores = numpy.asarray(scores, dtype=float).reshape(-1) if scores is not None else numpy.ones(len(group))
        scored = [(s, float(scores[i])) for i, s in enumerate(group)]
        doc.spans[self.spans_key] = decide(list(doc.spans.get(self.spans_key, [])), scored, self.keep, self.add, self.veto)
        return doc


@Language.factory("kg_span_decisions",
                  default_config={"spans_key": SPANS_KEY, "sc_key": SC_KEY, "keep": 0.2, "add": 0.6,
                                  "veto": list(LABELS)})
def make_span_decisions(nlp: Language, name: str, spans_key: str, sc_key: str, keep: float, add: float,
                        veto: list[str]) -> SpanDecisions:
    """Create the decision component (thresholds ``keep`` and ``add``, probabilities;
    ``veto``: labels whose rule mentions may be dropped)."""
    return SpanDecisions(nlp, name, spans_key, sc_key, keep, add, veto)
