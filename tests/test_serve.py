"""`newsdesk serve`: the app in a browser, bound to loopback unless --host says otherwise, and only
for the person holding the URL's token: foreign hosts and origins, missing tokens and sessions past
the cap are refused; the index path never reaches a shell unquoted."""

from __future__ import annotations

import asyncio
import gc
import os
import re
import select
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from newsdesk.tui.cli import main
from newsdesk.tui.serve import GuardedServer, app_command

from .conftest import REPO, write_article

TIMEOUT = 60.0  # generous: the machine may be loaded


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


class Served:
    """A `newsdesk serve` process, its port and the URL it printed."""

    def __init__(self, proc: subprocess.Popen[bytes], port: int, url: str) -> None:
        self.proc, self.port, self.url = proc, port, url

    @property
    def token(self) -> str:
        m = re.search(r"token=([\w-]+)", self.url)
        assert m, self.url
        return m.group(1)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def start(index_dir: Path, *extra: str, cwd: Path = REPO) -> tuple[subprocess.Popen[bytes], int]:
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
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    return proc, port


def wait_for_url(proc: subprocess.Popen[bytes]) -> str:
    """The URL the server prints once it listens (read from its stdout, without blocking)."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    seen = b""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            seen += chunk
            m = re.search(rb"serving at (http://\S+)", seen)
            if m:
                return m.group(1).decode()
        elif proc.poll() is not None:
            break
    raise AssertionError(f"no URL printed: {seen!r}")


@pytest.fixture
def served(index_dir: Path, tmp_path: Path) -> Iterator[Served]:
    proc, port = start(index_dir, cwd=tmp_path)
    try:
        yield Served(proc, port, wait_for_url(proc))
    finally:
        proc.kill()
        proc.wait()


needs_proc = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc")


@needs_proc
def test_serve_binds_to_loopback_only(served: Served) -> None:
    assert listening(served.port) == {"127.0.0.1"}
    assert served.url.startswith(f"http://127.0.0.1:{served.port}/?token=")
    assert len(served.token) >= 32


@needs_proc
def test_serve_on_another_host_warns(index_dir: Path, tmp_path: Path) -> None:
    proc, port = start(index_dir, "--host", "0.0.0.0", cwd=tmp_path)
    try:
        wait_for_url(proc)
        assert listening(port) == {"0.0.0.0"}
    finally:
        proc.kill()
        _, err = proc.communicate()
    assert b"warning: serving on 0.0.0.0" in err


# -- who may connect --------------------------------------------------------------------------------


async def test_the_page_needs_the_token_and_the_served_host(served: Served) -> None:
    base = served.origin
    # unsafe: accept cookies from an IP address, as browsers do
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.get(f"{base}/") as r:
            assert r.status == 403
        async with http.get(f"{base}/?token=wrong-{served.token}") as r:
            assert r.status == 403
        async with http.get(f"{base}/?token={served.token}", headers={"Host": "evil.example"}) as r:
            assert r.status == 403  # DNS rebinding: a page on another name
        async with http.get(served.url) as r:
            assert r.status == 200
            page = await r.text()
            assert f"ws://127.0.0.1:{served.port}/ws/{served.token}" in page
            assert r.headers["Referrer-Policy"] == "no-referrer"
        # the page's own cookie lets it (and its downloads) back in without the URL's token
        async with http.get(f"{base}/") as r:
            assert r.status == 200
        async with http.get(f"{base}/static/css/xterm.css") as r:
            assert r.status in (200, 404)  # scripts and styles need no token


async def test_a_websocket_from_another_origin_is_refused(served: Served) -> None:
    ws_url = f"ws://127.0.0.1:{served.port}/ws/{served.token}?width=80&height=24"
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(ws_url, origin="http://evil.example")
        assert refused.value.status == 403
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(ws_url, origin="null")
        assert refused.value.status == 403


async def test_a_websocket_without_the_token_is_refused(served: Served) -> None:
    async with aiohttp.ClientSession() as http:
        for path in ("/ws", "/ws/nope", f"/ws/{served.token[:-1]}"):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(
                    f"ws://127.0.0.1:{served.port}{path}?width=80&height=24",
                    origin=served.origin,
                )
            assert refused.value.status == 403, path


async def test_the_right_token_and_origin_get_the_app(served: Served) -> None:
    url = f"ws://127.0.0.1:{served.port}/ws/{served.token}?width=80&height=24"
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(url, origin=served.origin)
        try:
            got = await _screen_bytes(ws, b"ferry")
            assert b"ferry" in got  # the app runs on the served index
        finally:
            await ws.close()


def _children(pid: int) -> set[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return {int(c) for t in tasks for c in (t / "children").read_text().split()}
    except OSError:
        return set()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
async def test_a_killed_server_leaves_no_app_running(served: Served) -> None:
    url = f"ws://127.0.0.1:{served.port}/ws/{served.token}?width=80&height=24"
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(url, origin=served.origin)
        try:
            assert b"ferry" in await _screen_bytes(ws, b"ferry")
            apps = _children(served.proc.pid)
            assert apps, "the session's app runs as the server's child"
            served.proc.kill()  # the server dies with a session open
            served.proc.wait(timeout=60)
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in apps):
                await asyncio.sleep(0.2)
            left = [p for p in apps if Path(f"/proc/{p}").exists()]
            for p in left:  # never leave one behind, even when the check fails
                os.kill(p, 9)
            assert not left, "the app outlived its server"
        finally:
            await ws.close()


async def _screen_bytes(ws: aiohttp.ClientWebSocketResponse, until: bytes) -> bytes:
    """What the app painted, until `until` shows (or the generous timeout)."""
    got = b""
    deadline = time.monotonic() + TIMEOUT
    while until not in got and time.monotonic() < deadline:
        try:
            msg = await ws.receive(timeout=max(0.1, deadline - time.monotonic()))
        except TimeoutError:
            break
        if msg.type == aiohttp.WSMsgType.BINARY:
            got += msg.data
        elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            break
    return got


# -- the app command and the shell ------------------------------------------------------------------


def test_the_app_command_quotes_every_value(tmp_path: Path) -> None:
    nasty = tmp_path / "ix $(touch PWNED) `touch PWNED2`; touch PWNED3 'x' \"y\""
    cmd = app_command(nasty, tmp_path / "exports; rm -rf ~")
    argv = shlex.split(cmd)
    assert argv[0] == "NEWSDESK_SERVE=1"
    assert argv[1] == f"NEWSDESK_EXPORT_DIR={tmp_path / 'exports; rm -rf ~'}"
    assert argv[-1] == f"--index={nasty}"
    # and the shell runs it as one argument: nothing is executed
    probe = cmd.replace(
        f"exec {shlex.quote(sys.executable)} -m newsdesk.tui.cli open",
        f"exec {shlex.quote(sys.executable)} -c 'import sys; print(sys.argv[1])'",
    )
    out = subprocess.run(["/bin/sh", "-c", probe], cwd=tmp_path, capture_output=True, text=True)
    assert out.stdout.strip() == f"--index={nasty}"
    assert not list(tmp_path.glob("PWNED*"))


async def test_a_path_with_shell_metacharacters_is_not_run(index_dir: Path, tmp_path: Path) -> None:
    import shutil

    nasty = tmp_path / "ix$(touch PWNED)"
    shutil.copytree(index_dir, nasty)
    proc, port = start(nasty, cwd=tmp_path)
    try:
        s = Served(proc, port, wait_for_url(proc))
        async with aiohttp.ClientSession() as http:
            ws = await http.ws_connect(
                f"ws://127.0.0.1:{port}/ws/{s.token}?width=80&height=24", origin=s.origin
            )
            try:
                got = await _screen_bytes(ws, b"ferry")
            finally:
                await ws.close()
        assert b"ferry" in got  # the app opened the index at that very path
        assert not (tmp_path / "PWNED").exists()
    finally:
        proc.kill()
        proc.wait()


# -- sessions -------------------------------------------------------------------------------------

# A stand-in for the app: says hello as a Textual app does, then waits for textual-serve's "quit".
FAKE_APP = r"""
import json, sys
sys.stdout.write("__GANGLION__\n"); sys.stdout.flush()
inp = sys.stdin.buffer
while True:
    head = inp.read(5)
    if len(head) < 5:
        break
    body = inp.read(int.from_bytes(head[1:], "big"))
    if head[:1] == b"M" and json.loads(body).get("type") == "quit":
        break
