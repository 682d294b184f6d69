"""Arabic-aware text analysis shared by indexing and querying.

Every token of a text yields two index terms:

* the *surface* form: the word as written, normalised (Lucene's
  ``ArabicNormalizer`` plus digits, presentation forms, Persian letters,
  Latin case and accents);
* the *stem*: Lucene's light stemmer (light10) on the surface form, extended
  with conjunction + article combinations («وبالكرملين» -> «كرمل»).

Single-letter proclitics (و ف ب ل ك) are ambiguous from the form alone
(«بوتين» is a name, «بروسيا» is ب + روسيا), so the index never guesses: the
query side generates the clitic forms of the word the user typed instead
(see :func:`proclitic_forms`), which is exact in that direction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import compress, count, repeat
from operator import is_, itemgetter

from store.analysis.version import ANALYZER_VERSION as ANALYZER_VERSION  # bumped there

TATWEEL = "\u0640"
ALEF = "\u0627"

# Characters that belong inside a word although they are not alphanumeric:
# Arabic marks (harakat, Quranic marks), tatweel, ZWNJ/ZWJ, Latin combining
# accents. Everything else that is not a letter or digit separates tokens.
_WORD_MARKS = (
    "\u0300-\u036f"  # combining diacritical marks
    "\u0610-\u061a"  # Arabic signs
    "\u064b-\u065f"  # harakat
    "\u0670"  # superscript alef
    "\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"  # Quranic marks
    "\u08d3-\u08ff"  # extended Arabic marks
    "\u0640"  # tatweel
    "\u200c\u200d"  # ZWNJ, ZWJ
    "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"  # bidi marks pasted into a word
)
# One character class (faster than an alternation); "_" is a separator, handled apart.
_TOKEN_RE = re.compile(rf"[\w{_WORD_MARKS}]+")

# Normalisation of Arabic letters, after Lucene's ArabicNormalizer, plus the
# Persian/Urdu letters that Arabic text typed on other keyboards carries.
_ARABIC_MAP = str.maketrans(
    {
        "\u0622": ALEF,  # آ
        "\u0623": ALEF,  # أ
        "\u0625": ALEF,  # إ
        "\u0671": ALEF,  # ٱ alef wasla
        "\u0649": "\u064a",  # ى -> ي
        "\u0629": "\u0647",  # ة -> ه
        "\u06cc": "\u064a",  # Persian yeh
        "\u06a9": "\u0643",  # keheh -> kaf
        "\u06c0": "\u0647",  # heh with yeh above
        "\u06be": "\u0647",  # heh doachashmee
        # Hamza on a seat is spelled either way (مسؤول / مسئول): one form for both.
        "\u0624": "\u0621",  # ؤ -> ء
        "\u0626": "\u0621",  # ئ -> ء
        **{chr(c): None for c in range(0x0610, 0x061B)},
        **{chr(c): None for c in range(0x064B, 0x0660)},
        "\u0670": None,
        **{chr(c): None for c in range(0x06D6, 0x06EE)},
        **{chr(c): None for c in range(0x08D3, 0x0900)},
        TATWEEL: None,
        "\u200c": None,
        "\u200d": None,
        **{c: None for c in "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"},
    }
)
_PRESENTATION_RE = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_LETTER_RE = re.compile("[\u0621-\u064a\u0671-\u06d3]")
# ASCII other than a-z and 0-9 (written as ranges: a class of everything
# outside them costs milliseconds to compile at every start).
_ASCII_JUNK_RE = re.compile("[\x00-\x2f\x3a-\x60\x7b-\x7f]")

# Lucene's light10 affixes. Prefixes are tried longest first; ours add the
# conjunction + preposition + article combinations Lucene strips only in part.
_PREFIXES = (
    "\u0648\u0628\u0627\u0644",  # وبال
    "\u0648\u0643\u0627\u0644",  # وكال
    "\u0641\u0628\u0627\u0644",  # فبال
    "\u0641\u0643\u0627\u0644",  # فكال
    "\u0648\u0644\u0644",  # ولل
    "\u0641\u0644\u0644",  # فلل
    "\u0648\u0627\u0644",  # وال
    "\u0628\u0627\u0644",  # بال
    "\u0643\u0627\u0644",  # كال
    "\u0641\u0627\u0644",  # فال
    "\u0627\u0644",  # ال
    "\u0644\u0644",  # لل
    "\u0648",  # و
)
_SUFFIXES = (
    "\u0647\u0627",  # ها
    "\u0627\u0646",  # ان
    "\u0627\u062a",  # ات
    "\u0648\u0646",  # ون
    "\u064a\u0646",  # ين
    "\u064a\u0647",  # يه
    "\u064a\u0629",  # ية
    "\u0647",  # ه
    "\u0629",  # ة
    "\u064a",  # ي
)

# Proclitic sequences that may stand before an Arabic word: conjunction,
# preposition, article. The query side adds them to what the user typed.
_CONJUNCTIONS = ("", "\u0648", "\u0641")  # و ف
_PREPOSITIONS = ("", "\u0628", "\u0644", "\u0643")  # ب ل ك
_ARTICLE_FORMS = (
    "\u0627\u0644",  # ال
    "\u0648\u0627\u0644",  # وال
    "\u0641\u0627\u0644",  # فال
    "\u0628\u0627\u0644",  # بال
    "\u0643\u0627\u0644",  # كال
    "\u0644\u0644",  # لل
    "\u0648\u0628\u0627\u0644",  # وبال
    "\u0648\u0643\u0627\u0644",  # وكال
    "\u0648\u0644\u0644",  # ولل
    "\u0641\u0628\u0627\u0644",  # فبال
    "\u0641\u0643\u0627\u0644",  # فكال
    "\u0641\u0644\u0644",  # فلل
)
#: The article with the conjunctions and prepositions that go before it.
ARTICLE_FORMS = _ARTICLE_FORMS
_SINGLE_PROCLITICS = frozenset("\u0648\u0641\u0628\u0644\u0643")
# Attached pronouns the query side adds (ه ها هم هما هن كم كما نا): «حكومة» is
# «حكومته» with his, «قوات» is «قواتها». Not ي or ك: too often part of a name.
_PRONOUN_SUFFIXES = (
    "\u0647",
    "\u0647\u0627",
    "\u0647\u0645",
    "\u0647\u0645\u0627",
    "\u0647\u0646",
    "\u0643\u0645",
    "\u0643\u0645\u0627",
    "\u0646\u0627",
)
_TEH = "\u062a"
# Words ending so take no accusative alef (and «روسي» + ا would be «روسيا»).
_NO_ACCUSATIVE_ALEF = frozenset("\u0627\u064a\u0647\u0648")
_HEH = "\u0647"

# Function words dropped from queries (never from the index, so phrases and
# positions stay exact). Normalised forms.
STOPWORDS = frozenset(
    (
        """
        في من الي علي عن مع ان او ام ثم حتي اذا
        اذ لا لم لن ما ماذا هل قد لقد هو هي هم
        هن انا نحن انت انتم هذا هذه ذلك تلك هؤلاء هولاء اولئك
        الذي التي الذين اللذان اللتان اللواتي كان كانت كانوا يكون تكون كل
        بعض غير بين عند عندما منذ بعد قبل حيث كما لكن لكنه
        ولكن بل اي ايضا فقط و ف ب ل ك به بها
        له لها فيه فيها منه منها عليه عليها اليه اليها وفي ومن
        وعلي وان وقد ولا ولم وهو وهي
        the a an and or of to in on at for by
        with is are was were be been it its this that these
        those as from
        """
    ).split()
)


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: where it stands and the terms it is indexed as."""

    text: str
    start: int
    end: int
    surface: str
    stem: str


