"""Search over the seeds and small articles made for each feature."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from store.errors import QueryError
from store.library import Library
from store.search.query import And, Not, Or, Term, parse_query

from conftest import ROOT, seed_prefix

DEV_QUERIES = ROOT / "bench" / "judged" / "dev-queries.tsv"


def found(library: Library, query: str, limit: int = 100) -> list[str]:
    return [seed_prefix(library, hit.id) for hit in library.search(query, limit=limit).hits]


def dev_queries() -> list[tuple[str, list[str], str]]:
    rows = []
    with DEV_QUERIES.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0].startswith("#"):
                continue
            rows.append((row[0], row[1].split(), row[2]))
    return rows


@pytest.mark.parametrize(("query", "relevant", "match"), dev_queries())
def test_judged_dev_queries(library: Library, query: str, relevant: list[str], match: str) -> None:
    got = found(library, query)
    if match == "exact":
        assert sorted(got) == sorted(relevant)
    else:
        assert set(relevant) <= set(got)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("أوكرانيا", {"000", "001", "002", "003", "004"}),  # with hamza
        ("اوكرانيا", {"000", "001", "002", "003", "004"}),  # without
        ("إيزيوم", {"004"}),
        ("ايزيوم", {"004"}),
        ("فبوتين", {"000", "001", "002", "003"}),  # a clitic form typed: the bare name is meant
        ("وبالكرملين", {"000", "001", "002", "003", "004"}),
        ("لأوكرانيا", {"000", "001", "002", "003", "004"}),
        ("iskander", {"002"}),
        ("ISKANDER-M", {"002"}),
        ("١٧٨", {"002"}),
        ("telegram", {"000", "004"}),
        ("كوفيد", {"001"}),
    ],
)
def test_words_in_any_form(library: Library, query: str, expected: set[str]) -> None:
    assert set(found(library, query)) == expected


def test_bare_word_finds_proclitic_forms(library: Library) -> None:
    # «فبوتين» is in 001 only as a clitic form of «بوتين»; «وخاركيف» likewise.
    assert "001" in found(library, "بوتين")
    assert set(found(library, "خاركيف")) == {"001", "004"}


def test_phrase_exclusion_or_prefix_title(library: Library) -> None:
    assert found(library, '"مجلس الأمن"') == ["000"]
    assert set(found(library, "بوتين -ترامب")) == {"000", "001", "003"}
    assert set(found(library, "NOT ترامب بوتين")) == {"000", "001", "003"}
    assert set(found(library, "كورسك OR فيسبوك")) == {"000", "002", "004"}
    assert set(found(library, "(كورسك OR فيسبوك) ترامب")) == {"002"}
    assert set(found(library, "زيلين*")) == {"000", "001", "004"}
    assert found(library, "title:كورسك") == ["002"]
    assert found(library, "title:ترامب") == []


def test_filters(library: Library) -> None:
    library.set_bookmark(2, True)
    library.mark_read(3)
    assert found(library, "is:bookmarked") == ["001"]
    assert found(library, "روسيا is:bookmarked") == ["001"]
    assert "002" not in found(library, "روسيا is:unread")
    assert found(library, "روسيا is:read") == ["002"]
    assert found(library, "site:qsarpress") == ["003"]
    assert set(found(library, "site:AP")) == {"001", "003"}  # a site, or a credit


def test_exact_forms_rank_above_stem_only_matches(tmp_path: Path) -> None:
    with Library(tmp_path / "rank.db") as library:
        folder = tmp_path / "articles"
        folder.mkdir()
        (folder / "a.txt").write_text("عنوان أول\n\nقال المتحدث إن الاجتماعات ستستمر.\n", encoding="utf-8")
        (folder / "b.txt").write_text("عنوان ثان\n\nعقد الاجتماع أمس في العاصمة.\n", encoding="utf-8")
        library.import_paths([str(folder)])
        hits = library.search("الاجتماع").hits
        assert [hit.title for hit in hits] == ["عنوان ثان", "عنوان أول"]
        assert hits[0].score > hits[1].score


def test_title_matches_rank_above_body_matches(tmp_path: Path) -> None:
    with Library(tmp_path / "rank.db") as library:
        folder = tmp_path / "articles"
        folder.mkdir()
        (folder / "a.txt").write_text(
            "خبر عن الطقس\n\nتحدث الوزير عن الصواريخ والصواريخ والصواريخ في كلمته.\n", encoding="utf-8"
        )
        (folder / "b.txt").write_text("الصواريخ تضرب المدينة\n\nقال شهود إن الدمار كبير.\n", encoding="utf-8")
        library.import_paths([str(folder)])
        assert library.search("الصواريخ").hits[0].title == "الصواريخ تضرب المدينة"


def test_highlights_mark_the_original_words(library: Library) -> None:
    hit = next(h for h in library.search("كرملين").hits if seed_prefix(library, h.id) == "002")
    marked = [hit.snippet[s:e] for s, e in hit.highlights]
    assert "والكرملين" in marked or "الكرملين" in marked
    body = "\n".join(library.get(hit.id).paragraphs)
    spans = library.highlight_spans("كرملين", body)
    assert {body[s:e] for s, e in spans} == {"الكرملين", "والكرملين"}


def test_snippet_is_around_the_best_match(library: Library) -> None:
    hit = library.search("ترامب").hits[0]
    assert "ترامب" in hit.snippet
    assert len(hit.snippet.split()) <= 32
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["ترامب"]


def test_phrase_highlights_only_adjacent_words(library: Library) -> None:
    article = library.get(1)
    text = "\n".join(article.paragraphs)
    spans = library.highlight_spans('"مجلس الأمن"', text)
    assert [text[s:e] for s, e in spans] == ["مجلس", "الأمن", "مجلس", "الأمن"]


@pytest.mark.parametrize(
    "query", ['"', "(", ")", "AND", "OR", "*", "NEAR(", "-", "--", "NOT", "((((", '"""', "title:", "is:"]
)
def test_malformed_queries_give_a_message_not_a_crash(library: Library, query: str) -> None:
    with pytest.raises(QueryError) as error:
        library.search(query)
    assert "nothing to search for" in str(error.value)


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ('"مجلس الأمن', "added the missing closing quote"),
        ("(بوتين OR شي", "added the missing “)”"),
        ("بوتين)", "ignored an unmatched “)”"),
        ("بوتين OR", "ignored “OR” with nothing after it"),
        ("بوتين is:nonsense", "ignored unknown filter"),
        ("NEAR(بوتين شي)", "NEAR is not supported"),
    ],
)
def test_repaired_queries_still_run_and_say_so(library: Library, query: str, note: str) -> None:
    results = library.search(query)
    assert results.hits
    assert any(note in n for n in results.notes)


