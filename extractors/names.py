"""``kg_names``: method and dataset names recognised by their shape and context.

ML names have tell-tale shapes: CamelCase (``PyramidDrop``, ``VWFormer``), all caps
(``MAXIM``), letters with digits or version suffixes (``GPT-4o``, ``Qwen2.5-VL-7B``,
``DINOv2``), hyphenated caps (``RT-DETR-R50``). A candidate with such a shape is a
method unless its context says dataset ("the X benchmark", "on X", a ``-Bench``
suffix) or it is a generic term (``generic_terms.json``). Multi-word names are grown
from a name: a following version or size ("Llama 2", "OPT 66B") or architecture noun
("Swin Transformer").

Mentions go to ``doc.spans[spans_key]`` with ``span.id_`` = ``"<rule>"``, one of
``name_shape``, ``name_dataset_context``.
"""

from __future__ import annotations

import bisect
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc

from .docs import doc_text
from .errors import Errors, PatternError
from .lexicon import SPANS_KEY
from .patterns import PATTERNS_DIR, generic_terms, lexicon_index, words

MAX_NAME_CHARS = 100  # longer words are never names (no seed entity name is longer than 60)
_NAME_BODY = r"[A-Za-z][A-Za-z0-9]*(?:(?:[-_^+]|\.(?=\d))[A-Za-z0-9]+)*\+*"
NAME_RE = re.compile(r"(?<![\w\-])" + _NAME_BODY)
# NAME_RE's matches that hold a capital: the lookahead skips all-lowercase words inside the
# regex engine (most words of an abstract) and finds the same capitalised matches
_CAPITALISED_NAME_RE = re.compile(r"(?<![\w\-])(?=[a-z0-9_^+.\-]*[A-Z])" + _NAME_BODY)
_THE_X_DATASET = re.compile(r"(?<=\bthe )([A-Z][a-z]+(?:[- ][A-Z][\w-]*){0,2})(?= (?:dataset|benchmark|corpus)s?\b)")
_MEASURE_NAME = re.compile(r"[-_](?:score|measure|index)$|(?<=[a-z])Score$", re.I)
_HARDWARE = re.compile(r"W\d{1,2}A\d{1,2}(?:KV\d{1,2})?|INT\d|FP\d{1,2}|BF16|Cortex-[AMR]\d+\w*|[RG]TX-?\d{3,4}\w*|TPU-?v\d\w*|Jetson\w*|[AHLV]\d{2,3}[A-Z]?|MI\d{3}X?|M[1-4]|ESP32\w*|STM32\w*", re.I)
_DATASET_NOUN_AFTER = re.compile(r"\s+(?:dataset|benchmark|corpus|test set)s?\b", re.I)
_AT_K = re.compile(r"@\d+(?:\.\d+)?(?![\w@])")
_VERSION = re.compile(r"^(?:\d{1,3}(?:\.\d)?[BMK]?|v\d+(?:\.\d+)?)$")
_ARCH_NOUNS = words("architecture_nouns")
_DATASET_NOUNS = words("dataset_nouns")
_DATASET_SUFFIX = re.compile(r"(?:Bench|bench|QA|VQA|Eval|Set)$")
_NOT_DATASET_VERBS = frozenset(words("not_dataset_verbs"))
ADJECTIVE_SUFFIXES = frozenset(words("adjective_suffixes"))
_FUNCTION_WORDS = frozenset(words("name_function_words"))
_APPOSITION = re.compile(r"\b(?:a|an|new|our|the|this)\s+(?:[\w-]+\s+){0,3}(?:dataset|benchmark|corpus|suite|testbed|test set)"
                         r"\s*(?:,|\(|:|called|named|dubbed|termed|coined|,\s*namely|,\s*called)\s*$", re.I)
