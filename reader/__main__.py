"""``python -m reader``: the same as the ``reader`` command."""

import sys

from reader.launch import main

sys.exit(main())
