"""PDF files, with pypdf: one article per file, its pages' text joined with a blank line between
pages and the offset where each page starts kept (``Article.pages``), so a passage and a
citation can name their page. Title, author and date from the document's metadata."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from newsdesk.index.ingest.fields import clean, derive_title, one_line
from newsdesk.index.ingest.problems import Item, Problem
from newsdesk.index.model import Article

# pypdf holds the file's cross-reference table and objects; reports and filings are a few MB.
MAX_PDF_BYTES = 256 * 1024 * 1024


def read_pdf(path: str, f: IO[bytes], size: int) -> Iterator[Item]:
    """The article of a PDF.

    An encrypted PDF that opens without a password is read; one that needs a password is a
    Problem, and so is a PDF with no text layer (scanned or image-only: it needs OCR first). A
    page whose text cannot be extracted is a Problem naming the page; the other pages are kept.
    """
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    if size > MAX_PDF_BYTES:
        msg = f"PDF too large ({size:,} bytes, at most {MAX_PDF_BYTES:,}), skipped"
        yield Problem(path, None, msg, True)
        return
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings would go to stderr
    try:
        reader = PdfReader(f, strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError) as e:
                msg = f"encrypted PDF that cannot be opened here ({e}), skipped"
                yield Problem(path, None, msg, True)
                return
            if not opened:
                msg = "encrypted PDF: it needs a password to be read, skipped"
                yield Problem(path, None, msg, True)
                return
        n_pages = len(reader.pages)
    except FileNotDecryptedError:
        yield Problem(path, None, "encrypted PDF: it needs a password to be read, skipped", True)
        return
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as e:
        detail = one_line(str(e))[:160] or type(e).__name__
        yield Problem(path, None, f"not a readable PDF ({detail}), skipped", True)
        return
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for number in range(1, n_pages + 1):
        try:
            page_text = clean(reader.pages[number - 1].extract_text() or "")
        except Exception as e:  # a broken content stream on one page
            detail = one_line(str(e))[:120] or type(e).__name__
            yield Problem(
                path, None, f"page {number}: text not readable ({detail}), skipped", False
            )
            page_text = ""
        start = pos + 2 if parts else pos  # a blank line between pages
        starts.append(start)  # an empty page starts where the next text will
        if page_text:
            parts.append(page_text)
            pos = start + len(page_text)
    text = "\n\n".join(parts)
    if not text.strip():
        msg = f"no text in the PDF ({n_pages} pages): scanned or image-only? OCR it first; skipped"
        yield Problem(path, None, msg, True)
        return
    meta = _metadata(reader)
    date = meta.get("date")
    yield Article(
        id=Path(path).stem,
        title=meta.get("title") or derive_title(text),
        date=date,
        source=meta.get("publisher", ""),
        license="",
        path=path,
        text=text,
        publisher=meta.get("publisher", ""),
        author=meta.get("author", ""),
        pages=tuple(starts),
    )


def _metadata(reader: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    try:
        info = reader.metadata
    except Exception:
        return out
    if not info:
        return out
    try:
        title = one_line(info.title)
        # A title that is only a file name ("Microsoft Word - draft3.docx") says nothing.
        if title and not title.lower().endswith((".doc", ".docx", ".pdf", ".indd")):
            out["title"] = title[:120]
        out["author"] = one_line(info.author)
        created = info.creation_date
        if created is not None:
            out["date"] = created.date().isoformat()
    except Exception:  # a malformed info dictionary: no metadata, the text is still read
        pass
    return out
