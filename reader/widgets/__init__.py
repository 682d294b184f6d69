"""Widgets of the app, one per file, grouped by screen region."""
