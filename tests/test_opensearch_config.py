"""The OpenSearch engine without a cluster: locations, credentials, and the query translation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsdesk.index.engines import is_cluster
from newsdesk.index.errors import QueryError
from newsdesk.index.opensearch import config
from newsdesk.index.opensearch.mappings import PASSAGE_FIELDS
from newsdesk.index.opensearch.translate import Translator, raw_builder, unstemmed
from newsdesk.index.store.schema import passage_schema


def test_a_location_is_a_folder_or_a_url() -> None:
    assert is_cluster("http://127.0.0.1:9200") and is_cluster("HTTPS://search.example:443")
    assert not is_cluster("/var/index") and not is_cluster(Path("http:/x"))


def test_settings_from_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("USER", "PASSWORD", "API_KEY", "VERIFY", "CA_CERTS"):
        monkeypatch.delenv(config.ENV_PREFIX + var, raising=False)
    s = config.parse("https://search.example?prefix=News_1&shards=3&replicas=2")
    assert (s.scheme, s.host, s.port, s.prefix, s.shards, s.replicas) == (
        "https",
        "search.example",
        443,
        "news_1",
        3,
        2,
    )
    assert s.verify_certs and s.username is None
    assert config.parse("http://h").port == 9200 and config.parse("http://h").prefix == "newsdesk"
    for bad in ("http://h?prefix=-x", "http://h/some/path", "ftp://h", "http://h?shards=0"):
        with pytest.raises(config.EngineConfigError):
            config.parse(bad)


def test_credentials_come_from_the_environment_or_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conf = tmp_path / "config.toml"
    conf.write_text(
        '[opensearch]\nusername = "reader"\npassword = "from-file"\nverify_certs = false\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("NEWSDESK_CONFIG", str(conf))
    s = config.parse("https://h:9200")
    assert (s.username, s.password, s.verify_certs) == ("reader", "from-file", False)
    monkeypatch.setenv("NEWSDESK_OPENSEARCH_PASSWORD", "from-env")
    monkeypatch.setenv("NEWSDESK_OPENSEARCH_VERIFY", "1")
    s = config.parse("https://h:9200")
    assert (s.username, s.password, s.verify_certs) == ("reader", "from-env", True)
    assert "from-env" not in repr(s) and "from-env" not in s.location


def test_credentials_in_the_url_are_refused_without_repeating_them() -> None:
    with pytest.raises(config.EngineConfigError) as info:
        config.parse("http://admin:pa55word@h:9200")
    assert "pa55word" not in str(info.value) and "NEWSDESK_OPENSEARCH_USER" in str(info.value)


def test_a_client_error_never_shows_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_OPENSEARCH_USER", "u")
    monkeypatch.setenv("NEWSDESK_OPENSEARCH_PASSWORD", "pa55word")
    s = config.parse("http://h:9200")

    class Boom(Exception):
        status_code = 500
        error = "the server said pa55word"

    text = config.describe(Boom(), s)
    assert "pa55word" not in text and "***" in text


# -- the query translation -------------------------------------------------------------------------


def dsl(text: str, fallback: bool = False) -> dict[str, Any]:
    schema = passage_schema()
    tree = raw_builder(schema).parse(text, fallback=fallback)
    return Translator(unstemmed(schema), PASSAGE_FIELDS)(tree)


def clauses(q: Any, kind: str) -> list[dict[str, Any]]:
    """Every clause of a kind (match, match_phrase, term, …) anywhere in a query, in order."""
    found: list[dict[str, Any]] = []
    if isinstance(q, dict):
        for key, value in q.items():
            if key == kind:
                found.append(value)
            found += clauses(value, kind)
    elif isinstance(q, list):
        for item in q:
            found += clauses(item, kind)
    return found


def test_words_are_matched_by_the_index_analyser() -> None:
    q = dsl("thefts")
    # the typed word, for OpenSearch to stem as it stemmed the text
    assert {"text": {"query": "thefts", "boost": 1.0}} in clauses(q, "match")
    assert all(m[f]["query"] == "thefts" for m in clauses(q, "match") for f in m)


def test_all_words_then_the_proximity_boost() -> None:
    q = dsl("crypto theft")
    required = q["bool"]["must"][0]
    assert len(required["bool"]["must"]) == 2  # both words required
    (near,) = clauses(q, "intervals")
    assert near["text"]["match"] == {"query": "crypto theft", "max_gaps": 8, "ordered": False}
    alt = dsl("crypto theft", fallback=True)["bool"]["must"][0]
    assert alt["bool"]["minimum_should_match"] == 1 and len(alt["bool"]["should"]) == 2


def test_phrases_fields_ranges_and_logic() -> None:
    phrases = clauses(dsl('"joint statement"'), "match_phrase")
    assert {"text.exact": {"query": "joint statement", "slop": 0, "boost": 1.0}} in phrases
    assert dsl('person:"Anne Neuberger"') == {
        "term": {"person": {"value": "anne neuberger", "boost": 1.0}}
    }
    (date,) = clauses(dsl("date:[2023-01 TO 2023-06]"), "range")
    assert date["date"]["gte"].startswith("2023-01-01")
    assert date["date"]["lte"].startswith("2023-06-30")
    neg = dsl("rates NOT september")
    assert [list(m) for m in clauses(neg, "must_not")] and clauses(
        clauses(neg, "must_not"), "match"
    ) == [{"text": {"query": "september", "boost": 1.0}}]
    assert {"text": {"value": "payl", "boost": 1.0}} in clauses(dsl("payl*"), "prefix")


def test_bad_syntax_is_the_same_error() -> None:
    with pytest.raises(QueryError):
        dsl("date:foo japan")
