"""Training Docs for the learned mention tagger, built from gold records.

Each gold record gives two Docs (title, abstract), tokenized by the kg tokenizer
(``extractors.build_pipeline().make_doc``, with its custom suffix/infix rules). Every
case-sensitive whole-word occurrence of a gold entity's name or alias (of its type) is a
mention; overlapping occurrences are resolved longest first, then leftmost. Mentions are
aligned to tokens with ``alignment_mode="contract"`` and written as BIO tags
("B-TASK", "I-TASK", "O") in ``token.tag_``; the corpus keeps the kg tokenization (read it
with ``gold_preproc = true``, as ``tagger.cfg`` does).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin

TYPE_LABEL = {"methods": "METHOD", "datasets": "DATASET", "metrics": "METRIC", "tasks": "TASK"}
LABELS = tuple(TYPE_LABEL.values())
CONFIG = Path(__file__).resolve().parent / "tagger.cfg"


def bio_tags(labels: list[str]) -> list[str]:
    """All BIO tags over ``labels`` ("O" first): the tagger's label set."""
    return ["O"] + [f"{p}-{lab}" for lab in labels for p in ("B", "I")]


def gold_forms(record: dict) -> list[tuple[str, str]]:
    """``(surface form, label)`` for every name and alias of the record's entities."""
    out: list[tuple[str, str]] = []
    for field, label in TYPE_LABEL.items():
        for e in record.get(field) or []:
            for form in [e.get("name"), *(e.get("aliases") or [])]:
                if isinstance(form, str) and form.strip():
                    out.append((form.strip(), label))
    return out


def find_mentions(text: str, forms: Iterable[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping ``(start, end, label)`` character spans: whole-word, case-sensitive
    occurrences of the forms, longest first, then leftmost."""
    cands: list[tuple[int, int, str]] = []
    for form, label in set(forms):
        pat = re.compile(r"(?<![A-Za-z0-9])" + re.escape(form) + r"(?![A-Za-z0-9])")
        cands.extend((m.start(), m.end(), label) for m in pat.finditer(text))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0], c[2]))
    taken: list[tuple[int, int, str]] = []
    for s, e, lab in cands:
        if not any(s < te and ts < e for ts, te, _ in taken):
            taken.append((s, e, lab))
    return sorted(taken)


def tag_doc(doc: Doc, mentions: list[tuple[int, int, str]]) -> Doc:
    """Write BIO tags of the mentions into ``doc`` (tokens outside mentions get "O")."""
    tags = ["O"] * len(doc)
    for s, e, lab in mentions:
        span = doc.char_span(s, e, alignment_mode="contract")
        if span is None or len(span) == 0:
            continue
        tags[span.start] = f"B-{lab}"
        for i in range(span.start + 1, span.end):
            tags[i] = f"I-{lab}"
    for tok, t in zip(doc, tags):
        tok.tag_ = t
    return doc


def record_docs(nlp: Language, record: dict, abstract: str | None) -> list[Doc]:
    """The tagged title and abstract Docs of one gold record."""
    forms = gold_forms(record)
    docs = []
    for text in (record.get("title"), abstract):
        if text:
            docs.append(tag_doc(nlp.make_doc(text), find_mentions(text, forms)))
    return docs


def build_docs(nlp: Language, gold: list[dict], inputs: dict[str, dict]) -> list[Doc]:
    """Tagged Docs of the gold records, in order; ``inputs`` maps id -> {"title","abstract"}."""
    out: list[Doc] = []
    for g in gold:
        inp = inputs.get(str(g["id"]), {})
        rec = dict(g)
        rec.setdefault("title", inp.get("title"))
        if not rec.get("title"):
            rec["title"] = inp.get("title")
        out.extend(record_docs(nlp, rec, inp.get("abstract")))
    return out


def write_docbin(docs: list[Doc], path: Path | str) -> Path:
    """Save the Docs (with their tags) as a ``.spacy`` DocBin file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(attrs=["ORTH", "TAG", "SPACY"], docs=docs).to_disk(path)
    return path
