"""Running a parsed query against the FTS5 index, and showing why it matched.

Compilation turns each query word into index terms:

* its normalised surface form, matched in the surface columns (this is an
  *exact* match, and ranks first);
* the stems of the word and of its proclitic forms (وبوتين, فبوتين, لبوتين…),
  matched in the stem columns. Only forms the index actually holds are sent,
  so the FTS5 query stays short.

and, ranked below those direct matches, the forms that links bring:

* the broken plurals of the word, or its singulars (:mod:`store.analysis.plurals`:
  «صاروخ» also finds «الصواريخ»), applied to its surface forms and then given
  their own clitic forms, never to a whole stem class;
* the same name in the other script among the library's words (the table of
  name keys, :mod:`store.search.nametable`, and CLDR's place names:
  «زيلينسكي» also finds "Zelensky", "Kyiv" finds «كييف»).

Results are ordered by how many query words matched directly (not only
through a link), then exactly, then by bm25 with titles weighted over
bodies. A question, or a long query that no article holds in full, is
answered by the best matches (:func:`best_match_ids`): the articles holding
the most of its words, weighted by how rare each is. Highlights and snippets
are computed on the original text by analysing it again, so the query
«كرملين» marks «والكرملين» and «صاروخ» marks «الصواريخ».
"""

from __future__ import annotations

import bisect
import math
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from store.analysis.arabic import (
    ARTICLE_FORMS,
    analyse_word,
    fold,
    fold_keeps_offsets,
    glue_remainder_plausible,
    is_arabic,
    is_stopword,
    iter_token_spans,
    proclitic_forms,
    proclitic_prefixes,
    stem,
    strip_article,
    strip_single_proclitic,
    suffix_forms,
    tokens,
)
from store.analysis.plurals import plural_links
from store.errors import QueryError
from store.search.query import And, Filters, Node, Not, Or, ParsedQuery, Term, parse_query

#: bm25 weights for (title, body): a word in the title counts like twenty in the body.
BM25_WEIGHTS = (20.0, 1.0)
#: At most this many forms of one query word go into the index query.
MAX_VARIANTS = 300
#: Words in this many articles or more are not looked for glued to others.
GLUE_MAX_DOCUMENTS = 500
#: Document counts of query terms are exact up to here (see Vocabulary).
COUNT_CAP = 4096
#: Pages within this many results try the exact-words tier on its own first.
FIRST_TIER_ROWS = 200
SNIPPET_WORDS = 28

_TITLE = "{title} : "


# Characters a plain fold cannot bring to index form (presentation forms,
# accented Latin letters): texts with them are always tokenised.
_NEEDS_FULL_ANALYSIS_RE = re.compile("[\u00c0-\u058f\ufb50-\ufdff\ufe70-\ufeff]")


# Characters FTS5's ascii tokenizer splits on (ASCII other than letters and digits).
_NOT_ONE_TOKEN_RE = re.compile("[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]")


def fts_quote(term: str) -> str:
    """An analysed term as an FTS5 string: never syntax, whatever it holds."""
    return '"' + term.replace('"', '""') + '"'


