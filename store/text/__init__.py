"""Decoding bytes into text, making text safe to show, and parsing it into articles."""
