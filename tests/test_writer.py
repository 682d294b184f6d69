"""Writing prepared articles: a big import adds new articles together, and the
library it leaves is the one adding them one by one leaves."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench.corpus import generate
from store.db.articles import utc_now
from store.importing.prepare import PreparedArticle, prepare
from store.importing.writer import Writer
from store.library import Library
from store.sources.files import SourceFile, walk

#: Columns set from the clock, different between two runs.
_CLOCK = {"imported_at", "updated_at"}


def _dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row a library holds about its articles, index included."""
    conn = sqlite3.connect(db)
    try:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(articles)") if row[1] not in _CLOCK]
        return {
            "articles": conn.execute(f"SELECT {', '.join(columns)} FROM articles ORDER BY id").fetchall(),
            "index": conn.execute("SELECT * FROM articles_vocab ORDER BY term").fetchall(),
            "terms": conn.execute("SELECT * FROM terms ORDER BY stem, surface").fetchall(),
            "names": conn.execute("SELECT * FROM name_keys ORDER BY 1, 2").fetchall(),
        }
    finally:
        conn.close()


def _sources(folder: Path) -> list[SourceFile]:
    return [item for item in walk([str(folder)]) if isinstance(item, SourceFile)]


def _prepared(source: SourceFile, origin: str | None = None, key: str | None = None) -> PreparedArticle:
    if origin is not None:
        source = SourceFile(origin, key or origin, source.path)
    item = prepare(source)
    assert isinstance(item, PreparedArticle)
    return item


def test_a_big_import_leaves_the_library_adding_one_by_one_leaves(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "corpus", 120, seed=5)
    sources = _sources(corpus)
    # Same content under two names: the second copy adds nothing either way.
    copy = corpus / "0000" / "copy.txt"
    copy.write_bytes(Path(sources[10].origin).read_bytes())

    together = Library(tmp_path / "together.db")
    report = together.import_paths([str(corpus)], workers=1)
    assert report.count("added") == 120 and report.count("unchanged") == 1

    one_by_one = Library(tmp_path / "one.db")
    for source in _sources(corpus):
        one_by_one.import_paths([source.origin])

    assert _dump(tmp_path / "together.db") == _dump(tmp_path / "one.db")


def test_content_another_program_added_meanwhile_is_stored_once(db_path: Path, tmp_path: Path) -> None:
    corpus = generate(tmp_path / "corpus", 4, seed=6)
    first, second, third, fourth = _sources(corpus)
    library = Library(db_path)
    writer = Writer()
    with library.pool.connection() as conn:
        conn.execute("BEGIN IMMEDIATE")
        # Another program's article, with the content of one in the batch below.
        earlier = writer.store(conn, _prepared(second, "elsewhere.txt"), utc_now())
        batch = [_prepared(source) for source in (first, second, third)]
        outcomes = writer.store_batch(conn, list(batch), utc_now(), known_keys=set())
        conn.execute("COMMIT")
    assert [(Path(o.origin).name, o.status, o.article_id) for o in outcomes] == [
        (Path(first.origin).name, "added", 2),
        (Path(second.origin).name, "unchanged", earlier.article_id),
        (Path(third.origin).name, "added", 3),
    ]
    with library.pool.read() as conn:
        assert [row[0] for row in conn.execute("SELECT id FROM articles ORDER BY id")] == [1, 2, 3]
    assert library.check() == []  # every index entry has its article, and every article its entry
    # Untouched here: the fourth file comes in alone, after.
    assert library.import_paths([fourth.origin]).count("added") == 1


def test_the_same_content_twice_in_a_batch_is_added_once(db_path: Path, tmp_path: Path) -> None:
    corpus = generate(tmp_path / "corpus", 2, seed=7)
    first, second = _sources(corpus)
    library = Library(db_path)
    writer = Writer()
    with library.pool.connection() as conn:
        conn.execute("BEGIN IMMEDIATE")
        batch = [_prepared(first), _prepared(first, "copy.txt"), _prepared(second)]
        outcomes = writer.store_batch(conn, batch, utc_now(), known_keys=set())
        conn.execute("COMMIT")
    assert [(o.status, o.article_id) for o in outcomes] == [("added", 1), ("unchanged", 1), ("added", 2)]


