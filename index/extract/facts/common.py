"""What both fact extractors share: drafts, verb lists, quotation spans, date spans, sentences."""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from newsdesk.index.extract.facts.refs import SOURCE, Actor

# Verbs that introduce speech or a stated position (REPORT, and QUOTE attribution).
SPEECH_VERBS = frozenset(
    """say tell add state write explain ask reply note continue warn declare insist comment
    describe announce claim quote respond remark conclude argue acknowledge admit confirm
    assert report recall tweet post testify urge call""".split()
)
REPORT_VERBS = frozenset(
    """say tell state report allege warn announce claim deny confirm reveal suggest believe
    admit insist accuse acknowledge estimate predict argue write add note explain indicate
    disclose assert maintain contend testify vow pledge threaten promise declare conclude
    reject dismiss refute concede caution forecast repeat reiterate stress emphasize
    emphasise signal hint find show reply respond answer retort counter remark comment
    complain observe recall tweet""".split()
)
NEGATING_VERBS = frozenset({"deny", "refute", "reject", "dismiss"})
# Verbs that attribute a stance to their subject without reporting words ("X accused Y of …",
# "A, B and C condemned …"): a REPORT whose predicate is the cue. Lemmas, matched by
# ``parsed.cue_matcher`` with the multi-word cues ("call for", "express concern").
CUE_VERBS = frozenset(
    """accuse praise back criticize criticise condemn urge welcome blast slam denounce applaud
    endorse support oppose blame thank demand dispute hail commend laud decry lament rebuke
    reject dismiss warn insist vow deny confirm announce claim pledge promise threaten
    acknowledge admit allege defend""".split()
)
# Cue verbs with a physical sense too ("storms blasted the coast", "troops defended the town"):
# a cue only when a named person, organisation or country is the speaker.
PHYSICAL_CUES = frozenset("back support blast slam hail defend promise threaten".split())
# Nouns naming what a speaker issued ("the full statement from X:", "remarks by X", "X's
# report").
STATEMENT_NOUNS = frozenset(
    """statement remark comment testimony message letter transcript speech address text email
    memo post tweet report study analysis survey poll website filing lawsuit suit complaint
    indictment""".split()
)
# Predicates that make an EVENT worth keeping even without a named subject.
EVENT_VERBS = frozenset(
    """agree meet establish sign sanction attack steal kill arrest launch announce win elect
    resign acquire buy sell merge sue charge convict sentence release fire hire appoint
    invade strike bomb hack ban approve reject vote pass raise cut cancel close open found
    create form build deploy send evacuate rescue retaliate exchange capture seize detain
    free expel withdraw visit host hold invest pay fine lose spend borrow lend announce
    delay postpone suspend recall ship introduce unveil step quit leave join replace
    die injure wound destroy damage crash collapse explode fall rise drop climb gain
    decline""".split()
)
STOP_PREDICATES = frozenset(
    """be seem appear become remain do get let make take give see look feel keep use know
    want need try mean""".split()
)

DATE_LABELS = frozenset({"DATE", "TIME"})
VALUE_LABELS = frozenset({"MONEY", "PERCENT", "QUANTITY"})

_MON = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WD = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
DATE_RE = re.compile(
    r"\b(?:"
    r"(?:(?:last|this|next|past) )?" + _WD + r"(?: (?:morning|afternoon|evening|night))?"
    r"|" + _MON + r" \d{1,2}(?:st|nd|rd|th)?(?:,? (?:1[6-9]|20)\d\d)?"
    r"|\d{1,2}(?:st|nd|rd|th)? (?:of )?" + _MON + r"(?:,? (?:1[6-9]|20)\d\d)?"
    r"|" + _MON + r",? (?:1[6-9]|20)\d\d"
    r"|(?:[Ll]ast|[Tt]his|[Nn]ext|[Ee]arlier this|[Ll]ater this) (?:week|month|year|quarter|weekend|"
    + _MON
    + r")"
    r"|(?:the )?(?:past|last) (?:\w+ )?(?:days|weeks|months|years)"
    r"|the past (?:week|month|year)"
    r"|(?:[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight)"
    r"|(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several) "
    r"(?:days|weeks|months|years) ago"
    r"|(?:in|In|since|Since|by|By|until|during|of|early|late|mid-) ?(?:1[6-9]|20)\d\d"
    r"|(?:the )?(?:1[6-9]|20)\d0s"
    r"|(?:quarterly|weekly|monthly|annually|yearly)"
    r"|\d{4}-\d\d-\d\d"
    r")\b"
)


@attrs.define
class Quote:
    start: int  # the quoted words (inside the marks)
    end: int
    outer_start: int  # with the marks
    outer_end: int
    # a layout without marks ("PENCE: …", a statement after "As stated by X:") knows its speaker
    speakers: list[Actor] = attrs.field(factory=list)
    intro: int = -1  # where the line introducing it starts (kept in the evidence), else -1
    layout: str = "marks"  # marks | colon | heading


