"""Contracts that need no server: the coded error table and its one-line helper, one
connection precedence, the database named in every Neo4j call, one output-format enum
with its decorator, and ``kg neo4j``'s exit codes (README "Exit codes")."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.errors import Errors, KgError, one_line

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted([*(REPO / "kg").rglob("*.py"), *(REPO / "extractors").rglob("*.py")])


# --- the error table and the helper ---------------------------------------------------------

def _codes(cls) -> dict[str, str]:
    return {k: v for k, v in vars(cls).items() if re.fullmatch(r"E\d{3}", k)}


def test_every_error_template_starts_with_its_own_stable_code():
    from kg.extractors.errors import Errors as PatternErrors

    ours, theirs = _codes(Errors), _codes(PatternErrors)
    assert ours and theirs
    for table in (ours, theirs):
        for code, template in table.items():
            assert template.startswith(code + " "), code
    assert not set(ours) & set(theirs)  # one namespace of codes
    assert all(c.startswith("E1") for c in theirs) and all(c[1] in "23" for c in ours)


def test_one_line_collapses_redacts_cuts_and_names_the_type():
    exc = ValueError("first line\n  second\tline\n")
    assert one_line(exc) == "first line second line"
    assert one_line(exc, typed=True) == "ValueError: first line second line"
    assert one_line(RuntimeError()) == "RuntimeError"
    assert one_line(KgError("wrong pw hunter22 here"), secret="hunter22") == "wrong pw ******** here"
    cut = one_line("x" * 1000, limit=50)
    assert len(cut) == 50 and cut.endswith("…")
    assert one_line("plain text") == "plain text"


_IDIOMS = [
    re.compile(r"str\((e|exc|err|error)\)\.splitlines\(\)"),
    re.compile(r"""['"] ['"]\.join\(str\((e|exc|err|error|text)\)\.split\(\)\)"""),
    re.compile(r"type\((e|exc|err|error)\)\.__name__"),
]


def test_the_exception_to_one_line_idiom_is_written_once():
    hits = [f"{p.relative_to(REPO)}:{i}" for p in SOURCES if p.name != "errors.py" or p.parent.name != "kg"
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if any(rx.search(line) for rx in _IDIOMS)]
    assert hits == [], "use kg.errors.one_line"


# --- one connection precedence ---------------------------------------------------------------

@pytest.fixture
def no_neo4j_env(monkeypatch, tmp_path):
    for var in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("KG_HOME", str(tmp_path))  # no managed server there
    return monkeypatch


def test_precedence_flag_then_environment_then_default(no_neo4j_env):
    from kg.store.connection import connection_settings, resolve_database

    assert resolve_database() == "neo4j"
    no_neo4j_env.setenv("NEO4J_DATABASE", "papers")
    assert resolve_database() == "papers" and resolve_database("flagged") == "flagged"
    no_neo4j_env.setenv("NEO4J_URI", "bolt://db.example:7687")
    no_neo4j_env.setenv("NEO4J_PASSWORD", "pw-123456")
    s = connection_settings()
    assert (s.uri, s.username, s.database, s.instance_dir) == ("bolt://db.example:7687", "neo4j", "papers", None)
    assert connection_settings(database="other", http_url="http://h:1").database == "other"


def test_a_browser_link_needs_no_password_and_opens_the_database_every_command_uses(no_neo4j_env):
    from kg.explore.browser import saved_query_url
    from kg.store.connection import NotConnectedError, connection_settings

    no_neo4j_env.setenv("NEO4J_URI", "bolt://db.example:7687")
    no_neo4j_env.setenv("NEO4J_DATABASE", "papers")
    with pytest.raises(NotConnectedError, match="E201"):
        connection_settings()
    url = saved_query_url("paper", {"paper": "x"})
    assert url.startswith("http://db.example:7474/browser/?") and "&db=papers&" in url


def test_no_server_anywhere_is_one_coded_line(no_neo4j_env):
    from kg.store.connection import NotConnectedError, connection_settings

    with pytest.raises(NotConnectedError, match=r"^E202 no Neo4j server: run `kg neo4j start`"):
        connection_settings()


def test_bulk_refuses_a_server_it_does_not_manage_before_reading_anything(no_neo4j_env):
    from kg.store.bulk import BulkError, bulk_build

    no_neo4j_env.setenv("NEO4J_URI", "bolt://db.example:7687")
    no_neo4j_env.setenv("NEO4J_PASSWORD", "pw-123456")

    def records():
        raise AssertionError("read")
        yield

    with pytest.raises(BulkError, match=r"^E210 NEO4J_URI points at bolt://db.example:7687"):
        bulk_build(records())


# --- the database reaches every Neo4j call ----------------------------------------------------

def _calls(tree: ast.AST):
    """``(name, call)`` of the calls of a name (``f(...)``) or of a module's attribute
    (``bulk.bulk_build(...)``, with ``bulk`` imported) and of every ``x.session(...)`` and
    ``x.execute_query(...)``."""
    imported = {(a.asname or a.name).split(".")[0] for node in ast.walk(tree)
                if isinstance(node, (ast.Import, ast.ImportFrom)) for a in node.names}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name):
                yield f.id, node
            elif isinstance(f, ast.Attribute) and (f.attr in ("session", "execute_query")
                                                   or isinstance(f.value, ast.Name) and f.value.id in imported):
                yield f.attr, node