_SUCH_AS = re.compile(r"\b(?:benchmarks|datasets|corpora|test sets)\s*,?\s*(?:such as|including|like|e\.g\.,?|namely)\s+([^.;:()]+)", re.I)
# "the A, B and (indoor) C benchmarks". A list starts where a word starts, and a name never
# gives characters back (the next item starts after "," or a space): linear in the text, also
# for a 100 kB token (tried at every position inside a token, it was quadratic).
_LIST_ITEM = r"(?:[a-z]+\s)?[A-Z][\w.-]*+"
_LIST = rf"(?:{_LIST_ITEM},\s)*{_LIST_ITEM},?\s(?:and|or)\s{_LIST_ITEM}"
# "A, B and C benchmarks": tried only in a window before each "benchmarks"/"datasets" (tried
# at every item of a 10,000-name list, the list pattern was quadratic, #14 D9)
_LIST_BEFORE_NOUN = re.compile(rf"(?<![\w.-])({_LIST})\Z")
_LIST_NOUN = re.compile(r"\s(?:benchmarks|datasets)\b")
_LIST_WINDOW = 400
# "benchmarks: A, B and C"
_LIST_AFTER_NOUN = re.compile(rf"\b(?:benchmarks|datasets|corpora)\s*(?:[,:(]\s*(?:such as\s+|including\s+|like\s+|e\.g\.,?\s+|namely\s+)?|such as\s+|including\s+)({_LIST})(?=[\s,.;:)]|$)")


def _dataset_lists(text: str) -> list[tuple[int, int]]:
    """The spans of the name lists that "benchmarks"/"datasets" close or open, in text
    order, none overlapping an earlier one."""
    found = []
    for k in _LIST_NOUN.finditer(text):
        m = _LIST_BEFORE_NOUN.search(text, max(0, k.start() - _LIST_WINDOW), k.start())
        if m:
            found.append(m.span(1))
    found.extend(m.span(1) for m in _LIST_AFTER_NOUN.finditer(text))
    out: list[tuple[int, int]] = []
    for a, b in sorted(found):
        if not out or a >= out[-1][1]:
            out.append((a, b))
    return out


_MODEL_SIZE = re.compile(r"\d+(?:\.\d+)?B$|[-_](?:base|large|small|tiny|xl|xxl|huge|chat|instruct)$", re.I)
URL_RE = re.compile(r"https?://\S+|www\.\S+")
_UNIT_TOKENS = frozenset(words("unit_tokens"))


def _known_compound(word: str) -> bool:
    """A hyphenated Title-Case word with a known method name in it is a name, not an
    adjective: "Distil-Whisper", "Whisper-Lite" (but "Self-Supervised" is none)."""
    parts = word.split("-")
    generic = generic_terms()
    return len(parts) > 1 and all(p[:1].isupper() and p.casefold() not in generic for p in parts) and any(
        len(p) >= 3 and p.casefold() in _method_names() for p in parts)


@lru_cache(maxsize=1)
def _method_names() -> frozenset[str]:
    return frozenset(k for k, (label, _) in lexicon_index().items() if label == "METHOD" and " " not in k)


def name_shape(word: str, generic: frozenset[str]) -> bool:
    """True when ``word`` looks like the name of a specific system.

    Needs a leading letter and either two or more capitals or a capital plus a digit;
    generic terms (casefolded, also with a plural ``s`` removed) are never names, nor
    are plain capitalised words ("Transformers") or sizes ("7B"); nor is a word longer than
    :data:`MAX_NAME_CHARS` (a 100 kB token is not a name, and its key would not fit an index).
    """
    if len(word) < 2 or len(word) > MAX_NAME_CHARS or not word[0].isalpha():
        return False
    folded = word.casefold()
    if folded in generic or (folded.endswith("s") and folded[:-1] in generic):
        return False
    if _HARDWARE.fullmatch(word):
        return False  # "Cortex-M7", "RTX4090", "TPUv4": hardware, not a method
    parts = re.split(r"[-_]", word)
    if len(parts) > 1 and parts[-1].lower() in ADJECTIVE_SUFFIXES | _FUNCTION_WORDS:
        return False  # "MLP-like", "CLIP-based": describes, does not name; "NIAH-with": a lost dash
    if len(parts) > 1 and all(p[:1].isupper() and p[1:].islower() or p.islower() for p in parts if p):
        return False  # "Self-Supervised", "Vision-and-Language": a hyphenated adjective
    letters = sum(c.isalpha() for c in word)
    if letters < 2 or (word.isalpha() and word.isupper() and len(word) < 3):
        return False  # "R101", "R^2", "HR", "VL"
    uppers = sum(c.isupper() for c in word)
    if re.match(r"[a-z]+[A-Z]", word):
        return True  # "mmMamba", "xLSTM": a lowercase prefix on a capitalised name
    if uppers >= 2:
        # all-caps words that are ordinary English in headings are rare; keep them
        return True
    return uppers >= 1 and any(c.isdigit() for c in word)


