"""Broken plurals: which words are the singular and the plural of one another.

No affix stripping joins «صاروخ» and «صواريخ», «مدينة» and «مدن», «دولة» and
«دول»: an Arabic broken plural rebuilds the word inside. A search for either
form must still find the other, so this module answers from a table:
``data/plurals.tsv``, one ``singular<TAB>plural`` pair a line, written in
ordinary spelling (ة, hamza seats, no harakat) so that it can be read and
reviewed as Arabic. The table is the project's own; ``dev/plurals.py`` checks
it (format, order, no sound plurals, normalisation collisions, false friends)
and measures its coverage.

Design:

* **Surface forms in, surface forms out.** Keys and results are in the
  index's normalised surface form (:func:`store.analysis.arabic.normalise`), so
  a link can be looked up in the index as it is. The links join *words*, not
  stem classes: «كتاب» links to «كتب», never to everything sharing a stem with
  «كتب» (that is how a raw table would join كتاب and كاتب). The search engine
  adds the clitic forms of what it gets back and ranks these matches below
  direct ones.
* **Both ways.** A singular gives its plurals, a plural its singulars; a word
  that is both (a homograph) gives both. Links are not followed further: two
  singulars that share a plural are not linked to each other.
* **The article.** A form with an article (ال، وال، بال، لل…) that is not
  itself in the table is looked up without it, and the article is put back
  on every result: «المدن» -> «المدينه».
* **Only broken (and irregular) plurals.** Sound plurals (ـون، ـين، ـات) are
  the stemmer's job; :func:`is_sound_plural` says which pairs those are, and
  the table holds none.
* **Precision first.** A true pair is still left out when, once normalised,
  one of its forms is mostly another word in news text: a name (أسد/أسود),
  a frequent verb (ظهر/ظهور), a word of another meaning (أجراء/إجراء).
  ``data/plurals-false-friends.tsv`` lists them; the tests check that none
  is linked.
* **No guessing from patterns.** Candidates generated from plural patterns
  (فعل -> أفعال، فاعل -> فواعل، فعيلة -> فعائل…) were measured against a
  dictionary over a vocabulary of real words: fewer than a quarter were
  right, far below what a search link needs. Only the table answers.
* **Loaded once, lazily, fast.** The first lookup reads the file and
  normalises it in one pass with :func:`store.analysis.arabic.fold` (which
  folds a text character by character exactly as :func:`normalise` folds each
  Arabic word of it), then builds one dict of frozensets: a few milliseconds.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from store.analysis.arabic import fold

TABLE_PATH = Path(__file__).with_name("data") / "plurals.tsv"

# Article forms, longest first (normalised). Kept apart from arabic.py's
# private list: here the remainder may be two letters long («الاب» -> «اب»).
_ARTICLES = (
    "\u0648\u0628\u0627\u0644",  # وبال
    "\u0648\u0643\u0627\u0644",  # وكال
    "\u0641\u0628\u0627\u0644",  # فبال
    "\u0641\u0643\u0627\u0644",  # فكال
    "\u0648\u0644\u0644",  # ولل
    "\u0641\u0644\u0644",  # فلل
    "\u0648\u0627\u0644",  # وال
    "\u0641\u0627\u0644",  # فال
    "\u0628\u0627\u0644",  # بال
    "\u0643\u0627\u0644",  # كال
    "\u0627\u0644",  # ال
    "\u0644\u0644",  # لل
)
_MIN_BARE = 2

_HEH = "\u0647"  # a normalised ta marbuta
_YEH = "\u064a"  # a normalised alef maqsura, or a final yeh
_ALEF = "\u0627"
_EMPTY: frozenset[str] = frozenset()


@cache
def _table() -> str:
    """The table folded as words are normalised, one pair a line between newlines."""
    return "\n" + fold(TABLE_PATH.read_text(encoding="utf-8")) + "\n"


@lru_cache(maxsize=4096)
def _linked(word: str) -> frozenset[str] | None:
    """The words the table pairs with ``word`` (None: it is not in the table).
    Looked up in the table's text: a query needs a few words, and a string
    search costs microseconds where building the whole table as a dictionary
    costs milliseconds in every process."""
    if not word or "\n" in word or "\t" in word:
        return None
    table = _table()
    found: set[str] = set()
    singular = "\n" + word + "\t"  # the word's plurals: its lines as a singular
    at = table.find(singular)
    while at != -1:
        end = table.find("\n", at + 1)
        found.add(table[at + len(singular) : end])
        at = table.find(singular, end)
    plural = "\t" + word + "\n"  # the word's singulars: its lines as a plural
    at = table.find(plural)
    while at != -1:
        start = table.rfind("\n", 0, at) + 1
        if table[start] != "#":  # not a comment
            found.add(table[start:at])
        at = table.find(plural, at + len(plural) - 1)
    found.discard(word)
    found.discard("")
    return frozenset(found) if found else None


def plural_links(surface: str) -> frozenset[str]:
    """Plurals of a singular and singulars of a plural, as normalised surface forms.

    ``surface`` is a normalised word («مدينه», «الصواريخ»); the result does
    not contain it. An empty set when the table knows nothing of the word.
    """
    found = _linked(surface)
    if found is not None:
        return found
    for article in _ARTICLES:
        if surface.startswith(article) and len(surface) - len(article) >= _MIN_BARE:
            bare = _linked(surface[len(article) :])
            if bare is not None:
                return frozenset(article + word for word in bare)
    return _EMPTY


def table_pairs() -> list[tuple[str, str]]:
    """Every (singular, plural) pair of the table as written (not normalised)."""
    pairs = []
    for line in TABLE_PATH.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            singular, _, plural = line.partition("\t")
            pairs.append((singular, plural))
    return pairs


def is_sound_plural(singular: str, plural: str) -> bool:
    """Whether ``plural`` is ``singular`` with a sound plural ending (normalised forms).

    ـون/ـين/ـات added to the word, ة replaced by ـات (أة by آت), a final
    ى/ا/ي by ـيات/ـون/ـين, a final ا followed by ت. A two-letter word + ون is the broken pattern فُعول of a
    doubled root (فن/فنون, ظن/ظنون), not a sound plural.
    """
    if plural in (singular + "\u0627\u062a", singular + _YEH + "\u0646"):  # ات، ين
        return True
    if plural == singular + "\u0648\u0646":  # ون
        return len(singular) > 2
    stem = singular[:-1]
    if singular.endswith(_HEH) and plural in (stem + "\u0627\u062a", stem + "\u062a"):
        return True  # ة -> ات; أة -> آت (منشأة/منشآت, folded to منشاه/منشات)
    if singular.endswith(_ALEF) and plural == singular + "\u062a":
        return True  # a loanword in ا + ت (كاميرا/كاميرات)
    return singular.endswith((_YEH, _ALEF)) and plural in (
        stem + "\u064a\u0627\u062a",  # يات
        stem + "\u0648\u0646",  # ون
        stem + _YEH + "\u0646",  # ين
    )