@attrs.define
class Draft:
    """A fact before dating, numbering and evidence lookup."""

    kind: str
    who: list[Actor]
    predicate: str
    object: str
    statement: str
    start: int  # evidence span (sentence or sentences) in the article text
    end: int
    method: str
    confidence: float
    negated: bool = False
    where: list[str] = attrs.field(factory=list)
    attributed_to: list[str] = attrs.field(factory=list)
    # candidate time expressions, best first: (start, end, spoken of as ahead)
    dates: list[tuple[int, int, bool]] = attrs.field(factory=list)
    # what qualifies it besides negation (see ``modality``) and the words that do
    conditional: bool = False
    hedged: bool = False
    future: bool = False
    qualified_by: str = ""


def find_quotes(text: str, min_words: int = 4, max_chars: int = 3000) -> list[Quote]:
    """Direct quotations, in text order, with short scare quotes (fewer than ``min_words``
    words) left out.

    “Curly” quotations may run over paragraphs, up to their closing mark (when no other opening
    mark comes first); one left open ends with its paragraph. "Straight" pairs are matched within
    a paragraph. Of either kind, one left open at a paragraph's end runs into a quotation opening
    the next paragraph (the typographic convention for a quotation over several paragraphs: the
    closing mark only on the last)."""
    paras = list(_paragraphs(text))
    curly: list[Quote] = []
    i = text.find("\u201c")
    while i != -1:
        j = text.find("\u201d", i + 1)
        k = text.find("\u201c", i + 1)
        pend = next((e for s, e in paras if s <= i < e), len(text))
        if j != -1 and (k == -1 or j < k) and j - i <= max_chars:
            curly.append(Quote(i + 1, j, i, j + 1))
        else:
            end = min(pend, k) if k != -1 else pend
            curly.append(Quote(i + 1, end, i, end))
        i = k
    straight: list[Quote] = []
    for pstart, pend in paras:
        para = text[pstart:pend]
        i = para.find('"')
        while i != -1:
            if i > 0 and para[i - 1].isalnum():  # 12" and the like
                i = para.find('"', i + 1)
                continue
            j = para.find('"', i + 1)
            if j == -1:
                straight.append(Quote(pstart + i + 1, pend, pstart + i, pend))
                break
            straight.append(Quote(pstart + i + 1, pstart + j, pstart + i, pstart + j + 1))
            i = para.find('"', j + 1)
    quotes = sorted(
        _join_runs(text, curly) + _join_runs(text, straight), key=lambda q: q.outer_start
    )
    out: list[Quote] = []
    for q in quotes:
        if out and q.outer_start < out[-1].outer_end:
            continue  # nested or overlapping: the outer one counts
        out.append(q)
    return [q for q in out if len(text[q.start : q.end].split()) >= min_words]


def _join_runs(text: str, quotes: list[Quote]) -> list[Quote]:
    """An unclosed quotation at a paragraph's end runs into a quotation opening the next one."""
    out: list[Quote] = []
    for q in quotes:
        if out:
            prev = out[-1]
            gap = text[prev.outer_end : q.outer_start]
            if prev.outer_end == prev.end and not gap.strip() and "\n" in gap:
                out[-1] = Quote(prev.start, q.end, prev.outer_start, q.outer_end)
                continue
        out.append(q)
    return out


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for m in re.finditer(r"\n\s*\n", text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


_SENT_END = re.compile(r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bNo)"
                       r"[.!?]+[\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")  # fmt: skip


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans for the rules mode: line breaks end sentences, and so do . ! ? before a
    capital letter (not after initials or Mr/Dr/St...)."""
    out: list[tuple[int, int]] = []
    for lm in re.finditer(r"[^\n]+", text):
        line_start = lm.start()
        line = lm.group()
        s = 0
        for m in _SENT_END.finditer(line):
            end = m.start() + len(m.group().rstrip())
            _add(out, text, line_start + s, line_start + end)
            s = m.end()
        _add(out, text, line_start + s, line_start + len(line))
    return out


def _add(out: list[tuple[int, int]], text: str, a: int, b: int) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append((a, b))


def clip(text: str, limit: int = 200) -> str:
    """One line, at most ``limit`` characters (cut at a word, with an ellipsis)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def names(actors: list[Actor]) -> str:
    """The actors as a statement names them; one a source phrase already names is not said
    twice ("officials in Tokyo", not "officials in Tokyo, Tokyo")."""
    phrases = [a[0] for a in actors if a[1] == SOURCE]
    return ", ".join(
        a[0]
        for a in actors
        if a[1] == SOURCE or not any(re.search(rf"\b{re.escape(a[0])}\b", p) for p in phrases)
    )
