"""The graph model: PaperRecords become typed nodes and relationships here, and only here.

A :class:`GraphBatch` is the one hand-off from records to every sink (in the manner of
neo4j-graphrag's ``Neo4jGraph`` of ``Neo4jNode`` / ``Neo4jRelationship``): each
:class:`GraphNode` has its label, its stable key (Paper.id, the entity ``key`` of
:func:`kg.graph.resolve.resolve_entity`, Result/Claim ids ``<paper id>#r<i>``/``#c<i>``,
Repository.url) and its properties; each :class:`GraphRel` its type, the ``(label, key)``
of both ends and its properties. :func:`build_batch` makes one from a batch of records
and validates it against ``schema/graph.json``.

Sinks: :class:`kg.store.writer.GraphWriter` turns a batch into parameterised
``UNWIND $rows`` statements (MERGE on the constraint keys); :mod:`kg.store.bulk` writes it
as neo4j-admin import CSV; :class:`StagedGraph` holds batches in memory with the same
merge rules as the writer's Cypher, runs the graph-level passes on them
(:mod:`kg.graph.consolidate`) and feeds the RDF mapper (:func:`kg.export.rdf.records_elements`),
``kg viz`` and the networkx analytics.

Merge rules (what a batch adds to a graph that already holds some):

* a Paper's properties are replaced; its Results, Claims and links are replaced too
  (re-extraction replaces, never accumulates);
* an entity node (Method, Dataset, Metric, Task) merges on ``key``: within a batch the
  first mention names it; across batches a stored name is kept unless the new one is
  ``canonical`` (from the lexicon or the metric catalogue), which always wins; ``aliases``
  accumulate in first-seen order; a Metric's catalogue properties are the last batch's;
* Paper→entity links are one per (paper, type, key), properties from the last mention;
* a Repository merges on ``url``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kg.graph.records import PaperRecord
from kg.graph.resolve import metric_info, metric_setting, resolve_entity
from kg.graph.schema import check_rows, load_schema

#: The relationship of a paper to a method, by the method's role.
ROLE_REL = {"proposed": "PROPOSES", "used": "USES", "compared": "COMPARES_WITH", None: "USES"}
#: The node label of each entity field of a record.
FIELD_LABEL = {"methods": "Method", "datasets": "Dataset", "metrics": "Metric", "tasks": "Task"}
#: The relationship of a paper to an entity of a field other than methods.
FIELD_REL = {"datasets": "EVALUATES_ON", "metrics": "MEASURES", "tasks": "ADDRESSES"}
ENTITY_LABELS = frozenset(FIELD_LABEL.values())
#: A Result's and a Claim's relationships to methods, datasets and metrics: (record field, entity field, type).
RESULT_ENDS = (("method", "methods", "OF_METHOD"), ("dataset", "datasets", "ON_DATASET"),
               ("metric", "metrics", "MEASURED_BY"), ("compared_to", "methods", "AGAINST"))
CLAIM_ENDS = (("subject", "methods", "CLAIMS_ABOUT"), ("object", "methods", "CLAIMS_AGAINST"))
#: A paper's relationships that a reload replaces (to its parts and its entities).
PAPER_PART_TYPES = frozenset({"REPORTS", "MAKES"})
PAPER_LINK_TYPES = frozenset({*ROLE_REL.values(), *FIELD_REL.values(), "HAS_CODE"})
METRIC_PROPERTIES = ("higher_is_better", "unit", "family")


@dataclass(frozen=True, slots=True)
class GraphNode:
    """A node: ``label``, its stable ``key`` (the value of the schema's key property) and
    ``properties`` (the key among them). ``canonical`` marks an entity name from the
    lexicon or the metric catalogue (it wins over a stored surface name)."""

    label: str
    key: str
    properties: dict
    canonical: bool = False


@dataclass(frozen=True, slots=True)
class GraphRel:
    """A relationship ``type`` from node ``start`` to node ``end`` (each ``(label, key)``)."""

    type: str
    start: tuple[str, str]
    end: tuple[str, str]
    properties: dict = field(default_factory=dict)


@dataclass
class GraphBatch:
    """What a batch of records adds to the graph: ``papers`` (their ids, whose parts it
    replaces), ``nodes``, ``relationships`` and the resolution rules used per mention."""

    papers: list[str] = field(default_factory=list)
    nodes: list[GraphNode] = field(default_factory=list)
    relationships: list[GraphRel] = field(default_factory=list)
    key_rules: Counter = field(default_factory=Counter)

    def nodes_by_label(self) -> dict[str, list[GraphNode]]:
        out: dict[str, list[GraphNode]] = {}
        for n in self.nodes:
            out.setdefault(n.label, []).append(n)
        return out

    def relationships_by_type(self) -> dict[str, list[GraphRel]]:
        out: dict[str, list[GraphRel]] = {}
        for r in self.relationships:
            out.setdefault(r.type, []).append(r)
        return out

    def entity_keys(self) -> dict[str, set[str]]:
        """``{label: keys}`` of the entity nodes the batch writes (what consolidation looks at)."""
        out: dict[str, set[str]] = {}
        for n in self.nodes:
            if n.label in ENTITY_LABELS:
                out.setdefault(n.label, set()).add(n.key)
        return out


class _Builder:
    """Accumulates one batch's nodes and relationships (entities, links and repositories
    deduplicated as the writer's MERGE would)."""

    def __init__(self, key_rules: Counter):
        self.batch = GraphBatch(key_rules=key_rules)
        self.entities: dict[tuple[str, str], tuple[dict, bool]] = {}
        self.links: dict[tuple[str, str, str, str], dict] = {}
        self.repos: dict[str, dict] = {}
        self.parts: list[GraphNode] = []
        self.rels: list[GraphRel] = []

    def entity(self, fname: str, e) -> tuple[str, str]:
        """The entity node of mention ``e`` of field ``fname`` (merged into the batch's):
        ``(key, resolution rule)``."""
        label = FIELD_LABEL[fname]
        res = resolve_entity(fname, e)
        self.batch.key_rules[res.rule] += 1
        props, _ = self.entities.setdefault(
            (label, res.key), ({"key": res.key, "name": res.name, "aliases": []}, res.rule != "surface"))
        props["aliases"] += [a for a in dict.fromkeys((e.name, *e.aliases)) if a not in props["aliases"]]
        if label == "Metric":
            info = metric_info(e.name) or next((metric_info(a) for a in e.aliases if metric_info(a)), None)
            for p in METRIC_PROPERTIES:
                props[p] = getattr(info, p) if info else None
        return res.key, res.rule

    def record(self, rec: PaperRecord) -> None:
        self.batch.papers.append(rec.id)
        self.batch.nodes.append(GraphNode("Paper", rec.id, {
            "id": rec.id, "title": rec.title, "abstract": rec.abstract, "date": rec.date,
            "sources": list(rec.sources), "content_hash": rec.content_hash,
            "extractor_version": rec.extractor_version}))
        paper = ("Paper", rec.id)
        keys: dict[tuple[str, str], str] = {}
        for fname, entities in rec.entities().items():
            for e in entities:
                key, rule = self.entity(fname, e)
                keys.update({(fname, form): key for form in (e.name, *e.aliases)})
                rel = ROLE_REL[e.role] if fname == "methods" else FIELD_REL[fname]
                # one link per (paper, type, entity), the last mention's properties
                self.links[(rec.id, rel, FIELD_LABEL[fname], key)] = {"surface": e.name, "rule": rule}
        for i, r in enumerate(rec.results):
            ends = [(rel, (FIELD_LABEL[f], keys.get((f, getattr(r, a))))) for a, f, rel in RESULT_ENDS]
            self._part(rec, "Result", i, r, {
                "value": r.value, "value_max": r.value_max, "unit": r.unit, "kind": r.kind,
                "qualifier": r.qualifier, "setting": r.setting or metric_setting(r.metric), "text": r.text}, ends)
        for i, c in enumerate(rec.claims):
            ends = [("SUPPORTED_BY", ("Result", f"{rec.id}#r{j}"))
                    for j in dict.fromkeys(c.results) if 0 <= j < len(rec.results)]
            ends += [(rel, (FIELD_LABEL[f], keys.get((f, getattr(c, a))))) for a, f, rel in CLAIM_ENDS]
            self._part(rec, "Claim", i, c, {"type": c.type}, ends)
        if rec.code_url:
            self.repos.setdefault(rec.code_url, {"url": rec.code_url})
            self.rels.append(GraphRel("HAS_CODE", paper, ("Repository", rec.code_url)))

    def _part(self, rec: PaperRecord, label: str, i: int, x, own: dict, ends: list) -> None:
        """A Result or Claim (``x``, the ``i``-th of its kind in ``rec``) with its provenance,
        the paper's REPORTS/MAKES and its relationships ``ends`` (``(type, (label, key))``,
        those with no key dropped)."""
        p = x.provenance
        ident = f"{rec.id}#{label[0].lower()}{i}"
        props = {"id": ident, **own, "sentence": p.sentence, "field": p.field, "start": p.start, "end": p.end,
                 "extractor": p.extractor, "extractor_version": rec.extractor_version, "confidence": p.confidence}
        self.parts.append(GraphNode(label, ident, props))
        self.rels.append(GraphRel("REPORTS" if label == "Result" else "MAKES", ("Paper", rec.id), (label, ident)))
        self.rels.extend(GraphRel(rel, (label, ident), end) for rel, end in ends if end[1] is not None)

    def done(self) -> GraphBatch:
        b = self.batch
        b.nodes += [GraphNode(label, key, props, canonical) for (label, key), (props, canonical) in self.entities.items()]
        b.nodes += self.parts
        b.nodes += [GraphNode("Repository", url, props) for url, props in self.repos.items()]
        b.relationships = [GraphRel(rel, ("Paper", pid), (label, key), props)
                           for (pid, rel, label, key), props in self.links.items()] + self.rels
        return b


def build_batch(records: Iterable[PaperRecord], schema: dict | None = None,
                key_rules: Counter | None = None) -> GraphBatch:
    """The :class:`GraphBatch` of ``records``, validated against the schema (raises
    :class:`kg.graph.schema.SchemaError` for a value that does not fit). ``key_rules``,
    when given, is the Counter the batch counts its resolution rules in."""
    b = _Builder(key_rules if key_rules is not None else Counter())
    for rec in records:
        b.record(rec)
    batch = b.done()
    check_batch(batch, schema or load_schema())
    return batch


def check_batch(batch: GraphBatch, schema: dict) -> None:
    """Every node's and relationship's properties against the schema (:func:`check_rows`)."""
    for label, nodes in batch.nodes_by_label().items():
        check_rows(schema, label, [n.properties for n in nodes])
    for rel, rels in batch.relationships_by_type().items():
        rows = [{"paper": r.start[1], **r.properties} for r in rels]  # the paper names a row in errors
        check_rows(schema, rel, rows, relationship=True, ignore=frozenset({"paper"}))


def batches(records: Iterable[PaperRecord], batch_size: int, schema: dict | None = None) -> Iterator[GraphBatch]:
    """:func:`build_batch` per ``batch_size`` records."""
    chunk: list[PaperRecord] = []
    for rec in records:
        chunk.append(rec)
        if len(chunk) >= batch_size:
            yield build_batch(chunk, schema)
            chunk = []
    if chunk:
        yield build_batch(chunk, schema)


def entity_keys(records: Iterable[PaperRecord]) -> dict[str, set[str]]:
    """``{label: keys}`` of the entity nodes ``records`` name (resolution only, no batch)."""
    out: dict[str, set[str]] = {}
    for rec in records:
        for fname, entities in rec.entities().items():
            out.setdefault(FIELD_LABEL[fname], set()).update(resolve_entity(fname, e).key for e in entities)
    return out


def merge_entity(node: dict | None, new: GraphNode) -> dict:
    """An entity node's properties after MERGEing ``new`` into the stored ``node`` (None
    when there is none): the rules of :func:`kg.store.cypher.merge_entities`."""
    if node is None:
        node = {"key": new.key, "name": new.properties["name"], "aliases": []}
    if new.canonical:
        node["name"] = new.properties["name"]
    node["aliases"] = node.get("aliases") or []
    node["aliases"] += [a for a in new.properties["aliases"] if a not in node["aliases"]]
    for p in METRIC_PROPERTIES:
        if p in new.properties:
            node[p] = new.properties[p]
    return node


class StagedGraph:
    """Batches merged in memory by the writer's rules (see the module docstring), then the
    graph-level passes (:meth:`consolidate`): the graph a writer builds from the same
    batches in an empty database, with no server."""

    def __init__(self, schema: dict | None = None):
        self.schema = schema or load_schema()
        self.nodes: dict[str, dict[str, dict]] = {label: {} for label in self.schema["nodes"]}
        # (type, start key, end key) -> properties; the ends' labels come from the schema
        self.rels: dict[tuple[str, str, str], dict] = {}
        self.paper_of: dict[str, str] = {}  # result/claim id -> paper id

    def add(self, batch: GraphBatch) -> None:
        """MERGE one batch (a paper in it loses its earlier parts and links first)."""
        self._drop_paper_parts(set(batch.papers))
        for n in batch.nodes:
            nodes = self.nodes[n.label]
            if n.label in ENTITY_LABELS:
                nodes[n.key] = merge_entity(nodes.get(n.key), n)
            elif n.label == "Repository":
                nodes.setdefault(n.key, dict(n.properties))
            else:
                nodes[n.key] = dict(n.properties)
        for r in batch.relationships:
            if r.type in PAPER_PART_TYPES:
                self.paper_of[r.end[1]] = r.start[1]
            self.rels.setdefault((r.type, r.start[1], r.end[1]), {}).update(r.properties)

    def _drop_paper_parts(self, ids: set[str]) -> None:
        """kg.store.cypher.DELETE_PAPER_PARTS: the papers' results, claims and links go."""
        parts = {x for x, pid in self.paper_of.items() if pid in ids}
        if not parts and not any(pid in ids for pid in self.nodes["Paper"]):
            return
        for x in parts:
            self.nodes["Result"].pop(x, None)
            self.nodes["Claim"].pop(x, None)
            del self.paper_of[x]
        self.rels = {k: v for k, v in self.rels.items()
                     if k[1] not in parts and k[2] not in parts and not (k[0] in PAPER_LINK_TYPES and k[1] in ids)}

    def consolidate(self):
        """The passes of :mod:`kg.graph.consolidate` on this graph; returns its report."""
        from kg.graph.consolidate import consolidate_staged

        return consolidate_staged(self)

    def relationship_label(self, rel: str) -> tuple[str, str]:
        spec = self.schema["relationships"][rel]
        return spec["from"], spec["to"]

    def source_text(self, ident: str, props: dict) -> tuple[str | None, str | None]:
        """``(paper id, text of the field)`` a Result's or Claim's sentence is in."""
        pid = self.paper_of.get(ident)
        paper = self.nodes["Paper"].get(pid) if pid is not None else None
        if paper is None:
            return pid, None
        return pid, paper["title"] if props.get("field") == "title" else paper["abstract"]

    def graph_nodes(self) -> Iterator[GraphNode]:
        """Every node, null properties left out, label by label in the schema's order."""
        for label, nodes in self.nodes.items():
            for key, props in nodes.items():
                yield GraphNode(label, key, {k: v for k, v in props.items() if v is not None})

    def graph_relationships(self) -> Iterator[GraphRel]:
        for (t, a, b), props in self.rels.items():
            la, lb = self.relationship_label(t)
            yield GraphRel(t, (la, a), (lb, b), {k: v for k, v in props.items() if v is not None})


def stage(records: Iterable[PaperRecord], *, batch_size: int = 200, consolidate: bool = True,
          schema: dict | None = None) -> StagedGraph:
    """The :class:`StagedGraph` of ``records`` in batches of ``batch_size`` (the bulk
    path's default; names resolve as a writer with the same batch size), consolidated
    unless ``consolidate`` is false."""
    g = StagedGraph(schema)
    for batch in batches(records, batch_size, g.schema):
        g.add(batch)
    if consolidate:
        g.consolidate()
    return g
