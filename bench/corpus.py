"""A deterministic synthetic corpus of raw Arabic news articles.

Articles look like the seeds as extracted from the web (sometimes a site
name and tagline, a headline printed once or twice, a dateline with an
agency, "read more" blocks, photo credits, a repeated caption, a sign-off),
but their text is new: words are drawn from a long-tailed (Zipf) vocabulary
of the seeds' words, words derived from Arabic roots and patterns, and
made-up names, with clitics and suffixes attached, and lengths vary widely.

    python -m bench.corpus --articles 100000 --out bench/out/corpus-100000
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES_PER_FOLDER = 1000

_LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
# Patterns over a three-letter root (ف ع ل stand for its letters).
_PATTERNS = (
    "فعل",
    "فاعل",
    "مفعول",
    "تفعيل",
    "استفعال",
    "انفعال",
    "افتعال",
    "مفاعله",
    "فعال",
    "فعيل",
    "فعول",
    "مفعل",
    "تفاعل",
    "يفعل",
    "تفعل",
    "فعلات",
    "مفاعل",
    "افعال",
)
_PROCLITICS = ("", "", "", "", "", "ال", "ال", "ال", "و", "وال", "بال", "لل", "ب", "ل", "ف")
_SUFFIXES = ("", "", "", "", "", "", "ه", "ها", "هم", "ات", "ين", "ون", "ية", "ي")
_SYLLABLES = ("با", "ري", "كو", "لا", "مي", "نو", "سا", "تي", "دو", "فا", "غو", "زي", "شا", "يو", "را", "لي")
_AGENCIES = ("(أ ب)", "(رويترز)", "(أ ف ب)", "(د ب أ)", "")
_SITES = ("Qsarpress", "Arabnews24", "Akhbar Today", "Sawt al-Balad")
_TAGLINES = (
    "ما في ذلك السياسة والأعمال والتكنولوجيا والحياة والرأي والرياضة.",
    "أخبار العالم العربي لحظة بلحظة.",
)
_READ_MORE = ("قراءة المزيد:", "اقرأ أيضا:")
_SIGN_OFFS = ("بلومبرج نيوز", "رويترز", "سكاي نيوز")
_PHOTOGRAPHERS = ("Evgeniy Maloletka / AP", "Efrem Lukatsky / AP", "Sergei Grits / AP")


def _seed_words() -> list[str]:
    words: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        words += re.findall(r"[\u0621-\u064a]{2,}", path.read_text(encoding="utf-8"))
    return words


class Vocabulary:
    """Words with Zipf weights: a few very common ones, a long tail of rare ones."""

    def __init__(self, rng: random.Random, size: int) -> None:
        seen: dict[str, None] = {}
        # The seeds' words by frequency first: the common words of real news.
        counts: dict[str, int] = {}
        for word in _seed_words():
            counts[word] = counts.get(word, 0) + 1
        for word, _ in sorted(counts.items(), key=lambda item: -item[1]):
            seen[word] = None
        # Then words from roots and patterns, and names, each in a few inflected
        # forms (as in real text, where a word shows up with some clitics and
        # suffixes, not all of them), until the vocabulary is full.
        while len(seen) < size:
            if rng.random() < 0.2:
                word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
                if rng.random() < 0.5:
                    word += rng.choice(("ف", "ن", "سكي", "وف", "يان", "ستان"))
            else:
                root = [rng.choice(_LETTERS) for _ in range(3)]
                pattern = rng.choice(_PATTERNS)
                word = pattern.replace("ف", "\0").replace("ع", "\1").replace("ل", "\2")
                word = word.replace("\0", root[0]).replace("\1", root[1]).replace("\2", root[2])
            seen[word] = None
            for _ in range(rng.randint(0, 3)):
                seen[rng.choice(_PROCLITICS) + word + rng.choice(_SUFFIXES)] = None
        self.words = list(seen)[:size]
        self.cumulative = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(self.words))))

    def sample(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def rare(self, rng: random.Random) -> str:
        """A word from the tail (for queries): in roughly a handful of articles."""
        return self.words[rng.randint(len(self.words) // 2, len(self.words) - 1)]


def _sentence(rng: random.Random, vocabulary: Vocabulary, length: int) -> str:
    words = vocabulary.sample(rng, length)
    if rng.random() < 0.15:
        words.insert(rng.randrange(len(words)), str(rng.randint(2, 2025)))
    if rng.random() < 0.05:
        words.insert(rng.randrange(len(words)), rng.choice(("Telegram", "NATO", "iskander-m", "TASS")))
    if rng.random() < 0.2 and len(words) > 6:
        at = rng.randrange(len(words) - 3)
        words[at] = "“" + words[at]
        words[at + 2] = words[at + 2] + "”"
    return " ".join(words) + "."


def article_text(rng: random.Random, vocabulary: Vocabulary) -> str:
    """One raw article, in the shapes extracted news text takes."""
    words_wanted = max(60, min(3000, int(rng.lognormvariate(6.1, 0.45))))
    lines: list[str] = []
    headline = " ".join(vocabulary.sample(rng, rng.randint(5, 12)))
    if rng.random() < 0.15:
        lines += [rng.choice(_SITES), rng.choice(_TAGLINES)]
    if rng.random() < 0.85:
        lines.append(headline)
        if rng.random() < 0.15:
            lines.append(headline)
    paragraphs: list[str] = []
    written = 0
    while written < words_wanted:
        sentences = [_sentence(rng, vocabulary, rng.randint(8, 30)) for _ in range(rng.randint(1, 3))]
        paragraph = " ".join(sentences)
        written += paragraph.count(" ") + 1
        paragraphs.append(paragraph)
    if rng.random() < 0.6:
        place = " ".join(vocabulary.sample(rng, rng.randint(1, 2)))
        agency = rng.choice(_AGENCIES)
        paragraphs[0] = (f"{place} {agency}- " if agency else f"({place}) ") + paragraphs[0]
    if rng.random() < 0.2 and len(paragraphs) > 3:
        at = rng.randrange(2, len(paragraphs))
        links = [f"* {' '.join(vocabulary.sample(rng, 6))}" for _ in range(rng.randint(2, 3))]
        paragraphs[at:at] = [rng.choice(_READ_MORE), *links]
    if rng.random() < 0.2 and len(paragraphs) > 2:
        at = rng.randrange(1, len(paragraphs))
        caption = paragraphs[at - 1].split(". ")[0]
        paragraphs[at:at] = [caption, rng.choice(_PHOTOGRAPHERS), caption]
    if rng.random() < 0.1:
        paragraphs.append("AP")
    if rng.random() < 0.2:
        paragraphs.append(rng.choice(_SIGN_OFFS))
    separator = "\n\n" if rng.random() < 0.5 else "\n"
    return separator.join(lines + paragraphs) + "\n"


def generate(out: Path, articles: int, *, seed: int = 20261121, vocabulary_size: int = 200_000) -> Path:
    """Write ``articles`` files under ``out`` (skipped if already complete)."""
    marker = out.parent / f".{out.name}.complete"
    if marker.exists() and marker.read_text() == f"{articles} {seed} {vocabulary_size}":
        return out
    rng = random.Random(seed)
    vocabulary = Vocabulary(rng, vocabulary_size)
    out.mkdir(parents=True, exist_ok=True)
    for number in range(1, articles + 1):
        folder = out / f"{(number - 1) // FILES_PER_FOLDER:04d}"
        if (number - 1) % FILES_PER_FOLDER == 0:
            folder.mkdir(exist_ok=True)
        (folder / f"{number:07d}.txt").write_text(article_text(rng, vocabulary), encoding="utf-8")
    marker.write_text(f"{articles} {seed} {vocabulary_size}")
    return out


def vocabulary_for(seed: int = 20261121, vocabulary_size: int = 200_000) -> Vocabulary:
    return Vocabulary(random.Random(seed), vocabulary_size)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=20261121)
    args = parser.parse_args(argv)
    out = args.out or ROOT / "bench" / "out" / f"corpus-{args.articles}"
    generate(out, args.articles, seed=args.seed)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
