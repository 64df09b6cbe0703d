"""What the main screen needs of the app it runs in (``NewsdeskApp`` is one).

The screen is typed against this protocol, not against the app class, so that the app can import
the screen without the screen importing the app back.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from newsdesk.index.seam import Reader, SearchRequest, SearchResult
    from newsdesk.tui.saved import SavedSearches

T = TypeVar("T")


class Host(Protocol):
    """The engine side of the app: every method that waits is called from a worker thread."""

    index_dir: Path  # the index folder open (or being opened)
    saved: SavedSearches  # the user's saved searches

    def call_engine(self, fn: Callable[[Reader], T]) -> T:
        """Run fn(engine) on the engine thread and wait for it."""
        ...

    def search(self, request: SearchRequest) -> SearchResult:
        """Reader.search, wherever the app runs it."""
        ...

    def open_index(self, index_dir: Path) -> None:
        """Open (or switch to) an index; the screen hears back through engine_ready/_failed."""
        ...

    def refresh_index(self, manual: bool = False) -> None:
        """Pick up what was indexed since; the screen hears back through engine_changed."""
        ...

    def tune_gc(self) -> None:
        """The first results are on screen: move full garbage collections to idle moments."""
        ...
