"""The managed Neo4j server, for real: auth, loopback only, Browser, status, secrets."""

from __future__ import annotations

import ipaddress
import json
import os
import stat
import urllib.error
import urllib.request
from pathlib import Path

import neo4j
import pytest
from neo4j.exceptions import AuthError

from kg.store.connection import ConnectionSettings, NotConnectedError, connection_settings, open_driver
from kg.store.server import NEO4J_VERSION, ServerError, read_password, start, status

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _get(url: str, **kwargs) -> tuple[int, str]:
    request = urllib.request.Request(url, **kwargs)
    try:
        with _NO_PROXY.open(request, timeout=10) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


# ---------------------------------------------------------------- auth


def test_bolt_answers_with_the_stored_password(neo4j_driver, neo4j_server):
    records, _, _ = neo4j_driver.execute_query("CALL dbms.components() YIELD name, versions, edition "
                                               "RETURN name, versions[0] AS version, edition")
    assert records[0]["name"] == "Neo4j Kernel"
    assert records[0]["version"] == neo4j_server.version == NEO4J_VERSION
    assert records[0]["version"].startswith("5.26.")
    assert records[0]["edition"] == "community"


def test_a_wrong_password_is_rejected(neo4j_server, neo4j_settings):
    wrong = neo4j_settings.password + "-wrong"
    with neo4j.GraphDatabase.driver(neo4j_server.bolt_uri, auth=("neo4j", wrong)) as driver:
        with pytest.raises(AuthError):
            driver.verify_connectivity()
    # kg's own wrapper turns it into a one-line NotConnectedError without the password
    bad = ConnectionSettings(neo4j_server.bolt_uri, "neo4j", wrong, "neo4j")
    with pytest.raises(NotConnectedError) as info:
        open_driver(bad)
    message = str(info.value)
    assert "\n" not in message and wrong not in message and "rejected" in message


