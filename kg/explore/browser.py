"""Neo4j Browser links that open a saved query.

The graph style itself (``schema/browser.grass``, ``:style``) is :mod:`kg.graph.style`.

:func:`browse_url` builds ``<http>/browser/?dbms=...&db=...&cmd=edit&arg=...``
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

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from kg.errors import KgError

# characters that the Browser's URL handling would cut or split on (see the module doc)
_URL_UNSAFE = frozenset("&#;")


class BrowserError(KgError):
    """A Browser link could not be made (one-line message)."""


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
    """``(http_url, bolt_uri, username, database)`` of the server a Browser link targets:
    the server and database of :func:`kg.store.connection.connection_settings` (so the
    link opens the database every other command uses), its HTTP address being ``http_url``,
    else the managed server's, else ``NEO4J_URI``'s host on port 7474. With no server
    configured, ``http_url`` alone; raises :class:`BrowserError` when none applies.
    """
    from kg.store.connection import NotConnectedError, connection_settings

    try:
        s = connection_settings(http_url=http_url, need_password=False)
    except NotConnectedError:
        if http_url:
            return (http_url, None, None, None)
        raise BrowserError("no Neo4j server: run `kg neo4j start`, set NEO4J_URI, or pass --http") from None
    return (s.http_url or http_url_for(s.uri), s.uri, s.username, s.database)


def saved_query_url(name: str, given: Mapping[str, Any], http_url: str | None = None) -> str:
    """The Browser URL for saved query ``name`` with ``given`` parameters (validated and
    converted by its header, defaults filled in)."""
    from kg.explore.queries import get_query

    q = get_query(name)
    http, bolt, user, db = server_address(http_url)
    return browse_url(http, q.cypher, q.bind(dict(given)), bolt_uri=bolt, username=user, database=db,
                      title=f"kg saved query: {name}")
