"""Check the broken-plural table and measure it against a reference dictionary.

    .venv/bin/python dev/plurals.py                  # validate only
    .venv/bin/python dev/plurals.py --write          # also sort and de-duplicate the file
    .venv/bin/python dev/plurals.py --merge FILE     # add pairs («مفرد جمع [جمع…]» a line), then --write
    .venv/bin/python dev/plurals.py --reference-python /tmp/devref/bin/python --show-missing 50

The table (``store/analysis/data/plurals.tsv``) is the project's own, MIT
licensed. A development script only, never shipped: it checks

* the format: a header of ``#`` lines, then ``singular<TAB>plural`` lines of
  Arabic letters without harakat or tatweel, sorted, no duplicates;
* that no pair is a sound plural (the stemmer joins those) and that no pair
  collapses to one word once normalised;
* normalisation collisions: different spellings in the table that become one
  index form (قوى/قوي, hamza seats, ة/ه) and so would link words of different
  meanings;
* function words: a table word that is و/ف + a function word («وهم») is
  indexed in nearly every article (a stopword itself is never indexed, so
  its links are inert);
* the false friends (``plurals-false-friends.tsv``): none may be linked.

With a frequency list it also lists "lopsided" pairs (``--show-lopsided``):
one word very frequent, the other rare, the usual sign that the frequent one
is mostly another word in news text (a name, a verb) and the pair belongs in
the false-friend list.

A reference dictionary under another licence (arramooz, GPL) can be used to
*measure* the table: the reference runs in its own interpreter (a throwaway
virtualenv given by ``--reference-python``), hands back its pairs as JSON on
stdout, and this script only counts how many of them the table links, over
all of them and over the pairs whose two words are frequent. Frequency comes
from the project's own texts (``seeds/``, ``bench/judged/articles/``) and, when
the reference interpreter has the ``wordfreq`` package, from its Arabic list.
Nothing of the reference is written anywhere; ``--show-missing`` prints the
frequent pairs the table lacks, for a person to review word by word.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store.analysis import plurals  # noqa: E402
from store.analysis.arabic import is_stopword, iter_token_spans, normalise, stem  # noqa: E402

TABLE = ROOT / "store" / "analysis" / "data" / "plurals.tsv"
FALSE_FRIENDS = ROOT / "store" / "analysis" / "data" / "plurals-false-friends.tsv"
TEXT_DIRS = (ROOT / "seeds", ROOT / "bench" / "judged" / "articles")

# Letters a table word may use: the Arabic letters, hamza and its seats, ة, ى.
_WORD_RE = re.compile("^[\u0621-\u063a\u0641-\u064a]+$")
_HARAKAT_RE = re.compile("[\u064b-\u065f\u0670]")

# Runs in the reference interpreter: prints [[singular, plural], ...] and, if
# wordfreq is installed there, the top Arabic words. Reads, never writes.
_REFERENCE_SNIPPET = r"""
import json, os, re, sqlite3, sys
import arramooz
top = int(sys.argv[1])
path = os.path.join(os.path.dirname(arramooz.__file__), "data", "arabicdictionary.sqlite")
marks = re.compile("[\u064b-\u065f\u0670\u0640]")
pairs = []
for single, broken in sqlite3.connect(path).execute(
    "select unvocalized, broken_plural from nouns where broken_plural != ''"
):
    for plural in re.split("[;،,]", broken or ""):
        plural = marks.sub("", plural).strip()
        if plural and not plural.startswith("+") and " " not in plural:
            pairs.append([marks.sub("", single).strip(), plural])
try:
    import wordfreq
    words = wordfreq.top_n_list("ar", top)
except ImportError:
    words = []
