"""A worker that misbehaves on purpose: ``python faulty_worker.py MODE``.

- ``die-on-0100``: works normally, but exits abruptly on the file ``…0100.txt``.
- ``reversed``: answers its tasks newest first (holds each answer until the next arrives).
- ``die-on-feed``: exits abruptly when given a feed to parse.
"""

from __future__ import annotations

import os
import select
import sys

from store.importing import worker
from store.importing.parallel import receive, send


def reversed_worker() -> int:
    tasks, results = sys.stdin.buffer, sys.stdout.buffer
    _, setup = receive(tasks)
    held: list[tuple[int, bool, object]] = []
    try:
        while True:
            if held and not select.select([tasks], [], [], 0.2)[0]:
                send(results, held.pop())  # nothing more is coming before this answer
                continue
            _, number, kind, payload = receive(tasks)
            held.append((number, True, worker.KINDS[kind](payload, setup)))
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
    if mode == "die-on-feed":

        def dies(payload, setup):  # type: ignore[no-untyped-def]
            os._exit(3)  # as if the worker were killed

        worker.KINDS["feed"] = dies
        sys.exit(worker.main())
    prepare_wire = worker._prepare_wire

    def dies_on_one_file(source, max_bytes, known):  # type: ignore[no-untyped-def]
        if source.origin.endswith("0100.txt"):
            os._exit(3)  # as if the worker were killed
        return prepare_wire(source, max_bytes, known)

    worker._prepare_wire = dies_on_one_file  # type: ignore[assignment]
    sys.exit(worker.main())