def _words_of(text: str) -> str:
    """``text`` with underscores as spaces (same length, so offsets still hold)."""
    return text.replace("_", " ") if "_" in text else text


def word_list(text: str) -> list[str]:
    """Every word of ``text``, exactly as :data:`_TOKEN_RE` finds them, in a
    third of the time on news text.

    Whitespace is never part of a word, so the text is split there first (in
    C); a piece made of letters and digits only is one word as it stands, and
    only the others (a word with punctuation or marks attached, an
    underscore) go through the regular expression.
    """
    pieces = text.split()
    if all(map(str.isalnum, pieces)):
        return pieces
    words: list[str] = []
    add, extend, find = words.append, words.extend, _TOKEN_RE.findall
    for piece in pieces:
        if piece.isalnum():
            add(piece)
        else:
            extend(find(_words_of(piece)))
    return words


def iter_token_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of every word in ``text`` (letters, digits, marks)."""
    for match in _TOKEN_RE.finditer(_words_of(text)):
        yield match.span()


def _fold_latin_accents(term: str) -> str:
    """Strip accents from Latin/Greek/Cyrillic letters, leave Arabic alone."""
    out: list[str] = []
    for char in term:
        if "\u00c0" <= char < "\u0590":
            out.extend(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        else:
            out.append(char)
    return "".join(out)


_LATIN_WITH_ACCENTS_RE = re.compile("[\u00c0-\u058f]")
# Digits other than 0-9 (a class, not a lookahead: ~3× faster on long texts).
_NON_ASCII_DIGIT_RE = re.compile(r"[^\D0-9]")


class _DigitMap(dict[int, int]):
    """str.translate table: any Unicode decimal digit to its ASCII digit, built on demand."""

    def __missing__(self, code: int) -> int | None:
        char = chr(code)
        value = ord(str(unicodedata.decimal(char))) if char.isdecimal() and not char.isascii() else None
        self[code] = value if value is not None else code
        return self[code]


_DIGIT_MAP = _DigitMap()


def _normalise_uncached(word: str) -> str:
    if word.isascii():
        return _ASCII_JUNK_RE.sub("", word.lower())
    if _PRESENTATION_RE.search(word):
        # Presentation forms and ligatures (copied from shaped text) back to letters.
        word = unicodedata.normalize("NFKC", word)
    word = word.casefold().translate(_ARABIC_MAP)
    if _LATIN_WITH_ACCENTS_RE.search(word):
        word = _fold_latin_accents(word)
    if _NON_ASCII_DIGIT_RE.search(word):
        word = word.translate(_DIGIT_MAP)
    return _ASCII_JUNK_RE.sub("", word)


_PREFIX_FIRST_LETTERS = frozenset(p[0] for p in _PREFIXES)
_SUFFIX_TUPLE = tuple(_SUFFIXES)


def _stem_uncached(term: str) -> str:
    """Lucene's light10 stem of a normalised term, with our prefix combinations."""
    if not _ARABIC_LETTER_RE.search(term):
        return term
    length = len(term)
    if term[0] in _PREFIX_FIRST_LETTERS:
        for prefix in _PREFIXES:
            if len(prefix) == 1:
                if length >= 4 and term.startswith(prefix):
                    term = term[1:]
                    break
            elif length >= len(prefix) + 2 and term.startswith(prefix):
                term = term[len(prefix) :]
                break
    if term.endswith(_SUFFIX_TUPLE):
        # One pass, in order: each suffix is stripped if the rest stays long enough.
        for suffix in _SUFFIXES:
            if len(term) >= len(suffix) + 2 and term.endswith(suffix):
                term = term[: -len(suffix)]
    return term


