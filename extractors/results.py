"""``kg_results``: numeric result clauses and what each number is about.

For every number in a sentence (:func:`kg.extractors.numbers.find_numbers`) the component
decides whether it is a result (GUIDELINES.md, "Results": years, counts and setup sizes
are not), its ``kind`` (absolute / delta / ratio / relative, from the unit and the cue
words around it) and the mentions it belongs to: the metric next to it, the dataset of
its clause, the method before it and the baseline after a comparison cue ("over",
"than", "compared to"). Numbers listed together ("53.1% / 54.3%", "99%, 99% and 90%")
share unit, metric and kind, and are matched in order to an equally long list of
names when the sentence says "respectively" or the names are listed the same way.

Writes ``doc._.kg_results``: a list of :class:`ResultCandidate`, with character offsets
into ``doc.text``. Paper-level fallbacks (the proposed method when a sentence names
none) are applied later, in :mod:`kg.extractors.assemble`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from .docs import doc_text
from .lexicon import SPANS_KEY
from .mentions import rule_of
from .numbers import Number, find_numbers, is_year, parse_number
from .patterns import metric_phrases, words

if not Doc.has_extension("kg_results"):
    Doc.set_extension("kg_results", default=None)

EFFICIENCY_WORDS = words("efficiency_words")
# units of a size, a speed or a time: an unsigned number in one is an absolute value
SIZE_SPEED_UNITS = ("params", "FLOPs", "GB", "FPS", "s", "ms", "min", "h")
_COMPARE_CUE = re.compile(r"\b(?:over|than|compared (?:to|with)|against|vs\.?|versus|relative to|of)\s+(?:the\s+)?"
                          r"(?:(?:state-of-the-art|strong|previous|prior|best|baseline|original|dense|vanilla)\s+)?$", re.I)
_SETUP_AFTER = re.compile(r"^\s*(?:A100|H100|V100|T4|GPUs?(?!\s+(?:memory|hours?|usage|utili[sz]ation|time|cost))|TPUs?|nodes?|context|images|samples|examples|tokens of|"
                          r"training(?!\s+(?:time|cost|speed|throughput|memory|FLOPs))|languages|layers|steps|epochs|hours|days|"
                          r"chunks?|windows?|segments?|frames?|clips?|look-?ahead|audio|videos?|utterances?)\b", re.I)
# a size as a compound modifier (English keeps the noun singular there): "a 0.5B parameter
# decoder", "8B-parameter models" describe what is used; "3.8M parameters" is a measured size
_SIZE_MODIFIER = re.compile(r"^[\s-]*parameter[\s-]+(?!counts?\b|budgets?\b|efficien\w*)[a-zA-Z]", re.I)
_SIZE_AFTER = re.compile(r"^[\s-]*(?:(?:trainable|learnable|tunable|active|activated|total|additional|extra)\s+)?(?:model|parameters?|params)\b", re.I)
# "with 25% of the layers removed": a share of counted parts taken out is a result
_REMOVED_AFTER = re.compile(r"^\s*(?:of\s+(?:the\s+)?)?(?:[\w-]+\s+){0,2}?[\w-]+\s+(?:are\s+|is\s+|can be\s+)?(?:removed|pruned|dropped|skipped|discarded)\b", re.I)
# a wall-clock time is a result when the text says how long something takes ("in under 15
# minutes", "takes only 2 hours", "runs in 5 min"), not when it sets up training
_TIME_CUE = re.compile(r"\b(?:in|within|only|just|takes?|took|costs?|requires?|than|under|about|approximately|roughly|around)\s+(?:\w+\s+)?$", re.I)
_SHARED_DATASET = re.compile(r"\s*(?:[\w@%-]+\s+){0,2}?[\w@%-]+\s+and\s+[+]?[\d.]+\s*(?:%|\\%)?\s*(?:[\w@-]+\s+){0,3}"
                             r"(?:\([\w@.-]{1,12}\)\s+)?(?:on|for|in)\s+(?:the\s+)?")
_THAN_AFTER = re.compile(r"^\s*(?:points?\s+)?(?:lower|higher|better|worse|more|less|fewer|above|below)\s+than\b", re.I)
_FROM_TO = re.compile(r"^\s*(?:%|\\%|[A-Za-z/]{1,8})?\s*to\s+[~≈]?\d")
_CLAUSE_BREAK = re.compile(r"\d|[,;:()]|\b(?:and|than|while|which|that|but|with|over|compared)\b", re.I)
_PRETRAIN = re.compile(r"\b(?:pre-?train(?:ed|ing)?|trained|training|fine-?tuned)\s+(?:\w+\s+){0,1}(?:on|with|using)\s+(?:the\s+)?$", re.I)
_OBJECT_CUE = re.compile(r"\b(?:on|for|of|to|with|in|from|using|into|via|by)\s+(?:the\s+)?$", re.I)
_WE = re.compile(r"\b(?:we|our (?:approach|method|model|framework|system|algorithm|network|technique)|the proposed (?:approach|method|model|framework)"
                 r"|it (?:achieves|surpasses|outperforms|reaches|improves|obtains|yields|attains|sets|delivers))\b", re.I)
_SUBJECT_VERB = re.compile(r"^\s*(?:\S+\s+){0,1}?(?:achieves?|obtains?|reach(?:es)?|attains?|outperforms?|surpass(?:es)?|"
                           r"improves?|yields?|delivers?|boosts?|gets?|scores?|sets?|runs?|establishes|exceeds?|beats?)\b", re.I)
_WORD_NUM = re.compile(r"\b(half|twice|double|triple|(?:two|three|four|five|six|seven|eight|nine|ten)(?=[\s-](?:times|fold)\b))\b", re.I)


@dataclass
class ResultCandidate:
    """One numeric result found in a doc (offsets are into ``doc.text``)."""

    value: float
    value_max: float | None
    unit: str
    kind: str
    start: int
    end: int
    text_start: int
    text_end: int
    sent_start: int
    sent_end: int
    metric: Span | None = None
    dataset: Span | None = None
    method: Span | None = None
    compared_to: Span | None = None
    generic_subject: bool = False
    rule: str = "result"
    qualifier: str | None = None
    confidence: float = 0.6
    cues: tuple[str, ...] = field(default_factory=tuple)


def _mentions_in(spans: list[Span], start: int, end: int, label: str) -> list[Span]:
    return [s for s in spans if s.label_ == label and s.start_char >= start and s.end_char <= end]


_SHORT_PAREN = re.compile(r"\((?=[^)]*[A-Z])[A-Za-z][\w@.\-]{0,11}\)")


_OPEN_PAREN = re.compile(r"\s*\(\s*")  # the gap "X (" before a number in parentheses


@lru_cache(maxsize=32)
def _masked_sentence(text: str, lo: int, hi: int) -> str:
    """``text[lo:hi]`` with each short parenthesised acronym blanked out (same length):
    made once per sentence, not once per clause lookup."""
    return _SHORT_PAREN.sub(lambda m: " " * len(m.group(0)), text[lo:hi])


def _clause_bounds(text: str, s: int, e: int, lo: int, hi: int, extra: str = "") -> tuple[int, int]:
    """The clause around text[s:e] within [lo, hi): bounded by , ; : ( ) and 'while/whereas/but'
    (plus the ``extra`` regex alternatives)."""
    rx = r"[;:()]|,\s|\b(?:while|whereas|but)\b" + extra
    # an acronym in parentheses ("the equal error rate (EER) on FooSet") is no clause break
    masked = _masked_sentence(text, lo, hi)
    left = lo
    for m in re.finditer(rx, masked[: s - lo]):
        left = lo + m.end()
    right = hi
    m = re.search(rx, masked[e - lo :])
    if m:
        right = e + m.start()
    return left, right


def _shorten(text: str, a: int, b: int, s: int, e: int, width: int = 70) -> tuple[int, int]:
    if s - a > width:
        a = text.rfind(" ", a, s - width) + 1 or a
    if b - e > width:
        cut = text.find(" ", e + width, b)
        b = cut if cut != -1 else b
    while b > a and text[b - 1] in " .,":
        b -= 1
    while a < b and text[a] == " ":
        a += 1
    return a, b


QUALITY_WORDS = words("quality_words")


def _is_quality(metric: Span | None) -> bool:
    return bool(metric) and any(re.search(rf"\b{re.escape(w)}\b", metric.text.lower()) for w in QUALITY_WORDS)


def _is_efficiency(metric: Span | None) -> bool:
    return bool(metric) and any(w in metric.text.lower() for w in EFFICIENCY_WORDS)


_REDUCE = re.compile(r"\b(?:reduc\w*|remov\w*|retain\w*|maintain\w*|preserv\w*|keep\w*|sav(?:e|es|ing)|cut\w*|"
                     r"compress\w*|prun\w*|fewer|less|relative(?:ly)?|shrink\w*|decreas\w*)\b", re.I)
_GAIN = re.compile(r"\b(?:by|improv\w*|gain\w*|boost\w*|outperform\w*|surpass\w*|exceed\w*|beats?|advantage|margin|increas\w*|"
                   r"degradation|drop\w*|over)\b", re.I)
_GAIN_AFTER = re.compile(r"^\s*(?:[\w-]+\s){0,3}?(?:higher|better|improvement|gain|more|increase|boost|lower|worse|drop|over)\b", re.I)


_GAIN_TO = re.compile(r"\b(?:improv\w*|increas\w*|boost\w*|rais(?:es|ed|ing|e)|lift\w*|push\w*)\s+(?:[\w@()-]+\s+){0,8}?to\s*$", re.I)


def result_kind(unit: str, signed: bool, before: str, after: str, efficiency: bool, quality: bool = False) -> str:
    """The guideline ``kind`` of a number from its unit and the words around it.

    ``ratio`` for factors (``x``); ``relative`` for a percent change of a quantity
    ("reduces memory by 40%", "retains 90%", "25% higher throughput"); ``delta`` for a
    gain over something ("by 1.2 points", "+3.4%", "1.3% higher accuracy"); else
    ``absolute``. A number right after "than (the)" is the reference: absolute.
    """
    if unit == "x":
        return "ratio"
    if re.search(r"(?<!less )(?<!more )(?<!fewer )\bthan\s+(?:the\s+)?$", before, re.I):
        return "absolute"  # "higher than 80%": the reference ("less than 0.5%" is a qualifier)
    near_before = before[-45:]
    if _GAIN_TO.search(before):
        return "absolute"  # "improves the ROC-AUC on FooMol to 78.4%": the new value
    if quality and unit == "%" and re.search(r"\b(?:reduction|drop|degradation|decrease|loss)\b", near_before + after[:15], re.I):
        return "delta"  # "an accuracy reduction of 0.2%": a (negative) gain, not a change of a quantity
    if unit == "%" and (_REDUCE.search(near_before) or _REDUCE.match(after.lstrip()) or re.search(r"(?<!\bup )(?<!compared )(?<!relative )(?<!close )(?<!equal )(?<!similar )\bto\s*$", near_before)
                        or (efficiency and (_GAIN_AFTER.match(after) or re.search(r"\b(?:increase|faster|speed)", near_before + after[:25], re.I)))):
        return "relative"
    if unit in SIZE_SPEED_UNITS and not signed:
        return "absolute"
    if signed or _GAIN.search(before[-30:]) or _GAIN_AFTER.match(after):
        return "delta"
    return "absolute"


def _groups(numbers: list[Number], text: str) -> list[list[Number]]:
    """Numbers listed together: separated only by ',', '/', 'and', 'or'."""
    groups: list[list[Number]] = []
    for n in numbers:
        if groups:
            prev = groups[-1][-1]
            between = text[prev.end : n.start]
            if re.fullmatch(r"\s*(?:,|/|,?\s*and|,?\s*or)\s*", between):
                groups[-1].append(n)
                continue
        groups.append([n])
    return groups


def _slash_list(methods: list[Span], text: str, before: int, k: int, lo: int = 0) -> tuple[list[Span], bool] | None:
    """The last list of ``k`` method mentions joined by "/" before offset ``before``, and
    whether it follows a comparison cue (its names are then baselines)."""
    found = None
    run: list[Span] = []
    for m in methods:
        if m.end_char > before:
            break
        if run and re.fullmatch(r"\s*/\s*", text[run[-1].end_char : m.start_char]):
            run.append(m)
        else:
            run = [m]
        if len(run) == k:
            found = list(run)
    if not found:
        return None
    cue = re.search(r"\b(?:over|than|outperform\w*|surpass\w*|beats?|compared (?:to|with)|against|vs\.?)\b[^;]*$",
                    text[max(lo, found[0].start_char - 200) : found[0].start_char], re.I)
    return found, cue is not None


_TRAINING_SET_AFTER = re.compile(r"\s*(?:dataset|data|corpus)?\s*(?:for|as)\s+(?:pre-?training|training)\b", re.I)


def evaluation_sets(text: str, lo: int, datasets: list[Span]) -> list[Span]:
    """The datasets of a sentence that are no pre-training or training set ("pre-trained
    on FooCorpus", "BarSet for training")."""
    return [d for d in datasets if not _PRETRAIN.search(text[max(lo, d.start_char - 40) : d.start_char])
            and not _TRAINING_SET_AFTER.match(text[d.end_char : d.end_char + 40])]


def _dataset_for(text: str, n: Number, unit: str, a: int, b: int, lo: int, eval_sets: list[Span]) -> Span | None:
    """The dataset a number is measured on: the one its own phrase names ("N% for D"), else
    one named in its clause that is not a pre-training set, else the sentence's only
    evaluation dataset, unless the number says "on <something else>" (``eval_sets``: the
    sentence's :func:`evaluation_sets`). Sizes and speeds too: GUIDELINES v2 fill the
    dataset whenever the sentence ties the result to one."""
    # "66.1% for FooQA", "71.0 mIoU on BarSeg": the dataset the number's own phrase names
    direct = [d for d in eval_sets if d.start_char >= n.end
              and re.fullmatch(r"\s*(?:(?!(?:and|or|but|while|whereas)\s)[\w%-]+\s+){0,3}(?:\([\w@.-]{1,12}\)\s+)?(?:on|for|in)\s+(?:the\s+)?",
                               text[n.end : d.start_char])]
    if direct:
        return direct[0]
    # "88.1 F1 and 80.3 EM on FooQA": two measures of one evaluation share its dataset
    shared = [d for d in eval_sets if d.start_char > n.end and _SHARED_DATASET.fullmatch(text[n.end : d.start_char])]
    if shared:
        return shared[0]
    in_clause = [d for d in eval_sets if d.start_char >= a and d.end_char <= b]
    if in_clause:
        # the nearest one before the number ("... on D1 and Y on D2 to 0.87"), else the first after
        prior = [d for d in in_clause if d.end_char <= n.start]
        return prior[-1] if prior else in_clause[0]
    if re.match(r"\s*(?:[\w-]+\s+){0,1}on\s+(?!the\b|this\b|these\b|it\b|all\b|average\b|(?:test|dev|val|validation|eval)\b|test-\w+)", text[n.end : n.end + 30]):
        return None  # "+8% on general multimodal benchmarks": a dataset we did not recognise
    names = {d.text for d in eval_sets}
    if len(names) == 1:
        return eval_sets[0]
    # "On ADE20K, FooNet reaches 51.0 mIoU, and on COCO ...": the nearest evaluation set
    # introduced by "on" before the number's clause
    on_before = [d for d in eval_sets if d.end_char <= a and re.search(r"\b(?:on|On)\s+(?:the\s+)?$", text[max(lo, d.start_char - 10) : d.start_char])]
    return on_before[-1] if on_before else None


_BY = re.compile(r"^\s+by\s+(?:up to\s+|about\s+|nearly\s+|over\s+|an average of\s+)?(?:[\d.]+\\?%?\s*\(\s*)?$", re.I)
_BEAT_VERB = re.compile(r"\b(?:outperform\w*|surpass\w*|beats?|beating|boosts?|boosting|improves?|improving|exceed\w*)\b", re.I)


def _baseline_for(text: str, n: Number, kind: str, lo: int, hi: int, methods: list[Span],
                  slash: tuple[list[Span], bool] | None, i: int) -> tuple[Span | None, set[int]]:
    """The baseline (``compared_to``) of a number and the ids of mentions that are baselines.

    In order: a "/"-list of baselines matched by position; "outperforms A by 1% and B by
    2%" (the method right before "by N"); a method after "over/than/compared to" in the
    clause; for deltas and ratios, the method right after "outperforms/surpasses".
    """
    if slash is not None and slash[1]:
        return slash[0][i], {id(m) for m in slash[0]}
    before = [m for m in methods if m.end_char <= n.start]
    if before and _BY.match(text[before[-1].end_char : n.start]) and _BEAT_VERB.search(text[lo : before[-1].start_char]):
        return before[-1], {id(before[-1])}
    ca, cb = _clause_bounds(text, n.start, n.end, lo, hi, extra=r"|\band\b")
    for m in methods:
        pre = text[max(lo, m.start_char - 45) : m.start_char]
        if _COMPARE_CUE.search(pre) and abs(m.start_char - n.end) <= 80 and ca <= m.start_char < cb:
            return m, {id(m)}
    if kind in ("delta", "ratio"):
        for m in reversed(before):
            if re.search(r"\b(?:outperform\w*|surpass\w*|beats?|boosts?)\s+(?:the\s+)?$", text[lo : m.start_char]):
                return m, {id(m)}
    return None, set()


_GENERIC_SUBJECT = re.compile(r"\b(?:humans?|SOTA|state-of-the-art|baselines?|existing|previous|prior|other|current)\s+"
                              r"(?:[\w-]+\s+){0,2}(?:achieves?|reach\w*|gets?|obtains?|scores?|models?|methods?)\b", re.I)


# a number attributed to no method of the paper: "72% (as reached by human annotators)"
_GENERIC_AGENT = re.compile(r"\W*(?:\w+\s+){0,2}(?:achieved|obtained|reached|attained|reported|scored)\s+by\s+(?:the\s+)?"
                            r"(?:humans?|human\s+\w+|people|experts?|annotators?|crowd\s?workers|prior\s+work|previous\s+work|"
                            r"(?:previous|prior|existing)\s+(?:methods?|models?|approaches))\b", re.I)


def _method_for(text: str, n: Number, lo: int, methods: list[Span], baseline: Span | None,
                baselines: set[int]) -> tuple[Span | None, bool]:
    """The method a number is about, and whether its subject is generic ("the SOTA model",
    "human annotators": then the paper's own method must not be assumed).

    The nearest method before the number that is no baseline and no object of a
    preposition ("on LLaMA-2", "using ViT-B"); None when "we" / "our approach" stands
    between (the paper's own method, filled in by assembly); else the sentence's
    subject (a method followed by "achieves", "outperforms", ...).
    """
    def is_baseline(m: Span) -> bool:
        return (id(m) in baselines or (baseline is not None and m.text == baseline.text)
                or bool(_COMPARE_CUE.search(text[max(lo, m.start_char - 45) : m.start_char]))
                or bool(re.search(r"\b(?:outperform\w*|surpass\w*|beats?|beating|boosts?)\s+(?:the\s+)?(?:[\w-]+\s+){0,4}$",
                                  text[max(lo, m.start_char - 60) : m.start_char])))

    objects = _objects(methods, text, lo)
    # "X outperforms A/B by 0.4/0.19 and C/D by ...": everything after the verb is a baseline
    beat = _BEAT_VERB.search(text[lo : n.start])
    after_verb = lo + beat.end() if beat else n.start
    prior = [m for m in methods if m.end_char <= n.start and not is_baseline(m) and id(m) not in objects
             and m.start_char < after_verb]
    start = prior[-1].end_char if prior else lo
    clause = text[start : n.start]
    if _WE.search(clause):
        return None, False
    if prior:
        return prior[-1], False
    generic = bool(_GENERIC_SUBJECT.search(text[lo : n.start]) or _GENERIC_AGENT.match(text[n.end : n.end + 60]))
    subject = next((m for m in methods if _SUBJECT_VERB.match(text[m.end_char : m.end_char + 40]) and not is_baseline(m)), None)
    return subject, generic and subject is None


_LIST_SEP = re.compile(r",?\s*(?:and|or)\s+|,\s*")
# "the FooSet benchmark and the BarSet dataset": a list of named datasets with their nouns
_DATASET_LIST_SEP = re.compile(r"(?:\s+(?:benchmark|dataset|corpus|suite)s?)?(?:,?\s*(?:and|or)\s+|,\s*)(?:the\s+)?")


# a model a method works on is its object, not what a result is about: "FooQ quantizes
# BarLM-7B to 4 bits with a perplexity of ..." is FooQ's result
_PROCESS_VERB = re.compile(r"\b(?:quantiz\w*|compress\w*|prun\w*|distill\w*|sparsif\w*|accelerat\w*|adapts?|adapting|serves|serving|deploys?|deploying|"
                           r"fine-?tun\w*|extends?|extending|converts?|converting|speeds?\s+up|applied\s+to|applying\s+it\s+to)\s+"
                           r"(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+)?$", re.I)


def _objects(methods: list[Span], text: str, lo: int) -> set[int]:
    """Ids of method mentions that are objects of a preposition ("on LLaMA-2", "using
    ViT-B"), with the rest of their list ("for LLaMA-2, OPT and Phi-2")."""
    out: set[int] = set()
    prev = None
    for m in methods:
        if _OBJECT_CUE.search(text[max(lo, m.start_char - 20) : m.start_char]) or _PROCESS_VERB.search(
                text[max(lo, m.start_char - 30) : m.start_char]) or (
                prev is not None and id(prev) in out and _LIST_SEP.fullmatch(text[prev.end_char : m.start_char])):
            out.add(id(m))
        prev = m
    return out


def _lists(spans: list[Span], text: str, sep: re.Pattern = _LIST_SEP) -> list[list[Span]]:
    """Runs of mentions joined by ", " / "and" / "or" (``sep``)."""
    runs: list[list[Span]] = []
    for s in spans:
        if runs and sep.fullmatch(text[runs[-1][-1].end_char : s.start_char]):
            runs[-1].append(s)
        else:
            runs.append([s])
    return runs


def _respectively(cand: ResultCandidate, text: str, i: int, k: int, datasets: list[Span], methods: list[Span],
                  context: list[Span] = ()) -> None:
    """"A, B and C ... respectively": the i-th of a list of ``k`` datasets, else of ``k``
    methods (baselines when the list follows a preposition or "outperforms"); when the
    sentence lists neither, the ``k`` datasets the previous sentence listed ("We evaluate
    on A, B and C. FooNet reaches X, Y and Z, respectively.")."""
    dlists = [r for r in _lists(datasets, text, _DATASET_LIST_SEP) if len(r) == k]
    if not dlists and not datasets:
        dlists = [r for r in _lists(list(context), text, _DATASET_LIST_SEP) if len(r) == k]
    if dlists:
        cand.dataset = dlists[0][i]
        return
    mlists = [r for r in _lists(methods, text) if len(r) == k]
    if mlists:
        run = mlists[0]
        m0 = run[0]
        if _OBJECT_CUE.search(text[max(0, m0.start_char - 20) : m0.start_char]) or \
                re.search(r"\b(?:outperform\w*|surpass\w*|boosts?)\s+(?:the\s+)?$", text[max(0, m0.start_char - 30) : m0.start_char]):
            cand.compared_to = run[i]
            cand.method = None
        else:
            cand.method = run[i]


def _respective_datasets(out: list[ResultCandidate], k: int, sent_start: int, sentence: str) -> None:
    """"reaches 88.4 on A and 71.2 on B, improving by 3.1 and 9.8 points, respectively": the
    last ``k`` results (one group) take, in order, the ``k`` datasets the sentence's earlier
    results were on, when the group itself names one dataset or none."""
    if k < 2 or "respectively" not in sentence or len(out) < k:
        return
    group = out[-k:]
    if any(c.sent_start != sent_start for c in group) or len({c.dataset.text if c.dataset else None for c in group}) > 1:
        return
    earlier: list[Span] = []
    for c in out[:-k]:
        if c.sent_start == sent_start and c.dataset is not None and all(c.dataset.text != d.text for d in earlier):
            earlier.append(c.dataset)
    if len(earlier) == k:
        for c, d in zip(group, earlier):
            c.dataset = d


_ON_AVERAGE = re.compile(r"\s*(?:points?\s+)?(?:on average|in average|averaged|across|over all)\b", re.I)
_COORDINATED_BY = re.compile(r"\s*,?\s*(?:and\s+)?(?:the\s+|its\s+)?(?:[\w@-]+\s+){1,3}by\s+(?:up to\s+|about\s+|nearly\s+)?", re.I)


def _inherit(out: list[ResultCandidate], sent_start: int, text: str = "") -> None:
    """A gain stated right after a score ("reaches 83.8% on ImageNet-1K, surpassing the
    best by +0.6%") is on the same metric and dataset: fill them from the sentence's
    previous result with the same unit. A score listed after another takes its measure
    ("84.1% accuracy on A and 73.2% on B"); two measures joined by "and" before a dataset
    share it ("91.5 F1 and 85.2 EM on C")."""
    prev = None
    for c in out:
        if c.sent_start != sent_start:
            continue
        if prev is not None:
            _inherit_from(prev, c, text)
        prev = c


def _inherit_from(prev: ResultCandidate, c: ResultCandidate, text: str) -> None:
    """:func:`_inherit` for one candidate ``c`` and the sentence's result before it."""
    if c.kind in ("delta", "ratio") and c.metric is None \
            and c.unit in (prev.unit, "points") and prev.metric is not None and prev.kind == "absolute":
        c.metric = prev.metric  # "... 71.2 on FooMaze, improving over BarQL by 3.1 points": its measure
        if c.dataset is None and not _ON_AVERAGE.match(text[c.end : c.end + 30]):
            c.dataset = prev.dataset  # (not "by 3.2% on average": that is over all of them)
    elif prev.dataset is None and c.dataset is not None and c.metric is not None \
            and prev.metric is not None and c.metric.text != prev.metric.text and 0 < c.start - prev.end <= 40 \
            and re.search(r"\band\s*$", text[prev.end : c.start]):
        prev.dataset = c.dataset  # "91.5 F1 and 85.2 EM on FooQA": both on FooQA
    if prev.kind == "relative" and c.kind == "delta" and c.unit == prev.unit == "%" \
            and _COORDINATED_BY.fullmatch(text[prev.end : c.start]):
        c.kind = "relative"  # "reduces the MAE by 9.1% and the MSE by 11.4%": one verb, one kind
    if c.kind == prev.kind and c.metric is None and prev.metric is not None \
            and c.unit == prev.unit and 0 < c.start - prev.end <= 80:
        c.metric = prev.metric  # "84.1% accuracy on FooSet and 73.2% on BarSet": the same measure
        if c.dataset is None:
            c.dataset = prev.dataset


_WORD = re.compile(r"[A-Za-z][\w@.-]*[\w]|[A-Za-z]")
_CHANGE_WORDS = frozenset(words("change_words"))
_VERB_BEFORE = re.compile(r"\b(?:reduc\w*|improv\w*|boost\w*|increas\w*|cut\w*|lower\w*|decreas\w*|shrink\w*|"
                          r"accelerat\w*|sav(?:e|es|ing)|compress\w*|speed\w*\s+up|enhanc\w*|rais\w*|drop\w*)\s+"
                          r"(?:the\s+|its\s+|their\s+)?((?:[\w@-]+\s+){1,5}?)(?:of\s+(?:[\w.-]+\s+){1,3})?by\s+"
                          r"(?:up to\s+|about\s+|nearly\s+|over\s+|approximately\s+|around\s+|~\s*)?$", re.I)
_OF_BEFORE = re.compile(r"((?:[\w@-]+\s+){0,4}?[\w@-]+)\s+(?:of|is|was|=|:)\s+(?:up to\s+|about\s+|nearly\s+|approximately\s+|around\s+|~\s*)?$", re.I)
_NOUN_BEFORE = re.compile(r"\b(?:reduction|improvement|increase|decrease|gain|drop|savings?)\s+(?:in|of)\s+(?:the\s+)?"
                          r"((?:[\w@-]+\s+){1,4}?)(?:of|by)\s+(?:up to\s+|about\s+|nearly\s+|over\s+|approximately\s+)?$", re.I)


def _phrase_words(chunk: str, offset: int, limit: int = 4) -> list[tuple[int, int, str]]:
    """The leading words of ``chunk`` up to a stop word, as ``(start, end, word)`` offsets."""
    _, stop, _ = metric_phrases()
    out = []
    pos = 0
    for m in _WORD.finditer(chunk):
        if chunk[pos : m.start()].strip() or len(out) >= limit:
            break  # punctuation or a number between words ends the phrase
        w = m.group(0)
        if w.casefold() in stop:
            break
        out.append((offset + m.start(), offset + m.end(), w))
        pos = m.end()
    return out


@lru_cache(maxsize=4)
def _with_plurals(heads: frozenset[str]) -> frozenset[str]:
    """The measure heads and their plurals ("accuracies of 79.1%, 68.3% and 77.0%")."""
    return heads | {h[:-1] + "ies" if h.endswith("y") and h[-2:-1] not in "aeiou" else h + "s"
                    for h in heads if h[-1:].isalpha() and not h.endswith("s")}


def open_metric(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int, str] | None:
    """An open-vocabulary metric for the numbers at ``text[start:end]`` (sentence ``[lo, hi)``),
    recognised by grammar rather than by the lexicon (issue #12): a noun phrase whose
    last word is a measure head (``patterns/metric_phrases.json``). Tried in order:

    * after the numbers: "N% zero-shot task performance", "N% of the visual tokens",
      "a N% R-Sum improvement" (the words before a change noun), "a N-fold improvement
      in energy efficiency";
    * before them: "reduces the training and inference time by N%", "a reduction in
      computational demands of N%".

    Returns ``(start_char, end_char, rule)`` or None.
    """
    heads, _, bare = metric_phrases()
    found = _open_metric(text, start, end, lo, hi, _with_plurals(heads))
    if found is None:
        return None
    s, e, _ = found
    if " " not in text[s:e] and "-" not in text[s:e] and text[s:e].casefold() in bare \
            and not (e >= end and _REMOVED_AFTER.match(text[end : end + 60])):
        return None  # "retains 95% performance": a bare head is no metric ("25% layers removed" is)
    return found


def _open_metric(text: str, start: int, end: int, lo: int, hi: int, heads: frozenset[str]) -> tuple[int, int, str] | None:
    after = text[end : min(hi, end + 80)]
    # "N% of the visual tokens", "4x fewer environment steps"
    m = re.match(r"\s*(?:(?:fewer|less|more|lower|smaller|larger)\s+)?(?:of\s+(?:the\s+|its\s+|their\s+)?)?", after)
    rest = after[m.end():]
    words = _phrase_words(rest, end + m.end())
    if words:
        if words[0][2].casefold() in _CHANGE_WORDS:
            cm = re.match(r"\s*(?:in|of)\s+(?:the\s+)?", text[words[0][1] : words[0][1] + 12])
            if cm:
                inner = _phrase_words(text[words[0][1] + cm.end() : hi], words[0][1] + cm.end())
                cut = [i for i, w in enumerate(inner) if w[2].casefold() in heads]
                if cut:
                    return inner[0][0], inner[cut[-1]][1], "metric_phrase"
        change = next((i for i, w in enumerate(words) if w[2].casefold() in _CHANGE_WORDS), None)
        if change:
            return words[0][0], words[change - 1][1], "metric_phrase"
        cut = [i for i, w in enumerate(words) if w[2].casefold() in heads]
        if cut:
            return words[0][0], words[cut[-1]][1], "metric_phrase"
    before = text[max(lo, start - 120) : start]
    base = max(lo, start - 120)
    # "a median human-normalized score of N", "an average return of N": the phrase before "of"
    om = _OF_BEFORE.search(before)
    if om:
        _, stop, _ = metric_phrases()
        ws = [(base + om.start(1) + w.start(), base + om.start(1) + w.end(), w.group(0)) for w in _WORD.finditer(om.group(1))]
        cut = max((i + 1 for i, w in enumerate(ws) if w[2].casefold() in stop), default=0)
        ws = ws[cut:]  # the words after the last stop word ("reaches a | median ... score")
        if ws and len(ws) <= 4 and ws[-1][2].casefold() in heads:
            return ws[0][0], ws[-1][1], "metric_phrase"
    for rx in (_VERB_BEFORE, _NOUN_BEFORE):
        bm = rx.search(before)
        if bm:
            phrase = bm.group(1).rstrip()
            nm = re.match(r"number of\s+(?:the\s+)?(?:required\s+|needed\s+)?", before[bm.start(1):]) if phrase == "number" else None
            if nm:  # "reduces the number of (required) training epochs by half": the counted things
                rest = before[bm.start(1) + nm.end():]
                pm = re.match(r"((?:[\w@-]+\s+){0,3}[\w@-]+)\s+by\s+", rest)
                if pm:
                    return base + bm.start(1) + nm.end(), base + bm.start(1) + nm.end() + pm.end(1), "metric_phrase"
            ws = [(base + bm.start(1) + w.start(), base + bm.start(1) + w.end(), w.group(0)) for w in _WORD.finditer(phrase)]
            cut = [i for i, w in enumerate(ws) if w[2].casefold() in heads]
            if cut and len(ws) <= 5:
                return ws[0][0], ws[cut[-1]][1], "metric_phrase"
    return None


def _add_open_metric(doc: Doc, spans: list[Span], start: int, end: int, lo: int, hi: int,
                     edits: "_SpanEdits | None" = None) -> Span | None:
    """:func:`open_metric` as a METRIC span added to ``spans`` (never over another
    mention), and to the doc's mentions: at once, or through ``edits``."""
    found = open_metric(doc_text(doc), start, end, lo, hi)
    if found is None:
        return None
    s, e, rule = found
    overlap = [sp for sp in spans if sp.start_char < e and s < sp.end_char]
    # only a bare name shape gives way ("a 4.4% Foo-Sum gain": a measure, not a method)
    if any(rule_of(sp) != "name_shape" for sp in overlap):
        return None
    span = doc.char_span(s, e, label="METRIC", alignment_mode="expand")
    if span is None:
        return None
    span.id_ = rule
    gone = {(sp.start_char, sp.end_char) for sp in overlap}
    spans[:] = [sp for sp in spans if (sp.start_char, sp.end_char) not in gone]
    spans.append(span)
    own = edits if edits is not None else _SpanEdits()
    own.added = [sp for sp in own.added if (sp.start_char, sp.end_char) not in gone] + [span]
    own.gone |= gone
    if edits is None:
        own.apply(doc)
    return span


_QUALIFIER = re.compile(r"(?:\b(up to|over|more than|nearly|almost|about|around|approximately|roughly|at least|"
                        r"at most|less than|under|below|above|only)|(~|≈|<|>|≤|≥|\\textasciitilde))\s*\\?$", re.I)
_QUALIFIER_SIGNS = {"~": "about", "≈": "about", "\\textasciitilde": "about", "<": "less than", ">": "over",
                    "≤": "at most", "≥": "at least"}


def qualifier_of(before: str) -> str | None:
    """The bound the words right before a number put on it ("up to", "over", "nearly",
    "about" for "~"), lowercased, or None."""
    m = _QUALIFIER.search(before[-20:])
    if not m:
        return None
    return m.group(1).lower() if m.group(1) else _QUALIFIER_SIGNS.get(m.group(2), "about")


@dataclass
class _Sentence:
    """What the result steps of one sentence share (offsets into the doc's text)."""

    doc: Doc
    text: str
    lo: int
    hi: int
    spans: list[Span]  # the sentence's mentions; an added open metric joins them
    numbers: list[Number]
    metrics: list[Span]
    datasets: list[Span]
    methods: list[Span]
    out: list[ResultCandidate]  # the sentence's candidates so far
    edits: "_SpanEdits"
    context_datasets: list[Span] = field(default_factory=list)  # the previous sentence's

    def __post_init__(self) -> None:
        self.eval_sets = evaluation_sets(self.text, self.lo, self.datasets)


@dataclass
class _GroupMetric:
    """The metric of a group of numbers and the metric mentions it was chosen from."""

    metric: Span | None
    after: list[Span]
    before: list[Span]
    paren: list[Span]


def find_results(doc: Doc) -> list[ResultCandidate]:
    """Result candidates of ``doc``, sentence by sentence (see the module docstring).

    Linear in the doc's size: each sentence sees only its own mentions and candidates
    (the mentions bucketed by sentence once), and the open-vocabulary metrics it adds
    are written to ``doc.spans`` once, at the end."""
    text = doc_text(doc)
    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    bounds = [seg for s in sents for seg in _segments(text, s.start_char, s.end_char)]
    buckets = _by_sentence(list(doc.spans.get(SPANS_KEY, [])), bounds)
    out: list[ResultCandidate] = []
    edits = _SpanEdits()
    context: list[Span] = []
    for (lo, hi), spans in zip(bounds, buckets):
        datasets = _mentions_in(spans, lo, hi, "DATASET")
        methods = _mentions_in(spans, lo, hi, "METHOD")
        # a number inside a name is part of it ("SQuAD 2.0", "Llama 3.1 8B")
        numbers = [n for n in _sentence_numbers(text[lo:hi], lo)
                   if not any(sp.start_char <= n.start and n.end <= sp.end_char for sp in datasets + methods)]
        mine: list[ResultCandidate] = []  # this sentence's candidates
        s = _Sentence(doc, text, lo, hi, spans, numbers, _mentions_in(spans, lo, hi, "METRIC"), datasets, methods, mine,
                      edits, context)
        for group in _groups(numbers, text):
            _group_results(s, group)
        _inherit(mine, lo, text)
        out.extend(mine)
        context = datasets
    edits.apply(doc)
    return out


# a "sentence" longer than this is no sentence of prose (an abstract's longest run to a few
# hundred characters: 723 at most in the seeds and the dev set); it is read in windows cut at a clause boundary, so the work per
# number stays bounded and extraction linear in the text (#14 D9)
MAX_SENTENCE_CHARS = 1000
_CUT = re.compile(r"[;,]\s|\s")


def _segments(text: str, lo: int, hi: int, width: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """``(lo, hi)``, or windows of at most ``width`` characters that cover it, each cut
    after the last "; ", ", " or space of its second half (else at ``width``)."""
    out: list[tuple[int, int]] = []
    while hi - lo > width:
        cuts = [m.end() for m in _CUT.finditer(text, lo + width // 2, lo + width)]
        cut = cuts[-1] if cuts else lo + width
        out.append((lo, cut))
        lo = cut
    out.append((lo, hi))
    return out


def _by_sentence(spans: list[Span], bounds: list[tuple[int, int]]) -> list[list[Span]]:
    """The spans that lie within each sentence ``(start_char, end_char)`` of ``bounds``."""
    starts = [a for a, _ in bounds]
    out: list[list[Span]] = [[] for _ in bounds]
    for sp in spans:
        i = bisect.bisect_right(starts, sp.start_char) - 1
        if i >= 0 and sp.end_char <= bounds[i][1]:
            out[i].append(sp)
    return out


class _SpanEdits:
    """Mentions the result step adds (open-vocabulary metrics) and the ones they replace,
    applied to ``doc.spans[SPANS_KEY]`` in one pass."""

    def __init__(self) -> None:
        self.added: list[Span] = []
        self.gone: set[tuple[int, int]] = set()

    def apply(self, doc: Doc) -> None:
        if not self.added and not self.gone:
            return
        group = [sp for sp in doc.spans.get(SPANS_KEY, []) if (sp.start_char, sp.end_char) not in self.gone]
        group.extend(self.added)
        doc.spans[SPANS_KEY] = sorted(group, key=lambda x: x.start_char)


def _sentence_numbers(stext: str, lo: int) -> list[Number]:
    """The numbers of one sentence (offsets shifted by ``lo``), with the number words of a
    factor: "half the memory" → 0.5 x, "three times faster" → 3 x."""
    numbers = [Number(n.start + lo, n.end + lo, n.value, n.value_max, n.unit, n.signed, n.scaled, n.raw)
               for n in find_numbers(stext)]
    for m in _WORD_NUM.finditer(stext):
        v = parse_number(m.group(1))
        if v is not None:
            numbers.append(Number(lo + m.start(1), lo + m.end(1), v, None, "x", False, False, m.group(1)))
    numbers.sort(key=lambda n: n.start)
    return numbers


_METRIC_PAREN_GAP = re.compile(r"\s*\([\w@.\-]{1,15}\)\s*(?:of|is|was|at|=|by|reaches|reaching)?\s*")
_PAREN_AFTER_METRIC = re.compile(r"\s*(?:loss|drop|degradation|gain|improvement|reduction)?\s*\(\s*(?:up to|about|around|by|nearly|~|≈|<|>|≤|≥)?\s*")


def _group_metric(s: _Sentence, group: list[Number]) -> _GroupMetric:
    """The metric of a group of numbers: inside it, right after it, right before a
    parenthesis holding it, else the nearest before it in its clause; else an
    open-vocabulary metric phrase (:func:`open_metric`) added as a mention."""
    text, first, last = s.text, group[0], group[-1]
    after = [m for m in s.metrics if 0 <= m.start_char - last.end <= 40
             and not _CLAUSE_BREAK.search(text[last.end:m.start_char])]
    # a score in parentheses after a method ("the top-1 accuracy of FooViT-B/16 (81.8%)")
    # is read from where the method stands
    owner = next((m for m in s.methods if _OPEN_PAREN.fullmatch(text[m.end_char : first.start])), None)
    anchor = owner.start_char if owner is not None else first.start
    ga, _ = _clause_bounds(text, anchor, last.end, s.lo, s.hi, extra=r"|\band\b")
    # (a metric may hold the clause's "and": "training and inference time")
    # ("a word error rate (WER) of 2.1%": the acronym in parentheses is the metric's own)
    before = [m for m in s.metrics if 0 <= anchor - m.end_char <= 60
              and (m.end_char > ga or _METRIC_PAREN_GAP.fullmatch(text[m.end_char : first.start]))]
    inside = [m for m in s.metrics if first.start <= m.start_char and m.end_char <= last.end]
    # "reducing computational cost (up to 75%)": the metric right before a parenthesis
    paren = [m for m in s.metrics if _PAREN_AFTER_METRIC.fullmatch(text[m.end_char : first.start])]
    metric = (inside[0] if inside else after[0] if after else paren[-1] if paren
              else (before[-1] if before else None))
    if not inside and not after and _REMOVED_AFTER.match(text[last.end : last.end + 60]):
        # "with 30% layers removed": the parts removed are what is measured
        metric = _add_open_metric(s.doc, s.spans, first.start, last.end, s.lo, s.hi, s.edits) or metric
    if metric is None:
        metric = _add_open_metric(s.doc, s.spans, first.start, last.end, s.lo, s.hi, s.edits)
        if metric is not None:
            s.metrics = _mentions_in(s.spans, s.lo, s.hi, "METRIC")
            after = [metric] if metric.start_char >= last.end else []
            before = [metric] if metric.end_char <= first.start else before
    return _GroupMetric(metric, after, before, paren)


def _is_setup(s: _Sentence, n: Number, u: str, gm: _GroupMetric) -> bool:
    """A number of the setup, not a result: a year, a count of hardware/data/steps, the
    baseline's "from A" of "from A to B", a training time, a resolution, a GPU's memory."""
    text, lo = s.text, s.lo
    tail = text[n.end : n.end + 30]
    if is_year(n) or (_SETUP_AFTER.match(tail) and not (u == "%" and _REMOVED_AFTER.match(text[n.end : n.end + 60]))):
        return True
    if n.scaled and _SIZE_MODIFIER.match(tail):
        return True  # "a 7B parameter decoder", "2B-parameter MLLMs": the size describes the model used
    if _FROM_TO.match(tail) and re.search(r"\bfrom\s+$", text[max(lo, n.start - 8) : n.start]):
        return True  # "from 40 GB to 22 GB": the first is the baseline's, the second the result
    if u in ("min", "h") and not _TIME_CUE.search(text[max(lo, n.start - 30) : n.start]):
        return True  # "trained for 24 hours": setup, not a measured time
    if u == "x" and re.match(r"\s*\d", tail):
        return True  # "1008 x 1008": a resolution, not a factor
    # "on 40GB A100s": hardware, not a result
    return u == "GB" and not (gm.metric is not None and "memory" in gm.metric.text.lower())


_BY_BEFORE = re.compile(r"\bby\s+(?:about\s+|around\s+|up to\s+)?$")
_GAIN_ON = re.compile(r"\s*(?:[\w-]+\s+){0,1}(?:on|in)\s+(?:the\s+)?")
_LISTED_ON = re.compile(r"\s*(?:on|for|in)\s+(?:the\s+)?")


def _unitless(s: _Sentence, n: Number, group: list[Number], gm: _GroupMetric, gain_by: bool) -> tuple[str, bool] | None:
    """Whether a number without a unit is a result, and what it is measured in: None (not
    a result), else ``(unit, gain_by)``; a gain "by N" after a beat verb sets
    ``gm.metric`` to the sentence's metric and ``gain_by`` for the rest of the group."""
    text, lo, first, last = s.text, s.lo, group[0], group[-1]
    tail = text[n.end : n.end + 30]
    if n.scaled and _SIZE_AFTER.match(tail):
        return "params", gain_by
    if gain_by:
        return "", gain_by
    if gm.metric is None and _BY_BEFORE.search(text[lo : first.start]) and _BEAT_VERB.search(text[lo : first.start]):
        # "outperforms A/B by 0.4/0.19": a gain in the sentence's metric
        sent_metrics = [m for m in s.metrics if m.end_char <= first.start]
        if not sent_metrics:
            return None
        gm.metric = sent_metrics[-1]
        return "", True
    if _listed_score(s, n, group, gm):
        return "", gain_by
    if _THAN_AFTER.match(tail) and any(m.end_char <= first.start for m in s.metrics):
        # "6.21 on PG-19, 0.8 lower than FooLoRA": a difference in the sentence's measure
        gm.metric = [m for m in s.metrics if m.end_char <= first.start][-1]
        return "", gain_by
    if gm.paren and gm.metric is gm.paren[-1]:
        return "", gain_by  # "the lowest RMSE (0.213)": the value in parentheses after its metric
    if any(_OPEN_PAREN.fullmatch(text[d.end_char : first.start]) for d in s.datasets):
        return "", gain_by  # "on FooQA (70.6 vs. 69.8)": scores in parentheses after the benchmark
    if _method_score_in_parens(s, n, first, gm):
        return "", gain_by
    if gm.metric is None or not (gm.after or (gm.before and first.start - gm.before[-1].end_char <= 12)):
        return None
    return "", gain_by


def _method_score_in_parens(s: _Sentence, n: Number, first: Number, gm: _GroupMetric) -> bool:
    """"surpassing FooQL (76.9) and BarQL (77.6)": a bare number in parentheses after a
    method is its score in the sentence's measure (``gm.metric`` set to it if unset)."""
    earlier = [m for m in s.metrics if m.end_char <= first.start]
    text = s.text
    if earlier and re.match(r"\s*\)", text[n.end : n.end + 3]) and \
            any(_OPEN_PAREN.fullmatch(text[m.end_char : first.start]) for m in s.methods):
        gm.metric = gm.metric or earlier[-1]
        return True
    return False


def _listed_score(s: _Sentence, n: Number, group: list[Number], gm: _GroupMetric) -> bool:
    """A unitless number that is a score by its place: "from 53.1 to 58.4" after the
    metric, "+2.4 on FooQA", "88.4 on FooLoco and 71.2 on BarMaze"."""
    text, lo, last = s.text, s.lo, group[-1]
    if gm.before and re.search(r"\b(?:to|from)\s+$", text[max(lo, n.start - 6) : n.start]):
        return True  # "improves Hits@50 on FooSet from 53.1 to 58.4", "MRR ... to 0.87"
    if n.signed and any(_GAIN_ON.fullmatch(text[last.end : d.start_char]) for d in s.datasets if d.start_char >= last.end):
        return True  # "+2.4 on FooQA": a gain on a named benchmark, in the sentence's measure
    out = s.out
    # "88.4 on FooLoco and 71.2 on BarMaze": the listed score of the same measure
    return bool(out and out[-1].sent_start == lo and out[-1].metric is not None
                and re.search(r"(?:,|\band)\s*$", text[max(lo, n.start - 12) : n.start])
                and any(_LISTED_ON.fullmatch(text[n.end : d.start_char]) for d in s.datasets))


def _kept_numbers(s: _Sentence, group: list[Number], gm: _GroupMetric) -> list[Number]:
    """The numbers of a group that are results, each with its unit (the group's last
    unit when it names none)."""
    unit = next((n.unit for n in reversed(group) if n.unit), "")
    kept: list[Number] = []
    gain_by = False
    for n in group:
        if _is_setup(s, n, n.unit or unit, gm):
            continue
        u = n.unit or unit
        if not u:
            got = _unitless(s, n, group, gm, gain_by)
            if got is None:
                continue
            u, gain_by = got
        kept.append(Number(n.start, n.end, n.value, n.value_max, u, n.signed, n.scaled, n.raw))
    return kept


def _group_results(s: _Sentence, group: list[Number]) -> None:
    """The result candidates of one group of numbers, appended to ``s.out``."""
    gm = _group_metric(s, group)
    kept = _kept_numbers(s, group, gm)
    if not kept:
        return
    text, lo, hi, first, last = s.text, s.lo, s.hi, group[0], group[-1]
    metric = gm.metric
    # the words that qualify a number are those after the sentence's previous number
    prev_end = max((m.end for m in s.numbers if m.end <= first.start), default=lo)
    window = text[max(lo, prev_end, first.start - 60) : first.start]
    after_text = text[last.end : min(hi, last.end + 40)]
    eff = _is_efficiency(metric) or kept[0].unit in SIZE_SPEED_UNITS + ("tokens/s",)
    slash = _slash_list(s.methods, text, first.start, len(kept), lo) if len(kept) > 1 else None
    group_baseline: tuple[Span | None, list[Span]] = (None, [])
    for i, n in enumerate(kept):
        kind = result_kind(n.unit, n.signed, window, after_text, eff, _is_quality(metric))
        if kind == "relative" and _FROM_A_TO.search(text[max(lo, n.start - 40) : n.start]):
            kind = "absolute"  # "from 1.12% to 0.86%": the new value, not a share of the old one
        a, b = _clause_bounds(text, n.start, n.end, lo, hi)
        a, b = _shorten(text, a, b, n.start, n.end)
        cand = ResultCandidate(value=n.value, value_max=n.value_max, unit=n.unit, kind=kind, start=n.start,
                               end=n.end, text_start=a, text_end=b, sent_start=lo, sent_end=hi,
                               metric=metric, qualifier=("about" if n.raw[:1] in "~≈" else
                                                          qualifier_of(text[max(lo, n.start - 20) : n.start])))
        cand.dataset = _dataset_for(text, n, n.unit, a, b, lo, s.eval_sets)
        cand.compared_to, baselines = _baseline_for(text, n, kind, lo, hi, s.methods, slash, i)
        if i == 0:
            group_baseline = (cand.compared_to, baselines)
        elif cand.compared_to is None and slash is None and group_baseline[0] is not None:
            cand.compared_to, baselines = group_baseline  # "over FooQL by 3.1 and 9.8 points": both
        cand.method, cand.generic_subject = _method_for(text, n, lo, s.methods, cand.compared_to, baselines)
        if slash is not None and not slash[1]:
            cand.method = slash[0][i]
        elif slash is None and len(kept) > 1 and "respectively" in text[lo:hi]:
            _respectively(cand, text, i, len(kept), s.datasets, s.methods, s.context_datasets)
        _own_score(s, cand, n)
        cand.confidence = round(0.5 + 0.15 * (metric is not None) + 0.15 * (cand.dataset is not None)
                                + 0.1 * (cand.method is not None) + 0.05 * bool(n.unit), 2)
        s.out.append(cand)
    _respective_datasets(s.out, len(kept), lo, text[lo:hi])


_FROM_A_TO = re.compile(r"\bfrom\s+[~≈]?[\d.,]+\s*(?:%|\\%)?\s*to\s*$")
_FOR_OWN = re.compile(r"\s*(?:[\w-]+\s+)?for\s+(?:the\s+)?")
_COMPARED_BEFORE = re.compile(r"\b(?:compared (?:with|to)|versus|vs\.?|than|against)\b")
_SIZE_BESIDE = re.compile(r"\s*(?:parameters|params|model)?\s*[,(]\s*")


def _own_score(s: _Sentence, cand: ResultCandidate, n: Number) -> None:
    """A number that is the named method's own, not the subject's: "surpassing FooCLIP
    (75.5%)", "compared with 51% for FooBot"; a size beside its model ("1.2 billion
    parameters, FooNet-XL", "a 7B model (BarLM-7B)")."""
    text, lo, methods = s.text, s.lo, s.methods
    paren_own = next((m for m in methods if _OPEN_PAREN.fullmatch(text[m.end_char : n.start])), None)
    if paren_own is not None and not n.signed:
        cand.method, cand.compared_to, cand.kind, cand.generic_subject = paren_own, None, "absolute", False
    own = next((m for m in methods if _FOR_OWN.fullmatch(text[n.end : m.start_char])), None)
    if own is not None and _COMPARED_BEFORE.search(text[max(lo, n.start - 40) : n.start]):
        cand.method, cand.compared_to, cand.generic_subject = own, None, False
    if n.unit == "params":
        beside = next((m for m in methods if _SIZE_BESIDE.fullmatch(text[n.end : m.start_char])), None)
        if beside is not None:
            cand.method = beside


class ResultExtractor:
    """Pipeline component: sets ``doc._.kg_results``."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_results = find_results(doc)
        return doc


@Language.factory("kg_results", default_config={})
def make_results(nlp: Language, name: str) -> ResultExtractor:
    """Create the result extractor (needs sentence boundaries and the mention spans)."""
    return ResultExtractor(nlp, name)
