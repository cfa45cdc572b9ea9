"""What every ``kg`` command prints: tables, JSON or CSV on stdout; one-line errors, rejects
and progress on stderr."""

from __future__ import annotations

import csv
import enum
import io
import json
import sys
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

out = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True)
CELL_MAX = 80  # table cells are cut here; --format json/csv give full values


class Format(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"


def fail(exc: Exception | str, code: int = 2) -> typer.Exit:
    """Print one line on stderr and return the Exit to raise (the message is text, never
    rich markup: a path or a server message may hold ``[/]``)."""
    err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def say_rejected(what: str, reason: str) -> None:
    """One ``rejected <what>: <reason>`` line on stderr; both are printed as text."""
    err.print(f"[yellow]rejected[/] {escape(what)}: {escape(reason)}", highlight=False, soft_wrap=True)


def parse_params(params: list[str] | None) -> dict[str, str]:
    """``["k=v", ...]`` from repeated ``-p`` options → ``{k: v}``; a pair without ``=`` is a
    usage error (raises the Exit of :func:`fail`)."""
    given: dict[str, str] = {}
    for p in params or []:
        if "=" not in p:
            raise fail(f"parameter {p!r} is not key=value")
        k, v = p.split("=", 1)
        given[k.strip()] = v
    return given


def emit(columns: list[str], rows: list[list[Any]], fmt: Format, title: str | None = None) -> None:
    """Print rows as a rich table, JSON (a list of objects) or CSV."""
    if fmt == Format.json:
        sys.stdout.write(json.dumps([dict(zip(columns, r)) for r in rows], default=str, ensure_ascii=False, indent=1) + "\n")
    elif fmt == Format.csv:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(columns)
        w.writerows(rows)
        sys.stdout.write(buf.getvalue())
    else:
        t = Table(title=title, show_lines=False)
        for c in columns:
            t.add_column(c, overflow="fold")
        for r in rows:
            cells = ["" if v is None else (f"{v:g}" if isinstance(v, float) else str(v)) for v in r]
            t.add_row(*[c if len(c) <= CELL_MAX else c[: CELL_MAX - 1] + "…" for c in cells])
        out.print(t)


def progress(what: str) -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=False, disable=not err.is_terminal)
