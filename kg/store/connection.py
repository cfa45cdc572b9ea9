"""Where kg's Neo4j is, how to log in to it, and which database to use: resolved once.

Precedence (first that applies wins), for every command and library call:

1. flags: an explicit ``instance_dir`` (that managed instance), ``http_url`` and
   ``database`` arguments;
2. the environment: ``NEO4J_URI`` (then ``NEO4J_USERNAME``, default ``neo4j``;
   ``NEO4J_PASSWORD``, required; ``NEO4J_DATABASE``, default ``neo4j``);
3. the managed default instance (``kg neo4j start``): its Bolt URI from
   :func:`kg.store.server.status` and its password file.

Otherwise :class:`NotConnectedError`. :func:`connection_settings` applies it and returns
one :class:`ConnectionSettings`; :func:`connect` opens a driver on them and checks that
the database exists, and every session and query then names ``settings.database`` (the
way neo4j-graphrag passes ``database_`` to every call): the driver has no default
database of its own, so a call without it would go to the server's default database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import Errors, KgError, one_line

if TYPE_CHECKING:  # pragma: no cover
    import neo4j

__all__ = ["Connection", "ConnectionSettings", "NotConnectedError", "StoreError", "connect",
           "connection_settings", "open_driver",
           "resolve_database"]

DEFAULT_DATABASE = "neo4j"
DEFAULT_USERNAME = "neo4j"

_HINT = "run `kg neo4j start` or set NEO4J_URI, NEO4J_USERNAME and NEO4J_PASSWORD"


class NotConnectedError(KgError):
    """No reachable Neo4j server or database, or it refused the credentials (one-line message)."""


class StoreError(KgError):
    """A Neo4j call failed after the connection was made (one-line message)."""


@dataclass(frozen=True)
class ConnectionSettings:
    """How to reach one Neo4j database.  ``repr()`` hides the password.

    ``http_url`` (the Browser's address) and ``instance_dir`` (the managed instance these
    settings come from, None for a server given by ``NEO4J_URI``) are not compared.
    """

    uri: str
    username: str
    password: str = field(repr=False)
    database: str = DEFAULT_DATABASE
    http_url: str | None = field(default=None, compare=False)
    instance_dir: Path | None = field(default=None, compare=False)

    @property
    def auth(self) -> tuple[str, str]:
        """``(username, password)`` as the driver wants it."""
        return (self.username, self.password)


def _env(name: str) -> str:
    return os.environ.get(name, "").strip()


def resolve_database(database: str | None = None) -> str:
    """The database to use: ``database`` (a flag), else ``NEO4J_DATABASE``, else neo4j."""
    return (database or "").strip() or _env("NEO4J_DATABASE") or DEFAULT_DATABASE


def connection_settings(instance_dir: Path | None = None, *, home: Path | None = None,
                        http_url: str | None = None, database: str | None = None,
                        need_password: bool = True) -> ConnectionSettings:
    """Return the settings to use (see the module docstring for precedence).

    ``need_password`` False (a Browser link needs none) does not require
    ``NEO4J_PASSWORD`` nor read the instance's password file (``password`` is then "").
    Raises :class:`NotConnectedError` when ``NEO4J_URI`` is set without
    ``NEO4J_PASSWORD``, or when nothing is configured and no managed server runs;
    :class:`kg.store.server.ServerError` if the instance runs but its password file is
    unreadable.
    """
    from kg.store.server import manager

    database = resolve_database(database)
    if instance_dir is None:
        uri = _env("NEO4J_URI")
        if uri:
            password = os.environ.get("NEO4J_PASSWORD") or ""
            if need_password and not password:
                raise NotConnectedError(Errors.E201.format(uri=uri))
            return ConnectionSettings(uri=uri, username=_env("NEO4J_USERNAME") or DEFAULT_USERNAME,
                                      password=password, database=database, http_url=http_url)
    inst = manager.instance_path(home, instance_dir)
    info = manager.status(home, instance_dir=inst)
    if info is None:
        where = f" in {instance_dir}" if instance_dir is not None else ""
        raise NotConnectedError(Errors.E202.format(where=where, hint=_HINT))
    return ConnectionSettings(
        uri=info.bolt_uri, username=info.username,
        password=manager.read_password(info.instance_dir) if need_password else "",
        database=database, http_url=http_url or info.http_url, instance_dir=info.instance_dir,
    )


def open_driver(settings: ConnectionSettings | None = None) -> "neo4j.Driver":
    """Return a connected ``neo4j.Driver`` (the caller closes it) whose database
    ``settings.database`` exists.

    ``settings`` defaults to :func:`connection_settings`.  Verifies connectivity first
    and turns ``ServiceUnavailable`` (nothing listens, server starting), ``AuthError``
    (wrong credentials), a missing database and other driver errors into
    :class:`NotConnectedError` with a one-line message that never contains the password.
    """
    import neo4j
    from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

    if settings is None:
        settings = connection_settings()
    secret = settings.password
    try:
        driver = neo4j.GraphDatabase.driver(
            settings.uri, auth=settings.auth,
            # schema-less warnings ("property key does not exist" on a new database) are noise here
            notifications_min_severity="OFF",
        )
    except (ValueError, DriverError) as exc:
        raise NotConnectedError(Errors.E203.format(uri=settings.uri, reason=one_line(exc, secret=secret))) from None
    try:
        driver.verify_connectivity()
        _check_database(driver, settings)
    except AuthError:
        driver.close()
        raise NotConnectedError(Errors.E204.format(uri=settings.uri, username=settings.username)) from None
    except ServiceUnavailable as exc:
        driver.close()
        raise NotConnectedError(
            Errors.E205.format(uri=settings.uri, reason=one_line(exc, secret=secret), hint=_HINT)) from None
    except (DriverError, Neo4jError, OSError) as exc:
        driver.close()
        raise NotConnectedError(Errors.E206.format(uri=settings.uri, reason=one_line(exc, secret=secret))) from None
    except BaseException:
        driver.close()
        raise
    return driver


def _check_database(driver: "neo4j.Driver", settings: ConnectionSettings) -> None:
    """Raise :class:`NotConnectedError` (E207) when ``settings.database`` does not exist,
    E208 when it cannot be read (stopped, ...)."""
    from neo4j.exceptions import ClientError, DatabaseUnavailable, TransientError

    try:
        driver.execute_query("RETURN 1", database_=settings.database, routing_="r")
    except ClientError as exc:
        if exc.code != "Neo.ClientError.Database.DatabaseNotFound":
            raise
        raise NotConnectedError(Errors.E207.format(database=settings.database, uri=settings.uri,
                                                   available=_databases(driver))) from None
    except (DatabaseUnavailable, TransientError) as exc:
        raise NotConnectedError(Errors.E208.format(database=settings.database, uri=settings.uri,
                                                   reason=one_line(exc, secret=settings.password))) from None


def _databases(driver: "neo4j.Driver") -> str:
    """The server's user databases, comma-separated ('unknown' when it will not say)."""
    from neo4j.exceptions import DriverError, Neo4jError

    try:
        recs, _, _ = driver.execute_query("SHOW DATABASES YIELD name WHERE name <> 'system' RETURN name",
                                          database_="system", routing_="r")
    except (DriverError, Neo4jError):
        return "unknown"
    return ", ".join(sorted({r["name"] for r in recs})) or "none"


@dataclass(frozen=True)
class Connection:
    """An open driver and the settings it was opened with: pass ``database`` to every
    session and query (``driver.session(database=conn.database)``,
    ``execute_query(..., database_=conn.database)``, kg's functions' ``database=``)."""

    driver: "neo4j.Driver"
    settings: ConnectionSettings

    @property
    def database(self) -> str:
        return self.settings.database


@contextmanager
def connect(settings: ConnectionSettings | None = None, *, during: str = "") -> Iterator[Connection]:
    """``with connect() as conn:`` a :class:`Connection` (:func:`open_driver` on
    ``settings``, default :func:`connection_settings`), closed at the end. A driver or
    server error escaping the block becomes :class:`StoreError` (one line, ``during``
    saying what was being done, e.g. " during the load"); kg's own errors pass through."""
    from neo4j.exceptions import DriverError, Neo4jError

    settings = settings or connection_settings()
    driver = open_driver(settings)
    try:
        yield Connection(driver, settings)
    except (Neo4jError, DriverError) as exc:
        raise StoreError(Errors.E209.format(during=during, reason=one_line(exc, typed=True, secret=settings.password))) from exc
    finally:
        driver.close()
