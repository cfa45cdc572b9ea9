"""The writer's Cypher, in one place (saved user queries live in ``queries/``).

Every statement is parameterised and batched as ``UNWIND $rows AS row``; nodes are
``MERGE``d on the stable keys that ``schema/graph.json`` declares unique, so loading the
same records twice gives the same graph (Neo4j Cypher manual, "MERGE" and
"Constraints": MERGE on a uniquely-constrained property is safe under concurrency).
Relationship types and labels cannot be parameters in Cypher, so the few statements
that vary by label are built from the schema's fixed names, never from input.
"""

from __future__ import annotations

# A paper's own results and claims are replaced when it is loaded again, and its
# entity links are re-created: re-extraction replaces, never accumulates. The writer runs
# MERGE_PAPERS first, which write-locks each Paper node until the transaction commits, so
# a concurrent load of the same paper waits, then deletes what this one wrote: after the
# delete, the paper has no parts, and its links, results and claims are CREATEd (no MERGE
# needed: nothing of them can exist).
DELETE_PAPER_PARTS = """
UNWIND $ids AS id
MATCH (p:Paper {id: id})
OPTIONAL MATCH (p)-[:REPORTS|MAKES]->(x)
DETACH DELETE x
WITH DISTINCT p
OPTIONAL MATCH (p)-[r:PROPOSES|USES|COMPARES_WITH|EVALUATES_ON|MEASURES|ADDRESSES|HAS_CODE]->()
DELETE r
"""

MERGE_PAPERS = """
UNWIND $rows AS row
MERGE (p:Paper {id: row.id})
SET p.title = row.title, p.abstract = row.abstract, p.date = row.date,
    p.sources = row.sources, p.content_hash = row.content_hash,
    p.extractor_version = row.extractor_version, p.loaded_at = datetime()
"""

STORED_HASHES = """
UNWIND $ids AS id
MATCH (p:Paper {id: id})
RETURN p.id AS id, p.content_hash AS content_hash, p.extractor_version AS extractor_version
"""


def merge_entities(label: str) -> str:
    """MERGE entity nodes of ``label`` on ``key``; aliases accumulate without repeats. A
    name from the lexicon or the metric catalogue (``row.canonical``) always wins; a
    surface name is kept from the node's first load."""
    extra = (", e.higher_is_better = row.higher_is_better, e.unit = row.unit, e.family = row.family"
             if label == "Metric" else "")
    return f"""
UNWIND $rows AS row
MERGE (e:{label} {{key: row.key}})
ON CREATE SET e.name = row.name, e.aliases = []
SET e.name = CASE WHEN row.canonical THEN row.name ELSE e.name END,
    e.aliases = e.aliases + [a IN row.aliases WHERE NOT a IN e.aliases]{extra}
"""


def create_nodes(label: str) -> str:
    """CREATE nodes of ``label`` from rows ``{props}`` (a paper's Results and Claims, after
    DELETE_PAPER_PARTS: none of them can exist)."""
    return f"""
UNWIND $rows AS row
CREATE (n:{label})
SET n = row.props
"""


def merge_nodes(label: str, key: str) -> str:
    """MERGE nodes of ``label`` on ``key`` from rows ``{key, props}`` (Repositories)."""
    return f"""
UNWIND $rows AS row
MERGE (n:{label} {{{key}: row.key}})
SET n += row.props
"""


def create_relationships(rel: str, start: tuple[str, str], end: tuple[str, str]) -> str:
    """CREATE relationships ``(start label {start key})-[:rel]->(end label {end key})``
    from rows ``{start, end, props}``: the batch's links of its papers, after
    DELETE_PAPER_PARTS (the batch holds one row per relationship)."""
    return f"""
UNWIND $rows AS row
MATCH (a:{start[0]} {{{start[1]}: row.start}})
MATCH (b:{end[0]} {{{end[1]}: row.end}})
CREATE (a)-[r:{rel}]->(b)
SET r = row.props
"""


# an entity no paper or result points at any more (variant links alone do not keep one)
DELETE_ORPHAN_ENTITIES = """
MATCH (e) WHERE (e:Method OR e:Dataset OR e:Metric OR e:Task OR e:Repository)
  AND NOT EXISTS { (e)<-[r]-() WHERE type(r) <> 'VARIANT_OF' }
DETACH DELETE e
"""

REMOVE_PAPER = """
MATCH (p:Paper {id: $id})
OPTIONAL MATCH (p)-[:REPORTS|MAKES]->(x)
DETACH DELETE x, p
"""

def count_nodes(label: str) -> str:
    """Nodes of one label, from the count store (``label`` comes from ``db.labels()``)."""
    return f"MATCH (n:`{label.replace('`', '``')}`) RETURN count(n) AS n"


def count_relationships(rel_type: str) -> str:
    """Relationships of one type, from the count store."""
    return f"MATCH ()-[r:`{rel_type.replace('`', '``')}`]->() RETURN count(r) AS n"


# kg stats: how entities were resolved and what results lack
LINK_RULES = """
MATCH (:Paper)-[r:PROPOSES|USES|COMPARES_WITH|EVALUATES_ON|MEASURES|ADDRESSES]->(e)
WITH labels(e)[0] AS label, r.rule AS rule, r.surface AS surface, e.key AS key
RETURN label, rule, count(*) AS mentions, count(DISTINCT surface) AS surface_forms, count(DISTINCT key) AS nodes
ORDER BY label, rule
"""

MERGED_NODES = """
MATCH (n) WHERE n.merged_from IS NOT NULL
RETURN labels(n)[0] AS label, count(n) AS nodes, sum(size(n.merged_from)) AS absorbed
"""

RESULT_GAPS = """
MATCH (r:Result)
RETURN count(r) AS results,
       sum(CASE WHEN EXISTS { (r)-[:ON_DATASET]->() } THEN 0 ELSE 1 END) AS without_dataset,
       sum(CASE WHEN EXISTS { (r)-[:MEASURED_BY]->() } THEN 0 ELSE 1 END) AS without_metric,
       sum(CASE WHEN EXISTS { (r)-[:OF_METHOD]->() } THEN 0 ELSE 1 END) AS without_method
"""

VARIANT_COUNT = "MATCH (:Method)-[v:VARIANT_OF]->(:Method) RETURN count(v) AS n"