def _prev_words(text: str, start: int, n: int = 3) -> list[str]:
    return re.findall(r"[\w'-]+|[(),;:]", text[max(0, start - 60) : start])[-n:]


def _next_words(text: str, end: int, n: int = 3) -> list[str]:
    return re.findall(r"[\w'-]+|[%(),;:]", text[end : end + 60])[:n]


def dataset_context(text: str, start: int, end: int, word: str) -> bool:
    """True when the words around ``text[start:end]`` say it names a dataset."""
    nxt = " ".join(_next_words(text, end, 2)).lower()
    if any(nxt.startswith(n) for n in _DATASET_NOUNS):
        return True
    if _DATASET_SUFFIX.search(word) and not word.isupper():
        return True
    ap = _APPOSITION.search(text[max(0, start - 40) : start])
    if ap and not re.search(r"\b[A-Z][\w-]*[A-Z0-9]", ap.group(0)[1:]) \
            and not re.search(r"\b(?:on|in|across|for|over)\s+$", text[max(0, start - 40) : start][: ap.start()], re.I):
        return True  # "a new benchmark, FooSet": not "on the BarSet dataset, FooNet ..." (a fronted phrase)
    if re.match(r"\s*,\s*(?:a|an|the)\s+(?:[\w-]+\s+){0,4}(?:dataset|benchmark|corpus|test suite)\b", text[end : end + 80], re.I):
        return True  # "MVC, a paired image-text dataset"
    prev = [w.lower() for w in _prev_words(text, start, 3)]
    if prev and prev[-1] == "the" and len(prev) > 1:
        prev = prev[:-1]
    if prev and prev[-1] in ("on", "across") and not (len(prev) > 1 and prev[-2] in _NOT_DATASET_VERBS):
        nxt1 = _next_words(text, end, 1)
        if nxt1 and nxt1[0] in ("'s", "'"):
            return False
        return True
    return False


def find_names(doc: Doc, generic: frozenset[str]) -> list[tuple[int, int, str, str]]:
    """Name candidates as ``(start_char, end_char, label, rule)``, left to right."""
    text = doc_text(doc)
    out = _shaped_names(text, generic)
    # "the Electricity dataset": a capitalised word the text calls a dataset
    for dm in _THE_X_DATASET.finditer(text):
        s_, e_ = dm.span(1)
        if not any(o[0] < e_ and s_ < o[1] for o in out) and dm.group(1).casefold() not in generic:
            out.append((s_, e_, "DATASET", "name_dataset_context"))
    # "TM-score", "F-measure", "micro-F1": a name shaped like a measure is a metric
    out = [(s_, e_, "METRIC", "metric_shape") if l_ == "METHOD" and _is_measure_name(text[s_:e_]) else (s_, e_, l_, r_)
           for s_, e_, l_, r_ in out]
    out = _listed_with_datasets(doc, text, out)
    return _listed_benchmarks(text, out, generic)


_AVERAGED = re.compile(r"(?:micro|macro|weighted|mean|avg|average|balanced)-(.+)", re.I)
_ORDER_SUFFIX = re.compile(r"(.+)-\d")  # "BLEU-4", "METEOR-1": a lexicon metric of an n-gram order


def _is_measure_name(name: str) -> bool:
    """"TM-score", "F-measure", an averaging prefix on a lexicon metric ("micro-F1",
    "macro-AUC"), or a lexicon metric with an n-gram order ("BLEU-4")."""
    if _MEASURE_NAME.search(name):
        return True
    m = _AVERAGED.fullmatch(name) or _ORDER_SUFFIX.fullmatch(name)
    return bool(m) and lexicon_index().get(m.group(1).casefold(), ("",))[0] == "METRIC"


