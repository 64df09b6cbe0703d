"""`newsdesk serve`: the app in a browser, bound to loopback unless --host says otherwise."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsdesk.tui.cli import main

from .conftest import REPO, write_article


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def listening(port: int) -> set[str]:
    """Local addresses listening on port, read from /proc/net/tcp (IPv4)."""
    out = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        addr, p = local.split(":")
        if state == "0A" and int(p, 16) == port:
            out.add(".".join(str(int(addr[i : i + 2], 16)) for i in (6, 4, 2, 0)))
    return out


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("serve")
    write_article(root / "c", "a.txt", "The ferry to the island runs twice a day in summer.")
    assert main(["index", str(root / "c"), "--index", str(root / "ix"), "--no-extract", "-q"]) == 0
    return root / "ix"


def serve(index_dir: Path, *extra: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newsdesk.tui.cli",
            "serve",
            "--index",
            str(index_dir),
            "--port",
            str(port),
            *extra,
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not listening(port) and proc.poll() is None:
        time.sleep(0.1)
    return proc, port


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc")
def test_serve_binds_to_loopback_only(index_dir: Path) -> None:
    proc, port = serve(index_dir)
    try:
        assert listening(port) == {"127.0.0.1"}
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc")
def test_serve_on_another_host_warns(index_dir: Path) -> None:
    proc, port = serve(index_dir, "--host", "0.0.0.0")
    try:
        assert listening(port) == {"0.0.0.0"}
    finally:
        proc.kill()
        _, err = proc.communicate()
    assert b"warning: serving on 0.0.0.0" in err
