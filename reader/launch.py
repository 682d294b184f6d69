"""The ``reader`` command's entry point: the version at once, anything else through :mod:`reader.cli`.

``reader --version`` costs the interpreter's own start-up and no more: the
command line's parser, the translations and the library are loaded only for
a command that uses them.
"""

from __future__ import annotations

import sys


def main() -> int:
    if sys.argv[1:] == ["--version"]:
        from reader import __version__

        print(f"reader {__version__}")
        return 0
    from reader.cli import main as run

    return run()
