"""Every saved query against the seeds in a real Neo4j: it runs, returns rows, and what it
returns is checked against the abstracts the graph was built from. Also: read-only
ad-hoc Cypher, injection attempts through every STRING parameter, and the Browser form
of each query (parameters written in as literals) giving the same rows."""

from __future__ import annotations

import json
import re

import pytest

from kgrun import run_kg as _kg

from kg.explore.browser import browse_url, inline_params
from kg.explore.queries import list_queries, plain, run_read, run_saved
from kg.store.writer import GraphWriter

INJECTIONS = ["x' OR 1=1 //", '"}) DETACH DELETE n //', "') MATCH (n) DETACH DELETE n //", "$limit`; DROP"]


# ------------------------------------------------------------------------ fixtures and helpers


@pytest.fixture(scope="module")
def graph(neo4j_driver, seed_records):
    """The seeds loaded into an emptied database; yields the driver."""
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    GraphWriter(neo4j_driver).write(seed_records)
    return neo4j_driver


@pytest.fixture(scope="module")
def texts(seed_records) -> dict[str, dict[str, str]]:
    """paper id -> {"title": ..., "abstract": ...}: the source text of every fact."""
    return {r.id: {"title": r.title, "abstract": r.abstract or ""} for r in seed_records}


def rows_of(driver, name: str, params: dict) -> list[dict]:
    cols, rows = run_saved(driver, name, params)
    return [dict(zip(cols, r)) for r in rows]


def cypher(driver, text: str, **params) -> list[dict]:
    recs, _, _ = driver.execute_query(text, params)
    return [r.data() for r in recs]


def forms(driver, label: str, name: str) -> list[str]:
    """Name and aliases of the entity called ``name`` (what a paper may write for it)."""
    recs = cypher(driver, f"MATCH (e:{label} {{name: $name}}) RETURN e.name AS name, e.aliases AS aliases", name=name)
    out = []
    for r in recs:
        out += [r["name"], *(r["aliases"] or [])]
    return [f for f in out if f]


def mentions(text: str, names: list[str]) -> bool:
    """Whether ``text`` names any of ``names``, ignoring case, hyphens and spaces."""
    fold = lambda s: re.sub(r"[\s\-_]+", "", s.casefold())  # noqa: E731
    t = fold(text)
    return any(fold(n) and fold(n) in t for n in names)


WORDS = {0.5: "half", 1.5: "one and a half", 2: "twice|double|two|doubles|doubling", 3: "three|triple|thrice",
         4: "four", 5: "five", 10: "ten|tenfold"}


def value_in(value: float, text: str) -> bool:
    """Whether a number occurs in text as written: 82.1 or 82.10, 2x or twice, 85 million,
    1.2B, 0.5%, 1,000."""
    for c in {value, value / 1e3, value / 1e6, value / 1e9, value / 1e12, value * 100, value / 100}:
        shown = f"{c:.6f}".rstrip("0").rstrip(".")
        if shown in ("0", "-0"):
            continue
        whole, _, frac = shown.partition(".")
        grouped = f"{int(whole):,}" if whole.lstrip("-").isdigit() else whole
        num = "(?:" + re.escape(whole) + "|" + re.escape(grouped) + ")" + (re.escape("." + frac) + "0*" if frac else r"(?:\.0+)?")
        if re.search(rf"(?<![\d.]){num}(?!\d)", text):
            return True
    word = WORDS.get(value)
    return bool(word and re.search(rf"\b(?:{word})\b", text, re.I))


def source(texts, paper_id: str, field: str) -> str:
    return texts[paper_id]["title" if field == "title" else "abstract"]


def example_params(q) -> dict:
    return {p.name: p.example for p in q.params if p.example is not None}


# ------------------------------------------------------------------------ every query


def test_at_least_ten_saved_queries():
    names = set(list_queries())
    assert len(names) >= 10
    assert {"leaderboard", "head_to_head", "paper", "benchmarks", "method", "dataset", "task_benchmarks",
            "who_beats_whom", "sota_claims", "efficiency", "provenance", "top_datasets_metrics", "new_methods"} <= names


@pytest.mark.parametrize("name", sorted(list_queries()))
def test_every_query_returns_rows_with_its_header_examples(graph, name):
    q = list_queries()[name]
    cols, rows = run_saved(graph, name, example_params(q))
    assert rows, f"{name} with {example_params(q)} returned nothing"
    assert tuple(cols) == q.columns, "the header's columns are the query's columns"