# Plain dict caches: the vocabulary of news is long-tailed but most tokens of
# a text repeat earlier ones, and a dict lookup is far cheaper than the work.
_CACHE_LIMIT = 500_000
_term_cache: dict[str, tuple[str, str]] = {}
# Word -> what the index holds of it, apart: indexing a text is then one
# C-level lookup of all its words and one join.
_indexed_cache: dict[str, str] = {}


def _indexed_form(surface: str) -> str:
    """What the index holds of a word: nothing for a function word."""
    return "" if surface in STOPWORDS else surface


def analyse_word(word: str) -> tuple[str, str]:
    """(surface, stem) of one word as found by :func:`iter_token_spans`."""
    cached = _term_cache.get(word)
    if cached is not None:
        return cached
    surface = _normalise_uncached(word)
    if surface == word:
        # Most words are their own surface (and stem): one string kept, not
        # three equal ones, and the words an index text is joined from stay
        # the ones just looked up, not others elsewhere in memory.
        surface = word
    stemmed = _stem_uncached(surface) if surface else surface
    if stemmed == surface:
        stemmed = surface
    if len(_term_cache) >= _CACHE_LIMIT:
        reset_cache()
    pair = _term_cache[word] = (surface, stemmed)
    _indexed_cache[word] = _indexed_form(surface)
    return pair


