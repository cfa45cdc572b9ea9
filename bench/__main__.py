"""Benchmarks that print a table (and write JSON with ``--json``).

``python -m bench run --size 100000``: the scale benchmark of :mod:`bench.run` (corpora,
extraction with peers, bulk and incremental loading with peers, saved-query latency, RDF
export, memory), all in one run; BENCHMARKS.md holds its figures.

``python -m bench extract``: extraction throughput (abstracts/s, words/s) on the seeds
with 1 and 2 worker processes, optionally with a statistical spaCy pipeline beside the
blank one, and the dev-gold scores of each pipeline, so quality and speed are read
together. Targets live here, not in unit tests.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="kg benchmarks.", no_args_is_help=True, add_completion=False)
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


@app.callback()
def _main() -> None:
    """kg benchmarks (each prints a table)."""


@app.command()
def extract(
    inputs: Annotated[list[Path] | None, typer.Argument(help="Inputs; default ../shared/seeds.")] = None,
    workers: Annotated[list[int] | None, typer.Option("--workers", "-w", help="Worker counts to try.")] = None,
    model: Annotated[list[str] | None, typer.Option(help="Also run on top of this spaCy pipeline (e.g. en_core_web_sm).")] = None,
    repeat: Annotated[int, typer.Option(help="Copies of the input, for a longer run.")] = 4,
    gold: Annotated[Path | None, typer.Option(help="Gold file for the quality column.")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the rows as JSON here.")] = None,
) -> None:
    """Extraction throughput with 1 and 2 workers (and quality on the dev gold)."""
    from kg.learn.evaluate import evaluate, read_gold
    from kg.ingest.extract import extract_papers, get_pipeline
    from kg.ingest.papers import read_papers

    papers, _ = read_papers(inputs or [SHARED / "seeds"])
    corpus = papers * repeat
    words = sum(len((p.title + " " + p.abstract).split()) for p in corpus)
    gold = gold or SHARED / "gold" / "dev.jsonl"
    dev_input = gold.parent / "dev_input.jsonl"
    rows = []
    for m in [None, *(model or [])]:
        t0 = time.perf_counter()
        get_pipeline(m)
        load_s = time.perf_counter() - t0
        quality = {}
        if gold.is_file() and dev_input.is_file():
            dev, _ = read_papers([dev_input])
            ev = evaluate(list(extract_papers(dev, model=m)), read_gold(gold))
            quality = {k: round(ev.scores[k].f1, 3) for k in ("entities (micro)", "results", "results (strict)")}
        for w in workers or [1, 2]:
            t0 = time.perf_counter()
            n = sum(1 for _ in extract_papers(corpus, model=m, workers=w))
            dt = time.perf_counter() - t0
            rows.append({"pipeline": m or "blank en (kg)", "workers": w, "abstracts": n, "seconds": round(dt, 2),
                         "abstracts_per_s": round(n / dt, 1), "words_per_s": round(words / dt),
                         "load_s": round(load_s, 2),
                         "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                         **{f"dev F1 {k}": v for k, v in quality.items()}})
    t = Table(title=f"extraction: {len(papers)} papers x {repeat} = {len(corpus)} abstracts, {words} words")
    for c in rows[0]:
        t.add_column(c)
    for r in rows:
        t.add_row(*[str(v) for v in r.values()])
    Console(width=220).print(t)
    if json_out:
        json_out.write_text(json.dumps(rows, indent=1))


@app.command("run")
def run_cmd(
    size: Annotated[int, typer.Option(min=100, help="Largest corpus (1k and 10k below it are run too).")] = 100_000,
    workdir: Annotated[Path, typer.Option(help="Corpora, extraction outputs and Neo4j instances go here.")] = Path("/tmp/kg-bench"),
    json_out: Annotated[Path | None, typer.Option("--json", help="Write every figure as JSON here.")] = Path("bench-results.json"),
    heap: Annotated[str, typer.Option(help="Neo4j heap of the benchmark servers.")] = "3g",
    pagecache: Annotated[str, typer.Option(help="Neo4j page cache of the benchmark servers.")] = "2g",
    repeat: Annotated[int, typer.Option(min=5, help="Timed runs per saved query.")] = 40,
    peer_sample: Annotated[int, typer.Option(min=10, help="Abstracts for the en_core_web_sm peer.")] = 1000,
    naive_sample: Annotated[int, typer.Option(min=10, help="Papers for the one-MERGE-per-row peer.")] = 300,
    full: Annotated[bool, typer.Option(help="Every size with 1 and 2 workers and both layouts (slower).")] = False,
    skip_neo4j: Annotated[bool, typer.Option(help="Corpora and extraction only.")] = False,
) -> None:
    """The scale benchmark: one run, tables on stdout, JSON in --json."""
    from .run import run

    run(size, workdir, json_out, heap, pagecache, repeat, peer_sample, naive_sample, full, skip_neo4j)


@app.command("limits")
def limits_cmd(
    workdir: Annotated[Path, typer.Option(help="The hostile inputs are written here.")] = Path("/tmp/kg-bench-limits"),
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the rows as JSON here.")] = None,
) -> None:
    """Hostile inputs (issue #14): peak RSS of `kg extract` on a 20 kB gzip of 20 MB of
    newlines and on a 9 MB .txt.gz bomb (target: under 300 MB each), and the time to
    extract one abstract with 10,000 results (target: under 10 s). Each in its own process,
    timed as a whole with its peak RSS from the kernel (``ru_maxrss`` of the child)."""
    import gzip
    import os
    import subprocess

    workdir.mkdir(parents=True, exist_ok=True)
    newlines = workdir / "newlines.jsonl.gz"
    newlines.write_bytes(gzip.compress(b"\n" * 20_000_000, 9))
    bomb = workdir / "bomb.txt.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as f:  # about 9 MB compressed, 1.2 GB of text
        for _ in range(24):
            f.write(b"Title line\n" + b"word " * 10_000_000 + b"\n")
    many = workdir / "many-results.jsonl"
    # under the 200,000-character cap of an abstract, as the red team's case was
    abstract = " ".join(f"M{i} hits {10 + i % 80}.{i % 10}%." for i in range(10_000))
    many.write_text(json.dumps({"id": "many", "title": "Zorb0Net: ten thousand results", "abstract": abstract}) + "\n")
    kg = str(Path(sys.executable).with_name("kg"))
    rows = []
    for what, path in (("20 kB gzip of 20 MB newlines", newlines), (f"{bomb.stat().st_size / 1e6:.1f} MB .txt.gz bomb", bomb),
                       ("one abstract, 10,000 results", many)):
        # a wrapper process per run, so the peak RSS of its one child is this run's alone
        wrap = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
                "sys.stderr.write(p.stderr); print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", wrap, kg, "extract", str(path), "-o", str(workdir / "out.jsonl")],
                              capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
        dt = time.perf_counter() - t0
        code, peak_kb = proc.stdout.split()
        last = (proc.stderr.strip().splitlines() or [""])[-1]
        rows.append({"input": what, "exit": int(code), "seconds": round(dt, 1),
                     "peak_rss_mb": round(int(peak_kb) / 1024), "says": last[:60]})
    t = Table(title="kg extract on hostile inputs")
    for c in rows[0]:
        t.add_column(c)
    for r in rows:
        t.add_row(*[str(v) for v in r.values()])
    Console().print(t)
    if json_out:
        json_out.write_text(json.dumps(rows, indent=1))


@app.command("report")
def report_cmd(results: Annotated[Path, typer.Argument(help="The JSON that `bench run --json` wrote.")] = Path("bench-results.json")) -> None:
    """Print a `bench run` JSON as markdown tables (the body of BENCHMARKS.md)."""
    from .run import markdown

    sys.stdout.write(markdown(json.loads(results.read_text())))


if __name__ == "__main__":
    app()
