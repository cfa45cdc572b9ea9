"""RDF export of the Neo4j graph with rdflib.

Every node becomes a resource ``<base><label>/<key>`` (the key URL-quoted) typed with
its ``kg:`` class; every property a literal of the matching ``kg:`` datatype property
(lists give one triple per item); every relationship a triple with the ``kg:`` object
property of its type. Names also get ``rdfs:label``, aliases ``skos:altLabel`` and paper
titles ``dcterms:title``, so generic RDF tools show them. The same entity gets the same
IRI in every export (keys are stable); ``base`` is configurable.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

from neo4j import Driver
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from .vocab import KG, camel
from .schema import load_schema

DEFAULT_BASE = "https://w3id.org/kg-ml/resource/"
FORMATS = {"turtle": "turtle", "ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "json-ld": "json-ld", "xml": "xml"}


def node_iri(base: str, label: str, key: str) -> URIRef:
    """The stable IRI of a node: ``<base><label lowercased>/<key, URL-quoted>``."""
    return URIRef(f"{base}{label.lower()}/{quote(str(key), safe='')}")


def _literal(value) -> Literal:
    if isinstance(value, bool):
        return Literal(value, datatype=XSD.boolean)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(value, datatype=XSD.double)
    if hasattr(value, "iso_format"):
        return Literal(value.iso_format(), datatype=XSD.dateTime)
    return Literal(str(value))


def iter_triples(driver: Driver, *, base: str = DEFAULT_BASE, database: str | None = None,
                 batch_size: int = 5000) -> Iterator[tuple]:
    """Yield the graph's triples, reading nodes and relationships in pages of ``batch_size``."""
    schema = load_schema()
    with driver.session(database=database, default_access_mode="READ") as s:
        for label, spec in schema["nodes"].items():
            cls = getattr(KG, label)
            key = spec["key"]
            skip = 0
            while True:
                rows = s.execute_read(lambda tx: list(tx.run(
                    f"MATCH (n:{label}) RETURN properties(n) AS props ORDER BY n.{key} SKIP $skip LIMIT $limit",
                    skip=skip, limit=batch_size)))
                for r in rows:
                    props = r["props"]
                    iri = node_iri(base, label, props[key])
                    yield iri, RDF.type, cls
                    for k, v in props.items():
                        if v is None:
                            continue
                        pred = getattr(KG, camel(k))
                        for item in v if isinstance(v, list) else [v]:
                            yield iri, pred, _literal(item)
                    if "name" in props:
                        yield iri, RDFS.label, Literal(props["name"])
                    for a in props.get("aliases") or []:
                        if a != props.get("name"):
                            yield iri, SKOS.altLabel, Literal(a)
                    if label == "Paper" and props.get("title"):
                        yield iri, DCTERMS.title, Literal(props["title"])
                if len(rows) < batch_size:
                    break
                skip += batch_size
        for rel, spec in schema["relationships"].items():
            a_key, b_key = schema["nodes"][spec["from"]]["key"], schema["nodes"][spec["to"]]["key"]
            pred = getattr(KG, camel(rel))
            skip = 0
            while True:
                rows = s.execute_read(lambda tx: list(tx.run(
                    f"MATCH (a:{spec['from']})-[:{rel}]->(b:{spec['to']}) RETURN a.{a_key} AS a, b.{b_key} AS b "
                    f"ORDER BY a, b SKIP $skip LIMIT $limit", skip=skip, limit=batch_size)))
                for r in rows:
                    yield node_iri(base, spec["from"], r["a"]), pred, node_iri(base, spec["to"], r["b"])
                if len(rows) < batch_size:
                    break
                skip += batch_size


def export_graph(driver: Driver, *, base: str = DEFAULT_BASE, database: str | None = None) -> Graph:
    """The whole graph as an rdflib Graph with ``kg``, ``dcterms``, ``skos`` prefixes bound."""
    g = Graph()
    g.bind("kg", Namespace(str(KG._NS)))
    g.bind("dcterms", DCTERMS)
    g.bind("skos", SKOS)
    g.bind("res", Namespace(base))
    for t in iter_triples(driver, base=base, database=database):
        g.add(t)
    return g
