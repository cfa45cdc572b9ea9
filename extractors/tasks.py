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

from .lexicon import SPANS_KEY

TASK_HEADS = (
    "segmentation", "detection", "classification", "recognition", "retrieval", "translation",
    "summarization", "generation", "captioning", "reconstruction", "understanding", "estimation",
    "tracking", "answering", "reasoning", "alignment", "modeling", "modelling", "learning", "pruning",
    "denoising", "deblurring", "deraining", "dehazing", "enhancement", "restoration", "synthesis",
    "editing", "inpainting", "perception", "forecasting", "prediction", "parsing", "tuning",
    "fine-tuning", "scaling", "compression", "distillation", "sparsification", "acceleration",
    "matching", "grounding", "completion", "localization", "planning", "processing", "super-resolution",
    "navigation", "manipulation", "inference", "search", "adaptation", "generalization",
)
EVALUATIVE = {
    "efficient", "interpretable", "versatile", "robust", "scalable", "effective", "accurate", "fast",
    "faster", "better", "improved", "general", "generalizable", "unified", "simple", "strong", "reliable",
    "controllable", "faithful", "towards", "toward", "universal", "flexible", "practical", "lightweight",
}
FIELDS = {"machine learning", "deep learning", "computer vision", "natural language processing", "artificial intelligence"}
_STOP = {"a", "an", "the", "of", "for", "in", "on", "and", "or", "with", "to", "via", "by", "from", "at",
         "our", "their", "its", "this", "these", "that", "is", "are", "we", "your", "as", "using", "large",
         "respectively", "etc", "more", "other", "various", "many", "several"}

_HEAD_RE = "|".join(sorted((re.escape(h) for h in TASK_HEADS), key=len, reverse=True))
_WORDTOK = r"[A-Za-z0-9][\w'-]*"
TITLE_TASK_RE = re.compile(
    rf"\b(?:for|in|on|towards|toward)\s+((?:{_WORDTOK}\s+){{0,3}}(?:{_HEAD_RE}))\b(?=\s*(?:$|in\b|on\b|with\b|via\b|for\b|using\b|:|,))",
    re.IGNORECASE,
)
LIST_RE = re.compile(r"\btasks,?\s+(?:such as|including|like|e\.g\.,?)\s+([^.;:()]+)", re.IGNORECASE)
HYPHEN_TASKS_RE = re.compile(r"\b([a-z]+-[a-z]+(?:-[a-z]+)?\s+tasks)\b")


def _trim(phrase: str) -> str:
    words = phrase.split()
    while words and (words[0].lower() in EVALUATIVE or words[0].lower() in _STOP):
        words = words[1:]
    return " ".join(words)


def find_tasks(text: str, is_title: bool) -> list[tuple[int, int, str]]:
    """Task phrases in ``text`` as ``(start_char, end_char, rule)``."""
    out: list[tuple[int, int, str]] = []
    if is_title:
        for m in TITLE_TASK_RE.finditer(text):
            phrase = m.group(1)
            trimmed = _trim(phrase)
            if not trimmed or trimmed.lower() in FIELDS or any(w.lower() in _STOP for w in trimmed.split()):
                continue
            s = m.start(1) + (len(phrase) - len(trimmed))
            out.append((s, s + len(trimmed), "task_title"))
    for m in LIST_RE.finditer(text):
        items = re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", m.group(1))
        pos = m.start(1)
        for it in items:
            it_s = text.find(it, pos)
            pos = it_s + len(it)
            item = it.strip()
            if (not item or len(item.split()) > 4 or not item[0].islower() or item.split()[0].lower() in _STOP
                    or any(w.lower() in _STOP for w in item.split())):
                continue
            out.append((it_s, it_s + len(item), "task_list"))
    for m in HYPHEN_TASKS_RE.finditer(text):
        out.append((m.start(1), m.end(1), "task_hyphen_tasks"))
    return out


class TaskRecognizer:
    """Pipeline component adding TASK mentions."""

    def __init__(self, nlp: Language, name: str, spans_key: str):
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.setdefault(self.spans_key, [])
        is_title = bool(doc.user_data.get("kg_field") == "title")
        for s, e, rule in find_tasks(doc.text, is_title):
            span = doc.char_span(s, e, label="TASK", alignment_mode="expand")
            if span is not None:
                span.id_ = rule
                group.append(span)
        return doc


@Language.factory("kg_tasks", default_config={"spans_key": SPANS_KEY})
def make_tasks(nlp: Language, name: str, spans_key: str) -> TaskRecognizer:
    """Create the task recogniser."""
    return TaskRecognizer(nlp, name, spans_key)
