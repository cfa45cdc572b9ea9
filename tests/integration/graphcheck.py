"""Graph fingerprints for tests: counts per label/type and a checksum of everything."""

from __future__ import annotations

import hashlib


def _fingerprint(nodes, rels) -> tuple[str, dict]:
    """``(sha256, counts)`` of ``nodes`` ``(label, key, properties)`` and ``rels`` ``(start
    key, type, end key, properties)``: sorted lines, list properties that are sets sorted,
    load time left out."""
    lines = []
    counts: dict[str, int] = {}
    for label, key, p in nodes:
        props = {k: (sorted(v) if isinstance(v, list) and k in ("aliases", "merged_from", "sources") else v)
                 for k, v in p.items() if k != "loaded_at"}
        lines.append(f"N {label} {key} {sorted(props.items())}")
        counts[label] = counts.get(label, 0) + 1
    for a, t, b, p in rels:
        lines.append(f"R {a} {t} {b} {sorted(p.items())}")
        counts[t] = counts.get(t, 0) + 1
    lines.sort()
    return hashlib.sha256("\n".join(lines).encode()).hexdigest(), counts


def snapshot(driver) -> tuple[str, dict]:
    """``(sha256, counts)`` over every node (label, key, properties but load time) and
    relationship (endpoints' keys, type, properties); counts per label and type."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n) RETURN labels(n)[0] AS l, coalesce(n.key, n.id, n.url) AS k, properties(n) AS p")
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN coalesce(a.key, a.id, a.url) AS a, type(r) AS t, coalesce(b.key, b.id, b.url) AS b, "
        "properties(r) AS p")
    return _fingerprint([(n["l"], n["k"], n["p"]) for n in nodes], [(r["a"], r["t"], r["b"], r["p"]) for r in rels])


def staged_snapshot(staged) -> tuple[str, dict]:
    """:func:`snapshot` of a :class:`kg.graph.model.StagedGraph` (the graph model in memory)."""
    return _fingerprint([(n.label, n.key, n.properties) for n in staged.graph_nodes()],
                        [(r.start[1], r.type, r.end[1], r.properties) for r in staged.graph_relationships()])


def key_checksum(driver) -> str:
    """A checksum of the sorted (label, key) pairs of all nodes."""
    recs, _, _ = driver.execute_query("MATCH (n) RETURN labels(n)[0] AS l, coalesce(n.key, n.id, n.url) AS k")
    return hashlib.sha256("\n".join(sorted(f"{r['l']} {r['k']}" for r in recs)).encode()).hexdigest()
