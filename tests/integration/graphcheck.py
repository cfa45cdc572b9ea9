"""Graph fingerprints for tests: counts per label/type and a checksum of everything."""

from __future__ import annotations

import hashlib


def snapshot(driver) -> tuple[str, dict]:
    """``(sha256, counts)`` over every node (label, key, properties but load time) and
    relationship (endpoints' keys, type, properties); counts per label and type."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n) RETURN labels(n)[0] AS l, coalesce(n.key, n.id, n.url) AS k, properties(n) AS p")
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN coalesce(a.key, a.id, a.url) AS a, type(r) AS t, coalesce(b.key, b.id, b.url) AS b, "
        "properties(r) AS p")
    lines = []
    counts: dict[str, int] = {}
    for n in nodes:
        props = {k: (sorted(v) if isinstance(v, list) and k in ("aliases", "merged_from", "sources") else v)
                 for k, v in n["p"].items() if k != "loaded_at"}
        lines.append(f"N {n['l']} {n['k']} {sorted(props.items())}")
        counts[n["l"]] = counts.get(n["l"], 0) + 1
    for r in rels:
        lines.append(f"R {r['a']} {r['t']} {r['b']} {sorted(r['p'].items())}")
        counts[r["t"]] = counts.get(r["t"], 0) + 1
    lines.sort()
    return hashlib.sha256("\n".join(lines).encode()).hexdigest(), counts


def key_checksum(driver) -> str:
    """A checksum of the sorted (label, key) pairs of all nodes."""
    recs, _, _ = driver.execute_query("MATCH (n) RETURN labels(n)[0] AS l, coalesce(n.key, n.id, n.url) AS k")
    return hashlib.sha256("\n".join(sorted(f"{r['l']} {r['k']}" for r in recs)).encode()).hexdigest()
