"""``kg export rdf`` and ``kg sparql``: the RDF export, its SHACL validation, and saved
SPARQL queries over an export. Parsing only; the work is in :mod:`kg.export.rdf` and
:mod:`kg.export.sparql`.
"""

from __future__ import annotations

import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.output import Format, emit, err, fail, output_options, parse_params, plain, say
from kg.errors import KgError, one_line
from kg.files import check_output, output_file
from kg.export.rdf import DEFAULT_BASE

app = typer.Typer(help="Export the graph.", no_args_is_help=True)

VIOLATIONS_SHOWN = 20


@app.command("rdf")
def rdf(output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; default stdout.")] = None,
        format: Annotated[str, typer.Option("--format", help="turtle | nt | jsonld | xml")] = "turtle",
        base: Annotated[str, typer.Option(help="Base IRI of kg's resources.")] = DEFAULT_BASE,
        records: Annotated[Path | None, typer.Option("--records", help="Export a `kg extract` JSONL instead of the "
                                                     "Neo4j graph; no server needed.")] = None,
        validate: Annotated[bool, typer.Option("--validate", help="Check the export against schema/shapes.ttl "
                                               "(SHACL, pyshacl); exit 1 on violations.")] = False,
        batch_size: Annotated[int, typer.Option(min=1, help="Nodes per read from Neo4j.")] = 5000) -> None:
    """Export the graph as RDF: schema.org papers, ML Schema results, PROV-O provenance.

    N-Triples is written as it is read; the other formats are built in memory first.
    """
    from kg.export.rdf import iter_record_triples, iter_triples, rdf_format, write_rdf

    try:
        rdf_format(format)
    except KgError as e:
        raise fail(e) from None
    t0 = time.perf_counter()
    try:
        with ExitStack() as stack:
            if output is not None:
                check_output(output)  # before the export's work: a bad -o fails at once
            if records is not None:
                from kg.ingest.extractions import read_records

                triples = iter_record_triples(list(read_records(records)), base=base)
            else:
                from kg.store.connection import connect

                conn = stack.enter_context(connect(during=" during the export"))
                triples = iter_triples(conn.driver, base=base, database=conn.database, batch_size=batch_size)
            if output is not None:
                with output_file(output, "wb") as f:
                    n, graph = write_rdf(triples, f, format, base=base, keep=validate)
            else:
                n, graph = write_rdf(triples, sys.stdout.buffer, format, base=base, keep=validate)
                sys.stdout.buffer.flush()
    except KgError as e:
        raise fail(e) from None
    except Exception as e:  # noqa: BLE001 - I/O and serialiser errors: one line, no traceback
        raise fail(f"export failed: {one_line(e, typed=True)}") from None
    where = str(output) if output else "stdout"
    say(f"wrote {n} triples ({format}) to {where} in {time.perf_counter() - t0:.1f}s")
    if validate:
        _report_validation(graph)


def _report_validation(graph) -> None:
    from rich.table import Table
    from rich.text import Text

    from kg.export.rdf import SHAPES, validate

    v = validate(graph)
    if v.conforms:
        err.print(f"valid: the export conforms to {SHAPES.name} ({v.seconds:.1f}s)", highlight=False)
        return
    by_constraint: dict[str, int] = {}
    for row in v.violations:
        by_constraint[row["constraint"]] = by_constraint.get(row["constraint"], 0) + 1
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(by_constraint.items(), key=lambda kv: -kv[1]))
    err.print(f"[bold red]invalid:[/] {len(v.violations)} SHACL violations of {SHAPES.name} ({kinds})",
              highlight=False, soft_wrap=True)
    t = Table(title=f"first {min(VIOLATIONS_SHOWN, len(v.violations))} violations")
    for c in ("focus node", "path", "value", "constraint", "message"):
        t.add_column(c, overflow="fold")
    for row in v.violations[:VIOLATIONS_SHOWN]:
        t.add_row(*[Text(plain(_short(row[k]))) for k in ("focus", "path", "value", "constraint", "message")])
    err.print(t)
    raise typer.Exit(1)


def _cell(value):
    """Lists of scalars as ``a; b`` in tables and CSV (SPARQL rows hold none, but stay safe)."""
    if isinstance(value, list):
        return "; ".join("" if v is None else str(v) for v in value)
    return value


def _short(text: str | None, limit: int = 70) -> str:
    if text is None:
        return ""
    return one_line(text, limit=limit)


@output_options
def sparql(name: Annotated[str | None, typer.Argument(help="Saved SPARQL query name (see --list).")] = None,
           param: Annotated[list[str] | None, typer.Option("--param", "-p", help="key=value, repeatable.")] = None,
           rdf: Annotated[Path | None, typer.Option("--rdf", help="An RDF export to query (`kg export rdf -o FILE`).")] = None,
           rdf_format: Annotated[str | None, typer.Option("--rdf-format", help="turtle | nt | jsonld | xml; "
                                                          "default: from the file suffix.")] = None,
           list_: Annotated[bool, typer.Option("--list", help="List the saved SPARQL queries.")] = False,
           show: Annotated[bool, typer.Option("--show", help="Print the query's SPARQL (without the header).")] = False,
           fmt: Format = Format.table) -> None:
    """Run a saved SPARQL query from queries/*.sparql over an RDF export (rdflib)."""
    from kg.export.rdf import load_rdf
    from kg.export.sparql import get_sparql, list_sparql, run_sparql

    try:
        if list_ or not name:
            qs = list_sparql()
            rows = [[q.name, q.description, ", ".join(f"{p.name}:{p.type}{'' if p.required else '=' + repr(p.default)}"
                                                     for p in q.params)] for q in qs.values()]
            emit(["name", "description", "parameters"], rows, fmt, title="saved SPARQL queries")
            return
        q = get_sparql(name)
        if show:
            sys.stdout.write(q.cypher + "\n")
            return
        given = parse_params(param)
        q.bind(given)  # bad parameters fail before the (slower) parse of the export
        if rdf is None:
            raise fail("give the RDF export to query with --rdf FILE (write one with `kg export rdf -o FILE`)")
        t0 = time.perf_counter()
        graph = load_rdf(rdf, rdf_format)
        t1 = time.perf_counter()
        cols, rows = run_sparql(graph, q, given)
        t2 = time.perf_counter()
    except KgError as e:
        raise fail(e) from None
    if fmt != Format.json:
        rows = [[_cell(v) for v in r] for r in rows]
    emit(cols, rows, fmt, title=f"{name} ({len(rows)} rows)")
    err.print(f"{len(graph)} triples read in {t1 - t0:.1f}s, query {t2 - t1:.2f}s", highlight=False)
