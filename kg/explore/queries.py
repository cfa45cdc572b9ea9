"""Saved queries: ``queries/*.cypher`` files with a metadata header, run read-only.

Header lines (``//`` comments before the first Cypher line)::

    // name: leaderboard
    // description: one line
    // param: dataset STRING required example=ImageNet-1K  -- help text
    // param: limit INTEGER default=20
    // param: task STRING default='' example=object detection  -- '' (the default) means any
    // columns: rank, method, value

Parameter types are Cypher's: STRING, INTEGER, FLOAT, BOOLEAN. Values given on the
command line as text are converted to the declared type; unknown names, missing
required ones and bad values raise :class:`QueryError` listing what is valid. Values
travel only as Cypher parameters, never as query text. Queries run in a managed read
transaction (``Session.execute_read``) with the driver's READ access mode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neo4j import Driver, unit_of_work
from neo4j.exceptions import DriverError, Neo4jError
from neo4j.graph import Node, Path as GraphPath, Relationship

from kg.errors import KgError, one_line
from kg.resources import queries_dir

QUERIES_DIR = queries_dir()
TYPES = {"STRING": str, "INTEGER": int, "FLOAT": float, "BOOLEAN": bool}
# Cypher's INTEGER is a signed 64-bit integer (Cypher manual, "Property, structural and
# constructed values"); Bolt cannot carry a larger Python int (the driver raised OverflowError)
INT64 = (-(2**63), 2**63 - 1)
_PARAM = re.compile(r"^(?P<name>\w+)\s+(?P<type>[A-Z]+)(?P<rest>.*?)(?:\s+--\s+(?P<help>.*))?$")


class QueryError(KgError):
    """A saved query is missing, malformed, or called with bad parameters."""


@dataclass(frozen=True)
class Param:
    """One declared parameter of a saved query."""

    name: str
    type: str
    required: bool
    default: Any
    example: str | None
    help: str


@dataclass(frozen=True)
class SavedQuery:
    """A parsed ``.cypher`` file."""

    name: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    cypher: str
    path: Path

    def bind(self, given: dict[str, str | Any]) -> dict[str, Any]:
        """Validate and convert parameters; returns the dict to pass to the driver.

        Raises :class:`QueryError` for unknown or missing parameters and bad values.
        """
        names = {p.name for p in self.params}
        unknown = sorted(set(given) - names)
        if unknown:
            raise QueryError(f"query {self.name!r}: unknown parameter(s) {', '.join(unknown)}; "
                             f"valid: {', '.join(sorted(names)) or '(none)'}")
        out: dict[str, Any] = {}
        for p in self.params:
            if p.name in given:
                out[p.name] = convert(self.name, p, given[p.name])
            elif p.required:
                raise QueryError(f"query {self.name!r}: missing required parameter {p.name!r} ({p.type}"
                                 f"{', e.g. ' + p.example if p.example else ''})")
            else:
                out[p.name] = p.default
        return out


def convert(query: str, p: Param, value: Any) -> Any:
    """Convert a parameter value (often text from the command line) to ``p.type``."""
    if value is None:
        return None
    if p.type == "STRING":
        return str(value)
    if p.type == "BOOLEAN":
        if isinstance(value, bool):
            return value
        s = str(value).strip().lower()
        if s in ("true", "1", "yes"):
            return True
        if s in ("false", "0", "no"):
            return False
    else:
        try:
            v = TYPES[p.type](value) if not isinstance(value, bool) else None
        except (TypeError, ValueError):
            v = None
        if p.type == "INTEGER" and v is not None and not INT64[0] <= v <= INT64[1]:
            raise QueryError(f"query {query!r}: parameter {p.name!r} is out of range for INTEGER "
                             f"(a signed 64-bit integer, {INT64[0]}..{INT64[1]}), got {value!r}")
        if v is not None:
            return v
    raise QueryError(f"query {query!r}: parameter {p.name!r} must be {p.type}, got {value!r}")


def parse_query(path: Path) -> SavedQuery:
    """Parse one saved query file; raises :class:`QueryError` naming the file and line."""
    meta: dict[str, str] = {}
    params: list[Param] = []
    body: list[str] = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = re.match(r"^//\s*(\w+):\s*(.*)$", line)
        if m and not body:
            key, val = m.group(1), m.group(2).strip()
            if key == "param":
                pm = _PARAM.match(val)
                if not pm or pm.group("type") not in TYPES:
                    raise QueryError(f"{path}:{i}: bad param line (want 'name TYPE [required] [default=V] [example=V]')")
                rest = pm.group("rest")
                dm = re.search(r"default=('[^']*'|\"[^\"]*\"|\S+)", rest)
                em = re.search(r"example=(.+?)\s*$", rest)
                p = Param(pm.group("name"), pm.group("type"), "required" in rest.split(), None,
                          em.group(1) if em else None, pm.group("help") or "")
                if dm:
                    raw = dm.group(1)
                    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
                        raw = raw[1:-1]  # a quoted default: default='' is the empty string
                    p = Param(p.name, p.type, p.required, convert(path.stem, p, raw), p.example, p.help)
                params.append(p)
            else:
                meta[key] = val
        elif line.strip() or body:
            body.append(line)
    if "name" not in meta or not body:
        raise QueryError(f"{path}: a saved query needs a '// name:' header and a Cypher body")
    cols = tuple(c.strip() for c in meta.get("columns", "").split(",") if c.strip())
    return SavedQuery(meta["name"], meta.get("description", ""), tuple(params), cols, "\n".join(body).strip(), path)


def list_queries(directory: Path = QUERIES_DIR, suffix: str = ".cypher") -> dict[str, SavedQuery]:
    """All saved queries of ``directory`` with file ``suffix`` (``.cypher`` or ``.sparql``) by name."""
    out = {}
    for p in sorted(directory.glob(f"*{suffix}")):
        q = parse_query(p)
        out[q.name] = q
    return out


def get_query(name: str, directory: Path = QUERIES_DIR, suffix: str = ".cypher") -> SavedQuery:
    """One saved query by name; :class:`QueryError` lists the valid names if unknown."""
    qs = list_queries(directory, suffix)
    if name not in qs:
        kind = "SPARQL query" if suffix == ".sparql" else "query"
        raise QueryError(f"no saved {kind} {name!r}; valid: {', '.join(qs) or '(none)'}")
    return qs[name]


_PLAN_PREFIX = re.compile(r"^\s*(?:EXPLAIN|PROFILE)\b", re.I)
_LOAD = re.compile(r"load", re.I)


def _operators(plan: dict | None):
    if plan:
        yield plan.get("operatorType", "")
        for child in plan.get("children", []):
            yield from _operators(child)


def _refuse_load_csv(tx, cypher: str, params: dict[str, Any]) -> None:
    """Raise :class:`QueryError` when the query's plan reads a CSV file: a read-only query
    must not fetch URLs or read files for its caller (#14: ``LOAD CSV FROM 'http://...'``
    ran in read mode). Asked of the server with ``EXPLAIN`` when the text holds "load" at
    all, so comments and strings cannot hide it and other queries pay no round trip."""
    if not _LOAD.search(cypher):
        return  # LOAD CSV must be written out (no way to build a keyword): no extra round trip
    plan = tx.run("EXPLAIN " + _PLAN_PREFIX.sub("", cypher), params).consume().plan
    if any(op.startswith("LoadCSV") for op in _operators(plan)):
        raise QueryError("LOAD CSV is not allowed in a read-only query (it reads files or URLs)")


def run_read(driver: Driver, cypher: str, params: dict[str, Any], *, database: str | None = None,
             timeout: float = 30.0, max_rows: int = 10_000) -> tuple[list[str], list[list[Any]]]:
    """Run Cypher in a managed read transaction; returns ``(columns, rows)``.

    ``timeout`` (seconds) is sent as the transaction timeout; at most ``max_rows`` rows
    are returned. A write attempt fails on the server (read access mode).
    """
    @unit_of_work(timeout=timeout)
    def work(tx):
        _refuse_load_csv(tx, cypher, params)
        res = tx.run(cypher, params)
        keys = list(res.keys())
        rows = []
        for rec in res:
            rows.append([rec[k] for k in keys])
            if len(rows) >= max_rows:
                break
        return keys, rows

    try:
        with driver.session(database=database, default_access_mode="READ") as s:
            return s.execute_read(work)
    except Neo4jError as e:
        code = e.code or ""
        msg = one_line(e.message or e)
        if "AccessMode" in code or "ForbiddenDueToTransactionType" in code or ("write" in msg.lower() and "read" in msg.lower()):
            raise QueryError(f"queries run read-only, and this one writes ({code or 'refused'}): {msg}") from None
        raise QueryError(f"the server refused the query ({code or 'no code'}): {msg}") from None
    except DriverError as e:
        raise QueryError(f"the query failed: {one_line(e, typed=True)}") from None


def run_saved(driver: Driver, name: str, given: dict[str, Any], *, database: str | None = None,
              directory: Path = QUERIES_DIR) -> tuple[list[str], list[list[Any]]]:
    """Validate ``given`` against the header of saved query ``name`` and run it read-only."""
    q = get_query(name, directory)
    return run_read(driver, q.cypher, q.bind(given), database=database)


def parse_value(text: str) -> Any:
    """A ``-p`` value for ad-hoc Cypher: JSON when it parses (numbers, true/false/null,
    lists, maps, "quoted strings"), else the text itself.

    Raises :class:`QueryError` for an integer (anywhere in a list or map) that Cypher's
    signed 64-bit INTEGER cannot hold.
    """
    import json

    try:
        value = json.loads(text)
    except ValueError:
        return text

    def check(v: Any) -> None:
        if isinstance(v, int) and not isinstance(v, bool) and not INT64[0] <= v <= INT64[1]:
            raise QueryError(f"parameter value {text[:40]!r} holds an integer out of range for Cypher's INTEGER "
                             f"(a signed 64-bit integer)")
        for x in v.values() if isinstance(v, dict) else v if isinstance(v, list) else ():
            check(x)

    check(value)
    return value


_CAPTION = {"Paper": "title", "Claim": "type", "Repository": "url", "Result": None}


def node_caption(node: Node) -> str:
    """A short label for a node: ``Method RT-DETR-R50``, ``Result 2.2 %``, ``Paper <title>``."""
    labels = sorted(node.labels)
    label = labels[0] if labels else ""
    if label == "Result":
        unit = node.get("unit") or ""
        text = f"{node.get('value')}{' ' + unit if unit else ''}"
    else:
        key = _CAPTION.get(label, "name")
        text = str(node.get(key) or node.get("name") or node.get("id") or node.get("key") or node.element_id)
    if len(text) > 60:
        text = text[:59] + "…"
    return f"{label} {text}".strip()


def plain(value: Any, *, structured: bool = False) -> Any:
    """Graph values made printable: nodes as ``(Label caption)``, relationships as
    ``[:TYPE]``, paths as ``(a)<-[:R]-(b)-[:S]->(c)``; lists of those element-wise.

    With ``structured`` (for JSON), nodes and relationships become dicts of their
    properties plus ``_labels`` / ``_type`` and paths lists of them; other values pass.
    """
    if isinstance(value, Node):
        if structured:
            return {"_labels": sorted(value.labels), **dict(value)}
        return f"({node_caption(value)})"
    if isinstance(value, Relationship):
        if structured:
            return {"_type": value.type, **dict(value)}
        return f"[:{value.type}]"
    if isinstance(value, GraphPath):
        if structured:
            return {"nodes": [plain(n, structured=True) for n in value.nodes],
                    "relationships": [plain(r, structured=True) for r in value.relationships]}
        out, current = f"({node_caption(value.start_node)})", value.start_node
        for rel in value.relationships:
            forward = rel.start_node is not None and rel.start_node.element_id == current.element_id
            nxt = rel.end_node if forward else rel.start_node
            out += (f"-[:{rel.type}]->" if forward else f"<-[:{rel.type}]-") + f"({node_caption(nxt)})"
            current = nxt
        return out
    if isinstance(value, (list, tuple)):
        return [plain(v, structured=structured) for v in value]
    if isinstance(value, dict):
        return {k: plain(v, structured=structured) for k, v in value.items()}
    return value
