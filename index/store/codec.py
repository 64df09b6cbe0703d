"""The stored extraction of an article (its Analysis: entities, mentions and facts) as compact
JSON, and back; the builder writes it, the readers and the benchmark read it."""

from __future__ import annotations

import json

from newsdesk.index.model import Analysis, Fact, converter, to_dict


def dump_analysis(analysis: Analysis) -> str:
    return json.dumps(to_dict(analysis), ensure_ascii=False, separators=(",", ":"))


def load_analysis(data: str) -> Analysis:
    result: Analysis = converter.structure(json.loads(data), Analysis)
    return result


def dump_fact(fact: Fact) -> str:
    return json.dumps(to_dict(fact), ensure_ascii=False)


def load_fact(data: str) -> Fact:
    result: Fact = converter.structure(json.loads(data), Fact)
    return result
