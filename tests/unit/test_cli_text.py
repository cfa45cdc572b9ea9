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
