"""Graph-level resolution passes, run after every write (see :mod:`kg.graph.resolve`).

1. **Acronym merges.** A node whose surface forms hold an acronym and its long form
   (Schwartz & Hearst's test, :func:`kg.extractors.acronyms.best_long_form`) absorbs the node
   keyed by that long form alone: "Masked Autoencoder" from one paper joins "MAE
   (Masked Autoencoder)" from another. A long form claimed by two acronym nodes, or an
   acronym with two long forms ("SAM": Segment Anything Model / Sharpness-Aware
   Minimization), merges nothing. Relationships move to the surviving node with their
   properties; the absorbed key goes to its ``merged_from`` list.
2. **Variant links.** A Method named with a size or configuration suffix gets
   ``VARIANT_OF`` its nearest family (:func:`kg.graph.resolve.variant_families`) that is a node
   of the graph or a method of the lexicon (then the family node is created).

Both passes read the whole label's nodes (key, name, aliases), so the result does not
depend on the order papers were loaded in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from neo4j import Driver

from kg.extractors.rules import best_long_form, is_short_form, norm_key

from kg.graph.records import Entity
from kg.graph.resolve import PREFIX, resolve_entity, variant_families

LABEL_FIELD = {"Method": "methods", "Dataset": "datasets", "Task": "tasks"}


@dataclass
class ConsolidationReport:
    """Counts of what the passes did: ``merged[label]`` nodes absorbed, ``variants`` links
    written, ``families_created`` family nodes created, ``ambiguous`` acronyms skipped."""

    merged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    variants: int = 0
    families_created: int = 0
    ambiguous: set[str] = field(default_factory=set)


def acronym_pairs(forms: list[str]) -> list[tuple[str, str]]:
    """``(short, long)`` pairs among one node's surface forms."""
    out = []
    for s in forms:
        if not is_short_form(s):
            continue
        for lf in forms:
            if lf != s and len(lf.split()) > 1 and best_long_form(s, lf) == 0:
                out.append((s, lf))
    return out


def plan_merges(nodes: list[dict], prefix: str) -> tuple[dict[str, str], set[str]]:
    """Which node keys fold into which: ``{absorbed key: surviving key}``, and the
    ambiguous acronyms. ``nodes`` are dicts with ``key``, ``name``, ``aliases``."""
    long_to_nodes: dict[str, set[str]] = defaultdict(set)
    short_to_longs: dict[str, set[str]] = defaultdict(set)
    for n in nodes:
        forms = [n["name"], *(n.get("aliases") or [])]
        for s, lf in acronym_pairs(forms):
            long_to_nodes[f"{prefix}:{norm_key(lf)}"].add(n["key"])
            short_to_longs[norm_key(s)].add(norm_key(lf))
    ambiguous = {s for s, longs in short_to_longs.items() if len(longs) > 1}
    keys = {n["key"] for n in nodes}
    plan: dict[str, str] = {}
    for long_key, owners in long_to_nodes.items():
        if len(owners) != 1 or long_key not in keys:
            continue
        owner = next(iter(owners))
        if owner == long_key or owner.split(":", 1)[1] in ambiguous:
            continue
        plan[long_key] = owner
    # never absorb a node that itself absorbs others
    plan = {src: dst for src, dst in plan.items() if src not in plan.values()}
    return plan, ambiguous


def _rels(schema: dict, label: str) -> tuple[list[str], list[str]]:
    out_types = [t for t, s in schema["relationships"].items() if s["from"] == label]
    in_types = [t for t, s in schema["relationships"].items() if s["to"] == label]
    return out_types, in_types


def merge_statement(schema: dict, label: str) -> str:
    """Cypher that folds node ``row.src`` into ``row.dst`` for every row, moving every
    relationship type the schema gives the label (types cannot be parameters)."""
    out_types, in_types = _rels(schema, label)
    calls = []
    for t in out_types:
        calls.append(f"CALL (a, b) {{ MATCH (b)-[r:{t}]->(o) WHERE o <> a "
                     f"MERGE (a)-[r2:{t}]->(o) SET r2 += properties(r) }}")
    for t in in_types:
        calls.append(f"CALL (a, b) {{ MATCH (o)-[r:{t}]->(b) WHERE o <> a "
                     f"MERGE (o)-[r2:{t}]->(a) SET r2 += properties(r) }}")
    return (f"UNWIND $rows AS row\nMATCH (b:{label} {{key: row.src}})\nMATCH (a:{label} {{key: row.dst}})\n"
            + "\n".join(calls)
            + "\nSET a.aliases = a.aliases + [x IN b.aliases WHERE NOT x IN a.aliases],\n"
              "    a.merged_from = coalesce(a.merged_from, []) + [b.key] + coalesce(b.merged_from, [])\n"
              "DETACH DELETE b")


VARIANT_LINKS = """
UNWIND $rows AS row
MATCH (v:Method {key: row.variant})
MERGE (f:Method {key: row.family})
ON CREATE SET f.name = row.family_name, f.aliases = []
MERGE (v)-[r:VARIANT_OF]->(f)
SET r.rule = 'variant_suffix'
"""


def _nodes(driver: Driver, database: str | None, label: str) -> list[dict]:
    recs, _, _ = driver.execute_query(
        f"MATCH (n:{label}) RETURN n.key AS key, n.name AS name, n.aliases AS aliases",
        database_=database, routing_="r")
    return [dict(r) for r in recs]


def consolidate(driver: Driver, schema: dict, database: str | None = None) -> ConsolidationReport:
    """Run both passes on the database; returns what they did."""
    report = ConsolidationReport()
    for label, fname in LABEL_FIELD.items():
        plan, ambiguous = plan_merges(_nodes(driver, database, label), PREFIX[fname])
        report.ambiguous |= ambiguous
        if plan:
            rows = [{"src": s, "dst": d} for s, d in sorted(plan.items())]
            driver.execute_query(merge_statement(schema, label), rows=rows, database_=database)
            report.merged[label] += len(rows)
    methods = _nodes(driver, database, "Method")
    keys = {n["key"] for n in methods}
    rows = []
    created = 0
    for n in methods:
        for fam in variant_families(n["name"]):
            res = resolve_entity("methods", Entity(name=fam))
            if res.key == n["key"]:
                continue
            if res.key in keys or res.rule == "lexicon":
                rows.append({"variant": n["key"], "family": res.key, "family_name": res.name})
                if res.key not in keys:
                    keys.add(res.key)
                    created += 1
                break
    if rows:
        driver.execute_query(VARIANT_LINKS, rows=rows, database_=database)
    report.variants = len(rows)
    report.families_created = created
    return report
