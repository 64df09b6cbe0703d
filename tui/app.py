"""The newsdesk app: a Textual front end over the engine in ``index.search``.

The first frame comes before the index is opened: the engine is opened in a worker, and every call
into it runs on one engine thread (``call_engine``), so the screen never waits on the disk. The app
never imports spaCy or the extraction modules; when the index is missing and ``ensure_seeds`` is
set, it is built from the bundled seeds by the command line in a child process.
"""

from __future__ import annotations

import contextlib
import gc
import os
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual import work
from textual.app import App
from textual.color import Color, ColorParseError

from newsdesk.tui.commands import NewsdeskCommands
from newsdesk.tui.history import History, history_path
from newsdesk.tui.keymap import APP_KEYS, bindings, load_config
from newsdesk.tui.paths import seeds_dir
from newsdesk.tui.safe import one_line
from newsdesk.tui.saved import SavedSearches, saved_path
from newsdesk.tui.screens.main import MainScreen

if TYPE_CHECKING:
    from newsdesk.index.seam import Reader, SearchRequest, SearchResult, Stats
    from newsdesk.index.search.proc import SearchProcess
    from newsdesk.tui.screens.host import Host

T = TypeVar("T")

WATCH_SECONDS = 5.0
# Full garbage collections run from this timer when the app is idle, never in the middle of a
# keystroke; automatic ones are off once the first results are on screen (see tune_gc).
GC_SECONDS = 2.0
GC_FULL_AFTER = 10  # gen-1 collections between two full ones: Python's own default rate


class NoIndex(Exception):
    """No index is open."""


PANE_BORDER_CONTRAST = 0.12  # the least difference in brightness that shows as a line


def pane_border(variables: dict[str, str]) -> str:
    """The colour of a pane's border when it has no focus: the theme's ``border-blurred``, unless
    that cannot be told from the pane's background (Textual's own dark theme makes it the
    surface darkened by 2.5 %: the borders were drawn but unseen, in a terminal as in the
    browser), then a blend of the surface towards the text."""
    blurred = variables.get("border-blurred", "")
    try:
        edge, surface = Color.parse(blurred), Color.parse(variables["surface"])
        text = Color.parse(variables.get("foreground", "white"))
    except (KeyError, ColorParseError):
        return blurred or "gray"
    if edge.ansi is not None or surface.ansi is not None or text.ansi is not None:
        return blurred  # the terminal's own colours: left to the terminal
    if abs(edge.brightness - surface.brightness) >= PANE_BORDER_CONTRAST:
        return blurred
    return surface.blend(text, 0.3).hex