class Vocabulary:
    """How many articles hold a term, asked once per term per query.

    Counts are exact up to :data:`COUNT_CAP` and :data:`COUNT_CAP` above it:
    every decision that uses them compares small numbers, and counting a
    word that is in every article (fts5vocab walks its whole posting list,
    18 ms for «روسيا» in 100,000 articles) would cost more than the search.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._counts: dict[str, int] = {}
        self._present: dict[str, bool] = {}
        self._articles: int | None = None

    def counts(self, terms: Iterable[str]) -> dict[str, int]:
        for term in dict.fromkeys(terms):
            if term and term not in self._counts:
                self._counts[term] = self._count(term)
        return self._counts

    def _count(self, term: str) -> int:
        if _NOT_ONE_TOKEN_RE.search(term):
            return 0  # the tokenizer would split it: not a term of the index
        row = self.conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)",
            (fts_quote(term), COUNT_CAP),
        ).fetchone()
        return int(row[0])

    def df(self, term: str) -> int:
        return self.counts([term])[term]

    def present(self, terms: Iterable[str]) -> set[str]:
        """The terms the index holds (one row each: cheaper than counting)."""
        found = set()
        for term in dict.fromkeys(terms):
            if not term:
                continue
            known = self._present.get(term)
            if known is None:
                count = self._counts.get(term)
                if count is not None:
                    known = count > 0
                elif _NOT_ONE_TOKEN_RE.search(term):
                    known = False
                else:
                    row = self.conn.execute(
                        "SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT 1", (fts_quote(term),)
                    ).fetchone()
                    known = row is not None
                self._present[term] = known
            if known:
                found.add(term)
        return found

    def present_forms(self, forms: Sequence[str]) -> list[str]:
        """The forms the index holds, in order: those whose stem differs from
        the stem table, the others from the index itself."""
        stemmed = [form for form in forms if stem(form) != form]
        found = set(self.surfaces_with_stems(sorted({stem(form) for form in stemmed}))) if stemmed else set()
        found &= set(stemmed)
        found |= self.present(form for form in forms if stem(form) == form)
        return [form for form in dict.fromkeys(forms) if form in found]

    def expression_count(self, expression: str) -> int:
        """Articles matching an FTS5 expression, up to :data:`COUNT_CAP`."""
        row = self.conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)",
            (expression, COUNT_CAP),
        ).fetchone()
        return int(row[0])

    def article_count(self) -> int:
        if self._articles is None:
            row = self.conn.execute("SELECT max(id) FROM articles").fetchone()
            self._articles = int(row[0] or 0)
        return self._articles

    def name_candidates(self, word: str) -> list[str]:
        """Words of the other script sharing a name key with ``word`` (unchecked)."""
        from store.search import nametable

        return nametable.candidates(self.conn, word)

    def existing(self, terms: Iterable[str]) -> set[str]:
        terms = list(terms)
        counts = self.counts(terms)
        return {t for t in terms if counts.get(t)}

    def surfaces_with_stems(self, stems: Sequence[str]) -> list[str]:
        """Indexed words whose stem is one of ``stems`` (and differs from the word)."""
        found: list[str] = []
        for start in range(0, len(stems), 200):
            chunk = list(stems[start : start + 200])
            sql = f"SELECT surface FROM terms WHERE stem IN ({','.join('?' * len(chunk))})"
            found += [row[0] for row in self.conn.execute(sql, chunk)]
        return found

    def glued_after(self, word: str, exclude: set[str]) -> list[str]:
        """Index terms that are ``word`` glued to a following word by bad extraction.

        «كييفالتصرف» is كييف + التصرف: a term that starts with the word and
        goes on with the article, or with another word the index knows.
        """
        if len(word) < 3 or not is_arabic(word):
            return []
        frequency = self.df(word)
        if (len(word) < 4 and not frequency) or frequency >= GLUE_MAX_DOCUMENTS:
            # A common word glued in a few articles changes nothing a reader sees,
            # and its many longer forms make the look-up slow: not for those.
            return []
        rows = self.conn.execute(
            "SELECT term FROM articles_vocab WHERE term > ? AND term < ? LIMIT 200",
            (word, word + "\U0010ffff"),
        ).fetchall()
        # Only remainders of three letters or more can be a word of their own.
        remainders = {
            row[0]: row[0][len(word) :]
            for row in rows
            if row[0] not in exclude and len(row[0]) - len(word) >= 3
        }
        lookups = [r for r in remainders.values() if not r.startswith("\u0627\u0644")]
        counts = self.counts([*lookups, *(r[1:] for r in lookups)])
        return [candidate for candidate, rest in remainders.items() if glue_remainder_plausible(rest, counts)]

    def has_prefix(self, prefix: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM articles_vocab WHERE term >= ? AND term < ? LIMIT 1",
            (prefix, prefix + "\U0010ffff"),
        ).fetchone()
        return row is not None


@dataclass
class Matcher:
    """Finds the words of an original text that a query matched."""

    surfaces: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    prefixes: list[str] = field(default_factory=list)
    #: Each phrase: acceptable surfaces at each position.
    phrases: list[list[set[str]]] = field(default_factory=list)
    _needles: tuple[str, ...] | None = field(default=None, repr=False, compare=False)
    _phrase_needles: list[list[tuple[str, ...]]] = field(default_factory=list, repr=False, compare=False)

    def spans(self, text: str, *, check: bool = True) -> list[tuple[int, int]]:
        if check and not self._could_match(text):
            return []
        words = tokens(text)
        marked = [False] * len(words)
        for index, token in enumerate(words):
            if (
                token.surface in self.surfaces
                or token.stem in self.stems
                or any(token.surface.startswith(p) for p in self.prefixes)
            ):
                marked[index] = True
        # Phrases skip function words, as the index does.
        content = [index for index, token in enumerate(words) if not is_stopword(token.surface)]
        for phrase in self.phrases:
            length = len(phrase)
            for start in range(len(content) - length + 1):
                if all(words[content[start + k]].surface in phrase[k] for k in range(length)):
                    for k in range(length):
                        marked[content[start + k]] = True
        return [(words[i].start, words[i].end) for i in range(len(words)) if marked[i]]

    def spans_in_folded(self, text: str, folded: str) -> list[tuple[int, int]]:
        """:meth:`spans` for a text whose :func:`fold` is ``folded``.

        When the fold lines up with the text, only the words where one of the
        query's terms occurs are analysed, not every word of the paragraph.
        """
        if self.phrases or _NEEDS_FULL_ANALYSIS_RE.search(text) or not fold_keeps_offsets(text, folded):
            return self.spans(text, check=False)
        hits: set[int] = set()
        for needle in self._term_needles():
            at = folded.find(needle)
            while at != -1:
                hits.add(at)
                at = folded.find(needle, at + 1)
        if not hits:
            return []
        words = list(iter_token_spans(text))
        starts = [start for start, _ in words]
        found: list[tuple[int, int]] = []
        for index in sorted({bisect.bisect_right(starts, hit) - 1 for hit in hits}):
            if index < 0:
                continue
            start, end = words[index]
            surface, stemmed = analyse_word(text[start:end])
            if surface and (
                surface in self.surfaces
                or stemmed in self.stems
                or any(surface.startswith(p) for p in self.prefixes)
            ):
                found.append((start, end))
        return found

    def matches(self, text: str, folded: str | None = None) -> bool:
        """Whether any word of ``text`` is matched (``folded``: its fold, if known)."""
        if _NEEDS_FULL_ANALYSIS_RE.search(text):
            return bool(self.spans(text, check=False))
        if folded is None:
            folded = fold(text)
        return self.might_match_folded(folded) and bool(self.spans_in_folded(text, folded))

    @property
    def empty(self) -> bool:
        return not (self.surfaces or self.stems or self.prefixes or self.phrases)

    def absorb(self, other: Matcher) -> None:
        """Also match whatever ``other`` matches."""
        self.surfaces |= other.surfaces
        self.stems |= other.stems
        self.prefixes += other.prefixes
        self.phrases += other.phrases
        self._needles = None

    def _could_match(self, text: str) -> bool:
        """A quick no: none of the query's terms is even a substring of the text.

        Folding the whole text the way words are normalised is one C-level
        pass; a paragraph only gets tokenised when this says it might match.
        """
        if _NEEDS_FULL_ANALYSIS_RE.search(text):
            return True  # presentation forms and the like: tokenise to be sure
        return self.might_match_folded(fold(text))

    def _term_needles(self) -> tuple[str, ...]:
        """Substrings that every matched word's fold contains (built once)."""
        if self._needles is None:
            self._needles = _minimal_needles({*self.surfaces, *self.stems, *self.prefixes})
            # A phrase needs every one of its words, so a text that lacks the
            # rarer one is skipped even when the other is everywhere («وقال»).
            self._phrase_needles = [
                [_minimal_needles(position) for position in phrase] for phrase in self.phrases
            ]
        return self._needles

    def might_match_folded(self, folded: str) -> bool:
        """:meth:`_could_match` for a text already passed through :func:`fold`."""
        if any(needle in folded for needle in self._term_needles()):
            return True
        return any(
            all(any(needle in folded for needle in position) for position in phrase)
            for phrase in self._phrase_needles
        )


