"""Open the engine a location names: the app, the command line and the builder call these and
then know only the seam's protocols (:mod:`newsdesk.index.seam`).

A location is an index folder (the embedded Whoosh engine, the default) or an ``http(s)://``
URL of an OpenSearch cluster (``http://127.0.0.1:9200?prefix=newsdesk``; credentials come from
the environment or the config file, see :mod:`newsdesk.index.opensearch.config`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from newsdesk.index.seam import Reader, Writer


def is_cluster(location: Path | str) -> bool:
    """Whether a location is a cluster URL (else an index folder)."""
    from newsdesk.index.opensearch.config import is_url

    return is_url(location)


def index_exists(location: Path | str) -> bool:
    """Whether location holds an index (else the app builds one from the bundled seeds)."""
    if is_cluster(location):
        from newsdesk.index.opensearch.cluster import Cluster

        return Cluster(str(location)).exists()
    from newsdesk.index.store.folder import STAMP

    return (Path(location) / STAMP).exists()


def remove_index(location: Path | str) -> None:
    """Delete the index at location, if any (a folder, or a cluster prefix's indices)."""
    if is_cluster(location):
        from newsdesk.index.opensearch.cluster import Cluster

        Cluster(str(location)).drop()
        return
    import shutil

    shutil.rmtree(location, ignore_errors=True)


def open_reader(location: Path | str) -> Reader:
    """Read access to the index at location."""
    if is_cluster(location):
        from newsdesk.index.opensearch.reader import OpenSearchReader

        return OpenSearchReader(str(location))
    from newsdesk.index.search.engine import WhooshReader

    return WhooshReader(Path(location))


def open_writer(
    location: Path | str,
    lock_wait_s: float = 10.0,
    on_wait: Callable[[], None] | None = None,
    writer_procs: int = 1,
    part: tuple[int, int] | None = None,
    rebuild: bool = False,
) -> Writer:
    """Write access to the index at location (taken when the writer is entered).

    part (K, N): this writer fills share K of N (a cluster takes N such writers at once);
    rebuild: write a new generation and swap it in when the run finishes (clusters only).
    """
    if is_cluster(location):
        from newsdesk.index.opensearch.writer import OpenSearchWriter

        return OpenSearchWriter(
            str(location), lock_wait_s=lock_wait_s, on_wait=on_wait, part=part, rebuild=rebuild
        )
    from newsdesk.index.store.writer import WhooshWriter

    return WhooshWriter(
        Path(location), lock_wait_s=lock_wait_s, on_wait=on_wait, writer_procs=writer_procs
    )
