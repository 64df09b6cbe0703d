"""The user's corrections in queries, on both engines (the tree is Whoosh's; OpenSearch translates
it): entity filters and the entity fields (``person:``, ``org:``, ``place:``, ``misc:``,
``entity:``) find the entities as corrected, not as extraction wrote them.

- A merged entity: a filter or a field query on the survivor's name or a merged one's finds the
  passages of every member.
- A retyped entity: found by its new type's field (``person:X`` after ``type X PERSON``), no
  longer by the old one's.
- A hidden entity is no entity: a field query on its name finds nothing (its words still match
  as text), as it is in no tab and no filter.
- A split alias is an entity of its own: the passages that write it (a mention of the entity it
  was split off, written as the alias); the entity it was split off keeps the passages that name
  it otherwise.

Passages are named by id (``id`` on passages, ``passage_id`` on facts), as the index keeps only
the canonical names extraction gave: where an alias is written is read from the stored
analyses (``Corrections.split_passages``), once per index generation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from whoosh import query as wq

from newsdesk.index.corrections import Corrections, SplitPassages
from newsdesk.index.seam import Reader

FIELD_TYPE = {"person": "PERSON", "org": "ORG", "place": "PLACE", "misc": "MISC"}
ENTITY_FIELDS = (*FIELD_TYPE, "entity")
NO_ID = "\x00"  # a passage id nothing has: the query that matches nothing, on either engine


def nothing(id_field: str) -> wq.Query:
    return wq.Term(id_field, NO_ID)


def ids_query(id_field: str, ids: Iterable[str]) -> wq.Query:
    """The passages (or facts of the passages) of these ids; one ``terms`` query on OpenSearch."""
    keys = sorted(set(ids))
    if not keys:
        return nothing(id_field)
    return wq.ConstantScoreQuery(wq.Or([wq.Term(id_field, k) for k in keys]), 1.0)


def _any(fields: Sequence[str], names: Sequence[str]) -> wq.Query:
    terms: list[wq.Query] = [wq.Term(f, n) for n in names for f in fields]
    return terms[0] if len(terms) == 1 else wq.Or(terms)


def split_passages(reader: Reader) -> SplitPassages:
    """Where the split aliases are written, for the reader's index as it is now."""
    fixes = reader.corrections()

    def articles_of(entity_id: str) -> tuple[str, ...]:
        e = reader.entity_by_id(entity_id)
        return () if e is None else e.articles

    return fixes.split_passages(reader.generation, articles_of, reader.analyses)


def _member_names(reader: Reader, fixes: Corrections, root: str) -> list[str]:
    out = []
    for i in fixes.members(root):
        held = reader.entity_by_id(i)
        name = held.name if held is not None else fixes.names.get(i, ("", ""))[0]
        if name:
            out.append(name.lower())
    return list(dict.fromkeys(out))


def entity_query(
    reader: Reader, name: str, id_field: str = "id", fields: Sequence[str] = ("entity",)
) -> wq.Query:
    """The passages (``id_field="id"``) or facts (``"passage_id"``) of an entity as corrected:
    ``fields`` holding one of its names (and those merged into it), without the passages that
    name it only through aliases split off it; a split alias, the passages that write it."""
    keys = reader.filter_names(name)
    fixes = reader.corrections()
    if not fixes.splits:
        return _any(fields, keys)
    shown = reader.resolve_entity(name)
    if shown is None:
        return _any(fields, keys)
    found = split_passages(reader)
    if shown.id in found.alias:
        where = ids_query(id_field, found.alias[shown.id])
        if id_field == "id":  # a passage that writes it names the entity it was split off
            return where
        parent = _member_names(reader, fixes, found.parent[shown.id])
        return wq.And([_any(fields, parent), where]) if parent else where
    only = found.only.get(shown.id)
    if only:
        return wq.AndNot(_any(fields, keys), ids_query(id_field, only))
    return _any(fields, keys)


def _hidden_names(reader: Reader, fixes: Corrections) -> set[str]:
    return {n for h in fixes.hidden for n in _member_names(reader, fixes, h)}


def _field_term(
    reader: Reader, fixes: Corrections, hidden: set[str], node: wq.Term, id_field: str
) -> wq.Query | None:
    """What an entity field's term becomes under the corrections; None when they do not touch
    the entity it names (the term stays as it is)."""
    text = str(node.text).strip().lower()
    if text in hidden:
        return nothing(id_field)
    shown = reader.resolve_entity(text)
    if shown is None:
        return None
    found = split_passages(reader) if fixes.splits else None
    if found is not None and shown.id in found.alias:
        names = {shown.name.lower()}
        touched = True
    else:
        members = fixes.members(shown.id)
        names = {shown.name.lower(), *_member_names(reader, fixes, shown.id)}
        touched = (
            len(members) > 1
            or any(m in fixes.types for m in members)
            or (found is not None and found.touches(shown.id))
        )
    if text not in names or not touched:  # an alias, or an entity as extraction gave it
        return None
    field = node.fieldname
    if field != "entity" and FIELD_TYPE[field] != shown.type:
        return nothing(id_field)
    return entity_query(reader, text, id_field)


def corrected_fields(q: wq.Query, reader: Reader, id_field: str = "id") -> wq.Query:
    """The query with its entity-field terms on the entities as corrected (see the module)."""
    fixes = reader.corrections()
    if not fixes.affects_entities:
        return q
    hidden = _hidden_names(reader, fixes)
    memo: dict[tuple[str, str], wq.Query | None] = {}

    def fix(node: Any) -> Any:
        if type(node) is wq.Term and node.fieldname in ENTITY_FIELDS:
            if not isinstance(node.text, str):
                return node
            key = (node.fieldname, node.text)
            if key not in memo:
                memo[key] = _field_term(reader, fixes, hidden, node, id_field)
            out = memo[key]
            return node if out is None else out
        if node.is_leaf():
            return node
        return node.apply(fix)

    result: wq.Query = fix(q)
    return result