def _minimal_needles(terms: set[str]) -> tuple[str, ...]:
    """The terms none of the others is a substring of (a stem covers its forms)."""
    kept: list[str] = []
    for term in sorted((t for t in terms if t), key=len):
        if not any(shorter in term for shorter in kept):
            kept.append(term)
    return tuple(kept)


@dataclass
class CompiledQuery:
    match: str | None
    #: Per query word (or group): the expression of its exact form…
    exact: list[str]
    filters: Filters
    matcher: Matcher
    notes: list[str]
    #: … and what recognises any of its forms (in a title, say): both order results.
    item_matchers: list[Matcher] = field(default_factory=list)
    #: Every word in its exact form (the first tier of results).
    all_exact: str = ""
    #: Per query word (or group): its expression without the forms that only
    #: plural or name links bring (None when it has none): matches through a
    #: link rank below direct ones.
    direct: list[str | None] = field(default_factory=list)
    #: Per query word: what recognises its own forms (no links), and its
    #: linked forms (form -> (kind, linked word)), to say why an article matched.
    direct_matchers: list[Matcher] = field(default_factory=list)
    links: list[dict[str, tuple[str, str]]] = field(default_factory=list)
    #: Per query word (or group): its whole expression, and what it was typed as.
    items: list[str] = field(default_factory=list)
    item_names: list[str] = field(default_factory=list)
    #: A query of many words may be answered by articles holding most of them
    #: (best matches) when none holds them all.
    partial: bool = False
    #: A question (or a long query): best matches follow the articles holding every word.
    question: bool = False
    #: The expression of the words to exclude (empty when none).
    excluded: str = ""


#: A query of this many words (function words aside) or more, or a question
#: of two, when no article holds them all, is answered by the articles that
#: hold the most of them.
PARTIAL_MIN_WORDS = 3
#: A query of this many words is taken as a question typed in plain words.
QUESTION_MIN_WORDS = 5
#: Links of one query word to other words (plurals, names), at most.
MAX_LINKS = 8

_Expressions = tuple[str, str, str]


