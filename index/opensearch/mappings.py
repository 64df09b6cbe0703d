"""The indices of a newsdesk cluster: names, aliases, analysers and explicit mappings.

Five indices per prefix, each a versioned name behind an alias (``newsdesk-passages`` →
``newsdesk-passages-v1``): ``passages`` (what search runs on), ``articles`` (metadata, text,
content hash, the stored extraction), ``entities`` (one document per entity *and article*: the
entity's counts are aggregated over these, so writers of different parts never update the same
document), ``facts`` and ``meta`` (the stamp, the commit log readers refresh on, writer leases).
A rebuild writes a new generation of names and swaps every alias in one ``_aliases`` call.

The analysers match Whoosh's: ``stemmed`` is Whoosh's StemmingAnalyzer (its regex tokenizer,
lowercase, its stop list and minimum length, a Porter stemmer); ``exact`` is its
StandardAnalyzer without stop words (quoted phrases run there). Entity, kind and speaker fields
are keywords under a lowercase normalizer (Whoosh's lowercase KEYWORD fields). Text scores with
Whoosh's BM25F formula (a scripted similarity, see BM25F_SCRIPT).
"""

from __future__ import annotations

from typing import Any

from whoosh.analysis import STOP_WORDS

# The mapping version: another one is refused with the command that rebuilds (2: provenance and
# near-duplicate groups on articles and passages).
FORMAT = 2
INDICES = ("passages", "articles", "entities", "facts")
META = "meta"
# Whoosh's RegexTokenizer default expression (java.util.regex with Unicode classes: \w as Python's)
TOKEN_PATTERN = r"[\w*]+(\.?[\w*]+)*"
# The fields of a Whoosh query tree and where they live in the passages / facts mappings.
PASSAGE_FIELDS = {"exact": "text.exact", "title_exact": "title.exact"}
FACT_FIELDS = {"title_exact": "title.exact"}
TITLE_BOOST = 1.5  # Whoosh's field_boost on title and title_exact
# Whoosh's BM25F, term by term, as a scripted similarity: its idf (log(N / (df + 1)) + 1), its
# field boost (which multiplies the term's frequency, not the score), B = 0.75 and K1 = 1.2, so
# both engines rank alike (Lucene's BM25 has another idf and boosts scores).
BM25F_SCRIPT = (
    "double tf = doc.freq * {boost};"
    " double idf = Math.log(field.docCount / (term.docFreq + 1.0)) + 1.0;"
    " double avg = field.docCount > 0 ? (double) field.sumTotalTermFreq / field.docCount : 1.0;"
    " double norm = {k1} * ((1 - {b}) + {b} * doc.length / (avg > 0 ? avg : 1.0));"
    " return query.boost * idf * (tf * ({k1} + 1)) / (tf + norm);"
)


def _similarity(boost: float) -> dict[str, Any]:
    source = BM25F_SCRIPT.format(boost=float(boost), k1=1.2, b=0.75)
    return {"type": "scripted", "script": {"source": source}}


def alias(prefix: str, name: str) -> str:
    return f"{prefix}-{name}"


def concrete(prefix: str, name: str, generation: str) -> str:
    return f"{prefix}-{name}-{generation}"


def _analysis() -> dict[str, Any]:
    return {
        "tokenizer": {
            "whoosh_words": {
                "type": "pattern",
                "pattern": TOKEN_PATTERN,
                "group": 0,
                "flags": "UNICODE_CHARACTER_CLASS",
            }
        },
        "filter": {
            "whoosh_stop": {"type": "stop", "stopwords": sorted(STOP_WORDS)},
            "whoosh_min": {"type": "length", "min": 2},
            "porter": {"type": "stemmer", "language": "porter"},
        },
        "analyzer": {
            "stemmed": {
                "type": "custom",
                "tokenizer": "whoosh_words",
                "filter": ["lowercase", "whoosh_stop", "whoosh_min", "porter"],
            },
            "exact": {"type": "custom", "tokenizer": "whoosh_words", "filter": ["lowercase"]},
        },
        "normalizer": {"lower": {"type": "custom", "filter": ["lowercase"]}},
    }


