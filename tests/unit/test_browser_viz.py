"""kg.explore.browser (GraSS style, Browser links) and kg.export.viz (HTML from records): no server."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from kg.explore.browser import BrowserError, browse_url, cypher_literal, editor_lines, http_url_for, inline_params
from kg.graph.style import StyleError, load_grass, parse_grass, post_connect_cmd, style_command
from kg.explore.queries import list_queries
from kg.graph.records import Paper
from kg.export.viz import VizError, VizGraph, caption, graph_from_records, render_html, write_html

REPO = Path(__file__).resolve().parents[2]
NASTY = ["x' OR 1=1 //", '"}) DETACH DELETE n //', "a&b#c;d", "back\\slash\\'", "line\nbreak\ttab", "é😀", "+ %20 %"]


# ------------------------------------------------------------------------ style


def test_grass_styles_every_label_with_a_colour_and_a_caption():
    rules = load_grass()
    schema = json.loads((REPO / "schema" / "graph.json").read_text(encoding="utf-8"))
    for label in schema["nodes"]:
        rule = rules[f"node.{label}"]
        assert re.fullmatch(r"#[0-9A-F]{6}", rule["color"]), label
        assert re.fullmatch(r"(\{\w+\} ?)+", rule["caption"]), label
    captions = {label: rules[f"node.{label}"]["caption"] for label in schema["nodes"]}
    assert captions["Result"] == "{value} {unit}"
    assert captions["Paper"] == "{title}" and captions["Claim"] == "{type}" and captions["Repository"] == "{url}"
    assert all(captions[x] == "{name}" for x in ("Method", "Dataset", "Metric", "Task"))
    assert rules["relationship"]["caption"] == "{type}"
    assert {f"node.{label}" for label in schema["nodes"]} | {"node", "relationship"} <= set(rules)


def test_parse_grass_like_the_browser():
    text = "node.A { color: #111111; caption: '{a} {b}'; }\nrelationship.R{shaft-width:2px}\n"
    assert parse_grass(text) == {"node.A": {"color": "#111111", "caption": "{a} {b}"},
                                 "relationship.R": {"shaft-width": "2px"}}
    for bad in ("node.A { color: red;", "}", "", "node.A { caption: '{x} }"):
        with pytest.raises(StyleError):
            parse_grass(bad)


def test_parse_grass_css_syntax_comments_colons_and_at_rules():
    text = "/* kg */ node.A {\n  caption: '{a}: {b}'; /* x } */ color: #ABCDEF\n}\n"
    assert parse_grass(text) == {"node.A": {"caption": "{a}: {b}", "color": "#ABCDEF"}}
    for bad in ("node.A { color: red; } /* open", "@import 'x.grass';", "node.A { caption: 'x",
                "node.A { } }"):
        with pytest.raises(StyleError):
            parse_grass(bad)


def test_post_connect_command_is_one_json_style_command_without_semicolons():
    cmd = post_connect_cmd()
    assert cmd.startswith("style {") and ";" not in cmd and "\n" not in cmd
    assert json.loads(cmd[len("style "):]) == load_grass()
    assert style_command() == ":" + cmd


def test_a_broken_style_never_reaches_the_server_conf(tmp_path):
    bad = tmp_path / "x.grass"
    bad.write_text("node.A;x { color: #FFFFFF; }")
    with pytest.raises(StyleError):
        post_connect_cmd(bad)
    from kg.store.server.manager import _conf_lines

    lines = _conf_lines(tmp_path, tmp_path, 1, 2, "10m", None)
    assert f"browser.post_connect_cmd={post_connect_cmd()}" in lines
    lines = _conf_lines(tmp_path, tmp_path, 1, 2, "10m", {"browser.post_connect_cmd": "play start"})
    assert "browser.post_connect_cmd=play start" in lines


# ------------------------------------------------------------------------ literals and links


@pytest.mark.parametrize("value", NASTY)
def test_string_literals_cannot_end_early(value):
    lit = cypher_literal(value)
    assert re.fullmatch(r"'(?:[^'\\]|\\(?:['\\]|u[0-9A-F]{4}))*'", lit), lit
    assert not set(lit) & set("&#;\n\t") and lit.isascii()
    # decoding the escapes gives the value back
    body = lit[1:-1]
    decoded = re.sub(r"\\u([0-9A-F]{4})|\\(['\\])", lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), body)
    assert decoded.encode("utf-16", "surrogatepass").decode("utf-16") == value


def test_other_literals():
    assert [cypher_literal(v) for v in (None, True, False, 3, -2.5, [1, "a"])] == ["null", "true", "false", "3", "-2.5",
                                                                                "[1, 'a']"]
    assert cypher_literal({"k": 1, "a b": "x"}) == "{k: 1, `a b`: 'x'}"
    for bad in (float("nan"), float("inf"), object()):
        with pytest.raises(BrowserError):
            cypher_literal(bad)


def test_inline_params_only_touches_parameters():
    q = "MATCH (n {s: '$a', t: \"$a\"}) // $a\n/* $a */ WHERE n.x = $a AND n.`$a` = $`b c` RETURN n LIMIT $n"
    out = inline_params(q, {"a": "v'", "b c": 2, "n": 5})
    assert out == "MATCH (n {s: '$a', t: \"$a\"}) // $a\n/* $a */ WHERE n.x = 'v\\'' AND n.`$a` = 2 RETURN n LIMIT 5"
    with pytest.raises(BrowserError, match=r"\$a"):
        inline_params("RETURN $a", {})


def browser_reads(url: str) -> tuple[dict[str, list[str]], str]:
    """What Neo4j Browser 5 reads from a URL: it replaces '+' by ' ', decodes the whole URL
    with decodeURIComponent, then takes each ``[?&]name=([^&#]*)``; cmd=edit joins the
    arg values with newlines into the editor."""
    decoded = unquote(url.replace("+", " "), errors="strict")
    params: dict[str, list[str]] = {}
    for name in ("dbms", "db", "cmd", "arg"):
        params[name] = re.findall(rf"[?&]{name}=([^&#]*)", decoded)
    return params, "\n".join(params["arg"])


@pytest.mark.parametrize("value", NASTY)
def test_browse_url_survives_the_browsers_url_handling(value):
    cypher = "MATCH (m:Method) WHERE m.name = $name\nRETURN m LIMIT $limit"
    url = browse_url("http://127.0.0.1:7474/", cypher, {"name": value, "limit": 5}, bolt_uri="bolt://127.0.0.1:7687",
                     username="neo4j", database="neo4j", title="kg saved query: x")
    assert url.startswith("http://127.0.0.1:7474/browser/?dbms=")
    params, editor = browser_reads(url)
    assert params["dbms"] == ["bolt://neo4j@127.0.0.1:7687"] and params["db"] == ["neo4j"] and params["cmd"] == ["edit"]
    assert editor == "\n".join(editor_lines(cypher, {"name": value, "limit": 5}, "kg saved query: x"))
    assert editor.splitlines()[0] == "// kg saved query: x"
    assert f"WHERE m.name = {cypher_literal(value)}" in editor and editor.endswith("LIMIT 5")


def test_browse_url_refuses_what_a_url_cannot_carry():
    with pytest.raises(BrowserError, match="'#'"):
        browse_url("http://h:7474", "RETURN '#' AS x", {})
    with pytest.raises(BrowserError, match="http"):
        browse_url("bolt://h:7687", "RETURN 1", {})
    assert http_url_for("neo4j://example.org:7687") == "http://example.org:7474"
    assert browse_url("http://h:7474/browser", "RETURN 1", {}).startswith("http://h:7474/browser/?cmd=edit&arg=")


def test_every_saved_query_makes_a_browser_link():
    for name, q in list_queries().items():
        bound = q.bind({p.name: p.example for p in q.params if p.example})
        url = browse_url("http://127.0.0.1:7474", q.cypher, bound)
        _, editor = browser_reads(url)
        assert "$" not in re.sub(r"'(?:[^'\\]|\\.)*'", "", editor), name  # every parameter written in


def test_cli_browse_style_and_bad_input():
    run = lambda *a: subprocess.run([sys.executable, "-m", "kg.cli", *a], cwd=REPO, capture_output=True, text=True,  # noqa: E731
                                    timeout=120)
    res = run("browse", "--style")
    assert res.returncode == 0 and res.stdout.strip() == style_command()
    res = run("browse", "leaderbord", "--http", "http://127.0.0.1:7474")
    assert res.returncode == 2 and "valid:" in res.stderr and "Traceback" not in res.stderr
    res = run("browse", "leaderboard", "-p", "dataset=COCO", "--http", "http://127.0.0.1:7474")
    assert res.returncode == 2 and "metric" in res.stderr


# ------------------------------------------------------------------------ viz from records


@pytest.fixture(scope="module")
def records(nlp):
    from kg.ingest.extract import extract_papers

    papers = [
        Paper(id="a1", title="FooNet: A Test", abstract="We propose FooNet. FooNet reaches 80.1% top-1 accuracy on "
              "ImageNet-1K, outperforming ResNet-50 by 2.3% top-1 accuracy. Code: https://github.com/x/foonet"),
        Paper(id="a2", title="BarNet: Another", abstract="We propose BarNet. BarNet reaches 79.0% top-1 accuracy on "
              "ImageNet-1K."),
    ]
    return list(extract_papers(papers))


def test_graph_from_records_has_the_loaders_model(records):
    g = graph_from_records(records)
    labels = g.labels()
    assert labels["Paper"] == 2 and labels["Result"] >= 2 and labels["Method"] >= 2
    assert sum(1 for n in g.nodes.values() if n.label == "Dataset") == 1  # one node per entity across papers
    types = {r.type for r in g.rels.values()}
    assert {"PROPOSES", "EVALUATES_ON", "REPORTS", "OF_METHOD", "ON_DATASET", "MEASURED_BY"} <= types
    for r in g.rels.values():
        assert r.source in g.nodes and r.target in g.nodes
    result = next(n for n in g.nodes.values() if n.label == "Result" and n.properties["value"] == 80.1)
    abstract = next(r.abstract for r in records if r.id == "a1")
    assert abstract[result.properties["start"]:result.properties["end"]] == result.properties["text"]
    assert len(graph_from_records(records, max_nodes=1).nodes) < len(g.nodes)


def test_html_is_self_contained(records, tmp_path):
    g = graph_from_records(records)
    page = render_html(g, title="kg <test>")
    assert "<title>kg &lt;test&gt;</title>" in page
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=[\"']?https?:|@import\s+url\(\s*[\"']?https?:", page)
    data = json.loads(re.search(r'<script type="application/json" id="neo4j-viz-data">(.*?)</script>', page, re.S)
                      .group(1).replace("\\u003c", "<"))
    assert len(data["nodes"]) == len(g.nodes) and len(data["relationships"]) == len(g.rels)
    grass = load_grass()
    method = next(n for n in data["nodes"] if n["properties"]["label"] == "Method")
    assert method["color"].upper() == grass["node.Method"]["color"].upper()
    assert any(n["caption"] == "80.1 %" for n in data["nodes"])  # Result caption '{value} {unit}'
    out = tmp_path / "g.html"
    assert write_html(g, out) == len(out.read_bytes())
    with pytest.raises(VizError):
        write_html(VizGraph(), out)


def test_caption_templates():
    assert caption("{value} {unit}", {"value": 82.0, "unit": "%"}) == "82 %"
    assert caption("{value} {unit}", {"value": 2.25, "unit": ""}) == "2.25"
    assert caption("{name}", {"name": ["a", "b"]}) == "a, b" and caption("{x}", {}) == "" and caption(None, {}) == ""


def test_cli_viz_records_needs_no_server(records, tmp_path):
    from kg.ingest.extractions import write_jsonl

    src, out = tmp_path / "r.jsonl", tmp_path / "g.html"
    write_jsonl(records, src)
    res = subprocess.run([sys.executable, "-m", "kg.cli", "viz", "--records", str(src), "-o", str(out)], cwd=REPO,
                         capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert res.returncode == 0, res.stderr
    assert out.stat().st_size > 100_000 and "relationships" in res.stderr
