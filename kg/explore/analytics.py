"""Graph analytics with networkx, on the loaded graph or on staged extraction records.

The same node ids are used either way (``"<Label>:<key>"``), so an analysis of a
``kg extract`` file and of the Neo4j graph it was loaded into agree:

* :func:`benchmark_coverage` ranks methods by the number of distinct benchmarks
  (dataset, metric) they have results on;
* :func:`coevaluation` is the network of methods evaluated on the same datasets (edge
  weight = shared datasets) or compared directly (a result ``AGAINST``);
* :func:`write_graphml` exports either graph for Gephi, Cytoscape or yEd.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path

import networkx as nx
from neo4j import Driver

from kg.graph.records import PaperRecord
from kg.graph.schema import load_schema


def node_id(label: str, key: str) -> str:
    """The networkx node id of a graph node."""
    return f"{label}:{key}"


def _add_node(g: nx.MultiDiGraph, schema: dict, label: str, key: str, props: dict) -> None:
    """A node with the attributes both sources give it: label, name (its caption), kind."""
    caption = schema["nodes"][label].get("caption", schema["nodes"][label]["key"])
    name = props.get(caption)
    attrs = {"label": label, "name": "" if name is None else _text(name)}
    if props.get("kind") is not None:
        attrs["kind"] = props["kind"]
    g.add_node(node_id(label, key), **attrs)


def _text(value) -> str:
    """A property as Cypher's ``toString`` renders it (a whole float keeps its ``.0``)."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def staged_graph(records: Iterable[PaperRecord]) -> nx.MultiDiGraph:
    """The graph the writer builds from ``records`` (:func:`kg.graph.model.stage`,
    consolidated), as :func:`neo4j_graph` reads it from Neo4j."""
    from kg.graph.model import stage

    staged = stage(records)
    g = nx.MultiDiGraph()
    for n in staged.graph_nodes():
        _add_node(g, staged.schema, n.label, n.key, n.properties)
    for r in staged.graph_relationships():
        g.add_edge(node_id(*r.start), node_id(*r.end), key=r.type)
    return g


def neo4j_graph(driver: Driver, database: str | None = None) -> nx.MultiDiGraph:
    """The loaded graph's nodes (id, label, name, kind) and relationships, read-only."""
    schema = load_schema()
    g = nx.MultiDiGraph()
    for label, spec in schema["nodes"].items():
        caption = spec.get("caption", spec["key"])
        recs, _, _ = driver.execute_query(
            f"MATCH (n:{label}) RETURN n.{spec['key']} AS key, n.{caption} AS name, n.kind AS kind",
            database_=database, routing_="r")
        for r in recs:
            _add_node(g, schema, label, r["key"], {caption: r["name"], "kind": r["kind"]})
    for rel, spec in schema["relationships"].items():
        a_key, b_key = schema["nodes"][spec["from"]]["key"], schema["nodes"][spec["to"]]["key"]
        recs, _, _ = driver.execute_query(
            f"MATCH (a:{spec['from']})-[:{rel}]->(b:{spec['to']}) RETURN a.{a_key} AS a, b.{b_key} AS b",
            database_=database, routing_="r")
        for r in recs:
            g.add_edge(node_id(spec["from"], r["a"]), node_id(spec["to"], r["b"]), key=rel)
    return g


def _targets(g: nx.MultiDiGraph, node: str, rel: str) -> list[str]:
    return [v for _, v, k in g.out_edges(node, keys=True) if k == rel]


def benchmark_coverage(g: nx.MultiDiGraph) -> list[tuple[str, int, list[str]]]:
    """``(method name, distinct benchmarks, ["dataset / metric", ...])``, most first.

    A benchmark is a (dataset, metric) pair of an absolute result of the method.
    """
    per: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for n, attrs in g.nodes(data=True):
        if attrs.get("label") != "Result" or attrs.get("kind") not in (None, "absolute"):
            continue
        for m in _targets(g, n, "OF_METHOD"):
            for d in _targets(g, n, "ON_DATASET"):
                for x in _targets(g, n, "MEASURED_BY"):
                    per[m].add((g.nodes[d]["name"], g.nodes[x]["name"]))
    rows = [(g.nodes[m]["name"], len(b), sorted(f"{d} / {x}" for d, x in b)) for m, b in per.items()]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def coevaluation(g: nx.MultiDiGraph) -> nx.Graph:
    """Methods linked when they have results on a common dataset (``weight`` = number of
    shared datasets, ``datasets`` = their names) or one is compared against the other
    (``direct`` = number of such results)."""
    on: dict[str, set[str]] = defaultdict(set)
    co = nx.Graph()
    for n, attrs in g.nodes(data=True):
        if attrs.get("label") != "Result":
            continue
        methods = _targets(g, n, "OF_METHOD")
        for m in methods:
            co.add_node(m, name=g.nodes[m]["name"])
            for d in _targets(g, n, "ON_DATASET"):
                on[d].add(m)
            for b in _targets(g, n, "AGAINST"):
                if b == m:
                    continue
                co.add_node(b, name=g.nodes[b]["name"])
                data = co.get_edge_data(m, b, default={"weight": 0, "direct": 0, "datasets": []})
                co.add_edge(m, b, weight=data["weight"], direct=data["direct"] + 1, datasets=data["datasets"])
    for d, ms in on.items():
        for a, b in combinations(sorted(ms), 2):
            data = co.get_edge_data(a, b, default={"weight": 0, "direct": 0, "datasets": []})
            co.add_edge(a, b, weight=data["weight"] + 1, direct=data["direct"], datasets=[*data["datasets"], g.nodes[d]["name"]])
    return co


def write_graphml(g: nx.Graph, path: Path | str) -> None:
    """Write ``g`` as GraphML; list attributes become "; "-joined strings (GraphML holds scalars)."""
    h = g.copy()
    for _, attrs in h.nodes(data=True):
        for k, v in list(attrs.items()):
            if isinstance(v, (list, tuple)):
                attrs[k] = "; ".join(map(str, v))
    for *_, attrs in h.edges(data=True):
        for k, v in list(attrs.items()):
            if isinstance(v, (list, tuple)):
                attrs[k] = "; ".join(map(str, v))
    nx.write_graphml(h, str(path))