_KEYWORD = {"type": "keyword"}
_LOWER = {"type": "keyword", "normalizer": "lower"}
_STORED = {"type": "text", "index": False}  # kept in _source, never searched
_STORED_INT = {"type": "integer", "index": False, "doc_values": False}
_DATE = {"type": "date", "format": "strict_date_optional_time||yyyy-MM-dd"}


def _stemmed(exact: bool = True, title: bool = False) -> dict[str, Any]:
    sim = "whoosh_title" if title else "whoosh"
    field: dict[str, Any] = {"type": "text", "analyzer": "stemmed", "similarity": sim}
    if exact:
        field["fields"] = {"exact": {"type": "text", "analyzer": "exact", "similarity": sim}}
    return field


def _entity_keywords() -> dict[str, Any]:
    return {name: _LOWER for name in ("person", "org", "place", "misc", "entity", "kind", "who")}


def mapping(name: str) -> dict[str, Any]:
    """The explicit mapping of one index (strict: a field not named here is refused)."""
    props: dict[str, Any]
    if name == "passages":
        props = {
            "id": _KEYWORD,
            "article_id": _KEYWORD,
            "ordinal": {"type": "integer"},
            "start": _STORED_INT,
            "end": _STORED_INT,
            "text": _stemmed(),
            "title": _stemmed(title=True),
            "date": _DATE,
            "hash": {"type": "keyword", "index": False},
            "ents": _KEYWORD,
            # the near-duplicate group (search folds a group's copies into one hit), "1" on the
            # passages of copies, and the provenance a hit shows (url, page, publisher, …)
            "group": _KEYWORD,
            "dup": _KEYWORD,
            "prov": {"type": "object", "enabled": False},
            **_entity_keywords(),
        }
    elif name == "articles":
        props = {
            "id": _KEYWORD,
            "path": {"type": "keyword", "index": False},
            "hash": {"type": "keyword", "index": False},
            "title": _STORED,
            "date": {"type": "keyword", "index": False},
            "source": _STORED,
            "license": _STORED,
            "text": _STORED,
            "passages": _STORED,
            "analysis": _STORED,
            # provenance (model.Article), the near-duplicate group (Reader.copies looks it up)
            # and the duplicate signature (Writer.known gives it back to the builder)
            "url": _STORED,
            "publisher": _STORED,
            "author": _STORED,
            "captured": {"type": "keyword", "index": False},
            "locator": _STORED,
            "pages": _STORED_INT,
            "group": _KEYWORD,
            "minhash": {"type": "binary"},
        }
    elif name == "entities":
        props = {
            "entity_id": _KEYWORD,
            "article_id": _KEYWORD,
            "name": _KEYWORD,
            "type": _KEYWORD,
            "aliases": _KEYWORD,
            "names": _LOWER,
            "mentions": {"type": "integer"},
        }
    elif name == "facts":
        props = {
            "id": _KEYWORD,
            "article_id": _KEYWORD,
            "passage_id": _KEYWORD,
            "text": _stemmed(exact=False),
            "exact": {"type": "text", "analyzer": "exact", "similarity": "whoosh"},
            "title": _stemmed(title=True),
            "date": _DATE,
            "data": _STORED,
            "ord": {"type": "integer"},
            **_entity_keywords(),
        }
    elif name == META:
        props = {
            "kind": _KEYWORD,
            "nlp": _KEYWORD,
            "updated": _KEYWORD,
            "owner": _KEYWORD,
            "expires": {"type": "double"},
            "at": {"type": "double"},
        }
    else:
        raise KeyError(name)
    return {"dynamic": "strict", "_meta": {"newsdesk_format": FORMAT}, "properties": props}


def body(name: str, shards: int, replicas: int) -> dict[str, Any]:
    """The create-index body: settings (shards, replicas, analysis) and the mapping."""
    return {
        "settings": {
            "index": {
                "number_of_shards": 1 if name == META else shards,
                "number_of_replicas": replicas,
                "refresh_interval": "1s",
            },
            "analysis": _analysis(),
            "similarity": {
                "whoosh": _similarity(1.0),
                "whoosh_title": _similarity(TITLE_BOOST),
            },
        },
        "mappings": mapping(name),
    }
