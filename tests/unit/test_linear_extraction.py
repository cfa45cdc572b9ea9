"""Extraction work per number is bounded (#14 D9: it was quadratic in the results of one
abstract). Timings live in ``python -m bench``; these tests pin the behaviour the linear
versions must keep."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extractors import build_pipeline
from kg.extractors.mentions import RULE_PRIORITY, select_mentions, rule_of
from kg.extractors.results import MAX_SENTENCE_CHARS, _segments
from kg.ingest.extract import extract_with
from kg.graph.records import Paper


def _naive_select(spans):
    ordered = sorted(spans, key=lambda s: (-(s.end_char - s.start_char), RULE_PRIORITY.get(rule_of(s), 5), s.start_char))
    taken, out = [], []
    for s in ordered:
        if any(s.start_char < e and a < s.end_char for a, e in taken):
            continue
        taken.append((s.start_char, s.end_char))
        out.append(s)
    return sorted(out, key=lambda s: s.start_char)


_NLP = build_pipeline()
_DOC = _NLP.make_doc(" ".join(f"w{i}" for i in range(60)))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 59), st.integers(1, 4), st.sampled_from(["lexicon:x", "name_shape", "task_phrase"])),
                max_size=40))
def test_bisect_selection_equals_the_pairwise_one(raw):
    spans = []
    for start, length, rule in raw:
        sp = _DOC[start : min(60, start + length)]
        sp.id_ = rule
        spans.append(sp)
    got = [(s.start_char, s.end_char) for s in select_mentions(spans)]
    assert got == [(s.start_char, s.end_char) for s in _naive_select(spans)]


def test_an_overlong_run_is_read_in_bounded_windows_that_cover_it():
    text = "x" * 10 + ", ".join(f"item{i}" for i in range(900))
    segs = _segments(text, 0, len(text))
    assert segs[0][0] == 0 and segs[-1][1] == len(text)
    assert all(a < b and b - a <= MAX_SENTENCE_CHARS for a, b in segs)
    assert all(segs[i][1] == segs[i + 1][0] for i in range(len(segs) - 1))  # no gap, no overlap
    assert all(text[b - 1].isspace() for _, b in segs[:-1])  # cut after a space, not inside a word
    assert _segments(text, 5, 800) == [(5, 800)]  # a prose sentence is one window


def test_thousands_of_results_in_one_abstract_are_all_found():
    n = 3000
    abstract = " ".join(f"Zorb{i}Net reaches {10 + i % 80}.{i % 10}% accuracy on QuuxSet{i % 5}." for i in range(n))
    rec = extract_with(_NLP, [Paper(id="many", title="Zorb0Net: many results", abstract=abstract)])[0]
    assert len(rec.results) == n
    assert rec.results[-1].value == 10 + (n - 1) % 80 + ((n - 1) % 10) / 10
    assert {r.metric for r in rec.results} == {"accuracy"}


def test_the_vocabulary_does_not_grow_with_unique_words(monkeypatch):
    """#14 D14: past a bound on the vocabulary, each extraction batch runs in a spaCy
    memory zone, so the strings of words seen once are freed; the records keep their text.
    (The bound is 0 here; below it the vocabulary and the tokenizer cache are kept.)"""
    import kg.ingest.extract as extract

    monkeypatch.setattr(extract, "VOCAB_BOUND", 0)
    def papers(tag: str):
        return [Paper(id=f"{tag}{i}", title=f"Zorb{tag}{i}Net: a study",
                      abstract=" ".join(f"qx{tag}{i}w{j}" for j in range(40)) + f" Zorb{tag}{i}Net reaches 71.5% accuracy on ImageNet.")
                for i in range(30)]

    extract_with(_NLP, papers("a"))
    before = len(_NLP.vocab.strings)
    recs = extract_with(_NLP, papers("b"))
    assert len(_NLP.vocab.strings) == before
    assert recs[3].methods[0].name == "Zorbb3Net" and recs[3].results[0].value == 71.5
