"""The ``reader`` command's entry point: the version at once, anything else through :mod:`reader.cli`.

``reader --version`` costs the interpreter's own start-up and no more: the
command line's parser, the translations and the library are loaded only for
a command that uses them.

Loading them makes tens of thousands of objects that live until the end and
no reference cycles worth collecting, so the cycle collector is off until
they are loaded (it would walk them several times over, about a tenth of the
app's start-up): :mod:`reader.cli` turns it back on for a command, the app
once its first screen is painted.
"""

from __future__ import annotations

import gc
import sys


def main() -> int:
    if sys.argv[1:] == ["--version"]:
        from reader import __version__

        print(f"reader {__version__}")
        return 0
    gc.disable()
    from reader.cli import main as run

    return run()
