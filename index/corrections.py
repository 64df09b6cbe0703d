"""Corrections by the user: merge two entities, split an alias off one, hide one, change its type,
and flag a wrong fact.

They are kept apart from what extraction wrote (a JSON file in the index folder, a document of its
own on a cluster) and applied when the index is read, so they survive indexing again and need no
rewrite. Engine-neutral: :class:`Corrections` is the compiled view a reader applies to its entity
lists, facets, entity filters, facts and article views; :class:`CorrectionStore` is where an
engine keeps the entries (:class:`FileStore` for an index folder).

An entry is numbered once (``n``, never reused) so ``newsdesk correct undo N`` and the app's
corrections list remove exactly the one meant. Entities are named by id; the entry also keeps the
names it was made with (``names``), so the file reads by itself and a merged entity can be shown
under the name of the one it went into where only the merged one is at hand (an article's list).
"""

from __future__ import annotations

import abc
import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs

from newsdesk.index.model import ENTITY_TYPES, Analysis, Entity, Fact, Mention

OPS = ("merge", "split", "hide", "type", "flag")
FILE = "corrections.json"
VERSION = 1


@attrs.frozen(slots=True)
class Correction:
    """One correction. ``target`` is an entity id (a fact id for ``flag``); ``value`` is the entity
    id merged into (merge), the new type (type) or the alias split off (split)."""

    n: int
    op: str
    target: str
    value: str = ""
    names: tuple[tuple[str, str, str], ...] = ()  # (id, name, type) of the entities it names
    at: str = ""  # when it was made (ISO, UTC)

    def describe(self) -> str:
        """In words: 'merge “Boeing Co” into “Boeing”'."""
        names = {i: n for i, n, _ in self.names}
        t = names.get(self.target, self.target)
        if self.op == "merge":
            return f"merge “{t}” into “{names.get(self.value, self.value)}”"
        if self.op == "split":
            return f"split “{self.value}” off “{t}”"
        if self.op == "hide":
            return f"hide “{t}”"
        if self.op == "type":
            return f"type of “{t}” → {self.value}"
        return f"flag fact {self.target} as wrong"

    def as_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "op": self.op,
            "target": self.target,
            "value": self.value,
            "names": [{"id": i, "name": n, "type": t} for i, n, t in self.names],
            "at": self.at,
            "text": self.describe(),
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Correction:
        return cls(
            n=int(d["n"]),
            op=str(d["op"]),
            target=str(d["target"]),
            value=str(d.get("value") or ""),
            names=tuple(
                (str(x["id"]), str(x.get("name", "")), str(x.get("type", "")))
                for x in d.get("names") or ()
            ),
            at=str(d.get("at") or ""),
        )


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def dumps(entries: Sequence[Correction]) -> str:
    """The file's text: indented, one entry a block, so a person can read and diff it."""
    data = {"version": VERSION, "corrections": [c.as_json() for c in entries]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def loads(text: str) -> list[Correction]:
    """Entries from the file's text; an entry that cannot be read is skipped."""
    if not text.strip():
        return []
    data = json.loads(text)
    out = []
    for d in data.get("corrections") or ():
        try:
            c = Correction.from_json(d)
        except (KeyError, TypeError, ValueError):
            continue
        if c.op in OPS:
            out.append(c)
    return out


def split_id(entity_id: str, alias: str) -> str:
    """The id of the entity an alias split off becomes."""
    return f"{entity_id}~{alias.strip().lower()}"


# -- the compiled view -----------------------------------------------------------------------------


@attrs.frozen(slots=True)
class SplitPassages:
    """Where split aliases are written (Corrections.split_passages): passage ids by the split
    entity's id (``alias``), the passages an entity is named in only through aliases split off
    it (``only``, by its shown id: they leave its filter and its count), and each split id's
    entity (``parent``) and alias as written (``name``)."""

    alias: Mapping[str, frozenset[str]]
    only: Mapping[str, frozenset[str]]
    parent: Mapping[str, str]
    name: Mapping[str, str]

    def __bool__(self) -> bool:
        return bool(self.parent)

    def touches(self, entity_id: str) -> bool:
        return entity_id in self.alias or bool(self.only.get(entity_id))


class Corrections:
    """The entries in force, compiled into what readers apply."""

    def __init__(self, entries: Iterable[Correction] = ()) -> None:
        self.entries: tuple[Correction, ...] = tuple(entries)
        self.merged: dict[str, str] = {}  # entity id -> the id it was merged into (final)
        self.hidden: set[str] = set()
        self.types: dict[str, str] = {}
        self.splits: dict[str, dict[str, str]] = {}  # entity id -> {alias lower: alias}
        self.flagged: set[str] = set()
        self.names: dict[str, tuple[str, str]] = {}  # id -> (name, type) as the entries knew
        self._split_cache: tuple[object, SplitPassages] | None = None
        for c in self.entries:
            for i, name, typ in c.names:
                self.names[i] = (name, typ)
            if c.op == "merge":
                into = self.canon(c.value)
                if into != c.target and self.canon(c.target) == c.target:
                    self.merged[c.target] = into
                    for k, v in self.merged.items():  # keep every chain resolved
                        if v == c.target:
                            self.merged[k] = into
            elif c.op == "hide":
                self.hidden.add(c.target)
            elif c.op == "type":
                self.types[c.target] = c.value
            elif c.op == "split":
                self.splits.setdefault(c.target, {})[c.value.strip().lower()] = c.value.strip()
            elif c.op == "flag":
                self.flagged.add(c.target)

    def __bool__(self) -> bool:
        return bool(self.entries)

    @property
    def affects_entities(self) -> bool:
        return bool(self.merged or self.hidden or self.types or self.splits)

    def canon(self, entity_id: str) -> str:
        """The id an entity is shown under (itself unless merged into another)."""
        return self.merged.get(entity_id, entity_id)

    def members(self, entity_id: str) -> list[str]:
        """The ids shown as this entity: itself and every entity merged into it."""
        root = self.canon(entity_id)
        return [root, *sorted(k for k, v in self.merged.items() if v == root)]

    def is_hidden(self, entity_id: str) -> bool:
        return self.canon(entity_id) in self.hidden or entity_id in self.hidden

    def type_of(self, entity_id: str, default: str) -> str:
        return self.types.get(self.canon(entity_id), default)

    def split_of(self, entity: Entity, name: str) -> str | None:
        """The alias as written when name is one split off this entity, else None."""
        key = name.strip().lower()
        for member in self.members(entity.id):
            found = self.splits.get(member, {}).get(key)
            if found is not None:
                return found
        return None

    # -- entities ----------------------------------------------------------------------------------

    def entities(
        self, entities: Sequence[Entity], known: Mapping[str, Entity] | None = None
    ) -> list[Entity]:
        """Entities as shown: merged ones joined into one (aliases, mentions, articles and roles
        together), hidden ones left out, types changed, split aliases taken off. ``known`` gives
        the survivor of a merge when it is not in the list (an article that names only the
        merged one)."""
        if not self.affects_entities:
            return list(entities)
        groups: dict[str, list[Entity]] = {}
        for e in entities:
            groups.setdefault(self.canon(e.id), []).append(e)
        out = []
        for root, members in groups.items():
            if self.is_hidden(root):
                continue
            head = next((e for e in members if e.id == root), None)
            if head is None:
                base = (known or {}).get(root)
                name, typ = (base.name, base.type) if base else self.names.get(root, ("", ""))
                head = Entity(root, name or members[0].name, typ or members[0].type)
            rest = [e for e in members if e is not head]
            drop = {k for m in self.members(root) for k in self.splits.get(m, {}) if k != head.name}
            aliases = {head.name} | set(head.aliases)
            for e in rest:
                aliases.add(e.name)
                aliases.update(e.aliases)
            aliases = {a for a in aliases if a.lower() not in drop}
            out.append(
                attrs.evolve(
                    head,
                    type=self.type_of(root, head.type),
                    aliases=tuple(sorted(aliases)),
                    mentions=sum(e.mentions for e in members),
                    articles=tuple(sorted({a for e in members for a in e.articles})),
                    roles=tuple(sorted({r for e in members for r in e.roles})),
                )
            )
        return out

    def split_entities(
        self, entities: Sequence[Entity], analyses: Callable[[str], Analysis | None]
    ) -> list[Entity]:
        """The entities aliases were split off into, counted from the mentions of the articles
        (``analyses``) of the entity they were split off; their mentions are taken off it."""
        if not self.splits:
            return list(entities)
        out = []
        for e in entities:
            keys = {k: v for m in self.members(e.id) for k, v in self.splits.get(m, {}).items()}
            if not keys:
                out.append(e)
                continue
            ids = set(self.members(e.id))
            found: dict[str, tuple[int, set[str]]] = {}
            for aid in e.articles:
                a = analyses(aid)
                for m in a.mentions if a is not None else ():
                    k = m.surface.strip().lower()
                    if m.entity_id in ids and k in keys:
                        n, arts = found.get(k, (0, set()))
                        found[k] = (n + 1, arts | {aid})
            taken = sum(n for n, _ in found.values())
            out.append(attrs.evolve(e, mentions=max(0, e.mentions - taken)))
            for k, (n, arts) in found.items():
                out.append(
                    Entity(split_id(e.id, k), keys[k], e.type, (keys[k],), n, tuple(sorted(arts)))
                )
        return out

    def split_roots(self) -> dict[str, dict[str, str]]:
        """Each entity (by the id it is shown under) that aliases were split off, with them
        (``{alias lower: alias}``); a hidden one's are left out, as its splits are not listed."""
        out: dict[str, dict[str, str]] = {}
        for target, keys in self.splits.items():
            root = self.canon(target)
            if not self.is_hidden(root):
                out.setdefault(root, {}).update(keys)
        return out

    def split_passages(
        self,
        generation: object,
        articles_of: Callable[[str], Iterable[str]],
        analyses: Callable[[Sequence[str]], Iterable[Analysis]],
    ) -> SplitPassages:
        """Where each split alias is written, so filters, counts, facts and field queries treat
        it as an entity of its own: the passages holding a mention of the entity it was split
        off written as the alias, and the passages naming that entity only through its split
        aliases (no longer its own). Read from the stored analyses of the entity's articles
        (``articles_of`` an entity id, ``analyses`` of article ids), once per ``generation`` of
        the index (this view is made again when the corrections change)."""
        cached = self._split_cache
        if cached is not None and cached[0] == generation:
            return cached[1]
        alias: dict[str, frozenset[str]] = {}
        only: dict[str, frozenset[str]] = {}
        parent: dict[str, str] = {}
        names: dict[str, str] = {}
        for root, keys in self.split_roots().items():
            ids = set(self.members(root))
            arts = sorted({a for i in ids for a in articles_of(i)})
            written: dict[str, set[str]] = {k: set() for k in keys}
            own: set[str] = set()  # passages naming it other than by a split alias
            seen: set[str] = set()
            for a in analyses(arts):
                for m in a.mentions:
                    if m.entity_id not in ids:
                        continue
                    seen.add(m.passage_id)
                    k = m.surface.strip().lower()
                    if k in keys:
                        written[k].add(m.passage_id)
                    else:
                        own.add(m.passage_id)
            for k, pids in written.items():
                sid = split_id(root, k)
                alias[sid] = frozenset(pids)
                parent[sid] = root
                names[sid] = keys[k]
            only[root] = frozenset(seen - own)
        result = SplitPassages(alias, only, parent, names)
        self._split_cache = (generation, result)
        return result

    def merge_groups(self) -> dict[str, list[str]]:
        """Each entity others were merged into, with every member (itself first)."""
        return {root: self.members(root) for root in sorted(set(self.merged.values()))}

    def facet_rows(
        self,
        facets: Mapping[str, Sequence[Any]],
        exact: Mapping[str, int] | None = None,
        splits: Mapping[str, tuple[str, str, int]] | None = None,
    ) -> dict[str, tuple[Any, ...]]:
        """Facet rows (seam.FacetRow) as shown: merged rows under the survivor, hidden ones left
        out, retyped ones under their new type's tab, each tab by count. A merged row counts the
        passages of any member: ``exact`` (by survivor id) when the engine counted them, else
        the sum of the members' rows (a passage naming two is counted twice). An entity aliases
        were split off counts without the passages that name it only through them (``exact``
        again), and each split alias is a row of its own (``splits``: split id -> (alias, id of
        the entity it was split off, passages)); a row left with no passage is dropped."""
        if not self.affects_entities:
            return {t: tuple(v) for t, v in facets.items()}
        rows: dict[str, Any] = {}
        for typ, group in facets.items():
            for r in group:
                root = self.canon(r.id)
                if self.is_hidden(root):
                    continue
                held = rows.get(root)
                if held is None:
                    name, t = (r.name, r.type)
                    if root != r.id:
                        name, t = self.names.get(root, (r.name, r.type))
                    rows[root] = attrs.evolve(
                        r, id=root, name=name, type=self.type_of(root, t or typ)
                    )
                else:
                    keep = held
                    if r.id == root:  # the survivor's own row names it
                        keep = attrs.evolve(held, name=r.name)
                    rows[root] = attrs.evolve(keep, count=held.count + r.count)
        out: dict[str, list[Any]] = {t: [] for t in facets}
        for root, n in (exact or {}).items():
            if root in rows:
                rows[root] = attrs.evolve(rows[root], count=n)
        for sid, (alias, root, n) in (splits or {}).items():
            # a row of the same class as the others, from its entity's (always counted where
            # the alias is, unless an engine's list of rows stopped short of it)
            like = rows.get(root) or next((r for g in facets.values() for r in g), None)
            if n > 0 and like is not None and not self.is_hidden(root):
                typ = self.type_of(root, self.names.get(root, ("", "MISC"))[1])
                if root in rows:
                    typ = rows[root].type
                rows[sid] = attrs.evolve(like, id=sid, name=alias, type=typ, count=n)
        for r in rows.values():
            if r.count > 0:
                out.setdefault(r.type, []).append(r)
        return {
            t: tuple(sorted(v, key=lambda r: (-r.count, r.name.lower()))) for t, v in out.items()
        }

    def mentions(self, mentions: Sequence[Mention]) -> tuple[Mention, ...]:
        """Mentions as shown: of the survivor of a merge, retyped; a hidden entity's unmarked."""
        if not self.affects_entities:
            return tuple(mentions)
        out = []
        split = self.split_roots()
        for m in mentions:
            root = self.canon(m.entity_id)
            if self.is_hidden(root):
                continue
            name = self.names.get(root, (m.name, m.type))[0] if root != m.entity_id else m.name
            typ = self.type_of(root, m.type)
            alias = split.get(root, {}).get(m.surface.strip().lower())
            if alias is not None:  # written as an alias split off: the split entity's mention
                root, name = split_id(root, alias), alias
            out.append(attrs.evolve(m, entity_id=root, name=name, type=typ))
        return tuple(out)

    # -- facts -------------------------------------------------------------------------------------

    def facts(self, facts: Iterable[Fact]) -> list[Fact]:
        """Facts as shown: the flagged ones left out."""
        return [f for f in facts if f.id not in self.flagged]


NONE = Corrections()


# -- where they are kept ---------------------------------------------------------------------------


class CorrectionStore(abc.ABC):
    """Where an engine keeps the entries: read, and changed atomically (read-modify-write)."""

    @abc.abstractmethod
    def load(self) -> list[Correction]: ...

    @abc.abstractmethod
    def change(self, fn: Callable[[list[Correction]], list[Correction]]) -> list[Correction]:
        """Apply fn to the entries and keep the result, with no other change in between."""

    @abc.abstractmethod
    def stamp(self) -> object:
        """A cheap token that changes when the entries do (so a reader knows to read them)."""

    def poll(self) -> None:
        """Look again for changes made elsewhere (a store whose stamp is cached)."""
        return None


class FileStore(CorrectionStore):
    """``corrections.json`` in an index folder, replaced atomically, changed under a lock of its
    own (``corrections.lock``): not the index's writer lock, so a correction can be made while
    ``newsdesk index`` runs, and indexing never touches it."""

    def __init__(self, folder: Path | str) -> None:
        self.path = Path(folder) / FILE
        self.lock = Path(folder) / "corrections.lock"

    def load(self) -> list[Correction]:
        try:
            return loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError, AttributeError) as exc:
            from newsdesk.index.errors import NewsdeskError

            raise NewsdeskError(f"cannot read {self.path}: {exc}") from None

    def stamp(self) -> object:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        fd = os.open(self.lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def change(self, fn: Callable[[list[Correction]], list[Correction]]) -> list[Correction]:
        with self._locked():
            entries = fn(self.load())
            fd, tmp = tempfile.mkstemp(prefix=".corrections.", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    out.write(dumps(entries))
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
            return entries


def next_number(entries: Sequence[Correction]) -> int:
    return max((c.n for c in entries), default=0) + 1


def check_type(text: str) -> str:
    """An entity type from its name or a tab's (people → PERSON); ValueError when none."""
    names = {"PEOPLE": "PERSON", "PERSONS": "PERSON", "ORGS": "ORG", "PLACES": "PLACE"}
    name = text.strip().upper()
    name = names.get(name, name)
    if name not in ENTITY_TYPES:
        raise ValueError(f"unknown type {text!r}: one of {', '.join(ENTITY_TYPES)}")
    return name
