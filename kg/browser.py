"""Neo4j Browser helpers: kg's graph style and links that open a saved query.

**Style.** ``schema/browser.grass`` is a Graph Style Sheet (GraSS), the CSS-like format
that Neo4j Browser 5.x exports and accepts by drag-and-drop or with ``:style``. Browser
captions are a template of property placeholders (``'{name}'``, ``'{value} {unit}'``: each
``{prop}`` is replaced by that property's value). :func:`parse_grass` reads the file the
way the Browser does (rules ``selector { prop: value; ... }``, quotes dropped), and
:func:`style_command` gives it back as the Browser's JSON form in one line:
``:style {"node.Method": {...}, ...}``. The managed server puts that command, without
its leading colon, in ``browser.post_connect_cmd`` (:func:`post_connect_cmd`), so every
Browser that connects to it runs it: the Browser splits that setting on ``;`` outside
quotes, and the JSON form has none, while GraSS's CSS form would be cut at each ``;``.

**Links.** :func:`browse_url` builds ``<http>/browser/?dbms=...&db=...&cmd=edit&arg=...``
URLs (Browser URL parameters; ``cmd=edit`` puts the ``arg`` values, one per line, in the
editor). The editor gets the saved query with each ``$name`` replaced by a Cypher
literal of its value (:func:`inline_params`; strings fully escaped, so a value can never
end its literal early), so one click on Run draws the result. (A ``:params {...};`` line
before the query would make the Browser run the editor as a multi-statement script, and
that frame lists statements without drawing the graph.) The Browser decodes the whole
URL before it reads ``arg``, so ``&`` and ``#`` cannot appear literally in an ``arg``:
string literals carry them as ``\\uXXXX`` escapes, and a query text that contains them
is refused (:class:`BrowserError`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from .errors import KgError

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
GRASS_PATH = SCHEMA_DIR / "browser.grass"

# characters that the Browser's URL handling would cut or split on (see the module doc)
_URL_UNSAFE = frozenset("&#;")


class BrowserError(KgError):
    """A style sheet or Browser link could not be made (one-line message)."""


def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """Parse GraSS (CSS form) into ``{selector: {property: value}}`` as the Browser does.

    Quotes are dropped (``caption: '{name}'`` gives ``{name}``); braces inside quotes
    are kept. Raises :class:`BrowserError` on unbalanced braces or an empty sheet.
    """
    rules: dict[str, dict[str, str]] = {}
    selector, body = "", ""
    in_string = in_props = in_binding = False
    for c in text:
        if c in "'\"":
            in_string = not in_string
            continue
        if c == "{" and not in_string:
            if in_props:
                in_binding = True
                body += c
            else:
                in_props = True
            continue
        if c == "}" and not in_string:
            if in_binding:
                in_binding = False
                body += c
            elif in_props:
                in_props = False
                rules[selector] = _props(body)
                selector, body = "", ""
            else:
                raise BrowserError("GraSS: '}' without a rule")
            continue
        if in_props:
            body += c
        elif not c.isspace():
            selector += c
    if in_props or in_string or selector:
        raise BrowserError("GraSS: unterminated rule or string")
    if not rules:
        raise BrowserError("GraSS: no rules")
    return rules


def _props(body: str) -> dict[str, str]:
    out = {}
    for part in body.split(";"):
        kv = part.split(":")
        if len(kv) == 2 and kv[0].strip():
            out[kv[0].strip()] = kv[1].strip()
    return out


def load_grass(path: Path | None = None) -> dict[str, dict[str, str]]:
    """The style rules of ``path`` (default ``schema/browser.grass``)."""
    path = path or GRASS_PATH
    try:
        return parse_grass(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise BrowserError(f"cannot read {path}: {e.strerror or e}") from None


def grass_json(path: Path | None = None) -> str:
    """The style as compact JSON (the form ``:style`` accepts inline)."""
    return json.dumps(load_grass(path), separators=(",", ":"), ensure_ascii=True)


def style_command(path: Path | None = None) -> str:
    """``:style {...}``: paste it into any Neo4j Browser to apply kg's style."""
    return ":style " + grass_json(path)


def post_connect_cmd(path: Path | None = None) -> str:
    """The value for ``browser.post_connect_cmd`` that applies kg's style on connect.

    Raises :class:`BrowserError` if the style holds a ``;`` (the Browser would split the
    command there) or a line break (neo4j.conf values are one line).
    """
    cmd = style_command(path)[1:]
    if ";" in cmd or "\n" in cmd or "\r" in cmd:
        raise BrowserError("the Browser style must not contain ';' or line breaks")
    return cmd


