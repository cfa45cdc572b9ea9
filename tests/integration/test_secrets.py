"""Secrets: the managed server is loopback-only with auth on, and the password stays in its
file (mode 0600): never in command output, server logs or error messages.
``tests/integration/test_server.py`` covers the listening sockets (/proc), the password
file's mode, a wrong password through the Python API, HTTP without credentials, and the
logs and conf of the session server; this file covers the rest."""

from __future__ import annotations

import fcntl
import ipaddress
import json
import os
import re
import socket
import stat
import struct
import subprocess
import sys
import time
from pathlib import Path

import neo4j
import pytest
from kgrun import REPO, run_kg
from neo4j.exceptions import AuthError

from kg.store.connection import ConnectionSettings
from kg.store.server import read_password

_SIOCGIFADDR = 0x8915


def _own_addresses() -> list[str]:
    """This machine's non-loopback IPv4 addresses (read from its interfaces: no traffic)."""
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _, name in socket.if_nameindex():
            try:
                raw = fcntl.ioctl(s.fileno(), _SIOCGIFADDR, struct.pack("256s", name[:15].encode()))
            except OSError:
                continue
            addr = ipaddress.ip_address(raw[20:24])
            if not addr.is_loopback:
                found.append(str(addr))
    return found


def _conf(instance_dir: Path) -> dict[str, str]:
    lines = (instance_dir / "conf" / "neo4j.conf").read_text().splitlines()
    return dict(ln.split("=", 1) for ln in lines if "=" in ln and not ln.lstrip().startswith("#"))


def test_conf_binds_loopback_with_auth_on(neo4j_server):
    conf = _conf(neo4j_server.instance_dir)
    assert conf["server.default_listen_address"] == "127.0.0.1"
    for key in ("server.bolt.listen_address", "server.http.listen_address"):
        assert conf[key].rsplit(":", 1)[0] == "127.0.0.1", (key, conf[key])
    assert conf["dbms.security.auth_enabled"] == "true"
    assert conf.get("server.https.enabled", "false") == "false"
    assert password_free(neo4j_server.instance_dir / "conf" / "neo4j.conf", read_password(neo4j_server.instance_dir))


def password_free(path: Path, password: str) -> bool:
    return password not in path.read_text(errors="replace")


@pytest.mark.skipif(not hasattr(socket, "if_nameindex"), reason="needs if_nameindex")
def test_not_reachable_on_this_machines_other_addresses(neo4j_server):
    addresses = _own_addresses()
    if not addresses:
        pytest.skip("this machine has no non-loopback IPv4 address")
    for addr in addresses:  # the machine's own addresses: the kernel answers, nothing leaves
        for port in (neo4j_server.bolt_port, neo4j_server.http_port):
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.settimeout(5)
                with pytest.raises(ConnectionRefusedError):
                    s.connect((addr, port))
    # while loopback answers
    with socket.create_connection(("127.0.0.1", neo4j_server.bolt_port), timeout=5):
        pass


def test_bolt_without_credentials_is_refused(neo4j_server):
    for auth in (None, ("neo4j", "")):
        with neo4j.GraphDatabase.driver(neo4j_server.bolt_uri, auth=auth) as driver:
            with pytest.raises(AuthError):
                driver.verify_connectivity()


