"""``kg viz``: a self-contained HTML view of a graph, for people without Neo4j at hand.

Three sources, one node/edge model (:class:`VizGraph`):

* a saved query's (or ad-hoc Cypher's) result: every node, relationship and path in
  its rows (:func:`graph_from_rows`);
* the whole graph, capped: papers in id order with everything they point at, until
  the node cap, plus the edges among those nodes (:func:`graph_from_database`);
* an extraction JSONL, with no server: the nodes and relationships the loader would
  write, from the graph model of :mod:`kg.graph.model` (:func:`graph_from_records`).

The page is rendered with ``neo4j-viz`` (Neo4j's NVL graph renderer): its HTML inlines
all JavaScript and CSS, so the file opens offline, with nothing fetched at view time.
Colours, sizes and captions come from ``schema/browser.grass``, the same style the
Neo4j Browser gets.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver
from neo4j.graph import Node, Path as GraphPath, Relationship

from kg.graph.style import load_grass
from kg.errors import KgError
from kg.files import output_file
from kg.graph.records import PaperRecord

# long texts stay out of the HTML's node properties (the sentence is enough)
_DROP = {"abstract", "content_hash", "sources", "loaded_at"}


class VizError(KgError):
    """The view could not be made (one-line message)."""


@dataclass
class VizNode:
    id: str
    label: str
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class VizRel:
    id: str
    source: str
    target: str
    type: str
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class VizGraph:
    """Nodes by id and relationships (deduplicated by id), in insertion order."""

    nodes: dict[str, VizNode] = field(default_factory=dict)
    rels: dict[str, VizRel] = field(default_factory=dict)

    def node(self, id: str, label: str, props: dict[str, Any] | None = None) -> str:
        """Add a node once (later calls with the same id change nothing); returns its id."""
        if id not in self.nodes:
            self.nodes[id] = VizNode(id, label, {k: v for k, v in (props or {}).items()
                                                 if v is not None and k not in _DROP})
        return id

    def rel(self, source: str, type: str, target: str, id: str | None = None,
            props: dict[str, Any] | None = None) -> None:
        """Add a relationship once (by ``id``, default ``source-TYPE->target``)."""
        rid = id or f"{source}-{type}->{target}"
        if rid not in self.rels:
            self.rels[rid] = VizRel(rid, source, target, type, {k: v for k, v in (props or {}).items() if v is not None})

    def labels(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for n in self.nodes.values():
            out[n.label] = out.get(n.label, 0) + 1
        return out


# --------------------------------------------------------------------------- records


def viz_id(label: str, key: str) -> str:
    """The view's id of a staged node: ``paper:<id>``, ``repo:<url>``, else its key."""
    return {"Paper": f"paper:{key}", "Repository": f"repo:{key}"}.get(label, key)


def graph_from_records(records: Iterable[PaperRecord], max_nodes: int | None = None) -> VizGraph:
    """The graph the loader would write for ``records`` (no server needed): the staged
    graph of :func:`kg.graph.model.stage`, consolidated as after a load.

    Papers are added whole (with all they point at, and the edges among what is added),
    in input order, until ``max_nodes`` is reached.
    """
    from kg.graph.model import stage

    staged = stage(records)
    nodes = {(n.label, n.key): n for n in staged.graph_nodes()}
    rels = list(staged.graph_relationships())
    out: dict[tuple[str, str], list] = {}
    for r in rels:
        out.setdefault(r.start, []).append(r)
    keep: set[tuple[str, str]] = set()
    for pid in staged.nodes["Paper"]:
        if max_nodes is not None and len(keep) >= max_nodes:
            break
        todo = [("Paper", pid)]
        while todo:  # the paper and all it reaches (its results' methods, a variant's family ...)
            n = todo.pop()
            if n not in keep:
                keep.add(n)
                todo += [r.end for r in out.get(n, ())]
    g = VizGraph()
    for ident, n in nodes.items():
        if ident in keep:
            g.node(viz_id(*ident), n.label, n.properties)
    for r in rels:
        if r.start in keep and r.end in keep:
            g.rel(viz_id(*r.start), r.type, viz_id(*r.end), props=r.properties)
    return g


# --------------------------------------------------------------------------- Neo4j


def _label(node: Node) -> str:
    labels = sorted(node.labels)
    return labels[0] if labels else "Node"


def _add_value(g: VizGraph, value: Any) -> None:
    if isinstance(value, Node):
        g.node(value.element_id, _label(value), dict(value))
    elif isinstance(value, Relationship):
        for end in (value.start_node, value.end_node):
            if end is not None:
                g.node(end.element_id, _label(end), dict(end))
        g.rel(value.start_node.element_id, value.type, value.end_node.element_id, id=value.element_id, props=dict(value))
    elif isinstance(value, GraphPath):
        for n in value.nodes:
            _add_value(g, n)
        for r in value.relationships:
            _add_value(g, r)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _add_value(g, v)
    elif isinstance(value, dict):
        for v in value.values():
            _add_value(g, v)


def graph_from_rows(rows: Iterable[Sequence[Any]]) -> VizGraph:
    """Every node, relationship and path found in query result rows (nested in lists
    and maps too); scalar columns are ignored."""
    g = VizGraph()
    for row in rows:
        _add_value(g, list(row))
    return g


WHOLE_GRAPH = """
MATCH (p:Paper)
WITH p ORDER BY p.id
CALL (p) {
  OPTIONAL MATCH (p)-[r]->(x)
  RETURN collect(r) AS rels
}
RETURN p, rels
"""

