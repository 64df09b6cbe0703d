"""The real `newsdesk` command in a real pseudo-terminal (tmux, 80x24 and 120x36): search, the
visible mode, / and tab, the facts table, read, quit."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


def newsdesk_command() -> list[str]:
    script = Path(sys.executable).with_name("newsdesk")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from newsdesk.tui.cli import main; sys.exit(main())"]


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
def test_newsdesk_in_tmux(app_index: Path, tmp_path: Path, size: tuple[int, int]) -> None:
    assert TMUX is not None
    width, height = size
    sock = str(tmp_path / "tmux.sock")
    env = {
        "TERM": "xterm-256color",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "NEWSDESK_CONFIG": str(tmp_path / "none.toml"),
        "LANG": "C.UTF-8",
    }
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    app = " ".join(shlex.quote(p) for p in [*newsdesk_command(), "--index", str(app_index)])
    script = f"cd {shlex.quote(os.getcwd())} && env {assignments} {app}; echo EXIT=$?; sleep 60"

    def tmux(*args: str) -> str:
        out = subprocess.run(
            [TMUX, "-S", sock, *args], capture_output=True, text=True, timeout=20, check=False
        )
        return out.stdout

    def screen() -> str:
        return tmux("capture-pane", "-p", "-t", "nd")

    def wait_for(test: Callable[[str], bool], seconds: float = 60.0) -> str:
        deadline = time.monotonic() + seconds
        text = ""
        while time.monotonic() < deadline:
            text = screen()
            if test(text):
                return text
            time.sleep(0.2)
        raise AssertionError(f"timed out; the screen was:\n{text}")

    def steady(test: Callable[[str], bool]) -> str:
        """Wait for the test, then for the screen to stop changing (the app idle): keys sent
        to a busy terminal app are the Pilot tests' business, not this smoke test's."""
        text = wait_for(test)
        for _ in range(100):
            time.sleep(0.3)
            again = screen()
            if again == text:
                return text
            text = again
        return text

    subprocess.run(
        [
            TMUX,
            "-S",
            sock,
            "-f",
            os.devnull,
            "new-session",
            "-d",
            "-x",
            str(width),
            "-y",
            str(height),
        ]
        + ["-s", "nd", "sh", "-c", script],
        check=True,
        timeout=20,
    )
    try:
        first = wait_for(lambda s: "5 articles" in s and "139 hits" in s)
        assert "newsdesk" in first and "SEARCH" in first  # typing goes to the box, and it says so
        tmux("send-keys", "-t", "nd", "-l", "cyber")
        found = steady(lambda s: " 4 hits" in s)
        assert "«cyber»" in found  # hits marked with glyphs, not colour alone
        assert "Results" in found
        lines = found.splitlines()
        assert len(lines) <= height and all(len(line) <= width for line in lines)
        tmux("send-keys", "-t", "nd", "Tab")  # to the results: the mode says so
        steady(lambda s: "NAVIGATE" in s)
        tmux("send-keys", "-t", "nd", "Tab")  # results → passage (one pane below 120 columns)
        steady(lambda s: "NAVIGATE" in s and "Passage" in s)
        tmux("send-keys", "-t", "nd", "-l", "/ledger")  # / and the keys right after it
        steady(lambda s: "130 hits" in s and "SEARCH" in s and "/ledger" not in s)
        tmux("send-keys", "-t", "nd", "-l", "/cyber")
        steady(lambda s: " 4 hits" in s)
        tmux("send-keys", "-t", "nd", "Enter")
        steady(lambda s: "NAVIGATE" in s)
        tmux("send-keys", "-t", "nd", "-l", "t")  # the facts table of the hits
        table = steady(lambda s: "Facts table" in s and "Neuberger" in s)
        assert "QUOTE" in table and "cyber" in table
        tmux("send-keys", "-t", "nd", "Enter")  # the row's evidence in the passage
        passage = steady(lambda s: "Passage" in s and "¶" in s and "Facts table" not in s)
        assert "Neuberger" in passage
        tmux("send-keys", "-t", "nd", "Escape")  # back to the results
        tmux("send-keys", "-t", "nd", "Enter")  # open the passage
        passage = wait_for(lambda s: "Passage" in s and "«cyber»" in s)
        tmux("send-keys", "-t", "nd", "C-q")
        wait_for(lambda s: "EXIT=0" in s, 20)
    finally:
        tmux("kill-server")