class _Compiler:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.matcher = Matcher()
        #: Forms that only plural or name links bring: form -> (kind, linked word).
        self.links: dict[str, tuple[str, str]] = {}
        self._last_found: list[str] = []

    def node(self, node: Node) -> _Expressions:
        """(expression, exact-form expression, expression without links) of a node."""
        if isinstance(node, Term):
            if node.prefix:
                expression, exact = self.prefix(node)
                return expression, exact, expression
            if node.is_phrase:
                expression, exact = self.phrase(node)
                return expression, exact, expression
            return self.word(node)
        if isinstance(node, Or):
            parts = [self.node(item) for item in node.items]
            return (
                "(" + " OR ".join(p[0] for p in parts) + ")",
                "(" + " OR ".join(p[1] for p in parts) + ")",
                "(" + " OR ".join(p[2] for p in parts) + ")",
            )
        if isinstance(node, And):
            return self.sequence(node.items)
        raise TypeError(node)  # pragma: no cover - Not is handled by sequence()

    def sequence(self, items: Sequence[Node]) -> _Expressions:
        negatives = [item.item for item in items if isinstance(item, Not)]
        positives = [item for item in items if not isinstance(item, Not)]
        if not positives:
            return "", "", ""
        parts = [self.node(item) for item in positives]
        joined = [" AND ".join(f"({p[k]})" for p in parts) for k in range(3)]
        if negatives:
            excluded = [_Compiler(self.vocabulary).node(item)[0] for item in negatives]  # anywhere
            joined = [f"({part}) NOT ({' OR '.join(excluded)})" for part in joined]
        return f"({joined[0]})", f"({joined[1]})", f"({joined[2]})"

    def word(self, term: Term) -> _Expressions:
        surface = term.words[0]
        columns = _columns(term)
        vocabulary = self.vocabulary
        bases = [surface]
        without_article = strip_article(surface)
        if without_article:
            bases.append(without_article)  # «الوزير» also finds «وزير», «ووزير»
        bare = strip_single_proclitic(surface)
        if bare and vocabulary.df(bare) > vocabulary.df(surface):
            # The user typed a clitic form («لأوكرانيا»): the bare word is what they mean.
            bases.append(bare)
        forms: list[str] = []
        word_stems: list[str] = [stem(surface)]
        for base in bases:
            # Proclitics in front, attached pronouns behind, and both.
            suffixed = suffix_forms(base)
            word_stems += [stem(form) for form in (base, *suffixed)]
            for prefix in self._prefixes_for(base):
                forms.append(prefix + base)
                forms.extend(prefix + tail for tail in suffixed)
        # Two-letter stems («بن» of «بنان», «بنية») match unrelated words: unless
        # the word itself is that short, only longer stems are looked for.
        stems = [
            s
            for s in dict.fromkeys([*word_stems, *(stem(form) for form in forms)])
            if len(s) >= 3 or s == surface
        ]
        # Every indexed word with one of those stems comes from the terms table.
        # A word whose stem is itself is not there: the forms the stemmer leaves
        # whole («لروسيا») and the word's own stems are looked up in the index.
        unstemmed = [form for form in forms if stem(form) == form]
        unstemmed += [s for s in dict.fromkeys(word_stems) if len(s) >= 3]
        present = vocabulary.existing(unstemmed)
        variants = [
            v
            for v in dict.fromkeys(
                [*(f for f in unstemmed if f in present), *vocabulary.surfaces_with_stems(stems)]
            )
            if v != surface
        ]
        if len(variants) > MAX_VARIANTS:  # a very common stem: keep its commonest forms
            counts = vocabulary.counts(variants)
            variants = sorted(variants, key=lambda v: -counts.get(v, 0))[:MAX_VARIANTS]
        glued = vocabulary.glued_after(surface, exclude=set(forms))
        self.matcher.surfaces.add(surface)
        self.matcher.surfaces.update(glued)
        self.matcher.stems.update(stems)
        exact = columns + fts_quote(surface)
        others = [*variants, *glued]
        expression = exact
        if others:
            expression += f" OR {columns}({' OR '.join(fts_quote(v) for v in others)})"
        direct = {surface, *others}
        self._last_found = self._linked(surface, bases)
        linked = [
            form for form in self._last_found if form not in direct and stem(form) not in self.matcher.stems
        ]
        if not linked:
            return expression, exact, expression
        for form in set(self._last_found).difference(linked):
            del self.links[form]
        full = f"{expression} OR {columns}({' OR '.join(fts_quote(v) for v in linked)})"
        return full, exact, expression

    def _linked(self, surface: str, bases: list[str]) -> list[str]:
        """Forms in the library that only plural and name links join to the word.

        Plural links apply to the word's surface forms (with and without the
        article), then take their own clitic forms: never a whole stem class
        (that is how «كتاب» would reach «كاتب»). Names are looked up across
        scripts among the library's words, then take their clitic forms.
        """
        found: list[str] = []
        for base in dict.fromkeys(bases):
            for other in sorted(plural_links(base))[:MAX_LINKS]:
                for form in self.vocabulary.present_forms(self._clitic_forms(other, suffixes=True)):
                    if form not in self.links:
                        self.links[form] = ("plural", other)
                        found.append(form)
        for base in self._name_bases(surface, bases):
            for other in self._names(base):
                forms = self._clitic_forms(other, suffixes=False) if is_arabic(other) else [other]
                for form in self.vocabulary.present_forms(forms):
                    if form not in self.links:
                        self.links[form] = ("name", other)
                        found.append(form)
        return found

    def _clitic_forms(self, word: str, *, suffixes: bool) -> list[str]:
        tails = [word, *suffix_forms(word)] if suffixes else [word]
        forms = [prefix + tail for prefix in self._prefixes_for(word) for tail in tails]
        if word.startswith("\u0627\u0644") and is_arabic(word):
            # «ألغام» folds to «الغام», which looks like it has the article already.
            forms += [article + tail for article in ARTICLE_FORMS for tail in tails]
        return forms

    @staticmethod
    def _name_bases(surface: str, bases: list[str]) -> list[str]:
        found = list(bases)
        bare = strip_single_proclitic(surface)
        if bare:
            found.append(bare)
        return [base for base in dict.fromkeys(found) if len(base) >= 3]

    def _names(self, word: str) -> list[str]:
        """Words of the other script in the library that name what ``word`` names, best first."""
        from store.analysis import names

        if names.name_key(word) is None and word not in names.cldr_names():
            return []
        candidates = self.vocabulary.name_candidates(word)
        exonyms = [w for w in names.cldr_names().get(word, ()) if w not in candidates]
        candidates += sorted(self.vocabulary.present(exonyms))
        return names.cross_script(word, candidates)[:MAX_LINKS]

    def _prefixes_for(self, base: str) -> list[str]:
        """Proclitic sequences worth adding to ``base``.

        Article forms always are. A single letter (و ف ب ل ك) in front of a
        word can also begin another word («لبنان» is not ل + «بنان»), so those
        forms are used only when they look like clitic forms: rarer than the
        word itself, and never for a short word the index has not seen alone.
        """
        pairs = proclitic_prefixes(base)
        singles = [prefix + base for prefix, article in pairs if prefix and not article]
        counts = self.vocabulary.counts([base, *singles])
        base_count = counts.get(base, 0)
        kept = []
        for prefix, article in pairs:
            if not prefix or article:
                kept.append(prefix)
                continue
            count = counts.get(prefix + base, 0)
            if base_count == 0 and len(base) < 5:
                continue
            if base_count and count > max(3, 2 * base_count):
                continue
            kept.append(prefix)
        return kept

    def phrase(self, term: Term) -> tuple[str, str]:
        columns = _columns(term)
        first, rest = term.words[0], term.words[1:]
        forms = [prefix + first for prefix in self._prefixes_for(first)]
        present = self.vocabulary.existing(forms)
        firsts = [first] + [f for f in forms if f in present and f != first]
        self.matcher.phrases.append([set(firsts), *({w} for w in rest)])
        phrases = [" + ".join(fts_quote(w) for w in [f, *rest]) for f in firsts]
        exact = f"{columns}({phrases[0]})"
        return f"{columns}({' OR '.join(phrases)})", exact

    def prefix(self, term: Term) -> tuple[str, str]:
        columns = _columns(term)
        start = term.words[0]
        candidates = proclitic_forms(start)[1:]
        forms = [start] + [f for f in candidates if self.vocabulary.has_prefix(f)]
        self.matcher.prefixes.extend(forms)
        expression = " OR ".join(f"{fts_quote(f)} *" for f in forms)
        return f"{columns}({expression})", f"{columns}{fts_quote(start)} *"


