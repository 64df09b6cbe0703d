"""What the reader and the writer share: the client, the aliases of one location, retries with
backoff, the format check, and how a client error becomes one clear line."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from newsdesk.index.errors import IndexMissing, IndexVersionMismatch, NewsdeskError
from newsdesk.index.opensearch import config
from newsdesk.index.opensearch.mappings import FORMAT, INDICES, META, alias

T = TypeVar("T")
# HTTP statuses worth another try: too many requests, and the cluster catching up (a node gone,
# a primary being promoted, a shard not yet allocated).
RETRY_STATUS = {429, 502, 503, 504}
RETRY_TYPES = {
    "unavailable_shards_exception",
    "no_shard_available_action_exception",
    "cluster_block_exception",
    "node_disconnected_exception",
    "node_not_connected_exception",
    "connect_transport_exception",
    "es_rejected_execution_exception",
    "opensearch_rejected_execution_exception",
    "process_cluster_event_timeout_exception",
    "primary_missing_action_exception",
    "shard_not_found_exception",
    "no_node_available_exception",
}


# How long transient errors are tried again: briefly for a reader (someone waits on the screen),
# long for a writer (a run of hours should outlive a node restarting); NEWSDESK_OPENSEARCH_RETRY_S
# sets both.
READ_RETRY_S = 10.0
WRITE_RETRY_S = 180.0


class ClusterError(NewsdeskError):
    pass


def transient(exc: BaseException) -> bool:
    """Whether a client error may pass if tried again (a node away, a queue full)."""
    from opensearchpy import exceptions as ox

    if isinstance(exc, (ox.ConnectionError, ox.ConnectionTimeout)):
        return True
    if isinstance(exc, ox.TransportError):
        status = exc.status_code
        if isinstance(status, int) and status in RETRY_STATUS:
            return True
        text = str(exc.info) if exc.info else str(exc.error)
        return any(t in text for t in RETRY_TYPES)
    return False


def backoff(attempt: int, base: float = 0.5, cap: float = 20.0) -> float:
    return float(min(cap, base * 2**attempt) * (0.5 + random.random() / 2))


class Cluster:
    """One location on a cluster: its settings, client and index aliases."""

    def __init__(self, location: str, retry_for_s: float = READ_RETRY_S) -> None:
        self.settings = config.parse(location)
        self.location = self.settings.location
        self.es = config.client(self.settings)
        # how long a transient error (a node away, a full queue) is tried again
        configured = self.settings.retry_s
        self.retry_for_s = configured if configured is not None else retry_for_s
        self.prefix = self.settings.prefix
        self.aliases = {name: alias(self.prefix, name) for name in (*INDICES, META)}

    def call(self, what: str, fn: Callable[[], T]) -> T:
        """fn(), tried again with backoff while the error is transient; else one clear error."""
        deadline = time.monotonic() + self.retry_for_s
        attempt = 0
        while True:
            try:
                return fn()
            except NewsdeskError:
                raise
            except Exception as exc:
                if transient(exc) and time.monotonic() < deadline:
                    time.sleep(backoff(attempt))
                    attempt += 1
                    continue
                raise ClusterError(f"{what}: {config.describe(exc, self.settings)}") from None

    def exists(self) -> bool:
        """Whether the location holds an index (the first contact: an unreachable cluster is
        said at once, not retried)."""
        try:
            return bool(self.es.indices.exists_alias(name=self.aliases[META]))
        except Exception as exc:
            raise ClusterError(
                f"look for the index: {config.describe(exc, self.settings)}"
            ) from None

    def drop(self) -> None:
        """Delete every index of this location (its prefix), every generation."""
        pattern = ",".join(f"{a}-*" for a in self.aliases.values())
        self.call(
            "drop the index",
            lambda: self.es.indices.delete(
                index=pattern, params={"ignore_unavailable": "true", "allow_no_indices": "true"}
            ),
        )

    def check(self) -> None:
        """Refuse a location without an index, or with one of another format."""
        if not self.exists():
            raise IndexMissing(
                f"no newsdesk index at {self.location}: "
                f"run `newsdesk index PATH --engine {self.location}`"
            )
        mappings = self.call(
            "read the mappings",
            lambda: self.es.indices.get_mapping(index=",".join(self.aliases.values())),
        )
        for body in mappings.values():
            found = (body.get("mappings", {}).get("_meta") or {}).get("newsdesk_format")
            if found != FORMAT:
                raise IndexVersionMismatch(
                    f"the index at {self.location} has format {found}, this newsdesk reads "
                    f"{FORMAT}: rebuild it with `newsdesk index PATH --engine {self.location} "
                    "--rebuild`"
                )

    def scan(
        self,
        index: str,
        query: dict[str, Any],
        sort: list[str],
        source: list[str] | bool = True,
        pit: dict[str, Any] | None = None,
        page: int = 2000,
    ) -> Iterator[dict[str, Any]]:
        """Every matching document (its hit), in pages by search_after on unique keys."""
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {
                "query": query,
                "size": page,
                "sort": [{k: "asc"} for k in sort],
                "_source": source,
                "track_total_hits": False,
            }
            if after is not None:
                body["search_after"] = after
            if pit is not None:
                body["pit"] = pit
                res = self.call("read", lambda b=body: self.es.search(body=b))  # type: ignore[misc]
            else:
                res = self.call(
                    "read",
                    lambda b=body: self.es.search(index=index, body=b),  # type: ignore[misc]
                )
            hits = res["hits"]["hits"]
            yield from hits
            if len(hits) < page:
                return
            after = hits[-1]["sort"]