json.dump({"pairs": pairs, "frequent": words}, sys.stdout, ensure_ascii=False)
"""


class Report:
    def __init__(self, error_label: str = "ERROR") -> None:
        self.errors = 0
        self.error_label = error_label

    def error(self, message: str) -> None:
        self.errors += 1
        print(f"{self.error_label:6} {message}")

    def warn(self, message: str) -> None:
        print(f"warn   {message}")

    def info(self, message: str) -> None:
        print(f"       {message}")


def read_table(path: Path, report: Report) -> tuple[list[str], list[tuple[str, str]]]:
    """(header lines, pairs in file order), reporting malformed lines."""
    header: list[str] = []
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#"):
            if pairs:
                report.error(f"line {number}: comment after the header")
            header.append(line)
            continue
        if not line.strip():
            report.error(f"line {number}: empty line")
            continue
        fields = line.split("\t")
        if len(fields) != 2:
            report.error(f"line {number}: expected singular<TAB>plural: {line!r}")
            continue
        for word in fields:
            if _HARAKAT_RE.search(word):
                report.error(f"line {number}: harakat in {word!r}")
            elif not _WORD_RE.match(word):
                report.error(f"line {number}: not a plain Arabic word: {word!r}")
        pairs.append((fields[0], fields[1]))
    if not any("MIT" in line for line in header):
        report.error("the header must say the table is part of Qari under the MIT licence")
    return header, pairs


def read_merge_file(path: Path) -> list[tuple[str, str]]:
    """Pairs from a working file: «singular plural [plural…]» a line, # comments."""
    pairs: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        words = [w for w in line.split("#", 1)[0].replace("\t", " ").split() if _WORD_RE.match(w)]
        pairs.extend((words[0], plural) for plural in words[1:])
    return pairs


def sort_key(pair: tuple[str, str]) -> tuple[str, str, str, str]:
    """Sorted by normalised form first, so spellings of one word sit together."""
    return (normalise(pair[0]), normalise(pair[1]), pair[0], pair[1])