EDGES_AMONG = """
UNWIND $ids AS id
MATCH (a) WHERE elementId(a) = id
MATCH (a)-[r]->(b) WHERE elementId(b) IN $ids
RETURN r
"""


def graph_from_database(driver: Driver, max_nodes: int = 300, *, database: str | None = None) -> VizGraph:
    """The whole graph, capped: papers in id order with all they point at (results,
    claims, entities, code) until ``max_nodes``, then the edges among those nodes
    (Result to Method, Claim to Result, ...). Read-only."""
    from kg.explore.queries import run_read

    g = VizGraph()
    _, rows = run_read(driver, WHOLE_GRAPH, {}, database=database, max_rows=max(max_nodes, 1))
    for p, rels in rows:
        if len(g.nodes) >= max_nodes:
            break
        _add_value(g, [p, rels])
    ids = list(g.nodes)
    _, rows = run_read(driver, EDGES_AMONG, {"ids": ids}, database=database, max_rows=100_000)
    for (r,) in rows:
        if r.start_node.element_id in g.nodes and r.end_node.element_id in g.nodes:
            _add_value(g, r)
    return g


# --------------------------------------------------------------------------- HTML


def _style() -> dict[str, dict[str, str]]:
    try:
        return load_grass()
    except KgError:
        return {}


def caption(template: str | None, props: dict[str, Any]) -> str:
    """A GraSS caption template (``'{value} {unit}'``) filled as the Browser fills it:
    each ``{prop}`` becomes the property (lists joined with ``, ``; missing ones empty)."""
    if not template:
        return ""

    def sub(m: re.Match) -> str:
        v = props.get(m.group(1))
        if v is None:
            return ""
        if isinstance(v, (list, tuple)):
            return ", ".join(map(str, v))
        if isinstance(v, float):
            return str(int(v)) if v.is_integer() and abs(v) < 1e15 else f"{v:g}"
        return str(v)

    return re.sub(r"\{([^{}]*)\}", sub, template).strip()


def _px(value: str | None, default: float) -> float:
    m = re.match(r"^\s*([\d.]+)", value or "")
    return float(m.group(1)) if m else default


def _json_safe(props: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(props, default=str))


def render_html(g: VizGraph, title: str = "kg graph") -> str:
    """The graph as one self-contained HTML page (neo4j-viz; JS and CSS inlined)."""
    from neo4j_viz import Node as VNode, Relationship as VRel, VisualizationGraph

    style = _style()
    base = style.get("node", {})
    nodes, legend = [], {}
    for n in g.nodes.values():
        rule = {**base, **style.get(f"node.{n.label}", {})}
        color = rule.get("color", "#A5ABB6")
        legend.setdefault(n.label, color)
        text = caption(rule.get("caption"), n.properties) or str(n.properties.get("name") or n.properties.get("id") or n.label)
        if len(text) > 40:
            text = text[:39] + "…"
        nodes.append(VNode(id=n.id, caption=text, color=color, size=_px(rule.get("diameter"), 50) / 2,
                           properties=_json_safe({"label": n.label, **n.properties})))
    rels = []
    for r in g.rels.values():
        rule = {**style.get("relationship", {}), **style.get(f"relationship.{r.type}", {})}
        rels.append(VRel(id=r.id, source=r.source, target=r.target, caption=r.type,
                         color=rule.get("color", "#A5ABB6"), properties=_json_safe({"type": r.type, **r.properties})))
    vg = VisualizationGraph(nodes=nodes, relationships=rels)
    vg.set_legend(nodes=legend)
    page = vg.render(width="100%", height="100vh", max_allowed_nodes=max(10_000, len(nodes)), theme="light").data
    return page.replace("<title>neo4j-viz</title>", f"<title>{html.escape(title)}</title>", 1)


def write_html(g: VizGraph, output: Path, title: str = "kg graph") -> int:
    """Write the page; returns its size in bytes. Raises :class:`VizError` for an empty graph."""
    if not g.nodes:
        raise VizError("nothing to draw: the result holds no nodes, relationships or paths")
    data = render_html(g, title)
    try:
        with output_file(output) as f:
            f.write(data)
    except KgError as e:
        raise VizError(str(e)) from None
    except OSError as e:
        raise VizError(f"cannot write {output}: {e.strerror or e}") from None
    return len(data.encode("utf-8"))


def build_graph(name: str | None = None, given: dict[str, str] | None = None, *, cypher: str | None = None,
                records: Path | None = None, max_nodes: int = 300) -> tuple[VizGraph, str]:
    """The graph for ``kg viz`` and a page title: from an extraction JSONL (no server), a
    saved query (``name`` with ``given`` parameters), ad-hoc read-only ``cypher``, or
    else the whole database capped at ``max_nodes`` nodes (the server and database of
    :func:`kg.store.connection.connection_settings`)."""
    if records is not None:
        from kg.ingest.extractions import read_records

        return graph_from_records(read_records(records), max_nodes), f"kg: {records.name}"
    from kg.explore.queries import get_query, parse_value, run_read
    from kg.store.connection import connect

    with connect(during=" reading the graph") as conn:
        if cypher is not None:
            _, rows = run_read(conn.driver, cypher, {k: parse_value(v) for k, v in (given or {}).items()},
                               database=conn.database)
            return graph_from_rows(rows), "kg: cypher"
        if name:
            q = get_query(name)
            _, rows = run_read(conn.driver, q.cypher, q.bind(given or {}), database=conn.database)
            return graph_from_rows(rows), f"kg: {name}"
        return graph_from_database(conn.driver, max_nodes, database=conn.database), "kg: graph"
