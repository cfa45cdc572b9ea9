"""The graph writer: PaperRecords into Neo4j, idempotently.

``GraphWriter.write`` applies ``schema/graph.json``'s constraints and indexes
(``CREATE ... IF NOT EXISTS``), then loads records in batches, each batch one managed write
transaction (``Session.execute_write``, which the driver retries on transient errors,
so a paper is never half-stored). Nodes are MERGEd on stable keys (Paper.id, entity
``key`` from :mod:`kg.graph.resolve`, Result/Claim ids ``<paper id>#r<i>``/``#c<i>``).
A Result's ``qualifier`` ("up to") and ``setting`` ("zero-shot"; derived from the metric's
words by :func:`kg.graph.resolve.metric_setting` when the record has none) are properties, not
part of its id: the id is the clause's position in its paper, so "up to 12%" and "12%" for
the same method, dataset and metric are already two Results, and a reload gives each the
same id again. A Metric carries its catalogue ``family`` ("AP" for box AP and mask AP).
A paper already stored with the same content hash and extractor version is skipped;
one stored with another is replaced (its Results and Claims deleted first).
"""

from __future__ import annotations

import queue
import time
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from dataclasses import dataclass, field
from pathlib import Path

from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import ClientError, DatabaseError, Neo4jError

from kg.store import cypher
from kg.errors import KgError, one_line
from kg.graph.records import PaperRecord
from kg.graph.consolidate import ConsolidationReport, consolidate
from kg.graph.model import ENTITY_LABELS, GraphBatch, build_batch, entity_keys
from kg.graph.schema import SchemaError, load_schema, schema_statements


class WriteError(KgError):
    """The graph could not be written (the message names the batch and the reason)."""


class _BadBatch(Exception):
    """A batch the server or the schema refused because of its data (not a fault)."""


@dataclass
class WriteReport:
    """What a write did: papers written / skipped (same content), key rules used, the
    entity keys of the load's papers, written or skipped (``entities``: what consolidation
    looks at, so a rerun of a load killed before its consolidation completes it), rejected
    papers."""

    written: int = 0
    skipped: int = 0
    key_rules: Counter = field(default_factory=Counter)
    consolidation: ConsolidationReport | None = None
    rejected: list[tuple[str, str]] = field(default_factory=list)
    entities: dict[str, set[str]] = field(default_factory=dict)  # {label: keys} the load's records name

    def touch(self, keys: dict[str, set[str]]) -> None:
        for label, ks in keys.items():
            self.entities.setdefault(label, set()).update(ks)


_DONE = object()


def _prefetch(items: Iterable, ahead: int = 2) -> Iterator:
    """Iterate ``items`` in a worker thread, at most ``ahead`` items ahead of the consumer
    (a one-thread :class:`~concurrent.futures.ThreadPoolExecutor` running ``next`` calls in
    order); an exception raised there is raised here. When the consumer stops early (an
    error), the calls not started are cancelled and the worker finishes its current item."""
    it = iter(items)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-writer-prefetch") as pool:
        pending = deque(pool.submit(next, it, _DONE) for _ in range(max(1, ahead)))
        try:
            while True:
                item = pending.popleft().result()
                if item is _DONE:
                    return
                pending.append(pool.submit(next, it, _DONE))
                yield item
        finally:
            for f in pending:
                f.cancel()


def _file_batch_worker(paths: list[Path], batch_size: int, schema: dict, out) -> None:
    """Child process of :func:`_file_batches`: read and validate the files' lines, and
    send ``("batch", lines, [(id, content_hash, extractor_version)], GraphBatch or the
    SchemaError)`` per batch, then ``("done",)``, or ``("error", message)``."""
    from kg.ingest.extractions import read_records

    try:
        lines: list[str] = []
        recs: list[PaperRecord] = []

        def send() -> None:
            try:
                prepared = build_batch(recs, schema)
            except SchemaError as e:
                prepared = e
            out.put(("batch", list(lines), [(r.id, r.content_hash, r.extractor_version) for r in recs], prepared))
            lines.clear()
            recs.clear()

        for path in paths:
            for line, rec in read_records(path, with_lines=True):
                lines.append(line)
                recs.append(rec)
                if len(recs) >= batch_size:
                    send()
        if recs:
            send()
        out.put(("done",))
    except KgError as e:
        out.put(("error", str(e)))
    except BaseException as e:  # noqa: BLE001 - reported to the parent
        out.put(("error", one_line(e, typed=True)))


def _file_batches(paths: list[Path], batch_size: int, schema: dict) -> Iterator[tuple]:
    """``(lines, keys, prepared)`` per batch of the files, made by a child process (the
    ``fork`` start method where there is one) at most four batches ahead (it evens out
    the server's pauses). Raises :class:`KgError` with the child's message (e.g. a bad
    line)."""
    import multiprocessing as mp

    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    q = ctx.Queue(maxsize=4)
    child = ctx.Process(target=_file_batch_worker, args=(paths, batch_size, schema, q), daemon=True)
    child.start()
    try:
        while True:
            try:
                msg = q.get(timeout=5)
            except queue.Empty:
                if not child.is_alive():
                    raise KgError(f"the reader of {', '.join(map(str, paths))} died (exit code {child.exitcode})") from None
                continue
            if msg[0] == "done":
                return
            if msg[0] == "error":
                raise KgError(msg[1])
            yield msg[1:]
    finally:
        if child.is_alive():
            child.terminate()
        child.join(timeout=10)


