"""Corrections on a cluster (index/corrections.py): one document in an index of its own.

``PREFIX-corrections`` holds the document ``corrections`` whose ``data`` is the same JSON as the
Whoosh engine's ``corrections.json``. It is no generation of the index (not behind an alias, not
swapped by ``--rebuild``, not written by ``newsdesk index``), so corrections outlive indexing
again; changes are optimistic (``if_seq_no``/``if_primary_term``, tried again on a conflict), so
two people correcting at once lose nothing. A reader reads it again when ``refresh()`` finds its
sequence number moved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newsdesk.index.corrections import Correction, CorrectionStore, dumps, loads
from newsdesk.index.opensearch.cluster import Cluster
from newsdesk.index.opensearch.mappings import alias

DOC = "corrections"
_UNREAD = object()
MAPPING = {"dynamic": "strict", "properties": {"data": {"type": "text", "index": False}}}


class ClusterStore(CorrectionStore):
    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.index = alias(cluster.prefix, "corrections")
        self._stamp: object = _UNREAD

    def _get(self) -> tuple[tuple[int, int] | None, list[Correction]]:
        from opensearchpy.exceptions import NotFoundError

        def get() -> dict[str, Any] | None:
            try:
                found: dict[str, Any] = self.cluster.es.get(index=self.index, id=DOC)
                return found
            except NotFoundError:
                return None

        doc = self.cluster.call("read the corrections", get)
        if doc is None:
            self._stamp = None
            return None, []
        stamp = (int(doc["_seq_no"]), int(doc["_primary_term"]))
        self._stamp = stamp
        return stamp, loads((doc.get("_source") or {}).get("data") or "")

    def load(self) -> list[Correction]:
        return self._get()[1]

    def stamp(self) -> object:
        if self._stamp is _UNREAD:
            self._get()
        return self._stamp

    def poll(self) -> None:
        self._get()

    def _create_index(self) -> None:
        from opensearchpy.exceptions import RequestError

        def create() -> None:
            try:
                self.cluster.es.indices.create(
                    index=self.index,
                    body={"settings": {"index": {"number_of_shards": 1}}, "mappings": MAPPING},
                )
            except RequestError as exc:  # made meanwhile by another process
                if "resource_already_exists" not in str(exc):
                    raise

        self.cluster.call("create the corrections index", create)

    def change(self, fn: Callable[[list[Correction]], list[Correction]]) -> list[Correction]:
        from opensearchpy.exceptions import ConflictError

        for _ in range(50):
            stamp, entries = self._get()
            if stamp is None:
                self._create_index()
            new = fn(list(entries))
            body = {"data": dumps(new)}
            try:
                if stamp is None:
                    res = self.cluster.es.index(
                        index=self.index, id=DOC, body=body, op_type="create", refresh=True
                    )
                else:
                    res = self.cluster.es.index(
                        index=self.index,
                        id=DOC,
                        body=body,
                        refresh=True,
                        params={"if_seq_no": stamp[0], "if_primary_term": stamp[1]},
                    )
            except ConflictError:
                continue  # another change came first: apply fn to what it left
            self._stamp = (int(res["_seq_no"]), int(res["_primary_term"]))
            return new
        raise RuntimeError("the corrections kept changing under this change; try again")
