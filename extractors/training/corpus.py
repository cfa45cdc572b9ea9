"""Training examples for the learned span classifier, built from gold records.

Each gold record gives two Examples (title, abstract). The *predicted* Doc is what the
kg pipeline hands the classifier at run time: tokenized by the kg tokenizer and processed
by the rule components up to ``kg_mention_filter``, then ``kg_rule_features`` (so the
rules' decisions are token features and their proposals are candidates). The
*reference* Doc has the same tokens and the gold mentions in ``doc.spans["kg_learned"]``:
every case-sensitive whole-word occurrence of a gold entity's name or alias (of its type),
overlaps resolved longest first, then leftmost, aligned to tokens with
``alignment_mode="contract"``.

spaCy reads them through the registered reader ``kg.gold_examples.v1`` (a JSONL of gold
records with their ``title`` and ``abstract``), named in ``spancat.cfg``'s corpora:
https://spacy.io/api/corpus#custom-readers
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import registry

from ..learned import SC_KEY

TYPE_LABEL = {"methods": "METHOD", "datasets": "DATASET", "metrics": "METRIC", "tasks": "TASK"}
LABELS = tuple(TYPE_LABEL.values())
CONFIG = Path(__file__).resolve().parent / "spancat.cfg"
# the rule components whose output the classifier sees (everything before the results)
RULE_STAGES_END = "kg_mention_filter"
_USER_DATA = ("kg_field", "kg_text", "kg_title_names")


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


def reference_doc(predicted: Doc, mentions: list[tuple[int, int, str]]) -> Doc:
    """A Doc with ``predicted``'s tokens and the gold ``mentions`` in ``spans[SC_KEY]``."""
    ref = Doc(predicted.vocab, words=[t.text for t in predicted], spaces=[bool(t.whitespace_) for t in predicted])
    spans = []
    for s, e, lab in mentions:
        span = ref.char_span(s, e, label=lab, alignment_mode="contract")
        if span is not None and len(span):
            spans.append(span)
    ref.spans[SC_KEY] = spans
    return ref


def rule_pipeline() -> Language:
    """The kg pipeline cut after the rule mentions, plus ``kg_rule_features``."""
    from .. import build_pipeline

    nlp = build_pipeline()
    names = nlp.pipe_names
    for name in names[names.index(RULE_STAGES_END) + 1:]:
        nlp.remove_pipe(name)
    nlp.add_pipe("kg_rule_features")
    return nlp


def record_examples(nlp: Language, record: dict) -> list[Example]:
    """The title and abstract Examples of one gold record that has ``title``/``abstract``."""
    from ..assemble import paper_doc

    forms = gold_forms(record)
    out = []
    for field in ("title", "abstract"):
        text = record.get(field)
        if text:
            pred = nlp(paper_doc(nlp, text, field, record.get("title")))
            # the components' caches hold Spans, which Example.copy cannot deep-copy
            pred.user_data = {k: v for k, v in pred.user_data.items() if k in _USER_DATA}
            out.append(Example(pred, reference_doc(pred, find_mentions(text, forms))))
    return out


def with_inputs(gold: list[dict], inputs: dict[str, dict]) -> list[dict]:
    """Gold records with the ``title`` and ``abstract`` of their input record."""
    out = []
    for g in gold:
        inp = inputs.get(str(g["id"]), {})
        out.append({**g, "title": g.get("title") or inp.get("title") or "", "abstract": inp.get("abstract") or ""})
    return out


def write_jsonl(records: list[dict], path: Path | str) -> Path:
    """Write records (gold with title and abstract) as JSONL for ``kg.gold_examples.v1``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@registry.readers("kg.gold_examples.v1")
def gold_examples(path: str) -> Callable[[Language], Iterator[Example]]:
    """spaCy corpus reader: the Examples of every record of the JSONL ``path`` (built once,
    copied on each pass so training never sees annotations of an earlier epoch)."""
    cache: list[Example] = []

    def read(nlp: Language) -> Iterator[Example]:
        if not cache:
            rules = rule_pipeline()
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        cache.extend(record_examples(rules, json.loads(line)))
        for eg in cache:
            yield eg.copy()

    return read
