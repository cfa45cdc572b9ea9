"""The ``kg`` command line. It parses arguments and calls kg's functions; no logic lives here.

Exit codes: 0 = everything went through; 1 = done, but some input records were
rejected (listed, and written to ``--rejects`` when given); 2 = nothing usable, bad
usage, or an error (one line on stderr, no traceback).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress

from kg.cli import export as export_cli
from kg.cli import neo4j as neo4j_cli
from kg.cli.output import Format, emit, err, fail, out, output_options, parse_params, progress, say, say_rejected
from kg.errors import Errors, KgError

app = typer.Typer(help="kg: a knowledge graph of ML methods, datasets, metrics, results and claims.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
app.add_typer(neo4j_cli.app, name="neo4j")
app.add_typer(export_cli.app, name="export")
app.command("sparql")(export_cli.sparql)


def _feed(inputs: list[Path], rejects: Path | None, shard: str | None = None):
    """The papers of ``inputs`` (:class:`kg.ingest.feed.Feed`), each reject printed on stderr."""
    from kg.ingest.feed import Feed

    return Feed(inputs, rejects, shard, on_reject=say_rejected)


def _extract(papers, workers: int, model: str | None, prog: Progress, as_json: bool = False):
    """Records (or with ``as_json`` their JSON lines) of ``papers`` (a
    :class:`kg.ingest.feed.Feed` or list), streamed, with a progress bar."""
    from kg.ingest.extract import extract_papers

    task = prog.add_task("extract", total=len(papers))
    yield from extract_papers(papers, workers=workers, model=model, as_json=as_json,
                              progress=lambda n: prog.update(task, completed=n))


Inputs = Annotated[list[Path], typer.Argument(help="Listing .txt files, JSONL / arXiv snapshot files, or directories.")]
Workers = Annotated[int, typer.Option("--workers", "-w", min=1, help="Extraction processes.")]
Model = Annotated[str | None, typer.Option(help="Optional spaCy pipeline to build on (e.g. en_core_web_sm); default: blank English.")]
Rejects = Annotated[Path | None, typer.Option(help="Write rejected input records here as JSONL with reasons.")]
Shard = Annotated[str | None, typer.Option(help="Only papers of shard i of n (0 <= i < n), e.g. 0/4: split by a hash of "
                                                "the paper id, so n runs on any machines cover the input once.")]


@app.command()
def extract(inputs: Inputs, output: Annotated[Path, typer.Option("--output", "-o", help="JSONL file to write.")],
            workers: Workers = 1, model: Model = None, rejects: Rejects = None, shard: Shard = None) -> None:
    """Read papers and write one extraction record (JSON) per paper, streaming."""
    from kg.files import check_output
    from kg.ingest.extractions import write_jsonl

    try:
        t0 = time.perf_counter()
        check_output(output)
        feed = _feed(inputs, rejects, shard)
        feed.require_papers()
        with progress("extract") as prog:
            n = write_jsonl(_extract(feed, workers, model, prog, as_json=True), output)
        dt = time.perf_counter() - t0
        say(f"extracted {n} papers to {output} in {dt:.1f}s ({n / dt:.0f} papers/s); {feed.rejects} rejected")
    except KgError as e:
        raise fail(e) from None
    if feed.rejects:
        raise typer.Exit(1)


@app.command("eval")
@output_options
def eval_(gold: Annotated[Path, typer.Option(help="Gold JSONL (GUIDELINES.md format).")],
          input: Annotated[Path | None, typer.Option("--input", help="Papers to extract (JSONL with id/title/abstract).")] = None,
          predictions: Annotated[Path | None, typer.Option(help="Score an existing `kg extract` output instead.")] = None,
          explain: Annotated[bool, typer.Option(help="List false positives and negatives per record.")] = False,
          folds: Annotated[int, typer.Option("--folds", min=1, help="Split the gold records into K folds by id (SHA-1 mod K).")] = 1,
          fold: Annotated[str | None, typer.Option("--fold", help="Score only these folds, e.g. 3,4 (with --folds).")] = None,
          model: Model = None, fmt: Format = Format.table) -> None:
    """Score extraction against gold annotations: P/R/F1 per entity type, results and code URLs.

    The matching rules are those of ../shared/gold/score.py. Example, the held-out folds
    of the honest protocol:  kg eval --gold ../shared/gold/dev.jsonl --input
    ../shared/gold/dev_input.jsonl --folds 5 --fold 3,4
    """
    from kg.learn.evaluate import evaluate, read_gold
    from kg.ingest.extract import extract_papers
    from kg.ingest.extractions import read_records
    from kg.ingest.papers import read_papers

    try:
        gold_records = read_gold(gold)
        if fold is not None:
            from kg.learn.evaluate import fold_of

            try:
                wanted = {int(f) for f in fold.split(",") if f.strip()}
            except ValueError:
                raise fail(f"--fold takes fold numbers like 3,4, not {fold!r}") from None
            if not wanted or any(not 0 <= f < folds for f in wanted):
                raise fail(f"--fold {fold}: folds are numbered 0 to {folds - 1} (--folds {folds})")
            gold_records = [g for g in gold_records if fold_of(g["id"], folds) in wanted]
        if predictions:
            preds = list(read_records(predictions))
        elif input:
            papers, _ = read_papers([input])
            preds = list(extract_papers(papers, model=model))
        else:
            raise fail("give --input (papers to extract) or --predictions (a `kg extract` output)")
        ev = evaluate(preds, gold_records)
    except KgError as e:
        raise fail(e) from None
    cols = ["category", "tp", "fp", "fn", "precision", "recall", "f1"]
    rows = [[c, tp, fp, fn, round(p, 3), round(r, 3), round(f, 3)] for c, tp, fp, fn, p, r, f in ev.rows()]
    if explain and fmt == Format.table:
        for e in ev.errors:
            lines = [f"  {k} FP: {e.fp.get(k)}  FN: {e.fn.get(k)}" for k in e.fp if e.fp.get(k) or e.fn.get(k)]
            if lines:
                say(e.id, console=out)
                for line in lines:
                    say(line, console=out)
    if fmt == Format.json and explain:
        sys.stdout.write(json.dumps({"scores": [dict(zip(cols, r)) for r in rows],
                                     "errors": [{"id": e.id, "fp": e.fp, "fn": e.fn} for e in ev.errors]}, indent=1) + "\n")
    else:
        where = f", folds {fold} of {folds}" if fold is not None else ""
        emit(cols, rows, fmt, title=f"kg eval: {ev.n_records} gold records{where}")
    if ev.missing:
        say(f"{len(ev.missing)} gold records had no prediction: {', '.join(ev.missing[:10])}")


@app.command("train")
@output_options
def train_(gold: Annotated[Path, typer.Option(help="Gold JSONL (GUIDELINES.md format) to train on.")],
           input: Annotated[Path, typer.Option("--input", help="The gold records' papers (JSONL with id/title/abstract).")],
           output: Annotated[Path | None, typer.Option("--output", "-o", help="Directory to save the trained span classifier in.")] = None,
           folds: Annotated[int, typer.Option("--folds", min=2, help="K folds by id (SHA-1 mod K) for --cross-validate.")] = 5,
           cross_validate: Annotated[bool, typer.Option("--cross-validate", help="Train on K-1 folds, score the held-out "
                                                        "one; print F1 per fold and mean ± std.")] = False,
           epochs: Annotated[int, typer.Option(min=1, help="Training epochs.")] = 20,
           fmt: Format = Format.table) -> None:
    """Train the learned span classifier (spaCy spancat over the rule candidates).

    --cross-validate scores rules vs rules + classifier on held-out folds instead of saving a model.
    A saved model is used with extractors.build_pipeline(learned=DIR).

    Example:  kg train --gold G.jsonl --input I.jsonl --output /tmp/kg-model

    Example:  kg train --gold G.jsonl --input I.jsonl --folds 5 --cross-validate
    """
    from kg.learn.evaluate import read_gold
    from kg.learn.train import CATEGORIES, read_inputs, summary, train_classifier
    from kg.learn.train import cross_validate as run_cv

    try:
        gold_records = read_gold(gold)
        inputs = read_inputs(input)
    except (KgError, OSError, ValueError) as e:
        raise fail(e) from None
    if not cross_validate:
        if output is None:
            raise fail("give --output DIR (where the trained classifier goes) or --cross-validate")
        train_classifier(gold_records, inputs, output, epochs=epochs)
        say(f"trained on {len(gold_records)} gold records; saved to {output}")
        return
    table = run_cv(gold_records, inputs, folds, epochs=epochs)
    cols = ["pipeline", "fold", *CATEGORIES]
    rows = [[name, str(i), *(round(r[c], 3) for c in CATEGORIES)] for name, rs in table.items() for i, r in enumerate(rs)]
    rows += [[name, "mean±std", *(f"{m:.3f}±{sd:.3f}" for m, sd in summary(rs).values())] for name, rs in table.items()]
    emit(cols, rows, fmt, title=f"kg train --cross-validate: F1, {folds} folds")


def _write(records, force: bool, batch_size: int, prog: Progress, total: int | None = None,
           files: list[Path] | None = None):
    """Load ``records`` (any iterable, consumed once), or the extraction ``files``
    (:meth:`GraphWriter.write_files`), with a progress task, into the database of
    :func:`kg.store.connection.connection_settings`; returns ``(report, nodes per label,
    relationships per type)``."""
    from kg.store.connection import connect
    from kg.store.writer import GraphWriter

    with connect(during=" during the load") as conn:
        w = GraphWriter(conn.driver, database=conn.database, batch_size=batch_size)
        task = prog.add_task("load", total=total)
        tick = lambda n: prog.update(task, completed=n)  # noqa: E731
        report = w.write_files(files, force=force, progress=tick) if files else w.write(records, force=force, progress=tick)
        labels, rels = w.counts()
    return report, labels, rels


def _print_counts(labels: dict[str, int], rels: dict[str, int], fmt: Format) -> None:
    rows = [["node", k, v] for k, v in labels.items()] + [["relationship", k, v] for k, v in rels.items()]
    emit(["kind", "name", "count"], rows, fmt, title="graph")


def _bulk(records, csv_dir: Path | None, no_import: bool, instance_dir: Path | None, batch_size: int,
          fmt: Format) -> int:
    """``kg build --bulk``: :func:`kg.store.bulk.bulk_build` (or, with ``--no-import``, only
    :func:`kg.store.bulk.write_csv` and the neo4j-admin command to run); returns papers rejected."""
    from kg.store import bulk

    t0 = time.perf_counter()
    if no_import:
        if csv_dir is None:
            raise bulk.BulkError("--no-import needs --csv-dir DIR (where the CSV files go)")
        rep = bulk.write_csv(records, csv_dir, batch_size=batch_size)
        _print_counts(rep.nodes, rep.relationships, fmt)
        rejected, papers, dups = rep.rejected, rep.papers, rep.duplicates
        phases = f"csv {rep.seconds:.1f}s"
    else:
        rep = bulk.bulk_build(records, instance_dir=instance_dir, csv_dir=csv_dir, batch_size=batch_size)
        _print_counts(rep.labels, rep.rels, fmt)
        rejected, papers, dups = rep.csv.rejected, rep.csv.papers, rep.csv.duplicates
        phases = ", ".join(f"{k} {v:.1f}s" for k, v in rep.seconds.items())
    for pid, reason in rejected:
        say_rejected(f"paper {pid}", reason)
    err.print(f"bulk: {papers} papers ({dups} duplicate ids dropped, {len(rejected)} rejected) in "
              f"{time.perf_counter() - t0:.1f}s ({phases})")
    if no_import:
        err.print("import it on the server's machine, its database stopped, then start it and run "
                  "`kg load /dev/null` (kg's constraints and consolidation):")
        from kg.store.connection import resolve_database

        sys.stdout.write(bulk.import_command(csv_dir, resolve_database()) + "\n")
    return len(rejected)


BatchSize = Annotated[int, typer.Option(min=1, help="Papers per write transaction (and per CSV chunk with --bulk).")]
Force = Annotated[bool, typer.Option(help="Rewrite papers already stored with the same content.")]
Bulk = Annotated[bool, typer.Option("--bulk", help="First load into an EMPTY database: write CSV and run "
                                    "`neo4j-admin database import full` on the managed server.")]
CsvDir = Annotated[Path | None, typer.Option(help="With --bulk: write the CSV files here (kept).")]
NoImport = Annotated[bool, typer.Option("--no-import", help="With --bulk: only write the CSV (--csv-dir) and print "
                                        "the neo4j-admin command, for a server kg does not manage.")]
InstanceDir = Annotated[Path | None, typer.Option(help="With --bulk: the managed instance to load "
                                                  "(default: the default instance).")]


@app.command()
@output_options
def build(inputs: Inputs, workers: Workers = 1, model: Model = None, rejects: Rejects = None, force: Force = False,
          batch_size: BatchSize = 1000, fmt: Format = Format.table,
          bulk: Bulk = False, csv_dir: CsvDir = None, no_import: NoImport = False,
          instance_dir: InstanceDir = None) -> None:
    """Ingest, extract and load into Neo4j, streaming; ends with counts per label and relationship type."""
    t0 = time.perf_counter()
    try:
        feed = _feed(inputs, rejects)
        feed.require_papers()
        with progress("build") as prog:
            records = _extract(feed, workers, model, prog)
            if bulk:
                if _bulk(records, csv_dir, no_import, instance_dir, batch_size, fmt) + feed.rejects:
                    raise typer.Exit(1)
                return
            report, labels, rels = _write(records, force, batch_size, prog, feed.total)
    except KgError as e:
        raise fail(e) from None
    _finish_write(report, labels, rels, fmt, feed.rejects,
                  f"built from {feed.total} papers ({report.written} written, {report.skipped} unchanged, "
                  f"{{rejected}} rejected) in {time.perf_counter() - t0:.1f}s")


def _finish_write(report, labels: dict[str, int], rels: dict[str, int], fmt: Format, input_rejects: int,
                  summary: str) -> None:
    """Counts, then each paper the writer rejected, then ``summary`` (``{rejected}`` filled
    in); exit 1 when anything was rejected."""
    _print_counts(labels, rels, fmt)
    for pid, reason in report.rejected:
        say_rejected(f"paper {pid}", reason)
    n_rej = input_rejects + len(report.rejected)
    err.print(summary.format(rejected=n_rej))
    if n_rej:
        raise typer.Exit(1)


@app.command()
@output_options
def load(extractions: Annotated[list[Path], typer.Argument(help="`kg extract` JSONL files (e.g. the shards of "
                                                           "`kg extract --shard i/n`).")],
         force: Force = False, batch_size: BatchSize = 1000, fmt: Format = Format.table,
         bulk: Bulk = False, csv_dir: CsvDir = None, no_import: NoImport = False,
         instance_dir: InstanceDir = None) -> None:
    """Load extraction JSONL files into Neo4j (no extraction), streaming; --bulk into an empty database."""
    from itertools import chain

    from kg.ingest.extractions import read_records

    t0 = time.perf_counter()
    try:
        records = chain.from_iterable(read_records(p) for p in extractions)
        with progress("load") as prog:
            if bulk:
                if _bulk(records, csv_dir, no_import, instance_dir, batch_size, fmt):
                    raise typer.Exit(1)
                return
            report, labels, rels = _write(None, force, batch_size, prog, files=extractions)
    except KgError as e:
        raise fail(e) from None
    _finish_write(report, labels, rels, fmt, 0,
                  f"loaded {report.written} papers ({report.skipped} unchanged, {{rejected}} rejected) "
                  f"in {time.perf_counter() - t0:.1f}s")


@app.command()
@output_options
def query(name: Annotated[str | None, typer.Argument(help="Saved query name (see --list).")] = None,
          param: Annotated[list[str] | None, typer.Option("--param", "-p", help="key=value, repeatable.")] = None,
          list_: Annotated[bool, typer.Option("--list", help="List the saved queries.")] = False,
          cypher: Annotated[str | None, typer.Option("--cypher", help="Run this ad-hoc Cypher instead, read-only; "
                                                     "-p values are JSON when they parse (5, true, \"x\"), else text.")] = None,
          fmt: Format = Format.table) -> None:
    """Run a saved Cypher query from queries/ (or --cypher) in a read transaction."""
    from kg.explore.queries import get_query, list_queries, parse_value, plain, run_read
    from kg.store.connection import connect

    try:
        if cypher is not None and name:
            raise fail(Errors.E302)
        if cypher is None and (list_ or not name):
            qs = list_queries()
            rows = [[q.name, q.description, ", ".join(f"{p.name}:{p.type}{'' if p.required else '=' + repr(p.default)}"
                                                     for p in q.params)] for q in qs.values()]
            emit(["name", "description", "parameters"], rows, fmt, title="saved queries", cell_max=None)
            return
        given = parse_params(param)
        if cypher is not None:
            if not cypher.strip():
                raise fail(Errors.E303)
            text, bound, title = cypher, {k: parse_value(v) for k, v in given.items()}, "cypher"
        else:
            q = get_query(name)
            text, bound, title = q.cypher, q.bind(given), name
        with connect(during=" during the query") as conn:
            cols, rows = run_read(conn.driver, text, bound, database=conn.database)
    except KgError as e:
        raise fail(e) from None
    structured = fmt == Format.json
    rows = [[plain(v, structured=structured) if structured else _cell(plain(v)) for v in r] for r in rows]
    emit(cols, rows, fmt, title=f"{title} ({len(rows)} rows)")


def _cell(value: Any) -> Any:
    """Lists of scalars as ``a; b`` in tables and CSV."""
    if isinstance(value, list) and all(not isinstance(v, (list, dict)) for v in value):
        return "; ".join("" if v is None else str(v) for v in value)
    return value


@app.command()
def browse(name: Annotated[str | None, typer.Argument(help="Saved query name (see kg query --list).")] = None,
           param: Annotated[list[str] | None, typer.Option("--param", "-p", help="key=value, repeatable.")] = None,
           http: Annotated[str | None, typer.Option("--http", help="The server's HTTP address (default: managed server, or NEO4J_URI's host on 7474).")] = None,
           style: Annotated[bool, typer.Option("--style", help="Print the :style command that applies kg's Browser style instead.")] = False) -> None:
    """Print a Neo4j Browser URL that opens a saved query with its parameters filled in."""
    from kg.explore.browser import saved_query_url
    from kg.graph.style import style_command

    try:
        if style or not name:
            sys.stdout.write(style_command() + "\n")
            return
        given = parse_params(param)
        if len(given) != len(param or []):
            raise fail("parameters are key=value")
        sys.stdout.write(saved_query_url(name, {k.strip(): v for k, v in given.items()}, http) + "\n")
    except KgError as e:
        raise fail(e) from None


@app.command()
def viz(name: Annotated[str | None, typer.Argument(help="Saved query to draw; none: the whole graph, capped.")] = None,
        output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path("graph.html"),
        param: Annotated[list[str] | None, typer.Option("--param", "-p", help="key=value, repeatable.")] = None,
        cypher: Annotated[str | None, typer.Option("--cypher", help="Draw the result of this read-only Cypher.")] = None,
        records: Annotated[Path | None, typer.Option("--records", help="Draw a `kg extract` JSONL; no server needed.")] = None,
        limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many nodes (whole graph or --records).")] = 300) -> None:
    """Write a self-contained HTML view (no CDN, opens offline) of a query result or the graph."""
    from kg.export.viz import build_graph, write_html

    try:
        given = parse_params(param)
        g, title = build_graph(name, {k.strip(): v for k, v in given.items()}, cypher=cypher, records=records, max_nodes=limit)
        size = write_html(g, output, title)
    except KgError as e:
        raise fail(e) from None
    say(f"wrote {output}: {len(g.nodes)} nodes, {len(g.rels)} relationships ({size / 1e6:.1f} MB)")


@app.command()
@output_options(formats=(Format.table, Format.json, Format.cypher))
def schema(fmt: Format = Format.table) -> None:
    """Print the graph schema: labels, keys, properties, relationship types, constraints."""
    from kg.graph.schema import load_schema, schema_statements

    s = load_schema()
    if fmt == Format.json:
        sys.stdout.write(json.dumps(s, indent=1) + "\n")
    elif fmt == Format.cypher:
        sys.stdout.write(";\n".join(schema_statements(s)) + ";\n")
    else:
        emit(["label", "key", "properties"], [[k, v["key"], ", ".join(f"{p}:{t}" for p, t in v["properties"].items())]
                                              for k, v in s["nodes"].items()], Format.table, title="nodes")
        emit(["type", "from", "to"], [[k, v["from"], v["to"]] for k, v in s["relationships"].items()], Format.table,
             title="relationships")


@app.command()
@output_options
def stats(fmt: Format = Format.table) -> None:
    """Counts per label and relationship type, entity resolution by rule, result gaps."""
    from kg.explore.stats import graph_stats
    from kg.store.connection import connect

    try:
        with connect(during=" reading the statistics") as conn:
            st = graph_stats(conn.driver, conn.database)
    except KgError as e:
        raise fail(e) from None
    if fmt == Format.json:
        sys.stdout.write(json.dumps(st.__dict__, indent=1, default=str) + "\n")
        return
    _print_counts(st.labels, st.relationships, fmt)
    emit(["label", "rule", "mentions", "surface_forms", "nodes"],
         [[r["label"], r["rule"], r["mentions"], r["surface_forms"], r["nodes"]] for r in st.link_rules], fmt,
         title="entity resolution: paper links by rule")
    emit(["label", "nodes", "absorbed"], [[r["label"], r["nodes"], r["absorbed"]] for r in st.merged]
         or [["(none)", 0, 0]], fmt, title="acronym merges")
    g = st.result_gaps
    emit(["what", "count"], [["VARIANT_OF links", st.variants], ["results", g.get("results", 0)],
                             ["results without dataset", g.get("without_dataset", 0)],
                             ["results without metric", g.get("without_metric", 0)],
                             ["results without method", g.get("without_method", 0)]], fmt, title="results and variants")


@app.command()
@output_options
def resolve(name: Annotated[str, typer.Argument(help="A surface form or node key, e.g. LLaMA2-70B.")],
            inputs: Annotated[list[Path] | None, typer.Argument(help="Papers or a `kg extract` JSONL file.")] = None,
            explain: Annotated[bool, typer.Option("--explain", help="Show every mention and the rule behind its node.")] = True,
            fmt: Format = Format.table) -> None:
    """Show which mentions of NAME became which node, and why."""
    from kg.graph.resolve import explain as explain_rows

    try:
        records = _records_from(inputs or [])
    except KgError as e:
        raise fail(e) from None
    rows = explain_rows(records, name)
    if not rows:
        raise fail(f"no entity named {name!r} in the input")
    cols = list(rows[0])
    emit(cols, [[r[c] for c in cols] for r in rows], fmt, title=f"resolution of {name!r}")


def _records_from(inputs: list[Path]):
    """Records of a `kg extract` JSONL file, else extracted from paper inputs (:func:`kg.ingest.feed.records_from`)."""
    from kg.ingest.feed import records_from

    return records_from(inputs, on_reject=say_rejected)


@app.command()
@output_options
def analytics(inputs: Annotated[list[Path] | None, typer.Argument(help="Papers or a `kg extract` JSONL; default: the Neo4j graph.")] = None,
              top: Annotated[int, typer.Option(help="Rows to show.")] = 20,
              graphml: Annotated[Path | None, typer.Option(help="Write the co-evaluation network as GraphML here.")] = None,
              fmt: Format = Format.table) -> None:
    """Methods ranked by distinct benchmarks, and the co-evaluation network (networkx)."""
    from kg.explore.analytics import benchmark_coverage, coevaluation, neo4j_graph, staged_graph, write_graphml
    from kg.store.connection import connect

    try:
        if inputs:
            g = staged_graph(_records_from(inputs))
        else:
            with connect(during=" reading the graph") as conn:
                g = neo4j_graph(conn.driver, conn.database)
    except KgError as e:
        raise fail(e) from None
    cov = benchmark_coverage(g)[:top]
    emit(["method", "benchmarks", "which"], [[m, n, "; ".join(b)] for m, n, b in cov], fmt,
         title="methods by distinct benchmarks (dataset / metric)")
    co = coevaluation(g)
    edges = sorted(co.edges(data=True), key=lambda e: (-e[2]["weight"] - e[2]["direct"], co.nodes[e[0]]["name"]))[:top]
    emit(["method_a", "method_b", "shared_datasets", "direct_comparisons"],
         [[co.nodes[a]["name"], co.nodes[b]["name"], d["weight"], d["direct"]] for a, b, d in edges], fmt,
         title=f"co-evaluation network ({co.number_of_nodes()} methods, {co.number_of_edges()} links)")
    if graphml:
        write_graphml(co, graphml)
        say(f"wrote {graphml}")


@app.command()
def remove(paper_id: Annotated[str, typer.Argument(help="Paper id to delete with its results and claims.")]) -> None:
    """Remove one paper and everything only it supported."""
    from kg.store.connection import connect
    from kg.store.writer import GraphWriter

    try:
        with connect(during=" removing the paper") as conn:
            existed = GraphWriter(conn.driver, database=conn.database).remove_paper(paper_id)
    except KgError as e:
        raise fail(e) from None
    if not existed:
        raise fail(f"no paper {paper_id!r} in the graph")
    say(f"removed paper {paper_id}")


def main() -> None:
    """Console-script entry point."""
    import logging

    # the driver logs each retried transient error (deadlocks between concurrent loads) as a
    # warning with the server's whole message; retries are expected, so only errors show
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    app()
