"""The bulk path: a first load of many papers through CSV and ``neo4j-admin database import full``.

``kg build --bulk`` into an **empty** database writes the graph as CSV files
(:func:`write_csv`), imports them offline with ``neo4j-admin database import full``
(:func:`import_csv`), then applies kg's constraints/indexes and the consolidation
passes (:func:`bulk_build` does all of it on the managed server). Incremental builds keep
the batched ``UNWIND ... MERGE`` path of :mod:`kg.store.writer`; both give the same graph.

**Same graph as the writer.** The nodes and relationships are the writer's
:class:`kg.graph.model.GraphBatch` (:func:`kg.graph.model.build_batch`), per chunk of
``batch_size`` records as the writer batches them (a chunk the schema refuses is redone
paper by paper and the failing papers are rejected, as the writer does). Entity nodes
are merged across chunks by :func:`kg.graph.model.merge_entity` (the rule of the writer's
MERGE), a Repository is written once per url, and ``loaded_at`` is the time
:func:`write_csv` started (one value for the whole load).

Only entity nodes (and the sets of paper ids and repository urls seen) are held in
memory; papers, results, claims and relationships stream to their files. A paper id seen
again is dropped (the first wins; ``CsvReport.duplicates`` counts them); the writer
instead skips an unchanged duplicate and replaces a changed one.

**Files** (in ``out_dir``; Neo4j Operations Manual, "Import" → "CSV header format"): one
node file per label (``Paper.csv``, ``Method.csv``, ...) and one relationship file per
type (``REPORTS.csv``, ...), each with its header on the first line, e.g.
``id:ID(Paper),title:string,...,sources:string[],...,loaded_at:datetime`` and
``:START_ID(Paper),:END_ID(Method),surface:string,rule:string``. Every ID space is the
label, so keys of different labels never clash. FLOAT is written as ``double``, INTEGER
as ``long`` (Cypher's own types). Every string is quoted (RFC 4180, a quote doubled), a
null is an empty unquoted field (so ``""`` stays an empty string: the importer's
``--ignore-empty-strings`` is off), array elements are separated by U+001F (unit
separator, ``--array-delimiter=U+001F``); a value holding U+001F cannot be written and
its paper is rejected. ``kg-bulk.json`` (the manifest) lists the files, the counts and
whether any value spans lines (then ``--multiline-fields=true``, which is slower, is
passed). An empty list (a Paper with no ``sources``) cannot be expressed in the CSV
format (it imports as no property), so :func:`bulk_build` sets those afterwards.

Errors: :class:`BulkError` (a :class:`kg.errors.KgError`), one line, never a password.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from kg.errors import Errors, KgError, one_line
from kg.graph.records import PaperRecord
from kg.graph.schema import SchemaError, load_schema
from kg.graph.model import ENTITY_LABELS, GraphBatch, build_batch, merge_entity

__all__ = ["BulkError", "BulkReport", "CsvReport", "ImportReport", "bulk_build", "import_command",
           "import_csv", "write_csv"]

ARRAY_DELIMITER = "\x1f"
MANIFEST = "kg-bulk.json"
_CSV_TYPE = {"STRING": "string", "LIST<STRING>": "string[]", "FLOAT": "double", "INTEGER": "long",
             "BOOLEAN": "boolean", "DATETIME": "datetime"}
# written by consolidation, never by the writer's rows
_NOT_LOADED = frozenset({"merged_from"})


class BulkError(KgError):
    """A bulk load could not be done (one line: what and why; the database is named)."""


class _Unwritable(SchemaError):
    """A value the CSV format cannot carry (it holds the array delimiter)."""


class _Null(float):
    """A null field: csv's QUOTE_NONNUMERIC leaves numbers unquoted, and this "number"
    prints as nothing, so a null is an empty unquoted field and "" a quoted empty string
    (Python 3.12's QUOTE_NOTNULL, on 3.11)."""

    def __str__(self) -> str:
        return ""

    __repr__ = __str__


_NULL = _Null()


@dataclass
class CsvReport:
    """What :func:`write_csv` wrote: ``nodes[label]`` and ``relationships[type]`` row counts,
    ``files`` (label or type → path), ``papers`` written, ``duplicates`` dropped, ``rejected``
    ``[(paper id, reason)]``, ``multiline`` (a value spans lines), ``longest`` value (chars), ``empty_lists``
    (``[label, property]`` that had an empty list), ``key_rules`` and ``seconds``."""

    out_dir: Path
    papers: int = 0
    duplicates: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    node_files: dict[str, str] = field(default_factory=dict)
    relationship_files: dict[str, str] = field(default_factory=dict)
    multiline: bool = False
    longest: int = 0
    empty_lists: list[list[str]] = field(default_factory=list)
    key_rules: Counter = field(default_factory=Counter)
    loaded_at: str = ""
    seconds: float = 0.0


@dataclass
class ImportReport:
    """What ``neo4j-admin database import full`` did: its counts, ``seconds``, the
    ``command`` it ran and the ``log`` file holding its output."""

    nodes: int = 0
    relationships: int = 0
    properties: int = 0
    seconds: float = 0.0
    command: list[str] = field(default_factory=list)
    log: Path | None = None


@dataclass
class BulkReport:
    """A bulk build: the CSV and import reports, the graph's counts afterwards (``labels``,
    ``rels``), the consolidation report and ``seconds`` per phase (csv, import, restart,
    schema, consolidate)."""

    csv: CsvReport
    imported: ImportReport
    labels: dict[str, int] = field(default_factory=dict)
    rels: dict[str, int] = field(default_factory=dict)
    consolidation: object | None = None
    seconds: dict[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------
# CSV


def _node_columns(schema: dict, label: str) -> list[tuple[str, str]]:
    return [(p, t) for p, t in schema["nodes"][label]["properties"].items() if p not in _NOT_LOADED]


def _node_header(schema: dict, label: str) -> list[str]:
    key = schema["nodes"][label]["key"]
    return [f"{p}:ID({label})" if p == key else f"{p}:{_CSV_TYPE[t]}" for p, t in _node_columns(schema, label)]


def _rel_header(schema: dict, rel: str) -> list[str]:
    spec = schema["relationships"][rel]
    return ([f":START_ID({spec['from']})", f":END_ID({spec['to']})"]
            + [f"{p}:{_CSV_TYPE[t]}" for p, t in spec.get("properties", {}).items()])


def _cell(value, kind: str, what: str):
    """One CSV field for a schema-typed value (see the module docstring)."""
    if value is None:
        return _NULL
    if kind == "LIST<STRING>":
        for v in value:
            if ARRAY_DELIMITER in v:
                raise _Unwritable(f"{what}: a value holds U+001F, the CSV array delimiter")
        return ARRAY_DELIMITER.join(value) if value else _NULL
    if kind == "BOOLEAN":
        return "true" if value else "false"
    if kind == "FLOAT":
        return float(value)
    return value


class _Out:
    """The open CSV files of one write, created on first use."""

    def __init__(self, out_dir: Path, schema: dict, report: CsvReport):
        self.dir, self.schema, self.report = out_dir, schema, report
        self._files: dict[str, tuple] = {}
        self.empty_lists: set[tuple[str, str]] = set()

    def _writer(self, name: str, header: list[str], rel: bool):
        if name not in self._files:
            path = self.dir / f"{name}.csv"
            fh = open(path, "w", encoding="utf-8", newline="")
            w = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
            w.writerow(header)
            self._files[name] = (fh, w)
            (self.report.relationship_files if rel else self.report.node_files)[name] = str(path)
        return self._files[name][1]

    def node_row(self, label: str, row: dict) -> list:
        """The CSV row of a node (raises :class:`_Unwritable`); nothing is written yet."""
        out = []
        ident = row.get(self.schema["nodes"][label]["key"])
        for p, t in _node_columns(self.schema, label):
            v = row.get(p)
            if t == "LIST<STRING>" and v is not None and not v:
                self.empty_lists.add((label, p))
            c = _cell(v, t, f"{label} {ident}")
            self._seen(c)
            out.append(c)
        return out

    def rel_row(self, rel: str, start: str, end: str, props: dict | None = None) -> list:
        spec = self.schema["relationships"][rel].get("properties", {})
        out = [start, end]
        for p, t in spec.items():
            c = _cell((props or {}).get(p), t, f"{rel} {start}")
            self._seen(c)
            out.append(c)
        self._seen(start)
        self._seen(end)
        return out

    def _seen(self, c) -> None:
        if isinstance(c, str):
            if "\n" in c or "\r" in c:
                self.report.multiline = True
            if len(c) > self.report.longest:
                self.report.longest = len(c)

    def write(self, kind: str, name: str, row: list) -> None:
        rel = kind == "rel"
        header = _rel_header(self.schema, name) if rel else _node_header(self.schema, name)
        self._writer(name, header, rel).writerow(row)
        counts = self.report.relationships if rel else self.report.nodes
        counts[name] = counts.get(name, 0) + 1

    def close(self) -> None:
        for fh, _ in self._files.values():
            fh.close()


def _plan(batch: GraphBatch, out: _Out) -> list:
    """What one chunk's :class:`kg.graph.model.GraphBatch` adds, as a list of deferred
    writes; raises :class:`_Unwritable` before anything is written or merged, so a refused
    chunk leaves no trace. Entity nodes and Repositories are merged at commit."""
    ops: list = []
    for n in batch.nodes:
        row = out.node_row(n.label, n.properties)  # validates the values (aliases) now
        ops.append((n.label if n.label in ENTITY_LABELS or n.label == "Repository" else "node", n, row))
    for r in batch.relationships:
        ops.append(("rel", r.type, out.rel_row(r.type, r.start[1], r.end[1], r.properties)))
    return ops


def _commit(ops: list, out: _Out, entities: dict[str, dict[str, dict]], repos: set[str]) -> None:
    for kind, x, row in ops:
        if kind in ENTITY_LABELS:
            entities[kind][x.key] = merge_entity(entities[kind].get(x.key), x)
        elif kind == "Repository":
            if x.key not in repos:
                repos.add(x.key)
                out.write("node", "Repository", row)
        elif kind == "node":
            out.write("node", x.label, row)
        else:
            out.write(kind, x, row)


def write_csv(records: Iterable[PaperRecord], out_dir: Path,
              progress: Callable[[int], None] | None = None, *, batch_size: int = 200,
              schema: dict | None = None) -> CsvReport:
    """Write ``records`` as import CSV files into ``out_dir`` and the manifest ``kg-bulk.json``;
    returns a :class:`CsvReport`. ``out_dir`` is created; it must be empty or hold an
    earlier write (whose files are replaced), else :class:`BulkError`.

    Records are read once, in chunks of ``batch_size`` (the writer's batch size, so that
    names resolve exactly as an incremental build with the same ``--batch-size``).
    ``progress`` is called with the number of records handled after each chunk. Papers
    the schema refuses are listed in ``report.rejected``; raises :class:`BulkError` when
    every paper of a chunk of several fails (as :class:`kg.store.writer.GraphWriter` does).
    """
    t0 = time.perf_counter()
    schema = schema or load_schema()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if (out_dir / MANIFEST).is_file():  # an earlier write: remove its files, nothing else
        m = _manifest(out_dir)
        for name in [*m.get("nodes", {}).values(), *m.get("relationships", {}).values(),
                     "import.log", "import.report", MANIFEST]:
            with contextlib.suppress(FileNotFoundError):
                (out_dir / Path(name).name).unlink()
    elif any(out_dir.iterdir()):
        raise BulkError(f"{out_dir} is not empty and holds no {MANIFEST}: give an empty or new directory for the CSV")
    report = CsvReport(out_dir=out_dir.resolve())
    loaded_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    report.loaded_at = loaded_at
    out = _Out(out_dir, schema, report)
    entities: dict[str, dict[str, dict]] = {lbl: {} for lbl in ENTITY_LABELS}
    repos: set[str] = set()
    seen: set[str] = set()
    handled = 0

    def attempt(chunk: list[PaperRecord]) -> None:
        batch = build_batch(chunk, schema)
        for n in batch.nodes:
            if n.label == "Paper":
                n.properties["loaded_at"] = loaded_at
        ops = _plan(batch, out)
        _commit(ops, out, entities, repos)
        report.key_rules.update(batch.key_rules)
        report.papers += len(chunk)

    def flush(chunk: list[PaperRecord]) -> None:
        try:
            attempt(chunk)
        except SchemaError:
            failed = []
            for rec in chunk:  # one bad paper must not cost the others
                try:
                    attempt([rec])
                except SchemaError as e:
                    failed.append((rec.id, one_line(e, typed=True)))
            if len(failed) == len(chunk) > 1:
                raise BulkError(f"every paper of the chunk starting at {chunk[0].id!r} failed: {failed[0][1]}") from None
            report.rejected.extend(failed)

    try:
        chunk: list[PaperRecord] = []
        for rec in records:
            handled += 1
            if rec.id in seen:
                report.duplicates += 1
                continue
            seen.add(rec.id)
            chunk.append(rec)
            if len(chunk) >= batch_size:
                flush(chunk)
                chunk = []
                if progress:
                    progress(handled)
        if chunk:
            flush(chunk)
        if progress:
            progress(handled)
        for label, nodes in entities.items():
            for node in nodes.values():
                out.write("node", label, out.node_row(label, node))
    finally:
        out.close()
    report.empty_lists = sorted([list(x) for x in out.empty_lists])
    report.seconds = time.perf_counter() - t0
    manifest = {
        "format": "kg-bulk/1", "loaded_at": loaded_at, "array_delimiter": "U+001F",
        "multiline": report.multiline, "longest_value": report.longest, "empty_lists": report.empty_lists,
        "nodes": {k: Path(v).name for k, v in report.node_files.items()},
        "relationships": {k: Path(v).name for k, v in report.relationship_files.items()},
        "counts": {"papers": report.papers, "duplicates": report.duplicates, "rejected": len(report.rejected),
                   "nodes": report.nodes, "relationships": report.relationships},
    }
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return report


# --------------------------------------------------------------------------
# neo4j-admin database import full


def _manifest(csv_dir: Path) -> dict:
    try:
        return json.loads((Path(csv_dir) / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BulkError(f"{csv_dir} holds no {MANIFEST}: write it with kg.store.bulk.write_csv (kg build --bulk --csv-dir)") from None
    except (OSError, ValueError) as e:
        raise BulkError(f"cannot read {Path(csv_dir) / MANIFEST}: {e}") from None


def import_args(csv_dir: Path, database: str = "neo4j") -> list[str]:
    """The arguments after ``neo4j-admin`` that import ``csv_dir`` (absolute paths):
    ``database import full <database> --overwrite-destination ... --nodes=Paper=...``.
    ``--bad-tolerance=0`` makes any bad row fail the import instead of being skipped."""
    csv_dir = Path(csv_dir).resolve()
    m = _manifest(csv_dir)
    # the database name first: --nodes/--relationships take one or more files, so a name after them is a file
    args = ["database", "import", "full", database, "--verbose", "--overwrite-destination=true", f"--array-delimiter={m['array_delimiter']}",
            "--delimiter=,", '--quote="', "--input-encoding=UTF-8", "--ignore-empty-strings=false",
            "--bad-tolerance=0", "--skip-bad-relationships=false", "--skip-duplicate-nodes=false", "--strict=true",
            f"--report-file={csv_dir / 'import.report'}"]
    if m.get("multiline"):
        args.append("--multiline-fields=true")
    # a read buffer must hold the longest value (default 4 MiB); 4 bytes per character at most
    need = 4 * int(m.get("longest_value", 0)) + 65536
    if need > 4 * 1024 * 1024:
        args.append(f"--read-buffer-size={need}")
    args += [f"--nodes={label}={csv_dir / name}" for label, name in m["nodes"].items()]
    args += [f"--relationships={rel}={csv_dir / name}" for rel, name in m["relationships"].items()]
    return args


def import_command(csv_dir: Path, database: str = "neo4j") -> str:
    """The shell command to run on a server's machine (its database stopped) to import
    ``csv_dir`` there: ``neo4j-admin database import full ...``, arguments shell-quoted."""
    import shlex

    return shlex.join(["neo4j-admin", *import_args(csv_dir, database)])


_IMPORTED = re.compile(r"^\s*(\d+)\s+(nodes|relationships|properties)\s*$")
_ERROR_LINE = re.compile(r"(?i)(error|exception|invalid|failed|cannot|unable|not allowed|duplicate)")
_CAUSE = re.compile(r"^Caused by: [\w.$]+: (.+)$")


def _first_error(output: str) -> str:
    """The tool's error as one line: with ``--verbose`` the importer prints the input
    error's ``original error:`` and ``data source: ... line:N``; else the deepest
    ``Caused by:`` message; else the first line that reads like an error."""
    lines = [" ".join(line.split()) for line in output.splitlines() if line.strip()]
    lines = [ln for ln in lines if not set(ln) <= set(". -%∆0123456789msk[]")]  # progress bars
    original = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("original error:")), None)
    if original:
        source = next((ln for ln in lines if ln.startswith("data source:")), "")
        where = re.search(r"\[source:([^,\]]+).*?(line:\s*\d+)", source)
        return (f"{where.group(1).strip()} {where.group(2)}: " if where else "") + original[:300]
    causes = [m.group(1) for m in map(_CAUSE.match, lines) if m]
    if causes:
        return causes[-1][:300]
    for i, ln in enumerate(lines):
        if _ERROR_LINE.search(ln) and not ln.startswith(("Critical error occurred", "WARNING", "IMPORT FAILED")):
            if ln.startswith("Error occurred during initialization of VM") and i + 1 < len(lines):
                ln = f"{ln}: {lines[i + 1]}"  # the JVM's reason is on the next line
            return ln[:300]
    return lines[-1][:300] if lines else "no output"


def import_csv(csv_dir: Path, *, instance_dir: Path | None = None, home: Path | None = None,
               database: str = "neo4j", heap: str = "1g") -> ImportReport:
    """Import ``csv_dir`` (written by :func:`write_csv`) into ``database`` of a managed
    instance (default: the default instance), replacing its store files
    (``--overwrite-destination``). The instance's server must be stopped.

    Runs ``java -Xmx<heap> -cp "<NEO4J_HOME>/lib/*" org.neo4j.server.startup.Neo4jAdminCommand
    database import full ...`` with ``NEO4J_HOME`` and ``NEO4J_CONF=<instance>/conf``, so the
    store lands in the instance's ``server.directories.data`` (the conf that
    :func:`kg.store.server.start` wrote). Its output goes to ``<csv_dir>/import.log``. Returns an
    :class:`ImportReport`; raises :class:`BulkError` with the tool's first error line.
    """
    from kg.store.server import admin_command, instance_path, status

    inst = instance_path(home, instance_dir)
    if not (inst / "conf" / "neo4j.conf").is_file():
        raise BulkError(f"{inst} has no conf/neo4j.conf: start the server once (`kg neo4j start`)")
    if status(home, instance_dir=inst) is not None:
        raise BulkError(f"the server of {inst} is running: stop it before importing (`kg neo4j stop`)")
    csv_dir = Path(csv_dir).resolve()
    args = import_args(csv_dir, database)
    cmd, env = admin_command(args, home, instance_dir=inst, heap=heap)
    log = csv_dir / "import.log"
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=csv_dir, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, errors="replace", check=False)
    except OSError as e:
        raise BulkError(f"could not run neo4j-admin ({cmd[0]}): {e.strerror or e}") from None
    seconds = time.perf_counter() - t0
    output = (proc.stdout or "") + ("\n" if proc.stdout and proc.stderr else "") + (proc.stderr or "")
    log.write_text(output, encoding="utf-8")
    if proc.returncode != 0:
        raise BulkError(f"neo4j-admin database import full into {database!r} failed (exit {proc.returncode}): "
                        f"{_first_error(output)}; full output in {log}")
    report = ImportReport(seconds=seconds, command=["neo4j-admin", *args], log=log)
    for line in output.splitlines():
        m = _IMPORTED.match(line)
        if m:
            setattr(report, m.group(2), int(m.group(1)))
    return report


# --------------------------------------------------------------------------
# end to end


def _stash(inst: Path, database: str, dest: Path) -> list[tuple[Path, Path]]:
    """Copy the (empty) database's store and transaction logs to ``dest`` (the server is
    stopped); returns ``[(original, copy)]`` for :func:`_restore`."""
    data = (inst / "data").resolve()
    saved = []
    for sub in ("databases", "transactions"):
        src = data / sub / database
        if src.is_dir():
            shutil.copytree(src, dest / sub, symlinks=True)
            saved.append((src, dest / sub))
    return saved


def _restore(saved: list[tuple[Path, Path]]) -> None:
    for src, copy in saved:
        shutil.rmtree(src, ignore_errors=True)
        shutil.copytree(copy, src, symlinks=True)


def finish(driver, database: str = "neo4j", csv_report: CsvReport | None = None) -> tuple[float, float, object]:
    """After an import: constraints and indexes (:meth:`GraphWriter.ensure_schema`), the empty
    lists the CSV could not carry, then :func:`kg.graph.consolidate.consolidate`. Returns
    ``(schema seconds, consolidate seconds, consolidation report)``."""
    from kg.graph.consolidate import consolidate
    from kg.store.writer import GraphWriter

    t0 = time.perf_counter()
    w = GraphWriter(driver, database=database)
    w.ensure_schema()
    for label, prop in (csv_report.empty_lists if csv_report else []):
        if label in w.schema["nodes"] and prop in w.schema["nodes"][label]["properties"]:
            driver.execute_query(f"MATCH (n:{label}) WHERE n.{prop} IS NULL SET n.{prop} = []", database_=database)
    t1 = time.perf_counter()
    cons = consolidate(driver, w.schema, database)
    return t1 - t0, time.perf_counter() - t1, cons


def bulk_build(records: Iterable[PaperRecord], *, instance_dir: Path | None = None, home: Path | None = None,
               database: str | None = None, csv_dir: Path | None = None, batch_size: int = 200,
               progress: Callable[[int], None] | None = None, import_heap: str = "1g") -> BulkReport:
    """Bulk-load ``records`` into the managed server's (empty) ``database`` (default: that
    of :func:`kg.store.connection.connection_settings`, i.e. ``NEO4J_DATABASE`` or neo4j).

    Refuses (:class:`BulkError`) when ``NEO4J_URI`` points elsewhere and no
    ``instance_dir`` is given, when the instance's server is not running, and when the
    database holds any node (nothing is read from ``records`` then). Otherwise: writes the
    CSV (into ``csv_dir``, kept; default a temporary dir under ``<instance>/import``,
    removed), stops the server, imports (:func:`import_csv`), starts it again on the same
    ports with the same heap and page cache (and password), applies the schema and runs
    the consolidation (:func:`finish`). When the import fails, the empty database's files
    (copied aside before) are put back and the server is restarted, then :class:`BulkError`
    is raised (the CSV dir is kept, with ``import.log``). Indexes or constraints created
    by hand on the empty database are not kept (the store is replaced); kg's are
    re-created. ``start()``'s ``extra_conf`` of the earlier start is not known here and is
    not re-applied. Returns a :class:`BulkReport`."""
    from neo4j.exceptions import DriverError, Neo4jError

    from kg.store.connection import NotConnectedError, connection_settings, open_driver
    from kg.store import server

    inst = server.instance_path(home, instance_dir)
    try:
        settings = connection_settings(instance_dir, home=home, database=database)
    except NotConnectedError as e:
        if instance_dir is None and os.environ.get("NEO4J_URI", "").strip():
            raise BulkError(str(e)) from None
        raise BulkError(f"the managed server of {inst} is not running: start it (`kg neo4j start`); "
                        "--bulk checks that its database is empty first") from None
    if settings.instance_dir is None:
        raise BulkError(Errors.E210.format(uri=settings.uri))
    info = server.status(home, instance_dir=inst)
    if info is None:
        raise BulkError(f"the managed server of {inst} stopped: start it (`kg neo4j start`)")
    database = settings.database
    restart = dict(server.last_start_options(home, instance_dir=inst),
                   bolt_port=info.bolt_port, http_port=info.http_port)

    driver = open_driver(settings)
    try:
        try:
            n = driver.execute_query("MATCH (n) RETURN count(n) AS n", database_=database,
                                     routing_="r").records[0]["n"]
        except (Neo4jError, DriverError) as e:
            raise BulkError(f"cannot read database {database!r} at {info.bolt_uri}: {one_line(e, typed=True)}") from None
    finally:
        driver.close()
    if n:
        raise BulkError(f"database {database!r} at {info.bolt_uri} is not empty ({n} nodes): --bulk only "
                        "loads an empty database; use `kg build` without --bulk to add papers")

    tmp = None
    if csv_dir is None:
        (inst / "import").mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix="bulk-", dir=inst / "import"))
    seconds: dict[str, float] = {}
    ok = attempted = False
    try:
        csv_report = write_csv(records, Path(csv_dir or tmp), progress, batch_size=batch_size)
        seconds["csv"] = csv_report.seconds
        if not csv_report.papers:
            raise BulkError("no paper to import (every record was rejected or a duplicate)")
        t0 = time.perf_counter()
        server.stop(home, instance_dir=inst)
        seconds["restart"] = time.perf_counter() - t0
        attempted = True
        stash = Path(tempfile.mkdtemp(prefix="bulk-stash-", dir=inst))
        try:
            saved = _stash(inst, database, stash)
            try:
                imported = import_csv(csv_report.out_dir, instance_dir=inst, home=home, database=database,
                                      heap=import_heap)
                seconds["import"] = imported.seconds
            except BaseException:
                _restore(saved)  # a failed import leaves a store the server cannot open
                raise
            finally:  # the server comes back even when the import failed
                t1 = time.perf_counter()
                server.start(home, instance_dir=inst, **restart)
                seconds["restart"] += time.perf_counter() - t1
        finally:
            shutil.rmtree(stash, ignore_errors=True)
        ok = True
    finally:
        if tmp is not None and (ok or not attempted):  # kept when the import failed: import.log is in it
            shutil.rmtree(tmp, ignore_errors=True)
    driver = open_driver(settings)
    try:
        try:
            seconds["schema"], seconds["consolidate"], cons = finish(driver, database, csv_report)
            from kg.store.writer import GraphWriter

            labels, rels = GraphWriter(driver, database=database).counts()
        except (Neo4jError, DriverError) as e:
            raise BulkError(f"after the import into {database!r}: {one_line(e, typed=True)}") from None
    finally:
        driver.close()
    return BulkReport(csv=csv_report, imported=imported, labels=labels, rels=rels, consolidation=cons,
                      seconds=seconds)
