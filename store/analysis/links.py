"""What a word is linked to beyond its own forms, for ``reader analyze``.

A word's plural links (:mod:`store.analysis.plurals`: «صواريخ» ↔ «صاروخ»),
its place names in the other script (CLDR exonyms: «كييف» ↔ kyiv, kiev) and
its name key (:mod:`store.analysis.names`), under which a search finds the
same name written in the other script among the words a library holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from store.analysis.arabic import strip_article


@dataclass(frozen=True, slots=True)
class WordLinks:
    surface: str
    plurals: tuple[str, ...]
    places: tuple[str, ...]
    name_key: str | None

    def to_json(self) -> dict[str, object]:
        return {"plurals": list(self.plurals), "places": list(self.places), "name_key": self.name_key}


def word_links(surface: str) -> WordLinks:
    """The links of a normalised word (its bare form's, when it carries the article)."""
    from store.analysis import names
    from store.analysis.plurals import plural_links

    plurals = set(plural_links(surface))
    bare = strip_article(surface)
    if bare and not plurals:
        plurals = set(plural_links(bare))
    places = set(names.cldr_names().get(surface, ()))
    if bare:
        places |= names.cldr_names().get(bare, frozenset())
    return WordLinks(surface, tuple(sorted(plurals)), tuple(sorted(places)), names.name_key(surface))
