"""Benchmarks: speed at archive scale (python -m bench) and search quality (python -m bench.relevance)."""
