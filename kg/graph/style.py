"""kg's graph style for Neo4j Browser.

``schema/browser.grass`` is a Graph Style Sheet (GraSS), the CSS-like format that Neo4j Browser 5.x exports and accepts by drag-and-drop or with ``:style``. Browser
captions are a template of property placeholders (``'{name}'``, ``'{value} {unit}'``: each
``{prop}`` is replaced by that property's value). :func:`parse_grass` reads the file the
way the Browser does (rules ``selector { prop: value; ... }``, quotes dropped), and
:func:`style_command` gives it back as the Browser's JSON form in one line:
``:style {"node.Method": {...}, ...}``. The managed server puts that command, without
its leading colon, in ``browser.post_connect_cmd`` (:func:`post_connect_cmd`), so every
Browser that connects to it runs it: the Browser splits that setting on ``;`` outside
quotes, and the JSON form has none, while GraSS's CSS form would be cut at each ``;``.

The managed server (:mod:`kg.store.server.manager`), the Browser links
(:mod:`kg.explore.browser`) and the offline views (:mod:`kg.export.viz`) read it here.
"""

from __future__ import annotations

import json
from pathlib import Path

import tinycss2

from kg.errors import KgError
from kg.resources import schema_dir

GRASS_PATH = schema_dir() / "browser.grass"


class StyleError(KgError):
    """The style sheet could not be read or used (one-line message)."""


def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """Parse GraSS (CSS form) into ``{selector: {property: value}}`` as the Browser does.

    CSS syntax is tinycss2's. Quotes are dropped (``caption: '{name}'`` gives ``{name}``);
    braces inside quotes are kept; white space inside a selector is dropped. Raises
    :class:`StyleError` on a stray ``}``, an unterminated rule, string or comment, an
    at-rule, or an empty sheet.
    """
    nodes = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    for node in nodes:
        if node.type == "error":
            raise StyleError(f"GraSS: line {node.source_line}: a '}}' without a rule or a selector without a block")
        if node.type != "qualified-rule":
            raise StyleError(f"GraSS: line {node.source_line}: unsupported {node.type}")
    # every block, string and comment is closed iff a '}' appended stays outside them (a stray '}')
    if len(tinycss2.parse_stylesheet(text + "}", skip_comments=True, skip_whitespace=True)) != len(nodes) + 1:
        raise StyleError("GraSS: unterminated rule or string")
    rules: dict[str, dict[str, str]] = {}
    for node in nodes:
        selector = "".join(tinycss2.serialize(node.prelude).split())
        rules[selector] = {
            decl.name: "".join(t.value if t.type == "string" else t.serialize() for t in decl.value).strip()
            for decl in tinycss2.parse_declaration_list(node.content, skip_comments=True, skip_whitespace=True)
            if decl.type == "declaration"
        }
    if not rules:
        raise StyleError("GraSS: no rules")
    return rules


def load_grass(path: Path | None = None) -> dict[str, dict[str, str]]:
    """The style rules of ``path`` (default ``schema/browser.grass``)."""
    path = path or GRASS_PATH
    try:
        return parse_grass(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise StyleError(f"cannot read {path}: {e.strerror or e}") from None


def grass_json(path: Path | None = None) -> str:
    """The style as compact JSON (the form ``:style`` accepts inline)."""
    return json.dumps(load_grass(path), separators=(",", ":"), ensure_ascii=True)


def style_command(path: Path | None = None) -> str:
    """``:style {...}``: paste it into any Neo4j Browser to apply kg's style."""
    return ":style " + grass_json(path)


def post_connect_cmd(path: Path | None = None) -> str:
    """The value for ``browser.post_connect_cmd`` that applies kg's style on connect.

    Raises :class:`StyleError` if the style holds a ``;`` (the Browser would split the
    command there) or a line break (neo4j.conf values are one line).
    """
    cmd = style_command(path)[1:]
    if ";" in cmd or "\n" in cmd or "\r" in cmd:
        raise StyleError("the Browser style must not contain ';' or line breaks")
    return cmd
