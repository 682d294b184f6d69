"""The library file: connections, schema and migrations, recovery."""
