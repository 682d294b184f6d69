"""Integrity checks: SQLite's own, FTS5's, and that index and articles agree."""

from __future__ import annotations

import sqlite3

from store.db.pool import Pool


def check(pool: Pool) -> list[str]:
    """Problems found (empty if none). Changes nothing."""
    problems: list[str] = []
    with pool.read() as conn:
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as error:  # damage that stops SQLite's check itself
            rows = [(f"SQLite's check stopped: {error}",)]
        problems += [row[0] for row in rows if row[0] != "ok"]
        problems += _fts_read_only(conn) if pool.readonly else _fts(conn)
        try:
            missing = conn.execute(
                "SELECT count(*) FROM articles WHERE id NOT IN (SELECT id FROM articles_fts_docsize)"
            ).fetchone()[0]
            extra = conn.execute(
                "SELECT count(*) FROM articles_fts_docsize WHERE id NOT IN (SELECT id FROM articles)"
            ).fetchone()[0]
        except sqlite3.DatabaseError as error:  # a damaged page on the way: reported, not raised
            problems.append(f"articles and their index cannot be compared: {error}")
            missing = extra = 0
    if missing:
        problems.append(f"full-text index: {missing} articles are not indexed")
    if extra:
        problems.append(f"full-text index: {extra} entries have no article")
    return problems


def _fts(conn: sqlite3.Connection) -> list[str]:
    # FTS5's check is an INSERT that changes nothing; rolled back all the same.
    conn.execute("BEGIN")
    try:
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as error:
        return [f"full-text index: {error}"]
    finally:
        conn.execute("ROLLBACK")
    return []


def _fts_read_only(conn: sqlite3.Connection) -> list[str]:
    """Without write access FTS5's own check cannot run: read every index page instead."""
    try:
        conn.execute("SELECT count(*) FROM articles_fts_data").fetchone()
        conn.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()
    except sqlite3.DatabaseError as error:
        return [f"full-text index: {error}"]
    return []
