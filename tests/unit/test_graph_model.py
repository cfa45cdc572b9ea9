"""The graph model (kg/graph/model.py): one typed batch from records, and every in-memory
sink (RDF elements, kg viz, networkx analytics) sees the same staged graph."""

from __future__ import annotations

import pytest

from kg.explore.analytics import staged_graph
from kg.export.rdf import PGNode, records_elements
from kg.export.viz import graph_from_records, viz_id
from kg.graph.model import GraphNode, GraphRel, build_batch, stage
from kg.graph.records import Entity, PaperRecord
from kg.graph.schema import SchemaError, load_schema

from test_rdf import small_records


def test_a_batch_is_typed_keyed_and_closed():
    batch = build_batch(small_records())
    assert batch.papers == ["p1", "p2"]
    assert all(isinstance(n, GraphNode) for n in batch.nodes) and all(isinstance(r, GraphRel) for r in batch.relationships)
    keys = [(n.label, n.key) for n in batch.nodes]
    assert len(keys) == len(set(keys))  # one node per key within a batch
    schema = load_schema()
    for n in batch.nodes:
        assert n.properties[schema["nodes"][n.label]["key"]] == n.key
    for r in batch.relationships:  # every relationship ends at nodes of the batch, of the schema's labels
        assert r.start in set(keys) and r.end in set(keys), r
        assert (r.start[0], r.end[0]) == (schema["relationships"][r.type]["from"], schema["relationships"][r.type]["to"])
    links = [(r.start, r.type, r.end) for r in batch.relationships if r.start[0] == "Paper"]
    assert len(links) == len(set(links))  # one link per (paper, type, entity)
    assert {n.key: n.canonical for n in batch.nodes if n.label == "Dataset"} == {"d:coco": True, "d:imagenet": True}
    assert batch.entity_keys()["Method"] >= {"m:foonet", "m:foonetl", "m:barnet"}


def test_a_value_off_the_schema_is_refused():
    bad = PaperRecord(id="x", title="t", methods=(Entity(name="A" * 9000),))
    with pytest.raises(SchemaError):
        build_batch([bad])


def test_every_in_memory_sink_sees_the_staged_graph():
    staged = stage(small_records())
    nodes = {(n.label, n.key) for n in staged.graph_nodes()}
    rels = sorted((r.start, r.type, r.end) for r in staged.graph_relationships())
    assert (("Method", "m:foonetl"), "VARIANT_OF", ("Method", "m:foonet")) in rels  # consolidated
    els = list(records_elements(small_records()))
    assert {(e.label, e.props[load_schema()["nodes"][e.label]["key"]]) for e in els if isinstance(e, PGNode)} == nodes
    assert sorted((e.start, e.type, e.end) for e in els if isinstance(e, GraphRel)) == rels
    g = staged_graph(small_records())
    assert set(g.nodes) == {f"{label}:{key}" for label, key in nodes}
    assert sorted((u, k, v) for u, v, k in g.edges(keys=True)) == sorted(
        (f"{a[0]}:{a[1]}", t, f"{b[0]}:{b[1]}") for a, t, b in rels)
    v = graph_from_records(small_records())
    assert set(v.nodes) == {viz_id(*n) for n in nodes}
    assert sorted((r.source, r.type, r.target) for r in v.rels.values()) == sorted(
        (viz_id(*a), t, viz_id(*b)) for a, t, b in rels)