def _shaped_names(text: str, generic: frozenset[str]) -> list[tuple[int, int, str, str]]:
    """Words with a name's shape (:func:`name_shape`), grown by a version or architecture
    noun ("Llama 2", "Swin Transformer"); a dataset when the context says so; "NDCG@10"
    a metric."""
    urls = [(u.start(), u.end()) for u in URL_RE.finditer(text)]
    out: list[tuple[int, int, str, str]] = []
    for m in _CAPITALISED_NAME_RE.finditer(text):
        word = m.group(0).rstrip(".")
        if word.islower() or word.isdigit():
            continue  # most words: no capital, never a name (fast path)
        s, e = m.start(), m.start() + len(word)
        in_url = any(a <= s < b for a, b in urls)
        at = _AT_K.match(text, e)
        if at and word.isalpha() and not in_url:
            out.append((s, at.end(), "METRIC", "metric_shape"))  # "NDCG@10", "Hits@50": a measure at a cutoff
            continue
        if in_url or not (name_shape(word, generic) or _known_compound(word)):
            continue
        e = _grown(text, e)
        label, rule = "METHOD", "name_shape"
        if (not _MODEL_SIZE.search(word) or _DATASET_NOUN_AFTER.match(text, e)) and dataset_context(text, s, e, word):
            label, rule = "DATASET", "name_dataset_context"
        out.append((s, e, label, rule))
    return out


def _grown(text: str, e: int) -> int:
    """The end of a name at ``e`` grown by the next word when it is a version ("Llama 2",
    "OPT 66B"; not a number with a unit) or an architecture noun ("Swin Transformer")."""
    nm = re.match(r"\s([A-Za-z0-9.]+)", text[e:])
    if not nm:
        return e
    nxt = nm.group(1).rstrip(".")
    end = e + 1 + len(nxt)
    after = _next_words(text, end, 1)
    if _VERSION.match(nxt) and not (after and after[0] in _UNIT_TOKENS) and not text[end : end + 1] == "-":
        return end
    return end if nxt in _ARCH_NOUNS else e


_LIST_JOIN = re.compile(r",?\s*(?:and|or)\s+")
_LIST_GOES_ON = re.compile(r",?\s*(?:and|or)\s+|,\s*")