def write_batch(tx: ManagedTransaction, batch: GraphBatch, schema: dict) -> None:
    """One batch as parameterised ``UNWIND $rows`` statements in one transaction.

    Papers first: their write locks make a concurrent load of the same papers wait (see
    :data:`kg.store.cypher.DELETE_PAPER_PARTS`); then their parts and links are deleted,
    entities and Repositories MERGEd on their keys, and Results, Claims and every
    relationship CREATEd anew."""
    nodes = batch.nodes_by_label()
    tx.run(cypher.MERGE_PAPERS, rows=[n.properties for n in nodes.pop("Paper", [])]).consume()
    tx.run(cypher.DELETE_PAPER_PARTS, ids=batch.papers).consume()
    for label, group in nodes.items():
        if label in ENTITY_LABELS:
            stmt, rows = cypher.merge_entities(label), [{**n.properties, "canonical": n.canonical} for n in group]
        elif label == "Repository":
            stmt, rows = cypher.merge_nodes(label, schema["nodes"][label]["key"]), [
                {"key": n.key, "props": n.properties} for n in group]
        else:
            stmt, rows = cypher.create_nodes(label), [{"props": n.properties} for n in group]
        tx.run(stmt, rows=rows).consume()
    for rel, group in batch.relationships_by_type().items():
        spec = schema["relationships"][rel]
        stmt = cypher.create_relationships(rel, (spec["from"], schema["nodes"][spec["from"]]["key"]),
                                           (spec["to"], schema["nodes"][spec["to"]]["key"]))
        tx.run(stmt, rows=[{"start": r.start[1], "end": r.end[1], "props": r.properties} for r in group]).consume()


# a concurrent loader created the same rule between our IF NOT EXISTS check and our create
# (Neo4j status codes, https://neo4j.com/docs/status-codes/current/errors/all-errors/)
_RULE_EXISTS = frozenset({"Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
                          "Neo.ClientError.Schema.ConstraintAlreadyExists", "Neo.ClientError.Schema.IndexAlreadyExists"})


