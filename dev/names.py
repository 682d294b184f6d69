"""Measure cross-script name matching (store.analysis.names) and time its tables.

Run from the repository root::

    .venv/bin/python dev/names.py                 # report on tests/data/name_pairs.tsv
    .venv/bin/python dev/names.py --pairs more.tsv --words english.txt --show 30

Every pair of the pair list (Arabic<TAB>Latin) gets its own small library:
the pair's two words plus the distractor vocabulary, which is every word
of seeds/*.txt and bench/judged/articles/*.txt, the Latin words of the
false-friend list, the common words of both languages the module knows
and any ``--words`` files (one word or one text per line). With
``--names`` the other pairs' names join the library too (harder: names
with close skeletons compete). Each word of a pair is looked up with
``cross_script`` in both directions; a result is right when the pair list
pairs it with the query (variants such as Zelensky/Zelenskyy count).

The report gives recall (share of queries that found their pair),
precision (right results over all results, and averaged over queries),
the misses and the wrong joins, and timings: ``name_key`` over 10,000
words and the first call of ``cldr_names``.

The place-name table is built from Babel's CLDR data; the search reads it
from ``store/analysis/data/exonyms.tsv`` (Babel costs tens of milliseconds
to load, too much for a ``reader search``). ``--cldr-out PATH`` writes that
file again, e.g. after a Babel upgrade.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store.analysis.arabic import is_arabic, normalise, proclitic_forms, tokens  # noqa: E402

PAIRS = ROOT / "tests" / "data" / "name_pairs.tsv"
FALSE_FRIENDS = ROOT / "tests" / "data" / "name_false_friends.tsv"


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """Normalised (arabic, latin) pairs of a TSV file; # starts a comment."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        arabic, latin = line.split("\t")[:2]
        pairs.append((normalise(arabic.strip()), normalise(latin.strip())))
    return pairs


def text_words(paths: list[Path]) -> set[str]:
    words: set[str] = set()
    for path in paths:
        words.update(token.surface for token in tokens(path.read_text(encoding="utf-8")))
    return words


def distractors(extra: list[Path]) -> set[str]:
    from store.analysis.names import COMMON_ARABIC, COMMON_LATIN

    files = sorted((ROOT / "seeds").glob("*.txt")) + sorted(
        (ROOT / "bench" / "judged" / "articles").glob("*.txt")
    )
    words = text_words(files + extra)
    if FALSE_FRIENDS.exists():
        for arabic, latin in read_pairs(FALSE_FRIENDS):
            words.update((arabic, latin))
    words.update(COMMON_ARABIC)
    words.update(COMMON_LATIN)
    return {word for word in words if word}


def measure(
    pairs: list[tuple[str, str]], vocabulary: set[str], with_names: bool
) -> tuple[dict[str, float], list[tuple[str, str]], list[tuple[str, str]]]:
    """(figures, misses, wrong joins) of cross_script over the pairs."""
    from store.analysis.names import cross_script

    partners: dict[str, set[str]] = defaultdict(set)
    for arabic, latin in pairs:
        partners[arabic].add(latin)
        # The seeds hold names behind clitics (وخاركيف): the engine strips them, they count as found.
        partners[latin].update(proclitic_forms(arabic))
    names = {word for pair in pairs for word in pair}
    queries = found = returned = right = answered = 0
    per_query = 0.0
    misses: list[tuple[str, str]] = []
    wrong: list[tuple[str, str]] = []
    for arabic, latin in pairs:
        library = vocabulary | {arabic, latin}
        if with_names:
            library |= names
        for query, target in ((arabic, latin), (latin, arabic)):
            results = cross_script(query, library)
            queries += 1
            good = [r for r in results if r in partners[query]]
            if target in results:
                found += 1
            else:
                misses.append((query, target))
            returned += len(results)
            right += len(good)
            if results:
                answered += 1
                per_query += len(good) / len(results)
            wrong.extend((query, r) for r in results if r not in partners[query])
    figures = {
        "queries": queries,
        "recall": found / queries if queries else 0.0,
        "precision": right / returned if returned else 1.0,
        "precision_per_query": per_query / answered if answered else 1.0,
    }
    return figures, misses, sorted(set(wrong))


