"""The OpenSearch engine's write side (:class:`newsdesk.index.seam.Writer`).

- Documents have stable ids (passage, fact, ``entity@article``, article id): writing an article
  again replaces its documents, so every run, and every rerun after a crash, is idempotent.
- A batch first deletes what the index held of its articles (replaced ones, and what a killed
  run left), writes passages, facts and per-article entity documents, then the articles (whose
  presence with their content hash marks them done), then a commit record readers refresh on.
- Entity counts are never read-modify-written: each article writes its own entity documents and
  readers aggregate them, so writers of different ``--part``s never touch the same document.
- Bulk writes go through opensearch-py's ``streaming_bulk``, which retries 429s with backoff;
  items refused with another transient status (503: a node gone, a shard being promoted) are
  sent again with backoff too, so a node lost mid-run costs time, not documents.
- One writer per part at a time: a lease document in the meta index (renewed while the writer
  runs, taken over once it lapses, so a killed writer blocks the next for at most LEASE_S).
- ``rebuild=True`` writes a new generation of indices and swaps every alias to it in one
  ``_aliases`` call when the run finishes: readers see the old index until then.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from newsdesk.index.errors import IndexBusy
from newsdesk.index.ingest.dedupe import signature
from newsdesk.index.model import Analysis, Article, Passage
from newsdesk.index.opensearch.cluster import (
    WRITE_RETRY_S,
    Cluster,
    ClusterError,
    backoff,
    transient,
)
from newsdesk.index.opensearch.mappings import FORMAT, INDICES, META, body, concrete
from newsdesk.index.seam import ArticleRecord, Known, Writer
from newsdesk.index.store.codec import dump_analysis
from newsdesk.index.store.docs import fact_docs, passage_docs
from newsdesk.index.store.schema import SEP
from newsdesk.index.when import iso_day

LEASE_S = 30.0
BULK_ROUNDS = 8
UNIQUE_SORT = {"passages": ["id"], "facts": ["id"], "entities": ["entity_id", "article_id"]}
KEYWORDS = ("person", "org", "place", "misc", "entity", "kind", "who")


def _iso(value: Any) -> str | None:
    return iso_day(value) if isinstance(value, datetime) else None


def _keywords(doc: dict[str, Any], out: dict[str, Any]) -> None:
    for name in KEYWORDS:
        if doc.get(name):
            out[name] = doc[name].split(",")


def passage_sources(
    article: Article, passages: Sequence[Passage], hash_: str, analysis: Analysis | None
) -> Iterator[dict[str, Any]]:
    """The passages' documents: the Whoosh engine's, in OpenSearch's shapes."""
    for doc in passage_docs(article, passages, hash_, analysis):
        src: dict[str, Any] = {
            k: doc[k] for k in ("id", "article_id", "ordinal", "start", "end", "text", "title")
        }
        src["hash"] = hash_
        src["date"] = _iso(doc.get("date"))
        src["group"] = doc["group"]
        src["prov"] = doc["prov"]
        if doc.get("dup"):
            src["dup"] = doc["dup"]
        if doc.get("ents"):
            src["ents"] = doc["ents"].decode("utf-8").split(SEP)
        _keywords(doc, src)
        yield src


def fact_sources(article: Article, analysis: Analysis) -> Iterator[dict[str, Any]]:
    for doc, fact in zip(fact_docs(article, analysis), analysis.facts, strict=True):
        src: dict[str, Any] = {
            k: doc[k] for k in ("id", "article_id", "passage_id", "text", "exact", "title", "data")
        }
        src["date"] = _iso(doc.get("date"))
        src["ord"] = fact.evidence.start
        _keywords(doc, src)
        yield src


def entity_sources(analysis: Analysis) -> Iterator[tuple[str, dict[str, Any]]]:
    """One document per entity of the article, with the article's counts and surface forms."""
    for e in analysis.entities:
        aliases = sorted(set(e.aliases))
        yield (
            f"{e.id}@{analysis.article_id}",
            {
                "entity_id": e.id,
                "article_id": analysis.article_id,
                "name": e.name,
                "type": e.type,
                "aliases": aliases,
                "names": sorted({e.name, *aliases}),
                "mentions": e.mentions,
            },
        )


