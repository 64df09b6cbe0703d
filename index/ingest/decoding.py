"""Decoding: bytes to text. Sniffs whether a file is text (UTF-8, or UTF-16 with a byte-order
mark) or binary, and decodes incrementally, dropping a BOM, turning CRLF/CR into LF and counting
invalid UTF-8 bytes, which are replaced by U+FFFD and reported."""

from __future__ import annotations

import codecs
import re
import threading

from newsdesk.index.ingest.problems import Problem

SNIFF_BYTES = 8192
CHUNK_BYTES = 1024 * 1024

_tls = threading.local()
_ERRORS = "newsdesk.count-replace"


def _count_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _tls.bad = getattr(_tls, "bad", 0) + (exc.end - exc.start)
    return "\ufffd", exc.end


codecs.register_error(_ERRORS, _count_replace)


class Decoder:
    """Incremental decoder: counts replaced bytes, drops a BOM, turns CRLF/CR into LF."""

    def __init__(self, encoding: str = "utf-8") -> None:
        self._dec = codecs.getincrementaldecoder(encoding)(errors=_ERRORS)
        self.bad = 0
        self._at_start = True
        self._cr = False

    def decode(self, data: bytes, final: bool = False) -> str:
        _tls.bad = 0
        s = self._dec.decode(data, final)
        self.bad += _tls.bad
        if self._at_start and s:
            self._at_start = False
            if s[0] == "\ufeff":
                s = s[1:]
        if self._cr:
            s = "\r" + s
            self._cr = False
        if not final and s.endswith("\r"):
            s = s[:-1]
            self._cr = True
        if "\r" in s:
            s = s.replace("\r\n", "\n").replace("\r", "\n")
        return s


def decode(data: bytes, encoding: str = "utf-8") -> tuple[str, int]:
    """``data`` decoded whole, and the number of invalid bytes replaced."""
    dec = Decoder(encoding)
    return dec.decode(data, final=True), dec.bad


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def sniff(head: bytes) -> tuple[str | None, str]:
    """The encoding to read a file with, or None and why it looks binary.

    ``head`` is the file's first ``SNIFF_BYTES``: a NUL byte there, or mostly invalid UTF-8 or
    control characters, means binary.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", ""
    if b"\0" in head:
        return None, "binary file (NUL bytes; not UTF-8 text), skipped"
    if not head:
        return "utf-8", ""
    _tls.bad = 0
    s = codecs.getincrementaldecoder("utf-8")(errors=_ERRORS).decode(head, False)
    bad = _tls.bad
    controls = len(_CONTROL.findall(s))
    if bad > 0.3 * len(head) or controls > 0.1 * max(len(s), 1):
        return None, "binary file (mostly not UTF-8 text), skipped"
    return "utf-8", ""


def bad_bytes_problem(path: str, line: int | None, bad: int) -> Problem:
    """The warning for ``bad`` invalid bytes replaced (the article is kept)."""
    unit = "byte" if bad == 1 else "bytes"
    return Problem(path, line, f"invalid UTF-8: {bad} {unit} replaced with U+FFFD", False)
