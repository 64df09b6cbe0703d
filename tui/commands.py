"""The command palette's newsdesk commands (ctrl+p), next to Textual's own (theme, keys, quit).

Entity names come from the index, so they are shown as literal Content and never put where the
palette would parse markup (its help text and its default highlighter do).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from newsdesk.index.model import ENTITY_TYPES
from newsdesk.tui.safe import one_line
from newsdesk.tui.screens.main import MainScreen
from newsdesk.tui.served import served
from newsdesk.tui.widgets.marks import GLYPH

MAX_ENTITIES = 60


class NewsdeskCommands(Provider):
    """Commands of the main screen."""

    def _screen(self) -> MainScreen | None:
        screen = self.screen
        return screen if isinstance(screen, MainScreen) else None

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        screen = self._screen()
        if screen is None:
            return
        yield "Search", "Go to the search box", screen.action_focus_search
        yield "Help: keys and query syntax", "Every key and the query syntax", screen.action_help
        yield (
            "Copy citation",
            "Statement, title, date, source, passage id",
            (screen.action_copy_citation),
        )
        yield "Facts of the selection", "Facts of the passage or entity", screen.action_facts
        yield "Show evidence of the fact", "Jump to the evidence sentence", screen.action_evidence
        yield "Remove all entity filters", "Search without entity filters", screen.clear_filters
        yield (
            "Toggle the entity pane",
            "Show or hide People/Orgs/Places/Misc",
            partial(screen.action_toggle_pane, "entities"),
        )
        yield (
            "Toggle the fact pane",
            "Show or hide the facts",
            partial(screen.action_toggle_pane, "facts"),
        )
        yield (
            "Copies of the hit",
            "The near-duplicates folded into the selected hit (+N copies)",
            screen.action_show_copies,
        )
        yield (
            "Facts table of the results",
            "Who said what, when, about whom, across the hits",
            screen.action_facts_table,
        )
        yield "Results: one line a hit", "Compact results on or off", screen.action_toggle_compact
        yield (
            "Results: change the order",
            "Relevance, newest first, by article",
            screen.action_cycle_sort,
        )
        for name, help_text, callback in screen.saved_commands():
            yield name, help_text, callback  # type: ignore[misc]
        yield (
            "Corrections…",
            "Merged, split, hidden and retyped entities, flagged facts: choose one to undo it",
            screen.show_corrections,
        )
        yield "Refresh the index", "Pick up articles indexed since", screen.action_refresh_index
        if not served():  # a browser session stays on the index it was served
            yield "Open another index…", "Switch to another index folder", screen.ask_open_index
        for name, callback, help_text in screen.export_commands():
            yield name, help_text, callback

    def _entities(self) -> Iterator[tuple[Content, str, Callable[[], object]]]:
        screen = self._screen()
        if screen is None:
            return
        rows = [r for t in ENTITY_TYPES for r in screen.entity_rows(t)[:MAX_ENTITIES]]
        for r in rows:
            name = one_line(r.name, 60)
            prompt = Content.assemble("Filter by ", (name, ""), f" {GLYPH.get(r.type, '■')}")
            yield prompt, name, partial(screen.add_filter, r.name)

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, _highlight(matcher, name), callback, help=help_text)
        for prompt, name, callback in self._entities():
            score = matcher.match("Filter by " + name)
            if score > 0:
                yield Hit(score, prompt, callback, text="Filter by " + name)


def _highlight(matcher: object, name: str) -> Content:
    """Our own command names are plain words: the default highlighter is safe on them."""
    highlight = getattr(matcher, "highlight", None)
    return highlight(name) if callable(highlight) else Content(name)
