"""Search quality: judged queries against analyzer variants.

    python -m bench.relevance            # the table
    python -m bench.relevance --details  # and every query that is not perfect

Each variant indexes the same corpus and answers the same queries (one query
language for all: words, phrases, prefixes, exclusion, OR, title:):

* ``none``     SQLite FTS5 as it comes (unicode61 on the raw text);
* ``lucene``   Lucene's ArabicAnalyzer: digits, ArabicNormalizer, light10 stemmer;
* ``snowball`` the Snowball Arabic stemmer (PyStemmer), on normalised tokens;
* ``ours``     the reader's own search (store.library.Library.search).

Two judged sets: the development set over the five seeds, and our own set
over the seeds plus the small articles in ``bench/judged/articles`` written to
exercise clitics, harakat, tatweel, hamza and alef spellings, digits, Latin
words, glued words and operators. Judgements come from reading the articles.
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from store.analysis.arabic import iter_token_spans, normalise
from store.importing.prepare import byline
from store.library import Library
from store.search.query import And, Node, Not, Or, Term, parse_query
from store.text.decode import decode_bytes
from store.text.parse import parse_article

ROOT = Path(__file__).resolve().parent.parent
JUDGED = ROOT / "bench" / "judged"
SEEDS = ROOT / "seeds"

# --------------------------------------------------------------------------
# Judged queries


@dataclass
class Judged:
    query: str
    relevant: frozenset[str]
    exact: bool


@dataclass
class QuerySet:
    name: str
    path: Path
    folders: list[Path]
    queries: list[Judged] = field(default_factory=list)


def load_queries(path: Path) -> list[Judged]:
    judged = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0].startswith("#"):
                continue
            query, relevant, match = row
            judged.append(Judged(query, frozenset(relevant.split()), match == "exact"))
    return judged


def query_sets() -> list[QuerySet]:
    return [
        QuerySet("dev (seeds)", JUDGED / "dev-queries.tsv", [SEEDS]),
        QuerySet("ours (seeds + 10 articles)", JUDGED / "queries.tsv", [SEEDS, JUDGED / "articles"]),
    ]


def doc_name(path: Path) -> str:
    """«000_399c….txt» -> 000, «a03_spelling.txt» -> a03."""
    return path.name[:3]


# --------------------------------------------------------------------------
# Baseline analyzers


def lucene_normalise(token: str) -> str:
    """Lucene: lowercase, decimal digits to ASCII, ArabicNormalizer."""
    out = []
    for char in token.lower():
        if char.isdecimal():
            out.append(str(int(char)))
        elif char in "آأإ":
            out.append("ا")
        elif char == "ى":
            out.append("ي")
        elif char == "ة":
            out.append("ه")
        elif char == "ـ" or "\u064b" <= char <= "\u0652":
            continue
        else:
            out.append(char)
    return "".join(out)


_LUCENE_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
_LUCENE_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")


def lucene_stem(term: str) -> str:
    """Lucene's ArabicStemmer (light10): one prefix, then one pass of suffixes."""
    for prefix in _LUCENE_PREFIXES:
        if len(prefix) == 1:
            if len(term) >= 4 and term.startswith(prefix):
                term = term[1:]
                break
        elif len(term) >= len(prefix) + 2 and term.startswith(prefix):
            term = term[len(prefix) :]
            break
    for suffix in _LUCENE_SUFFIXES:
        if len(term) >= len(suffix) + 2 and term.endswith(suffix):
            term = term[: -len(suffix)]
    return term


def lucene_terms(text: str) -> list[str]:
    return [lucene_stem(lucene_normalise(text[s:e])) for s, e in iter_token_spans(text)]


