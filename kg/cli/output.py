"""What every ``kg`` command prints: tables, JSON or CSV on stdout; one-line errors, rejects
and progress on stderr."""

from __future__ import annotations

import csv
import enum
import functools
import inspect
import io
import json
import os
import re
import sys
from collections.abc import Callable
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from kg.errors import Errors, one_line

# A terminal gives its own width and so does ``COLUMNS`` (rich reads it when width is None,
# as the POSIX shell variable is meant: https://pubs.opengroup.org/onlinepubs/9799919799/
# basedefs/V1_chap08.html); a pipe or file without COLUMNS gets 160 columns, so that
# ``kg query ... > out.txt`` keeps whole rows.
out = Console(width=None if sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit() else 160)
err = Console(stderr=True)
CELL_MAX = 80  # table cells are cut here; --format json/csv give full values


FAIL_MAX = 1000  # characters of an error line


class Format(str, enum.Enum):
    """Every ``--format`` of kg's commands (each takes the ones it can print, see
    :func:`output_options`)."""

    table = "table"
    json = "json"
    csv = "csv"
    cypher = "cypher"  # kg schema only


TABULAR = (Format.table, Format.json, Format.csv)


def output_options(func: Callable | None = None, *, formats: tuple[Format, ...] = TABULAR) -> Callable:
    """Decorator (like sqlite-utils' ``output_options``) that gives a command
    ``--format/-f`` with the choices ``formats`` (the first is the default); the command
    takes it as its parameter ``fmt: Format``."""
    def decorate(func: Callable) -> Callable:
        sig = inspect.signature(func, eval_str=True)
        if "fmt" not in sig.parameters:
            raise TypeError(f"{func.__name__} needs a parameter fmt to use @output_options")
        choices = [f.value for f in formats]
        option = typer.Option("--format", "-f", help=f"Output format: {' | '.join(choices)}.")
        given = inspect.Parameter("format", inspect.Parameter.KEYWORD_ONLY, default=choices[0],
                                  annotation=Annotated[Literal[tuple(choices)], option])

        @functools.wraps(func)
        def command(*args: Any, format: str = choices[0], **kwargs: Any) -> Any:
            return func(*args, fmt=Format(format), **kwargs)

        params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for name, p in sig.parameters.items()
                  if name != "fmt"]
        command.__signature__ = sig.replace(parameters=[*params, given])  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in (*params, given)}
        if sig.return_annotation is not inspect.Signature.empty:
            command.__annotations__["return"] = sig.return_annotation
        return command

    return decorate(func) if func is not None else decorate


def fail(exc: BaseException | str, code: int = 2) -> typer.Exit:
    """Print ``exc`` as one line (:func:`kg.errors.one_line`) on stderr and return the Exit
    to raise (the message is text, never rich markup: a path or a server message may hold
    ``[/]``)."""
    err.print(f"[bold red]error:[/] {escape(plain(one_line(exc, limit=FAIL_MAX)))}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def say_rejected(what: str, reason: str) -> None:
    """One ``rejected <what>: <reason>`` line on stderr; both are printed as text."""
    err.print(f"[yellow]rejected[/] {escape(plain(what))}: {escape(plain(reason))}", highlight=False, soft_wrap=True)


def parse_params(params: list[str] | None) -> dict[str, str]:
    """``["k=v", ...]`` from repeated ``-p`` options → ``{k: v}``; a pair without ``=`` is a
    usage error (raises the Exit of :func:`fail`)."""
    given: dict[str, str] = {}
    for p in params or []:
        if "=" not in p:
            raise fail(Errors.E301.format(param=p))
        k, v = p.split("=", 1)
        given[k.strip()] = v
    return given


def emit(columns: list[str], rows: list[list[Any]], fmt: Format, title: str | None = None,
         cell_max: int | None = CELL_MAX) -> None:
    """Print rows as a rich table, JSON (a list of objects) or CSV. In a table a cell longer
    than ``cell_max`` characters is cut with "…" (None: never cut, it wraps at words)."""
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
            # a cell is text, never rich markup ("[/INST]" in an abstract broke a leaderboard)
            # and never a terminal control sequence (an ESC from the input)
            t.add_row(*[Text(plain(c if cell_max is None or len(c) <= cell_max else c[: cell_max - 1] + "…"))
                        for c in cells])
        out.print(t)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain(text: str) -> str:
    """``text`` safe to print: control characters (ESC, BEL, ...) shown as U+FFFD (#14 D5)."""
    return _CONTROL.sub("\ufffd", text)


def say(message: str, *, console: Console | None = None) -> None:
    """Print a message that may hold user data (paths, ids, names) as plain text: no rich
    markup is read from it and no control character reaches the terminal."""
    (console or err).print(Text(plain(message)), soft_wrap=True)


def progress(what: str) -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=False, disable=not err.is_terminal)
