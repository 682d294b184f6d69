"""Running a parsed query against the FTS5 index, and showing why it matched.

Compilation turns each query word into index terms:

* its normalised surface form, matched in the surface columns (this is an
  *exact* match, and ranks first);
* the stems of the word and of its proclitic forms (وبوتين, فبوتين, لبوتين…),
  matched in the stem columns. Only forms the index actually holds are sent,
  so the FTS5 query stays short.

Results are ordered by how many query words matched exactly, then by bm25
with titles weighted over bodies. Highlights and snippets are computed on the
original text by analysing it again, so the query «كرملين» marks «والكرملين».
"""

from __future__ import annotations

import bisect
import math
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from store.analysis.arabic import (
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


class _Compiler:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.matcher = Matcher()

    def node(self, node: Node) -> tuple[str, str]:
        """(expression, exact-form expression) of a node."""
        if isinstance(node, Term):
            if node.prefix:
                return self.prefix(node)
            if node.is_phrase:
                return self.phrase(node)
            return self.word(node)
        if isinstance(node, Or):
            parts = [self.node(item) for item in node.items]
            return (
                "(" + " OR ".join(p[0] for p in parts) + ")",
                "(" + " OR ".join(p[1] for p in parts) + ")",
            )
        if isinstance(node, And):
            return self.sequence(node.items)
        raise TypeError(node)  # pragma: no cover - Not is handled by sequence()

    def sequence(self, items: Sequence[Node]) -> tuple[str, str]:
        negatives = [item.item for item in items if isinstance(item, Not)]
        positives = [item for item in items if not isinstance(item, Not)]
        if not positives:
            return "", ""
        parts = [self.node(item) for item in positives]
        expression = " AND ".join(f"({p[0]})" for p in parts)
        exact = " AND ".join(f"({p[1]})" for p in parts)
        if negatives:
            excluded = [_Compiler(self.vocabulary).node(item)[0] for item in negatives]  # anywhere
            expression = f"({expression}) NOT ({' OR '.join(excluded)})"
            exact = f"({exact}) NOT ({' OR '.join(excluded)})"
        return f"({expression})", f"({exact})"

    def word(self, term: Term) -> tuple[str, str]:
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
        return expression, exact

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


def compile_query(parsed: ParsedQuery, vocabulary: Vocabulary) -> CompiledQuery:
    """FTS5 expressions for a parsed query. Raises QueryError if nothing can run."""
    compiler = _Compiler(vocabulary)
    notes = list(parsed.notes)
    dropped: list[str] = []
    root = _without_function_words(parsed.root, dropped)
    items: Sequence[Node] = root.items if isinstance(root, And) else ([root] if root is not None else [])
    positives = [item for item in items if not isinstance(item, Not)]
    negatives = [item.item for item in items if isinstance(item, Not)]
    if not positives:
        if parsed.filters.any:
            if parsed.root.items:
                notes.append("a query of exclusions only lists nothing to exclude from; showed the filter")
            return CompiledQuery(None, [], parsed.filters, compiler.matcher, notes)
        if dropped and parsed.has_terms:
            words = "، ".join(dict.fromkeys(dropped))
            raise QueryError(f"only common words ({words}): too common to search for; add another word")
        if any(isinstance(item, Not) for item in parsed.root.items):
            raise QueryError("nothing to search for: a query needs a word to find, not only words to exclude")
        raise QueryError("nothing to search for: type a word (for example: بوتين)")
    if dropped:
        notes.append("ignored common words: " + " ".join(dict.fromkeys(dropped)))
    # Each query word (or group) once: its expression, its exact form, and
    # a matcher that recognises it (to put title matches first).
    parts: list[tuple[str, str]] = []
    item_matchers: list[Matcher] = []
    for item in positives:
        single = _Compiler(vocabulary)
        parts.append(single.node(item))
        item_matchers.append(single.matcher)
        compiler.matcher.absorb(single.matcher)
    expression = " AND ".join(f"({p[0]})" for p in parts)
    all_exact = " AND ".join(f"({p[1]})" for p in parts)
    if negatives:
        excluded = " OR ".join(_Compiler(vocabulary).node(item)[0] for item in negatives)
        expression = f"({expression}) NOT ({excluded})"
        all_exact = f"({all_exact}) NOT ({excluded})"
    exact = [p[1] for p in parts]
    return CompiledQuery(expression, exact, parsed.filters, compiler.matcher, notes, item_matchers, all_exact)


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

    @property
    def score(self) -> float:
        """Higher is better, and orders results as they are ranked.

        The whole part counts query words found exactly as typed; the fraction
        orders by words found in the title, then by bm25 relevance.
        """
        relevance = max(0.0, -self.rank)
        fraction = (self.titled + relevance / (1.0 + relevance)) / (self.words + 2)
        return round(self.exact + fraction, 4)


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
            RankedRow(row[0], row[1], words, 0, words)
            for row in conn.execute(sql, [compiled.all_exact, *params, depth])
        ]
        if len(best) >= offset + limit:
            return _titles_first(conn, compiled, best)[offset : offset + limit]
    member = "(rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?))"
    exact_sql = " + ".join([member] * words) or "0"
    sql = (
        f"SELECT rowid, bm25(articles_fts, {weights}) AS rank, {exact_sql} AS exact "
        f"FROM articles_fts WHERE articles_fts MATCH ?{filter_clause} "
        "ORDER BY exact DESC, rank ASC, rowid DESC LIMIT ?"
    )
    rows = conn.execute(sql, [*compiled.exact, compiled.match, *params, depth]).fetchall()
    best = [RankedRow(row[0], row[1], row[2], 0, words) for row in rows]
    return _titles_first(conn, compiled, best)[offset : offset + limit]


def _titles_first(
    conn: sqlite3.Connection, compiled: CompiledQuery, rows: list[RankedRow]
) -> list[RankedRow]:
    """Within each exactness tier, articles with more query words in the title first.

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
    return sorted(rows, key=lambda row: (-row.exact, -row.titled, row.rank, -row.id))


def count_matches(conn: sqlite3.Connection, compiled: CompiledQuery) -> int:
    where, params = filter_sql(compiled.filters)
    if compiled.match is None:
        sql = "SELECT count(*) FROM articles" + (f" WHERE {where}" if where else "")
        return int(conn.execute(sql, params).fetchone()[0])
    filter_clause = f" AND rowid IN (SELECT id FROM articles WHERE {where})" if where else ""
    sql = f"SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?{filter_clause}"
    return int(conn.execute(sql, [compiled.match, *params]).fetchone()[0])


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
