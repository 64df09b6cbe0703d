"""`newsdesk serve`: the app in a browser, through textual-serve, locked to the person who started it.

textual-serve starts one app process per WebSocket and takes connections from any web page. A
page open in the same browser could otherwise drive the app (read the index, write files), so
:class:`GuardedServer` adds, as an aiohttp middleware on textual-serve's own application:

- **Host**: only the served address (for a loopback server: ``127.0.0.1``, ``localhost`` or
  ``[::1]`` at the served port; for a wildcard bind, an IP literal, ``localhost`` or this
  machine's name). A DNS-rebinding page names its own host and is refused.
- **Origin**: when a request carries one (a browser always does on a WebSocket), it must be the
  page's own origin, ``http://`` + its Host. A WebSocket from another site is refused.
- **A per-run secret token**, as Jupyter does: printed at start as
  ``http://127.0.0.1:PORT/?token=…``. The page is served only with it (in the URL, or the cookie
  the page sets: ``HttpOnly``, ``SameSite=Strict``); its WebSocket URL carries it in the path
  (``/ws/<token>``: textual-serve's script adds its own query string). Only ``/static`` (the
  page's scripts and fonts) is served without it. Tokens are compared in constant time.
- **At most ``max_sessions`` sessions** (4) at once: each one is an app process.

The app command is built with :func:`shlex.join` (textual-serve runs it through ``/bin/sh``), so a
path with shell metacharacters stays one argument. Each app runs with ``NEWSDESK_SERVE=1``:
exports go only into ``./newsdesk-exports`` under the folder `serve` started in, and "Open another
index…" is off (see :mod:`newsdesk.tui.served`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import logging
import os
import secrets
import shlex
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from newsdesk.tui.safe import one_line
from newsdesk.tui.served import EXPORT_DIR_ENV, EXPORT_FOLDER, SERVE_ENV, SERVER_PID_ENV

MAX_SESSIONS = 4
COOKIE = "newsdesk-token-{port}"  # cookies ignore the port: one name per served port

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def app_command(index: Path | str, export_dir: Path) -> str:
    """The shell command that runs the app on an index (a folder, or a cluster's URL) under
    serve: every value quoted."""
    argv = [sys.executable, "-m", "newsdesk.tui.cli", "open", f"--index={index}"]
    env = (
        f"{SERVE_ENV}=1 {EXPORT_DIR_ENV}={shlex.quote(str(export_dir))} "
        f"{SERVER_PID_ENV}={os.getpid()}"
    )
    return f"{env} exec {shlex.join(argv)}"


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def _is_wildcard(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def _split_host(value: str) -> tuple[str, int | None]:
    """A Host header as (name, port); the port None when absent, -1 when not a number."""
    if value.startswith("["):  # [::1]:8000
        name, _, rest = value[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif value.count(":") == 1:
        name, _, port = value.partition(":")
    else:
        name, port = value, ""
    if not port:
        return name.lower(), None
    return name.lower(), int(port) if port.isdigit() else -1


class GuardedServer(Server):
    """textual-serve's Server with a host and origin check, a secret token and a session cap."""

    def __init__(
        self,
        command: str,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        token: str | None = None,
        max_sessions: int = MAX_SESSIONS,
        title: str = "newsdesk",
        out: TextIO | None = None,
    ) -> None:
        super().__init__(command, host=host, port=port, title=title)
        self.token = token or secrets.token_urlsafe(32)
        self.max_sessions = max_sessions
        self.sessions = 0
        self.out = out or sys.stdout
        self.cookie = COOKIE.format(port=port)
        self._names = self._host_names(host)

    # -- who may connect -------------------------------------------------------------------------

    @staticmethod
    def _host_names(host: str) -> frozenset[str] | None:
        """The host names a request may use; None: any IP literal (a wildcard bind)."""
        name = host.strip("[]").lower()
        if _is_wildcard(name):
            return None
        names = {name}
        if _is_loopback(name):
            names |= {"127.0.0.1", "localhost", "::1"}
        return frozenset(names)

    def host_ok(self, value: str) -> bool:
        name, port = _split_host(value)
        if port is None:
            port = 80
        if port != self.port or not name:
            return False
        if self._names is not None:
            return name in self._names
        if name == "localhost" or name in {socket.gethostname().lower(), socket.getfqdn().lower()}:
            return True
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True

    def token_ok(self, request: web.Request) -> bool:
        given = (
            request.match_info.get("token")
            or request.query.get("token")
            or request.cookies.get(self.cookie)
            or ""
        )
        return hmac.compare_digest(given.encode(), self.token.encode())

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        host = request.headers.get("Host", "")
        if not self.host_ok(host):
            return web.Response(status=403, text="newsdesk: this server does not answer that host")
        origin = request.headers.get("Origin")
        if origin is not None and origin.lower() != f"http://{host}".lower():
            return web.Response(status=403, text="newsdesk: cross-origin request refused")
        if not request.path.startswith("/static/") and not self.token_ok(request):
            return web.Response(
                status=403, text="newsdesk: open the URL with the token printed at start"
            )
        return await handler(request)

    # -- textual-serve's application, guarded ----------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.guard)
        app.router.add_get("/ws/{token}", self.handle_websocket, name="websocket-token")
        return app

    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        """The page, its WebSocket URL holding the token, and the token's cookie."""
        base = f"http://{request.host}"  # checked by the guard
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"ws://{request.host}/ws/{self.token}",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.set_cookie(self.cookie, self.token, httponly=True, samesite="Strict", path="/")
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if self.sessions >= self.max_sessions:
            raise web.HTTPServiceUnavailable(
                text=f"newsdesk: {self.max_sessions} sessions are open already; close one"
            )
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1

    def url(self) -> str:
        host = "127.0.0.1" if _is_wildcard(self.host) else self.host
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        return f"http://{host}:{self.port}/?token={self.token}"

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints its banner here, before the socket listens: nothing here."""

    def _listening(self, *args: object) -> None:
        """Called by aiohttp once the socket listens: the URL to open."""
        self.out.write(f"newsdesk: serving at {self.url()}\n")
        self.out.write("newsdesk: open that URL in a browser; Ctrl+C stops\n")
        self.out.flush()

    def serve(self, debug: bool = False) -> None:
        """textual-serve's serve(), announcing the URL once the socket listens."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=self._listening,
        )

    def initialize_logging(self) -> None:
        super().initialize_logging()
        # request lines and headers come from anyone who can reach the port: not printed
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)


def serve(
    index: Path | str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    max_sessions: int = MAX_SESSIONS,
) -> int:
    """Serve the app on an index folder (or a cluster's URL) until Ctrl+C."""
    location: Path | str = index
    if "://" in str(index):
        name = str(index)
    else:
        location = Path(index).expanduser().resolve()
        name = location.name
    export_dir = Path.cwd() / EXPORT_FOLDER
    server = GuardedServer(
        app_command(location, export_dir),
        host=host,
        port=port,
        max_sessions=max_sessions,
        title=f"newsdesk · {one_line(name, 40)}",
    )
    server.serve()
    return 0
