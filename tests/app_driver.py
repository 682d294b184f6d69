"""The app, headless, in a process of its own, driven line by line from stdin.

``python tests/app_driver.py LIBRARY`` opens the library the way ``reader``
does (change watcher on) and answers each command with one JSON line:

- ``bookmark ROW``: move to list row ROW, press ``b``; → ``{"id": N, "bookmarked": bool}``
- ``total``: → ``{"total": N}`` (what the list pane says the library holds)
- ``reload``: press ``r``; → ``{}``
- ``quit``: press ``q`` and leave.
"""

from __future__ import annotations

import asyncio
import json
import sys

from reader.app import create_app
from store.library import Library


async def main(path: str) -> int:
    library = Library(path)
    app = create_app(library, remember_mode=False, watch_changes=True, cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:

        async def settle() -> None:
            for _ in range(3):
                await pilot.pause()
                await app.workers.wait_for_complete()

        await settle()
        print(json.dumps({"ready": True}), flush=True)
        while True:
            line = await asyncio.to_thread(sys.stdin.readline)
            command, *args = line.split() or ["quit"]
            answer: dict[str, object] = {}
            if command == "quit":
                await pilot.press("q")
                break
            if command == "bookmark":
                await pilot.press("g", *["j"] * int(args[0]))
                await settle()
                row = app.article_list.current
                assert row is not None
                await pilot.press("b")
                await settle()
                current = app.article_list.row(app.article_list.cursor)
                assert current is not None and current.id == row.id
                answer = {"id": row.id, "bookmarked": current.bookmarked}
            elif command == "total":
                await settle()
                answer = {"total": app.article_list.total}
            elif command == "reload":
                await pilot.press("r")
                await settle()
            errors = [n.message for n in app._notifications if n.severity == "error"]
            if errors:
                answer["errors"] = errors
            print(json.dumps(answer), flush=True)
    library.close()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1])))