def _columns(term: Term) -> str:
    """An FTS5 column filter prefix: none for the whole article (a filter naming
    every column still costs a pass over positions), ``{title} :`` for titles."""
    return _TITLE if term.title_only else ""


def _without_function_words(node: Node, dropped: list[str]) -> Node | None:
    """The query without function words (في، من…), which the index does not hold.

    Phrases lose them too («"في أوكرانيا"» looks for «أوكرانيا»); prefixes keep
    theirs («في*» finds «فيسبوك»). None when nothing is left of the node.
    """
    if isinstance(node, Term):
        if node.prefix:
            return node
        kept = [word for word in node.words if not is_stopword(word)]
        dropped += [word for word in node.words if is_stopword(word)]
        if not kept:
            return None
        return Term(kept, node.raw, node.prefix, node.quoted, node.title_only)
    if isinstance(node, Not):
        inner = _without_function_words(node.item, dropped)
        return None if inner is None else Not(inner)
    children = [c for c in (_without_function_words(item, dropped) for item in node.items) if c is not None]
    if not children:
        return None
    if isinstance(node, Or):
        return children[0] if len(children) == 1 else Or(children)
    return And(children)


#: Question words (normalised): they carry no weight beside other words
#: («متى بدأت الحرب» searches بدأت الحرب), but are searched when alone.
QUESTION_WORDS = frozenset(
    """
    متي كيف لماذا لماذ اين كم ماذا ما من هل اي ايه ماهو ماهي ممن مما عما لمن
    ومتي وكيف ولماذا واين وكم وماذا وما ومن وهل واي فما فمن فكيف فهل فلماذا فمتي فاين
    هناك هنا كيفيه مدي
    what who whom whose when where why how which
    """.split()
)


def _without_question_words(items: list[Node], dropped: list[str]) -> list[Node]:
    """The query's words without question words, if anything else is left."""

    def is_question(item: Node) -> bool:
        return (
            isinstance(item, Term)
            and not item.quoted
            and not item.prefix
            and len(item.words) == 1
            and item.words[0] in QUESTION_WORDS
        )

    kept = [item for item in items if not is_question(item)]
    if not any(not isinstance(item, Not) for item in kept):
        return items
    for item in items:
        if is_question(item):
            assert isinstance(item, Term)
            dropped.append(item.words[0])
    return kept


def _plain_words(items: Sequence[Node]) -> bool:
    return all(isinstance(item, Term) and not item.is_phrase and not item.prefix for item in items)


def compile_query(parsed: ParsedQuery, vocabulary: Vocabulary) -> CompiledQuery:
    """FTS5 expressions for a parsed query. Raises QueryError if nothing can run."""
    compiler = _Compiler(vocabulary)
    notes = list(parsed.notes)
    dropped: list[str] = []
    root = _without_function_words(parsed.root, dropped)
    items: Sequence[Node] = root.items if isinstance(root, And) else ([root] if root is not None else [])
    items = _without_question_words(list(items), dropped)
    positives = [item for item in items if not isinstance(item, Not)]
    negatives = [item.item for item in items if isinstance(item, Not)]
    if not positives:
        if parsed.filters.any:
            if parsed.root.items:
                notes.append("a query of exclusions only lists nothing to exclude from; showed the filter")
            return CompiledQuery(None, [], parsed.filters, compiler.matcher, notes)
        if dropped and parsed.has_terms:
            words = "، ".join(dict.fromkeys(dropped))
            raise QueryError(
                "only common words ({words}): too common to search for; add another word", words=words
            )
        if any(isinstance(item, Not) for item in parsed.root.items):
            raise QueryError("nothing to search for: a query needs a word to find, not only words to exclude")
        raise QueryError("nothing to search for: type a word (for example: بوتين)")
    if dropped:
        notes.append("ignored common words: " + " ".join(dict.fromkeys(dropped)))
    # Each query word (or group) once: its expression, its exact form, its
    # expression without links, and matchers that recognise it (to put title
    # matches first, and to say why an article matched).
    parts: list[_Expressions] = []
    item_matchers: list[Matcher] = []
    direct_matchers: list[Matcher] = []
    links: list[dict[str, tuple[str, str]]] = []
    for item in positives:
        single = _Compiler(vocabulary)
        parts.append(single.node(item))
        direct_matchers.append(single.matcher)
        whole = Matcher()
        whole.absorb(single.matcher)
        whole.surfaces.update(single.links)
        item_matchers.append(whole)
        links.append(single.links)
        compiler.matcher.absorb(whole)
    expression = " AND ".join(f"({p[0]})" for p in parts)
    all_exact = " AND ".join(f"({p[1]})" for p in parts)
    excluded = ""
    if negatives:
        excluded = " OR ".join(_Compiler(vocabulary).node(item)[0] for item in negatives)
        expression = f"({expression}) NOT ({excluded})"
        all_exact = f"({all_exact}) NOT ({excluded})"
    exact = [p[1] for p in parts]
    direct = [p[2] if p[2] != p[0] else None for p in parts]
    asked = (
        len(parts) >= QUESTION_MIN_WORDS
        or any(word in QUESTION_WORDS for word in dropped)
        or any(isinstance(item, Term) and ("?" in item.raw or "؟" in item.raw) for item in positives)
    )
    return CompiledQuery(
        expression,
        exact,
        parsed.filters,
        compiler.matcher,
        notes,
        item_matchers,
        all_exact,
        direct=direct,
        direct_matchers=direct_matchers,
        links=links,
        items=[p[0] for p in parts],
        item_names=[_item_name(item) for item in positives],
        partial=_plain_words(positives) and (len(parts) >= PARTIAL_MIN_WORDS or (asked and len(parts) > 1)),
        question=asked,
        excluded=excluded,
    )