def _listed_with_datasets(doc: Doc, text: str, out: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Names listed with a dataset ("on VideoMMMU, VideoMME, and WorldSense") are datasets;
    a comma alone does not make a list ("On ImageNet, FooNet reaches ..."); every name
    after "benchmarks such as" is one too. Lexicon datasets take part in the lists but
    are not returned."""
    lexicon_datasets = [(sp.start_char, sp.end_char, "DATASET", "lexicon") for sp in doc.spans.get(SPANS_KEY, [])
                        if sp.label_ == "DATASET"]
    combined = sorted(out + [d for d in lexicon_datasets if not any(o[0] < d[1] and d[0] < o[1] for o in out)])
    while _one_more_listed_dataset(text, combined):
        pass
    # "On Criteo and Avazu": a capitalised word listed after "on" with a known dataset is one
    combined = _on_listed(text, combined, lexicon_datasets)
    # "benchmarks such as A and B": every listed name is a dataset
    for lm in _SUCH_AS.finditer(text):
        combined = [(s_, e_, "DATASET", "name_dataset_context") if lm.start(1) <= s_ and e_ <= lm.end(1) and r_ != "lexicon"
                    else (s_, e_, l_, r_) for s_, e_, l_, r_ in combined]
    return [c for c in combined if c[3] != "lexicon"]


_ON_LIST = re.compile(rf"\b(?:[Oo]n|[Aa]cross)\s+(?:the\s+)?({_LIST})(?=[\s,.;:)]|$)")
_CAPITALISED = re.compile(r"(?<![\w.-])[A-Z][\w.-]*[\w]")


def _on_listed(text: str, combined: list[tuple[int, int, str, str]],
               known: list[tuple[int, int, str, str]] = ()) -> list[tuple[int, int, str, str]]:
    """Capitalised words of a list after "on"/"across" that holds a dataset mention (of
    ``combined``, or a ``known`` lexicon dataset) ("On Criteo and Avazu, ...") become
    datasets too (sorted ``combined`` returned)."""
    names = _Sorted(combined)
    datasets = _Sorted([c for c in combined if c[2] == "DATASET"] + list(known))
    if not datasets.spans:
        return combined
    for lm in _ON_LIST.finditer(text):
        lo, hi = lm.span(1)
        if not any(datasets.spans[j][1] <= hi for j in datasets.inside(lo, hi)):
            continue
        for j in names.inside(lo, hi):
            s, e, label, rule = names.spans[j]
            if e <= hi and label == "METHOD" and not _MODEL_SIZE.search(text[s:e]):
                names.spans[j] = (s, e, "DATASET", "name_dataset_context")
        for wm in _CAPITALISED.finditer(text, lo, hi):
            s, e = wm.span()
            if e - s <= MAX_NAME_CHARS and not names.overlaps(s, e):
                names.add((s, e, "DATASET", "name_dataset_context"))
    return names.spans


def _one_more_listed_dataset(text: str, combined: list[tuple[int, int, str, str]]) -> bool:
    """One pass: turn each method listed beside a dataset into a dataset (in place);
    False when there was none."""
    changed = False
    for i in range(len(combined)):
        if combined[i][2] != "METHOD" or _MODEL_SIZE.search(text[combined[i][0]:combined[i][1]]):
            continue
        for j in (i - 1, i + 1):
            if not (0 <= j < len(combined)) or combined[j][2] != "DATASET":
                continue
            lo, hi = sorted((i, j))
            between = text[combined[lo][1] : combined[hi][0]]
            # a bare comma counts only inside a list that goes on with a conjunction
            cont = hi + 1 < len(combined) and bool(_LIST_GOES_ON.fullmatch(text[combined[hi][1] : combined[hi + 1][0]]))
            if _LIST_JOIN.fullmatch(between) or (re.fullmatch(r",\s*", between) and cont):
                combined[i] = (combined[i][0], combined[i][1], "DATASET", "name_dataset_context")
                changed = True
                break
    return changed


class _Sorted:
    """Name candidates kept sorted by start, so a list touches only the names inside it and
    an overlap test looks only at the names that start near the new one (linear time)."""

    def __init__(self, spans: list[tuple[int, int, str, str]]):
        self.spans = sorted(spans)
        self.starts = [o[0] for o in self.spans]
        self.width = max((o[1] - o[0] for o in self.spans), default=0)

    def overlaps(self, s: int, e: int) -> bool:
        lo, hi = bisect.bisect_left(self.starts, s - self.width), bisect.bisect_left(self.starts, e)
        return any(self.spans[j][1] > s for j in range(lo, hi))

    def add(self, span: tuple[int, int, str, str]) -> None:
        j = bisect.bisect_left(self.starts, span[0])
        self.starts.insert(j, span[0])
        self.spans.insert(j, span)
        self.width = max(self.width, span[1] - span[0])

    def inside(self, lo: int, hi: int) -> range:
        """Indices of the spans that start in [lo, hi)."""
        return range(bisect.bisect_left(self.starts, lo), bisect.bisect_left(self.starts, hi))


def _listed_benchmarks(text: str, out: list[tuple[int, int, str, str]], generic: frozenset[str]) -> list[tuple[int, int, str, str]]:
    """"the A, B and (indoor) C benchmarks": every listed name is a dataset, shaped or not."""
    names = _Sorted(out)
    for lo, hi in _dataset_lists(text):  # "A, B and C benchmarks" or "benchmarks, A, B and C"
        for j in names.inside(lo, hi):
            s, e, _, _ = names.spans[j]
            if e <= hi:
                names.spans[j] = (s, e, "DATASET", "name_dataset_context")
        for wm in re.finditer(r"[A-Z][\w.-]*[\w]", text[lo:hi]):
            s, e = lo + wm.start(), lo + wm.end()
            if (e - s <= MAX_NAME_CHARS and not names.overlaps(s, e) and wm.group(0).casefold() not in generic
                    and not re.fullmatch(r"[A-Z][a-z]+-(?:to-)?[A-Z][a-z]+", wm.group(0))):  # "English-to-French"
                names.add((s, e, "DATASET", "name_dataset_context"))
    return names.spans


TITLE_PHRASE_WORDS = frozenset(w.casefold() for w in words("title_phrase_words"))
_TITLE_PREFIX = re.compile(r"\s*((?:[A-Z][\w\-^.+]*\s){0,2}[A-Z][\w\-^.+]*)\s*:")
_TITLE_DATASET = re.compile(r"\s*(?:A|An|The)?\s*(?:[\w-]+\s+){0,3}(?:Benchmark|Dataset|Corpus|Suite|Testbed|Challenge)s?\b", re.I)


def title_prefix(title: str, generic: frozenset[str]) -> tuple[int, int, str] | None:
    """The name before a title's colon ("MAXIM: Multi-Axis MLP ...", "Gaussian RBFNet: ...").

    Returns ``(start, end, label)``: ``DATASET`` when the title goes on "A Benchmark for ...",
    else ``METHOD``; None when the prefix is not a name (a sentence, a generic word, more
    than three words, or several words none of which has a name's shape).
    """
    m = _TITLE_PREFIX.match(title)
    if not m:
        return None
    name = m.group(1)
    words = name.split()
    if name.casefold() in generic or any(w.casefold() in generic for w in words[-1:]):
        return None
    if len(words) > 1 and words[0].casefold() in TITLE_PHRASE_WORDS:
        return None  # "Beyond FooNet:", "Rethinking BarNet:": a phrase about a name, not a name
    one_word_ok = len(words) == 1 and (name_shape(name, generic) or re.fullmatch(r"[A-Z][a-z]+[A-Z0-9]?\w*", name))
    multi_ok = len(words) > 1 and name_shape(words[-1], generic)
    if not (one_word_ok or multi_ok):
        return None
    label = "DATASET" if _TITLE_DATASET.match(title[m.end():]) else "METHOD"
    return m.start(1), m.end(1), label


def known_name_spans(text: str, names: list[str]) -> list[tuple[int, int]]:
    """Whole-word occurrences of ``names`` in ``text`` (case-sensitive), left to right."""
    out = []
    urls = [(u.start(), u.end()) for u in URL_RE.finditer(text)]
    for name in names:
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            if not any(a <= m.start() < b for a, b in urls):
                out.append((m.start(), m.end()))
    return sorted(out)


class NameRecognizer:
    """Pipeline component adding shape-based METHOD/DATASET mentions.

    Its one piece of data, the generic terms that are never one method's name
    (``generic_terms.json``), is loaded in :meth:`initialize` and saved with the pipeline
    by :meth:`to_disk`."""

    def __init__(self, nlp: Language, name: str, spans_key: str):
        self.name = name
        self.spans_key = spans_key
        self.generic: frozenset[str] | None = None

    def initialize(self, get_examples: Callable | None = None, *, nlp: Language | None = None,
                   patterns_dir: str | None = None) -> None:
        """Load ``generic_terms.json`` of ``patterns_dir`` (None: the packaged patterns)."""
        self.generic = generic_terms(str(patterns_dir or PATTERNS_DIR))

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write ``path/generic_terms.json``."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "generic_terms.json").write_text(json.dumps({"terms": sorted(self.generic or ())}, ensure_ascii=False),
                                                 encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "NameRecognizer":
        """Read the generic terms :meth:`to_disk` wrote."""
        self.generic = generic_terms(str(Path(path)))
        return self

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.setdefault(self.spans_key, [])
        # names the title introduced ("Chimera: ...") are names wherever the abstract uses them
        known = doc.user_data.get("kg_title_names") or {}
        for label, names in known.items():
            for s, e in known_name_spans(doc_text(doc), names):
                span = doc.char_span(s, e, label=label, alignment_mode="expand")
                if span is not None:
                    span.id_ = "title_prefix"
                    group.append(span)
        if self.generic is None:
            raise PatternError(Errors.E104.format(name=self.name))
        for s, e, label, rule in find_names(doc, self.generic):
            span = doc.char_span(s, e, label=label, alignment_mode="expand")
            if span is not None:
                span.id_ = rule
                group.append(span)
        return doc


@Language.factory("kg_names", default_config={"spans_key": SPANS_KEY})
def make_names(nlp: Language, name: str, spans_key: str) -> NameRecognizer:
    """Create the name-shape recogniser; its data is loaded by ``initialize``."""
    return NameRecognizer(nlp, name, spans_key)
