"""The server manager's process and lock handling (psutil, filelock), without a Neo4j server."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

from kg.store.server import manager


def _child(code: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    manager._CHILDREN[proc.pid] = proc
    return proc


def test_terminate_kills_what_ignores_sigterm_and_reaps_it():
    proc = _child("import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print(flush=True); time.sleep(60)")
    time.sleep(0.5)  # the handler is in place
    assert manager._pid_alive(proc.pid)
    t0 = time.monotonic()
    manager._terminate(proc.pid, timeout=1)
    assert 0.9 < time.monotonic() - t0 < 10
    assert not manager._pid_alive(proc.pid) and proc.pid not in manager._CHILDREN
    assert proc.poll() is not None  # reaped: no zombie left


def test_an_exited_child_is_not_alive_and_another_program_is_not_our_server(tmp_path: Path):
    proc = _child("import time; time.sleep(60)")
    try:
        assert manager._pid_alive(proc.pid)
        assert not manager._is_our_server(proc.pid, tmp_path)  # its command line names no CommunityEntryPoint
    finally:
        manager._terminate(proc.pid, timeout=5)
    quick = _child("pass")
    quick.wait()
    assert not manager._pid_alive(quick.pid) and not manager._is_our_server(quick.pid, tmp_path)


def test_instance_lock_serialises(tmp_path: Path):
    order: list[str] = []

    def hold() -> None:
        with manager._file_lock(tmp_path / "inst" / ".lock"):
            order.append("a-in")
            time.sleep(0.3)
            order.append("a-out")

    t = threading.Thread(target=hold)
    t.start()
    time.sleep(0.1)
    with manager._file_lock(tmp_path / "inst" / ".lock"):
        order.append("b-in")
    t.join()
    assert order == ["a-in", "a-out", "b-in"]


def test_last_start_options_and_admin_command(tmp_path: Path, monkeypatch):
    inst = tmp_path / "inst"
    inst.mkdir()
    assert manager.last_start_options(instance_dir=inst) == {
        "bolt_port": manager.DEFAULT_BOLT_PORT, "http_port": manager.DEFAULT_HTTP_PORT,
        "heap": "512m", "pagecache": "256m"}
    (inst / "instance.json").write_text(json.dumps({"bolt_port": 1, "http_port": 2, "heap": "1g", "pagecache": "64m"}))
    assert manager.last_start_options(instance_dir=inst) == {"bolt_port": 1, "http_port": 2, "heap": "1g",
                                                             "pagecache": "64m"}
    monkeypatch.setattr(manager, "install", lambda home=None, quiet=False: tmp_path / "nhome")
    monkeypatch.setattr(manager, "java_executable", lambda: "/usr/bin/java")
    monkeypatch.setenv("NEO4J_PASSWORD", "secret")
    cmd, env = manager.admin_command(["database", "info"], instance_dir=inst, heap="1g")
    assert cmd == ["/usr/bin/java", "-Xmx1g", "-cp", str(tmp_path / "nhome" / "lib" / "*"), manager.ADMIN_ENTRY_POINT,
                   "database", "info"]
    assert env["NEO4J_CONF"] == str(inst.resolve() / "conf") and "NEO4J_PASSWORD" not in env


def test_a_zombie_another_process_has_not_reaped_counts_as_gone():
    """kg build --bulk stops a server that another process started; the exited JVM stays a
    zombie until that parent collects it, and waiting for it cost 60 s per bulk load."""
    import subprocess
    import sys
    import time

    import psutil

    from kg.store.server.manager import _wait_gone

    # a parent that starts a child which exits at once, and never reaps it
    code = "import subprocess, sys, time; p = subprocess.Popen(['true']); print(p.pid, flush=True); time.sleep(30)"
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        pid = int(parent.stdout.readline())
        zombie = psutil.Process(pid)
        deadline = time.monotonic() + 10
        while zombie.status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
            time.sleep(0.05)
        assert zombie.status() == psutil.STATUS_ZOMBIE
        t0 = time.monotonic()
        assert _wait_gone([zombie], timeout=20) == []
        assert time.monotonic() - t0 < 5
    finally:
        parent.kill()
        parent.wait()
