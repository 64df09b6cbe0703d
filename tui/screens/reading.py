"""Reading from the main screen: the passage of the hit under the cursor (its hits, its facts), a
fact's detail and evidence, an entity's facts, and the citation of what is selected.

Every open bumps a sequence number; a load that finishes after a newer one started is dropped.
"""

from __future__ import annotations

import os
import re
import sys
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.widgets import OptionList

from newsdesk.index.model import Article, Evidence, Fact
from newsdesk.tui import served
from newsdesk.tui.citation import fact_citation, passage_citation
from newsdesk.tui.safe import one_line
from newsdesk.tui.scope import fact_clauses
from newsdesk.tui.screens.base import MainBase
from newsdesk.tui.screens.copies import CopiesScreen
from newsdesk.tui.widgets.facts import FactPane
from newsdesk.tui.widgets.passage import PassageView

if TYPE_CHECKING:
    from newsdesk.index.seam import ArticleView, Hit, Reader

OPEN_DELAY = 0.06
DOC_CACHE = 16


def passage_facts(doc: ArticleView, passage_id: str) -> list[Fact]:
    """The facts whose evidence is in the passage, in the article's order."""
    facts = [f for f in doc.facts if f.evidence.passage_id == passage_id]
    return sorted(facts, key=lambda f: (f.article_id, f.evidence.start, f.id))