def _item_name(item: Node) -> str:
    if isinstance(item, Term):
        return item.raw
    return "(…)"


def filter_sql(filters: Filters) -> tuple[str, list[object]]:
    """A WHERE clause over ``articles`` for the query's filters."""
    clauses: list[str] = []
    params: list[object] = []
    if filters.bookmarked:
        clauses.append("bookmarked = 1")
    if filters.read is not None:
        clauses.append("read = ?")
        params.append(1 if filters.read else 0)
    if filters.sites:
        ors = []
        for site in filters.sites:
            ors.append("site = ? COLLATE NOCASE OR credits LIKE ?")
            params.extend([site, f'%"{site}"%'])
        clauses.append("(" + " OR ".join(ors) + ")")
    if filters.feeds:
        # A feed by its ID, its name (or part of it) or its address.
        ors = []
        for name in filters.feeds:
            ors.append("f.id = ? OR f.name = ? COLLATE NOCASE OR f.name LIKE ? OR f.url LIKE ?")
            params.extend([int(name) if name.isdigit() else -1, name, f"%{name}%", f"%{name}%"])
        clauses.append(
            "id IN (SELECT e.article_id FROM entries e JOIN feeds f ON f.id = e.feed_id "
            f"WHERE {' OR '.join(ors)})"
        )
    if filters.after is not None:
        clauses.append("coalesce(published_at, imported_at) >= ?")
        params.append(filters.after)
    if filters.before is not None:
        clauses.append("coalesce(published_at, imported_at) < ?")
        params.append(filters.before)
    return " AND ".join(clauses), params


@dataclass
class RankedRow:
    id: int
    rank: float
    exact: int
    titled: int = 0
    words: int = 0
    #: Query words found in the article's own forms (not only through a link).
    direct: int = -1
    #: For best matches: the weight of the query words the article holds, out of 1.
    coverage: float = 1.0

    @property
    def score(self) -> float:
        """Higher is better, and orders results as they are ranked.

        Articles with every word come first: the whole part counts the words
        found directly (not only through a plural or name link), then those
        found exactly as typed; the fraction orders by words found in the
        title, then by bm25 relevance. Best matches (some words missing) score
        below them all, by the share of the query they hold.
        """
        relevance = max(0.0, -self.rank)
        fraction = (self.titled + relevance / (1.0 + relevance)) / (self.words + 2)
        if self.coverage < 1.0:
            return round(self.coverage * 0.99 + fraction / 100, 4)
        direct = self.words if self.direct < 0 else self.direct
        return round(1 + direct * (self.words + 1) + self.exact + fraction, 4)


def _membership(count: int) -> str:
    member = "(rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?))"
    return " + ".join([member] * count) or "0"


def ranked_ids(
    conn: sqlite3.Connection,
    compiled: CompiledQuery,
    *,
    limit: int,
    offset: int = 0,
    recent_first: bool = False,
) -> list[RankedRow]:
    """Matching article IDs, best first (or newest first while typing)."""
    where, params = filter_sql(compiled.filters)
    if compiled.match is None:
        sql = "SELECT id FROM articles" + (f" WHERE {where}" if where else "")
        sql += " ORDER BY coalesce(published_at, imported_at) DESC, id DESC LIMIT ? OFFSET ?"
        rows = conn.execute(sql, [*params, limit, offset]).fetchall()
        return [RankedRow(row[0], 0.0, 0) for row in rows]
    filter_clause = f" AND rowid IN (SELECT id FROM articles WHERE {where})" if where else ""
    if recent_first:
        sql = (
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
            f"{filter_clause} ORDER BY rowid DESC LIMIT ? OFFSET ?"
        )
        rows = conn.execute(sql, [compiled.match, *params, limit, offset]).fetchall()
        return [RankedRow(row[0], 0.0, 0) for row in rows]
    weights = ", ".join(str(w) for w in BM25_WEIGHTS)
    words = len(compiled.exact)
    depth = max(FIRST_TIER_ROWS, offset + limit)
    if compiled.all_exact and offset + limit <= FIRST_TIER_ROWS:
        # Results with every word as typed come first. When they fill the page,
        # the forms of the words need not be searched at all: for a common word
        # that is a third of the work.
        sql = (
            f"SELECT rowid, bm25(articles_fts, {weights}) AS rank FROM articles_fts "
            f"WHERE articles_fts MATCH ?{filter_clause} ORDER BY rank LIMIT ?"
        )
        best = [
            RankedRow(row[0], row[1], words, 0, words, words)
            for row in conn.execute(sql, [compiled.all_exact, *params, depth])
        ]
        if len(best) >= offset + limit:
            return _titles_first(conn, compiled, best)[offset : offset + limit]
    # Words that plural or name links also match: found directly, or only so.
    linked = [expression for expression in compiled.direct if expression is not None]
    sql = (
        f"SELECT rowid, bm25(articles_fts, {weights}) AS rank, {_membership(words)} AS exact, "
        f"{words - len(linked)} + {_membership(len(linked))} AS direct "
        f"FROM articles_fts WHERE articles_fts MATCH ?{filter_clause} "
        "ORDER BY direct DESC, exact DESC, rank ASC, rowid DESC LIMIT ?"
    )
    rows = conn.execute(sql, [*compiled.exact, *linked, compiled.match, *params, depth]).fetchall()
    best = [RankedRow(row[0], row[1], row[2], 0, words, row[3]) for row in rows]
    return _titles_first(conn, compiled, best)[offset : offset + limit]