class NewsdeskApp(App[int]):
    CSS_PATH = "app.tcss"

    def get_css_variables(self) -> dict[str, str]:
        variables = super().get_css_variables()
        variables["pane-border"] = pane_border(variables)
        return variables

    TITLE = "newsdesk"
    COMMANDS = App.COMMANDS | {NewsdeskCommands}
    BINDINGS = bindings(APP_KEYS, priority=True)

    def __init__(
        self,
        index_dir: Path | str,
        *,
        ensure_seeds: bool = False,
        config_path: Path | None = None,
        history_file: Path | None = None,
        watch_seconds: float | None = WATCH_SECONDS,
        search_process: bool = False,
    ) -> None:
        super().__init__()
        self.index_dir = _location(index_dir)
        self.ensure_seeds = ensure_seeds
        self.config = load_config(config_path)
        self.history = History(history_file if history_file is not None else history_path())
        # saved searches: next to the history file
        self.saved = SavedSearches(
            history_file.with_name("saved.jsonl") if history_file is not None else saved_path()
        )
        self.watch_seconds = watch_seconds
        self.engine: Reader | None = None
        # searches in a child process (newsdesk.index.search.proc) once it is up; run() turns it on
        self.search_process = search_process
        self._search_proc: SearchProcess | None = None
        self._gc_saved: tuple[int, int, int] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdesk-engine")

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.history)

    @property
    def main(self) -> MainScreen:
        screen = self.screen_stack[0] if self.screen_stack else None
        assert isinstance(screen, MainScreen)
        return screen

    def on_mount(self) -> None:
        if self.config.theme:
            if self.config.theme in self.available_themes:
                self.theme = self.config.theme
            else:
                self.notify(
                    f"unknown theme {self.config.theme!r} in the config file",
                    severity="warning",
                    markup=False,
                )
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        for problem in self.config.problems:
            self.notify(problem, severity="warning", markup=False, timeout=8)
        if self.watch_seconds:
            self.set_interval(self.watch_seconds, self._watch)
        self.set_interval(GC_SECONDS, self._collect_when_idle)
        if os.environ.get("NEWSDESK_BENCH_READY"):
            self.call_after_refresh(self._mark_ready)

    def _mark_ready(self) -> None:
        """For `newsdesk bench`: the first screen is painted and the box takes keys."""
        with contextlib.suppress(OSError):
            Path(os.environ["NEWSDESK_BENCH_READY"]).write_text(f"{time.time()}\n")

    def on_unmount(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._stop_search_process()
        if self._gc_saved is not None:
            gc.unfreeze()
            gc.set_threshold(*self._gc_saved)
            self._gc_saved = None

    # -- garbage collection ------------------------------------------------------------------------

    def tune_gc(self) -> None:
        """Once the first results are on screen: freeze what exists (the widgets, the index's
        caches) out of the collector's way, and move full collections to idle moments.

        A full collection walks every tracked object and took 60-100 ms here, landing in the
        middle of one keystroke in twenty; young collections stay automatic."""
        if self._gc_saved is not None:
            return
        self._gc_saved = gc.get_threshold()
        gc.collect()
        gc.freeze()
        gc.set_threshold(self._gc_saved[0], self._gc_saved[1], 1 << 30)

    def _collect_when_idle(self) -> None:
        if self._gc_saved is None or gc.get_count()[2] < GC_FULL_AFTER:
            return
        if any(not w.is_finished for w in self.workers):  # the screen's workers are here too
            return
        gc.collect()

    # -- the engine --------------------------------------------------------------------------------

    def call_engine(self, fn: Callable[[Reader], T]) -> T:
        """Run fn(engine) on the engine thread and wait for it (call from a worker thread)."""
        engine = self.engine
        if engine is None:
            raise NoIndex("no index is open")
        return self._executor.submit(fn, engine).result()

    def search(self, request: SearchRequest) -> SearchResult:
        """Reader.search (call from a worker thread): in the search process when it is up, so
        that it runs beside the painting instead of taking turns with it; else on the engine
        thread."""
        engine = self.engine
        if engine is None:
            raise NoIndex("no index is open")
        proc = self._search_proc
        if proc is not None and proc.ready():
            from newsdesk.index.search.proc import SearchProcessDown

            try:
                return proc.search(engine.generation, request)
            except SearchProcessDown:
                pass  # the in-process engine answers
        return self._executor.submit(engine.search, request).result()

    def _start_search_process(self, index_dir: Path) -> None:
        self._stop_search_process()
        if not self.search_process:
            return
        from newsdesk.index.search.proc import SearchProcess

        try:
            self._search_proc = SearchProcess(index_dir)
        except OSError:
            self._search_proc = None  # searching stays in-process

    def _stop_search_process(self) -> None:
        proc, self._search_proc = self._search_proc, None
        if proc is not None:
            proc.close()

    def open_index(self, index_dir: Path) -> None:
        """Open (or switch to) an index; the main screen calls this once it is on screen."""
        if self.engine is None:
            self.main.topbar.counts = "opening the index…"
        self._open(_location(index_dir))

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _open(self, index_dir: Path) -> None:
        from newsdesk.index.engines import open_reader
        from newsdesk.index.errors import IndexMissing, NewsdeskError

        def open_engine() -> tuple[Reader, Stats]:
            engine = open_reader(index_dir)
            return engine, engine.stats()

        try:
            try:
                engine, stats = self._executor.submit(open_engine).result()
            except IndexMissing:
                if not (self.ensure_seeds and seeds_dir() is not None):
                    raise
                self.call_from_thread(self._building)
                problem = build_seeds(index_dir)
                if problem:
                    raise NewsdeskError(problem) from None
                engine, stats = self._executor.submit(open_engine).result()
        except NewsdeskError as exc:
            self.call_from_thread(self._failed, str(exc))
            return
        except Exception as exc:  # an unreadable folder, a damaged index
            self.call_from_thread(self._failed, f"cannot open {index_dir}: {exc}")
            return
        self.call_from_thread(self._opened, index_dir, engine, stats)

    def _building(self) -> None:
        self.main.topbar.counts = "building the index from the bundled seed articles…"
        self.main.passage.show_message("Building the index from the bundled seed articles…")

    def _opened(self, index_dir: Path, engine: Reader, stats: Stats) -> None:
        self.index_dir = index_dir
        old, self.engine = self.engine, engine
        if old is not None:
            self._executor.submit(old.close)
        self._start_search_process(index_dir)
        self.main.engine_ready(stats)

    def _failed(self, message: str) -> None:
        if self.engine is not None:  # switching failed: stay on the open index
            self.notify(
                one_line(message), title="Cannot open the index", severity="error", markup=False
            )
            return
        self.main.engine_failed(message)

    def refresh_index(self, manual: bool = False) -> None:
        if self.engine is None:
            self.open_index(self.index_dir)
            return
        self._refresh(manual)

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def _refresh(self, manual: bool) -> None:
        def check(e: Reader) -> tuple[bool, Stats]:
            return e.refresh(), e.stats()

        try:
            changed, stats = self.call_engine(check)
        except Exception as exc:
            if manual:
                self.call_from_thread(
                    self.notify, f"refresh failed: {exc}", severity="error", markup=False
                )
            return
        if changed or manual:
            self.call_from_thread(self.main.engine_changed, stats, manual)
        if manual:
            self.call_from_thread(
                self.notify, "Index reloaded" if changed else "The index is up to date"
            )

    def _watch(self) -> None:
        """Every few seconds when idle: pick up articles another process has indexed."""
        if self.engine is None:
            return
        busy = any(
            w.group in ("search", "passage", "refresh", "open") and not w.is_finished
            for w in self.workers
        )
        if not busy:
            self._refresh(False)


if TYPE_CHECKING:

    def _is_host(app: NewsdeskApp) -> Host:
        """For mypy: the app is what the main screen needs of it (screens.host.Host)."""
        return app


def _location(index_dir: Path | str) -> Path:
    """An index folder as a Path; a cluster URL kept as it is (a Path would fold its '//')."""
    from newsdesk.index.engines import is_cluster

    return index_dir if is_cluster(index_dir) else Path(index_dir)  # type: ignore[return-value]


def build_seeds(index_dir: Path) -> str | None:
    """Index the bundled seeds with the command line in a child process; a problem or None.

    A child process keeps spaCy (and the extraction modules) out of the app's process.
    """
    seeds = seeds_dir()
    if seeds is None:
        return "no bundled seeds to build the index from"
    code = "import sys; from newsdesk.tui.cli import main; sys.exit(main())"
    cmd = [sys.executable, "-c", code, "index", str(seeds), "--index", str(index_dir)]
    try:
        proc = subprocess.run(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ},
            timeout=900,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"cannot build the index from the seeds: {exc}"
    if proc.returncode != 0:
        last = (proc.stderr or "").strip().splitlines()[-1:] or ["failed"]
        return f"cannot build the index from the seeds: {last[0]}"
    return None


def run(index_dir: Path, ensure_seeds: bool = False) -> int:
    """Run the app on index_dir until the user quits; the exit status."""
    app = NewsdeskApp(index_dir, ensure_seeds=ensure_seeds, search_process=True)
    app.run()
    return app.return_code or 0