def test_http_api_requires_credentials(neo4j_server):
    code, _ = _get(
        f"{neo4j_server.http_url}/db/neo4j/query/v2",
        data=json.dumps({"statement": "RETURN 1"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    assert code == 401


# ---------------------------------------------------------------- network


def _proc_addr(hex_addr: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    raw = bytes.fromhex(hex_addr)
    # /proc/net/tcp* print each 32-bit word in host (little-endian) order
    fixed = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    addr = ipaddress.ip_address(fixed)
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        return addr.ipv4_mapped
    return addr


def _listening_sockets(pid: int) -> list[tuple[ipaddress._BaseAddress, int]]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A = LISTEN
                host, port = local.split(":")
                found.append((_proc_addr(host), int(port, 16)))
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc")
def test_listens_on_loopback_only(neo4j_server):
    sockets = _listening_sockets(neo4j_server.pid)
    ports = {port for _, port in sockets}
    assert {neo4j_server.bolt_port, neo4j_server.http_port} <= ports
    assert all(addr.is_loopback for addr, _ in sockets), sockets


# ---------------------------------------------------------------- files and status


def test_password_file_is_private(neo4j_server):
    path = neo4j_server.instance_dir / "password"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(read_password(neo4j_server.instance_dir)) >= 24


def test_status_reports_the_running_server(neo4j_server):
    info = status(instance_dir=neo4j_server.instance_dir)
    assert info == neo4j_server
    assert info.pid > 0 and Path(f"/proc/{info.pid}").exists()
    assert info.version.startswith("5.26.")
    assert info.bolt_uri == f"bolt://127.0.0.1:{info.bolt_port}"
    assert info.http_url == f"http://127.0.0.1:{info.http_port}"
    assert info.data_dir == (neo4j_server.instance_dir / "data").resolve()
    assert info.log_file.is_file()
    json.dumps(info.to_dict())


def test_status_of_an_unused_instance_is_none(tmp_path):
    assert status(instance_dir=tmp_path) is None


def test_start_again_returns_the_running_server(neo4j_server, free_ports):
    bolt, http = free_ports(2)
    again = start(instance_dir=neo4j_server.instance_dir, bolt_port=bolt, http_port=http)
    assert again == neo4j_server


def test_start_refuses_a_taken_port(neo4j_server, tmp_path, free_ports):
    with pytest.raises(ServerError, match="already in use"):
        start(instance_dir=tmp_path / "other", bolt_port=neo4j_server.bolt_port,
              http_port=free_ports(1)[0])


def test_browser_is_served(neo4j_server):
    code, body = _get(f"{neo4j_server.http_url}/browser/")
    assert code == 200
    assert "<title>Neo4j Browser</title>" in body
    code, discovery = _get(f"{neo4j_server.http_url}/")
    assert code == 200
    assert json.loads(discovery)["neo4j_version"] == neo4j_server.version


def test_logs_and_conf_never_contain_the_password(neo4j_server, neo4j_driver):
    password = read_password(neo4j_server.instance_dir)
    neo4j_driver.execute_query("RETURN 1")
    files = [neo4j_server.log_file, *(neo4j_server.instance_dir / "logs").glob("*"),
             *(neo4j_server.instance_dir / "conf").glob("*")]
    assert neo4j_server.log_file.stat().st_size > 0
    for path in files:
        if path.is_file():
            assert password not in path.read_text(errors="replace"), path
    leftovers = list(neo4j_server.instance_dir.glob(".pw-*"))
    assert leftovers == []


# ---------------------------------------------------------------- connection settings


def test_connection_settings_from_the_instance(neo4j_server, neo4j_settings, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://example.invalid:7687")
    monkeypatch.setenv("NEO4J_PASSWORD", "not-this-one")
    settings = connection_settings(neo4j_server.instance_dir)  # explicit instance wins
    assert settings == neo4j_settings
    assert settings.password not in repr(settings)
    driver = open_driver(settings)
    try:
        assert driver.execute_query("RETURN 1 AS one").records[0]["one"] == 1
    finally:
        driver.close()


def test_connection_settings_environment_wins(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://db.example:7687")
    monkeypatch.setenv("NEO4J_USERNAME", "reader")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret-value")
    monkeypatch.setenv("NEO4J_DATABASE", "papers")
    settings = connection_settings()
    assert settings == ConnectionSettings("bolt://db.example:7687", "reader", "s3cret-value", "papers")
    assert "s3cret-value" not in repr(settings)


def test_no_server_no_environment(monkeypatch, tmp_path):
    for var in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("KG_HOME", str(tmp_path))
    with pytest.raises(NotConnectedError, match="kg neo4j start"):
        connection_settings()


def test_open_driver_on_a_closed_port(free_ports):
    settings = ConnectionSettings(f"bolt://127.0.0.1:{free_ports(1)[0]}", "neo4j", "whatever-pw", "neo4j")
    with pytest.raises(NotConnectedError, match="cannot reach"):
        open_driver(settings)


# ---------------------------------------------------------------- fixtures and CLI


def test_populate_for_clean_db(neo4j_driver):
    neo4j_driver.execute_query("CREATE (:Paper {id: 'p1'})-[:USES]->(:Method {name: 'm'})")
    neo4j_driver.execute_query("CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (p:Paper) REQUIRE p.id IS UNIQUE")
    neo4j_driver.execute_query("CREATE INDEX method_name IF NOT EXISTS FOR (m:Method) ON (m.name)")


def test_clean_db_empties_everything(clean_db):
    assert clean_db.execute_query("MATCH (n) RETURN count(n) AS c").records[0]["c"] == 0
    assert clean_db.execute_query("SHOW CONSTRAINTS").records == []
    kinds = {r["type"] for r in clean_db.execute_query("SHOW INDEXES YIELD type").records}
    assert kinds <= {"LOOKUP"}


def test_cli_status_json(neo4j_server, neo4j_settings):
    from typer.testing import CliRunner

    from kg.cli.neo4j import app

    result = CliRunner().invoke(
        app, ["status", "--format", "json", "--instance-dir", str(neo4j_server.instance_dir)]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["running"] is True
    assert payload["pid"] == neo4j_server.pid
    assert payload["bolt_port"] == neo4j_server.bolt_port
    assert neo4j_settings.password not in result.output

    table = CliRunner().invoke(app, ["status", "--instance-dir", str(neo4j_server.instance_dir)])
    assert table.exit_code == 0 and "5.26." in table.output
    assert neo4j_settings.password not in table.output


def test_cli_status_not_running(tmp_path):
    from typer.testing import CliRunner

    from kg.cli.neo4j import app

    result = CliRunner().invoke(app, ["status", "--format", "json", "--instance-dir", str(tmp_path)])
    assert result.exit_code == 3
    assert json.loads(result.output) == {"running": False}