def snowball_terms_factory() -> Callable[[str], list[str]] | None:
    try:
        import Stemmer  # PyStemmer
    except ImportError:
        return None
    stemmer = Stemmer.Stemmer("arabic")

    def terms(text: str) -> list[str]:
        # Snowball normalises for itself (harakat, tatweel, alef forms, digits).
        words = [text[s:e].lower() for s, e in iter_token_spans(text)]
        return [stem for stem in stemmer.stemWords(words) if stem]

    return terms


# --------------------------------------------------------------------------
# Indexes


class Searcher:
    name = ""

    def search(self, query: str) -> list[str]:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        pass


def _articles(folders: Iterable[Path]) -> list[tuple[str, str, str]]:
    """(name, title, body with byline) of every article file in the folders."""
    out = []
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            article = parse_article(decode_bytes(path.read_bytes()).text)
            body = (
                "\n".join(article.paragraphs) + "\n" + byline(article.dateline, article.site, article.credits)
            )
            out.append((doc_name(path), article.title, body))
    return out


class FtsSearcher(Searcher):
    """A one-table FTS5 index of analysed (or raw) text, queried by our query parser."""

    def __init__(self, name: str, folders: list[Path], analyse: Callable[[str], list[str]] | None) -> None:
        self.name = name
        self.analyse = analyse
        self.conn = sqlite3.connect(":memory:")
        tokenizer = "unicode61" if analyse is None else "ascii"
        self.conn.execute(
            f"CREATE VIRTUAL TABLE docs USING fts5(name UNINDEXED, title, body, tokenize='{tokenizer}')"
        )
        for doc, title, body in _articles(folders):
            if analyse is not None:
                title, body = " ".join(analyse(title)), " ".join(analyse(body))
            self.conn.execute("INSERT INTO docs VALUES (?, ?, ?)", (doc, title, body))

    def _terms(self, text: str) -> list[str]:
        if self.analyse is None:
            return [text[s:e].lower() for s, e in iter_token_spans(text)]
        return [t for t in self.analyse(text) if t]

    def _node(self, node: Node) -> str | None:
        if isinstance(node, Term):
            words = self._terms(node.raw.rstrip("*") if node.prefix else node.raw)
            if not words:
                return None
            if node.prefix:
                # Prefixes match index terms as typed (normalised, not stemmed).
                start = node.raw.rstrip("*")
                start = start.lower() if self.analyse is None else normalise(start)
                expression = f'"{start}" *'
            else:
                expression = " + ".join(f'"{w}"' for w in words)
            return f"{{title}} : ({expression})" if node.title_only else f"({expression})"
        if isinstance(node, Or):
            parts = [p for p in (self._node(item) for item in node.items) if p]
            return "(" + " OR ".join(parts) + ")" if parts else None
        if isinstance(node, And):
            positives = [p for p in (self._node(i) for i in node.items if not isinstance(i, Not)) if p]
            negatives = [p for p in (self._node(i.item) for i in node.items if isinstance(i, Not)) if p]
            if not positives:
                return None
            expression = "(" + " AND ".join(positives) + ")"
            if negatives:
                expression = f"({expression} NOT ({' OR '.join(negatives)}))"
            return expression
        return None

    def search(self, query: str) -> list[str]:
        expression = self._node(parse_query(query).root)
        if not expression:
            return []
        try:
            rows = self.conn.execute(
                "SELECT name FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 0, 10, 1) LIMIT 200",
                (expression,),
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        return [row[0] for row in rows]

    def close(self) -> None:
        self.conn.close()


class OurSearcher(Searcher):
    name = "ours"

    def __init__(self, folders: list[Path]) -> None:
        self.folder = tempfile.TemporaryDirectory()
        self.library = Library(Path(self.folder.name) / "library.db")
        self.library.import_paths([str(folder) for folder in folders], workers=1)
        self.names = {
            row.id: doc_name(Path(self.library.get(row.id).origin)) for row in self.library.summaries_page()
        }

    def search(self, query: str) -> list[str]:
        try:
            hits = self.library.search(query, limit=200, snippets=False).hits
        except Exception:
            return []
        return [self.names[hit.id] for hit in hits]

    def close(self) -> None:
        self.library.close()
        self.folder.cleanup()


# --------------------------------------------------------------------------
# Measures


@dataclass
class Scores:
    precision: float
    recall: float
    mrr: float
    perfect: int
    total: int
    misses: list[str]


def score(searcher: Searcher, queries: list[Judged]) -> Scores:
    precision = recall = mrr = 0.0
    perfect = 0
    misses = []
    for judged in queries:
        ranked = searcher.search(judged.query)
        found = set(ranked)
        relevant = judged.relevant
        p = len(found & relevant) / len(found) if found else (1.0 if not relevant else 0.0)
        r = len(found & relevant) / len(relevant) if relevant else 1.0
        rank = next((i for i, doc in enumerate(ranked, 1) if doc in relevant), None)
        mrr += 1.0 / rank if rank else (1.0 if not relevant and not found else 0.0)
        ok = found == relevant if judged.exact else relevant <= found
        perfect += ok
        precision += p
        recall += r
        if not ok:
            extra = sorted(found - relevant) if judged.exact else []
            misses.append(f"{judged.query}: missed {sorted(relevant - found)} extra {extra}")
    n = len(queries)
    return Scores(precision / n, recall / n, mrr / n, perfect, n, misses)


def evaluate(variants: list[str] | None = None) -> dict[str, dict[str, Scores]]:
    """{query set: {variant: scores}}."""
    results: dict[str, dict[str, Scores]] = {}
    snowball = snowball_terms_factory()
    for query_set in query_sets():
        queries = load_queries(query_set.path)
        builders: dict[str, Callable[[], Searcher]] = {
            "none": lambda qs=query_set: FtsSearcher("none", qs.folders, None),
            "lucene": lambda qs=query_set: FtsSearcher("lucene", qs.folders, lucene_terms),
            "ours": lambda qs=query_set: OurSearcher(qs.folders),
        }
        if snowball is not None:
            builders["snowball"] = lambda qs=query_set: FtsSearcher("snowball", qs.folders, snowball)
        results[query_set.name] = {}
        for variant in ("none", "lucene", "snowball", "ours"):
            if variant not in builders or (variants and variant not in variants):
                continue
            searcher = builders[variant]()
            try:
                results[query_set.name][variant] = score(searcher, queries)
            finally:
                searcher.close()
    return results


def table(results: dict[str, dict[str, Scores]]) -> str:
    lines = [
        "| query set | analyzer | precision | recall | MRR | queries fully right |",
        "|---|---|---|---|---|---|",
    ]
    for set_name, variants in results.items():
        for variant, s in variants.items():
            lines.append(
                f"| {set_name} | {variant} | {s.precision:.3f} | {s.recall:.3f} | {s.mrr:.3f} "
                f"| {s.perfect}/{s.total} |"
            )
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Questions typed in plain words

QUESTIONS = JUDGED / "questions"


@dataclass
class Ranked:
    recall_at_10: float
    mrr_at_10: float
    total: int
    misses: list[str]


def load_passages() -> list[tuple[str, str, str]]:
    """(id, title, paragraph) of the question set's paragraphs."""
    rows = []
    for line in (QUESTIONS / "passages.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            passage, title, text = line.split("\t")
            rows.append((passage, title, text))
    return rows


def load_questions() -> list[tuple[str, str]]:
    rows = []
    for line in (QUESTIONS / "questions.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            question, passage = line.split("\t")
            rows.append((question, passage))
    return rows


def bare_or_searcher(passages: list[tuple[str, str, str]]) -> Callable[[str], list[str]]:
    """SQLite FTS5 as it comes: unicode61 on the raw text, the question's words ORed, bm25."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE docs USING fts5(name UNINDEXED, title, body)")
    conn.executemany("INSERT INTO docs VALUES (?, ?, ?)", passages)

    def search(question: str) -> list[str]:
        words = [question[s:e].lower() for s, e in iter_token_spans(question)]
        expression = " OR ".join(f'"{w}"' for w in dict.fromkeys(words))
        if not expression:
            return []
        sql = "SELECT name FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10"
        return [row[0] for row in conn.execute(sql, (expression,))]

    return search


def rank_scores(search: Callable[[str], list[str]], questions: list[tuple[str, str]]) -> Ranked:
    found = reciprocal = 0.0
    misses = []
    for question, passage in questions:
        ranked = search(question)[:10]
        if passage in ranked:
            found += 1
            reciprocal += 1.0 / (ranked.index(passage) + 1)
            if ranked.index(passage) > 2:
                misses.append(f"{question}: {passage} at {ranked.index(passage) + 1}, after {ranked[:3]}")
        else:
            misses.append(f"{question}: {passage} not in the top 10 {ranked[:3]}")
    n = len(questions)
    return Ranked(found / n, reciprocal / n, n, misses)


def evaluate_questions() -> dict[str, Ranked]:
    """Every question against one library of all the paragraphs, top 10."""
    passages = load_passages()
    questions = load_questions()
    results = {"bare FTS5, words ORed": rank_scores(bare_or_searcher(passages), questions)}
    with tempfile.TemporaryDirectory() as folder:
        files = Path(folder) / "passages"
        files.mkdir()
        for passage, title, text in passages:
            (files / f"{passage}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
        with Library(Path(folder) / "library.db") as library:
            library.import_paths([str(files)], workers=1)
            names = {row.id: Path(library.get(row.id).origin).stem for row in library.summaries_page()}

            def ours(question: str) -> list[str]:
                try:
                    hits = library.search(question, limit=10, snippets=False).hits
                except Exception:
                    return []
                return [names[hit.id] for hit in hits]

            results["ours"] = rank_scores(ours, questions)
    return results


def questions_table(results: dict[str, Ranked]) -> str:
    lines = [
        "| questions (one library of all the paragraphs) | recall@10 | MRR@10 | questions |",
        "|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(f"| {name} | {r.recall_at_10:.3f} | {r.mrr_at_10:.3f} | {r.total} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Plurals and names: each pair in its own small library

PLURALS = JUDGED / "plurals.tsv"
NAME_PAIRS = ROOT / "tests" / "data" / "name_pairs.tsv"
HELD_OUT_NAMES = JUDGED / "names.tsv"

# Unrelated articles in every small library (so that precision means something).
_DISTRACTORS = (
    "قطار الشرق\n\nوصل القطار إلى المحطة في الموعد وقال مسؤول إن الرحلة كانت هادئة.\n",
    "Market report\n\nShares rose on Monday as traders waited for the central bank's call.\n",
    "الطقس\n\nتوقعت الأرصاد أمطارا غزيرة على الساحل وانخفاضا في درجات الحرارة.\n",
)
_PLURAL_FRAMES = (
    "ذكر التقرير أن {word} كانت محور النقاش في الاجتماع.",
    "وقال المتحدث إن الحكومة تتابع أوضاع {word} عن كثب.",
)
_CLITICS = ("", "ال", "وال", "بال", "لل")


@dataclass
class Linked:
    found: float
    precision: float
    queries: int
    misses: list[str]


def _pair_library(folder: Path, texts: list[str]) -> tuple[Library, list[int]]:
    (folder / "articles").mkdir(parents=True)
    for index, text in enumerate(texts):
        (folder / "articles" / f"{index:02}.txt").write_text(text, encoding="utf-8")
    library = Library(folder / "library.db")
    library.import_paths([str(folder / "articles")], workers=1)
    ids = {Path(library.get(row.id).origin).stem: row.id for row in library.summaries_page()}
    return library, [ids[f"{index:02}"] for index in range(len(texts))]


def _linked_scores(cases: list[tuple[str, str, str, str]]) -> Linked:
    """Each case: (query, text that must be found, its title, a title for the other text)."""
    found = 0
    precision = 0.0
    misses = []
    for number, (query, wanted, title, other) in enumerate(cases):
        with tempfile.TemporaryDirectory() as folder:
            texts = [f"{title}\n\n{wanted}\n", *(_DISTRACTORS), f"{other}\n\nخبر لا صلة له بالموضوع.\n"]
            library, ids = _pair_library(Path(folder) / str(number), texts)
            try:
                hits = [hit.id for hit in library.search(query, limit=20, snippets=False).hits]
            except Exception:
                hits = []
            finally:
                library.close()
        if ids[0] in hits:
            found += 1
        else:
            misses.append(f"{query} -> {wanted[:40]}")
        precision += (1.0 if ids[0] in hits else 0.0) / len(hits) if hits else 1.0
    n = len(cases)
    return Linked(found / n, precision / n, n, misses)


def plural_cases() -> list[tuple[str, str, str, str]]:
    """Both directions: the singular finds the plural's article, the plural the singular's."""
    cases = []
    rows = [line.split("\t") for line in PLURALS.read_text(encoding="utf-8").splitlines()]
    for index, (singular, plural) in enumerate(row for row in rows if row[0] and not row[0].startswith("#")):
        frame = _PLURAL_FRAMES[index % len(_PLURAL_FRAMES)]
        clitic = _CLITICS[index % len(_CLITICS)]
        cases.append((singular, frame.format(word=clitic + plural), "تقرير", "رياضة"))
        cases.append((plural, frame.format(word=clitic + singular), "تقرير", "رياضة"))
    return cases


def name_cases(path: Path = NAME_PAIRS) -> list[tuple[str, str, str, str]]:
    """Both directions: a name in one script finds an article that writes it in the other."""
    cases = []
    seen = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        arabic, latin = line.split("\t")[:2]
        if (arabic, latin.lower()) in seen:
            continue
        seen.add((arabic, latin.lower()))
        cases.append((arabic, f"The talks with {latin} went on for hours, officials said.", "Talks", "Sport"))
        cases.append((latin, f"وقالت المصادر إن المحادثات مع {arabic} استمرت ساعات.", "محادثات", "رياضة"))
    return cases


def evaluate_links() -> dict[str, Linked]:
    return {
        "broken plurals (bench/judged/plurals.tsv)": _linked_scores(plural_cases()),
        "names across scripts (tests/data/name_pairs.tsv)": _linked_scores(name_cases()),
        "names across scripts, held out (bench/judged/names.tsv)": _linked_scores(name_cases(HELD_OUT_NAMES)),
    }


def links_table(results: dict[str, Linked]) -> str:
    lines = [
        "| pairs, each in its own small library, both directions | found | precision | queries |",
        "|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(f"| {name} | {r.found:.3f} | {r.precision:.3f} | {r.queries} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.relevance", description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list the queries each variant gets wrong")
    parser.add_argument("--variant", action="append", help="only these variants (repeatable)")
    parser.add_argument("--only", choices=["queries", "questions", "links"], help="only one of the tables")
    args = parser.parse_args(argv)
    if args.only in (None, "queries"):
        results = evaluate(args.variant)
        print(table(results))
        if args.details:
            for set_name, variants in results.items():
                for variant, s in variants.items():
                    for miss in s.misses:
                        print(f"{set_name} / {variant}: {miss}")
    if args.only in (None, "links"):
        linked = evaluate_links()
        print()
        print(links_table(linked))
        if args.details:
            for name, r in linked.items():
                for miss in r.misses:
                    print(f"{name}: missed {miss}")
    if args.only in (None, "questions"):
        asked = evaluate_questions()
        print()
        print(questions_table(asked))
        if args.details:
            for name, r in asked.items():
                for miss in r.misses:
                    print(f"questions / {name}: {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