def test_browser_form_of_every_query_gives_the_same_rows(graph):
    """What `kg browse` puts in the Browser (parameters written in as literals) runs and
    returns what the parameterised query returns, also for injection attempts."""
    for name, q in list_queries().items():
        variants = [example_params(q)]
        for p in q.params:
            if p.type == "STRING":  # both quote kinds, a comment and a backslash in one value
                variants.append({**example_params(q), p.name: "x' OR 1=1 //\"}) DETACH DELETE n // \\"})
        for given in variants:
            bound = q.bind(given)
            cols, expected = run_read(graph, q.cypher, bound)
            cols2, got = run_read(graph, inline_params(q.cypher, bound), {})
            assert cols2 == cols and plain(got, structured=True) == plain(expected, structured=True), (name, given)
            browse_url("http://127.0.0.1:7474", q.cypher, bound)  # a URL can be made for it


def counts(driver) -> tuple:
    nodes = cypher(driver, "MATCH (n) RETURN count(n) AS n")[0]["n"]
    rels = cypher(driver, "MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    return nodes, rels


def test_injection_in_every_string_parameter_is_just_data(graph):
    before = counts(graph)
    for name, q in list_queries().items():
        for p in q.params:
            if p.type != "STRING":
                continue
            for bad in INJECTIONS:
                cols, rows = run_saved(graph, name, {**example_params(q), p.name: bad})
                assert isinstance(rows, list) and tuple(cols) == q.columns
                # a value that is no name matches nothing: no OR 1=1 widening
                if p.required and name not in ("paper", "new_methods"):  # title part, date bound
                    assert rows == [], (name, p.name, bad, rows[:1])
    assert counts(graph) == before


# ------------------------------------------------------------------------ facts against the abstracts


def test_method_profile(graph, texts):
    top = cypher(graph, "MATCH (m:Method)<-[:OF_METHOD]-(r:Result) RETURN m.name AS name, count(r) AS n "
                        "ORDER BY n DESC, name LIMIT 1")[0]["name"]
    rows = rows_of(graph, "method", {"method": top.upper()})  # case-insensitive lookup
    assert rows and {r["method"] for r in rows} == {top}
    names = forms(graph, "Method", top)
    sections = {r["section"] for r in rows}
    assert {"paper", "result"} <= sections
    for r in rows:
        t = texts[r["paper_id"]] if r["paper_id"] else None
        if r["section"] == "paper":
            assert mentions(t["title"] + " " + t["abstract"], names), r
        if r["section"] == "result":
            assert r["sentence"] in t["abstract"] or r["sentence"] in t["title"], r
            assert value_in(r["value"], r["sentence"]), r
        if r["section"] == "claim":
            assert r["sentence"] in t["abstract"] or r["sentence"] in t["title"], r


def test_dataset_profile(graph, texts):
    top = rows_of(graph, "top_datasets_metrics", {"limit": 1})
    ds = next(r["name"] for r in top if r["kind"] == "dataset")
    rows = rows_of(graph, "dataset", {"dataset": ds.lower(), "limit": 500})
    names = forms(graph, "Dataset", ds)
    by = {}
    for r in rows:
        by.setdefault(r["section"], []).append(r)
    assert by.get("paper") and by.get("metric")
    for r in by["paper"]:  # the dataset is named in every paper returned
        t = texts[r["paper_id"]]
        assert mentions(t["title"] + " " + t["abstract"], names), (ds, r["paper_id"])
    for r in by.get("best result", []):
        assert r["sentence"] in texts[r["paper_id"]]["abstract"] + texts[r["paper_id"]]["title"]
        assert value_in(r["value"], r["sentence"]), r
        assert mentions(texts[r["paper_id"]]["title"] + " " + texts[r["paper_id"]]["abstract"], names)


def test_task_benchmarks(graph, texts):
    task = cypher(graph, """
        MATCH (t:Task)<-[:ADDRESSES]-(:Paper)-[:REPORTS]->(r:Result {kind: 'absolute'})-[:ON_DATASET]->(:Dataset)
        WHERE (r)-[:MEASURED_BY]->(:Metric)
        RETURN t.name AS name, count(r) AS n ORDER BY n DESC, name LIMIT 1""")[0]["name"]
    rows = rows_of(graph, "task_benchmarks", {"task": task})
    assert rows and all(r["task"] == task for r in rows)
    task_names = forms(graph, "Task", task)
    for r in rows:
        assert r["results"] >= r["papers"] >= 1
        t = texts[r["best_paper"]]
        full = t["title"] + " " + t["abstract"]
        assert mentions(full, task_names), r
        assert mentions(full, forms(graph, "Dataset", r["dataset"])), r
        assert value_in(r["best_value"], full), r


def test_who_beats_whom_is_a_graph_of_stated_comparisons(graph, texts):
    rows = rows_of(graph, "who_beats_whom", {"limit": 1000})
    assert {r["basis"] for r in rows} == {"result", "claim"}
    for r in rows:
        path = r["path"]
        assert len(path.nodes) == 3 and len(path.relationships) == 2
        assert path.start_node["name"] == r["winner"] and path.end_node["name"] == r["loser"]
        assert {rel.type for rel in path.relationships} in ({"OF_METHOD", "AGAINST"}, {"CLAIMS_ABOUT", "CLAIMS_AGAINST"})
        t = texts[r["paper_id"]]
        assert r["sentence"] in t["abstract"] or r["sentence"] in t["title"]
        full = t["title"] + " " + t["abstract"]
        assert mentions(full, forms(graph, "Method", r["loser"])), r
        if r["basis"] == "result":
            assert value_in(r["margin"], r["sentence"]), r
            assert r["on_dataset"] is None or r["on_dataset"].end_node["name"] == r["dataset"]
    one = rows[0]["winner"]
    filtered = rows_of(graph, "who_beats_whom", {"method": one.lower()})
    assert filtered and all(one in (r["winner"], r["loser"]) for r in filtered)


def test_sota_claims(graph, texts):
    rows = rows_of(graph, "sota_claims", {"limit": 1000})
    assert rows
    for r in rows:
        src = source(texts, r["paper_id"], r["field"])
        assert src[r["start"]:r["end"]] == r["sentence"], r
        assert 0 < r["confidence"] <= 1
    task = next(t for r in rows for t in r["tasks"])
    by_task = rows_of(graph, "sota_claims", {"task": task.upper()})
    assert by_task and all(task in r["tasks"] for r in by_task)
    ds = next((d for r in rows for d in r["datasets"]), None)
    if ds:
        by_ds = rows_of(graph, "sota_claims", {"dataset": ds})
        names = forms(graph, "Dataset", ds)
        assert by_ds and all(mentions(texts[r["paper_id"]]["abstract"] + texts[r["paper_id"]]["title"], names)
                             for r in by_ds)


def test_efficiency(graph, texts):
    rows = rows_of(graph, "efficiency", {"limit": 1000})
    assert rows
    eff = re.compile(r"param|flop|latenc|fps|throughput|speed|memory|time|hours|compute|computation|cost|token|compression", re.I)
    for r in rows:
        assert r["kind"] in ("ratio", "relative") or eff.search(r["metric"] or ""), r
        t = texts[r["paper_id"]]
        assert r["text"] in r["sentence"] and (r["sentence"] in t["abstract"] or r["sentence"] in t["title"])
        assert value_in(r["value"], r["text"]), r
    m = next(r["method"] for r in rows if r["method"])
    mine = rows_of(graph, "efficiency", {"method": m})
    assert mine and {r["method"] for r in mine} == {m}


def test_provenance_of_results(graph, texts):
    ids = [r["id"] for r in cypher(graph, "MATCH (r:Result) RETURN r.id AS id ORDER BY id")]
    assert ids
    for rid in ids[:: max(1, len(ids) // 40)]:  # about 40 results spread over the papers
        rows = rows_of(graph, "provenance", {"result": rid})
        assert len(rows) == 1, rid
        r = rows[0]
        assert r["result_id"] == rid and rid.startswith(r["paper_id"] + "#r")
        src = source(texts, r["paper_id"], r["field"])
        assert src[r["start"]:r["end"]] == r["text"]
        assert r["text"] in r["sentence"] and r["sentence"] in src
        assert r["extractor"] and 0 < r["confidence"] <= 1
        assert value_in(r["value"], r["text"]), r
    assert rows_of(graph, "provenance", {"result": "no-such-paper#r0"}) == []


def test_top_datasets_and_metrics(graph, texts):
    rows = rows_of(graph, "top_datasets_metrics", {"limit": 3})
    assert {r["kind"] for r in rows} == {"dataset", "metric"}
    assert sum(r["kind"] == "dataset" for r in rows) <= 3
    for r in rows:
        label, rel = ("Dataset", "EVALUATES_ON") if r["kind"] == "dataset" else ("Metric", "MEASURES")
        linked = cypher(graph, f"MATCH (p:Paper)-[:{rel}]->(e:{label} {{name: $n}}) RETURN p.id AS id", n=r["name"])
        assert r["papers"] == len(linked) > 0
        if r["kind"] == "dataset":
            names = forms(graph, label, r["name"])
            assert all(mentions(texts[p["id"]]["title"] + " " + texts[p["id"]]["abstract"], names) for p in linked)
    datasets = [r["papers"] for r in rows if r["kind"] == "dataset"]
    assert datasets == sorted(datasets, reverse=True)


def test_new_methods(graph, texts):
    rows = rows_of(graph, "new_methods", {"since": "2024-01-01", "limit": 1000})
    assert rows
    for r in rows:
        assert r["date"] >= "2024-01-01"
        t = texts[r["paper_id"]]
        assert mentions(t["title"] + " " + t["abstract"], forms(graph, "Method", r["method"])), r
    assert [r["date"] for r in rows] == sorted((r["date"] for r in rows), reverse=True)
    undated = cypher(graph, "MATCH (p:Paper)-[:PROPOSES]->() WHERE p.date IS NULL RETURN count(*) AS n")[0]["n"]
    assert undated > 0 and not any(r["date"] is None for r in rows)


# ------------------------------------------------------------------------ the CLI


def test_cli_adhoc_cypher_is_read_only(neo4j_settings, graph):
    before = counts(graph)
    for write in ("CREATE (n) RETURN n", "MATCH (n:Paper) DETACH DELETE n", "MATCH (m:Method) SET m.x = 1"):
        res = _kg(neo4j_settings, "query", "--cypher", write)
        assert res.returncode == 2, res
        assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1, res.stderr
        assert "read" in res.stderr.lower()
    assert counts(graph) == before
    ok = _kg(neo4j_settings, "query", "--cypher", "MATCH (p:Paper) WHERE p.id = $id RETURN p.id AS id, p.title AS t",
             "-p", "id=343532c376", "--format", "json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)[0]["id"] == "343532c376"
    bad = _kg(neo4j_settings, "query", "--cypher", "MATCH (n")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "error" in bad.stderr


def test_cli_query_draws_paths_as_text_and_json(neo4j_settings, graph):
    res = _kg(neo4j_settings, "query", "who_beats_whom", "-p", "limit=3", "--format", "csv")
    assert res.returncode == 0, res.stderr
    assert re.search(r"\(Method [^)]+\)<-\[:(OF_METHOD|CLAIMS_ABOUT)\]-\(", res.stdout)
    res = _kg(neo4j_settings, "query", "who_beats_whom", "-p", "limit=3", "--format", "json")
    data = json.loads(res.stdout)
    assert data[0]["path"]["nodes"][0]["_labels"] == ["Method"]


def test_cli_browse_and_viz(neo4j_settings, graph, tmp_path):
    res = _kg(neo4j_settings, "browse", "provenance", "-p", "result=343532c376#r0", "--http", "http://127.0.0.1:1234")
    assert res.returncode == 0, res.stderr
    url = res.stdout.strip()
    assert url.startswith("http://127.0.0.1:1234/browser/?dbms=") and "cmd=edit" in url and "#" not in url
    out = tmp_path / "g.html"
    res = _kg(neo4j_settings, "viz", "who_beats_whom", "-p", "limit=10", "-o", str(out))
    assert res.returncode == 0, res.stderr
    page = out.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="neo4j-viz-data">(.*?)</script>', page, re.S)
                      .group(1).replace("\\u003c", "<"))
    assert data["nodes"] and data["relationships"]
    res = _kg(neo4j_settings, "viz", "-o", str(out), "--limit", "50")
    assert res.returncode == 0 and "nodes" in res.stderr
