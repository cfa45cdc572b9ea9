"""``kg neo4j ...``: install, start, stop and inspect the managed Neo4j server.

Mounted by the main app with ``app.add_typer(neo4j.app, name="neo4j")``.
No command ever prints the password; ``status`` shows where its file is. Exit codes as
every kg command's (README "Exit codes"): 2 with one line on stderr for an error; ``status``
exits 3 when the server is not running (LSB "program is not running").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from kg.cli.output import Format, fail, out, output_options
from kg.errors import KgError
from kg.store.server import manager

app = typer.Typer(
    help=(
        "Run a local Neo4j Community server (jars from Maven Central, no Docker). "
        "It listens on 127.0.0.1 only; the password of user neo4j is in "
        "<instance>/password (mode 0600)."
    ),
    no_args_is_help=True,
)

NOT_RUNNING_EXIT = 3  # LSB "program is not running"


_INSTANCE_OPTION = typer.Option(
    None,
    "--instance-dir",
    help="Instance directory (conf, data, logs, password). Default: "
    "<KG_HOME or ~/.cache/kg>/neo4j-<version>/instances/default.",
    file_okay=False,
)


def _show(info: manager.ServerInfo, title: str) -> None:
    out.print(_table(info, title))
    # on its own line so that terminals keep the URL clickable and unbroken
    out.print(f"Neo4j Browser: {escape(info.browser_url)}", soft_wrap=True, highlight=False)


def _table(info: manager.ServerInfo, title: str) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("key", style="bold")
    table.add_column("value", overflow="fold")
    rows = [
        ("version", f"Neo4j {info.version} Community"),
        ("pid", str(info.pid)),
        ("bolt", f"{info.bolt_uri}  (port {info.bolt_port})"),
        ("http", f"{info.http_url}  (port {info.http_port})"),
        ("user", info.username),
        ("password", f"in {info.instance_dir / 'password'}"),
        ("data dir", str(info.data_dir)),
        ("log", str(info.log_file)),
        ("instance", str(info.instance_dir)),
    ]
    for key, value in rows:
        table.add_row(key, escape(value))
    return table


@app.command()
def install(
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress lines."),
) -> None:
    """Fetch the Neo4j jars with Maven (once; later calls return at once)."""
    try:
        home = manager.install(quiet=quiet)
    except KgError as exc:
        raise fail(exc) from None
    if not quiet:
        out.print(f"Neo4j {manager.NEO4J_VERSION} installed in {escape(str(home))}")


@app.command()
def start(
    bolt_port: int = typer.Option(manager.DEFAULT_BOLT_PORT, help="Bolt port on 127.0.0.1."),
    http_port: int = typer.Option(manager.DEFAULT_HTTP_PORT, help="HTTP (Browser) port on 127.0.0.1."),
    heap: str = typer.Option("512m", help="JVM heap (-Xms/-Xmx), e.g. 512m, 1g."),
    pagecache: str = typer.Option("256m", help="server.memory.pagecache.size."),
    timeout: float = typer.Option(120, help="Seconds to wait for Bolt to answer."),
    instance_dir: Optional[Path] = _INSTANCE_OPTION,
) -> None:
    """Start the server in the background (installing it first if needed).

    If the instance already runs, shows it and changes nothing.
    """
    try:
        running = manager.status(instance_dir=instance_dir)
        if running is None and not manager.is_installed():
            manager.install(quiet=False)
        info = manager.start(
            instance_dir=instance_dir, bolt_port=bolt_port, http_port=http_port,
            heap=heap, pagecache=pagecache, timeout=timeout,
        )
    except KgError as exc:
        raise fail(exc) from None
    title = "Neo4j already running" if running is not None else "Neo4j started"
    _show(info, title)


@app.command()
def stop(
    timeout: float = typer.Option(60, help="Seconds to wait before SIGKILL."),
    instance_dir: Optional[Path] = _INSTANCE_OPTION,
) -> None:
    """Stop the server (clean shutdown, SIGKILL after --timeout)."""
    try:
        stopped = manager.stop(instance_dir=instance_dir, timeout=timeout)
    except KgError as exc:
        raise fail(exc) from None
    out.print("Neo4j stopped" if stopped else "Neo4j was not running")


@app.command()
@output_options(formats=(Format.table, Format.json))
def status(
    instance_dir: Optional[Path] = _INSTANCE_OPTION,
    fmt: Format = Format.table,
) -> None:
    """Show pid, ports, version, data dir and Browser URL.  Exit code 3 if not running."""
    info = manager.status(instance_dir=instance_dir)
    if fmt == Format.json:
        payload = {"running": info is not None, **(info.to_dict() if info else {})}
        typer.echo(json.dumps(payload, indent=2))
    elif info is None:
        out.print("Neo4j is not running (start it with `kg neo4j start`)", soft_wrap=True)
    else:
        _show(info, "Neo4j running")
    if info is None:
        raise typer.Exit(NOT_RUNNING_EXIT)
