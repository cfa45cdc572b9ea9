"""The graph schema (``schema/graph.json``) as kg uses it: DDL and record validation.

``graph.json`` is the single description of labels, keys, property types, relationship
types, constraints and indexes. The loader applies :func:`schema_statements` before
writing, and :func:`check_rows` validates every batch of node or relationship rows
against the declared property names and types before it reaches Neo4j.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.errors import KgError
from kg.resources import schema_dir

_PY_TYPES = {
    "STRING": (str,),
    "INTEGER": (int,),
    "FLOAT": (float, int),
    "BOOLEAN": (bool,),
    "LIST<STRING>": (list, tuple),
    "DATETIME": (str,),
}


# Neo4j's range index holds keys up to about 8 kB (Operations manual, "Index limitations");
# kg keeps well below it.
MAX_KEY_BYTES = 4000


class SchemaError(KgError):
    """A row does not fit the graph schema (the message names the row and property)."""


@lru_cache(maxsize=4)
def _load(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def load_schema(path: Path | None = None) -> dict:
    """The graph schema as a dict (a fresh copy each call)."""
    return json.loads(_load(str(path or schema_dir() / "graph.json")))


def schema_statements(schema: dict | None = None) -> list[str]:
    """``CREATE CONSTRAINT/INDEX ... IF NOT EXISTS`` statements for the schema.

    One uniqueness constraint per node label on its key property (Neo4j Cypher manual,
    "Constraints": a uniqueness constraint is backed by a range index), and the range
    indexes the schema lists.
    """
    schema = schema or load_schema()
    out = []
    for label, spec in schema["nodes"].items():
        key = spec["key"]
        out.append(f"CREATE CONSTRAINT {label.lower()}_{key}_unique IF NOT EXISTS FOR (n:{label}) REQUIRE n.{key} IS UNIQUE")
    for ix in schema.get("indexes", []):
        out.append(f"CREATE INDEX {ix['label'].lower()}_{ix['property']} IF NOT EXISTS FOR (n:{ix['label']}) ON (n.{ix['property']})")
    return out


def check_value(kind: str, value: Any) -> bool:
    """Whether ``value`` fits the schema type ``kind`` (None always fits: optional)."""
    if value is None:
        return True
    if kind.startswith("LIST<"):
        return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
    if kind in ("INTEGER", "FLOAT") and isinstance(value, bool):
        return False
    return isinstance(value, _PY_TYPES[kind])


def check_rows(schema: dict, label: str, rows: list[dict], *, relationship: bool = False,
               ignore: frozenset[str] = frozenset()) -> None:
    """Validate rows of node (or relationship) ``label`` against the schema.

    Keys in ``ignore`` (endpoint keys such as ``paper``) are not properties. Raises
    :class:`SchemaError` naming the row's id/key, the property and the reason.
    """
    spec = (schema["relationships"] if relationship else schema["nodes"]).get(label)
    if spec is None:
        raise SchemaError(f"{label!r} is not a {'relationship type' if relationship else 'label'} of the schema")
    props = spec.get("properties", {})
    key = spec.get("key")
    for row in rows:
        ident = row.get("id") or row.get("key") or row.get("url") or row.get("paper") or "?"
        for k, v in row.items():
            if k in ignore:
                continue
            if k not in props:
                raise SchemaError(f"{label} {ident}: property {k!r} is not in the schema")
            if not check_value(props[k], v):
                raise SchemaError(f"{label} {ident}: property {k!r} must be {props[k]}, got {type(v).__name__}")
            if k == key and isinstance(v, str) and len(v.encode("utf-8")) > MAX_KEY_BYTES:
                raise SchemaError(f"{label} {ident[:60]}...: key {k!r} is {len(v.encode('utf-8'))} bytes, "
                                  f"more than the {MAX_KEY_BYTES} a Neo4j range index holds")