def test_fts5_syntax_in_user_text_is_literal(library: Library) -> None:
    for query in ['بوتين" OR "x', "بوتين NEAR(شي, 3)", "{title}: بوتين", "بوتين^", "col:بوتين"]:
        library.search(query)  # must not raise


def test_stopwords_are_dropped_from_queries_not_phrases(library: Library) -> None:
    results = library.search("في كورسك")
    assert [seed_prefix(library, h.id) for h in results.hits] == ["002"]
    assert any("في" in note for note in results.notes)


def test_recent_first_mode_for_typing(library: Library) -> None:
    ids = [hit.id for hit in library.search("روسيا", recent_first=True, with_total=False).hits]
    assert ids == sorted(ids, reverse=True)


def test_total_and_paging(library: Library) -> None:
    first = library.search("روسيا", limit=2)
    second = library.search("روسيا", limit=2, offset=2)
    assert first.total == 5
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}


def test_query_parser_tree() -> None:
    parsed = parse_query('بوتين (كييف OR موسكو) -ترامب "مجلس الأمن" زيلين* title:كورسك is:unread site:AP')
    items = parsed.root.items
    assert isinstance(items[0], Term) and items[0].words == ["بوتين"]
    assert isinstance(items[1], Or) and [t.words for t in items[1].items] == [["كييف"], ["موسكو"]]  # type: ignore[union-attr]
    assert isinstance(items[2], Not)
    assert isinstance(items[3], Term) and items[3].quoted and items[3].words == ["مجلس", "الامن"]
    assert isinstance(items[4], Term) and items[4].prefix
    assert isinstance(items[5], Term) and items[5].title_only
    assert parsed.filters.read is False and parsed.filters.sites == ["AP"]
    assert isinstance(parsed.root, And)