class Reading(MainBase):
    """The passage view and the fact pane."""

    # -- the passage -------------------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#results")
    def _hit_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Show the hit's passage once the cursor rests (holding j does not load every one)."""
        if self._open_timer is not None:
            self._open_timer.stop()
        self._open_timer = self.set_timer(OPEN_DELAY, self._open_current)
        self.refresh_bindings()  # the copies key shows only on a hit with copies

    def _open_current(self) -> None:
        self._open_timer = None
        hit = self.results.current
        if hit is not None:
            self._open(hit.article_id, hit.passage_id)

    @on(OptionList.OptionSelected, "#results")
    def _hit_selected(self, event: OptionList.OptionSelected) -> None:
        self.history.add(self.search_box.value)
        self._focus_pane("passage")

    def _open(
        self,
        article_id: str,
        passage_id: str,
        evidence: Evidence | None = None,
        keep_facts: bool = False,
    ) -> None:
        self.selected = passage_id
        self._load_seq += 1
        result = self.result
        # the hits of the search on screen are marked with its terms (no second parse)
        terms = result.terms if result is not None and result.request == self._request else {}
        self._load(self._load_seq, article_id, passage_id, terms, evidence, keep_facts)

    @work(thread=True, exclusive=True, group="passage", exit_on_error=False)
    def _load(
        self,
        seq: int,
        article_id: str,
        passage_id: str,
        terms: dict[str, frozenset[str]],
        evidence: Evidence | None,
        keep_facts: bool,
    ) -> None:
        if seq != self._load_seq or passage_id != self.selected:
            return

        def fetch(e: Reader) -> tuple[ArticleView | None, list[Any], list[Fact] | None]:
            doc = self._docs.get(article_id) or e.article_view(article_id)
            if doc is None:
                return None, [], None
            spans = e.highlights(doc.article.text, terms) if terms else []
            facts = None if keep_facts else passage_facts(doc, passage_id)
            return doc, spans, facts

        try:
            doc, spans, facts = self._engine_call(fetch)
        except Exception as exc:
            self._from_thread(self.passage.show_message, f"cannot read the passage: {exc}")
            return
        self._from_thread(self._show_passage, seq, passage_id, doc, spans, facts, evidence)

    def _show_passage(
        self,
        seq: int,
        passage_id: str,
        doc: ArticleView | None,
        spans: list[Any],
        facts: list[Fact] | None,
        evidence: Evidence | None,
    ) -> None:
        if seq != self._load_seq or passage_id != self.selected:
            return  # a newer open superseded this load, or the passage was cleared
        view = self.passage
        if doc is None:
            self.doc = None
            view.show_message("This article is no longer in the index (r refreshes).")
            return
        self._remember(doc)
        self.doc = doc
        view.show(doc.article, doc.passages, passage_id, spans, doc.mentions, evidence)
        self._passage_subtitle()
        if facts is not None:
            ordinal = passage_id.rpartition("#")[2]
            self.fact_scope = "passage"
            self.fact_pane.set_facts(facts, f"¶{ordinal}" if ordinal.isdigit() else "passage")

    def _passage_subtitle(self, current: int | None = None) -> None:
        view = self.passage
        sel = next((p for p in view.passages if p.id == view.selected), None)
        parts = []
        if sel is not None:
            parts.append(f"¶{sel.ordinal}/{len(view.passages)}")
        if view.hits:
            n = len(view.hits)
            if current is not None:
                parts.append(f"hit {current + 1}/{n}")
            else:
                parts.append(f"{n} hit{'s' if n != 1 else ''}")
        view.border_subtitle = " · ".join(parts)

    @on(PassageView.HitMoved)
    def _hit_moved(self, event: PassageView.HitMoved) -> None:
        self._passage_subtitle(event.index)

    def _move_hit(self, step: int) -> None:
        if self.has_class("-narrow") and self.view != "passage":
            self._focus_pane("passage")
        if not self.passage.move_hit(step):
            self.notify("No hits in this passage's article", markup=False)

    def action_next_hit(self) -> None:
        self._move_hit(1)

    def action_prev_hit(self) -> None:
        self._move_hit(-1)

    # -- copies ------------------------------------------------------------------------------------

    def action_show_copies(self) -> None:
        """The copies of the selected hit (its near-duplicate group), one key away."""
        hit = self.results.current
        if hit is None or not self.ready:
            self.notify("No hit selected", markup=False)
            return
        if not hit.copies:
            self.notify("This hit has no copies", markup=False)
            return
        self._copies_load(hit)

    @work(thread=True, exclusive=True, group="copies", exit_on_error=False)
    def _copies_load(self, hit: Hit) -> None:
        def fetch(e: Reader) -> tuple[Article | None, list[Article]]:
            return e.article(hit.article_id), e.copies(hit.article_id)

        try:
            shown, copies = self._engine_call(fetch)
        except Exception as exc:
            self._from_thread(
                self.notify,
                one_line(f"cannot read the copies: {exc}"),
                severity="error",
                markup=False,
            )
            return
        self._from_thread(self._show_copies, hit, shown, copies)

    def _show_copies(self, hit: Hit, shown: Article | None, copies: list[Article]) -> None:
        if shown is None or not copies:
            self.notify("No copies of this hit in the index (r refreshes)", markup=False)
            return
        result = self.result
        terms = result.terms if result is not None and result.request == self._request else {}

        def closed(copy: Article | None) -> None:
            if copy is not None:
                self._open_copy(copy.id, terms, hit.ordinal)

        self.app.push_screen(CopiesScreen(shown, copies), closed)

    @work(thread=True, exclusive=True, group="copies", exit_on_error=False)
    def _open_copy(self, article_id: str, terms: dict[str, frozenset[str]], ordinal: int) -> None:
        """Open a copy at its first passage holding the query's words (else the hit's ordinal)."""

        def fetch(e: Reader) -> tuple[ArticleView | None, list[Any]]:
            doc = e.article_view(article_id)
            spans = e.highlights(doc.article.text, terms) if doc is not None and terms else []
            return doc, spans

        try:
            doc, spans = self._engine_call(fetch)
        except Exception as exc:
            self._from_thread(self.passage.show_message, f"cannot read the copy: {exc}")
            return
        if doc is None or not doc.passages:
            self._from_thread(self.notify, "This copy is no longer in the index", markup=False)
            return
        starts = [s.start for s in spans]
        with_hit = [p for p in doc.passages if any(p.start <= x < p.end for x in starts)]
        same = [p for p in doc.passages if p.ordinal == ordinal]
        passage = (with_hit or same or list(doc.passages))[0]
        self._from_thread(self._show_copy, doc, passage.id)

    def _show_copy(self, doc: ArticleView, passage_id: str) -> None:
        self._remember(doc)
        self._open(doc.article.id, passage_id)
        self._focus_pane("passage")

    # -- facts -------------------------------------------------------------------------------------

    @on(FactPane.Highlighted)
    def _fact_highlighted(self, event: FactPane.Highlighted) -> None:
        self._show_fact(event.fact)

    def _show_fact(self, fact: Fact | None) -> None:
        """The fact in the detail, its evidence marked with the article's mentions."""
        doc = self._docs.get(fact.article_id) if fact is not None else None
        self.fact_pane.show_detail(fact, doc.mentions if doc else ())
        if fact is not None and doc is None:
            self._fetch_doc(fact.article_id)

    @work(thread=True, exclusive=True, group="doc", exit_on_error=False)
    def _fetch_doc(self, article_id: str) -> None:
        def fetch(e: Reader) -> ArticleView | None:
            return e.article_view(article_id)

        try:
            doc = self._engine_call(fetch)
        except Exception:
            return
        if doc is not None:
            self._from_thread(self._doc_fetched, doc)

    def _doc_fetched(self, doc: ArticleView) -> None:
        self._remember(doc)
        fact = self.fact_pane.current
        if fact is not None and fact.article_id == doc.article.id:
            self.fact_pane.show_detail(fact, doc.mentions)

    def _remember(self, doc: ArticleView) -> None:
        self._docs[doc.article.id] = doc
        self._docs.move_to_end(doc.article.id)
        while len(self._docs) > DOC_CACHE:
            self._docs.popitem(last=False)

    @on(FactPane.Chosen)
    def _fact_chosen(self, event: FactPane.Chosen) -> None:
        self._show_evidence(event.fact)

    def action_evidence(self) -> None:
        fact = self.fact_pane.current
        if fact is None:
            self.notify("No fact selected", markup=False)
            return
        self._show_evidence(fact)

    def _show_evidence(self, fact: Fact) -> None:
        ev = fact.evidence
        doc = self.doc
        if doc is not None and doc.article.id == fact.article_id:
            self.selected = ev.passage_id
            self._load_seq += 1
            self.passage.show(
                doc.article, doc.passages, ev.passage_id, self.passage.hits, doc.mentions, ev
            )
            self._passage_subtitle()
        else:
            self._open(fact.article_id, ev.passage_id, evidence=ev, keep_facts=True)
        self._focus_pane("passage")

    def action_facts(self) -> None:
        pane = self._pane_of(self.focused)
        row = self.entity_pane.current if pane == "entities" else None
        if row is not None:
            self._entity_facts(row.name)
        elif self.fact_scope != "passage" and self.selected and self.doc is not None:
            self._open(self.doc.article.id, self.selected)
        self._focus_pane("facts")

    @work(thread=True, exclusive=True, group="facts", exit_on_error=False)
    def _entity_facts(self, name: str) -> None:
        """The entity's facts, restricted as the query restricts facts (who:, kind:)."""
        restrict = fact_clauses(self._request.text)
        try:
            facts = self._engine_call(lambda e: e.facts(restrict or None, entity=name))
        except Exception as exc:
            self._from_thread(self.notify, one_line(f"cannot read facts: {exc}"), markup=False)
            return
        self._from_thread(self._show_entity_facts, name, restrict, facts)

    def _show_entity_facts(self, name: str, restrict: str, facts: list[Fact]) -> None:
        self.fact_scope = "entity"
        label = one_line(name, 30) + (f" · {one_line(restrict, 30)}" if restrict else "")
        self.fact_pane.set_facts(facts, label)

    # -- copy --------------------------------------------------------------------------------------

    def action_open_source(self) -> None:
        """The open article's source URL in a browser: the person's own browser under serve, the
        desktop's when there is one; over SSH or on a bare console the URL is copied instead
        (a console browser would take over the terminal)."""
        doc = self.doc
        if doc is None:
            self.notify("Open a hit first", markup=False)
            return
        url = source_url(doc.article)
        if url is None:
            self.notify("This article has no web address", markup=False)
            return
        if served.served() or has_desktop():
            self.app.open_url(url)
            self.notify(one_line(url, 200), title="Opening", markup=False)
        else:
            self.app.copy_to_clipboard(url)
            self.notify(one_line(url, 200), title="No browser here: URL copied", markup=False)

    def action_copy_citation(self) -> None:
        fact = self.fact_pane.current
        in_facts = self._pane_of(self.focused) == "facts"
        doc = self.doc
        if fact is not None and (in_facts or self.selected is None):
            article = doc.article if doc and doc.article.id == fact.article_id else None
            if article is None:
                article = (
                    self._docs[fact.article_id].article if fact.article_id in self._docs else None
                )
            text = fact_citation(fact, article)
        elif doc is not None and self.selected is not None:
            passage = next((p for p in doc.passages if p.id == self.selected), None)
            if passage is None:
                self.app.bell()
                return
            text = passage_citation(passage.text, passage.id, doc.article)
        else:
            self.notify("Nothing to cite: select a hit or a fact", markup=False)
            return
        self.app.copy_to_clipboard(text)
        self.notify(one_line(text, 200), title="Copied citation", markup=False)


_WEB = re.compile(r"https?://[^\s\x00-\x1f\x7f]+\Z")


def source_url(article: Article) -> str | None:
    """The article's web address (its URL, else a source that is one): http(s) only, so a
    `file:` or `javascript:` value from an article never reaches a browser."""
    for value in (article.url, article.source):
        value = (value or "").strip()
        if _WEB.match(value):
            return value
    return None


def has_desktop() -> bool:
    """A browser can open beside the terminal: macOS, Windows, or a graphical session that is
    not reached over SSH."""
    if sys.platform in ("darwin", "win32"):
        return True
    if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"):
        return False
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
