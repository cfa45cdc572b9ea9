"""Fixtures for tests that need a real Neo4j: one throwaway server per test session.

``neo4j_server`` installs the jars (once, into ``$KG_HOME`` or ``~/.cache/kg``:
shared with ``kg neo4j start``), then starts a fresh instance under pytest's
tmp dir on two free loopback ports, and stops it when the session ends.  It
never touches the default instance (ports 7687/7474).

Every test under tests/integration/ is marked ``integration`` (deselect with
``-m "not integration"``).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.store.connection import ConnectionSettings
from kg.store.server import ServerInfo, install, read_password, start, stop

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test collected from this directory as ``integration``."""
    for item in items:
        if _HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.integration)


def find_free_ports(count: int) -> list[int]:
    """Return ``count`` distinct free TCP ports on 127.0.0.1 (bound together, then released)."""
    socks = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            socks.append(sock)
        return [s.getsockname()[1] for s in socks]
    finally:
        for sock in socks:
            sock.close()


@pytest.fixture(scope="session")
def free_ports():
    """The function ``free_ports(count) -> list[int]`` (free ports on 127.0.0.1)."""
    return find_free_ports


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerInfo]:
    """A running throwaway Neo4j 5.26 server (its own instance dir and ports)."""
    install(quiet=True)
    instance_dir = tmp_path_factory.mktemp("neo4j-instance")
    bolt_port, http_port = find_free_ports(2)
    info = start(
        instance_dir=instance_dir,
        bolt_port=bolt_port,
        http_port=http_port,
        heap="512m",
        pagecache="128m",
        timeout=180,
    )
    try:
        yield info
    finally:
        stop(instance_dir=instance_dir, timeout=30)


@pytest.fixture(scope="session")
def neo4j_settings(neo4j_server: ServerInfo) -> ConnectionSettings:
    """Connection settings (bolt URI, user neo4j, its password, database neo4j) for it."""
    return ConnectionSettings(
        uri=neo4j_server.bolt_uri,
        username=neo4j_server.username,
        password=read_password(neo4j_server.instance_dir),
        database="neo4j",
    )


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_settings: ConnectionSettings):
    """A session-wide ``neo4j.Driver`` connected to the throwaway server."""
    from kg.store.connection import open_driver

    driver = open_driver(neo4j_settings)
    try:
        yield driver
    finally:
        driver.close()


@pytest.fixture
def clean_db(neo4j_driver, neo4j_settings: ConnectionSettings):
    """Empty the database before the test: all nodes, constraints and indexes.

    The two built-in token LOOKUP indexes are kept (Neo4j creates them with
    every database and relies on them for label and relationship-type scans).
    Yields the driver.
    """
    db = neo4j_settings.database
    with neo4j_driver.session(database=db) as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
        for record in session.run("SHOW CONSTRAINTS YIELD name RETURN name").data():
            session.run(f"DROP CONSTRAINT `{_escape(record['name'])}` IF EXISTS").consume()
        for record in session.run(
            "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"
        ).data():
            session.run(f"DROP INDEX `{_escape(record['name'])}` IF EXISTS").consume()
    yield neo4j_driver


def _escape(name: str) -> str:
    return name.replace("`", "``")


@pytest.fixture(scope="session")
def seed_records(shared):
    """The seed listings read and extracted once per session (records are frozen: shared safely)."""
    from kg.ingest.extract import extract_papers
    from kg.ingest.papers import read_papers

    papers, rejects = read_papers([shared / "seeds"])
    assert len(papers) == 268 and not rejects
    return list(extract_papers(papers))
