"""Errors with a message meant for the person using the reader.

Anything raised from ``store`` for bad input or a bad library file is a
:class:`ReaderError`; its ``str()`` is one line that says what is wrong and,
where it helps, what to do. Front ends print it; they never print tracebacks
for these.
"""

from __future__ import annotations

from collections.abc import Callable

#: How a front end shows messages in its language (``store`` itself never imports one).
_translate: list[Callable[[str], str]] = [lambda message: message]


def set_translator(translate: Callable[[str], str]) -> None:
    """Messages of errors raised from now on (and shown from now on) go through ``translate``."""
    _translate[0] = translate


class ReaderError(Exception):
    """Base class: a problem the user can understand and act on.

    Raised with an English template and its values (``NotFound("no article
    with ID {id}", id=3)``), it reads in the front end's language: the
    template is looked up in its catalog, then filled in.
    """

    def __init__(self, message: object = "", /, **values: object) -> None:
        self.template = str(message)
        self.values = values
        super().__init__(self._filled(self.template))

    def _filled(self, template: str) -> str:
        if not self.values:
            return template
        try:
            return template.format(**self.values)
        except (KeyError, IndexError, ValueError):
            return self.template.format(**self.values)

    def __str__(self) -> str:
        return self._filled(_translate[0](self.template))


class InputError(ReaderError):
    """A file or text that cannot become an article (encoding, binary, empty…)."""


class NotFound(ReaderError):
    """No article with that ID."""


class Bookmarked(ReaderError):
    """An article that is bookmarked, and so is kept unless the user says otherwise."""


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
