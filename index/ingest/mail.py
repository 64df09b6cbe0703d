"""Email, with the standard library: one ``.eml`` message a file, or an ``.mbox`` mailbox (one
article per message, read one message at a time: ``mailbox`` keeps only each message's offsets,
so memory stays bounded by the largest message). The subject is the title, the sender the author
(and publisher: a press office, a newsletter), the Date header the date; the plain-text body,
else the HTML body's text."""

from __future__ import annotations

import email
import email.policy
import email.utils
import mailbox
import re
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import IO

from newsdesk.index.ingest.fields import clean, derive_title, one_line
from newsdesk.index.ingest.html import fragment_text, record_id, unique
from newsdesk.index.ingest.problems import Item, Problem
from newsdesk.index.model import Article

# A message past this (an attachment-laden one) is skipped unread.
MAX_MESSAGE_BYTES = 32 * 1024 * 1024


def read_eml(path: str, f: IO[bytes], size: int) -> Iterator[Item]:
    """The article of one ``.eml`` message; its id is the file's stem."""
    if size > MAX_MESSAGE_BYTES:
        msg = f"message too large ({size:,} bytes, at most {MAX_MESSAGE_BYTES:,}), skipped"
        yield Problem(path, None, msg, True)
        return
    message = email.message_from_binary_file(f, policy=email.policy.default)
    yield from _article(message, Path(path).stem, path, "", None)


def read_mbox(path: str) -> Iterator[Item]:
    """Articles from an mbox mailbox, one per message (``message N`` in its provenance).

    A message with no text, or one that cannot be parsed, is a Problem naming it; the rest of
    the mailbox is read.
    """
    try:
        box = mailbox.mbox(path, create=False)
    except (OSError, mailbox.Error) as e:
        yield Problem(path, None, f"cannot open the mailbox ({e}), skipped", True)
        return
    stem = Path(path).stem
    ids: dict[str, int] = {}
    n = 0
    try:
        for n, key in enumerate(box.iterkeys(), start=1):
            where = f"message {n}"
            try:
                start, stop = box._toc[key]  # type: ignore[attr-defined]  # its size, unread
                if stop - start > MAX_MESSAGE_BYTES:
                    msg = f"{where}: too large ({stop - start:,} bytes), skipped"
                    yield Problem(path, None, msg, True)
                    continue
                raw = box.get_bytes(key)
                message = email.message_from_bytes(raw, policy=email.policy.default)
            except Exception as e:
                detail = one_line(str(e))[:160] or type(e).__name__
                yield Problem(path, None, f"{where}: cannot be read ({detail}), skipped", True)
                continue
            yield from _article(message, stem, path, where, ids, n)
    finally:
        box.close()
    if n == 0:
        yield Problem(path, None, "no messages in the mailbox (not an mbox file?), skipped", True)


def _article(
    message: EmailMessage,
    stem: str,
    path: str,
    where: str,
    ids: dict[str, int] | None,
    n: int = 0,
) -> Iterator[Item]:
    text, dropped = _drop_encoded(_body(message))
    label = where or "the message"
    if dropped:
        what = "is only" if not text else "has"
        yield Problem(
            path,
            None,
            f"{label} {what} {dropped:,} lines of base64 data, dropped (an attachment read as "
            "text: the mailbox did not escape a line starting 'From ', which split a message)"
            + (", skipped" if not text else ""),
            not text,
        )
        if not text:
            return
    if not text:
        yield Problem(path, None, f"{label} has no text, skipped", True)
        return
    subject = one_line(_header(message, "subject"))
    sender = one_line(_header(message, "from"))
    name, address = email.utils.parseaddr(sender)
    date, why = _date(_header(message, "date"))
    if why:
        yield Problem(path, None, f"{label}: {why}", False)
    if ids is None:
        rid = stem
    else:
        rid = unique(ids, record_id(stem, one_line(_header(message, "message-id")), n), n)
    author = one_line(name or address or sender)
    yield Article(
        id=rid,
        title=subject or derive_title(text),
        date=date,
        source=author,
        license="",
        path=path,
        text=text,
        publisher=author,
        author=sender,
        locator=where,
    )


# A line of base64 as mail encodes it (76 characters, no spaces); runs of at least
# _ENCODED_RUN such lines in a text body are an attachment read as text.
_ENCODED_LINE = re.compile(r"[A-Za-z0-9+/]{40,}={0,2}")
_ENCODED_RUN = 3
_BOUNDARY = re.compile(r"--[0-9A-Za-z'()+_,./:=?-]{1,70}")


def _drop_encoded(text: str) -> tuple[str, int]:
    """The text without runs of base64 lines, and how many lines were dropped. In an mbox
    whose writer did not escape body lines starting with "From ", a message is split there
    and the rest of an attachment becomes the body of the next "message": megabytes of
    base64 that would be indexed as words."""
    if len(text) < 40 * _ENCODED_RUN or not _ENCODED_LINE.search(text):
        return text, 0
    lines = text.split("\n")
    keep: list[str] = []
    run: list[str] = []
    dropped = 0
    for line in [*lines, ""]:
        if _ENCODED_LINE.fullmatch(line.strip()):
            run.append(line)
            continue
        if len(run) >= _ENCODED_RUN:
            dropped += len(run)
        else:
            keep.extend(run)
        run = []
        keep.append(line)
    if not dropped:
        return text, 0
    # the attachment's MIME boundary lines (--b, --b--) go with it
    kept = [line for line in keep[:-1] if not _BOUNDARY.fullmatch(line.strip())]
    return clean("\n".join(kept)), dropped


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a header the policy cannot parse
        return ""
    return str(value) if value is not None else ""


def _body(message: EmailMessage) -> str:
    """The plain-text body, else the HTML body's text; attachments are not read."""
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        part = None
    if part is None:
        if message.is_multipart():
            return ""
        part = message
    try:
        content = part.get_content()
    except Exception:  # an unknown charset or a broken transfer encoding
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        return fragment_text(content)
    return clean(content)


def _date(value: str) -> tuple[str | None, str | None]:
    if not value.strip():
        return None, None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        when = None
    if when is None:
        return None, f"unparseable Date header {one_line(value)[:60]!r}; kept undated"
    return when.date().isoformat(), None
