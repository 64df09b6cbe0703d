"""Open the engine a location names: the app, the command line and the builder call these and
then know only the seam's protocols (:mod:`newsdesk.index.seam`).

A location is an index folder (the embedded Whoosh engine, the default).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from newsdesk.index.seam import Reader, Writer


def index_exists(location: Path | str) -> bool:
    """Whether location holds an index (else the app builds one from the bundled seeds)."""
    from newsdesk.index.store.folder import STAMP

    return (Path(location) / STAMP).exists()


def open_reader(location: Path | str) -> Reader:
    """Read access to the index at location."""
    from newsdesk.index.search.engine import WhooshReader

    return WhooshReader(Path(location))


def open_writer(
    location: Path | str,
    lock_wait_s: float = 10.0,
    on_wait: Callable[[], None] | None = None,
    writer_procs: int = 1,
) -> Writer:
    """Write access to the index at location (taken when the writer is entered)."""
    from newsdesk.index.store.writer import WhooshWriter

    return WhooshWriter(
        Path(location), lock_wait_s=lock_wait_s, on_wait=on_wait, writer_procs=writer_procs
    )
