"""Bare SQLite FTS5 doing the reader's work, as the benchmark's yardstick.

    python -m bench.bare index CORPUS_FOLDER DB

The raw text of every file goes into an FTS5 table as it comes (unicode61
tokenizer, content stored), in the same WAL mode and batches as the reader.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

BATCH = 500


def index(folder: Path, db: Path) -> int:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body)")
    count = 0
    conn.execute("BEGIN")
    for path in sorted(folder.rglob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        conn.execute("INSERT INTO docs (title, body) VALUES (?, ?)", (title, body))
        count += 1
        if count % BATCH == 0:
            conn.execute("COMMIT")
            conn.execute("BEGIN")
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return count


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "index":
        print(__doc__, file=sys.stderr)
        return 2
    print(index(Path(argv[1]), Path(argv[2])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