def _apply_schema_rule(session, stmt: str, attempts: int = 3) -> None:
    """Run one ``CREATE ... IF NOT EXISTS`` schema statement. Two loaders creating the same
    rule at once race inside the server: the loser gets "already exists" (the rule is
    there: done) or a general error from the schema change (tried again, up to
    ``attempts`` times, then raised)."""
    for attempt in range(attempts):
        try:
            session.execute_write(lambda tx: tx.run(stmt).consume())
            return
        except ClientError as e:
            if e.code in _RULE_EXISTS:
                return
            raise
        except DatabaseError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


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
        transaction so that a concurrent loader's schema change is retried, not fatal;
        a rule that a concurrent loader created meanwhile (``IF NOT EXISTS`` still raises
        ``EquivalentSchemaRuleAlreadyExists`` in that race) is what was wanted."""
        with self.driver.session(database=self.database) as s:
            for stmt in schema_statements(self.schema):
                _apply_schema_rule(s, stmt)

    def _stored(self, ids: list[str]) -> dict[str, tuple[str, str]]:
        with self.driver.session(database=self.database) as s:
            res = s.execute_read(lambda tx: list(tx.run(cypher.STORED_HASHES, ids=ids)))
        return {r["id"]: (r["content_hash"], r["extractor_version"]) for r in res}

    def write(self, records: Iterable[PaperRecord], *, force: bool = False,
              progress: Callable[[int], None] | None = None) -> WriteReport:
        """Write records in batches; returns a :class:`WriteReport`.

        ``force`` rewrites papers even when stored with the same content hash and
        extractor version. ``progress`` is called with the number of records handled
        after each batch. A batch whose data the schema or the server refuses is written
        again paper by paper; papers that still fail are listed in ``report.rejected`` with
        the reason, and the others are stored. Raises :class:`WriteError` naming the batch's
        first paper when the server fails (unreachable, ...); earlier batches stay stored.

        Pipelined: one thread reads ``records``, asks which are stored already and builds
        the next batch (:func:`kg.graph.model.build_batch`) while this one commits the current batch,
        so Python's work overlaps the server's (at most two batches ahead).
        """
        self.ensure_schema()
        report = WriteReport()
        for batch, todo, prepared in _prefetch(self._prepare(records, force)):
            report.skipped += len(batch) - len(todo)
            if len(todo) < len(batch):
                ids = {r.id for r in todo}
                report.touch(entity_keys(r for r in batch if r.id not in ids))
            if todo:
                self._commit_or_split([r.id for r in todo], prepared, report, lambda todo=todo: todo)
            if progress:
                progress(report.written + report.skipped)
        self._consolidate(report)
        return report

    def _prepare(self, records: Iterable[PaperRecord], force: bool):
        """``(batch, papers to write, their GraphBatch or the SchemaError)`` per batch."""
        batch: list[PaperRecord] = []
        for rec in chain(records, [None]):
            if rec is not None:
                batch.append(rec)
                if len(batch) < self.batch_size:
                    continue
            if not batch:
                break
            todo = batch
            if not force:
                stored = self._stored([r.id for r in batch])
                todo = [r for r in batch if stored.get(r.id) != (r.content_hash, r.extractor_version)]
            try:
                prepared = build_batch(todo, self.schema) if todo else None
            except SchemaError as e:
                prepared = e
            yield batch, todo, prepared
            batch = []

    def write_files(self, paths: Iterable[Path | str], *, force: bool = False,
                    progress: Callable[[int], None] | None = None) -> WriteReport:
        """:meth:`write` for ``kg extract`` JSONL files (``kg load``), with the reading,
        validation and row building in a child process (:func:`_file_batches`), so they
        run beside this process's Bolt traffic instead of sharing its interpreter lock.
        The graph is the same as ``write(chain(*map(read_records, paths)))``; a bad line
        raises :class:`kg.errors.KgError` naming it, after the batches before it are stored.
        """
        self.ensure_schema()
        report = WriteReport()
        for lines, keys, prepared in _file_batches([Path(p) for p in paths], self.batch_size, self.schema):
            stored = {} if force else self._stored([k[0] for k in keys])
            keep = [i for i, k in enumerate(keys) if stored.get(k[0]) != (k[1], k[2])]
            report.skipped += len(keys) - len(keep)
            if len(keep) < len(keys):  # the skipped papers' entities too
                if isinstance(prepared, GraphBatch):
                    report.touch(prepared.entity_keys())
                else:
                    kept = set(keep)
                    report.touch(entity_keys(PaperRecord.model_validate_json(line)
                                             for i, line in enumerate(lines) if i not in kept))
            if keep:
                todo_lines = [lines[i] for i in keep]

                def records(todo_lines=todo_lines) -> list[PaperRecord]:
                    return [PaperRecord.model_validate_json(line) for line in todo_lines]

                if len(keep) < len(keys):  # the rows were built for the whole batch
                    prepared = None
                self._commit_or_split([keys[i][0] for i in keep], prepared, report, records)
            if progress:
                progress(report.written + report.skipped)
        self._consolidate(report)
        return report

    def _consolidate(self, report: WriteReport) -> None:
        """The graph-level passes over what this load names (``report.entities``); after
        a write of no record at all (``kg load /dev/null``, e.g. after a neo4j-admin import
        made elsewhere) over the whole graph."""
        touched = report.entities if report.written or report.skipped or report.rejected else None
        try:
            report.consolidation = consolidate(self.driver, self.schema, self.database, touched=touched)
        except Neo4jError as e:
            raise WriteError(f"consolidation after the write: {one_line(e, typed=True)}") from e

    def _commit_or_split(self, ids: list[str], prepared, report: WriteReport,
                         records: Callable[[], list[PaperRecord]]) -> None:
        """Commit one batch (``ids``; ``records()`` gives its PaperRecords when needed);
        when its data is refused, paper by paper (one bad paper must not cost the
        others), rejecting only those that fail alone."""
        try:
            if isinstance(prepared, SchemaError):
                raise _BadBatch(one_line(prepared, typed=True))
            self._commit(ids, report, prepared, records)
        except _BadBatch:
            failed = []
            for rec in records():
                try:
                    self._commit([rec.id], report, None, lambda rec=rec: [rec])
                except _BadBatch as e:
                    failed.append((rec.id, str(e)))
            if len(failed) == len(ids) > 1:
                raise WriteError(f"every paper of the batch starting at {ids[0]!r} failed: {failed[0][1]}")
            report.rejected.extend(failed)

    def _commit(self, ids: list[str], report: WriteReport, prepared: tuple | None,
                records: Callable[[], list[PaperRecord]]) -> None:
        """Write papers ``ids`` in one managed transaction (retried by the driver on
        transient errors); ``prepared`` is their GraphBatch when already built,
        else they are built from ``records()``. Raises :class:`_BadBatch` when the data is
        at fault (a schema violation or a Cypher client error), :class:`WriteError` when
        the server is (unreachable, ...)."""
        try:
            batch = prepared if prepared is not None else build_batch(records(), self.schema)
            with self.driver.session(database=self.database) as s:
                s.execute_write(write_batch, batch, self.schema)
        except (SchemaError, ClientError, DatabaseError) as e:
            raise _BadBatch(one_line(e, typed=True)) from e
        except Exception as e:  # noqa: BLE001 - named and re-raised as kg's error
            raise WriteError(f"batch starting at paper {ids[0]!r}: {one_line(e, typed=True)}") from e
        report.written += len(ids)
        report.key_rules.update(batch.key_rules)
        report.touch(batch.entity_keys())

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
