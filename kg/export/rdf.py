"""RDF export of kg's graph, from Neo4j or from an extraction JSONL, with standard vocabularies.

Two sources give the same property graph, element by element (:class:`PGNode`,
:class:`PGRel`): :func:`neo4j_elements` pages through a Neo4j database (nodes by key,
relationships by start-node key, ``batch_size`` at a time), and :func:`records_elements`
gives the graph :class:`kg.store.writer.GraphWriter` would build from ``PaperRecord`` s, with
no server: the writer's own :class:`kg.graph.model.GraphBatch` es staged in memory
(:func:`kg.graph.model.stage`) and consolidated by :mod:`kg.graph.consolidate`. :class:`Mapper` turns elements into triples one
at a time, so an export is a stream.

**Mapping.** (IRIs are ``<base><kind>/<key, URL-quoted>``: the same entity gets the same
IRI in every export, since keys are stable; ``base`` is configurable.)

* Paper → ``schema:ScholarlyArticle`` (and ``kg:Paper``): ``dcterms:title`` =
  ``schema:name`` = ``schema:headline`` = title, ``schema:abstract``,
  ``schema:datePublished`` (``xsd:date``), ``dcterms:identifier`` (id), ``dcterms:source``
  (each ``file:line``), ``kg:contentHash``, ``kg:extractorVersion``, ``kg:loadedAt``.
* Repository → ``schema:SoftwareSourceCode`` (and ``kg:Repository``) with
  ``schema:codeRepository`` its URL; the paper ``kg:hasCode`` it.
* Method → ``mls:Implementation``, Dataset → ``mls:Dataset``, Metric →
  ``mls:EvaluationMeasure``, Task → ``mls:Task`` (each also its ``kg:`` class):
  ``dcterms:identifier`` (key), ``rdfs:label`` (name), ``kg:aliases``, ``kg:mergedFrom``;
  metrics ``kg:higherIsBetter``, ``kg:unit`` and ``kg:family`` (the catalogue family:
  "AP" for box AP, mask AP, AP50).
* Result → ``mls:ModelEvaluation`` (and ``kg:Result``): ``mls:hasValue`` (``xsd:double``),
  ``mls:specifiedBy`` its metric, ``kg:valueMax``, ``kg:unit``, ``kg:kind``,
  ``kg:qualifier`` ("up to"), ``kg:setting`` ("zero-shot"), ``kg:text``,
  ``kg:field``/``kg:start``/``kg:end`` (where ``kg:text`` is in the paper),
  ``kg:extractor`` (the rule), ``kg:confidence``, ``kg:against`` the baseline. Each result
  has its own ``mls:Run`` (``<base>run/<result id>``): ``mls:hasOutput`` the result,
  ``mls:executes`` the method (ML Schema: a run executes an *Implementation*; a Method is
  not an ``mls:Model``, which ML Schema defines as the output of one training run that kg
  never sees) and ``mls:hasInput`` the dataset (ML Schema: a run's input *Data*).
* Claim → ``kg:Claim`` and its type's subclass (``kg:OutperformsClaim``, ...), ``kg:type``,
  ``kg:supportedBy``, ``kg:claimsAbout``, ``kg:claimsAgainst``, offsets as for results.
* Provenance (PROV-O): a result or claim ``prov:wasDerivedFrom`` a ``kg:Sentence``
  (``<base>sentence/<paper>/<field>/<start>-<end>``: ``prov:value`` the sentence,
  ``kg:field``/``kg:start``/``kg:end`` where it is, ``prov:wasQuotedFrom`` the paper) and
  ``prov:wasGeneratedBy`` a ``kg:Extraction`` activity (``prov:used`` the paper,
  ``prov:wasAssociatedWith`` the ``kg:Extractor`` software agent of that
  ``kg:extractorVersion``).
* Paper→entity links are ``kg:proposes`` / ``kg:uses`` / ``kg:comparesWith`` /
  ``kg:evaluatesOn`` / ``kg:measures`` / ``kg:addresses``; their ``surface`` and ``rule``
  (and ``VARIANT_OF``'s ``rule``) are on an ``rdf:Statement`` about the triple
  (``<subject IRI>/<property>/<object key>``), standard RDF reification.

A node property the mapping does not name is written with its ``kg:`` term, so a schema
change still exports (and fails loudly if ``kg.graph.vocab.KG`` lacks the term).

**Writing.** N-Triples is written triple by triple as the elements arrive (one line each,
no graph held). Turtle, JSON-LD and RDF/XML group triples by subject and bind prefixes, so
for them the whole export is first collected in one rdflib ``Graph`` and then serialized:
memory grows with the graph (for the seeds, ~33k triples, a few MB).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date as _date
from functools import lru_cache
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD

from kg.errors import KgError, one_line
from kg.graph.model import GraphRel
from kg.graph.schema import load_schema
from kg.resources import schema_dir
from kg.graph.vocab import CLAIM_CLASSES, KG, MLS, PREFIXES, SCHEMA, SH, camel

DEFAULT_BASE = "https://w3id.org/kg-ml/resource/"
FORMATS = {"turtle": "turtle", "ttl": "turtle", "nt": "nt", "ntriples": "nt", "jsonld": "json-ld",
           "json-ld": "json-ld", "xml": "xml", "rdfxml": "xml"}
SUFFIX_FORMAT = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml",
                 ".xml": "xml", ".owl": "xml"}
SHAPES = schema_dir() / "shapes.ttl"
ONTOLOGY = schema_dir() / "kg.ttl"

#: Standard classes each node label is exported with, besides its ``kg:`` class.
STANDARD_CLASS = {
    "Paper": SCHEMA.ScholarlyArticle,
    "Method": MLS.Implementation,
    "Dataset": MLS.Dataset,
    "Metric": MLS.EvaluationMeasure,
    "Task": MLS.Task,
    "Result": MLS.ModelEvaluation,
    "Repository": SCHEMA.SoftwareSourceCode,
}

#: Properties written with a standard term: ``(label or "*", property) -> predicates``.
STANDARD_PROPERTY: dict[tuple[str, str], tuple[URIRef, ...]] = {
    ("*", "id"): (DCTERMS.identifier,),
    ("*", "key"): (DCTERMS.identifier,),
    ("*", "url"): (DCTERMS.identifier,),
    ("*", "name"): (RDFS.label,),
    ("Paper", "title"): (DCTERMS.title, SCHEMA.name, SCHEMA.headline),
    ("Paper", "abstract"): (SCHEMA.abstract,),
    ("Paper", "sources"): (DCTERMS.source,),
    ("Result", "value"): (MLS.hasValue,),
}

#: Relationship types written with a standard term, from the Result's run or the result.
RUN_RELATIONSHIP = {"OF_METHOD": MLS.executes, "ON_DATASET": MLS.hasInput}
RESULT_RELATIONSHIP = {"MEASURED_BY": MLS.specifiedBy}

# characters an IRI may not hold (RFC 3987 / N-Triples IRIREF)
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


class ExportError(KgError):
    """The export could not be produced (unknown format, unreadable input, ...)."""


@dataclass(frozen=True, slots=True)
class PGNode:
    """One node of the property graph. For a Result or Claim, ``paper`` is the id of the
    paper that reports or makes it and ``source`` the text of its ``field`` (title or
    abstract), which locates its sentence."""

    label: str
    props: dict
    paper: str | None = None
    source: str | None = None


#: One relationship of the property graph: the graph model's own type.
PGRel = GraphRel


def node_iri(base: str, label: str, key: str) -> URIRef:
    """The stable IRI of a node: ``<base><label lowercased>/<key, URL-quoted>``."""
    return URIRef(f"{base}{label.lower()}/{quote(str(key), safe='')}")


def run_iri(base: str, result_id: str) -> URIRef:
    """The ``mls:Run`` that produced result ``result_id``."""
    return URIRef(f"{base}run/{quote(str(result_id), safe='')}")


def sentence_span(source: str | None, sentence: str, start: int | None, end: int | None) -> tuple[int, int] | None:
    """Where ``sentence`` is in ``source`` around the span ``start:end`` (the first
    occurrence that holds it), or None when the text is not there."""
    if source is None or not sentence:
        return None
    i = source.find(sentence)
    while i != -1:
        if start is None or end is None or (i <= start and end <= i + len(sentence)):
            return i, i + len(sentence)
        i = source.find(sentence, i + 1)
    return None


def _literal(value: Any) -> Literal:
    if isinstance(value, bool):
        return Literal(value, datatype=XSD.boolean)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(value, datatype=XSD.double)
    if hasattr(value, "to_native"):  # neo4j.time.DateTime (nanoseconds) → datetime (microseconds)
        return Literal(value.to_native(), datatype=XSD.dateTime)
    return Literal(str(value))


def _date_literal(value: str) -> Literal:
    """``YYYY-MM-DD`` as ``xsd:date``; anything else stays a string (and fails the shape)."""
    try:
        if len(value) == 10:
            return Literal(_date.fromisoformat(value).isoformat(), datatype=XSD.date)
    except ValueError:
        pass
    return Literal(value)


def _valid_iri(text: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text)) and not _BAD_IRI.search(text)


class Mapper:
    """Turns property-graph elements into RDF triples under ``base``.

    Stateless per element, except that the resources several elements share (a sentence
    holding a result and a claim, an extraction activity, an extractor agent) are written
    once: their IRIs are remembered.
    """

    def __init__(self, base: str = DEFAULT_BASE, schema: dict | None = None):
        if not base or not _valid_iri(base):
            raise ExportError(f"base IRI {base!r} is not an absolute IRI")
        self.base = base
        self.schema = schema or load_schema()
        self._seen: set[URIRef] = set()

    def iri(self, label: str, key: str) -> URIRef:
        return node_iri(self.base, label, key)

    def _once(self, iri: URIRef) -> bool:
        if iri in self._seen:
            return False
        self._seen.add(iri)
        return True

    # nodes ---------------------------------------------------------------------------
    def node(self, n: PGNode) -> Iterator[tuple]:
        spec = self.schema["nodes"][n.label]
        props = n.props
        s = self.iri(n.label, props[spec["key"]])
        yield s, RDF.type, getattr(KG, n.label)
        if n.label in STANDARD_CLASS:
            yield s, RDF.type, STANDARD_CLASS[n.label]
        for k, v in props.items():
            if v is None:
                continue
            yield from self._property(n, s, k, v)
        if n.label == "Result":
            run = run_iri(self.base, props["id"])
            yield run, RDF.type, MLS.Run
            yield run, MLS.hasOutput, s
        if n.label in ("Result", "Claim"):
            yield from self._provenance(n, s)

    def _property(self, n: PGNode, s: URIRef, k: str, v: Any) -> Iterator[tuple]:
        label = n.label
        if k in ("sentence", "extractor_version") and label in ("Result", "Claim"):
            return  # written as provenance resources
        if label == "Paper" and k == "date":
            yield s, SCHEMA.datePublished, _date_literal(str(v))
            return
        if label == "Claim" and k == "type":
            yield s, KG.type, Literal(str(v))
            if v in CLAIM_CLASSES:
                yield s, RDF.type, CLAIM_CLASSES[v]
            return
        if label == "Repository" and k == "url" and _valid_iri(str(v)):
            yield s, SCHEMA.codeRepository, URIRef(str(v))
        preds = STANDARD_PROPERTY.get((label, k)) or STANDARD_PROPERTY.get(("*", k)) or (getattr(KG, camel(k)),)
        for item in v if isinstance(v, (list, tuple)) else [v]:
            lit = _literal(item)
            for p in preds:
                yield s, p, lit

    def _provenance(self, n: PGNode, s: URIRef) -> Iterator[tuple]:
        props, base = n.props, self.base
        paper = n.paper
        pq = quote(str(paper), safe="") if paper is not None else "_"
        sentence = props.get("sentence")
        if sentence is not None:
            fld = props.get("field") or "abstract"
            span = sentence_span(n.source, sentence, props.get("start"), props.get("end"))
            tail = f"{span[0]}-{span[1]}" if span else "sha1-" + hashlib.sha1(sentence.encode("utf-8")).hexdigest()[:12]
            sent = URIRef(f"{base}sentence/{pq}/{quote(fld, safe='')}/{tail}")
            yield s, PROV.wasDerivedFrom, sent
            if self._once(sent):
                yield sent, RDF.type, KG.Sentence
                yield sent, RDF.type, PROV.Entity
                yield sent, PROV.value, Literal(sentence)
                yield sent, KG.field, Literal(fld)
                if span:
                    yield sent, KG.start, _literal(span[0])
                    yield sent, KG.end, _literal(span[1])
                if paper is not None:
                    yield sent, PROV.wasQuotedFrom, self.iri("Paper", paper)
        version = props.get("extractor_version")
        if version is not None:
            act = URIRef(f"{base}extraction/{pq}/{quote(str(version), safe='')}")
            agent = URIRef(f"{base}extractor/{quote(str(version), safe='')}")
            yield s, PROV.wasGeneratedBy, act
            if self._once(act):
                yield act, RDF.type, KG.Extraction
                yield act, RDF.type, PROV.Activity
                yield act, PROV.wasAssociatedWith, agent
                if paper is not None:
                    yield act, PROV.used, self.iri("Paper", paper)
            if self._once(agent):
                yield agent, RDF.type, KG.Extractor
                yield agent, RDF.type, PROV.SoftwareAgent
                yield agent, RDFS.label, Literal(str(version))
                yield agent, KG.extractorVersion, Literal(str(version))

    # relationships ---------------------------------------------------------------------
    def rel(self, r: PGRel) -> Iterator[tuple]:
        a, b = self.iri(*r.start), self.iri(*r.end)
        if r.type in RUN_RELATIONSHIP:
            yield run_iri(self.base, r.start[1]), RUN_RELATIONSHIP[r.type], b
            return
        if r.type in RESULT_RELATIONSHIP:
            yield a, RESULT_RELATIONSHIP[r.type], b
            return
        pred = getattr(KG, camel(r.type))
        yield a, pred, b
        props = {k: v for k, v in (r.properties or {}).items() if v is not None}
        if props:
            st = URIRef(f"{a}/{camel(r.type)}/{quote(str(r.end[1]), safe='')}")
            yield st, RDF.type, RDF.Statement
            yield st, RDF.subject, a
            yield st, RDF.predicate, pred
            yield st, RDF.object, b
            for k, v in props.items():
                for item in v if isinstance(v, (list, tuple)) else [v]:
                    yield st, getattr(KG, camel(k)), _literal(item)

    def triples(self, elements: Iterable[PGNode | PGRel]) -> Iterator[tuple]:
        for e in elements:
            yield from (self.node(e) if isinstance(e, PGNode) else self.rel(e))


# sources -----------------------------------------------------------------------------

def neo4j_elements(driver, *, database: str | None = None, batch_size: int = 5000,
                   schema: dict | None = None) -> Iterator[PGNode | PGRel]:
    """The graph's nodes, then its relationships, read in pages of ``batch_size``.

    Nodes are paged by key (``WHERE n.key > $last ORDER BY n.key LIMIT $n``: an index
    seek on the uniqueness constraint); relationships by their start nodes' keys, one
    relationship type at a time. Each page is one read transaction.
    """
    schema = schema or load_schema()
    paper_rel = {spec["to"]: t for t, spec in schema["relationships"].items()
                 if spec["from"] == "Paper" and spec["to"] in ("Result", "Claim")}

    def pages(query_first: str, query_next: str, key_of) -> Iterator[list]:
        last = None
        with driver.session(database=database, default_access_mode="READ") as s:
            while True:
                q = query_first if last is None else query_next
                rows = s.execute_read(lambda tx: list(tx.run(q, last=last, limit=batch_size)))
                if not rows:
                    return
                yield rows
                keys = [key_of(r) for r in rows if key_of(r) is not None]
                if not keys:
                    return
                last = max(keys)
                if len({*keys}) < batch_size:
                    return

    for label, spec in schema["nodes"].items():
        k = spec["key"]
        ret = "RETURN properties(n) AS props"
        extra = ""
        if label in paper_rel:
            extra = (f" OPTIONAL MATCH (p:Paper)-[:{paper_rel[label]}]->(n)")
            ret += ", p.id AS paper, CASE n.field WHEN 'title' THEN p.title ELSE p.abstract END AS source"
        first = f"MATCH (n:{label}) WHERE n.{k} IS NOT NULL WITH n ORDER BY n.{k} LIMIT $limit{extra} {ret}"
        nxt = f"MATCH (n:{label}) WHERE n.{k} > $last WITH n ORDER BY n.{k} LIMIT $limit{extra} {ret}"
        for rows in pages(first, nxt, lambda r, k=k: r["props"][k]):
            for r in rows:
                if label in paper_rel:
                    yield PGNode(label, dict(r["props"]), r["paper"], r["source"])
                else:
                    yield PGNode(label, dict(r["props"]))

    for rel, spec in schema["relationships"].items():
        fa, fb = spec["from"], spec["to"]
        ka, kb = schema["nodes"][fa]["key"], schema["nodes"][fb]["key"]
        tail = (f" WITH a ORDER BY a.{ka} LIMIT $limit OPTIONAL MATCH (a)-[r:{rel}]->(b:{fb}) "
                f"RETURN a.{ka} AS a, b.{kb} AS b, properties(r) AS props")
        first = f"MATCH (a:{fa}) WHERE a.{ka} IS NOT NULL" + tail
        nxt = f"MATCH (a:{fa}) WHERE a.{ka} > $last" + tail
        for rows in pages(first, nxt, lambda r: r["a"]):
            for r in rows:
                if r["b"] is not None:
                    yield PGRel(rel, (fa, r["a"]), (fb, r["b"]), dict(r["props"] or {}))


def records_elements(records: Iterable, *, batch_size: int = 200, consolidate: bool = True,
                     schema: dict | None = None) -> Iterator[PGNode | PGRel]:
    """The graph :class:`kg.store.writer.GraphWriter` builds from ``records`` in an empty
    database, built in memory (no server) and then yielded element by element.

    It follows the writer: entity keys from :func:`kg.graph.resolve.resolve_entity`, ids
    ``<paper>#r<i>`` / ``#c<i>``, aliases accumulated in order, a lexicon or catalogue
    name always winning over a surface name (which is kept from its first batch of
    ``batch_size`` papers, the writer's default), a paper seen again replacing its
    results, claims and links. With ``consolidate`` (the default) the graph-level passes
    of :mod:`kg.graph.consolidate` follow, as after ``GraphWriter.write``: acronym merges
    (:func:`kg.graph.consolidate.plan_merges`) and ``VARIANT_OF`` links to families that are
    nodes or lexicon methods. ``loaded_at`` exists only in Neo4j.
    """
    from kg.graph.model import stage

    g = stage(records, batch_size=batch_size, consolidate=consolidate, schema=schema)
    yield from staged_elements(g)


def staged_elements(g) -> Iterator[PGNode | PGRel]:
    """The elements of a :class:`kg.graph.model.StagedGraph`: its nodes (a Result or a Claim
    with its paper and the text its sentence is in), then its relationships."""
    for n in g.graph_nodes():
        if n.label in ("Result", "Claim"):
            yield PGNode(n.label, n.properties, *g.source_text(n.key, n.properties))
        else:
            yield PGNode(n.label, n.properties)
    yield from g.graph_relationships()


# triples, graphs, files ----------------------------------------------------------------

def iter_triples(driver, *, base: str = DEFAULT_BASE, database: str | None = None,
                 batch_size: int = 5000) -> Iterator[tuple]:
    """The Neo4j graph's triples, read in pages of ``batch_size`` (see :func:`neo4j_elements`)."""
    schema = load_schema()
    return Mapper(base, schema).triples(neo4j_elements(driver, database=database, batch_size=batch_size, schema=schema))


def iter_record_triples(records: Iterable, *, base: str = DEFAULT_BASE, consolidate: bool = True) -> Iterator[tuple]:
    """The triples of the graph built from extraction records (see :func:`records_elements`)."""
    schema = load_schema()
    return Mapper(base, schema).triples(records_elements(records, consolidate=consolidate, schema=schema))


def new_graph(base: str = DEFAULT_BASE) -> Graph:
    """An empty rdflib Graph with kg's prefixes (and ``res:`` for ``base``) bound."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    g.bind("res", Namespace(base))
    return g


def export_graph(driver, *, base: str = DEFAULT_BASE, database: str | None = None) -> Graph:
    """The whole Neo4j graph as an rdflib Graph (prefixes bound)."""
    g = new_graph(base)
    for t in iter_triples(driver, base=base, database=database):
        g.add(t)
    return g


def records_graph(records: Iterable, *, base: str = DEFAULT_BASE, consolidate: bool = True) -> Graph:
    """The graph built from extraction records as an rdflib Graph (no server)."""
    g = new_graph(base)
    for t in iter_record_triples(records, base=base, consolidate=consolidate):
        g.add(t)
    return g


def rdf_format(name: str) -> str:
    """rdflib's plugin name for a ``--format`` value; :class:`ExportError` lists valid ones."""
    if name not in FORMATS:
        raise ExportError(f"unknown RDF format {name!r}; valid: turtle, nt, jsonld, xml")
    return FORMATS[name]


def write_rdf(triples: Iterable[tuple], out: IO[bytes], fmt: str, *, base: str = DEFAULT_BASE,
              keep: bool = False) -> tuple[int, Graph | None]:
    """Write ``triples`` to the binary stream ``out`` in ``fmt``; returns ``(triples
    written, graph)``. N-Triples streams line by line and returns a graph only with
    ``keep`` (for validation); the other formats build one Graph and return it."""
    from rdflib.plugins.serializers.nt import _nt_row

    fmt = rdf_format(fmt)
    if fmt == "nt":
        g = new_graph(base) if keep else None
        n = 0
        buf: list[str] = []
        for t in triples:
            buf.append(_nt_row(t))
            n += 1
            if g is not None:
                g.add(t)
            if len(buf) >= 5000:
                out.write("".join(buf).encode("utf-8"))
                buf.clear()
        out.write("".join(buf).encode("utf-8"))
        return n, g
    g = new_graph(base)
    for t in triples:
        g.add(t)
    extra = {"auto_compact": True} if fmt == "json-ld" else {}  # a prefix @context: ~40% smaller
    g.serialize(destination=out, format=fmt, encoding="utf-8", **extra)
    return len(g), g


def guess_format(path: Path) -> str:
    """The rdflib format of an RDF file from its suffix (``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``)."""
    fmt = SUFFIX_FORMAT.get(path.suffix.lower())
    if fmt is None:
        raise ExportError(f"cannot tell the RDF format of {path} from its suffix; "
                          f"use one of {', '.join(sorted(SUFFIX_FORMAT))}")
    return fmt


def load_rdf(path: Path, fmt: str | None = None) -> Graph:
    """Parse an RDF file (format from ``fmt`` or the suffix)."""
    g = Graph()
    try:
        g.parse(path, format=rdf_format(fmt) if fmt else guess_format(path))
    except (OSError, ValueError, SyntaxError) as e:
        raise ExportError(f"cannot read RDF from {path}: {one_line(e, typed=True)}") from None
    except Exception as e:  # noqa: BLE001 - rdflib parsers raise their own (BadSyntax, ...)
        raise ExportError(f"cannot read RDF from {path}: {one_line(e, typed=True)}") from None
    return g


# SHACL ---------------------------------------------------------------------------------

@dataclass
class Validation:
    """What pyshacl found: ``conforms``, and one dict per violation (``focus``, ``path``,
    ``value``, ``constraint``, ``severity``, ``message``), sorted by focus node and path."""

    conforms: bool
    violations: list[dict]
    seconds: float


@lru_cache(maxsize=2)
def _shapes(path: str) -> Graph:
    return Graph().parse(path, format="turtle")


def shapes_graph(path: Path = SHAPES) -> Graph:
    """``schema/shapes.ttl`` parsed (cached)."""
    return _shapes(str(path))


def validate(data: Graph, shapes: Path = SHAPES) -> Validation:
    """Validate ``data`` against the SHACL shapes with pyshacl (no inference: the export
    states every type it relies on)."""
    import time

    from pyshacl import validate as shacl_validate

    t0 = time.perf_counter()
    conforms, report, _ = shacl_validate(data, shacl_graph=shapes_graph(shapes), inference="none",
                                         abort_on_first=False, allow_warnings=False, meta_shacl=False,
                                         advanced=True, js=False)
    rows = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        def one(p):
            v = report.value(r, p)
            return None if v is None else str(v)
        rows.append({"focus": one(SH.focusNode), "path": one(SH.resultPath), "value": one(SH.value),
                     "constraint": (one(SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1],
                     "severity": (one(SH.resultSeverity) or "").rsplit("#", 1)[-1],
                     "message": one(SH.resultMessage)})
    rows.sort(key=lambda d: (d["focus"] or "", d["path"] or "", d["constraint"]))
    return Validation(bool(conforms), rows, time.perf_counter() - t0)
