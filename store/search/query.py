"""The search query language, parsed into a small syntax tree.

    بوتين شي                 both words (in any form: وبوتين, الصيني…)
    "مجلس الأمن"             the exact phrase
    زيلين*                   words starting with زيلين
    -ترامب                   without ترامب (also: NOT ترامب)
    كييف OR موسكو            either; OR binds tighter than the implicit AND
    (كييف OR موسكو) صواريخ   parentheses group
    title:كورسك              in the title only
    is:bookmarked is:unread is:read site:Qsarpress   filters
    feed:NAME after:2026-12-01 before:2026-12-03     by feed, by date published (else imported)

The parser never raises: unbalanced quotes and parentheses are closed,
stray operators are ignored, and each repair is reported in ``notes``. User
text never reaches FTS5 as syntax: the compiler quotes every analysed term.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from store.analysis.arabic import query_terms

#: A query is cut to this many terms so that no input makes a huge FTS5 query.
MAX_TERMS = 32
MAX_DEPTH = 8

_FIELDS = {"title"}
_FILTERS = {"is", "site", "feed", "after", "before"}
_IS_VALUES = {"bookmarked", "bookmark", "saved", "unread", "read"}


@dataclass
class Term:
    """A word, a phrase (several words) or a prefix, as analysed surfaces."""

    words: list[str]
    raw: str
    prefix: bool = False
    quoted: bool = False
    title_only: bool = False

    @property
    def is_phrase(self) -> bool:
        return self.quoted or len(self.words) > 1


@dataclass
class Not:
    item: Node


@dataclass
class Or:
    items: Sequence[Node]


@dataclass
class And:
    items: Sequence[Node]


Node = Term | Not | Or | And


@dataclass
class Filters:
    bookmarked: bool = False
    read: bool | None = None
    sites: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    #: ISO 8601 UTC bounds on when an article was published (else imported):
    #: ``after`` is the first instant included, ``before`` the first excluded.
    after: str | None = None
    before: str | None = None

    @property
    def any(self) -> bool:
        return (
            self.bookmarked
            or self.read is not None
            or bool(self.sites)
            or bool(self.feeds)
            or self.after is not None
            or self.before is not None
        )


@dataclass
class ParsedQuery:
    root: And
    filters: Filters
    notes: list[str]

    @property
    def has_terms(self) -> bool:
        return any(_positive(item) for item in self.root.items)


def _positive(node: Node) -> bool:
    if isinstance(node, Term):
        return True
    if isinstance(node, Not):
        return False
    return any(_positive(item) for item in node.items)


# --------------------------------------------------------------------------
# Lexing


@dataclass
class _Lexeme:
    kind: str  # WORD PHRASE LPAREN RPAREN OR AND NOT
    text: str = ""
    negated: bool = False
    field: str | None = None


def _lex(query: str, notes: list[str]) -> list[_Lexeme]:
    lexemes: list[_Lexeme] = []
    i = 0
    pending_field: str | None = None
    pending_negation = False
    while i < len(query):
        char = query[i]
        if char.isspace():
            i += 1
            continue
        if char == '"' or char == "“" or char == "”" or char == "«" or char == "»":
            closers = {'"': '"', "“": "”", "”": "”", "«": "»", "»": "»"}
            end = query.find(closers[char], i + 1)
            if end < 0 and closers[char] != '"':
                end = query.find('"', i + 1)
            if end < 0:
                notes.append("added the missing closing quote")
                end = len(query)
            lexemes.append(_Lexeme("PHRASE", query[i + 1 : end], pending_negation, pending_field))
            pending_field, pending_negation = None, False
            i = end + 1
            continue
        if char == "(":
            lexemes.append(_Lexeme("LPAREN", negated=pending_negation))
            pending_negation = False
            i += 1
            continue
        if char == ")":
            lexemes.append(_Lexeme("RPAREN"))
            i += 1
            continue
        # A bare chunk: up to whitespace, a quote or a parenthesis.
        end = i
        while end < len(query) and not query[end].isspace() and query[end] not in '"“”«»()':
            end += 1
        chunk = query[i:end]
        i = end
        if chunk in ("OR", "|", "||"):
            lexemes.append(_Lexeme("OR"))
            continue
        if chunk in ("AND", "&", "&&", "+"):
            continue  # the implicit operator anyway
        if chunk == "NOT":
            pending_negation = True
            continue
        if chunk.upper() == "NEAR" and i < len(query) and query[i] == "(":
            notes.append("NEAR is not supported: searched for the words inside it")
            continue
        if chunk.startswith("-") or chunk.startswith("!"):
            chunk = chunk.lstrip("-!")
            if not chunk:
                if i < len(query) and query[i] in '"“«(':
                    pending_negation = True
                else:
                    notes.append("ignored a lone “-”")
                continue
            pending_negation = True
        name, colon, value = chunk.partition(":")
        lowered = name.lower()
        if colon and (lowered in _FIELDS or lowered in _FILTERS):
            if not value:
                if i < len(query) and query[i] in '"“«' and lowered in _FIELDS:
                    pending_field = lowered
                else:
                    notes.append(f"ignored “{chunk}” with nothing after the colon")
                continue
            lexemes.append(_Lexeme("WORD", value, pending_negation, lowered))
        else:
            lexemes.append(_Lexeme("WORD", chunk, pending_negation, pending_field))
        pending_field, pending_negation = None, False
    return lexemes


# --------------------------------------------------------------------------
# Parsing


class _Parser:
    def __init__(self, lexemes: list[_Lexeme], notes: list[str]) -> None:
        self.lexemes = lexemes
        self.position = 0
        self.notes = notes
        self.filters = Filters()
        self.terms = 0

    def peek(self) -> _Lexeme | None:
        return self.lexemes[self.position] if self.position < len(self.lexemes) else None

    def advance(self) -> _Lexeme:
        lexeme = self.lexemes[self.position]
        self.position += 1
        return lexeme

    def parse_sequence(self, depth: int) -> And:
        items: list[Node] = []
        while (lexeme := self.peek()) is not None:
            if lexeme.kind == "RPAREN":
                if depth == 0:
                    self.advance()
                    self.notes.append("ignored an unmatched “)”")
                    continue
                break
            item = self.parse_or(depth)
            if item is not None:
                items.append(item)
        return And(items)

    def parse_or(self, depth: int) -> Node | None:
        lexeme = self.peek()
        if lexeme is not None and lexeme.kind == "OR":
            self.advance()
            self.notes.append("ignored “OR” with nothing before it")
            return None
        left = self.parse_unary(depth)
        alternatives = [left] if left is not None else []
        while (lexeme := self.peek()) is not None and lexeme.kind == "OR":
            self.advance()
            following = self.peek()
            if following is None or following.kind in ("OR", "RPAREN"):
                self.notes.append("ignored “OR” with nothing after it")
                continue
            right = self.parse_unary(depth)
            if right is not None:
                alternatives.append(right)
        if not alternatives:
            return None
        if len(alternatives) == 1:
            return alternatives[0]
        kept = [item for item in alternatives if not isinstance(item, Not)]
        if len(kept) < len(alternatives):
            self.notes.append("ignored “-” inside an OR group")
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(kept)

    def parse_unary(self, depth: int) -> Node | None:
        lexeme = self.advance()
        if lexeme.kind == "LPAREN":
            if depth >= MAX_DEPTH:
                self.notes.append("flattened parentheses nested too deeply")
                inner = self.parse_sequence(depth)
            else:
                inner = self.parse_sequence(depth + 1)
            closing = self.peek()
            if closing is not None and closing.kind == "RPAREN":
                self.advance()
            else:
                self.notes.append("added the missing “)”")
            node: Node | None = inner if len(inner.items) != 1 else inner.items[0]
            if not inner.items:
                node = None
            if node is not None and lexeme.negated:
                return Not(node)
            return node
        if lexeme.kind in ("WORD", "PHRASE"):
            return self.term(lexeme)
        return None  # pragma: no cover - RPAREN/OR are handled by callers

    def term(self, lexeme: _Lexeme) -> Node | None:
        if lexeme.field == "is":
            self.apply_is(lexeme.text, negated=lexeme.negated)
            return None
        if lexeme.field == "site":
            self.filters.sites.append(lexeme.text)
            return None
        if lexeme.field == "feed":
            self.filters.feeds.append(lexeme.text)
            return None
        if lexeme.field in ("after", "before"):
            self.apply_date(lexeme.field, lexeme.text)
            return None
        text = lexeme.text
        prefix = lexeme.kind == "WORD" and text.endswith("*")
        if prefix:
            text = text.rstrip("*")
        words = query_terms(text)
        if not words:
            if lexeme.text.strip():
                self.notes.append(f"ignored “{lexeme.text}”: no letters or digits to search for")
            return None
        if self.terms >= MAX_TERMS:
            if self.terms == MAX_TERMS:
                self.notes.append(f"used only the first {MAX_TERMS} words of the query")
            self.terms += 1
            return None
        self.terms += len(words)
        if prefix and (len(words) > 1 or len(words[0]) < 2):
            self.notes.append(f"searched “{text}” as a word: a prefix needs two letters or more")
            prefix = False
        term = Term(
            words=words,
            raw=lexeme.text,
            prefix=prefix,
            quoted=lexeme.kind == "PHRASE",
            title_only=lexeme.field == "title",
        )
        return Not(term) if lexeme.negated else term

    def apply_date(self, name: str, value: str) -> None:
        """``after:2026-12-01`` (from that day on), ``before:2026-12-03`` (up to the day before).

        A year (2026) or a month (2026-12) takes its whole span: after:2026-11
        means from November on, before:2026-11 up to the end of October.
        """
        start = _date_start(value)
        if start is None:
            self.notes.append(f"ignored “{name}:{value}”: a date is written YYYY-MM-DD (or YYYY-MM, YYYY)")
            return
        if name == "after":
            self.filters.after = max(self.filters.after or start, start)
        else:
            self.filters.before = min(self.filters.before or start, start)

    def apply_is(self, value: str, *, negated: bool) -> None:
        value = value.lower()
        if value not in _IS_VALUES:
            known = "is:bookmarked, is:unread, is:read"
            self.notes.append(f"ignored unknown filter “is:{value}” (known: {known})")
            return
        if value in ("bookmarked", "bookmark", "saved"):
            if negated:
                self.notes.append("ignored “-is:bookmarked”: only is:bookmarked is supported")
                return
            self.filters.bookmarked = True
        else:
            self.filters.read = (value == "read") != negated


def _date_start(value: str) -> str | None:
    """The first instant (UTC) of a day, a month or a year: 2026-12-01, 2026-12, 2026."""
    import datetime as dt

    parts = value.strip().translate(_DIGITS).replace("/", "-").split("-")
    if not all(part.isdigit() for part in parts) or len(parts[0]) != 4:
        return None
    numbers = [int(part) for part in parts] + [1, 1]
    if len(parts) > 3:
        return None
    try:
        start = dt.date(numbers[0], numbers[1], numbers[2])
    except ValueError:
        return None
    return f"{start.isoformat()}T00:00:00Z"


# Arabic-Indic and Persian digits in dates typed on an Arabic keyboard.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def parse_query(query: str) -> ParsedQuery:
    """Parse a query string. Never raises."""
    notes: list[str] = []
    parser = _Parser(_lex(query, notes), notes)
    root = parser.parse_sequence(0)
    return ParsedQuery(root=root, filters=parser.filters, notes=list(dict.fromkeys(notes)))
