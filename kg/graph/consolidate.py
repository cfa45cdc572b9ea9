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

The plans (:func:`plan_merges`, :func:`plan_variants`) are made once, here, and carried
out twice: in Neo4j (:func:`consolidate`) and on the in-memory graph of
:mod:`kg.graph.model` (:func:`consolidate_staged`), so both graphs come out the same.

**Incremental.** After a load, :func:`consolidate` is given the entity keys the load wrote
(``touched``) and reads only what may merge with them (:func:`_candidates`): those nodes,
the nodes keyed by their surface forms (a long form they define) and the nodes holding a
form that normalises like one of their keys or forms (an acronym node that claims one of
them as its long form, or shares their acronym). Those last are found by a filter the
server evaluates on its side, so a load no longer moves every node of the label to Python
and plans over it; the plan is then restricted to merges that involve a touched node. The
variant pass looks at the touched methods and at the methods whose name starts like a
touched key (a new family). Without ``touched`` (``kg neo4j``'s removal, the bulk path)
both passes read the whole labels, as before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
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


def plan_merges(nodes: list[dict], prefix: str, only: set[str] | None = None) -> tuple[dict[str, str], set[str]]:
    """Which node keys fold into which: ``{absorbed key: surviving key}``, and the
    ambiguous acronyms. ``nodes`` are dicts with ``key``, ``name``, ``aliases``; with
    ``only``, just the merges of which one side is in it."""
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
        if only is None or long_key in only or owner in only:
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


def plan_variants(methods: Iterable[dict], keys: set[str]) -> tuple[list[dict], int]:
    """``VARIANT_OF`` rows ``{variant, family, family_name}`` for ``methods`` (dicts with
    ``key``, ``name``): each to its nearest family that is in ``keys`` (the Method keys of
    the graph; a family created here is added) or a lexicon method; and how many
    family nodes the rows create."""
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
    return rows, created


def consolidate_staged(g) -> ConsolidationReport:
    """Both passes on a :class:`kg.graph.model.StagedGraph` (in place), as :func:`consolidate`
    does in Neo4j: a fold moves the absorbed node's relationships (MERGEd: one per type and
    other end, properties of the moved one added), aliases and keys to the survivor."""
    report = ConsolidationReport()
    for label, fname in LABEL_FIELD.items():
        plan, ambiguous = plan_merges(list(g.nodes[label].values()), PREFIX[fname])
        report.ambiguous |= ambiguous
        out_types, in_types = map(set, _rels(g.schema, label))
        for src, dst in sorted(plan.items()):
            _fold(g, label, src, dst, out_types, in_types)
            report.merged[label] += 1
    methods = g.nodes["Method"]
    rows, report.families_created = plan_variants(list(methods.values()), set(methods))
    for row in rows:
        methods.setdefault(row["family"], {"key": row["family"], "name": row["family_name"], "aliases": []})
        g.rels.setdefault(("VARIANT_OF", row["variant"], row["family"]), {}).update({"rule": "variant_suffix"})
    report.variants = len(rows)
    return report


def _fold(g, label: str, src: str, dst: str, out_types: set[str], in_types: set[str]) -> None:
    """:func:`merge_statement` on the staged graph ``g``."""
    b, a = g.nodes[label].get(src), g.nodes[label].get(dst)
    if a is None or b is None:
        return
    for (t, x, y), props in list(g.rels.items()):
        if t in out_types and x == src and y != dst:
            g.rels.setdefault((t, dst, y), {}).update(props)
        if t in in_types and y == src and x != dst and not (t in out_types and x == src):
            g.rels.setdefault((t, x, dst), {}).update(props)
    a["aliases"] = (a.get("aliases") or []) + [x for x in (b.get("aliases") or []) if x not in (a.get("aliases") or [])]
    a["merged_from"] = (a.get("merged_from") or []) + [b["key"]] + (b.get("merged_from") or [])
    g.rels = {k: v for k, v in g.rels.items()
              if not ((k[0] in out_types and k[1] == src) or (k[0] in in_types and k[2] == src))}
    del g.nodes[label][src]


_NODE_FIELDS = "RETURN n.key AS key, n.name AS name, n.aliases AS aliases"
# the forms of a node as the server can fold them: casefolded (ASCII), separators dropped
# (a superset filter: the plan itself uses extractors.rules.norm_key)
_FOLDED = ("[f IN coalesce(n.aliases, []) + [n.name] | replace(replace(replace(replace(replace(replace(replace("
           "toLower(trim(f)), ' ', ''), '-', ''), '_', ''), '\u2010', ''), '\u2013', ''), '\t', ''), '\n', '')]")


def _nodes(driver: Driver, database: str | None, label: str) -> list[dict]:
    recs, _, _ = driver.execute_query(f"MATCH (n:{label}) {_NODE_FIELDS}", database_=database, routing_="r")
    return [dict(r) for r in recs]


def _nodes_by_key(driver: Driver, database: str | None, label: str, keys: Iterable[str]) -> list[dict]:
    recs, _, _ = driver.execute_query(f"UNWIND $keys AS k MATCH (n:{label} {{key: k}}) {_NODE_FIELDS}",
                                      keys=sorted(set(keys)), database_=database, routing_="r")
    return [dict(r) for r in recs]


def _nodes_with_forms(driver: Driver, database: str | None, label: str, norms: set[str]) -> list[dict]:
    """Nodes holding a form that :func:`norm_key` may fold to one of ``norms``."""
    recs, _, _ = driver.execute_query(
        f"MATCH (n:{label}) WITH n, {_FOLDED} AS forms "
        "WHERE any(f IN forms WHERE f IN $norms OR (f ENDS WITH 's' AND left(f, size(f) - 1) IN $norms)) "
        f"{_NODE_FIELDS}", norms=sorted(norms), database_=database, routing_="r")
    return [dict(r) for r in recs]


def _suffix(key: str) -> str:
    return key.split(":", 1)[1] if ":" in key else key


def _candidates(driver: Driver, database: str | None, label: str, prefix: str, touched: set[str]) -> list[dict]:
    """The nodes a merge involving a ``touched`` node depends on (see the module docstring):
    enough to plan those merges exactly as :func:`plan_merges` over the whole label would."""
    nodes = {n["key"]: n for n in _nodes_by_key(driver, database, label, touched)}
    asked: set[str] = set()
    for _ in range(2):  # touched nodes -> their long forms and acronym owners -> the owners' acronyms
        norms: set[str] = set()
        for n in list(nodes.values()):
            norms.add(_suffix(n["key"]))
            if n["key"] in touched:
                for s, lf in acronym_pairs([n["name"], *(n.get("aliases") or [])]):
                    norms |= {norm_key(s), norm_key(lf)}
        norms -= asked
        if not norms:
            break
        asked |= norms
        found = _nodes_by_key(driver, database, label, [f"{prefix}:{x}" for x in norms])
        found += _nodes_with_forms(driver, database, label, norms)
        nodes.update({n["key"]: n for n in found})
    return list(nodes.values())


def _variant_candidates(driver: Driver, database: str | None, touched: set[str]) -> tuple[list[dict], set[str]]:
    """The touched methods and the methods named like a variant of one (a family this load
    may have created), and which of their families' keys are Method nodes."""
    recs, _, _ = driver.execute_query(
        "MATCH (n:Method) WHERE n.key IN $keys OR any(s IN $prefixes WHERE "
        f"{_FOLDED.replace('coalesce(n.aliases, []) + [n.name]', '[n.name]')}[0] STARTS WITH s) {_NODE_FIELDS}",
        keys=sorted(touched), prefixes=sorted({_suffix(k) for k in touched}), database_=database, routing_="r")
    methods = [dict(r) for r in recs]
    fams = {resolve_entity("methods", Entity(name=f)).key for n in methods for f in variant_families(n["name"])}
    keys = {n["key"] for n in _nodes_by_key(driver, database, "Method", fams)} | {n["key"] for n in methods}
    return methods, keys


def consolidate(driver: Driver, schema: dict, database: str | None = None,
                touched: dict[str, set[str]] | None = None) -> ConsolidationReport:
    """Run both passes on the database; returns what they did. ``touched`` (``{label:
    keys}`` a load wrote) limits them to what may merge or link with those nodes; None
    runs them on every node."""
    report = ConsolidationReport()
    for label, fname in LABEL_FIELD.items():
        if touched is None:
            plan, ambiguous = plan_merges(_nodes(driver, database, label), PREFIX[fname])
        elif touched.get(label):
            keys = touched[label]
            plan, ambiguous = plan_merges(_candidates(driver, database, label, PREFIX[fname], keys),
                                          PREFIX[fname], only=keys)
        else:
            continue
        report.ambiguous |= ambiguous
        if plan:
            rows = [{"src": s, "dst": d} for s, d in sorted(plan.items())]
            driver.execute_query(merge_statement(schema, label), rows=rows, database_=database)
            report.merged[label] += len(rows)
            if touched is not None:  # the survivors are what the variant pass must see
                touched = {**touched, label: (touched[label] - set(plan)) | set(plan.values())}
    if touched is None:
        methods = _nodes(driver, database, "Method")
        keys = {n["key"] for n in methods}
    elif touched.get("Method"):
        methods, keys = _variant_candidates(driver, database, touched["Method"])
    else:
        return report
    rows, report.families_created = plan_variants(methods, keys)
    if rows:
        driver.execute_query(VARIANT_LINKS, rows=rows, database_=database)
    report.variants = len(rows)
    return report
