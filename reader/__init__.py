"""Qari: a terminal news reader for Arabic (CLI and TUI)."""

__version__ = "0.1.0"