def test_function_words_are_not_indexed_but_phrases_still_work(library: Library) -> None:
    with pytest.raises(QueryError, match="only common words"):
        library.search("في")
    # «حرب في أوكرانيا» and «حرب أوكرانيا» are the same phrase to the index.
    spans_text = "قال إن مجلس الأمن في أوكرانيا"
    assert [spans_text[s:e] for s, e in library.highlight_spans('"الأمن في أوكرانيا"', spans_text)] == [
        "الأمن",
        "أوكرانيا",
    ]
    assert found(library, '"مجلس الأمن"') == ["000"]
    assert "000" in found(library, "في*")  # a prefix keeps its letters: «فيسبوك»


# --------------------------------------------------------------------------
# Links (plurals, names), explain, and the command line


def test_import_in_parallel_fills_the_name_keys(tmp_path: Path) -> None:
    from conftest import SEEDS, run_reader

    db = tmp_path / "library.db"
    result = run_reader("import", str(SEEDS), db=db)
    assert result.returncode == 0, result.stderr
    with Library(db) as library:
        with library.pool.read() as conn:
            terms = {row[0] for row in conn.execute("SELECT term FROM name_keys")}
        assert {"زيلينسكي", "zelensky", "بوتين", "sudzha"} <= terms
        assert {seed_prefix(library, hit.id) for hit in library.search("سودجا").hits} == {"002"}


def test_search_explain_and_analyze_on_the_command_line(tmp_path: Path) -> None:
    from conftest import SEEDS, run_reader

    db = tmp_path / "library.db"
    assert run_reader("import", str(SEEDS), db=db).returncode == 0
    result = run_reader("search", "--explain", "zelensky", db=db)
    assert result.returncode == 0, result.stderr
    assert "reader: index query:" in result.stderr
    assert "zelensky: direct" in result.stderr
    assert "zelensky: name ↔ زيلينسكي" in result.stderr
    result = run_reader("search", "--json", "--explain", "صاروخ", db=db)
    hits = json.loads(result.stdout)
    assert any(reason.startswith("صاروخ: plural") for hit in hits for reason in hit["why"])
    result = run_reader("analyze", "صواريخ", "كييف")
    assert result.returncode == 0, result.stderr
    assert "صواريخ ↔ صاروخ" in result.stdout
    assert "كييف ↔ kiev, kyiv" in result.stdout
    tokens = json.loads(run_reader("analyze", "--json", "صواريخ").stdout)
    assert tokens[0]["plurals"] == ["صاروخ"]


def test_search_process_loads_no_ui_or_web_modules(tmp_path: Path) -> None:
    from conftest import SEEDS, run_reader

    db = tmp_path / "library.db"
    assert run_reader("import", str(SEEDS), db=db).returncode == 0
    code = (
        "import sys, runpy; sys.argv = ['reader', '--db', sys.argv[1], 'search', 'صاروخ'];"
        "from reader.cli import main; main(sys.argv[1:]);"
        "heavy = [m for m in ('textual', 'rich', 'httpx', 'feedparser', 'trafilatura', 'sqlite_utils',"
        " 'shutil', 'platformdirs')"
        " if m in sys.modules]; print('LOADED', heavy, file=sys.stderr)"
    )
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", code, str(db)], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert "LOADED []" in result.stderr, result.stderr
