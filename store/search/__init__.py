"""The query language and running queries against the index."""