def time_name_key(vocabulary: set[str]) -> float:
    """Seconds for name_key over 10,000 distinct words it has not seen (cache emptied)."""
    from store.analysis import names

    words = sorted(vocabulary)
    sample: list[str] = []
    for latin_suffix, arabic_suffix in zip("-aoiuesnrt", "-اويهنرتسل", strict=True):
        for word in words:
            suffix = arabic_suffix if is_arabic(word) else latin_suffix
            sample.append(word if suffix == "-" else word + suffix)
    sample = list(dict.fromkeys(sample))[:10_000]
    names.name_key.cache_clear()
    start = time.perf_counter()
    for word in sample:
        names.name_key(word)
    return time.perf_counter() - start


def time_cldr_first_call() -> float:
    """Seconds of the first cldr_names() call in a fresh interpreter (Babel's loading included)."""
    code = (
        "import time, store.analysis.names as n; t = time.perf_counter(); n.cldr_names(); "
        "print(time.perf_counter() - t)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return float(output.strip())


EXONYMS_HEADER = """\
# Place names in Arabic and in Latin script, normalised: arabic<TAB>latin, one pair a line.
# Made by dev/names.py --cldr-out from Unicode CLDR's localized territory names and
# time-zone exemplar cities (through Babel) and the project's own list in
# store/analysis/names.py. CLDR data: Copyright © Unicode, Inc., Unicode License v3
# (https://www.unicode.org/license.txt). Read by store.analysis.names.cldr_names().
"""


def write_cldr(path: Path) -> int:
    from store.analysis.names import build_cldr_names

    rows = sorted(
        (word, other) for word, others in build_cldr_names().items() if is_arabic(word) for other in others
    )
    path.write_text(EXONYMS_HEADER + "".join(f"{a}\t{b}\n" for a, b in rows), encoding="utf-8")
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=Path, action="append", help="more Arabic<TAB>Latin pair files")
    parser.add_argument("--only", action="store_true", help="measure only the --pairs files")
    parser.add_argument("--words", type=Path, action="append", default=[], help="more distractor texts")
    parser.add_argument("--names", action="store_true", help="other pairs' names are distractors too")
    parser.add_argument("--show", type=int, default=20, help="misses and wrong joins to list")
    parser.add_argument(
        "--cldr-out", type=Path, help="write the place-name table (store/analysis/data/exonyms.tsv) here"
    )
    args = parser.parse_args(argv)

    pairs = [] if args.only else read_pairs(PAIRS)
    for path in args.pairs or []:
        pairs += read_pairs(path)
    vocabulary = distractors(args.words)
    print(f"{len(pairs)} pairs, {len(vocabulary)} distractor words")
    for with_names in (False, True) if args.names else (False,):
        figures, misses, wrong = measure(pairs, vocabulary, with_names)
        label = "with other names" if with_names else "distractors only"
        print(
            f"[{label}] recall {figures['recall']:.3f}  precision {figures['precision']:.3f}"
            f"  (per query {figures['precision_per_query']:.3f}) over {figures['queries']} queries"
        )
        print(f"  misses ({len(misses)}):", " ".join(f"{q}->{t}" for q, t in misses[: args.show]))
        print(f"  wrong ({len(wrong)}):", " ".join(f"{q}->{r}" for q, r in wrong[: args.show]))
    print(f"name_key over 10,000 words: {time_name_key(vocabulary) * 1000:.1f} ms")
    print(f"cldr_names first call: {time_cldr_first_call() * 1000:.1f} ms")
    if args.cldr_out:
        print(f"wrote {write_cldr(args.cldr_out)} rows to {args.cldr_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