# The same mapping as _ARABIC_MAP, for whole texts: str.replace per letter and
# one regex for deletions is ten times faster than str.translate with a dict.
_FOLD_REPLACEMENTS = tuple((chr(k), v) for k, v in _ARABIC_MAP.items() if v is not None)
_FOLD_DELETIONS_RE = re.compile(
    "[" + "".join(re.escape(chr(k)) for k, v in _ARABIC_MAP.items() if v is None) + "]"
)


def fold(text: str) -> str:
    """A whole text folded as words are normalised (case, Arabic letters, digits).

    Character by character, so every word's surface is a substring of the
    fold of any text that contains the word.
    """
    text = text.casefold()
    for letter, replacement in _FOLD_REPLACEMENTS:
        if letter in text:
            text = text.replace(letter, replacement)
    if _FOLD_DELETIONS_RE.search(text):
        text = _FOLD_DELETIONS_RE.sub("", text)
    return text.translate(_DIGIT_MAP) if _NON_ASCII_DIGIT_RE.search(text) else text


def fold_keeps_offsets(text: str, folded: str) -> bool:
    """Whether ``folded`` (``fold(text)``) lines up with ``text`` character by character.

    True unless something was deleted (harakat, tatweel) or expanded by case
    folding («ß»); every replacement is one character for one.
    """
    return len(folded) == len(text) and not _FOLD_DELETIONS_RE.search(text)


def normalise(word: str) -> str:
    """Surface form of one word."""
    return analyse_word(word)[0]


_stem_cache: dict[str, str] = {}


def stem(term: str) -> str:
    """Stem of an already normalised term."""
    cached = _stem_cache.get(term)
    if cached is None:
        if len(_stem_cache) >= _CACHE_LIMIT:
            _stem_cache.clear()
        cached = _stem_cache[term] = _stem_uncached(term)
    return cached


def tokens(text: str) -> list[Token]:
    """Every word of ``text`` with its offsets and index terms.

    Words that normalise to nothing (a lone tatweel, say) are left out.
    """
    result = []
    for start, end in iter_token_spans(text):
        word = text[start:end]
        surface, stemmed = analyse_word(word)
        if surface:
            result.append(Token(word, start, end, surface, stemmed))
    return result


def index_terms(text: str, stems: dict[str, str] | None = None, *, only_new: bool = False) -> str:
    """The text's surface terms, space-separated, for the full-text index.

    When ``stems`` is given, every surface is recorded there (surface ->
    stem, an empty stem when the word is its own stem): the library keeps the
    stems that differ to find all the forms of a stem at query time, and the
    name keys of every new word. With ``only_new``, only words this
    process has not analysed before are recorded (an import worker has sent
    the others already).
    """
    return counted_index_terms(text, stems, only_new=only_new)[0]


def counted_index_terms(
    text: str, stems: dict[str, str] | None = None, *, only_new: bool = False
) -> tuple[str, int]:
    """:func:`index_terms` and the number of words, in one pass."""
    words = word_list(text)
    if not words:
        return "", 0
    # One C-level lookup of every word; the words never seen (almost every
    # article brings one or two) are found among the misses, also in C.
    get = _indexed_cache.get
    indexed = list(map(get, words))
    missed: list[tuple[str, str]] = []
    if None in indexed:
        # Where the misses are, then each unseen word analysed once and only
        # those places filled in (a second lookup of every word cost a third
        # of the first).
        gaps = list(compress(count(), map(is_, indexed, repeat(None))))
        unseen = dict.fromkeys(map(words.__getitem__, gaps))
        missed = [analyse_word(word) for word in unseen]
        for index in gaps:
            indexed[index] = get(words[index])
        if None in indexed:  # the cache filled up and was emptied meanwhile
            indexed = [_indexed_form(analyse_word(word)[0]) for word in words]
    if stems is not None:
        if only_new:
            recorded = missed
        else:
            try:
                lookup = itemgetter(*words)
                pairs = lookup(_term_cache) if len(words) > 1 else (lookup(_term_cache),)
            except KeyError:  # emptied as above
                pairs = tuple(analyse_word(word) for word in words)
            recorded = list(set(pairs))
        # A word that is its own stem is recorded with an empty stem: not for
        # the stem table, but a new word all the same (its name keys).
        stems.update(
            {surface: "" if stemmed == surface else stemmed for surface, stemmed in recorded if surface}
        )
    # Function words (في، من…) and words that normalise to nothing leave two
    # spaces: the index sees no term there. A fifth of the index, gone.
    return " ".join(indexed), len(words)  # type: ignore[arg-type]  # no None left


