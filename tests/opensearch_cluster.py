"""A real two-node OpenSearch 2.19.6 cluster on 127.0.0.1 for the tests, started by the test run.

The Java side is tests/opensearch/ (a pom and one launcher class: a node per process), built
once with Maven (the first build fills ~/.m2 from Maven Central; later builds run offline).
Node ``n1`` is the cluster manager and a data node, ``n2`` a data node: indices get one replica
each, so either node holds everything, and ``n2`` can be killed (and started again) without the
cluster losing its manager. Ports are free ones picked at start; data lives in a temp folder.

``cluster()`` starts it once per test session (and stops it at exit); the ``opensearch_url``
fixture hands out its URL. Where ``java`` or ``mvn`` is missing the tests that need it skip with
the reason, except under CI (``CI=true``), where a missing tool fails them loudly.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

JAVA_DIR = Path(__file__).parent / "opensearch"
CLUSTER_NAME = "newsdesk-test"
START_TIMEOUT_S = float(os.environ.get("NEWSDESK_OPENSEARCH_START_S", "240"))
HEAP = os.environ.get("NEWSDESK_OPENSEARCH_HEAP", "512m")


def _ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(reason: str) -> None:
    """Skip (a laptop without the tools), or fail loudly under CI."""
    if _ci():
        pytest.fail(f"the OpenSearch test cluster cannot run under CI: {reason}", pytrace=False)
    pytest.skip(f"no OpenSearch test cluster: {reason}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, timeout: float = 10.0) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - a local URL
        data: dict[str, object] = json.loads(r.read())
        return data


def build() -> Path:
    """Build the launcher and gather its classpath (offline once ~/.m2 holds the artifacts)."""
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            unavailable(f"`{tool}` is not installed (the cluster needs Java 17 and Maven)")
    target = JAVA_DIR / "target"
    jar = target / "testcluster-1.jar"
    sources = [JAVA_DIR / "pom.xml", *(JAVA_DIR / "src").rglob("*.java")]
    if jar.exists() and (target / "lib").is_dir():
        if jar.stat().st_mtime >= max(p.stat().st_mtime for p in sources):
            return target
    shutil.rmtree(target / "lib", ignore_errors=True)  # no stale jars on the classpath
    base = ["mvn", "-q", "-B", "-f", str(JAVA_DIR / "pom.xml"), "package", "-DskipTests"]
    offline = subprocess.run([*base, "-o"], capture_output=True, text=True)
    if offline.returncode != 0:
        online = subprocess.run(base, capture_output=True, text=True)
        if online.returncode != 0:
            unavailable(f"the Maven build failed: {(online.stdout + online.stderr)[-2000:]}")
    return target


class Node:
    def __init__(self, name: str, home: Path, http: int, transport: int, roles: str) -> None:
        self.name, self.home, self.http, self.transport, self.roles = (
            name,
            home,
            http,
            transport,
            roles,
        )
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http}"


class Cluster:
    """Two OpenSearch nodes in two JVMs."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.root = Path(tempfile.mkdtemp(prefix="newsdesk-opensearch-"))
        n1 = Node("n1", self.root / "n1", _free_port(), _free_port(), "cluster_manager,data,ingest")
        n2 = Node("n2", self.root / "n2", _free_port(), _free_port(), "data,ingest")
        self.nodes = {"n1": n1, "n2": n2}
        self.seeds = ",".join(f"127.0.0.1:{n.transport}" for n in self.nodes.values())

    @property
    def url(self) -> str:
        return self.nodes["n1"].url

    def start_node(self, name: str) -> None:
        node = self.nodes[name]
        node.home.mkdir(parents=True, exist_ok=True)
        cp = f"{self.target / 'classes'}{os.pathsep}{self.target / 'lib' / '*'}"
        args = [
            "java",
            f"-Xms{HEAP}",
            f"-Xmx{HEAP}",
            "-XX:+UseSerialGC",
            "-Xss1m",
            "-Djava.awt.headless=true",
            "-Dfile.encoding=UTF-8",
            "-cp",
            cp,
            "newsdesk.testcluster.Launcher",
            f"cluster={CLUSTER_NAME}",
            f"node={name}",
            f"http={node.http}",
            f"transport={node.transport}",
            f"home={node.home}",
            f"seeds={self.seeds}",
            "managers=n1",
            f"roles={node.roles}",
        ]
        log = open(self.root / f"{name}.log", "ab")  # noqa: SIM115 - the node's lifetime
        node.proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()

    def log_tail(self, name: str, n: int = 3000) -> str:
        try:
            return (self.root / f"{name}.log").read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def wait_health(
        self, nodes: int, status: str = "yellow", timeout: float = START_TIMEOUT_S
    ) -> None:
        """Until the cluster has this many nodes and at least this status."""
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            for name, node in self.nodes.items():
                if node.proc is not None and node.proc.poll() is not None and name == "n1":
                    raise RuntimeError(f"node n1 exited: {self.log_tail('n1')}")
            try:
                h = _get(
                    f"{self.url}/_cluster/health?wait_for_nodes={nodes}"
                    f"&wait_for_status={status}&timeout=5s",
                    timeout=15,
                )
                if not h.get("timed_out") and h.get("number_of_nodes") == nodes:
                    return
                last = json.dumps(h)
            except OSError as exc:
                last = str(exc)
            time.sleep(0.5)
        raise RuntimeError(
            f"the cluster did not reach {status} with {nodes} nodes: {last}\n{self.log_tail('n1')}"
        )

    def start(self) -> None:
        self.start_node("n1")
        self.start_node("n2")
        self.wait_health(2, "green")

    def kill(self, name: str) -> None:
        """SIGKILL one node (as a machine lost), and wait for it to be gone."""
        node = self.nodes[name]
        assert node.proc is not None
        node.proc.send_signal(signal.SIGKILL)
        node.proc.wait(timeout=60)
        node.proc = None

    def restart(self, name: str) -> None:
        """Start a killed node again; it rejoins (its replicas recover in the background)."""
        self.start_node(name)
        self.wait_health(len(self.nodes), "yellow")

    def stop(self) -> None:
        for node in self.nodes.values():
            if node.proc is not None and node.proc.poll() is None:
                node.proc.terminate()
        for node in self.nodes.values():
            if node.proc is not None:
                try:
                    node.proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    node.proc.kill()
                    node.proc.wait(timeout=30)
                node.proc = None
        shutil.rmtree(self.root, ignore_errors=True)


