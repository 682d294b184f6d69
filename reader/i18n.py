"""The interface language: Arabic or English, through gettext catalogs.

Messages are written in English in the code and looked up in the catalog of
the interface language (``reader/locale/<lang>/LC_MESSAGES/qari.mo``, built
from the ``.po`` next to it). Use:

- ``_("…")`` where a message is shown, inside functions;
- ``N_("…")`` to mark a message kept in a module-level constant, and ``_()``
  on it where it is shown (the language is chosen after modules load);
- ``ngettext(singular, plural, n)`` for counts;
- key bindings keep their English description in ``Binding(…)``; the app
  translates them when it shows them.

The language comes from ``--lang``, else ``$READER_LANG``, else the remembered
setting, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG`` starting with
``ar``), else English. JSON output never changes with the language.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

LANGUAGES = ("en", "ar")
LANG_ENV = "READER_LANG"
DOMAIN = "qari"
LOCALE_DIR = Path(__file__).parent / "locale"

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

_state: dict[str, object] = {
    "language": "en",
    "translation": gettext.NullTranslations(),
    "arabic_digits": False,
}


def language_from_environment(environ: dict[str, str] | None = None) -> str | None:
    """``ar`` or ``en`` from ``$READER_LANG`` or the locale variables, or None."""
    environ = dict(os.environ) if environ is None else environ
    given = environ.get(LANG_ENV, "").strip().lower()
    if given:
        return given[:2] if given[:2] in LANGUAGES else None
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").strip()
        if value:  # the first one set decides, as in POSIX
            return "ar" if value.lower().startswith("ar") else "en"
    return None


def check_language(value: str) -> str:
    """``--lang``'s value: ``ar`` or ``en`` (ValueError otherwise)."""
    lang = value.strip().lower()
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {value!r}: choose ar or en")
    return lang


def set_language(lang: str) -> None:
    lang = lang if lang in LANGUAGES else "en"
    if lang == "en":
        translation: gettext.NullTranslations = gettext.NullTranslations()
    else:
        translation = gettext.translation(DOMAIN, LOCALE_DIR, [lang], fallback=True)
    _state["language"], _state["translation"] = lang, translation
    from store.errors import set_translator

    set_translator(translation.gettext)  # the library's messages too


def language() -> str:
    return str(_state["language"])


def is_rtl() -> bool:
    """Is the interface laid out right to left (mirrored)?"""
    return language() == "ar"


def set_arabic_digits(enabled: bool) -> None:
    _state["arabic_digits"] = enabled


def digits(text: str) -> str:
    """Western digits as Arabic-Indic ones when the interface asks for them (Arabic only)."""
    if _state["arabic_digits"] and is_rtl():
        return text.translate(_ARABIC_INDIC)
    return text


def grouped(number: int) -> str:
    """A count with its thousands grouped: 52,899 (٥٢٬٨٩٩ once :func:`digits` has
    made Arabic-Indic digits of it, with the Arabic thousands separator)."""
    text = f"{number:,}"
    if _state["arabic_digits"] and is_rtl():
        text = text.replace(",", "\u066c")
    return text


def _translation() -> gettext.NullTranslations:
    translation = _state["translation"]
    assert isinstance(translation, gettext.NullTranslations)
    return translation


def _(message: str) -> str:
    """``message`` in the interface language."""
    return _translation().gettext(message)


def N_(message: str) -> str:
    """Marks ``message`` for translation without translating it now."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translation().ngettext(singular, plural, count)
