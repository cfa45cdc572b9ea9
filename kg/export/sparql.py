"""Saved SPARQL queries (``queries/*.sparql``) over an RDF export, with rdflib.

A ``.sparql`` file has the header of the ``.cypher`` files, parsed by the same parser
(:func:`kg.explore.queries.parse_query`)::

    // name: leaderboard
    // description: one line
    // param: dataset STRING required example=ImageNet-1K  -- help text
    // columns: rank, method, value

and then a SPARQL 1.1 ``SELECT`` (the header lines are not SPARQL: ``kg sparql`` strips
them; ``kg sparql NAME --show`` prints the query alone). Parameters are validated and
converted like Cypher ones and bound as the variables of the same name (``?dataset``)
through rdflib's ``initBindings``, never formatted into the query text: STRING as a plain
literal, INTEGER ``xsd:integer``, FLOAT ``xsd:double``, BOOLEAN ``xsd:boolean``. SPARQL
has no lists: a column that is a list in the Cypher twin comes as one string, the items
joined by ``"; "`` (as ``kg query`` prints lists in tables and CSV). The ``columns:``
header names the result columns by position, so a query can select ``?dataset_name`` as
the column ``dataset`` while ``?dataset`` is the parameter.
"""

from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from kg.errors import one_line
from kg.explore.queries import QUERIES_DIR, QueryError, SavedQuery, get_query, list_queries

SUFFIX = ".sparql"


def list_sparql(directory: Path = QUERIES_DIR) -> dict[str, SavedQuery]:
    """All saved SPARQL queries of ``directory`` by name (:func:`kg.explore.queries.list_queries`)."""
    return list_queries(directory, SUFFIX)


def get_sparql(name: str, directory: Path = QUERIES_DIR) -> SavedQuery:
    """One saved SPARQL query by name; :class:`QueryError` lists the valid names if unknown."""
    return get_query(name, directory, SUFFIX)


@lru_cache(maxsize=32)
def _prepared(text: str):
    try:
        return prepareQuery(text)
    except Exception as e:  # noqa: BLE001 - pyparsing's ParseException and friends
        raise QueryError(f"the SPARQL does not parse: {one_line(e)}") from None


def to_term(value: Any) -> Literal:
    """A bound parameter value as an RDF literal (plain string, integer, double, boolean)."""
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value)
    if isinstance(value, float):
        return Literal(value)
    return Literal(str(value))


def to_python(term) -> Any:
    """A result term as a Python value: literals by datatype, IRIs as strings, unbound None."""
    if term is None:
        return None
    if isinstance(term, Literal):
        v = term.toPython()
        return str(term) if isinstance(v, Literal) else v
    if isinstance(term, URIRef):
        return str(term)
    return str(term)


def run_sparql(graph: Graph, query: SavedQuery | str, given: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Run a saved SPARQL query (or its name) over ``graph`` with parameters ``given``
    (validated by the header); returns ``(columns, rows)`` of Python values."""
    q = get_sparql(query) if isinstance(query, str) else query
    bound = q.bind(given)
    prepared = _prepared(q.cypher)
    try:
        res = graph.query(prepared, initBindings={k: to_term(v) for k, v in bound.items()})
    except Exception as e:  # noqa: BLE001 - rdflib's evaluation errors have no common base
        raise QueryError(f"SPARQL query {q.name!r} failed: {one_line(e, typed=True)}") from None
    cols = [str(v) for v in res.vars or []]
    if q.columns:
        if len(q.columns) != len(cols):
            raise QueryError(f"SPARQL query {q.name!r} selects {len(cols)} variables but its header names "
                             f"{len(q.columns)} columns")
        cols = list(q.columns)
    rows = [[to_python(row[i]) for i in range(len(cols))] for row in res]
    return cols, rows


def timed(graph: Graph, name: str, given: dict[str, Any]) -> tuple[list[str], list[list[Any]], float]:
    """:func:`run_sparql` and its wall time in seconds."""
    t0 = time.perf_counter()
    cols, rows = run_sparql(graph, name, given)
    return cols, rows, time.perf_counter() - t0
