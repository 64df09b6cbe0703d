"""Errors the engine raises for the command line and the app to show as one clear line."""

from __future__ import annotations


class NewsdeskError(Exception):
    """An error with a message fit to show the user as it is."""


class IndexMissing(NewsdeskError):
    pass


class IndexVersionMismatch(NewsdeskError):
    pass


class IndexBusy(NewsdeskError):
    pass


class QueryError(NewsdeskError):
    pass
