"""From the processed title and abstract of one paper to a :class:`kg.graph.records.PaperRecord`.

This is the paper-level step after the spaCy components: it picks non-overlapping
mentions (longest first; lexicon > acronym > task/metric rules > name shape), joins an
acronym with its long form into one entity, groups the mentions of one entity by a
surface key (case, hyphens, spaces and a plural ``s`` folded), gives each method its
role (``proposed`` from introduction patterns and the title's "X:" prefix, ``compared``
after a comparison cue, else ``used``), and turns result and claim candidates into
records with provenance. A result whose sentence names no method is given the paper's
main proposed method (the guidelines' annotators do the same for "our approach").

Confidence of a mention is the prior of the rule that found it (``RULE_CONFIDENCE``);
for an entity found by several rules it is ``1 - Π(1 - p_i)`` over its distinct rules.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kg.graph.records import Claim, Entity, Paper, PaperRecord, Provenance, Result
from kg.graph.resolve import metric_info, metric_setting

from .docs import doc_text, sentence_of
from .lexicon import SPANS_KEY
from .mentions import RULE_PRIORITY as _RULE_PRIORITY
from .mentions import rule_of
from .names import TITLE_PHRASE_WORDS, name_shape, title_prefix
from .results import EFFICIENCY_WORDS
from .patterns import generic_terms, lexicon_index, words
from .rules import METRIC_MODIFIERS, norm_key  # noqa: F401  (spaCy-free, re-exported)
from .tasks import FIELDS, TASK_HEADS

LABEL_FIELD = {"METHOD": "methods", "DATASET": "datasets", "METRIC": "metrics", "TASK": "tasks"}

# Prior precision of each rule (rough, from reading its output on the seeds; the
# README's "Confidence" section explains how it is used).
RULE_CONFIDENCE = {
    "lexicon": 0.9,
    "acronym": 0.85,
    "intro_pattern": 0.9,
    "title_prefix": 0.9,
    "task_title": 0.7,
    "task_list": 0.6,
    "task_hyphen_tasks": 0.6,
    "task_phrase": 0.55,
    "name_dataset_context": 0.6,
    "name_shape": 0.6,
    "metric_shape": 0.7,
    "slash_variant": 0.6,
    "metric_phrase": 0.6,
    "learned": 0.7,
}
METHOD_HEADS = words("method_heads")
_INTRO = re.compile(r"\b(?:we|We)\b[^.;:]{0,80}?\b(?:propose|present|introduce|develop|design|build|devise|call|name|dub|term|coin|release|open-source)\w*\b")
# heads of long forms that name an idea, not a system: "Lottery Ticket Hypothesis (LTH)"
CONCEPT_HEADS = words("concept_heads")
_NAMED = re.compile(r"\b(?:called|named|dubbed|termed|coined|namely|titled)\s*$|\b(?:[Oo]ur|[Tt]he proposed|[Tt]his)\s+(?:\w+\s+){0,1}$")
_COMPARE = re.compile(r"(?:\bover|\bthan|\boutperform\w*|\bsurpass\w*|\bbeats?|\bbeating|\bcompared (?:to|with)|\bvs\.?|\bversus|\bagainst|\bboosts?|\bbaselines? such as|\blike)\s+(?:the\s+|both\s+|previous\s+|prior\s+)?(?:[\w-]+,\s+)*(?:and\s+)?$")
URL_RE = re.compile(r"https?://[^\s<>\"')\]]+")


# "Text-Guided Voxel Pruning for Efficient 3D Grounding": the Title-Case phrase before "for"
# (or before the colon) names the method
_TITLE_METHOD = re.compile(r"^((?:[A-Z][\w-]*|[a-z]{1,3})(?:\s+(?:[A-Z][\w-]*|of|and|with|in|for(?=\s+[A-Z][\w-]*\s+[A-Z]))){1,5})\s*(?:\bfor\b|:)")
_TITLE_PHRASE_WORDS = TITLE_PHRASE_WORDS | {"a", "an", "the"}
_RESOLUTION = re.compile(r"^(.*\S)\s+(\d{2,4}\s?[x×]\s?\d{2,4})$")


def paper_doc(nlp, text: str, field: str, title: str | None = None) -> Doc:
    """The unprocessed Doc of one field ("title" or "abstract") of a paper, tokenized by
    ``nlp``, with what the components read from ``doc.user_data``: the field, the text, and
    for an abstract the name its title introduces ("FooNet: ..."), if any."""
    d = nlp.make_doc(text)
    d.user_data["kg_field"] = field
    d.user_data["kg_text"] = text  # == d.text (spaCy's tokenizer is non-destructive), without the join
    if field == "abstract" and title:
        tp = title_prefix(title, generic_terms())
        if tp is not None:
            d.user_data["kg_title_names"] = {tp[2]: [title[tp[0]:tp[1]]]}
    return d


def metric_core(phrase: str) -> str | None:
    """The lexicon metric a longer metric phrase ends in, or None: "peak speedup" →
    "speedup", "zero-shot top-1 accuracy" → "top-1 accuracy" (the longest lexicon metric
    after dropping leading words), so the entity carries the measure's own name too; None
    when the metric catalogue (``kg.graph.resolve.metric_info``) tells the two apart ("top-5
    accuracy" is not "accuracy", "mask AP" is not "AP")."""
    words = phrase.split()
    index = _metric_lexicon()
    for i in range(1, len(words)):
        tail = " ".join(words[i:])
        if tail.casefold() in index:
            # only a modifier that keeps the measure ("peak speedup" is speedup); a variant
            # the catalogue keeps apart ("top-5 accuracy", "box AP") is not its head's alias
            whole, core = metric_info(phrase), metric_info(tail)
            if whole is not None and core is not None:
                return tail if whole.name == core.name else None
            if all(w.casefold() in METRIC_MODIFIERS for w in words[:i]):
                return tail
            return None
    return None


def singular_metric(phrase: str) -> str | None:
    """The lexicon metric a plural metric phrase is the plural of ("accuracies" →
    "accuracy", "word error rates" → "word error rate"), in the phrase's own case; else None."""
    for cut, add in (("ies", "y"), ("s", "")):
        if phrase.endswith(cut) and len(phrase) > len(cut) + 1:
            one = phrase[: -len(cut)] + add
            if one.casefold() in _metric_lexicon():
                return one
    return None


@lru_cache(maxsize=1)
def _metric_lexicon() -> frozenset[str]:
    return frozenset(k for k, (label, _) in lexicon_index().items() if label == "METRIC")


@dataclass
class _Mention:
    field: str
    span: Span
    label: str
    rule: str

    @property
    def text(self) -> str:
        sp = self.span
        if sp.id_ == "slash_variant":
            return _span_name(sp)
        return doc_text(sp.doc)[sp.start_char:sp.end_char]  # == sp.text, without joining its tokens


def _span_name(span: Span) -> str:
    """A mention's name: its text, or the full name of a slash variant ("R101" → "FooDet-R101")."""
    return (span._.kg_name if span.id_ == "slash_variant" and span._.kg_name else None) or span.text


def _select(doc: Doc, field: str) -> list[_Mention]:
    return [_Mention(field, s, s.label_, rule_of(s)) for s in doc.spans.get(SPANS_KEY, [])]


def _prov(field: str, span: Span, rule: str, conf: float) -> Provenance:
    a, b = sentence_of(span)
    return Provenance(field=field, sentence=doc_text(span.doc)[a:b], start=span.start_char, end=span.end_char,
                      extractor=rule, confidence=conf)


def _acronym_label(short: str, long: str, lexicon_label: str | None) -> str | None:
    if lexicon_label:
        return lexicon_label
    words = long.split()
    head = words[-1].lower() if words else ""
    if head in CONCEPT_HEADS:
        return None
    if head in ("testbench", "testbed", "benchmark", "dataset", "corpus", "suite", "datasets", "benchmarks"):
        return "DATASET"
    if len(words) > 1 and head.endswith("s") and not head.endswith("ss") and head not in TASK_HEADS:
        return None  # "Vision Transformers (ViTs)", "feed-forward networks (FFNs)": a family
    title_case = sum(w[:1].isupper() for w in words) >= max(1, len(words) - 1)
    if head in TASK_HEADS and not title_case:
        return "TASK"
    if title_case or head in METHOD_HEADS or any(head.endswith(h) for h in ("former", "net")):
        return "METHOD"
    return None


class _Entities:
    """Mentions grouped into entities by key, in order of first appearance."""

    def __init__(self) -> None:
        self.order: list[str] = []
        self.label: dict[str, str] = {}
        self.forms: dict[str, list[str]] = {}
        self.display: dict[str, str] = {}
        self.rules: dict[str, set[str]] = {}
        self.provs: dict[str, list[Provenance]] = {}
        self.alias_of: dict[str, str] = {}  # key of a long form → key of its short form

    def key(self, text: str) -> str:
        k = norm_key(text)
        return self.alias_of.get(k, k)

    def add(self, text: str, label: str, rule: str, prov: Provenance | None, display: bool = False) -> str:
        k = self.key(text)
        if k not in self.label:
            self.order.append(k)
            self.label[k] = label
            self.forms[k] = []
            self.rules[k] = set()
            self.provs[k] = []
        elif _RULE_PRIORITY.get(rule, 5) < min((_RULE_PRIORITY.get(r, 5) for r in self.rules[k]), default=9):
            self.label[k] = label
        if text not in self.forms[k]:
            self.forms[k].append(text)
        if display or k not in self.display:
            self.display[k] = text
        self.rules[k].add(rule)
        if prov is not None:
            self.provs[k].append(prov)
        return k

    def merge(self, src: str, dst: str) -> None:
        """Fold entity ``src`` into ``dst`` (its forms become aliases)."""
        for f in self.forms[src]:
            if f not in self.forms[dst]:
                self.forms[dst].append(f)
        self.provs[dst].extend(self.provs[src])
        self.rules[dst] |= self.rules[src]
        self.alias_of[src] = dst
        for k, v in list(self.alias_of.items()):
            if v == src:
                self.alias_of[k] = dst
        self.order.remove(src)

    def name(self, text: str | None) -> str | None:
        if text is None:
            return None
        k = self.key(text)
        return self.display.get(k, text)

    def confidence(self, k: str) -> float:
        p = 1.0
        for r in self.rules[k]:
            p *= 1.0 - RULE_CONFIDENCE.get(r, 0.5)
        return round(1.0 - p, 3)


@dataclass
class _Paper:
    """What the assembly steps of one paper share."""

    paper: Paper
    title_doc: Doc
    docs: tuple[tuple[str, Doc], ...]
    generic: frozenset[str]
    ents: _Entities
    mentions: list[_Mention]
    role_spans: list[_Mention]
    proposed: list[str]
    compared: set[str]
    main: str | None = None


def assemble(paper: Paper, title_doc: Doc, abstract_doc: Doc) -> PaperRecord:
    """Build the PaperRecord of ``paper`` from its two processed docs.

    ``title_doc``/``abstract_doc`` must have run through the kg pipeline (see
    :func:`kg.extractors.build_pipeline`). Offsets in the record are into
    ``paper.title`` or ``paper.abstract`` as the provenance's ``field`` says.
    """
    docs = (("title", title_doc), ("abstract", abstract_doc))
    p = _Paper(paper=paper, title_doc=title_doc, docs=docs, generic=generic_terms(), ents=_Entities(),
               mentions=[m for f, d in docs for m in _select(d, f)], role_spans=[], proposed=[], compared=set())
    concepts = _acronym_entities(p)  # 1
    _title_prefix_method(p)  # 2
    _mention_entities(p, concepts)  # 3
    _roles(p)  # 4
    _merge_variants(p)  # 4b, 4c
    results = _results(p)  # 5
    claims = _claims(p, results)  # 6
    url = URL_RE.search(paper.abstract) or URL_RE.search(paper.title)
    code_url = url.group(0).rstrip(".,;:") if url else None
    return PaperRecord(id=paper.id, title=paper.title, code_url=code_url, results=tuple(results), claims=tuple(claims),
                       abstract=paper.abstract, date=paper.date, sources=paper.sources,
                       content_hash=paper.content_hash, **_entities_out(p))  # 7


def _acronym_entities(p: _Paper) -> set[str]:
    """Step 1: each acronym and its long form are one entity (the short form names a
    method, the long form anything else); mentions inside a long form belong to it.
    Returns the keys of acronyms that name a concept, not an entity."""
    ents, mentions = p.ents, p.mentions
    long_spans: list[tuple[str, int, int]] = []
    concepts: set[str] = set()
    for f, d in p.docs:
        for short, long in d._.kg_acronyms or []:
            lex = next((m.label for m in mentions if m.field == f and m.rule == "lexicon"
                        and (m.span.start_char, m.span.end_char) in ((short.start_char, short.end_char), (long.start_char, long.end_char))), None)
            label = _acronym_label(short.text, long.text, lex)
            long_spans.append((f, long.start_char, long.end_char))
            if label is None or short.text.casefold() in p.generic:
                concepts.add(norm_key(short.text))  # "effective receptive field (ERF)": a concept, not a method
                continue
            conf = RULE_CONFIDENCE["acronym"]
            # methods are named by the short form (GUIDELINES: "LSSKD", alias the long form);
            # tasks, metrics and datasets by the long form
            named, other = (short, long) if label == "METHOD" else (long, short)
            ents.alias_of[norm_key(other.text)] = norm_key(named.text)
            ents.add(named.text, label, "acronym", _prov(f, named, "acronym", conf), display=True)
            ents.add(other.text, label, "acronym", _prov(f, other, "acronym", conf))
            p.role_spans.append(_Mention(f, long if long.start_char < short.start_char else short, label, "acronym"))
    p.mentions = [m for m in mentions if not any(_strictly_inside(m, f, s, e) for f, s, e in long_spans)]
    return concepts


def _strictly_inside(m: _Mention, field: str, start: int, end: int) -> bool:
    a, b = m.span.start_char, m.span.end_char
    return m.field == field and start <= a and b <= end and not (a == start and b == end)


def _title_prefix_method(p: _Paper) -> None:
    """Step 2: the title's "X:" prefix names the proposed method."""
    tp = title_prefix(p.paper.title, p.generic)
    if tp is None:
        return
    sp = p.title_doc.char_span(tp[0], tp[1], alignment_mode="expand")
    if sp is not None:
        k = p.ents.add(sp.text, tp[2], "title_prefix", _prov("title", sp, "title_prefix", 0.9))
        p.ents.label[k] = tp[2]
        if tp[2] == "METHOD":
            p.proposed.append(k)


_PLURAL_NAME = re.compile(r"[A-Z0-9]s$")


def _mention_entities(p: _Paper, concepts: set[str]) -> None:
    """Step 3: every other mention; a plural name never seen in the singular is a family
    ("ViTs", "PLMs"), and a defined concept acronym is no method."""
    ents = p.ents
    singulars = {norm_key(m.text) for m in p.mentions if not _PLURAL_NAME.search(m.text)}

    def family(m: _Mention) -> bool:
        key = norm_key(m.text)
        return (m.label == "METHOD" and m.rule == "name_shape" and bool(_PLURAL_NAME.search(m.text))
                and key not in singulars and key not in ents.label)

    p.mentions = [m for m in p.mentions if norm_key(m.text) not in concepts and not family(m)]
    for m in p.mentions:
        k = ents.add(m.text, m.label, m.rule, _prov(m.field, m.span, m.rule, RULE_CONFIDENCE.get(m.rule, 0.5)))
        core = metric_core(m.text) if m.label == "METRIC" else None
        if core is not None and core not in ents.forms[k]:
            ents.forms[k].append(core)  # "peak speedup" is also the measure "speedup"
        one = singular_metric(m.text) if m.label == "METRIC" else None
        if one is not None and one not in ents.forms[k]:
            ents.forms[k].append(one)  # "accuracies of 79.1% and 68.3%" are the lexicon's "accuracy"


def _roles(p: _Paper) -> None:
    """Step 4: which methods the paper proposes (introduction patterns, "called X", "our
    X", variants of a proposed name, else the title's leading name or phrase) and which
    it compares against (after a comparison cue); sets ``p.main``."""
    ents = p.ents
    for m in sorted(p.mentions + p.role_spans, key=lambda m: (m.field != "title", m.span.start_char)):
        k = ents.key(m.text)
        if ents.label.get(k) != "METHOD":
            continue
        cue = _role_cue(m)
        if cue == "proposed" and k not in p.proposed:
            p.proposed.append(k)
        elif cue == "compared":
            p.compared.add(k)
    for k in list(ents.order):  # variants of a proposed method are proposed too
        if ents.label[k] == "METHOD" and k not in p.proposed and any(k.startswith(q) and k != q for q in p.proposed):
            p.proposed.append(k)
    if not p.proposed:
        _title_method(p)
    p.main = p.proposed[0] if p.proposed else None


def _role_cue(m: _Mention) -> str | None:
    """"proposed" when the text before a method mention introduces it, "compared" after a
    comparison cue, else None."""
    text = doc_text(m.span.doc)
    before = text[max(0, m.span.start_char - 60) : m.span.start_char]
    sent_start, _ = sentence_of(m.span)
    intro = _INTRO.search(text[sent_start : m.span.start_char])
    if _NAMED.search(before) or (intro and m.span.start_char - (sent_start + intro.end()) <= 80
                                 and not _COMPARE.search(before)):
        return "proposed"
    return "compared" if _COMPARE.search(before) else None


def _title_method(p: _Paper) -> None:
    """No proposed method yet: "FooNet for Bar Baz", a title that starts with a name,
    proposes it; else (GUIDELINES v2) "a proposed method named only in the title takes
    the title's phrase"."""
    ents = p.ents
    first = next((m for m in p.mentions if m.field == "title" and m.span.start_char == 0 and m.label == "METHOD"), None)
    if first is not None and ents.label.get(ents.key(first.text)) == "METHOD":
        p.proposed.append(ents.key(first.text))
        return
    tm = _TITLE_METHOD.match(p.paper.title)
    phrase = tm.group(1) if tm else None
    if not phrase or not _names_one_method(phrase):
        return
    if any(m.field == "abstract" for m in p.mentions) and re.search(r"\b(?:we|our|this paper|this work)\b", p.paper.abstract, re.I):
        sp = p.title_doc.char_span(tm.start(1), tm.end(1), alignment_mode="expand")
        if sp is not None:
            k = ents.add(sp.text, "METHOD", "title_phrase", _prov("title", sp, "title_phrase", 0.5), display=True)
            ents.label[k] = "METHOD"
            p.proposed.append(k)


def _names_one_method(phrase: str) -> bool:
    """A title phrase names one method unless it is a field ("Deep Learning"), an "X of Y"
    phrase, plural ("Efficient Architectures") or starts with a function word."""
    last = phrase.split()[-1]
    if phrase.casefold() in FIELDS or " of " in phrase or (last.endswith("s") and not last.endswith("ss")):
        return False
    return phrase.split()[0].casefold() not in _TITLE_PHRASE_WORDS


def _merge_variants(p: _Paper) -> None:
    """Steps 4b and 4c: one entity for the variants of a metric, task or dataset named in
    one paper; efficiency measures named in passing dropped."""
    ents = p.ents
    # metrics: "accuracy" next to "top-1 accuracy" in one paper is the same measure;
    # tasks: "segmentation" next to "medical image segmentation" is the paper's one task
    for label in ("METRIC", "TASK"):
        keys = [k for k in ents.order if ents.label[k] == label]
        for short in keys:
            s_text = ents.display[short].casefold()
            longer = [k for k in keys if k != short and k in ents.order
                      and re.search(r"[\s-]" + re.escape(s_text) + "$", ents.display[k].casefold())]
            if len(longer) == 1:  # "AP" beside "box AP" and "mask AP" says neither: kept apart
                ents.merge(short, longer[0])
    # "commonsense reasoning tasks" is the task "commonsense reasoning": the bare form is an alias
    for k in [k for k in ents.order if ents.label[k] == "TASK"]:
        bare = re.sub(r"\s+tasks?$", "", ents.display[k], flags=re.I)
        if bare != ents.display[k] and bare not in ents.forms[k]:
            ents.forms[k].append(bare)
    # efficiency measures named in passing ("without added memory overhead") are not
    # evaluation metrics of the paper: keep them only where a sentence gives a number
    for k in [k for k in ents.order if ents.label[k] == "METRIC"]:
        if any(w in ents.display[k].lower() for w in EFFICIENCY_WORDS) and \
                not any(re.search(r"\d", q.sentence) for q in ents.provs[k]):
            ents.order.remove(k)
    _merge_resolutions(ents)


def _merge_resolutions(ents: _Entities) -> None:
    """"ImageNet 256x256" is ImageNet at a resolution: one dataset, the resolution is the
    result's setting (a leaderboard keeps settings apart)."""
    for k in [k for k in ents.order if ents.label[k] == "DATASET"]:
        rm = _RESOLUTION.match(ents.display[k])
        base = ents.key(rm.group(1)) if rm else None
        if base is not None and base != k and base in ents.order and ents.label[base] == "DATASET":
            ents.merge(k, base)
        elif rm:
            ents.display[k] = rm.group(1)  # named only with its resolution: the dataset is the base
            ents.forms[k].insert(0, rm.group(1))


def _results(p: _Paper) -> list[Result]:
    """Step 5: the result candidates as records. A result whose sentence names no dataset
    is on the abstract's one evaluation dataset when the paper names exactly one
    (GUIDELINES v2: "when the abstract plainly ties the sentence to one dataset"); the
    rule is in the provenance."""
    ents = p.ents
    paper_datasets = {ents.key(m.text) for m in p.mentions if m.label == "DATASET" and ents.label.get(ents.key(m.text)) == "DATASET"}
    only_dataset = ents.display[next(iter(paper_datasets))] if len(paper_datasets) == 1 else None
    return [_result(p, f, d, c, only_dataset) for f, d in p.docs for c in d._.kg_results or []]


def _result(p: _Paper, field: str, doc: Doc, c, only_dataset: str | None) -> Result:
    """One result candidate ``c`` (a :class:`kg.extractors.results.ResultCandidate`) of ``doc``."""
    ents, main = p.ents, p.main
    method = ents.name(_span_name(c.method)) if c.method is not None else None
    compared_to = ents.name(_span_name(c.compared_to)) if c.compared_to is not None else None
    if compared_to:
        p.compared.add(ents.key(compared_to))
    if method is None and main is not None and ents.display[main] != compared_to and not c.generic_subject:
        method = ents.display[main]
    if method is not None and ents.key(method) in p.compared and main is not None and compared_to is None and c.kind in ("delta", "ratio"):
        compared_to, method = method, ents.display[main]
    text = doc_text(doc)[c.text_start : c.text_end]
    dataset, rule = (ents.name(c.dataset.text), c.rule) if c.dataset is not None else (None, c.rule)
    rm = _RESOLUTION.match(c.dataset.text) if c.dataset is not None else None
    # the setting the result's clause names ("88.1% after fine-tuning", "5-shot"), and
    # a dataset's resolution ("ImageNet 512x512"); the writer reads the metric's words else
    parts = [metric_setting(text), re.sub(r"\s*[x×]\s*", "x", rm.group(2)) if rm else None]
    setting = ", ".join(q for q in parts if q) or None
    if dataset is None and only_dataset is not None:
        dataset, rule = only_dataset, c.rule + "+dataset:abstract"
    metric = ents.name(c.metric.text) if c.metric is not None else ("parameters" if c.unit == "params" else None)
    return Result(
        method=method, dataset=dataset, metric=metric,
        value=c.value, value_max=c.value_max, unit=c.unit, kind=c.kind, compared_to=compared_to, text=text,
        qualifier=c.qualifier, setting=setting,
        provenance=Provenance(field=field, sentence=doc_text(doc)[c.sent_start : c.sent_end], start=c.text_start,
                              end=c.text_end, extractor=rule, confidence=c.confidence))


def _claims(p: _Paper, results: list[Result]) -> list[Claim]:
    """Step 6: claims; a subject or object that is no entity of the paper is dropped, and
    a claim borrows the dataset and metric of the first result in its sentence."""
    ents, main = p.ents, p.main
    kept_keys = set(ents.order)

    def entity_name(span: Span | None) -> str | None:
        if span is None or ents.key(span.text) not in kept_keys:
            return None
        return ents.name(span.text)

    # the results of each field by start offset, so a claim finds its sentence's by bisection
    by_field: dict[str, tuple[list[int], list[int]]] = {}
    for i, r in sorted(enumerate(results), key=lambda ir: (ir[1].provenance.field, ir[1].provenance.start, ir[0])):
        starts, idx = by_field.setdefault(r.provenance.field, ([], []))
        starts.append(r.provenance.start)
        idx.append(i)
    claims: list[Claim] = []
    for f, d in p.docs:
        starts, idx = by_field.get(f, ([], []))
        for c in d._.kg_claims or []:
            a, b = bisect.bisect_left(starts, c["sent_start"]), bisect.bisect_left(starts, c["sent_end"])
            support = tuple(sorted(idx[a:b]))
            subject = entity_name(c["subject"]) or (ents.display[main] if main else None)
            obj = entity_name(c["object"])
            first = results[support[0]] if support else None
            claims.append(Claim(type=c["type"], subject=subject, object=obj if obj != subject else None,
                                dataset=first.dataset if first and first.dataset else entity_name(c["dataset"]),
                                metric=first.metric if first and first.metric else entity_name(c["metric"]),
                                results=support,
                                provenance=Provenance(field=f, sentence=doc_text(d)[c["sent_start"] : c["sent_end"]],
                                                      start=c["sent_start"], end=c["sent_end"],
                                                      extractor=c["rule"], confidence=c["confidence"])))
    return claims


def _entities_out(p: _Paper) -> dict[str, tuple[Entity, ...]]:
    """Step 7: the entities by record field, each with its role, aliases, key and mentions."""
    ents = p.ents
    by_field: dict[str, list[Entity]] = {v: [] for v in LABEL_FIELD.values()}
    for k in ents.order:
        label = ents.label[k]
        name = ents.display[k]
        if label in ("METRIC", "TASK") and name.lower() != name and name.lower() in ents.forms[k]:
            name = name.lower()  # "Sparsity" in a title is "sparsity" in the text
        role = None
        if label == "METHOD":
            role = "proposed" if k in p.proposed else "compared" if k in p.compared else "used"
        conf = ents.confidence(k)
        provs = tuple(q.model_copy(update={"confidence": conf}) for q in ents.provs[k])
        aliases = tuple(a for a in ents.forms[k] if a != name)
        by_field[LABEL_FIELD[label]].append(Entity(name=name, aliases=aliases, role=role, key=k, mentions=provs))
    return {f: tuple(v) for f, v in by_field.items()}
