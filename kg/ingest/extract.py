"""The extract stage: Papers in, PaperRecords out (pure; no database).

:func:`extract_papers` runs the spaCy pipeline of :mod:`kg.extractors` over the title and
abstract of each paper and assembles one :class:`~kg.graph.records.PaperRecord` per paper.
``workers > 1`` uses spaCy's own multiprocessing (``nlp.pipe(n_process=...)``).
"""

from __future__ import annotations

import contextlib

from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.extractors import build_pipeline

from kg.graph.records import Paper, PaperRecord

if TYPE_CHECKING:
    from spacy.language import Language


#: strings in the vocabulary after which each batch runs in a memory zone (about 25k
#: abstracts' worth of words; the common ones are in the vocabulary and cache by then)
VOCAB_BOUND = 300_000


@lru_cache(maxsize=4)
def get_pipeline(model: str | None = None) -> "Language":
    """The extraction pipeline, built once per process and model name."""
    return build_pipeline(model)


def extract_with(nlp: "Language", papers: list[Paper], batch_size: int = 64) -> list[PaperRecord]:
    """PaperRecords of ``papers`` extracted by the pipeline ``nlp`` (any kg pipeline, e.g.
    one with a learned part from :func:`kg.extractors.build_pipeline`). Titles first, then
    abstracts, so an abstract knows the names its title introduced."""
    from kg.extractors.assemble import assemble, paper_doc  # spaCy is imported here, on first use

    def docs(field: str):
        for p in papers:
            yield paper_doc(nlp, getattr(p, field), field, p.title)

    # once the vocabulary holds VOCAB_BOUND strings, the strings a batch adds are freed
    # after it (spaCy's memory zones, https://spacy.io/api/language#memory_zone): memory
    # does not grow with the unique words of a long run (#14 D14). Not from the start: a
    # zone also drops the tokenizer's cache of the words it saw, and re-tokenizing every
    # batch's common words made extraction 30 % slower. No Doc outlives the zone.
    zone = nlp.memory_zone() if len(nlp.vocab.strings) >= VOCAB_BOUND else contextlib.nullcontext()
    with zone:
        titles = list(nlp.pipe(docs("title"), batch_size=batch_size))
        abstracts = nlp.pipe(docs("abstract"), batch_size=batch_size)
        return [assemble(p, t, a) for p, t, a in zip(papers, titles, abstracts)]


def _extract_chunk(args: tuple[list[Paper], str | None, int]) -> list[PaperRecord]:
    """One chunk with the process's pipeline for ``model`` (:func:`extract_with`)."""
    papers, model, batch_size = args
    return extract_with(get_pipeline(model), papers, batch_size)


def _extract_chunk_json(args: tuple[list[Paper], str | None, int]) -> list[str]:
    """:func:`_extract_chunk` as JSON lines: what worker processes send back (a tenth of
    the cost of pickling the pydantic models, and what ``kg extract`` writes anyway)."""
    return [r.model_dump_json() for r in _extract_chunk(args)]


def _chunks(papers: Iterable[Paper], size: int) -> Iterator[list[Paper]]:
    chunk: list[Paper] = []
    for p in papers:
        chunk.append(p)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract_papers(papers: Iterable[Paper], *, model: str | None = None, workers: int = 1,
                   batch_size: int = 64, progress: Callable[[int], None] | None = None,
                   as_json: bool = False) -> Iterator[PaperRecord | str]:
    """Extract every paper, in input order, streaming: memory does not grow with the input.

    ``papers`` is any iterable (a list, or a :class:`kg.ingest.papers.PaperStream` read lazily).
    ``workers`` is the number of processes (1 = this one). With more, papers go in chunks
    of ``batch_size`` to a process pool (the ``fork`` start method where the platform has
    it), each process building the pipeline once, with at most ``4 * workers`` chunks in
    flight (``Pool.imap`` would read the whole input ahead); records come back in input
    order. ``progress`` is called with the number of papers done. Yields PaperRecords, or
    with ``as_json`` their JSON (``PaperRecord.model_dump_json()``, one line each).
    """
    done = 0
    if workers <= 1:
        for chunk in _chunks(papers, batch_size):
            recs = _extract_chunk((chunk, model, batch_size))
            yield from (r.model_dump_json() for r in recs) if as_json else recs
            done += len(chunk)
            if progress:
                progress(done)
        return
    import multiprocessing as mp
    from collections import deque

    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with ctx.Pool(workers) as pool:
        pending: deque = deque()
        chunks = _chunks(papers, batch_size)
        while True:
            while len(pending) < 4 * workers:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                pending.append(pool.apply_async(_extract_chunk_json, ((chunk, model, batch_size),)))
            if not pending:
                break
            lines = pending.popleft().get()
            yield from lines if as_json else map(PaperRecord.model_validate_json, lines)
            done += len(lines)
            if progress:
                progress(done)


def extract_paper(paper: Paper, model: str | None = None) -> PaperRecord:
    """Extract one paper (convenience for tests and notebooks)."""
    return next(extract_papers([paper], model=model))
