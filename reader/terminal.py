"""Facts about the terminal the reader runs in."""

from __future__ import annotations

import os
from collections.abc import Mapping

#: ECMA-48 BiDi mode (BDSM): explicit (the app orders text) and implicit.
EXPLICIT_BIDI = "\x1b[8l"
IMPLICIT_BIDI = "\x1b[8h"


def terminal_does_bidi(env: Mapping[str, str] = os.environ) -> bool:
    """Whether the terminal is known to reorder right-to-left text itself.

    A hint only (it does not survive ssh): VTE (GNOME Terminal, Tilix…),
    Konsole, mlterm and Apple's Terminal.
    """
    return bool(
        env.get("VTE_VERSION")
        or env.get("KONSOLE_VERSION")
        or env.get("MLTERM")
        or env.get("TERM_PROGRAM") == "Apple_Terminal"
    )
