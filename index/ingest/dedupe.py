"""Duplicates at index time: articles with the same text (exact duplicates, by a hash of the text
with its whitespace normalised) and articles whose text is nearly the same (twenty outlets'
rewrites of one wire story: MinHash over word shingles, candidates found with datasketch's LSH
and kept when their estimated Jaccard similarity reaches ``THRESHOLD``) form a group. The group's
id is the id of its first article; search shows one hit per group with its copies.

A signature (16 bytes of the text's hash, then the MinHash values as uint32) is stored with each
article, so a later run groups new articles with those already indexed without reading them.
"""

from __future__ import annotations

import collections
import functools
import hashlib
import re
import threading
from collections.abc import Iterable
from typing import Any

import attrs

SHINGLE_WORDS = 3
NUM_PERM = 128
# Rewrites of one story share about half of their 3-word shingles or more; different stories on
# the same subject share a few percent.
THRESHOLD = 0.5
# Texts with fewer shingles than this are only grouped when they are exact duplicates: a short
# note shares too few word runs for the estimate to mean anything.
MIN_SHINGLES = 12
# A new text is compared with this many members of each group the LSH proposes (the first ones).
MEMBERS_COMPARED = 4
_HASH_BYTES = 16
_SEED = 1
_SCHEME = "affine32"  # datasketch 2's 32-bit permutations: the values are stored as uint32
_WORD = re.compile(r"\w+")


def text_hash(text: str) -> bytes:
    """The hash of a text with runs of whitespace made one space (exact duplicates)."""
    norm = " ".join(text.split())
    return hashlib.sha1(norm.encode("utf-8", "surrogatepass")).digest()[:_HASH_BYTES]


def shingles(text: str) -> set[bytes]:
    words = _WORD.findall(text.lower())
    k = SHINGLE_WORDS
    if len(words) < k:
        return {" ".join(words).encode("utf-8", "surrogatepass")} if words else set()
    return {
        " ".join(words[i : i + k]).encode("utf-8", "surrogatepass")
        for i in range(len(words) - k + 1)
    }


# Signatures of the texts seen last, by text hash: the builder places an article and then the
# store writes its signature, and computing it twice was a fifth of a no-extraction build.
_RECENT: collections.OrderedDict[bytes, bytes] = collections.OrderedDict()
_RECENT_MAX = 16384
_RECENT_LOCK = threading.Lock()


def signature(text: str) -> bytes:
    """The stored signature of a text: its hash, then its MinHash (empty for a short text)."""
    head = text_hash(text)
    with _RECENT_LOCK:
        got = _RECENT.get(head)
        if got is not None:
            _RECENT.move_to_end(head)
            return got
    sig = _signature(text, head)
    with _RECENT_LOCK:
        _RECENT[head] = sig
        if len(_RECENT) > _RECENT_MAX:
            _RECENT.popitem(last=False)
    return sig


def _signature(text: str, head: bytes) -> bytes:
    import numpy as np

    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return head
    m = _minhash(grams)
    return head + np.asarray(m.hashvalues, dtype=np.uint32).tobytes()


def _minhash(grams: Iterable[bytes]) -> Any:
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME, permutations=_permutations())
    m.update_batch(list(grams))
    return m


@functools.cache
def _permutations() -> Any:
    """The MinHash permutations of (NUM_PERM, _SEED), drawn once: drawing them again for each
    article took a third of a no-extraction build's dedupe time."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations


def _from_sig(sig: bytes) -> Any | None:
    import numpy as np
    from datasketch import LeanMinHash

    values = sig[_HASH_BYTES:]
    if len(values) != NUM_PERM * 4:
        return None
    hv = np.frombuffer(values, dtype=np.uint32)
    return LeanMinHash(seed=_SEED, hashvalues=hv, scheme=_SCHEME)


@attrs.frozen(slots=True)
class Placed:
    """Where an article went: its group, and the article it duplicates (exactly or nearly)."""

    group: str
    like: str | None = None  # the article of the group it matched
    exact: bool = False
    similarity: float = 0.0


class Deduper:
    """Groups articles as they come, seeded with the signatures of the articles already indexed
    (``{id: (group, signature)}``)."""

    def __init__(self, known: dict[str, tuple[str, bytes]] | None = None) -> None:
        self._known = dict(known or {})
        self._lsh: Any = None  # built, with the known signatures, when an article is placed
        self._exact: dict[bytes, str] = {}  # text hash -> first article id with it
        self._group: dict[str, str] = {}
        self._sig: dict[str, bytes] = {}
        self._mh: dict[str, Any] = {}
        self._members: dict[str, list[str]] = {}  # group -> its first MEMBERS_COMPARED members

    def _seed(self) -> None:
        """The index's signatures, loaded at the first article that needs placing: a run that
        finds every article unchanged never pays for them."""
        if self._lsh is not None:
            return
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        for aid, (group, sig) in self._known.items():
            if sig:
                self._add(aid, group or aid, sig, _from_sig(sig))
        self._known.clear()

    def keep(self, aid: str) -> None:
        """An indexed article that did not change: it stays as it is (nothing to compute)."""

    def _add(self, aid: str, group: str, sig: bytes, mh: Any | None) -> None:
        self._drop(aid)
        self._group[aid] = group
        members = self._members.setdefault(group, [])
        if len(members) < MEMBERS_COMPARED and aid not in members:
            members.append(aid)
        self._sig[aid] = sig
        self._exact.setdefault(sig[:_HASH_BYTES], aid)
        if mh is not None:
            self._mh[aid] = mh
            self._lsh.insert(aid, mh, check_duplication=False)

    def _drop(self, aid: str) -> None:
        if aid not in self._sig:
            return
        head = self._sig.pop(aid)[:_HASH_BYTES]
        if self._exact.get(head) == aid:
            del self._exact[head]
        group = self._group.pop(aid, None)
        members = self._members.get(group or "")
        if members and aid in members:
            members.remove(aid)
        if self._mh.pop(aid, None) is not None:
            self._lsh.remove(aid)

    def place(self, aid: str, text: str) -> Placed:
        """The group of an article (its own id when it duplicates no other), remembered for the
        articles that come after it."""
        self._seed()
        sig = signature(text)
        if self._sig.get(aid) == sig:  # indexed before with this text: it keeps its group, so a
            return Placed(self._group[aid])  # rerun finds it unchanged whatever came after it
        head = sig[:_HASH_BYTES]
        mh = _from_sig(sig)
        placed = Placed(aid)
        first = self._exact.get(head)
        if first is not None and first != aid:
            placed = Placed(self._group.get(first, first), first, exact=True, similarity=1.0)
        elif mh is not None:
            # Compared with a few members of each candidate group, not with every candidate:
            # thousands of near-identical notes (earnings tables) share one LSH bucket, and a
            # comparison with each made the placing quadratic (a no-extraction build of Reuters
            # spent most of its CPU here). Rewrites resemble the story they rewrite, which is
            # among the first members of its group.
            best, best_sim = None, 0.0
            groups = {self._group[o] for o in self._lsh.query(mh) if o != aid}
            for group in sorted(groups):
                for other in self._members.get(group, ()):
                    if other == aid or other not in self._mh:
                        continue
                    sim = float(mh.jaccard(self._mh[other]))
                    if sim >= THRESHOLD and (sim > best_sim or (sim == best_sim and other < best)):  # type: ignore[operator]
                        best, best_sim = other, sim
            if best is not None:
                placed = Placed(self._group.get(best, best), best, similarity=best_sim)
        self._add(aid, placed.group, sig, mh)
        return placed
