"""``kg stats``: what the graph holds and how its entities were resolved.

Reports node and relationship counts, the paper→entity links by resolution rule
(``catalogue``, ``lexicon``, ``surface``) with how many surface forms each rule folded
into how many nodes, the nodes that absorbed others by acronym (``merged_from``), the
``VARIANT_OF`` links, and how many results lack a dataset, a metric or a method.
"""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import Driver

from kg.store import cypher


@dataclass
class GraphStats:
    """Everything ``kg stats`` prints."""

    labels: dict[str, int]
    relationships: dict[str, int]
    link_rules: list[dict]
    merged: list[dict]
    variants: int
    result_gaps: dict[str, int]


def graph_stats(driver: Driver, database: str | None = None) -> GraphStats:
    """Read the statistics in read transactions."""
    def q(stmt: str) -> list[dict]:
        recs, _, _ = driver.execute_query(stmt, database_=database, routing_="r")
        return [dict(r) for r in recs]

    from kg.store.writer import graph_counts

    labels, rels = graph_counts(driver, database)
    gaps = q(cypher.RESULT_GAPS)
    return GraphStats(labels=labels, relationships=rels, link_rules=q(cypher.LINK_RULES), merged=q(cypher.MERGED_NODES),
                      variants=q(cypher.VARIANT_COUNT)[0]["n"], result_gaps=gaps[0] if gaps else {})