def cypher_literal(value: Any) -> str:
    """``value`` as a Cypher literal (string, number, boolean, null, list or map).

    Strings are single-quoted with every character outside printable ASCII, and the
    quote, backslash, ``&``, ``#`` and ``;``, written as escapes (``\\'``, ``\\\\``,
    ``\\uXXXX``), so the literal can never end early and survives a Browser URL.
    Raises :class:`BrowserError` for NaN, infinities and other types.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise BrowserError(f"{value!r} has no Cypher literal")
        return repr(value)
    if isinstance(value, str):
        out = []
        for c in value:
            if c == "'":
                out.append("\\'")
            elif c == "\\":
                out.append("\\\\")
            elif c in _URL_UNSAFE or not (" " <= c <= "~"):
                out.extend(f"\\u{u:04X}" for u in _utf16(c))
            else:
                out.append(c)
        return "'" + "".join(out) + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_identifier(str(k))}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    raise BrowserError(f"no Cypher literal for a {type(value).__name__}")


def _utf16(c: str) -> list[int]:
    b = c.encode("utf-16-be")
    return [int.from_bytes(b[i:i + 2], "big") for i in range(0, len(b), 2)]


def _identifier(name: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return name
    if any(c in name for c in "&#;") or any(not (" " <= c <= "~") for c in name):
        raise BrowserError(f"cannot write the name {name!r} in a Browser URL")
    return "`" + name.replace("`", "``") + "`"


# a Cypher string, quoted identifier or comment (copied as they are), or a parameter
_TOKENS = re.compile(r"""
    (?P<skip>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`]|``)*`|//[^\n]*|/\*.*?\*/)
  | \$(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|`(?P<quoted>(?:[^`]|``)*)`)
""", re.S | re.X)


def inline_params(cypher: str, params: Mapping[str, Any]) -> str:
    """``cypher`` with every ``$name`` replaced by the literal of ``params[name]``.

    Parameters inside strings and comments are left alone. Raises :class:`BrowserError`
    if the query uses a parameter that ``params`` lacks.
    """
    def sub(m: re.Match) -> str:
        if m.group("skip"):
            return m.group(0)
        name = m.group("name") or m.group("quoted").replace("``", "`")
        if name not in params:
            raise BrowserError(f"the query uses ${name}, which has no value")
        return cypher_literal(params[name])

    return _TOKENS.sub(sub, cypher)


def editor_lines(cypher: str, params: Mapping[str, Any], title: str | None = None) -> list[str]:
    """What the Browser's editor gets: an optional ``// title`` line, then the query with
    its parameters written in as literals (:func:`inline_params`), blank lines dropped.

    Why not ``:params {...}`` before the query: the Browser then runs the editor as a
    multi-statement script, whose frame lists the statements without drawing the graph.
    """
    lines = [f"// {title}"] if title else []
    lines += [line for line in inline_params(cypher.strip(), params).splitlines() if line.strip()]
    return lines


def browse_url(http_url: str, cypher: str, params: Mapping[str, Any] | None = None, *,
               bolt_uri: str | None = None, username: str | None = None, database: str | None = None,
               title: str | None = None) -> str:
    """A Neo4j Browser URL that opens ``cypher``, with ``params`` written in, in the editor.

    ``http_url`` is the server's HTTP address (``http://127.0.0.1:7474``); ``bolt_uri``
    and ``username`` pre-fill the connection form; ``database`` selects the database.
    Raises :class:`BrowserError` if the query text or title holds ``&`` or ``#`` outside
    parameter values (the Browser would cut the URL argument there), or ``http_url`` is
    not an http(s) URL.
    """
    parts = urlsplit(http_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BrowserError(f"not an http(s) URL: {http_url!r}")
    lines = editor_lines(cypher, params or {}, title)
    bad = sorted({c for line in lines for c in line if c in "&#"})
    if bad:
        raise BrowserError(f"the query contains {' and '.join(repr(c) for c in bad)}, which a Browser URL cannot carry")
    query: list[tuple[str, str]] = []
    if bolt_uri:
        query.append(("dbms", _with_user(bolt_uri, username)))
    if database:
        query.append(("db", database))
    query.append(("cmd", "edit"))
    query += [("arg", line) for line in lines]
    base = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    if not base.endswith("/browser"):
        base += "/browser"
    return base + "/?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query)


def _with_user(bolt_uri: str, username: str | None) -> str:
    if not username or "@" in bolt_uri:
        return bolt_uri
    m = re.match(r"^([a-z0-9+.-]+://)(.*)$", bolt_uri, re.I)
    return f"{m.group(1)}{username}@{m.group(2)}" if m else bolt_uri


def http_url_for(bolt_uri: str, port: int = 7474) -> str:
    """The usual Browser address for a Bolt URI: same host, HTTP port ``port``."""
    host = urlsplit(bolt_uri).hostname or "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def server_address(http_url: str | None = None) -> tuple[str, str | None, str | None, str | None]:
    """``(http_url, bolt_uri, username, database)`` of the server a Browser link targets.

    ``NEO4J_URI`` (with ``NEO4J_USERNAME``, ``NEO4J_DATABASE``) wins, its HTTP address being
    ``http_url`` or the same host on port 7474; else the managed server (``kg neo4j
    start``); else ``http_url`` alone. Raises :class:`BrowserError` when none applies.
    """
    import os

    database = os.environ.get("NEO4J_DATABASE", "").strip() or "neo4j"
    uri = os.environ.get("NEO4J_URI", "").strip()
    if uri:
        return (http_url or http_url_for(uri), uri, os.environ.get("NEO4J_USERNAME", "").strip() or "neo4j", database)
    from kg.server import status

    info = status()
    if info is not None:
        return (http_url or info.http_url, info.bolt_uri, info.username, database)
    if http_url:
        return (http_url, None, None, None)
    raise BrowserError("no Neo4j server: run `kg neo4j start`, set NEO4J_URI, or pass --http")


def saved_query_url(name: str, given: Mapping[str, Any], http_url: str | None = None) -> str:
    """The Browser URL for saved query ``name`` with ``given`` parameters (validated and
    converted by its header, defaults filled in)."""
    from .queries import get_query

    q = get_query(name)
    http, bolt, user, db = server_address(http_url)
    return browse_url(http, q.cypher, q.bind(dict(given)), bolt_uri=bolt, username=user, database=db,
                      title=f"kg saved query: {name}")
