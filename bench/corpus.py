"""Synthetic corpora for the scale benchmarks, built at run time from ``../shared/seeds``.

Nothing is committed: each abstract is made by recombining sentences of the seed
abstracts and nudging their numbers, so the texts have the seeds' vocabulary, names,
sentence shapes and result density, at any size. :func:`build_corpus` writes the same
papers in two layouts: kg's JSON Lines (``{"id", "title", "abstract", "date"}``) and the arXiv
metadata snapshot (``id``, ``submitter``, ``authors``, ``title``, ``abstract``,
``categories``, ``versions``, ``update_date``, ``authors_parsed``: the field names of
Kaggle's ``arxiv-metadata-oai-snapshot.json``).

Paper ``k`` of a corpus is a function of ``(seed, k)`` alone, so the 1k corpus is the
first thousand papers of the 100k one, and a run is reproducible.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from kg.ingest.papers import read_papers

_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[])")
_NUMBER = re.compile(r"(?<![\w.])(\d+)(?:\.(\d+))?(?![\w])")
_CATEGORIES = ["cs.CV", "cs.CL", "cs.LG", "cs.AI", "stat.ML", "cs.RO", "cs.IR"]
_SURNAMES = ["Ahn", "Baker", "Chen", "Dubois", "Eze", "Fischer", "Garcia", "Haddad", "Ito", "Jensen", "Kumar",
             "Li", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn", "Rossi", "Silva", "Tanaka", "Ueda",
             "Vargas", "Wang", "Xu", "Yilmaz", "Zhang"]
_INITIALS = "ABCDEFGHJKLMNPRSTWY"


@dataclass(frozen=True)
class Corpus:
    """Paths of one corpus in both layouts, with its size in papers and words."""

    size: int
    jsonl: Path
    arxiv: Path
    words: int


def _nudge(sentence: str, rng: random.Random) -> str:
    """Numbers moved by up to ±5 % with their number of decimals kept (years and
    one-digit counts stay as they are, so sentences still read as abstracts)."""

    def repl(m: re.Match) -> str:
        whole, frac = m.group(1), m.group(2)
        v = float(m.group(0))
        if frac is None and (len(whole) == 4 and 1900 <= v <= 2030 or v < 10):
            return m.group(0)
        nv = v * rng.uniform(0.95, 1.05)
        if frac is None:
            return str(max(1, round(nv)))
        return f"{nv:.{len(frac)}f}"

    return _NUMBER.sub(repl, sentence)


class _Source:
    """Seed titles and sentences, split once."""

    def __init__(self, seeds: Path):
        papers, _ = read_papers([seeds])
        if not papers:
            raise SystemExit(f"no seed papers under {seeds}")
        self.titles = [p.title for p in papers]
        self.sentences = [_SENT_SPLIT.split(p.abstract) for p in papers]
        self.pool = [s for ss in self.sentences for s in ss[1:] if "http" not in s]

    def paper(self, seed: int, k: int) -> tuple[str, str]:
        """Title and abstract of synthetic paper ``k``: a seed paper's title and first
        sentence, then 3-8 sentences drawn from all seed abstracts, numbers nudged."""
        rng = random.Random(seed * 1_000_003 + k)
        base = rng.randrange(len(self.titles))
        own = self.sentences[base]
        body = [own[0]] + [rng.choice(self.pool) for _ in range(rng.randint(3, 8))]
        if len(own) > 1 and rng.random() < 0.5:
            body.insert(rng.randint(1, len(body)), rng.choice(own[1:]))
        return self.titles[base], " ".join(_nudge(s, rng) for s in body)


def _date(k: int) -> tuple[int, int, int]:
    """Year (2020-2025), month and day of paper ``k``: spread, so date ranges select a share."""
    return 2020 + k % 6, 1 + k % 12, 1 + k % 28


def _arxiv_record(seed: int, k: int, title: str, abstract: str, rng: random.Random) -> dict:
    n = rng.randint(1, 9)
    names = [(rng.choice(_SURNAMES), rng.choice(_INITIALS) + ".") for _ in range(n)]
    authors = ", ".join(f"{i} {s}" for s, i in names[:-1]) + (" and " if n > 1 else "") + f"{names[-1][1]} {names[-1][0]}"
    year, month, day = _date(k)
    return {
        "id": f"{seed % 100:02d}{month:02d}.{k:05d}",  # unique per (seed, k), arXiv-shaped
        "submitter": f"{names[0][1]} {names[0][0]}",
        "authors": authors,
        "title": title,
        "comments": None,
        "journal-ref": None,
        "doi": None,
        "report-no": None,
        "categories": " ".join(rng.sample(_CATEGORIES, rng.randint(1, 3))),
        "license": None,
        "abstract": "  " + abstract.replace(". ", ".\n  ", 2) + "\n",
        "versions": [{"version": "v1", "created": f"Mon, {day} Jan {year} 10:00:00 GMT"}],
        "update_date": f"{year}-{month:02d}-{day:02d}",
        "authors_parsed": [[s, i, ""] for s, i in names],
    }


def build_corpus(size: int, out_dir: Path, seeds: Path, *, seed: int = 7) -> Corpus:
    """Write (or reuse) the ``size``-paper corpus in both layouts under ``out_dir``.

    Files are ``corpus-<size>.jsonl`` and ``corpus-<size>-arxiv.jsonl``; they are rebuilt
    when missing. Raises ``SystemExit`` when ``seeds`` holds no paper.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    jsonl, arxiv = out_dir / f"corpus-{size}-s{seed}.jsonl", out_dir / f"corpus-{size}-s{seed}-arxiv.jsonl"
    meta = out_dir / f"corpus-{size}-s{seed}.words"
    if jsonl.is_file() and arxiv.is_file() and meta.is_file():
        return Corpus(size, jsonl, arxiv, int(meta.read_text()))
    src = _Source(seeds)
    words = 0
    with jsonl.open("w", encoding="utf-8") as fj, arxiv.open("w", encoding="utf-8") as fa:
        for k in range(size):
            title, abstract = src.paper(seed, k)
            words += len(title.split()) + len(abstract.split())
            y, m, d = _date(k)
            fj.write(json.dumps({"id": f"synth{seed}-{k:07d}", "title": title, "abstract": abstract,
                                 "date": f"{y}-{m:02d}-{d:02d}"}) + "\n")
            fa.write(json.dumps(_arxiv_record(seed, k, title, abstract, random.Random(k))) + "\n")
    meta.write_text(str(words))
    return Corpus(size, jsonl, arxiv, words)
