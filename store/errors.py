"""Errors with a message meant for the person using the reader.

Anything raised from ``store`` for bad input or a bad library file is a
:class:`ReaderError`; its ``str()`` is one line that says what is wrong and,
where it helps, what to do. Front ends print it; they never print tracebacks
for these.
"""

from __future__ import annotations


class ReaderError(Exception):
    """Base class: a problem the user can understand and act on."""


class InputError(ReaderError):
    """A file or text that cannot become an article (encoding, binary, empty…)."""


class NotFound(ReaderError):
    """No article with that ID."""


class QueryError(ReaderError):
    """A search query that cannot be run, even literally."""


class LibraryError(ReaderError):
    """The library file cannot be used as it is."""


class LibraryDamaged(LibraryError):
    """The library file is corrupt: it is only read from then on."""


class LibraryLocked(LibraryError):
    """Another program holds the library for too long."""


class LibraryReadOnly(LibraryError):
    """The library (or its folder) cannot be written."""
