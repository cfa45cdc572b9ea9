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
    out: list[dict] = []
    mentions = [s for s in doc.spans.get(SPANS_KEY, []) if s.label_ == "METHOD"]
    datasets = [s for s in doc.spans.get(SPANS_KEY, []) if s.label_ == "DATASET"]
    metrics = [s for s in doc.spans.get(SPANS_KEY, []) if s.label_ == "METRIC"]
    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    text = doc_text(doc)
    for sent in sents:
        stext = text[sent.start_char : sent.end_char]
        for ctype, rx, conf in CLAIM_CUES:
            m = rx.search(stext)
            if not m:
                continue
            cue = sent.start_char + m.start()
            in_sent = [s for s in mentions if sent.start_char <= s.start_char and s.end_char <= sent.end_char]
            before = [s for s in in_sent if s.end_char <= cue]
            after = [s for s in in_sent if s.start_char >= cue + len(m.group(0))]
            if ctype == "state_of_the_art" and re.search(r"\b(?:previous|prior|existing|other)\s+(?:\w+\s+){0,2}$", stext[: m.start()], re.I):
                # "outperforms previous state-of-the-art methods" is an outperforms claim
                continue
            if ctype in ("efficiency", "matches") and not (
                    re.search(r"\d", stext) or (after and re.search(r"\b(?:than|with|to)\b", stext[m.end():], re.I))):
                continue
            verb_subject = [s for s in before if _SUBJECT_VERB.match(text[s.end_char : s.end_char + 40])]
            if verb_subject:
                subject = verb_subject[-1]
            elif _WE.search(stext[: m.start()]):
                subject = None
            else:
                subject = before[-1] if before else None
            in_sent = lambda spans: [s for s in spans if sent.start_char <= s.start_char and s.end_char <= sent.end_char]
            out.append({
                "type": ctype,
                "dataset": (in_sent(datasets) or [None])[0],
                "metric": (in_sent(metrics) or [None])[0],
                "subject": subject,
                "object": after[0] if after and ctype != "state_of_the_art" else None,
                "sent_start": sent.start_char,
                "sent_end": sent.end_char,
                "rule": f"claim_{ctype}",
                "confidence": conf,
            })
            break
    return out


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
