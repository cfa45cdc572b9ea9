"""``kg_claims``: comparative and state-of-the-art statements, one per sentence.

A sentence is a claim when it holds a cue from ``CLAIM_CUES`` (checked in that order):
``state_of_the_art`` ("state-of-the-art", "SOTA", "new record"), ``outperforms``
("outperforms", "surpasses", "beats", "better than"), ``efficiency`` ("faster",
"speedup", "fewer parameters", "less memory") and ``matches`` ("comparable to", "on par
with", "matches"). The subject is the method before the cue, the object the method
after it; the results of the same sentence support it.

Writes ``doc._.kg_claims``: a list of dicts with keys ``type``, ``subject``, ``object``
(Spans or None), ``sent_start``, ``sent_end``, ``rule``, ``confidence``.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from .docs import doc_text
from .lexicon import SPANS_KEY

if not Doc.has_extension("kg_claims"):
    Doc.set_extension("kg_claims", default=None)

CLAIM_CUES: tuple[tuple[str, re.Pattern[str], float], ...] = (
    ("state_of_the_art", re.compile(r"\b(?:state[- ]of[- ]the[- ]art|SOTA|new records?|best[- ]performing|top-ranked)\b", re.I), 0.7),
    ("outperforms", re.compile(r"\b(?:outperform\w*|surpass\w*|beats?|beating|better than|superior to|exceed\w*)\b", re.I), 0.75),
    ("efficiency", re.compile(r"\b(?:faster|speed-?ups?|fewer parameters|less memory|lower latency|more efficient|accelerat\w+)\b", re.I), 0.6),
    ("matches", re.compile(r"\b(?:comparable (?:to|with)|on par with|match(?:es|ing)?|competitive with)\b", re.I), 0.55),
)


_SUBJECT_VERB = re.compile(r"^\s*(?:\S+\s+){0,2}?(?:achieves?|obtains?|reach(?:es)?|attains?|outperforms?|surpass(?:es)?|"
                           r"improves?|yields?|delivers?|boosts?|sets?|runs?|establishes|exceeds?|beats?|is|demonstrates?|"
                           r"shows?|matches|performs?|reduces?|requires?|uses?)\b", re.I)
_WE = re.compile(r"\b(?:we|our|the proposed|it)\b", re.I)


def find_claims(doc: Doc) -> list[dict]:
    """Claims of ``doc`` (see the module docstring).

    The subject is the method right before the cue that a verb follows, else (when "we",
    "our ..." or "it" stand before the cue) None, for the paper's own method, else the
    nearest method before the cue. Efficiency and "matches" claims need evidence in the
    sentence (a number, or "than"/"with" and a named method after the cue); otherwise
    "to accelerate training" would be a claim.
    """
    spans = doc.spans.get(SPANS_KEY, [])
    by_label = {label: [s for s in spans if s.label_ == label] for label in ("METHOD", "DATASET", "METRIC")}
    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    text = doc_text(doc)
    out: list[dict] = []
    for sent in sents:
        claim = _sentence_claim(text, sent.start_char, sent.end_char, by_label)
        if claim is not None:
            out.append(claim)
    return out


_PREVIOUS_SOTA = re.compile(r"\b(?:previous|prior|existing|other)\s+(?:\w+\s+){0,2}$", re.I)


def _sentence_claim(text: str, lo: int, hi: int, by_label: dict[str, list]) -> dict | None:
    """The claim of the sentence ``text[lo:hi]``: the first cue of :data:`CLAIM_CUES` that
    holds, or None."""
    stext = text[lo:hi]

    def in_sent(spans: list) -> list:
        return [s for s in spans if lo <= s.start_char and s.end_char <= hi]

    for ctype, rx, conf in CLAIM_CUES:
        m = rx.search(stext)
        if not m:
            continue
        cue = lo + m.start()
        methods = in_sent(by_label["METHOD"])
        before = [s for s in methods if s.end_char <= cue]
        after = [s for s in methods if s.start_char >= cue + len(m.group(0))]
        if ctype == "state_of_the_art" and _PREVIOUS_SOTA.search(stext[: m.start()]):
            continue  # "outperforms previous state-of-the-art methods" is an outperforms claim
        if ctype in ("efficiency", "matches") and not (
                re.search(r"\d", stext) or (after and re.search(r"\b(?:than|with|to)\b", stext[m.end():], re.I))):
            continue
        return {
            "type": ctype,
            "dataset": (in_sent(by_label["DATASET"]) or [None])[0],
            "metric": (in_sent(by_label["METRIC"]) or [None])[0],
            "subject": _subject(text, stext[: m.start()], before),
            "object": after[0] if after and ctype != "state_of_the_art" else None,
            "sent_start": lo,
            "sent_end": hi,
            "rule": f"claim_{ctype}",
            "confidence": conf,
        }
    return None


def _subject(text: str, before_cue: str, before: list):
    """The method right before the cue that a verb follows; None when "we", "our ..." or
    "it" stand before the cue (the paper's own method); else the nearest method before."""
    verb_subject = [s for s in before if _SUBJECT_VERB.match(text[s.end_char : s.end_char + 40])]
    if verb_subject:
        return verb_subject[-1]
    if _WE.search(before_cue):
        return None
    return before[-1] if before else None


class ClaimExtractor:
    """Pipeline component: sets ``doc._.kg_claims``."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_claims = find_claims(doc)
        return doc


@Language.factory("kg_claims", default_config={})
def make_claims(nlp: Language, name: str) -> ClaimExtractor:
    """Create the claim extractor."""
    return ClaimExtractor(nlp, name)
