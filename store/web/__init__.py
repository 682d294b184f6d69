"""News from the web: fetching, feeds, OPML, article pages, refreshing."""
