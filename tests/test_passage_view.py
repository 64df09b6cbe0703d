"""The passage view opened on a passage: the view never starts part-way through the article's
header (its title and its source line, which a long URL wraps over several lines) — issue 14, "a
passage view opened mid-way through a source URL" (Wikinews articles, whose source and licence
are URLs)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from newsdesk.index.model import Article, Passage
from newsdesk.tui.widgets.passage import PassageView

URL = "https://en.wikinews.org/wiki/Biologist_Nick_Bos_tells_Wikinews_about_%27self-medicating%27_ants"
LICENSE = (
    "CC BY 2.5 (Wikinews, https://en.wikinews.org/wiki/Wikinews:Copyright; attribution: "
    "Wikinews contributors)"
)
PARAGRAPHS = [
    f"Paragraph {i} says something about ants and the fungus that infects them, at some length."
    for i in range(1, 7)
]


def wikinews_like() -> tuple[Article, list[Passage]]:
    text = "\n\n".join(PARAGRAPHS)
    passages, start = [], 0
    for i, para in enumerate(PARAGRAPHS, start=1):
        passages.append(Passage(f"ants#{i}", "ants", i, para, start, start + len(para)))
        start += len(para) + 2
    article = Article(
        "ants",
        "Biologist Nick Bos tells Wikinews about 'self-medicating' ants",
        "2015-09-01",
        URL,
        LICENSE,
        "ants.txt",
        text,
    )
    return article, passages


class Viewer(App[None]):
    def compose(self) -> ComposeResult:
        yield PassageView(id="p")


def header_lines(view: PassageView) -> int:
    """The lines before the first passage: title, source line, the blank line after them."""
    return min(view._first_line[i] for i, b in enumerate(view._blocks) if b.passage_id) - 1


async def test_a_passage_opened_never_starts_the_view_inside_the_source_url() -> None:
    article, passages = wikinews_like()
    app = Viewer()
    for size in ((40, 12), (50, 14), (60, 10), (80, 24)):
        async with app.run_test(size=size) as pilot:
            view = app.query_one(PassageView)
            for p in passages:
                view.show(article, passages, p.id)
                await pilot.pause()
                head = header_lines(view)
                assert head >= 3, "the source line wraps at this width"
                top = view.scroll_offset.y
                assert top == 0 or top >= head, (size, p.id, top, head)
                # and the passage itself is in view
                first = next(
                    view._first_line[i] for i, b in enumerate(view._blocks) if b.passage_id == p.id
                )
                assert top <= first < top + view.scrollable_content_region.height, (size, p.id)
        app = Viewer()
