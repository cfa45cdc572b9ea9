"""Errors raised by kg, in the manner of spaCy's ``spacy/errors.py``.

Every error kg raises derives from :class:`KgError`. Messages that users meet at the
command line are templates in :class:`Errors`, each with a stable code (``E201 ...``) to
search for; :func:`one_line` renders any exception as the one line the CLI prints.

Codes by range: E1xx pattern data of the extractors (``extractors/errors.py``); E2xx the
Neo4j connection and database; E3xx command-line usage.
"""

from __future__ import annotations

__all__ = ["Errors", "KgError", "one_line"]

ONE_LINE_MAX = 300  # characters of an exception's text kept by one_line()


class KgError(Exception):
    """Base class for every error kg raises."""


class Errors:
    """Message templates; each has a stable code (fill in with ``str.format``)."""

    # E2xx: where Neo4j is, and which database
    E201 = "E201 NEO4J_URI is set ({uri}) but NEO4J_PASSWORD is not: set it too"
    E202 = "E202 no Neo4j server{where}: {hint}"
    E203 = "E203 bad Neo4j URI {uri!r}: {reason}"
    E204 = ("E204 Neo4j at {uri} rejected user {username!r}: wrong password? "
            "(check NEO4J_PASSWORD, or the managed instance's password file)")
    E205 = "E205 cannot reach Neo4j at {uri} ({reason}): {hint}"
    E206 = "E206 Neo4j at {uri} is not usable: {reason}"
    E207 = ("E207 database {database!r} does not exist on Neo4j at {uri} (it has: {available}): "
            "set NEO4J_DATABASE to one of them")
    E208 = "E208 database {database!r} on Neo4j at {uri} is not usable: {reason}"
    E209 = "E209 Neo4j failed{during}: {reason}"
    E210 = ("E210 NEO4J_URI points at {uri}: --bulk imports only into the managed server (or an instance "
            "dir); for that server write the CSV with `kg build --bulk --no-import --csv-dir DIR INPUTS`, "
            "run the neo4j-admin command it prints on that server's machine (database stopped), start "
            "it, then `kg load /dev/null` applies kg's constraints and consolidation")
    # E3xx: command-line usage
    E301 = "E301 parameter {param!r} is not key=value"
    E302 = "E302 give a saved query name or --cypher, not both"
    E303 = "E303 --cypher needs a query"


def one_line(exc: BaseException | str, *, typed: bool = False, secret: str | None = None,
             limit: int = ONE_LINE_MAX) -> str:
    """``exc`` as one line of text: every run of whitespace (newlines too) becomes one space,
    ``secret`` (a password) is replaced by ``********``, and the text is cut at ``limit``
    characters (ending in ``…``). With ``typed`` the exception's class name comes first
    (``ClientError: ...``), as it does when the exception has no text at all."""
    text = " ".join(str(exc).split())
    if secret:
        text = text.replace(secret, "********")
    if isinstance(exc, BaseException) and (typed or not text):
        text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