def _when_login_works(settings: ConnectionSettings, seconds: float = 15) -> None:
    """Wait until the server takes the right password again (after failed logins)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with neo4j.GraphDatabase.driver(settings.uri, auth=(settings.username, settings.password)) as driver:
                driver.verify_connectivity()
            return None
        except (AuthError, neo4j.exceptions.ClientError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_errors_never_print_the_password(neo4j_server, neo4j_settings, clean_db, tmp_path):
    real = neo4j_settings.password
    wrong = real + "-but-wrong"
    bad = ConnectionSettings(neo4j_settings.uri, "neo4j", wrong, "neo4j")
    # another user name for the rest: three failed logins of neo4j would lock it for 5 s
    nobody = ConnectionSettings(neo4j_settings.uri, "kg-nobody", real, "neo4j")
    papers = tmp_path / "p.jsonl"
    papers.write_text(json.dumps({"id": "sec-1", "title": "SecNet", "abstract": "SecNet reaches 80% accuracy on COCO."}) + "\n")
    runs = [
        ("wrong password, query", run_kg(bad, "query", "--cypher", "RETURN 1")),
        ("wrong password, build", run_kg(nobody, "build", str(papers))),
        ("wrong password, stats", run_kg(nobody, "stats")),
        ("bad query", run_kg(neo4j_settings, "query", "--cypher", "MATCH (n) RETURN n LIMIT")),
        ("write in a read query", run_kg(neo4j_settings, "query", "--cypher", "CREATE (:Paper {id: 'x'})")),
        ("unknown function", run_kg(neo4j_settings, "query", "--cypher", "RETURN nosuch.fn($x)", "-p", f"x={real[:3]}")),
        ("good build", _when_login_works(neo4j_settings) or run_kg(neo4j_settings, "build", str(papers))),
        ("good query", run_kg(neo4j_settings, "query", "paper", "-p", "paper=sec-1", "--format", "json")),
    ]
    for what, res in runs:
        text = res.stdout + res.stderr
        assert "Traceback" not in text, (what, text[-2000:])
        assert real not in text and wrong not in text, what
        if what.startswith("wrong password"):
            assert res.returncode == 2 and "rejected" in res.stderr.lower(), (what, res.stderr)
        elif what.startswith("good"):
            assert res.returncode == 0, (what, res.stderr)
        else:
            assert res.returncode == 2 and res.stderr.count("\n") == 1, (what, res.stderr)
    # nor did the server write it anywhere while refusing those logins
    for path in (neo4j_server.instance_dir / "logs").glob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            assert real not in text and wrong not in text, path


def test_cli_start_status_stop_never_print_the_password(tmp_path, free_ports):
    """The ``kg neo4j`` commands on an instance of their own: output, logs, files."""
    inst = tmp_path / "inst"
    bolt, http = free_ports(2)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}

    def kg(*args):
        return subprocess.run([sys.executable, "-m", "kg.cli", "neo4j", *args, "--instance-dir", str(inst)], cwd=REPO,
                              env=env, capture_output=True, text=True, timeout=300)

    outputs = []
    try:
        started = kg("start", "--bolt-port", str(bolt), "--http-port", str(http), "--heap", "256m", "--pagecache", "64m")
        outputs.append(started)
        assert started.returncode == 0, started.stderr
        password = read_password(inst)
        assert stat.S_IMODE((inst / "password").stat().st_mode) == 0o600
        assert len(password) >= 24
        again = kg("start", "--bolt-port", str(bolt), "--http-port", str(http))
        outputs += [again, kg("status"), kg("status", "--format", "json")]
        assert "already running" in again.stdout
        assert json.loads(outputs[-1].stdout)["running"] is True
        with neo4j.GraphDatabase.driver(f"bolt://127.0.0.1:{bolt}", auth=("neo4j", password)) as driver:
            driver.verify_connectivity()
    finally:
        stopped = kg("stop", "--timeout", "30")
    outputs.append(stopped)
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    assert "password" in outputs[0].stdout  # the row that says where it is (folded: a long path)
    for res in outputs:
        assert password not in res.stdout + res.stderr, res.args
    files = [p for p in inst.rglob("*") if p.is_file() and p.name != "password" and "data" not in p.relative_to(inst).parts]
    assert any(p.suffix == ".log" for p in files), files
    for path in files:
        assert password not in path.read_text(errors="replace"), path
    assert not list(inst.glob(".pw-*"))  # the temporary file for neo4j-admin is gone


# ---------------------------------------------------------------- docker compose


def _compose_env(text: str) -> dict[str, str]:
    """The ``environment:`` mapping of the neo4j service (kg's compose file, no YAML library)."""
    env, inside = {}, False
    for line in text.splitlines():
        if re.match(r"\s{4}environment:\s*$", line):
            inside = True
            continue
        if inside:
            m = re.match(r"\s{6}([A-Za-z_][\w]*):\s*(.*?)\s*$", line)
            if m:
                env[m[1]] = m[2].strip("'\"")
            elif line.strip() and not line.lstrip().startswith("#"):
                break
    return env


def test_docker_compose_has_no_default_password():
    text = (REPO / "docker-compose.yml").read_text()
    env = _compose_env(text)
    auth = env["NEO4J_AUTH"]
    # neo4j/<password>, the password a required variable: ${VAR:?message}, no ${VAR:-default}
    m = re.fullmatch(r"neo4j/\$\{(\w+):\?[^}]+\}", auth)
    assert m, auth
    assert m[1] == "NEO4J_PASSWORD"
    assert not re.search(r"\$\{\w+:?-", text), "a variable with a default value"
    assert "none" not in auth.lower()
    assert all(p.startswith(("127.0.0.1:", '"127.0.0.1:')) for p in re.findall(r"^\s+-\s+(\S+)", text.split("ports:")[1]
                                                                                  .split("environment:")[0], re.M))
    # .env.example gives no usable value: copied unedited, compose still refuses (":?" also
    # refuses an empty value)
    example = (REPO / ".env.example").read_text()
    values = dict(ln.split("=", 1) for ln in example.splitlines() if "=" in ln and not ln.startswith("#"))
    assert values["NEO4J_PASSWORD"].strip() == ""