#: Best matches are ordered by bm25 within a share of the query when at most
#: this many articles hold any of its words; beyond, newest first (bm25 over
#: tens of thousands of articles costs more than the rest of the search).
BEST_MATCH_BM25_ROWS = 20_000


def best_match_ids(
    conn: sqlite3.Connection,
    compiled: CompiledQuery,
    *,
    limit: int,
    offset: int = 0,
    without_full: bool = False,
) -> list[RankedRow]:
    """Articles holding some of the query's words, those holding the most first.

    Each word (in all its forms) weighs by how rare it is (idf); an article's
    share of the query is the weight of the words it holds over the weight of
    them all, and articles with the same share go by bm25 over all the words.
    For a question, or a long query that no article holds word for word.
    ``without_full`` leaves out the articles holding every word.
    """
    if compiled.match is None or not compiled.items:
        return []
    where, params = filter_sql(compiled.filters)
    allowed: set[int] | None = None
    if where:
        allowed = {row[0] for row in conn.execute(f"SELECT id FROM articles WHERE {where}", params)}
    excluded: set[int] = set()
    if compiled.excluded:
        excluded = _rowids(conn, compiled.excluded)
    # The articles worth ranking hold one of the rarer words. In a large
    # library a word in thousands of articles only adds to the share of the
    # articles found through the others (an AND query: FTS5 answers it by
    # seeking in the long posting list, not reading it all).
    vocabulary = Vocabulary(conn)
    counts = [vocabulary.expression_count(item) for item in compiled.items]
    held = [index for index, count in enumerate(counts) if count]
    rare = [index for index in held if counts[index] < COUNT_CAP]
    if not rare and len(held) > 1:
        # Every word is in thousands of articles (a large library): the
        # articles holding all of them, then all but one, are found by FTS5's
        # intersections; reading posting lists that long would cost more.
        common = _common_words_tiers(conn, compiled, held, counts, offset + limit, without_full)
        if common is not None:
            return common[offset : offset + limit]
    if not rare:
        rare = held[:2]
    if not rare:
        return []
    some_rare = " OR ".join(f"({compiled.items[index]})" for index in rare)
    holders = [
        _rowids(conn, item if index in rare else f"({some_rare}) AND ({item})", BEST_MATCH_BM25_ROWS)
        if counts[index]
        else set()
        for index, item in enumerate(compiled.items)
    ]
    articles = max(1, vocabulary.article_count())
    weights = [math.log(1.0 + articles / (1.0 + count)) if count else 0.0 for count in counts]
    total = sum(weights) or 1.0
    # Which of the words each article holds, as a bit mask: the share of the
    # query is then computed once per combination of words, not per article.
    masks: dict[int, int] = {}
    get = masks.get
    for index, found in enumerate(holders):
        bit = 1 << index
        for rowid in found:
            masks[rowid] = get(rowid, 0) | bit
    groups: dict[int, list[int]] = {}
    for rowid, mask in masks.items():
        if (allowed is None or rowid in allowed) and rowid not in excluded:
            groups.setdefault(mask, []).append(rowid)
    full_mask = (1 << len(holders)) - 1
    if without_full:
        groups.pop(full_mask, None)

    def share(mask: int) -> float:
        held = sum(weight for index, weight in enumerate(weights) if mask >> index & 1)
        return 1.0 if mask == full_mask else min(round(held / total, 6), 0.9999)

    shares = {mask: share(mask) for mask in groups}
    ordered_masks = sorted(groups, key=lambda mask: (-round(shares[mask], 3), -shares[mask]))
    wanted = offset + limit
    candidates = 0
    kept_masks = []
    for mask in ordered_masks:
        kept_masks.append(mask)
        candidates += len(groups[mask])
        if candidates >= wanted:
            break
    if not kept_masks:
        return []
    ranks: dict[int, float] = {}
    if len(masks) <= BEST_MATCH_BM25_ROWS:
        # bm25 over the rarer words (all of them in a small library): over a
        # word in thousands of articles it would read its whole posting list.
        any_word = some_rare
        bm25 = ", ".join(str(w) for w in BM25_WEIGHTS)
        sql = f"SELECT rowid, bm25(articles_fts, {bm25}) FROM articles_fts WHERE articles_fts MATCH ?"
        ranks = dict(conn.execute(sql, (any_word,)).fetchall())
    ordered: list[int] = []
    for rounded in dict.fromkeys(round(shares[mask], 3) for mask in kept_masks):
        tier = [rowid for mask in kept_masks if round(shares[mask], 3) == rounded for rowid in groups[mask]]
        tier.sort(key=lambda rowid: (ranks.get(rowid, 0.0), -rowid))
        ordered += tier
    words = len(compiled.items)
    share_of = {rowid: shares[mask] for mask in kept_masks for rowid in groups[mask]}
    return [
        RankedRow(rowid, ranks.get(rowid, 0.0), 0, 0, words, 0, share_of[rowid])
        for rowid in ordered[offset : offset + limit]
    ]


