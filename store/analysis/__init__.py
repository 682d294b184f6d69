"""Words: how Arabic (and Latin) text becomes index and query terms."""