"""


# textual-serve does not wait for an app process to be reaped after it stops; its transport can be
# collected after the test's loop closed, which asyncio reports as an unraisable warning.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_sessions_are_capped(tmp_path: Path) -> None:
    from aiohttp.test_utils import TestServer

    script = tmp_path / "fake_app.py"
    script.write_text(FAKE_APP, encoding="utf-8")
    port = free_port()
    server = GuardedServer(
        shlex.join([sys.executable, str(script)]), port=port, token="t" * 40, max_sessions=2
    )
    app = await server._make_app()
    ts = TestServer(app, host="127.0.0.1", port=port)
    await ts.start_server()
    url = f"ws://127.0.0.1:{port}/ws/{'t' * 40}?width=80&height=24"
    origin = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            first = await http.ws_connect(url, origin=origin)
            second = await http.ws_connect(url, origin=origin)
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(url, origin=origin)
            assert refused.value.status == 503
            await first.close()
            deadline = time.monotonic() + TIMEOUT  # the slot frees once its app has stopped
            while server.sessions >= 2 and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            third = await http.ws_connect(url, origin=origin)
            await second.close()
            await third.close()
            deadline = time.monotonic() + TIMEOUT  # every app stopped before the loop ends
            while server.sessions and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            assert server.sessions == 0
    finally:
        await ts.close()
        # textual-serve keeps no handle on its app processes' transports: collect them while the
        # loop still runs, or their __del__ runs after it closed, inside whatever code the
        # collector interrupts then (a crash of CPython 3.11's AST builder was seen at exit)
        for _ in range(3):
            gc.collect()
            await asyncio.sleep(0.05)


def test_host_check() -> None:
    loop = GuardedServer("true", host="127.0.0.1", port=8123)
    assert loop.host_ok("127.0.0.1:8123")
    assert loop.host_ok("localhost:8123")
    assert loop.host_ok("[::1]:8123")
    assert not loop.host_ok("127.0.0.1:8124")
    assert not loop.host_ok("evil.example:8123")
    assert not loop.host_ok("127.0.0.1")
    assert not loop.host_ok("")
    wild = GuardedServer("true", host="0.0.0.0", port=8123)
    assert wild.host_ok("192.0.2.7:8123")
    assert not wild.host_ok("rebind.evil.example:8123")
