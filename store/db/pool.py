"""Connections to one library file, shared safely between threads.

A small pool rather than thread-locals: UI workers are short-lived threads,
and a connection must never be used by two at once. Reads and writes borrow
a connection for one ``with`` block; writes are short ``BEGIN IMMEDIATE``
transactions, so the app and a command in another terminal can work on one
library at once. No statement is left open between blocks, so no read
transaction pins an old snapshot of the write-ahead log.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from store.db.connection import connect, damaged_message, translate_errors, write_transaction
from store.errors import LibraryDamaged, LibraryError

#: Idle connections kept for reuse.
MAX_IDLE = 8


class Pool:
    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        #: Set once SQLite reports the file corrupt: from then on nothing is written.
        self.damaged = False
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False
        self._watcher: sqlite3.Connection | None = None

    @contextlib.contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """Borrow a connection for the duration of a ``with`` block."""
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = connect(self.path, readonly=self.readonly)
        try:
            yield conn
        except LibraryDamaged:
            self.damaged = True
            raise
        finally:
            if conn.in_transaction:  # pragma: no cover - defensive
                conn.rollback()
            with self._lock:
                if self._closed or len(self._idle) >= MAX_IDLE:
                    conn.close()
                else:
                    self._idle.append(conn)

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self.connection() as conn, translate_errors(self.path):
            yield conn

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction."""
        self.check_writable()
        with self.connection() as conn, write_transaction(conn, self.path):
            yield conn

    def check_writable(self) -> None:
        if self.readonly:
            raise LibraryError("the library {path} is open read-only", path=self.path)
        if self.damaged:
            raise LibraryDamaged(damaged_message(self.path, "SQLite reported it corrupt"))

    def change_token(self) -> int:
        """A number that changes whenever another connection commits a write.

        Uses one dedicated connection, as SQLite's ``data_version`` is per
        connection. The app polls it to notice changes from another process.
        """
        with self._lock:
            if self._watcher is None:
                self._watcher = connect(self.path, readonly=self.readonly)
            watcher = self._watcher
            with translate_errors(self.path):
                return int(watcher.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._watcher is not None:
                self._watcher.close()
                self._watcher = None
            idle, self._idle = self._idle, []
        for conn in idle:
            with contextlib.suppress(sqlite3.Error):  # closing is best effort
                conn.close()