def _common_words_tiers(
    conn: sqlite3.Connection,
    compiled: CompiledQuery,
    held: list[int],
    counts: list[int],
    wanted: int,
    without_full: bool,
) -> list[RankedRow] | None:
    """Best matches when every word is common: all of them, then all but one.

    None when those do not fill ``wanted`` rows (or filters apply).
    """
    where, _ = filter_sql(compiled.filters)
    if where or compiled.excluded:
        return None
    words = len(counts)
    share = len(held) / words  # equal weights: every word is as common as the cap can tell

    def every(indexes: list[int]) -> str:
        return " AND ".join(f"({compiled.items[index]})" for index in indexes)

    rows: list[RankedRow] = []
    seen: set[int] = set()
    full = _rowids(conn, every(held), wanted)
    if not (without_full and len(held) == words):
        rows += [
            RankedRow(rowid, 0.0, 0, 0, words, 0, 1.0 if share == 1 else share)
            for rowid in sorted(full, reverse=True)
        ]
    seen |= full
    if len(rows) < wanted and len(held) > 2:
        for missing in held:
            others = [index for index in held if index != missing]
            found = _rowids(conn, every(others), wanted) - seen
            seen |= found
            partial = (len(held) - 1) / words
            rows += [RankedRow(rowid, 0.0, 0, 0, words, 0, partial) for rowid in sorted(found, reverse=True)]
    if len(rows) < wanted:
        return None
    return rows


def _rowids(conn: sqlite3.Connection, expression: str, limit: int = -1) -> set[int]:
    """Articles matching an expression (the newest ``limit`` of them, if given)."""
    sql = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?"
    return {row[0] for row in conn.execute(sql, (expression, limit))}


def _titles_first(
    conn: sqlite3.Connection, compiled: CompiledQuery, rows: list[RankedRow]
) -> list[RankedRow]:
    """Within each tier (words found directly, then exactly), articles with
    more query words in the title first.

    Decided on the titles themselves (a column-filtered FTS5 query over a
    phrase of common words costs hundreds of milliseconds; this costs a few).
    """
    if not rows or not compiled.item_matchers:
        return rows
    placeholders = ",".join("?" * len(rows))
    titles = dict(
        conn.execute(f"SELECT id, title FROM articles WHERE id IN ({placeholders})", [r.id for r in rows])
    )
    for row in rows:
        title = titles.get(row.id, "")
        folded = fold(title)
        row.titled = sum(1 for matcher in compiled.item_matchers if matcher.matches(title, folded))
    return sorted(rows, key=lambda row: (-row.direct, -row.exact, -row.titled, row.rank, -row.id))


def count_matches(conn: sqlite3.Connection, compiled: CompiledQuery, *, partial: bool = False) -> int:
    """Articles matching the query (with ``partial``, holding any of its words)."""
    where, params = filter_sql(compiled.filters)
    if compiled.match is None:
        sql = "SELECT count(*) FROM articles" + (f" WHERE {where}" if where else "")
        return int(conn.execute(sql, params).fetchone()[0])
    match = compiled.match
    if partial and compiled.items:
        match = " OR ".join(f"({item})" for item in compiled.items)
        if compiled.excluded:
            match = f"({match}) NOT ({compiled.excluded})"
    filter_clause = f" AND rowid IN (SELECT id FROM articles WHERE {where})" if where else ""
    sql = f"SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?{filter_clause}"
    return int(conn.execute(sql, [match, *params]).fetchone()[0])


def make_snippet(
    body: str, matcher: Matcher, words: int = SNIPPET_WORDS
) -> tuple[str, list[tuple[int, int]]]:
    """A passage of the body around its best match, and the matches inside it."""
    paragraphs = body.split("\n") if body else [""]
    best_paragraph, best_spans, best_key = paragraphs[0], [], (0, 0)
    if not matcher.empty:
        # Fold the body once; only paragraphs that might match get tokenised.
        folded = fold(body).split("\n") if not _NEEDS_FULL_ANALYSIS_RE.search(body) else None
        for index, paragraph in enumerate(paragraphs):
            if folded is not None and not matcher.might_match_folded(folded[index]):
                continue
            spans = (
                matcher.spans(paragraph, check=True)
                if folded is None
                else matcher.spans_in_folded(paragraph, folded[index])
            )
            if not spans:
                continue
            key = (len({paragraph[s:e] for s, e in spans}), len(spans))
            if key > best_key:
                best_paragraph, best_spans, best_key = paragraph, spans, key
    positions = list(iter_token_spans(best_paragraph))
    if len(positions) <= words:
        return best_paragraph, best_spans
    # Slide a window of `words` words to hold as many matches as possible.
    starts = [s for s, _ in positions]
    best_start, best_count = 0, -1
    for index in range(len(positions) - words + 1):
        low, high = starts[index], positions[index + words - 1][1]
        count = sum(1 for s, _ in best_spans if low <= s < high)
        if count > best_count:
            best_start, best_count = index, count
        if best_spans and best_spans[-1][0] < low:
            break
    low = 0 if best_start == 0 else starts[best_start]
    end_index = best_start + words - 1
    high = len(best_paragraph) if end_index >= len(positions) - 1 else positions[end_index][1]
    prefix = "… " if low > 0 else ""
    suffix = " …" if high < len(best_paragraph) else ""
    text = prefix + best_paragraph[low:high] + suffix
    shift = len(prefix) - low
    spans = [(s + shift, e + shift) for s, e in best_spans if low <= s and e <= high]
    return text, spans


def lead_snippet(body: str, words: int = SNIPPET_WORDS) -> str:
    return make_snippet(body, Matcher(), words)[0]


def relevance_to_score(rank: float) -> float:
    relevance = max(0.0, -rank)
    return relevance / (1.0 + relevance) if math.isfinite(relevance) else 0.0


def prepare_query(conn: sqlite3.Connection, query: str) -> CompiledQuery:
    """Parse and compile; QueryError when there is nothing that could run."""
    return compile_query(parse_query(query), Vocabulary(conn))