# they resolve the database themselves (connection_settings: flag > NEO4J_DATABASE > neo4j)
_RESOLVERS = {"connection_settings", "resolve_database", "bulk_build"}


def _takes_database() -> dict[str, int]:
    """kg's functions and classes with a ``database`` parameter → its positional index."""
    found: dict[str, int] = {}
    for p in SOURCES:
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            fns = [node] if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else []
            if isinstance(node, ast.ClassDef):
                fns = [b for b in node.body if isinstance(b, ast.FunctionDef) and b.name == "__init__"]
            for fn in fns:
                args = [a.arg for a in fn.args.posonlyargs + fn.args.args]
                if "database" in args or "database" in [a.arg for a in fn.args.kwonlyargs]:
                    index = args.index("database") if "database" in args else 10_000
                    if fn.name == "__init__":
                        index -= 1  # self
                    found[node.name if isinstance(node, ast.ClassDef) else fn.name] = index
    return found


def test_every_session_query_and_kg_call_names_the_database():
    takes = _takes_database()
    assert {"GraphWriter", "run_read", "graph_stats", "consolidate", "neo4j_graph", "iter_triples",
            "graph_from_database", "graph_counts", "bulk_build"} <= set(takes)
    missing = []
    for p in SOURCES:
        for name, call in _calls(ast.parse(p.read_text(encoding="utf-8"))):
            kws = {k.arg for k in call.keywords}
            if None in kws:  # **kwargs
                continue
            if name == "session":
                ok = "database" in kws
            elif name == "execute_query":
                ok = "database_" in kws
            elif name in takes and name not in _RESOLVERS:
                ok = "database" in kws or len(call.args) > takes[name]
            else:
                continue
            if not ok:
                missing.append(f"{p.relative_to(REPO)}:{call.lineno} {name}")
    assert missing == []


# --- one output-format enum and its decorator --------------------------------------------------

def test_the_cli_has_one_output_format_enum():
    enums = []
    for p in sorted((REPO / "kg" / "cli").rglob("*.py")):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any("Enum" in ast.unparse(b) for b in node.bases):
                enums.append(f"{p.name}:{node.name}")
    assert enums == ["output.py:Format"]


def _commands():
    import typer.main

    from kg.cli import app

    def walk(cmd, path):
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, (*path, name))
        if not getattr(cmd, "commands", None):
            yield " ".join(path), cmd

    yield from walk(typer.main.get_command(app), ())


def test_every_table_json_csv_format_comes_from_output_options():
    from kg.cli.output import Format

    with_format = {}
    for path, cmd in _commands():
        for param in cmd.params:
            if "--format" in getattr(param, "opts", []):
                with_format[path] = (param.opts, [str(c) for c in param.type_descriptor.choices or []])
    assert {"build", "load", "query", "stats", "eval", "train", "resolve", "analytics", "sparql", "schema",
            "neo4j status"} <= set(with_format)
    for path, (opts, choices) in with_format.items():
        if path == "export rdf":  # an RDF serialisation, not an output table
            continue
        assert "-f" in opts, path
        assert choices and set(choices) <= {f.value for f in Format} and choices[0] == "table", path


def test_output_options_gives_the_command_a_format_and_checks_it():
    from kg.cli import app

    runner = CliRunner()
    listed = runner.invoke(app, ["query", "--list", "-f", "json"])
    assert listed.exit_code == 0 and listed.stdout.lstrip().startswith("[")
    assert runner.invoke(app, ["schema", "--format", "cypher"]).stdout.startswith("CREATE CONSTRAINT")
    assert runner.invoke(app, ["schema", "--format", "csv"]).exit_code == 2  # not one of schema's


# --- kg neo4j exit codes -----------------------------------------------------------------------

@pytest.mark.parametrize("command", [["install", "-q"], ["start"], ["stop"]])
def test_kg_neo4j_errors_exit_2_in_one_line(command, monkeypatch, tmp_path):
    from kg.cli import app
    from kg.store.server import manager

    def broken(*a, **k):
        raise manager.ServerError("it broke\nwith a second line")

    for fn in ("install", "start", "stop", "is_installed"):
        monkeypatch.setattr(manager, fn, broken)
    monkeypatch.setattr(manager, "status", lambda *a, **k: None)
    res = CliRunner().invoke(app, ["neo4j", *command, *(["--instance-dir", str(tmp_path)] if command[0] != "install" else [])])
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert lines == ["error: it broke with a second line"]


def test_kg_neo4j_status_not_running_exits_3(tmp_path):
    from kg.cli import app

    assert CliRunner().invoke(app, ["neo4j", "status", "--instance-dir", str(tmp_path)]).exit_code == 3


def test_an_unknown_name_is_exit_2_not_1(tmp_path):
    """README: 1 is "done, but some input records were rejected"; an unknown name is nothing usable."""
    from kg.cli import app
    from kg.graph.records import PaperRecord

    records = tmp_path / "r.jsonl"
    records.write_text(PaperRecord(id="z", title="t").model_dump_json() + "\n")
    res = CliRunner().invoke(app, ["resolve", "NoSuchThing", str(records)])
    assert res.exit_code == 2 and "no entity named 'NoSuchThing'" in res.stderr, res.output