def reset_cache() -> None:
    """Forget analysed words (a fresh import worker starts from nothing)."""
    _term_cache.clear()
    _indexed_cache.clear()


def count_words(text: str) -> int:
    return len(word_list(text))


def query_terms(text: str) -> list[str]:
    """Surface forms of the words in a piece of query text, in order."""
    return [token.surface for token in tokens(text)]


def is_arabic(term: str) -> bool:
    return bool(_ARABIC_LETTER_RE.search(term))


def proclitic_prefixes(surface: str) -> list[tuple[str, bool]]:
    """(prefix, is_article_form) for every proclitic sequence a word can take.

    The bare word comes first (prefix ""). Article forms (ال، وال، بال، لل…)
    only for words that do not carry the article already; none at all for
    non-Arabic terms.
    """
    if not is_arabic(surface):
        return [("", False)]
    prefixes = [(c + p, False) for c in _CONJUNCTIONS for p in _PREPOSITIONS]
    if not surface.startswith("\u0627\u0644"):
        prefixes.extend((article, True) for article in _ARTICLE_FORMS)
    return prefixes


def proclitic_forms(surface: str) -> list[str]:
    """The forms a normalised Arabic word takes behind proclitics.

    «بوتين» -> بوتين, وبوتين, فبوتين, لبوتين, … البوتين, وبالبوتين…
    """
    return list(dict.fromkeys(prefix + surface for prefix, _ in proclitic_prefixes(surface)))


def suffix_forms(surface: str) -> list[str]:
    """The word with attached pronouns or the accusative alef.

    «حكومه» -> حكومته، حكومتها، … (ة becomes ت); «كتاب» -> كتابه، …، كتابا.
    """
    if len(surface) < 3 or not is_arabic(surface):
        return []
    forms = [surface + suffix for suffix in _PRONOUN_SUFFIXES]
    if surface.endswith(_HEH):  # a normalised ta marbuta
        forms += [surface[:-1] + _TEH + suffix for suffix in _PRONOUN_SUFFIXES]
    elif surface[-1] not in _NO_ACCUSATIVE_ALEF:
        forms.append(surface + ALEF)  # the accusative: «كتاباً» is «كتابا»
    return forms


def strip_article(surface: str) -> str | None:
    """The word without a leading article form (ال، وال، بال، لل…), if long enough."""
    for prefix in sorted(_ARTICLE_FORMS, key=len, reverse=True):
        rest = surface[len(prefix) :]
        if surface.startswith(prefix) and len(rest) >= 3 and rest not in STOPWORDS:
            return rest
    return None


def glue_remainder_plausible(rest: str, document_frequency: dict[str, int]) -> bool:
    """Whether ``rest``, left after a known word inside a longer term, is a word too.

    It is when it starts with the article («التصرف»), when the index knows it
    as a word, or knows it without a leading conjunction («وتراجع»).
    """
    if len(rest) < 3 or not is_arabic(rest):
        return False
    if rest.startswith("\u0627\u0644") and len(rest) >= 4:
        return True
    if document_frequency.get(rest, 0) > 0:
        return True
    return rest[0] in _SINGLE_PROCLITICS and len(rest) >= 4 and document_frequency.get(rest[1:], 0) > 0


def strip_single_proclitic(surface: str) -> str | None:
    """The word without a leading single-letter proclitic, if it could have one."""
    if len(surface) >= 4 and surface[0] in _SINGLE_PROCLITICS and is_arabic(surface):
        return surface[1:]
    return None


def is_stopword(surface: str) -> bool:
    return surface in STOPWORDS
