"""``kg_tasks``: research tasks named by the title or listed in the abstract.

Beyond the lexicon (``patterns/tasks.jsonl``), a task is a short noun phrase ending in a
task head noun (``TASK_HEADS``: segmentation, detection, understanding, ...) that
stands where titles and abstracts name tasks: after "for/in/on/towards" in a title
("... for Multi-View 3D Reconstruction"), in "tasks such as X, Y and Z", and as
"X-Y tasks" ("vision-language tasks"). Evaluative adjectives ("Efficient",
"Versatile") that lead a title phrase are dropped.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from .docs import doc_text
from .lexicon import SPANS_KEY
from .patterns import words

TASK_HEADS = words("task_heads")
# heads that name a task on their own ("classification, detection and segmentation");
# the others need a modifier ("few-shot learning", "long-context fine-tuning")
STANDALONE_HEADS = frozenset(words("task_standalone_heads"))
# words that never start or sit inside a task phrase
_NOT_MODIFIER = frozenset(words("task_not_modifier"))
EVALUATIVE = frozenset(words("evaluative_words"))
FIELDS = frozenset(words("research_fields"))
_STOP = frozenset(words("task_stop_words"))
_METHOD_NOUNS = frozenset(w.casefold() for w in words("method_heads")) - {h.casefold() for h in TASK_HEADS}

_HEAD_RE = "|".join(sorted((re.escape(h) for h in TASK_HEADS), key=len, reverse=True))
_WORDTOK = r"[A-Za-z0-9][\w'-]*"
TITLE_TASK_RE = re.compile(
    rf"\b(?:for|in|on|towards|toward)\s+((?:{_WORDTOK}\s+){{0,3}}(?:{_HEAD_RE}))\b(?=\s*(?:$|in\b|on\b|with\b|via\b|for\b|using\b|through\b|from\b|by\b|and\b|:|,|\?|\.))",
    re.IGNORECASE,
)
# "Anomaly Detection in Multivariate Time Series": a title that starts with a task phrase
# (not before "for" or a colon: "Sparse Voxel Pruning for 3D Grounding" starts with the method)
TITLE_HEAD_RE = re.compile(
    rf"^((?:{_WORDTOK}\s+){{0,4}}(?:{_HEAD_RE}))\b(?=\s*(?:$|in\b|on\b|with\b|via\b|using\b|through\b|from\b|by\b|and\b|,|\?|\.))",
    re.IGNORECASE,
)
# "FooNet: Fast Image Synthesis": the whole part after the name's colon is a task phrase
TITLE_TAIL_RE = re.compile(rf"^[^:]{{1,40}}:\s+((?:{_WORDTOK}\s+){{0,4}}(?:{_HEAD_RE}))\s*[.?!]?$", re.IGNORECASE)
LIST_RE = re.compile(r"\btasks,?\s+(?:such as|including|like|e\.g\.,?)\s+([^.;:()]+)", re.IGNORECASE)
_TRIGGER = re.compile(r"\b(?:for|in|on|to|of|towards|across|including|such as|like|e\.g\.,?|via|address(?:es)?|tackles?|stud(?:y|ies)|"
                      r"considers?|solves?|investigates?|explores?|improves?)\s+(?:the\s+|both\s+|either\s+)?$", re.I)
# a sentence that starts with a task phrase and says what it is or does:
# "Session-based recommendation predicts ...", "Speaker verification systems degrade ..."
_SUBJECT_AFTER = re.compile(r"\s+(?:is|are|remains?|has|have|aims?|seeks?|requires?|plays?|predicts?|involves?|refers?|"
                            r"systems?|models?|methods?|approaches|pipelines?)\b")
_PHRASE_RE = re.compile(rf"\b((?:[a-z0-9][a-z0-9-]*\s+){{0,3}}(?:{_HEAD_RE}))\b")
HYPHEN_TASKS_RE = re.compile(r"\b((?!(?:multi|cross|single|non|self|large|small|long|short|high|low|fine|coarse|well|open|closed)-)"
                             r"[a-z]+-(?!(?:based|modal|like|specific|level|scale|shot|domain|task|oriented|related|intensive|rich|heavy)\b)"
                             r"[a-z]+(?:-[a-z]+)?\s+tasks)\b")


def _trim(phrase: str) -> str:
    words = phrase.split()
    while words and (words[0].lower() in EVALUATIVE or words[0].lower() in _STOP):
        words = words[1:]
    return " ".join(words)


def find_tasks(text: str, is_title: bool, known: list[tuple[int, int]] = ()) -> list[tuple[int, int, str]]:
    """Task phrases in ``text`` as ``(start_char, end_char, rule)``."""
    out: list[tuple[int, int, str]] = _title_tasks(text) if is_title else []
    out.extend(_listed_tasks(text))
    for m in HYPHEN_TASKS_RE.finditer(text):
        out.append((m.start(1), m.end(1), "task_hyphen_tasks"))
    if not is_title:
        out.extend(task_phrases(text, known))
    return out


def _has_inner_name(phrase: str) -> bool:
    """"MLLMs Acceleration": a word with two capitals (not "3D", not "Vision-Language")
    is a name inside, so the phrase is no task."""
    return any(sum(c.isupper() for c in w) >= 2 and not re.fullmatch(r"\d+D", w)
               and not all(p[:1].isupper() and p[1:].islower() for p in w.split("-") if p) for w in phrase.split())


def _title_tasks(text: str) -> list[tuple[int, int, str]]:
    """Task phrases of a title ("... for Open-Vocabulary Object Detection")."""
    out: list[tuple[int, int, str]] = []
    for m in [*TITLE_TASK_RE.finditer(text), *TITLE_TAIL_RE.finditer(text), *TITLE_HEAD_RE.finditer(text)]:
        phrase = m.group(1)
        trimmed = _trim(phrase)
        if not trimmed or trimmed.lower() in FIELDS or any(w.lower() in _STOP or w.lower() in _METHOD_NOUNS for w in trimmed.split()):
            continue  # ("Semiotic Networks Representing ...": a method's noun inside)
        if _has_inner_name(trimmed):
            continue
        s = m.start(1) + (len(phrase) - len(trimmed))
        out.append((s, s + len(trimmed), "task_title"))
    return out


def _listed_tasks(text: str) -> list[tuple[int, int, str]]:
    """The lowercase items of a task list ("tasks such as A, B and C")."""
    out: list[tuple[int, int, str]] = []
    for m in LIST_RE.finditer(text):
        items = re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", m.group(1))
        pos = m.start(1)
        for it in items:
            it_s = text.find(it, pos)
            pos = it_s + len(it)
            item = it.strip()
            if (not item or len(item.split()) > 4 or not item[0].islower()
                    or any(w.lower() in _STOP for w in item.split())):
                continue
            out.append((it_s, it_s + len(item), "task_list"))
    return out


def task_phrases(text: str, known: list[tuple[int, int]] = ()) -> list[tuple[int, int, str]]:
    """Lowercase task phrases ending in a task head, where the text names a task.

    A candidate is 0-3 modifier words and a head from ``TASK_HEADS``; leading words that
    are not modifiers are dropped and a lone head must be in ``STANDALONE_HEADS``. It is
    kept when a trigger precedes it ("for/in/on/to/of/via", "such as", "including", a
    dataset name as in "COCO detection"), or when it sits in a list ("A, B and C") next to
    a kept phrase or a ``known`` task span (the lexicon's).
    """
    starts = {0} | {m.end() for m in re.finditer(r"[.!?]\s+", text)}
    cands = _phrase_candidates(text, starts)
    kept: set[tuple[int, int]] = set()
    for s_, e_ in cands:
        before = text[max(0, s_ - 25) : s_]
        single = " " not in text[s_:e_]
        if _TRIGGER.search(before) or (single and re.search(r"[A-Z][\w-]*[A-Z0-9][\w-]*\s+$", before)):
            kept.add((s_, e_))
        elif s_ in starts and not single and _SUBJECT_AFTER.match(text, e_):
            kept.add((s_, e_))
    _listed_beside(text, cands, kept, set(known))
    return [(s_, e_, "task_phrase") for s_, e_ in sorted(kept)]


def _drop_first(words: list[str]) -> bool:
    """Whether the first word of a task phrase is no modifier (a stop word, an
    evaluative word, an adverb or a verb form that is no task head)."""
    w = words[0]
    return (w in _STOP or w in _NOT_MODIFIER or w in EVALUATIVE or w.endswith("ly")
            or ("-" not in w and bool(re.search(r"(?:ed|ing)$", w)) and w not in TASK_HEADS))


def _phrase_candidates(text: str, starts: set[int]) -> list[tuple[int, int]]:
    """Spans of 0-3 modifiers and a task head (``_PHRASE_RE``), leading non-modifiers cut."""
    cands: list[tuple[int, int]] = []
    # sentence-initial capitals lowered (same offsets) so the lowercase phrase pattern sees them
    folded = "".join(c.lower() if i in starts else c for i, c in enumerate(text))
    for m in _PHRASE_RE.finditer(folded):
        words = m.group(1).split()
        start = m.start(1)
        while len(words) > 1 and _drop_first(words):
            start = text.index(words[1], start + len(words[0]))
            words = words[1:]
        if any(w in _STOP or w in _NOT_MODIFIER for w in words):
            continue
        if len(words) == 1 and words[0] not in STANDALONE_HEADS:
            continue
        if any(" ".join(words).endswith(f) for f in FIELDS):
            continue
        cands.append((start, m.end(1)))
    return cands


_TASK_SEP = re.compile(r",?\s*(?:and|or)\s+(?:the\s+)?|,\s*")


def _listed_beside(text: str, cands: list[tuple[int, int]], kept: set[tuple[int, int]], anchors: set[tuple[int, int]]) -> None:
    """Add to ``kept`` (in place) every candidate listed next to a kept phrase or an
    anchor ("A, B and C"), until nothing changes."""
    changed = True
    while changed:
        changed = False
        pool = sorted(kept | anchors)
        for c in cands:
            if c in kept:
                continue
            if any(_TASK_SEP.fullmatch(text[p[1] : c[0]]) or _TASK_SEP.fullmatch(text[c[1] : p[0]]) for p in pool):
                kept.add(c)
                changed = True


_TASKS_AFTER = re.compile(r"\s+tasks?\b", re.I)


class TaskRecognizer:
    """Pipeline component adding TASK mentions."""

    def __init__(self, nlp: Language, name: str, spans_key: str):
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.setdefault(self.spans_key, [])
        is_title = bool(doc.user_data.get("kg_field") == "title")
        known = [(sp.start_char, sp.end_char) for sp in group if sp.label_ == "TASK"]
        text = doc_text(doc)
        for s, e, rule in find_tasks(text, is_title, known):
            m = _TASKS_AFTER.match(text, e)
            if m and rule != "task_hyphen_tasks":
                e = m.end()  # "commonsense reasoning tasks": the text's words (assembly adds the bare form)
            span = doc.char_span(s, e, label="TASK", alignment_mode="expand")
            if span is not None:
                span.id_ = rule
                group.append(span)
        return doc


@Language.factory("kg_tasks", default_config={"spans_key": SPANS_KEY})
def make_tasks(nlp: Language, name: str, spans_key: str) -> TaskRecognizer:
    """Create the task recogniser."""
    return TaskRecognizer(nlp, name, spans_key)
