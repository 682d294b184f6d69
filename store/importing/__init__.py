"""Turning sources into stored articles: preparation, on every core."""
