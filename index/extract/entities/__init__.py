"""Canonical entities: spans from spaCy (or gazetteers in rules mode) turned into mentions of
article-local entities with canonical names, merged aliases and fixed types.

Pipeline for one article (spaCy mode):

1. candidates: named-entity spans, with the model's cuts repaired ("Bureau of Alcohol, Tobacco,
   Firearms and Explosives", "Port Authority of New York and New Jersey", "Office of the ..."),
   trimmed (leading 'the', possessives, punctuation; split at list commas and at "North and
   South Korea"); roles before names ("Deputy Secretary of Commerce Linda Haverford": the person
   with that role, the role's words no entity); types from the sentence (storms, summits,
   "the X malware", "posted on X", coordinated names); gazetteer places the model missed (spaCy's
   PhraseMatcher), "the town of X", and possessive-place nominal organisations ("South Korea's
   presidential office"). Kinds of words type a span whatever the model said: job titles, staff
   and fields of study are no organisation ("the Operations Engineer", "Senior Plant
   Management", "Economics"; a ministry's portfolio belongs to the role: "Economics Minister");
   event words ("Jubilee", "Carnival of ...", "Paralympic"), facilities and coasts ("Power
   Station", "East Coast"), versions ("Windows XP"), what only a company owns ("Cisco's
   shareholders", "Ryanair shares"), acronyms the gazetteer does not know as places; "and" in
   another language inside a bank's name ("Yapi ve Kredi Bankasi"), a compass word cut from its
   place ("South-east" + "Asia"), "the merger of A and B" cut in two, a company's product after
   its possessive ("Apple Computer's Mac OS"); a genus before its Latin species ("Formica
   fusca"); names the wire wrote in lowercase, capitalised when the gazetteer, the article or a
   role before them vouches for them ("finance minister domingo cordovez", "to quito"); a role
   with two portfolios ("trade and industry secretary");
2. ``canonical``: each span alone -> (name, type) with gazetteers (countries, codes, demonyms,
   cities, states, regions, known organisations), titles stripped from people, junk dropped;
3. article context: acronyms defined in the text ("Federal Bureau of Investigation (FBI)"),
   stock tickers after a name ("General Motors Corp <GM>"), acronyms matching an organisation's
   initials (its legal form left out), later short mentions of people ("Neuberger"), short
   forms of longer organisation names ("Air Force"; "Drexel" tagged PERSON after "Drexel
   Burnham Lambert Inc"), of facilities ("Peach Bottom"), definite back-references ("the
   office"), an acronym tagged as an organisation that spells out capitalised words of no organisation is
   that thing ("IE" of "Internet Explorer", "ROS" of "Reactive Oxygen Species");
4. types by vote (gazetteer knowledge wins), low-confidence organisations demoted, ids made; in
   an article about software or devices, a one-word 'person' that is an English common noun
   (the lemmatizer's word index, ``index.lexicon``) with no given name, role or speech verb is a
   product ("Spotlight", "Dashboard").

Types are PERSON, ORG, PLACE and MISC; dates, times, money, quantities and numbers are left to
the facts extractor. Nothing here imports spaCy: ``doc`` is only read.

Across articles, ``link_people`` names a one-word person by the one full name the corpus holds
for it ('Obama' -> 'Barack Obama'); the store calls it when it writes an article.

Modules, each importing only those listed before it: ``words`` (word lists), ``names`` (one
span without context: ``clean``, ``group_key``, ``canonical``), ``spans`` (a token range -> a
candidate), ``roles`` (roles before names), ``context`` (types from the sentence),
``candidates`` (all candidates of an article), ``resolve`` (article context, votes,
``extract_entities``, ``merge_entities``, ``link_people``).
"""

from __future__ import annotations

from newsdesk.index.extract.entities.names import canonical, clean, entity_id, group_key, slug
from newsdesk.index.extract.entities.resolve import extract_entities, link_people, merge_entities
from newsdesk.index.extract.entities.words import TYPES

__all__ = [
    "TYPES",
    "canonical",
    "clean",
    "entity_id",
    "extract_entities",
    "group_key",
    "link_people",
    "merge_entities",
    "slug",
]
