"""Where kg's Neo4j is and how to log in to it.

Precedence (first that applies wins):

1. an explicit ``instance_dir`` argument: that managed instance;
2. the environment: ``NEO4J_URI`` (then ``NEO4J_USERNAME``, default ``neo4j``;
   ``NEO4J_PASSWORD``, required; ``NEO4J_DATABASE``, default ``neo4j``);
3. the managed default instance (``kg neo4j start``): its Bolt URI from
   :func:`kg.store.server.status` and its password file.

Otherwise :class:`NotConnectedError`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import KgError

if TYPE_CHECKING:  # pragma: no cover
    import neo4j

__all__ = ["ConnectionSettings", "NotConnectedError", "connection_settings", "open_driver"]

DEFAULT_DATABASE = "neo4j"
DEFAULT_USERNAME = "neo4j"

_HINT = "run `kg neo4j start` or set NEO4J_URI, NEO4J_USERNAME and NEO4J_PASSWORD"


class NotConnectedError(KgError):
    """No reachable Neo4j server, or it refused the credentials (one-line message)."""


@dataclass(frozen=True)
class ConnectionSettings:
    """How to reach one Neo4j database.  ``repr()`` hides the password."""

    uri: str
    username: str
    password: str = field(repr=False)
    database: str = DEFAULT_DATABASE

    @property
    def auth(self) -> tuple[str, str]:
        """``(username, password)`` as the driver wants it."""
        return (self.username, self.password)


def connection_settings(instance_dir: Path | None = None) -> ConnectionSettings:
    """Return the settings to use (see the module docstring for precedence).

    Raises :class:`NotConnectedError` when ``NEO4J_URI`` is set without
    ``NEO4J_PASSWORD``, or when nothing is configured and no managed server
    runs; :class:`kg.store.server.ServerError` if the instance runs but its password
    file is unreadable.
    """
    from kg.store.server import read_password, status

    if instance_dir is None:
        uri = os.environ.get("NEO4J_URI", "").strip()
        if uri:
            password = os.environ.get("NEO4J_PASSWORD")
            if not password:
                raise NotConnectedError(
                    f"NEO4J_URI is set ({uri}) but NEO4J_PASSWORD is not: set it too"
                )
            return ConnectionSettings(
                uri=uri,
                username=os.environ.get("NEO4J_USERNAME", "").strip() or DEFAULT_USERNAME,
                password=password,
                database=os.environ.get("NEO4J_DATABASE", "").strip() or DEFAULT_DATABASE,
            )
    info = status(instance_dir=instance_dir)
    if info is None:
        where = f" in {instance_dir}" if instance_dir is not None else ""
        raise NotConnectedError(f"no Neo4j server{where}: {_HINT}")
    return ConnectionSettings(
        uri=info.bolt_uri,
        username=info.username,
        password=read_password(info.instance_dir),
        database=os.environ.get("NEO4J_DATABASE", "").strip() or DEFAULT_DATABASE,
    )


def open_driver(settings: ConnectionSettings | None = None) -> "neo4j.Driver":
    """Return a connected ``neo4j.Driver`` (the caller closes it).

    ``settings`` defaults to :func:`connection_settings`.  Verifies
    connectivity first and turns ``ServiceUnavailable`` (nothing listens,
    server starting), ``AuthError`` (wrong credentials) and other driver
    errors into :class:`NotConnectedError` with a one-line message that never
    contains the password.
    """
    import neo4j
    from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

    if settings is None:
        settings = connection_settings()
    try:
        driver = neo4j.GraphDatabase.driver(
            settings.uri, auth=settings.auth,
            # schema-less warnings ("property key does not exist" on a new database) are noise here
            notifications_min_severity="OFF",
        )
    except (ValueError, DriverError) as exc:
        raise NotConnectedError(f"bad Neo4j URI {settings.uri!r}: {_one_line(exc, settings)}") from None
    try:
        driver.verify_connectivity()
    except AuthError:
        driver.close()
        raise NotConnectedError(
            f"Neo4j at {settings.uri} rejected user {settings.username!r}: wrong password? "
            "(check NEO4J_PASSWORD, or the managed instance's password file)"
        ) from None
    except ServiceUnavailable as exc:
        driver.close()
        raise NotConnectedError(
            f"cannot reach Neo4j at {settings.uri} ({_one_line(exc, settings)}): {_HINT}"
        ) from None
    except (DriverError, Neo4jError, OSError) as exc:
        driver.close()
        raise NotConnectedError(
            f"Neo4j at {settings.uri} is not usable: {_one_line(exc, settings)}"
        ) from None
    return driver


def _one_line(exc: BaseException, settings: ConnectionSettings) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if settings.password:
        text = text.replace(settings.password, "********")
    return text[:300]