def _crisis_merge(path: Path) -> int | None:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT v FROM articles_fts_config WHERE k = 'crisismerge'").fetchone()
        return None if row is None else int(row[0])
    finally:
        conn.close()


def test_a_big_import_merges_the_index_in_steps_and_then_as_before(tmp_path: Path) -> None:
    """During a big import FTS5 merges a level's segments at 64, not 16 (no
    commit that merges sixteen at once); afterwards its usual limit is back."""
    corpus = generate(tmp_path / "corpus", 700, seed=11)
    db = tmp_path / "library.db"
    seen: list[int | None] = []
    with Library(db) as library:
        # Another connection looks at the setting at every commit of the import.
        report = library.import_paths([str(corpus)], progress=lambda *_: seen.append(_crisis_merge(db)))
    assert report.count("added") == 700
    # Progress comes after each commit (one at least, of 500 articles), and once at the end.
    assert len(seen) >= 2 and set(seen[:-1]) == {64}
    assert seen[-1] == 16 and _crisis_merge(db) == 16


def test_the_walk_gives_plain_string_paths(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "corpus", 3, seed=2)
    (tmp_path / "one.txt").write_text("عنوان\n\nنص المقال هنا.", encoding="utf-8")
    sources = _sources(corpus) + _sources(tmp_path / "one.txt")
    assert len(sources) == 4
    for source in sources:
        assert type(source.path) is str
        assert Path(source.path).resolve() == Path(source.source_key)
    assert sources[-1].origin == str(tmp_path / "one.txt")


def test_a_walked_import_knows_its_total_and_reports_walk_problems_first(tmp_path: Path) -> None:
    """Folders are walked as the workers take their files; every file is
    found before the first article is written: progress always shows the
    whole total, and what could not be walked comes first in the report."""
    corpus = generate(tmp_path / "corpus", 600, seed=4)
    (corpus / "0000" / "0000300-broken.txt").symlink_to(tmp_path / "nowhere.txt")
    calls: list[tuple[int, int]] = []
    with Library(tmp_path / "library.db") as library:
        report = library.import_paths([str(corpus)], progress=lambda done, total: calls.append((done, total)))
    assert report.count("added") == 600
    first = report.outcomes[0]
    assert (first.status, first.reason) == ("failed", "broken symlink")
    assert report.count("failed") == 1
    assert len(calls) >= 2 and {total for _, total in calls} == {600}
    assert calls[-1] == (600, 600)


def test_a_parallel_import_leaves_the_library_an_import_in_process_leaves(tmp_path: Path) -> None:
    # The workers send the body and its index text as UTF-8 bytes: stored as
    # text all the same, in new articles and in updated ones.
    corpus = generate(tmp_path / "corpus", 150, seed=11)
    libraries = {workers: Library(tmp_path / f"workers-{workers}.db") for workers in (1, 2)}
    for workers, library in libraries.items():
        assert library.import_paths([str(corpus)], workers=workers).count("added") == 150
    changed = _sources(corpus)[::7]
    for source in changed:
        path = Path(source.origin)
        text = path.read_text(encoding="utf-8")
        path.write_text(text + "\nفقرة أضيفت بعد النشر الأول.\n", encoding="utf-8")
    for workers, library in libraries.items():
        assert library.import_paths([str(corpus)], workers=workers).count("updated") == len(changed)
    assert _dump(tmp_path / "workers-2.db") == _dump(tmp_path / "workers-1.db")
    conn = sqlite3.connect(tmp_path / "workers-2.db")
    try:
        assert conn.execute("SELECT DISTINCT typeof(body) FROM articles").fetchall() == [("text",)]
        hits = conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'فقره'").fetchone()
        assert hits == (len(changed),)
    finally:
        conn.close()
