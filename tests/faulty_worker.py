"""An import worker that misbehaves on purpose: ``python faulty_worker.py MODE``.

- ``die-on-0100``: works normally, but exits abruptly on the file ``…0100.txt``.
- ``reversed``: answers its chunks newest first (holds each answer until the next arrives).
"""

from __future__ import annotations

import os
import select
import sys

import store.importing.worker
from store.importing.parallel import receive, send


def reversed_worker() -> int:
    tasks, results = sys.stdin.buffer, sys.stdout.buffer
    _, max_bytes, known = receive(tasks)
    held: list[tuple[int, list[object]]] = []
    try:
        while True:
            if held and not select.select([tasks], [], [], 0.2)[0]:
                send(results, held.pop())  # nothing more is coming before this answer
                continue
            _, number, wires = receive(tasks)
            answer = [
                store.importing.worker._prepare_wire(
                    store.importing.worker.source_from_wire(w), max_bytes, known
                )
                for w in wires
            ]
            held.append((number, answer))
            if len(held) == 2:
                for item in reversed(held):
                    send(results, item)
                held.clear()
    except EOFError:
        for item in reversed(held):
            send(results, item)
        return 0


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "reversed":
        sys.exit(reversed_worker())
    prepare_wire = store.importing.worker._prepare_wire

    def dies_on_one_file(source, max_bytes, known):  # type: ignore[no-untyped-def]
        if source.origin.endswith("0100.txt"):
            os._exit(3)  # as if the worker were killed
        return prepare_wire(source, max_bytes, known)

    store.importing.worker._prepare_wire = dies_on_one_file  # type: ignore[assignment]
    sys.exit(store.importing.worker.main())
