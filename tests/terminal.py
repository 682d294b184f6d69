"""A real terminal for tests: tmux, driven with send-keys and read with capture-pane."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import time

TMUX = shutil.which("tmux")
#: Every terminal gets a tmux server of its own: one being killed may still hold
#: its socket and its session, and a new session there fails as a duplicate.
_SERVERS = itertools.count()


class Terminal:
    def __init__(self, socket: str, width: int, height: int, command: str, env: dict[str, str]) -> None:
        self.socket = socket = f"{socket}-{next(_SERVERS)}"
        self.base = [TMUX or "tmux", "-L", socket]
        environment = " ".join(f"{k}={v}" for k, v in env.items())
        subprocess.run(
            [
                *self.base,
                "new-session",
                "-d",
                "-s",
                "t",
                "-x",
                str(width),
                "-y",
                str(height),
                # COLUMNS/LINES from the test runner would override the real window size.
                f"env -u COLUMNS -u LINES {environment} {command}",
            ],
            check=True,
        )

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.base, "send-keys", "-t", "t", *keys], check=True)

    def text(self, *keys: str) -> None:
        subprocess.run([*self.base, "send-keys", "-t", "t", "-l", *keys], check=True)

    def screen(self) -> list[str]:
        out = subprocess.run([*self.base, "capture-pane", "-p", "-t", "t"], capture_output=True, text=True)
        return out.stdout.split("\n")

    def wait_for(self, predicate, timeout: float = 10.0) -> list[str]:  # type: ignore[no-untyped-def]
        """The screen once ``predicate`` holds and it has stopped changing (a
        capture in the middle of a repaint would show half of each state)."""
        deadline = time.monotonic() + timeout
        previous: list[str] | None = None
        while True:
            screen = self.screen()
            if predicate(screen) and screen == previous:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError("timed out; the screen shows:\n" + "\n".join(screen))
            previous = screen
            time.sleep(0.15)

    def resize(self, width: int, height: int) -> None:
        subprocess.run(
            [*self.base, "resize-window", "-t", "t", "-x", str(width), "-y", str(height)], check=True
        )

    def alive(self) -> bool:
        return subprocess.run([*self.base, "has-session", "-t", "t"], capture_output=True).returncode == 0

    def close(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True)
