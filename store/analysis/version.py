"""The analyzer's version, on its own: opening a library compares it with the
stored one without loading the analyzer itself."""

#: Bump when the analysis of any text changes: the index is then rebuilt.
ANALYZER_VERSION = 6
