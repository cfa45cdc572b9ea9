"""The graph writer: PaperRecords into Neo4j, idempotently.

``GraphWriter.write`` applies ``schema/graph.json``'s constraints and indexes
(``CREATE ... IF NOT EXISTS``), then loads records in batches, each batch one managed write
transaction (``Session.execute_write``, which the driver retries on transient errors,
so a paper is never half-stored). Nodes are MERGEd on stable keys (Paper.id, entity
``key`` from :mod:`kg.resolve`, Result/Claim ids ``<paper id>#r<i>``/``#c<i>``).
A paper already stored with the same content hash and extractor version is skipped;
one stored with another is replaced (its Results and Claims deleted first).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import ClientError, DatabaseError, Neo4jError

from . import cypher
from .errors import KgError
from .records import PaperRecord
from .consolidate import ConsolidationReport, consolidate
from .resolve import metric_info, resolve_entity
from .schema import SchemaError, check_rows, load_schema, schema_statements

ROLE_REL = {"proposed": "PROPOSES", "used": "USES", "compared": "COMPARES_WITH", None: "USES"}
FIELD_LABEL = {"methods": "Method", "datasets": "Dataset", "metrics": "Metric", "tasks": "Task"}
FIELD_REL = {"datasets": "EVALUATES_ON", "metrics": "MEASURES", "tasks": "ADDRESSES"}


class WriteError(KgError):
    """The graph could not be written (the message names the batch and the reason)."""


class _BadBatch(Exception):
    """A batch the server or the schema refused because of its data (not a fault)."""


@dataclass
class WriteReport:
    """What a write did: papers written / skipped (same content), and key rules used."""

    written: int = 0
    skipped: int = 0
    key_rules: Counter = field(default_factory=Counter)
    consolidation: ConsolidationReport | None = None
    rejected: list[tuple[str, str]] = field(default_factory=list)


def batch_rows(records: list[PaperRecord], schema: dict, key_rules: Counter | None = None) -> dict[str, list]:
    """The rows a batch of records becomes, validated against the schema: ``papers``,
    ``entities`` (``[(label, rows)]``, one row per node key), ``links`` (``[(label, type,
    rows)]``), ``results``/``claims`` (with endpoint keys ``method``, ``dataset``, ``metric``,
    ``compared_to`` / ``results``, ``subject``, ``object``) and ``repos``. Shared by the
    Neo4j writer and the server-less RDF export, so both build the same graph.
    Raises :class:`SchemaError` for a row that does not fit the schema."""
    key_rules = key_rules if key_rules is not None else Counter()
    rows: dict[str, list] = {"papers": [], "results": [], "claims": [], "repos": []}
    ent_rows: dict[str, dict[str, dict]] = {lbl: {} for lbl in FIELD_LABEL.values()}
    links: dict[tuple[str, str], list] = {}
    for rec in records:
        rows["papers"].append({"id": rec.id, "title": rec.title, "abstract": rec.abstract, "date": rec.date,
                               "sources": list(rec.sources), "content_hash": rec.content_hash,
                               "extractor_version": rec.extractor_version})
        keys: dict[tuple[str, str], str] = {}
        for fname, entities in rec.entities().items():
            label = FIELD_LABEL[fname]
            for e in entities:
                res = resolve_entity(fname, e)
                key = res.key
                key_rules[res.rule] += 1
                for form in (e.name, *e.aliases):
                    keys[(fname, form)] = key
                row = ent_rows[label].setdefault(key, {"key": key, "name": res.name, "aliases": [],
                                                      "canonical": res.rule != "surface"})
                for a in (e.name, *e.aliases):
                    if a not in row["aliases"]:
                        row["aliases"].append(a)
                if label == "Metric":
                    info = metric_info(e.name) or next((metric_info(a) for a in e.aliases if metric_info(a)), None)
                    row["higher_is_better"] = info.higher_is_better if info else None
                    row["unit"] = info.unit if info else None
                rel = ROLE_REL[e.role] if fname == "methods" else FIELD_REL[fname]
                links.setdefault((label, rel), []).append({"paper": rec.id, "key": key, "surface": e.name, "rule": res.rule})
        for i, r in enumerate(rec.results):
            p = r.provenance
            rows["results"].append({
                "paper": rec.id, "id": f"{rec.id}#r{i}", "value": r.value, "value_max": r.value_max, "unit": r.unit,
                "kind": r.kind, "text": r.text, "sentence": p.sentence, "field": p.field, "start": p.start,
                "end": p.end, "extractor": p.extractor, "extractor_version": rec.extractor_version,
                "confidence": p.confidence,
                "method": keys.get(("methods", r.method)), "dataset": keys.get(("datasets", r.dataset)),
                "metric": keys.get(("metrics", r.metric)), "compared_to": keys.get(("methods", r.compared_to)),
            })
        for i, c in enumerate(rec.claims):
            p = c.provenance
            rows["claims"].append({
                "paper": rec.id, "id": f"{rec.id}#c{i}", "type": c.type, "sentence": p.sentence, "field": p.field,
                "start": p.start, "end": p.end, "extractor": p.extractor, "extractor_version": rec.extractor_version,
                "confidence": p.confidence, "results": [f"{rec.id}#r{j}" for j in c.results],
                "subject": keys.get(("methods", c.subject)), "object": keys.get(("methods", c.object)),
            })
        if rec.code_url:
            rows["repos"].append({"paper": rec.id, "url": rec.code_url})
    rows["entities"] = [(lbl, list(d.values())) for lbl, d in ent_rows.items() if d]
    rows["links"] = [(lbl, rel, r) for (lbl, rel), r in links.items()]
    check_rows(schema, "Paper", rows["papers"])
    for lbl, erows in rows["entities"]:
        check_rows(schema, lbl, erows, ignore=frozenset({"canonical"}))
    for _, rel, lrows in rows["links"]:
        check_rows(schema, rel, lrows, relationship=True, ignore=frozenset({"paper", "key"}))
    endpoints = frozenset({"paper", "method", "dataset", "metric", "compared_to", "results", "subject", "object"})
    check_rows(schema, "Result", rows["results"], ignore=endpoints)
    check_rows(schema, "Claim", rows["claims"], ignore=endpoints)
    check_rows(schema, "Repository", rows["repos"], ignore=endpoints)
    return rows


class GraphWriter:
    """Writes PaperRecords to a Neo4j database through one driver.

    ``database`` None uses the server's default database.
    """

    def __init__(self, driver: Driver, database: str | None = None, batch_size: int = 1000):
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self.schema = load_schema()

    def ensure_schema(self) -> None:
        """Apply the schema's constraints and indexes (idempotent), each in a managed
        transaction so that a concurrent loader's schema change is retried, not fatal."""
        with self.driver.session(database=self.database) as s:
            for stmt in schema_statements(self.schema):
                s.execute_write(lambda tx, q=stmt: tx.run(q).consume())

    def _stored(self, ids: list[str]) -> dict[str, tuple[str, str]]:
        with self.driver.session(database=self.database) as s:
            res = s.execute_read(lambda tx: list(tx.run(cypher.STORED_HASHES, ids=ids)))
        return {r["id"]: (r["content_hash"], r["extractor_version"]) for r in res}

    @staticmethod
    def _write_batch(tx: ManagedTransaction, rows: dict[str, list], ids: list[str]) -> None:
        # papers first: their write locks make a concurrent load of the same papers wait
        # (see kg.cypher.DELETE_PAPER_PARTS); then the parts are deleted and CREATEd anew
        tx.run(cypher.MERGE_PAPERS, rows=rows["papers"]).consume()
        tx.run(cypher.DELETE_PAPER_PARTS, ids=ids).consume()
        for label, erows in rows["entities"]:
            tx.run(cypher.merge_entities(label), rows=erows).consume()
        for label, rel, lrows in rows["links"]:
            # one relationship per (paper, entity); the last row's surface and rule win
            unique = list({(r["paper"], r["key"]): r for r in lrows}.values())
            tx.run(cypher.link_paper(label, rel), rows=unique).consume()
        if rows["results"]:
            tx.run(cypher.CREATE_RESULTS, rows=rows["results"]).consume()
        if rows["claims"]:
            tx.run(cypher.CREATE_CLAIMS, rows=rows["claims"]).consume()
        if rows["repos"]:
            tx.run(cypher.MERGE_REPOSITORIES, rows=rows["repos"]).consume()

    def write(self, records: Iterable[PaperRecord], *, force: bool = False,
              progress: Callable[[int], None] | None = None) -> WriteReport:  # noqa: C901
        """Write records in batches; returns a :class:`WriteReport`.

        ``force`` rewrites papers even when stored with the same content hash and
        extractor version. ``progress`` is called with the number of records handled
        after each batch. A batch whose data the schema or the server refuses is written
        again paper by paper; papers that still fail are listed in ``report.rejected`` with
        the reason, and the others are stored. Raises :class:`WriteError` naming the batch's
        first paper when the server fails (unreachable, ...); earlier batches stay stored.
        """
        self.ensure_schema()
        report = WriteReport()
        batch: list[PaperRecord] = []

        def flush() -> None:
            if not batch:
                return
            todo = batch
            if not force:
                stored = self._stored([r.id for r in batch])
                todo = [r for r in batch if stored.get(r.id) != (r.content_hash, r.extractor_version)]
                report.skipped += len(batch) - len(todo)
            if todo:
                try:
                    self._commit(todo, report)
                except _BadBatch:
                    # one bad paper must not cost the others: write them one by one
                    failed = []
                    for rec in todo:
                        try:
                            self._commit([rec], report)
                        except _BadBatch as e:
                            failed.append((rec.id, str(e)))
                    if len(failed) == len(todo) > 1:
                        raise WriteError(f"every paper of the batch starting at {todo[0].id!r} failed: {failed[0][1]}")
                    report.rejected.extend(failed)
            if progress:
                progress(report.written + report.skipped)
            batch.clear()

        for rec in records:
            batch.append(rec)
            if len(batch) >= self.batch_size:
                flush()
        flush()
        try:
            report.consolidation = consolidate(self.driver, self.schema, self.database)
        except Neo4jError as e:
            raise WriteError(f"consolidation after the write: {type(e).__name__}: {str(e).splitlines()[0]}") from e
        return report

    def _commit(self, todo: list[PaperRecord], report: WriteReport) -> None:
        """Write ``todo`` in one managed transaction (retried by the driver on transient
        errors). Raises :class:`_BadBatch` when the data is at fault (a schema violation or
        a Cypher client error), :class:`WriteError` when the server is (unreachable, ...)."""
        ids = [r.id for r in todo]
        try:
            rows = batch_rows(todo, self.schema, report.key_rules)
            with self.driver.session(database=self.database) as s:
                s.execute_write(self._write_batch, rows, ids)
        except (SchemaError, ClientError, DatabaseError) as e:
            raise _BadBatch(f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}") from e
        except Exception as e:  # noqa: BLE001 - named and re-raised as kg's error
            raise WriteError(f"batch starting at paper {ids[0]!r}: {type(e).__name__}: "
                             f"{str(e).splitlines()[0] if str(e) else ''}") from e
        report.written += len(todo)

    def remove_paper(self, paper_id: str) -> bool:
        """Delete a paper with its Results and Claims, and entities nothing else links to.

        Returns True when the paper existed.
        """
        with self.driver.session(database=self.database) as s:
            def tx_fn(tx: ManagedTransaction) -> bool:
                existed = tx.run("MATCH (p:Paper {id: $id}) RETURN count(p) AS n", id=paper_id).single()["n"] > 0
                tx.run(cypher.REMOVE_PAPER, id=paper_id).consume()
                tx.run(cypher.DELETE_ORPHAN_ENTITIES).consume()
                return existed
            existed = s.execute_write(tx_fn)
        consolidate(self.driver, self.schema, self.database)
        return existed

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """``(nodes per label, relationships per type)`` in the database."""
        return graph_counts(self.driver, self.database)


def graph_counts(driver: Driver, database: str | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """``(nodes per label, relationships per type)``, sorted by name, each from Neo4j's
    count store (one ``MATCH (n:Label) RETURN count(n)`` per label: constant time, where a
    ``labels(n)`` filter scans every node)."""
    def work(tx: ManagedTransaction) -> tuple[dict[str, int], dict[str, int]]:
        labels = sorted(r["label"] for r in tx.run("CALL db.labels() YIELD label RETURN label"))
        types = sorted(r["t"] for r in tx.run("CALL db.relationshipTypes() YIELD relationshipType AS t RETURN t"))
        return ({lbl: tx.run(cypher.count_nodes(lbl)).single()["n"] for lbl in labels},
                {t: tx.run(cypher.count_relationships(t)).single()["n"] for t in types})

    with driver.session(database=database) as s:
        return s.execute_read(work)
