"""Keep the interface catalogs whole: extract, merge, compile, check.

    .venv/bin/python dev/i18n.py            # extract messages, merge them into ar's .po, compile the .mo
    .venv/bin/python dev/i18n.py --check    # exit 1 if a message lacks its Arabic or the .mo is stale
    .venv/bin/python dev/i18n.py --missing  # print the messages without Arabic, as .po entries

Messages are found by Babel's extractor: in ``reader/``, ``_()``, ``N_()``,
``ngettext()`` and the description (third argument) of every ``Binding``; in
``store/``, the message template of every error raised (``NotFound(…)``…).
A message that is no longer in the code is dropped from the ``.po``; one
that is new gets an empty translation, which ``--check`` (and the tests)
refuse.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "reader"
LOCALE = SOURCE / "locale"
LANGUAGES = ("ar",)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "Binding": (3,)}
#: The library's errors: their first argument is a message template.
ERRORS = (
    "ReaderError", "InputError", "NotFound", "Bookmarked", "QueryError",
    "LibraryError", "LibraryDamaged", "LibraryLocked", "LibraryReadOnly",
)  # fmt: skip
KEYWORDS.update({name: (1,) for name in ERRORS})
SOURCES = (ROOT / "reader", ROOT / "store")
#: Fixed, so that the files change only when the messages do.
STAMP = datetime(2026, 12, 1, tzinfo=UTC)


def extract() -> Catalog:
    catalog = Catalog(project="Qari", domain="qari", charset="utf-8")
    method_map = [("**.py", "python")]
    for source in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            str(source), method_map, keywords=KEYWORDS, strip_comment_tags=True
        ):
            if not message or (isinstance(message, tuple) and not message[0]):
                continue
            where = [(f"{source.name}/{filename}", lineno)]
            catalog.add(message, None, where, auto_comments=comments, context=context)
    return catalog


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "qari.po"


def read(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, domain="qari", charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain="qari")


def merged(lang: str) -> Catalog:
    """The language's catalog with exactly the code's messages (translations kept)."""
    template = extract()
    old = read(lang)
    catalog = Catalog(
        locale=lang,
        domain="qari",
        project="Qari",
        version="",
        copyright_holder="the Qari authors",
        msgid_bugs_address="",
        last_translator="the Qari authors",
        language_team="Arabic",
        creation_date=STAMP,
        revision_date=STAMP,
        charset="utf-8",
        fuzzy=False,
    )
    for message in template:
        if not message.id:
            continue
        previous = old.get(message.id, context=message.context)
        string = previous.string if previous is not None else ("",) * 6 if message.pluralizable else ""
        catalog.add(message.id, string, message.locations, context=message.context)
    return catalog


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def untranslated(catalog: Catalog) -> list[str]:
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def write(lang: str, catalog: Catalog) -> None:
    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=False, include_previous=False)
    path.write_bytes(out.getvalue())
    path.with_suffix(".mo").write_bytes(mo_bytes(catalog))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--missing", action="store_true")
    args = parser.parse_args(argv)
    status = 0
    for lang in LANGUAGES:
        catalog = merged(lang)
        missing = untranslated(catalog)
        if args.missing:
            for message in missing:
                print(f'msgid "{message}"\nmsgstr ""\n')
            continue
        if args.check:
            mo = po_path(lang).with_suffix(".mo")
            if missing:
                print(f"{lang}: {len(missing)} messages without a translation", file=sys.stderr)
                status = 1
            if not mo.exists() or mo.read_bytes() != mo_bytes(read(lang)):
                print(f"{lang}: {mo} is not compiled from the .po", file=sys.stderr)
                status = 1
            continue
        write(lang, catalog)
        print(f"{lang}: {len(catalog)} messages, {len(missing)} without a translation")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