def write_table(path: Path, header: list[str], pairs: Iterable[tuple[str, str]]) -> int:
    unique = sorted(set(pairs), key=sort_key)
    lines = [*header, *(f"{s}\t{p}" for s, p in unique)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(unique)


def check_pairs(pairs: list[tuple[str, str]], report: Report) -> list[tuple[str, str]]:
    """Order, duplicates, sound plurals, identical forms; returns the pairs to keep."""
    if pairs != sorted(pairs, key=sort_key):
        report.error("the table is not sorted (run with --write)")
    counts = Counter(pairs)
    for pair, count in counts.items():
        if count > 1:
            report.error(f"duplicate pair {pair[0]} / {pair[1]} ({count}×)")
    keep = []
    for singular, plural in dict.fromkeys(pairs):
        s, p = normalise(singular), normalise(plural)
        if s == p:
            report.error(f"{singular} / {plural}: one word once normalised")
        elif plurals.is_sound_plural(s, p):
            report.error(f"{singular} / {plural}: a sound plural (the stemmer's job), remove it")
        else:
            keep.append((singular, plural))
    return keep


def check_function_words(pairs: list[tuple[str, str]], report: Report) -> None:
    """A table word that is a function word.

    A stopword itself («أم» or / mother, «بعد» after / dimension) is never
    indexed, so a link to it is inert: counted, allowed. A conjunction in
    front of a function word that is not a stopword itself («وهم» and they,
    folded like «وهم» illusion; «وإلى» folded like «والي» governor) is
    indexed in nearly every article: an error.
    """
    inert = 0
    for singular, plural in pairs:
        for word in (singular, plural):
            form = normalise(word)
            if is_stopword(form):
                inert += 1
            elif len(form) > 2 and form[0] in "\u0648\u0641" and is_stopword(form[1:]):
                report.error(f"{singular} / {plural}: «{word}» is also و/ف + a function word")
    report.info(f"{inert} table words are stopwords (not indexed, so their links are inert)")


def check_collisions(pairs: list[tuple[str, str]], report: Report) -> None:
    """Different spellings in the table that normalise to one index form.

    Spellings that share a partner are variants of one word (فتاوى/فتاوي):
    redundant, a warning. Spellings with no partner in common are different
    words made one by normalisation (قوى «forces» / قوي «strong»): their links
    would join unrelated meanings, an error until one pair is dropped.
    """
    spellings: dict[str, set[str]] = defaultdict(set)
    partners: dict[str, set[str]] = defaultdict(set)
    for singular, plural in pairs:
        for word, other in ((singular, plural), (plural, singular)):
            spellings[normalise(word)].add(word)
            partners[word].add(normalise(other))
    collisions = 0
    for form, words in sorted(spellings.items()):
        if len(words) < 2:
            continue
        collisions += 1
        listed = " / ".join(sorted(words))
        shared = set.intersection(*(partners[word] for word in words))
        if shared:
            report.warn(f"spelling variants of one word, redundant once normalised ({form}): {listed}")
        else:
            report.error(f"normalisation collision of different words ({form}): {listed}")
    if not collisions:
        report.info("no normalisation collisions")


def read_false_friends(path: Path) -> list[tuple[str, str]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            first, second = line.split("\t")[:2]
            pairs.append((first, second))
    return pairs


def check_false_friends(report: Report) -> None:
    friends = read_false_friends(FALSE_FRIENDS)
    joined = 0
    for first, second in friends:
        a, b = normalise(first), normalise(second)
        if b in plurals.plural_links(a) or a in plurals.plural_links(b):
            joined += 1
            report.error(f"false friends joined: {first} / {second}")
    report.info(f"{len(friends)} false-friend pairs, {joined} joined")


def frequency_list(extra: list[str]) -> dict[str, int]:
    """Normalised word -> rank-like weight (higher is more frequent)."""
    counts: Counter[str] = Counter()
    for folder in TEXT_DIRS:
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            counts.update(normalise(text[a:b]) for a, b in iter_token_spans(text))
    weights = {word: count * 1_000_000 for word, count in counts.items()}
    for rank, word in enumerate(extra):
        form = normalise(word)
        weights[form] = max(weights.get(form, 0), len(extra) - rank)
    return weights


def load_reference(python: str, top: int) -> tuple[list[tuple[str, str]], list[str]]:
    result = subprocess.run(
        [python, "-c", _REFERENCE_SNIPPET, str(top)], capture_output=True, text=True, check=True
    )
    data = json.loads(result.stdout)
    return [(s, p) for s, p in data["pairs"]], list(data["frequent"])


def measure(reference: list[tuple[str, str]], frequent: dict[str, int], args: argparse.Namespace) -> None:
    normalised = {
        (normalise(s), normalise(p))
        for s, p in reference
        if normalise(s) != normalise(p) and not plurals.is_sound_plural(normalise(s), normalise(p))
    }

    def covered(pair: tuple[str, str]) -> bool:
        s, p = pair
        return p in plurals.plural_links(s) and s in plurals.plural_links(p)

    subsets = {
        "all reference pairs": normalised,
        "both words frequent": {pair for pair in normalised if pair[0] in frequent and pair[1] in frequent},
        "plural frequent": {pair for pair in normalised if pair[1] in frequent},
        "either word frequent": {pair for pair in normalised if pair[0] in frequent or pair[1] in frequent},
    }
    print("\nCoverage of the reference (both directions, normalised forms):")
    for name, subset in subsets.items():
        hits = sum(covered(pair) for pair in subset)
        share = hits / len(subset) if subset else 0.0
        print(f"  {name:24} {hits:5} / {len(subset):5}  recall {share:.1%}")
    # Agreement: of our links for words the reference knows as singulars, how
    # many the reference has too. The reference is incomplete, so this is a
    # lower bound on precision; the pairs it lacks are listed for review.
    known = defaultdict(set)
    for s, p in normalised:
        known[s].add(p)
    ours = [(normalise(s), normalise(p), s, p) for s, p in plurals.table_pairs()]
    shared = [row for row in ours if row[0] in known]
    agreed = [row for row in shared if row[1] in known[row[0]]]
    if shared:
        print(
            f"  agreement on singulars the reference knows: {len(agreed)} / {len(shared)}"
            f" = {len(agreed) / len(shared):.1%} (a lower bound on precision)"
        )
    if args.show_missing:
        pool = subsets["either word frequent" if args.either else "both words frequent"]
        missing = sorted(
            (pair for pair in pool if not covered(pair)),
            key=lambda pair: -max(frequent.get(pair[0], 0), frequent.get(pair[1], 0)),
        )
        print(
            f"\nMost frequent reference pairs the table lacks (review each by hand), {len(missing)} in all:"
        )
        for s, p in missing[: args.show_missing]:
            print(f"  {s}\t{p}")
    if args.show_unconfirmed:
        unconfirmed = [row for row in shared if row[1] not in known[row[0]]]
        print(f"\nTable pairs the reference does not have, {len(unconfirmed)} in all:")
        for *_, s, p in unconfirmed[: args.show_unconfirmed]:
            print(f"  {s}\t{p}")


def report_lopsided(ranked: list[str], limit: int) -> None:
    """Pairs whose one word is very frequent and the other rare: often a homograph.

    «قطر» (Qatar) is far more frequent than its plural «أقطار»; such a link
    mostly joins unrelated words in news text. Each pair listed is a candidate
    for the false-friend list, to be judged by a person.
    """
    rank: dict[str, int] = {}
    for position, word in enumerate(ranked):
        rank.setdefault(normalise(word), position)
    unknown = len(ranked)
    rows = []
    for singular, plural in plurals.table_pairs():
        a, b = rank.get(normalise(singular), unknown), rank.get(normalise(plural), unknown)
        common, rare = min(a, b), max(a, b)
        if common < 5_000 and rare >= 40 * (common + 100):
            rows.append((common, singular, plural, a, b))
    print(f"\nLopsided pairs (one word in the top 5,000, the other {40}× rarer), {len(rows)} in all:")
    for _, singular, plural, a, b in sorted(rows)[:limit]:
        print(f"  {singular}\t{plural}\t(ranks {a if a < unknown else '-'} / {b if b < unknown else '-'})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--table", type=Path, default=TABLE)
    parser.add_argument("--write", action="store_true", help="rewrite the table sorted, de-duplicated")
    parser.add_argument("--merge", type=Path, nargs="*", default=[], help="working files of pairs to add")
    parser.add_argument("--reference-python", help="interpreter that has arramooz (and maybe wordfreq)")
    parser.add_argument("--top", type=int, default=50_000, help="frequent words taken from wordfreq")
    parser.add_argument("--show-missing", type=int, default=0, metavar="N")
    parser.add_argument("--either", action="store_true", help="--show-missing: one frequent word is enough")
    parser.add_argument("--show-lopsided", type=int, default=0, metavar="N")
    parser.add_argument("--show-unconfirmed", type=int, default=0, metavar="N")
    args = parser.parse_args(argv)
    plurals.TABLE_PATH = args.table  # the loader reads the table being checked

    report = Report()
    header, pairs = read_table(args.table, report) if args.table.exists() else ([], [])
    for path in args.merge:
        pairs.extend(read_merge_file(path))
    if args.write or args.merge:
        kept = check_pairs(sorted(set(pairs), key=sort_key), Report("drop"))
        count = write_table(args.table, header, kept)
        print(f"wrote {count} pairs to {args.table}")
        report = Report()
        header, pairs = read_table(args.table, report)
    kept = check_pairs(pairs, report)
    plurals._table.cache_clear()
    plurals._linked.cache_clear()

    started = time.perf_counter()
    plurals.plural_links("")
    load_ms = (time.perf_counter() - started) * 1000
    singulars = {normalise(s) for s, _ in kept}
    print(f"{len(kept)} pairs, {len(singulars)} singulars, loaded in {load_ms:.1f} ms")
    check_function_words(kept, report)
    check_collisions(kept, report)
    check_false_friends(report)
    stems_joined = sum(1 for s, p in kept if stem(normalise(s)) == stem(normalise(p)))
    report.info(f"{stems_joined} pairs the light stemmer joins already (kept: broken plurals)")

    if args.reference_python:
        reference, wordfreq_top = load_reference(args.reference_python, args.top)
        frequent = frequency_list(wordfreq_top)
        source = "project texts + wordfreq" if wordfreq_top else "project texts"
        print(f"\nreference: {len(reference)} pairs; frequency list: {len(frequent)} words ({source})")
        measure(reference, frequent, args)
        if args.show_lopsided and wordfreq_top:
            report_lopsided(wordfreq_top, args.show_lopsided)
    print(f"\n{report.errors} error(s)")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
