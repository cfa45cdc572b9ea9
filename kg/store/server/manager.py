"""Install, start, stop and inspect a local Neo4j Community server.

Layout (nothing of it lives in the repository)::

    <home>/                                 default_home(): $KG_HOME or ~/.cache/kg
      neo4j-<version>/                      neo4j_home(): shared by every instance
        lib/*.jar                           from Maven Central (kg/store/server/pom.xml)
        plugins/  web/                      web/ stays empty (see pom.xml)
        .installed  install.log             marker (JSON) and the last Maven log
        instances/default/                  default_instance_dir()
          conf/neo4j.conf                   rewritten by every start()
          data/  logs/  run/  import/
          logs/console.log                  the server's stdout and stderr
          password                          mode 0600, user ``neo4j``
          neo4j.pid  instance.json          written by start(), read by status()

Rules and where they come from (see also shared/NEO4J-NOTES.md):

* 5.26 is the LTS line that still runs on Java 17; the jars are
  ``org.neo4j:neo4j`` (bootloader, ``CommunityEntryPoint``,
  ``Neo4jAdminCommand``), ``org.neo4j.app:neo4j-server`` (HTTP) and
  ``org.neo4j.client:neo4j-browser`` (the Browser as a classpath site).
* Launched by hand, ``server.memory.heap.*`` and ``server.jvm.additional`` are
  ignored, so the JVM flags (heap, ``--add-opens``) are passed here, as the
  ``neo4j`` script would.
* The server validates ``neo4j.conf`` strictly: an unknown setting makes it
  exit with code 3, so :func:`start` surfaces the log tail.
* The initial password is set with ``Neo4jAdminCommand dbms
  set-initial-password`` before the first start.  The password is handed over
  in a picocli ``@argument-file`` (mode 0600, deleted right after) so that it
  never appears on a command line.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import psutil
from filelock import FileLock

from kg.errors import KgError

__all__ = [
    "DEFAULT_BOLT_PORT",
    "DEFAULT_HTTP_PORT",
    "NEO4J_USERNAME",
    "NEO4J_VERSION",
    "ServerError",
    "ServerInfo",
    "admin_command",
    "default_home",
    "default_instance_dir",
    "install",
    "instance_path",
    "is_installed",
    "last_start_options",
    "neo4j_home",
    "read_password",
    "start",
    "status",
    "stop",
]


class ServerError(KgError):
    """The managed Neo4j server could not be installed, started or stopped.

    The message is a single line meant for a person (it never contains the
    password).
    """


POM_PATH = Path(__file__).with_name("pom.xml")
_POM_NS = {"m": "http://maven.apache.org/POM/4.0.0"}


def _pom_version() -> str:
    """Return ``neo4j.version`` from ``pom.xml``: the single source of truth."""
    root = ET.parse(POM_PATH).getroot()
    node = root.find("m:properties/m:neo4j.version", _POM_NS)
    if node is None or not (node.text or "").strip():
        raise ServerError(f"{POM_PATH} declares no <neo4j.version> property")
    return node.text.strip()


NEO4J_VERSION: str = _pom_version()
"""The Neo4j version that :func:`install` fetches (``neo4j.version`` in pom.xml)."""

NEO4J_USERNAME = "neo4j"
DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474
LOOPBACK = "127.0.0.1"

_MARKER = ".installed"
_ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_ENTRY_POINT = "org.neo4j.server.startup.Neo4jAdminCommand"
_REDACTED = "********"

# JVM flags the `neo4j` launch script would add (BootloaderOsAbstraction), but one.
_JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    # not -XX:+ExitOnOutOfMemoryError (the launch script's): one read query that asks for an
    # oversized value (a string doubled 29 times) would end the whole server; without it the
    # failed allocation fails that query, and the transaction memory limits bound the rest
    # (transaction_memory, #14 D6)
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
)


# --------------------------------------------------------------------------
# paths


def default_home() -> Path:
    """Return kg's cache home: ``$KG_HOME`` if set, else ``~/.cache/kg``.

    Neo4j is installed under ``<home>/neo4j-<version>/`` (see
    :func:`neo4j_home`), outside the repository.
    """
    env = os.environ.get("KG_HOME")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "kg"


def neo4j_home(home: Path | None = None) -> Path:
    """Return ``<home>/neo4j-<NEO4J_VERSION>`` (the server's ``--home-dir``)."""
    return Path(home or default_home()).expanduser() / f"neo4j-{NEO4J_VERSION}"


def default_instance_dir(home: Path | None = None) -> Path:
    """Return the default instance's directory, ``<neo4j_home>/instances/default``."""
    return neo4j_home(home) / "instances" / "default"


def instance_path(home: Path | None, instance_dir: Path | None) -> Path:
    """The instance directory: ``instance_dir`` resolved, else the default instance of ``home``."""
    if instance_dir is not None:
        return Path(instance_dir).expanduser().resolve()
    return default_instance_dir(home).resolve()


# --------------------------------------------------------------------------
# install


def _pom_digest() -> str:
    """Hash of what decides the jars (properties, dependencies, plugins), not comments."""
    root = ET.parse(POM_PATH).getroot()
    parts = []
    for section in ("m:properties", "m:dependencies", "m:build"):
        node = root.find(section, _POM_NS)
        if node is not None:
            parts += [f"{el.tag}={(el.text or '').strip()}" for el in node.iter()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def is_installed(home: Path | None = None) -> bool:
    """Tell whether :func:`install` has completed for the current pom.xml."""
    marker = neo4j_home(home) / _MARKER
    try:
        data = json.loads(marker.read_text())
    except (OSError, ValueError):
        return False
    lib = neo4j_home(home) / "lib"
    return (
        data.get("version") == NEO4J_VERSION
        and data.get("pom_sha256") == _pom_digest()
        and (lib / f"org.neo4j.neo4j-{NEO4J_VERSION}.jar").is_file()
    )


def _file_lock(path: Path) -> FileLock:
    """An exclusive inter-process lock on ``path`` (created with its parent directory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(path)


def _say(quiet: bool, message: str) -> None:
    if not quiet:
        print(message, file=sys.stderr, flush=True)


def _maven() -> str:
    mvn = os.environ.get("KG_MVN") or shutil.which("mvn")
    if not mvn:
        raise ServerError(
            "Maven (mvn) is not on PATH: install it (e.g. `apt-get install maven`) "
            "or point KG_MVN at it"
        )
    return mvn


def java_executable() -> str:
    """The ``java`` to run Neo4j and neo4j-admin with: ``$JAVA_HOME/bin/java``, else ``java`` on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if not java:
        raise ServerError(
            "java is not on PATH: Neo4j 5.26 needs a Java 17 or 21 runtime "
            "(e.g. `apt-get install openjdk-17-jre-headless`) or JAVA_HOME"
        )
    return java


def install(home: Path | None = None, *, quiet: bool = False) -> Path:
    """Fetch the Neo4j server jars from Maven Central; return ``neo4j_home``.

    Runs ``mvn dependency:copy-dependencies`` on ``kg/store/server/pom.xml`` into
    ``<neo4j_home>/lib`` (group id prepended to jar names so that same-named
    jars do not overwrite each other), creates ``plugins/`` and an empty
    ``web/``, then writes the ``.installed`` marker.  Idempotent: returns at
    once when the marker matches the current version and pom.xml.  Safe to call
    from several processes (a file lock serialises them).  Progress lines go
    to stderr unless ``quiet``; Maven's own output goes to
    ``<neo4j_home>/install.log``.

    Raises :class:`ServerError` (one line) when Maven is missing or fails.
    """
    target = neo4j_home(home)
    if is_installed(home):
        return target
    with _file_lock(target / ".install.lock"):
        if is_installed(home):
            return target
        mvn = _maven()
        log_path = target / "install.log"
        partial = target / "lib.partial"
        shutil.rmtree(partial, ignore_errors=True)
        _say(quiet, f"Installing Neo4j {NEO4J_VERSION} from Maven Central into {target} ...")
        started = time.monotonic()
        cmd = [
            mvn,
            "-B",
            "--no-transfer-progress",
            "-f",
            str(POM_PATH),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={partial}",
            "-Dmdep.prependGroupId=true",
            "-DincludeScope=runtime",
        ]
        with open(log_path, "w") as log:
            try:
                proc = subprocess.run(
                    cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    cwd=target, check=False,
                )
            except OSError as exc:
                raise ServerError(f"could not run Maven ({mvn}): {exc.strerror or exc}") from exc
        if proc.returncode != 0:
            shutil.rmtree(partial, ignore_errors=True)
            raise ServerError(
                f"Maven failed to fetch Neo4j {NEO4J_VERSION} (exit {proc.returncode}): "
                f"{_first_maven_error(log_path)}; full log in {log_path}"
            )
        jars = sorted(p.name for p in partial.glob("*.jar"))
        if f"org.neo4j.neo4j-{NEO4J_VERSION}.jar" not in jars:
            raise ServerError(
                f"Maven finished but org.neo4j:neo4j:{NEO4J_VERSION} is not in {partial}; "
                f"full log in {log_path}"
            )
        lib = target / "lib"
        old = target / "lib.old"
        shutil.rmtree(old, ignore_errors=True)
        if lib.exists():
            lib.rename(old)
        partial.rename(lib)
        shutil.rmtree(old, ignore_errors=True)
        for sub in ("plugins", "web", "instances"):
            (target / sub).mkdir(exist_ok=True)
        marker = {
            "version": NEO4J_VERSION,
            "pom_sha256": _pom_digest(),
            "jars": len(jars),
            "installed_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        (target / _MARKER).write_text(json.dumps(marker, indent=2) + "\n")
        _say(quiet, f"Installed Neo4j {NEO4J_VERSION} ({len(jars)} jars) in "
                    f"{time.monotonic() - started:.0f}s")
        return target


def _first_maven_error(log_path: Path) -> str:
    try:
        lines = log_path.read_text(errors="replace").splitlines()
    except OSError:
        return "no output"
    for line in lines:
        if line.startswith("[ERROR]") and line[7:].strip():
            return line[7:].strip()[:300]
    tail = [line for line in lines if line.strip()]
    return tail[-1][:300] if tail else "no output"


# --------------------------------------------------------------------------
# server info and state


@dataclass(frozen=True)
class ServerInfo:
    """A running managed server.  Never holds the password.

    ``bolt_uri`` is ``bolt://127.0.0.1:<bolt_port>``; ``http_url`` is
    ``http://127.0.0.1:<http_port>``; ``browser_url`` opens Neo4j Browser with
    the connection pre-filled (user ``neo4j``, password to be typed).
    """

    pid: int
    bolt_port: int
    http_port: int
    bolt_uri: str
    http_url: str
    browser_url: str
    version: str
    username: str
    data_dir: Path
    log_file: Path
    instance_dir: Path

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict (paths as strings)."""
        return {
            k: (str(v) if isinstance(v, Path) else v)
            for k, v in dataclasses.asdict(self).items()
        }


def _info(instance_dir: Path, pid: int, bolt_port: int, http_port: int, version: str) -> ServerInfo:
    bolt_uri = f"bolt://{LOOPBACK}:{bolt_port}"
    http_url = f"http://{LOOPBACK}:{http_port}"
    return ServerInfo(
        pid=pid,
        bolt_port=bolt_port,
        http_port=http_port,
        bolt_uri=bolt_uri,
        http_url=http_url,
        browser_url=(
            f"{http_url}/browser/?dbms=bolt://{NEO4J_USERNAME}@{LOOPBACK}:{bolt_port}"
            "&db=neo4j"
        ),
        version=version,
        username=NEO4J_USERNAME,
        data_dir=(instance_dir / "data").resolve(),
        log_file=instance_dir / "logs" / "console.log",
        instance_dir=instance_dir,
    )


def _process(pid: int) -> psutil.Process | None:
    """The live process ``pid`` (not a zombie), else None; our own exited child is reaped."""
    proc = _CHILDREN.get(pid)
    if proc is not None and proc.poll() is not None:
        _CHILDREN.pop(pid, None)
        return None
    try:
        p = psutil.Process(pid)
        zombie = p.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return None
    except psutil.AccessDenied:  # someone else's process: alive, but opaque
        return p
    return None if zombie else p


def _pid_alive(pid: int) -> bool:
    return _process(pid) is not None


def _is_our_server(pid: int, instance_dir: Path) -> bool:
    """True if ``pid`` is a live CommunityEntryPoint for this instance's conf."""
    p = _process(pid)
    if p is None:
        return False
    try:
        args = p.cmdline()
    except psutil.AccessDenied:
        return True  # cannot read its command line: trust the pid file
    except psutil.NoSuchProcess:
        return False
    return _ENTRY_POINT in args and str(instance_dir / "conf") in args


def _read_state(instance_dir: Path) -> dict | None:
    try:
        pid = int((instance_dir / "neo4j.pid").read_text().strip())
        state = json.loads((instance_dir / "instance.json").read_text())
    except (OSError, ValueError):
        return None
    state["pid"] = pid
    return state


def status(home: Path | None = None, *, instance_dir: Path | None = None) -> ServerInfo | None:
    """Return the instance's :class:`ServerInfo` if its server process runs, else None.

    Reads ``neo4j.pid`` and ``instance.json`` and checks that the pid is a live
    ``CommunityEntryPoint`` for this instance (guards against pid reuse).  It
    does not check that Bolt answers: a server that is still starting (or
    stopping) is reported.  Stale pid files are removed.  Never raises for a
    missing or broken instance.
    """
    inst = instance_path(home, instance_dir)
    state = _read_state(inst)
    if state is None:
        return None
    pid = state["pid"]
    if not _is_our_server(pid, inst):
        with contextlib.suppress(OSError):
            (inst / "neo4j.pid").unlink()
        return None
    try:
        return _info(inst, pid, int(state["bolt_port"]), int(state["http_port"]),
                     str(state["version"]))
    except (KeyError, TypeError, ValueError):
        return None


def read_password(instance_dir: Path | None = None, *, home: Path | None = None) -> str:
    """Return the ``neo4j`` user's password of an instance (default instance if None).

    Raises :class:`ServerError` if the instance has no password file (never
    started) or the file is empty.
    """
    inst = instance_path(home, instance_dir)
    path = inst / "password"
    try:
        password = path.read_text().strip()
    except FileNotFoundError:
        raise ServerError(
            f"no password file at {path}: start the server first (`kg neo4j start`)"
        ) from None
    except OSError as exc:
        raise ServerError(f"cannot read {path}: {exc.strerror}") from None
    if not password:
        raise ServerError(f"password file {path} is empty")
    return password


# --------------------------------------------------------------------------
# configuration


_SETTING_RE = re.compile(r"^[a-z][a-z0-9_.]*$")


_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)b?\s*$", re.I)


def _bytes(size: str) -> int | None:
    """"512m" → 536870912 (Neo4j's and the JVM's size suffixes k, m, g, t); None if unreadable."""
    m = _SIZE_RE.match(size)
    if not m:
        return None
    return int(float(m.group(1)) * 1024 ** "_kmgt".index((m.group(2) or "_").lower()))


def transaction_memory(heap: str) -> dict[str, str]:
    """Memory limits that keep one query from killing the server (#14 D6): a transaction
    may use half the heap, all transactions together 70 % of it; past that the query fails
    with a MemoryLimitExceeded error and the server stays up. Settings from the Neo4j
    operations manual, "Memory configuration" (``db.memory.transaction.max``,
    ``dbms.memory.transaction.total.max``); an unreadable heap size sets none."""
    n = _bytes(heap)
    if not n:
        return {}
    return {"db.memory.transaction.max": f"{n // 2 // 1024 ** 2}m",
            "dbms.memory.transaction.total.max": f"{n * 7 // 10 // 1024 ** 2}m"}


def _conf_lines(
    inst: Path,
    nhome: Path,
    bolt_port: int,
    http_port: int,
    pagecache: str,
    extra_conf: Mapping[str, str] | None,
    heap: str = "512m",
) -> list[str]:
    conf: dict[str, str] = {
        "server.directories.data": str(inst / "data"),
        "server.directories.logs": str(inst / "logs"),
        "server.directories.run": str(inst / "run"),
        "server.directories.import": str(inst / "import"),
        "server.directories.plugins": str(nhome / "plugins"),
        "server.directories.lib": str(nhome / "lib"),
        # loopback only, on the instance's own ports
        "server.default_listen_address": LOOPBACK,
        "server.default_advertised_address": LOOPBACK,
        "server.bolt.enabled": "true",
        "server.bolt.listen_address": f"{LOOPBACK}:{bolt_port}",
        "server.bolt.advertised_address": f"{LOOPBACK}:{bolt_port}",
        "server.bolt.tls_level": "DISABLED",
        "server.http.enabled": "true",
        "server.http.listen_address": f"{LOOPBACK}:{http_port}",
        "server.http.advertised_address": f"{LOOPBACK}:{http_port}",
        "server.https.enabled": "false",
        # no server-side routing: several loopback instances must not clash on 7688
        "dbms.routing.enabled": "false",
        "dbms.security.auth_enabled": "true",
        "server.memory.pagecache.size": pagecache,
        "dbms.usage_report.enabled": "false",
        "client.allow_telemetry": "false",
        # the Bolt server otherwise idles 2 x 5 s on shutdown (netty quiet period)
        "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
        "internal.dbms.bolt.netty_server_shutdown_timeout": "1s",
        # LOAD CSV reads no local file (and the read-only query path refuses LOAD CSV)
        "dbms.security.allow_csv_import_from_file_urls": "false",
        **transaction_memory(heap),
    }
    style = _browser_style_cmd()
    if style:
        # the Browser runs this after connecting: kg's colours and captions (schema/browser.grass)
        conf["browser.post_connect_cmd"] = style
    for key, value in (extra_conf or {}).items():
        key, value = str(key).strip(), str(value)
        if not _SETTING_RE.match(key) or "\n" in value or "\r" in value:
            raise ServerError(f"invalid extra_conf setting {key!r}")
        conf[key] = value
    lines = [
        "# Written by kg.store.server.manager.start() on every start: edits are lost.",
        "# Pass extra settings with start(extra_conf={...}).",
    ]
    lines += [f"{k}={v}" for k, v in conf.items()]
    return lines


def _browser_style_cmd() -> str | None:
    """``style {...}`` for ``browser.post_connect_cmd`` (kg.graph.style), or None if unavailable.

    A missing or broken style sheet never stops the server from starting.
    """
    try:
        from kg.graph.style import post_connect_cmd

        return post_connect_cmd()
    except (ImportError, KgError):
        return None


def _check_port_free(port: int, what: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # as the server's own sockets do, so that TIME_WAIT leftovers do not count
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((LOOPBACK, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServerError(
                    f"{what} port {port} on {LOOPBACK} is already in use: stop whatever "
                    f"listens there or pick another port"
                ) from None
            raise ServerError(f"cannot use {what} port {port}: {exc.strerror}") from None


def _set_initial_password(java: str, nhome: Path, inst: Path, password: str) -> None:
    """Run ``neo4j-admin dbms set-initial-password`` without putting it on argv."""
    fd, argfile = tempfile.mkstemp(prefix=".pw-", dir=inst)
    try:
        with os.fdopen(fd, "w") as fh:  # mkstemp creates it with mode 0600
            # picocli @file: one argument per line, quoted so nothing is split
            fh.write('"' + password.replace("\\", "\\\\").replace('"', '\\"') + '"\n')
        cmd, env = _admin_command(java, nhome, inst, ["dbms", "set-initial-password", "@" + argfile])
        proc = subprocess.run(
            cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False,
        )
    finally:
        with contextlib.suppress(OSError):
            os.unlink(argfile)
    if proc.returncode != 0:
        out = _redact((proc.stderr or proc.stdout or "").strip(), password)
        first = out.splitlines()[0] if out else "no output"
        raise ServerError(f"neo4j-admin set-initial-password failed (exit {proc.returncode}): {first}")


def _admin_command(java: str, nhome: Path, inst: Path, args: list[str],
                   heap: str = "256m") -> tuple[list[str], dict[str, str]]:
    cmd = [java, f"-Xmx{heap}", "-cp", str(nhome / "lib" / "*"), ADMIN_ENTRY_POINT, *args]
    return cmd, _java_env(nhome, inst)


def _java_env(nhome: Path, inst: Path) -> dict[str, str]:
    """The environment for Neo4j's Java entry points: this instance's home and conf, no password."""
    env = dict(os.environ, NEO4J_HOME=str(nhome), NEO4J_CONF=str(inst / "conf"))
    for var in ("NEO4J_PASSWORD", "NEO4J_AUTH"):
        env.pop(var, None)
    return env


def admin_command(args: list[str], home: Path | None = None, *, instance_dir: Path | None = None,
                  heap: str = "256m") -> tuple[list[str], dict[str, str]]:
    """``(argv, environment)`` that run ``neo4j-admin <args>`` on an instance's conf and data.

    ``java -Xmx<heap> -cp "<neo4j_home>/lib/*" Neo4jAdminCommand <args>`` with ``NEO4J_HOME``
    and ``NEO4J_CONF=<instance>/conf`` set and ``NEO4J_PASSWORD``/``NEO4J_AUTH`` removed.
    Installs the jars first if needed; raises :class:`ServerError` when Java is missing.
    """
    nhome = install(home, quiet=True)
    return _admin_command(java_executable(), nhome, instance_path(home, instance_dir), list(args), heap)


def last_start_options(home: Path | None = None, *, instance_dir: Path | None = None) -> dict[str, str | int]:
    """The :func:`start` keyword arguments of the instance's last start, to start it again alike:
    ``bolt_port``, ``http_port``, ``heap``, ``pagecache`` (defaults for what is not recorded).
    ``extra_conf`` is not recorded."""
    try:
        state = json.loads((instance_path(home, instance_dir) / "instance.json").read_text())
    except (OSError, ValueError):
        state = {}
    if not isinstance(state, dict):
        state = {}
    return {
        "bolt_port": int(state.get("bolt_port", DEFAULT_BOLT_PORT)),
        "http_port": int(state.get("http_port", DEFAULT_HTTP_PORT)),
        "heap": str(state.get("heap", "512m")),
        "pagecache": str(state.get("pagecache", "256m")),
    }


def _redact(text: str, password: str | None) -> str:
    return text.replace(password, _REDACTED) if password else text


def _log_tail(path: Path, password: str | None, offset: int = 0, lines: int = 12) -> str:
    """The first ERROR line, then the last ``lines`` lines written since ``offset``, on one line."""
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            content = fh.read().decode("utf-8", "replace")
    except OSError:
        return "(no log)"
    all_lines = [" ".join(line.split()) for line in content.splitlines() if line.strip()]
    tail = all_lines[-lines:]
    errors = [line for line in all_lines if " ERROR " in f" {line} " or "Exception:" in line]
    if errors and errors[0] not in tail:
        tail = [errors[0], "...", *tail]
    return _redact(" | ".join(tail), password) or "(empty log)"


def _bolt_ready(bolt_uri: str, password: str) -> bool:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, Neo4jError, DriverError

    driver = GraphDatabase.driver(
        bolt_uri, auth=(NEO4J_USERNAME, password), connection_timeout=2.0,
        max_connection_lifetime=30,
    )
    try:
        driver.verify_connectivity()
        return True
    except AuthError:
        raise ServerError(
            f"Neo4j at {bolt_uri} rejects the stored password for user '{NEO4J_USERNAME}' "
            "(was data/ created by another run? delete the instance dir to start afresh)"
        ) from None
    except (DriverError, Neo4jError, OSError):
        return False
    finally:
        driver.close()


# loopback requests must not go through an http_proxy from the environment
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _http_ready(http_url: str) -> bool:
    """True once the HTTP server serves its discovery document (200).

    A bare TCP connect is not enough: Jetty binds the port before its handlers
    are started.
    """
    try:
        with _NO_PROXY.open(http_url + "/", timeout=2.0) as resp:
            return resp.status == 200
    except (OSError, ValueError):
        return False


# Popen objects of servers started by this process, so that they are reaped.
_CHILDREN: dict[int, subprocess.Popen] = {}


def start(
    home: Path | None = None,
    *,
    instance_dir: Path | None = None,
    bolt_port: int = DEFAULT_BOLT_PORT,
    http_port: int = DEFAULT_HTTP_PORT,
    data_dir: Path | None = None,
    heap: str = "512m",
    pagecache: str = "256m",
    timeout: float = 120,
    extra_conf: Mapping[str, str] | None = None,
) -> ServerInfo:
    """Start the instance's server in the background and wait until Bolt answers.

    Installs the jars first if needed (:func:`install`, quiet).  If this
    instance's server already runs, returns its :class:`ServerInfo` unchanged
    (the port arguments are then ignored).  Otherwise it writes
    ``<instance>/conf/neo4j.conf`` (listens on 127.0.0.1 only, auth on,
    ``dbms.routing.enabled=false``, the given pagecache, then ``extra_conf``
    last), on the very first start generates a random password, stores it in
    ``<instance>/password`` (mode 0600) and sets it with ``neo4j-admin dbms
    set-initial-password``, launches ``java -Xms<heap> -Xmx<heap> ...
    org.neo4j.server.CommunityEntryPoint --home-dir <neo4j_home> --config-dir
    <instance>/conf --console-mode`` in a new session with its output in
    ``<instance>/logs/console.log``, writes ``neo4j.pid`` and
    ``instance.json``, and waits (``timeout`` seconds) until the driver's
    ``verify_connectivity`` succeeds with the password and the HTTP server
    answers ``GET /`` with 200.

    ``data_dir`` (default ``<instance>/data``) is symlinked as
    ``<instance>/data`` when given, so that ``status()`` reports it.

    Raises :class:`ServerError` when a port is taken, Java is missing, the
    server exits early or does not answer in time; the message carries the
    last log lines with the password redacted.
    """
    inst = instance_path(home, instance_dir)
    nhome = install(home, quiet=True)
    inst.mkdir(parents=True, exist_ok=True)
    with _file_lock(inst / ".lock"):
        running = status(home, instance_dir=inst)
        if running is not None:
            return running
        java = java_executable()
        _check_port_free(bolt_port, "Bolt")
        _check_port_free(http_port, "HTTP")
        if bolt_port == http_port:
            raise ServerError("the Bolt and HTTP ports must differ")

        if data_dir is not None:
            data_dir = Path(data_dir).expanduser().resolve()
            data_dir.mkdir(parents=True, exist_ok=True)
            link = inst / "data"
            if link.is_symlink() or not link.exists():
                if link.is_symlink():
                    link.unlink()
                link.symlink_to(data_dir, target_is_directory=True)
            elif link.resolve() != data_dir:
                raise ServerError(f"{link} already holds data; cannot use data_dir={data_dir}")
        for sub in ("conf", "data", "logs", "run", "import"):
            (inst / sub).mkdir(exist_ok=True)
        conf_path = inst / "conf" / "neo4j.conf"
        conf_path.write_text("\n".join(
            _conf_lines(inst, nhome, bolt_port, http_port, pagecache, extra_conf, heap)) + "\n")

        password_file = inst / "password"
        auth_ini = inst / "data" / "dbms" / "auth.ini"
        databases = inst / "data" / "databases" / "system"
        if password_file.exists():
            password = read_password(inst)
            os.chmod(password_file, 0o600)
            if not databases.exists() and not auth_ini.exists():
                _set_initial_password(java, nhome, inst, password)
        else:
            if databases.exists():
                raise ServerError(
                    f"{inst} has a database but no password file: delete {inst / 'data'} "
                    "to start afresh"
                )
            # a leading "-" would be read as an option by neo4j-admin (picocli): start with a letter
            password = "k" + secrets.token_urlsafe(24)
            fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(password + "\n")
            try:
                _set_initial_password(java, nhome, inst, password)
            except ServerError:
                password_file.unlink()
                raise

        log_file = inst / "logs" / "console.log"
        cmd = [
            java, f"-Xms{heap}", f"-Xmx{heap}", *_JVM_FLAGS,
            "-cp", f"{nhome / 'plugins'}/*:{nhome / 'lib'}/*",
            _ENTRY_POINT,
            "--home-dir", str(nhome),
            "--config-dir", str(inst / "conf"),
            "--console-mode",
        ]
        env = _java_env(nhome, inst)
        with open(log_file, "ab") as log:
            log_offset = log.tell()
            try:
                proc = subprocess.Popen(
                    cmd, cwd=inst, env=env, stdin=subprocess.DEVNULL, stdout=log,
                    stderr=subprocess.STDOUT, start_new_session=True, close_fds=True,
                )
            except OSError as exc:
                raise ServerError(f"could not launch {java}: {exc.strerror or exc}") from None
        _CHILDREN[proc.pid] = proc
        (inst / "instance.json").write_text(json.dumps({
            "bolt_port": bolt_port,
            "http_port": http_port,
            "version": NEO4J_VERSION,
            "heap": heap,
            "pagecache": pagecache,
            "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }, indent=2) + "\n")
        (inst / "neo4j.pid").write_text(f"{proc.pid}\n")
        info = _info(inst, proc.pid, bolt_port, http_port, NEO4J_VERSION)

        deadline = time.monotonic() + timeout
        bolt_up = False
        while True:
            code = proc.poll()
            if code is not None:
                _CHILDREN.pop(proc.pid, None)
                with contextlib.suppress(OSError):
                    (inst / "neo4j.pid").unlink()
                raise ServerError(
                    f"Neo4j exited with code {code} during startup; "
                    f"last log lines ({log_file}): {_log_tail(log_file, password, log_offset)}"
                )
            if not bolt_up:
                bolt_up = _bolt_ready(info.bolt_uri, password)
            if bolt_up and _http_ready(info.http_url):
                return info
            if time.monotonic() > deadline:
                _terminate(proc.pid, 10)
                with contextlib.suppress(OSError):
                    (inst / "neo4j.pid").unlink()
                raise ServerError(
                    f"Neo4j did not answer on {info.bolt_uri} within {timeout:.0f}s (stopped it); "
                    f"last log lines ({log_file}): {_log_tail(log_file, password, log_offset)}"
                )
            time.sleep(0.5)


# --------------------------------------------------------------------------
# stop


def _gone(p: psutil.Process) -> bool:
    """Exited: no such process, or a zombie (it has exited; only its parent, which may be
    another program that started the server, has not collected it yet)."""
    try:
        return not p.is_running() or p.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True
    except psutil.Error:
        return False


def _wait_gone(procs: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait up to ``timeout`` seconds until every process has exited (:func:`_gone`); return
    those that have not. ``psutil.wait_procs`` alone waits out a zombie whose parent is
    another process (kg build --bulk stopping a server the caller started: 60 s lost)."""
    deadline = time.monotonic() + timeout
    alive = [p for p in procs if not _gone(p)]
    while alive and time.monotonic() < deadline:
        _, alive = psutil.wait_procs(alive, timeout=min(0.2, max(0.0, deadline - time.monotonic())))
        alive = [p for p in alive if not _gone(p)]
    return alive


def _terminate(pid: int, timeout: float) -> None:
    """SIGTERM the server and its child processes, SIGKILL what is left after ``timeout`` seconds."""
    p = _process(pid)
    if p is not None:
        with contextlib.suppress(psutil.Error):
            procs = [p, *p.children(recursive=True)]
            for q in procs:
                with contextlib.suppress(psutil.NoSuchProcess):
                    q.terminate()
            alive = _wait_gone(procs, timeout)
            for q in alive:
                with contextlib.suppress(psutil.NoSuchProcess):
                    q.kill()
            _wait_gone(alive, 10)
    proc = _CHILDREN.pop(pid, None)
    if proc is not None:
        with contextlib.suppress(Exception):
            proc.wait(timeout=1)


def stop(home: Path | None = None, *, instance_dir: Path | None = None, timeout: float = 60) -> bool:
    """Stop the instance's server; return True if one was running, False if not.

    Sends SIGTERM (Neo4j checkpoints and shuts down cleanly, usually in about
    2 s) and waits up to ``timeout`` seconds, then SIGKILLs it.  Removes the
    pid file.  Raises :class:`ServerError` if the process survives SIGKILL.
    """
    inst = instance_path(home, instance_dir)
    info = status(home, instance_dir=inst)
    if info is None:
        return False
    _terminate(info.pid, timeout)
    if _pid_alive(info.pid):
        raise ServerError(f"Neo4j (pid {info.pid}) did not exit after SIGKILL")
    with contextlib.suppress(OSError):
        (inst / "neo4j.pid").unlink()
    return True