class External:
    """A cluster someone else runs (``NEWSDESK_TEST_OPENSEARCH_URL``): used as is; the tests
    that stop nodes skip."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")


_CLUSTER: Cluster | External | None = None
_FAILED: str | None = None


def cluster() -> Cluster | External:
    """The session's cluster, started on first use and stopped when the run exits."""
    global _CLUSTER, _FAILED
    if _FAILED is not None:
        unavailable(_FAILED)
    if _CLUSTER is None and os.environ.get("NEWSDESK_TEST_OPENSEARCH_URL"):
        _CLUSTER = External(os.environ["NEWSDESK_TEST_OPENSEARCH_URL"])
    if _CLUSTER is None:
        target = build()
        c = Cluster(target)
        atexit.register(c.stop)
        try:
            c.start()
        except Exception as exc:
            c.stop()
            _FAILED = f"the two nodes did not start: {exc}"
            unavailable(_FAILED)
        _CLUSTER = c
    return _CLUSTER


def location(url: str) -> str:
    """A fresh location on the cluster (its own index prefix)."""
    return f"{url}?prefix=t{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def opensearch_cluster() -> Iterator[Cluster | External]:
    c = cluster()
    yield c


@pytest.fixture(scope="session")
def opensearch_url(opensearch_cluster: Cluster | External) -> str:
    return opensearch_cluster.url
