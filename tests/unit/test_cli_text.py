"""What kg prints is text (#14 D5): rich markup and terminal control sequences in data
(an abstract with "[/INST]", an ESC from an input file) are shown, never interpreted."""

import io

from rich.console import Console

from kg.cli import output
from kg.cli.output import Format, emit, plain, say


def _capture(monkeypatch):
    buf = io.StringIO()
    console = Console(file=buf, width=120, force_terminal=False)
    monkeypatch.setattr(output, "out", console)
    monkeypatch.setattr(output, "err", console)
    return buf


def test_table_cells_are_text_not_markup(monkeypatch):
    buf = _capture(monkeypatch)
    emit(["method", "note"], [["[/INST]FooLM", "[bold]x[/bold] \x1b[31mred"]], Format.table)
    shown = buf.getvalue()
    assert "[/INST]FooLM" in shown and "[bold]x[/bold]" in shown
    assert "\x1b" not in shown and "\ufffd[31mred" in shown


def test_messages_with_user_data_are_text(monkeypatch):
    buf = _capture(monkeypatch)
    say("removed paper [/]x\x07")
    assert buf.getvalue().strip() == "removed paper [/]x\ufffd"
    assert plain("tab\tand newline\n stay") == "tab\tand newline\n stay"


def test_columns_sets_the_width_of_piped_output_and_list_keeps_whole_descriptions():
    """#15: ``COLUMNS=80 kg query --list`` fits 80 columns and cuts no description; without a
    terminal or COLUMNS the table is 160 wide."""
    import os
    import subprocess
    import sys

    from kg.explore.queries import list_queries

    def run(env):
        code = "from kg.cli import app; app()"
        return subprocess.run([sys.executable, "-c", code, "query", "--list"], capture_output=True, text=True,
                              env=env, check=True).stdout

    base = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    narrow = run({**base, "COLUMNS": "80"})
    lines = narrow.splitlines()
    assert max(map(len, lines)) == 80
    shown: dict[str, list[str]] = {}  # query name -> its description cell's lines
    name = None
    for ln in lines:
        cells = [c.strip() for c in ln.split("│")[1:-1]]
        if len(cells) == 3:
            name = cells[0] or name
            shown.setdefault(name, []).append(cells[1])
    queries = list_queries()
    assert set(shown) == set(queries)
    for q in queries.values():
        assert " ".join(" ".join(shown[q.name]).split()) == " ".join(q.description.split()), q.name
    assert "…" not in narrow
    assert max(map(len, run(base).splitlines())) == 160
