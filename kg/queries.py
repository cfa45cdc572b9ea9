"""Saved queries: ``queries/*.cypher`` files with a metadata header, run read-only.

Header lines (``//`` comments before the first Cypher line)::

    // name: leaderboard
    // description: one line
    // param: dataset STRING required example=ImageNet-1K  -- help text
    // param: limit INTEGER default=20
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

from .errors import KgError

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
TYPES = {"STRING": str, "INTEGER": int, "FLOAT": float, "BOOLEAN": bool}
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
            return TYPES[p.type](value) if not isinstance(value, bool) else None
        except (TypeError, ValueError):
            pass
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
                dm = re.search(r"default=(\S+)", rest)
                em = re.search(r"example=(.+?)\s*$", rest)
                p = Param(pm.group("name"), pm.group("type"), "required" in rest.split(), None,
                          em.group(1) if em else None, pm.group("help") or "")
                if dm:
                    p = Param(p.name, p.type, p.required, convert(path.stem, p, dm.group(1)), p.example, p.help)
                params.append(p)
            else:
                meta[key] = val
        elif line.strip() or body:
            body.append(line)
    if "name" not in meta or not body:
        raise QueryError(f"{path}: a saved query needs a '// name:' header and a Cypher body")
    cols = tuple(c.strip() for c in meta.get("columns", "").split(",") if c.strip())
    return SavedQuery(meta["name"], meta.get("description", ""), tuple(params), cols, "\n".join(body).strip(), path)


def list_queries(directory: Path = QUERIES_DIR) -> dict[str, SavedQuery]:
    """All saved queries of ``directory`` by name."""
    out = {}
    for p in sorted(directory.glob("*.cypher")):
        q = parse_query(p)
        out[q.name] = q
    return out


def get_query(name: str, directory: Path = QUERIES_DIR) -> SavedQuery:
    """One saved query by name; :class:`QueryError` lists the valid names if unknown."""
    qs = list_queries(directory)
    if name not in qs:
        raise QueryError(f"no saved query {name!r}; valid: {', '.join(qs)}")
    return qs[name]


def run_read(driver: Driver, cypher: str, params: dict[str, Any], *, database: str | None = None,
             timeout: float = 30.0, max_rows: int = 10_000) -> tuple[list[str], list[list[Any]]]:
    """Run Cypher in a managed read transaction; returns ``(columns, rows)``.

    ``timeout`` (seconds) is sent as the transaction timeout; at most ``max_rows`` rows
    are returned. A write attempt fails on the server (read access mode).
    """
    @unit_of_work(timeout=timeout)
    def work(tx):
        res = tx.run(cypher, params)
        keys = list(res.keys())
        rows = []
        for rec in res:
            rows.append([rec[k] for k in keys])
            if len(rows) >= max_rows:
                break
        return keys, rows

    with driver.session(database=database, default_access_mode="READ") as s:
        return s.execute_read(work)


def run_saved(driver: Driver, name: str, given: dict[str, Any], *, database: str | None = None,
              directory: Path = QUERIES_DIR) -> tuple[list[str], list[list[Any]]]:
    """Validate ``given`` against the header of saved query ``name`` and run it read-only."""
    q = get_query(name, directory)
    return run_read(driver, q.cypher, q.bind(given), database=database)