def article_source(
    article: Article, hash_: str, passages: Sequence[Passage], analysis: Analysis | None
) -> dict[str, Any]:
    return {
        "id": article.id,
        "path": article.path,
        "hash": hash_,
        "title": article.title,
        "date": article.date,
        "source": article.source,
        "license": article.license,
        "text": article.text,
        "passages": json.dumps([[p.start, p.end] for p in passages]),
        "analysis": dump_analysis(analysis) if analysis is not None else "",
        # as the Whoosh store keeps them (store/docs.py article_doc)
        "url": article.url,
        "publisher": article.publisher,
        "author": article.author,
        "captured": article.captured,
        "locator": article.locator,
        "pages": list(article.pages),
        "group": article.group or article.id,
        "minhash": base64.b64encode(signature(article.text)).decode("ascii"),
    }


class OpenSearchWriter(Writer):
    """Writes a newsdesk index into an OpenSearch cluster; use as a context manager."""

    def __init__(
        self,
        location: str,
        lock_wait_s: float = 10.0,
        on_wait: Callable[[], None] | None = None,
        part: tuple[int, int] | None = None,
        rebuild: bool = False,
    ) -> None:
        self.cluster = Cluster(location, retry_for_s=WRITE_RETRY_S)
        self.location = self.cluster.location
        self.es = self.cluster.es
        self.lock_wait_s = lock_wait_s
        self.on_wait = on_wait
        self.part = part
        self.rebuild = rebuild
        self.owner = uuid.uuid4().hex
        self.lease_id = f"lock:{part[0]}/{part[1]}" if part else "lock:all"
        self._lease: tuple[int, int] | None = None  # seq_no, primary_term of our lease
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None
        self.targets = dict(self.cluster.aliases)  # where this run writes, by index name
        self.generation: str | None = None

    # -- set-up ------------------------------------------------------------------------------------

    def __enter__(self) -> OpenSearchWriter:
        self._create_missing()
        self._take_lease()
        try:
            self.cluster.check()
            if self.rebuild:
                self._new_generation()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(timeout=5)
            self._renewer = None
        if self._lease is not None:
            seq, term = self._lease
            self._lease = None
            try:
                self.es.delete(
                    index=self.cluster.aliases[META],
                    id=self.lease_id,
                    if_seq_no=seq,
                    if_primary_term=term,
                    refresh=True,
                )
            except Exception:  # taken over, or the cluster away: it lapses by itself
                pass

    def _create(self, name: str, generation: str, with_alias: bool) -> None:
        from opensearchpy.exceptions import RequestError

        index = concrete(self.cluster.prefix, name, generation)
        b = body(name, self.cluster.settings.shards, self.cluster.settings.replicas)
        if with_alias:
            b["aliases"] = {self.cluster.aliases[name]: {}}
        try:
            self.cluster.call(
                f"create {index}",
                lambda: self.es.indices.create(
                    index=index, body=b, params={"wait_for_active_shards": "1"}
                ),
            )
        except ClusterError as exc:
            if "resource_already_exists" not in str(exc):
                raise
        except RequestError as exc:  # pragma: no cover - call() wraps it
            if "resource_already_exists" not in str(exc):
                raise

    def _create_missing(self) -> None:
        """The first writer on a location creates the indices (generation v<FORMAT>) with their
        aliases; concurrent first writers race harmlessly (creating is idempotent)."""
        if self.cluster.exists():  # the first contact: an unreachable cluster is said at once
            return
        for name in (*INDICES, META):  # meta last: its alias marks the set complete
            exists = self.cluster.call(
                "look for the index",
                lambda n=name: self.es.indices.exists_alias(name=self.cluster.aliases[n]),  # type: ignore[misc]
            )
            if not exists:
                self._create(name, f"v{FORMAT}", with_alias=True)

    def _new_generation(self) -> None:
        self.generation = f"v{FORMAT}-{time.strftime('%Y%m%d%H%M%S')}-{self.owner[:6]}"
        for name in INDICES:
            self._create(name, self.generation, with_alias=False)
            self.targets[name] = concrete(self.cluster.prefix, name, self.generation)

    # -- the lease ---------------------------------------------------------------------------------

    def _take_lease(self) -> None:
        from opensearchpy.exceptions import ConflictError, NotFoundError

        meta = self.cluster.aliases[META]
        deadline = time.monotonic() + self.lock_wait_s
        told = False
        while True:
            doc = {"kind": "lock", "owner": self.owner, "expires": time.time() + LEASE_S}
            try:
                res = self.cluster.call(
                    "take the writer lease",
                    lambda d=doc: self.es.create(
                        index=meta, id=self.lease_id, body=d, refresh=True
                    ),  # type: ignore[misc]
                )
                self._lease = (res["_seq_no"], res["_primary_term"])
                break
            except ConflictError:
                pass
            except ClusterError as exc:
                if "version_conflict" not in str(exc) and "409" not in str(exc):
                    raise
            try:  # a lapsed lease (its writer was killed) is taken over
                held = self.es.get(index=meta, id=self.lease_id)
                if held["_source"].get("expires", 0) < time.time():
                    self.es.delete(
                        index=meta,
                        id=self.lease_id,
                        if_seq_no=held["_seq_no"],
                        if_primary_term=held["_primary_term"],
                        refresh=True,
                    )
                    continue
            except (NotFoundError, ConflictError):
                continue
            if time.monotonic() >= deadline:
                raise IndexBusy(
                    f"{self.location} is being written by another process "
                    f"({self.lease_id.partition(':')[2]}); try again later or raise --wait"
                )
            if not told and self.on_wait is not None:
                self.on_wait()
            told = True
            time.sleep(min(0.25, max(0.01, deadline - time.monotonic())))
        self._stop.clear()
        self._renewer = threading.Thread(target=self._renew, name="newsdesk-lease", daemon=True)
        self._renewer.start()

    def _renew(self) -> None:
        meta = self.cluster.aliases[META]
        while not self._stop.wait(LEASE_S / 3):
            lease = self._lease
            if lease is None:
                return
            doc = {"kind": "lock", "owner": self.owner, "expires": time.time() + LEASE_S}
            try:
                res = self.es.index(
                    index=meta,
                    id=self.lease_id,
                    body=doc,
                    if_seq_no=lease[0],
                    if_primary_term=lease[1],
                )
                self._lease = (res["_seq_no"], res["_primary_term"])
            except Exception:  # the cluster away for a moment: try again next round
                continue

    # -- writing -----------------------------------------------------------------------------------

    def _bulk(self, actions: list[dict[str, Any]]) -> None:
        """Send actions, again with backoff while items fail for a transient reason."""
        from opensearchpy import helpers

        pending = actions
        for attempt in range(BULK_ROUNDS):
            failed: list[dict[str, Any]] = []
            errors: list[Any] = []
            try:
                results = helpers.streaming_bulk(
                    self.es,
                    pending,
                    chunk_size=500,
                    max_chunk_bytes=20 * 1024 * 1024,
                    raise_on_error=False,
                    raise_on_exception=False,
                    max_retries=5,
                    initial_backoff=1,
                    max_backoff=30,
                )
                by_key = {(self._kind(a["_index"]), a["_id"]): a for a in pending}
                for ok, info in results:
                    if ok:
                        continue
                    item = next(iter(info.values())) if isinstance(info, dict) else {}
                    if not isinstance(item, dict):
                        item = {}
                    status = item.get("status", 0)
                    if status == 404 and "delete" in info:
                        continue  # already gone
                    action = by_key.get((self._kind(str(item.get("_index", ""))), item.get("_id")))
                    if action is not None:
                        failed.append(action)
                        errors.append(item)
            except Exception as exc:
                if not transient(exc):
                    raise ClusterError(f"write: {exc}") from None
                failed, errors = pending, [str(exc)]
            if not failed:
                return
            permanent = [
                e
                for e in errors
                if isinstance(e, dict) and e.get("status") not in (None, 0, 429, 500, 502, 503, 504)
            ]
            if permanent:
                raise ClusterError(
                    f"{self.location} refused a document: {permanent[0].get('error')}"
                )
            pending = failed
            time.sleep(backoff(attempt, base=1.0))
        raise ClusterError(f"{self.location}: {len(pending)} documents could not be written")

    def _kind(self, index: str) -> str:
        """Which of the indices a concrete index name (or alias) is."""
        for name in (*INDICES, META):
            if index == self.cluster.aliases[name] or index.startswith(
                self.cluster.aliases[name] + "-"
            ):
                return name
        return index

    def _refresh(self, names: Iterable[str]) -> None:
        targets = ",".join(
            self.targets[n] if n in self.targets else self.cluster.aliases[n] for n in names
        )
        self.cluster.call("refresh", lambda: self.es.indices.refresh(index=targets))

    def _delete_articles(self, ids: Sequence[str]) -> None:
        """Delete everything extracted from these articles (not the article records): their
        documents are found by a search and deleted in bulk (delete-by-query is a module a
        cluster may not have)."""
        if not ids:
            return
        actions = []
        for name in ("passages", "facts", "entities"):
            for hit in self.cluster.scan(
                self.targets[name],
                {"terms": {"article_id": list(ids)}},
                UNIQUE_SORT[name],
                source=False,
            ):
                actions.append({"_op_type": "delete", "_index": hit["_index"], "_id": hit["_id"]})
        if actions:
            self._bulk(actions)
            self._refresh(("passages", "facts", "entities"))

    def _commit(self, what: str) -> None:
        """A commit record: readers refresh when the log grows (a rebuild's writes go to indices
        no reader sees until the swap, which is its one commit)."""
        if self.generation is not None and what != "swap":
            return
        meta = self.cluster.aliases[META]
        doc = {"kind": "commit", "owner": self.owner, "at": time.time(), "nlp": what}
        self.cluster.call(
            "record the commit",
            lambda: self.es.index(
                index=meta, id=f"commit:{uuid.uuid4().hex}", body=doc, refresh=True
            ),
        )

    def known(self) -> dict[str, Known]:
        out = {}
        for hit in self.cluster.scan(
            self.targets["articles"],
            {"match_all": {}},
            ["id"],
            source=["id", "hash", "path", "group", "minhash"],
        ):
            src = hit["_source"]
            group = src.get("group") or ""
            out[src["id"]] = Known(
                src.get("hash", ""),
                src.get("path", ""),
                group,
                base64.b64decode(src["minhash"]) if src.get("minhash") else b"",
            )
        return out

    def write(self, records: Sequence[ArticleRecord]) -> None:
        if not records:
            return
        self._delete_articles([r.article.id for r in records])
        docs: list[dict[str, Any]] = []
        for r in records:
            for src in passage_sources(r.article, r.passages, r.hash, r.analysis):
                docs.append({"_index": self.targets["passages"], "_id": src["id"], "_source": src})
            if r.analysis is not None:
                for src in fact_sources(r.article, r.analysis):
                    docs.append({"_index": self.targets["facts"], "_id": src["id"], "_source": src})
                for eid, src in entity_sources(r.analysis):
                    docs.append({"_index": self.targets["entities"], "_id": eid, "_source": src})
        self._bulk(docs)
        self._refresh(("passages", "facts", "entities"))
        self._bulk(
            [
                {
                    "_index": self.targets["articles"],
                    "_id": r.article.id,
                    "_source": article_source(r.article, r.hash, r.passages, r.analysis),
                }
                for r in records
            ]
        )
        self._refresh(("articles",))
        self._commit("write")

    def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        self._bulk(
            [{"_op_type": "delete", "_index": self.targets["articles"], "_id": i} for i in ids]
        )
        self._refresh(("articles",))
        self._delete_articles(ids)
        self._commit("delete")

    def finish(self, nlp: str) -> None:
        meta = self.cluster.aliases[META]
        stamp = {"kind": "stamp", "nlp": nlp, "updated": time.strftime("%Y-%m-%dT%H:%M:%S")}
        self.cluster.call(
            "record the run",
            lambda: self.es.index(index=meta, id="stamp", body=stamp, refresh=True),
        )
        if self.generation is not None:
            self._swap()

    def _swap(self) -> None:
        """Point every alias at this run's generation in one call; drop the old indices."""
        assert self.generation is not None
        actions: list[dict[str, Any]] = []
        old: list[str] = []
        for name in INDICES:
            al = self.cluster.aliases[name]
            current = self.cluster.call(
                "read the aliases",
                lambda a=al: self.es.indices.get_alias(name=a),  # type: ignore[misc]
            )
            for index in current:
                actions.append({"remove": {"index": index, "alias": al}})
                old.append(index)
            actions.append({"add": {"index": self.targets[name], "alias": al}})
        self.cluster.call(
            "swap the aliases", lambda: self.es.indices.update_aliases(body={"actions": actions})
        )
        self.targets = dict(self.cluster.aliases)
        self._commit("swap")
        self.generation = None
        if old:
            self.cluster.call(
                "drop the old indices",
                lambda: self.es.indices.delete(
                    index=",".join(old), params={"ignore_unavailable": "true"}
                ),
            )
