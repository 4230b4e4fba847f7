"""Capitalised words: which runs of them may be names, before anything is matched or guessed.

Owns: `DocumentWords` (what the whole document says about its words), `runs` (each run of
capitalised words of a sentence that may be a name, with a title split off: "Major General"
before "Pat Ryder") and `is_title`. A run loses a sentence's common first word ("Just",
"Additionally"), and never holds a single letter (a transcript's "Q"), a contraction ("I'll"),
a word cut off ("Wa-"), an adjective made with a name ("Kestria-flagged") or a speaker's label
in capitals ("JEAN-PIERRE"). Imports nothing of ours but the word lists of `kinds`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .kinds import ADJECTIVE_ENDINGS, DIRECTIONS, TITLE_WORDS
from .plaintext import plain

# Words that start sentences without naming anything; a capitalised run loses them at its start.
STARTERS = frozenset("""
a an the this that these those it its he she they we i you his her their our my your there here
according after before among amid as at by during for from in into on onto over under with
without about above across against along around behind below beside between beyond despite
except inside near outside since through throughout toward towards until upon within
and but or nor yet so however additionally meanwhile moreover furthermore also still then later
earlier just only even already again instead thus therefore hence indeed nevertheless nonetheless
if when while where whether although though because unless once whereas
one two three four five six seven eight nine ten eleven twelve several many some most more less
few all both each every no none other another such last next first second third new
what which who whom whose why how
""".split())
# Capitalised, but never a name: the calendar (dates are `dating`'s).
CALENDAR = frozenset("""
January February March April May June July August September October November December Jan Feb
Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday
""".split())
LONE_LETTER = re.compile(r"(?:^|(?<=[\s.:!?;\"'(]))[A-Z]$")  # a transcript's "Q"
# A transcript's chair calling on someone, or a speaker thanking them: "Go ahead, Nadia."
CALLED_ON = re.compile(r"\b(?:Go ahead|Thank you(?: very much)?|Thanks|Sorry|Okay|Yes|Hi|Hey),"
                       r"\s+([A-Z][a-z][\w'-]*)\s*[.!?]")
_WORD = re.compile(r"[^\W\d_][\w'-]*")
# An adjective made with a name: "Kestria-flagged", "Kremlin-backed", "US-made".
COMPOUND = re.compile(r"-(?:[a-z]+ed|made|style|born|era|run|wide|bound)$")


@dataclass(frozen=True)
class DocumentWords:
    """What the whole document says about its words: those it writes in lower case (never a
    name when a sentence starts with them: "Just", "Additionally") and those it capitalises
    away from a sentence's start (names: "Moscow"). A word capitalised only where sentences
    begin ("Sorry", "Okay") is not taken for a name on its own."""

    lower: frozenset[str] = frozenset()
    capitalised: frozenset[str] = frozenset()
    addressed: frozenset[str] = frozenset()  # one-word names called on: "Go ahead, Nadia."

    @classmethod
    def of(cls, text: str) -> "DocumentWords":
        text = plain(text)
        lower, capitalised = set(), set()
        for start, _end, word in tokens(text):
            if word[0].islower():
                lower.add(word)
            elif not sentence_start(text, start):
                capitalised.add(word)
        addressed = {m.group(1) for m in CALLED_ON.finditer(text)}
        return cls(frozenset(lower), frozenset(capitalised), frozenset(addressed))


def tokens(text: str):
    """(start, end, word) of each word, a possessive "'s" left off."""
    for match in _WORD.finditer(text):
        word = match.group()
        end = match.end()
        if word.endswith("'s"):
            word, end = word[:-2], end - 2
        elif word.endswith("'"):
            word, end = word[:-1], end - 1
        if word:
            yield match.start(), end, word


def sentence_start(text: str, at: int) -> bool:
    """Whether the word at `at` opens the sentence or a quotation, heading clause or bracket
    (a transcript's "Q" before it aside)."""
    window = max(0, at - 40)  # enough to see past a "Q "; never the whole text before
    before = text[window:at].rstrip(" ")
    before = LONE_LETTER.sub("", before).rstrip(" ")
    if not before:
        return window == 0
    return before[-1] in ".:!?;\"'(\n\f"


def runs(text: str, taken: list[tuple[int, int]], words: DocumentWords):
    """(start, end, title) of each run of capitalised words outside `taken`; `title` is the
    run's leading words of rank or office, split off ("Major General" before "Pat Ryder")."""
    found = [t for t in tokens(text) if not any(a <= t[0] < b for a, b in taken)]
    run: list[tuple[int, int, str]] = []

    def flush():
        yield from _split_run(text, run, words)
        run.clear()

    for index, (start, end, word) in enumerate(found):
        capital = word[0].isupper() and word not in CALENDAR and not _never_a_name(word)
        if run and not _joined(text, run[-1][1], start):
            yield from flush()
        if capital:
            run.append((start, end, word))
        elif run and word in ("of", "the", "for") and index + 1 < len(found) \
                and found[index + 1][2][0].isupper() and _joined(text, end, found[index + 1][0]):
            run.append((start, end, word))  # "Ministry of Defense", "Forces of the Republic"
        elif run:
            yield from flush()
    yield from flush()


def _never_a_name(word: str) -> bool:
    """A single letter ("Q" of a transcript, "U" of "U.S."), a contraction ("I'll"), a word
    cut off ("Wa-"), or capitals longer than an acronym ("JEAN-PIERRE", a speaker's label)."""
    return len(word) == 1 or word.endswith("-") or COMPOUND.search(word) is not None or \
        bool(re.search(r"'(?:ll|m|ve|d|re|t)$", word, re.IGNORECASE)) or \
        (word.isupper() and (len(word) > 5 or "-" in word) and word.title() not in TITLE_WORDS)


def is_title(word: str) -> bool:
    return word.rstrip(".") in TITLE_WORDS or word.rstrip(".").title() in TITLE_WORDS


def _joined(text: str, end: int, start: int) -> bool:
    """Whether two words are one name's: nothing but one space or a hyphen between them, or a
    possessive ("Mayor's Office")."""
    return text[end:start] in (" ", "-", "'s ")


def _split_run(text: str, run: list, known: DocumentWords):
    words = list(run)
    while words and words[-1][2] in ("of", "the", "for"):
        words.pop()
    # A sentence's first word is capitalised whatever it is.
    while words and sentence_start(text, words[0][0]) and \
            (words[0][2].lower() in STARTERS or words[0][2].lower() in known.lower or
             (len(words) == 1 and words[0][2] not in known.capitalised)):
        words.pop(0)
    while words and words[0][2] in ("of", "the", "for"):
        words.pop(0)
    if not words:
        return
    title = []
    while words and (is_title(words[0][2]) or words[0][2] in DIRECTIONS
                     or words[0][2].endswith(ADJECTIVE_ENDINGS)) and len(words) > 1 \
            and not text.startswith("'s", words[0][1]):  # "Mayor's Office" is no mayor
        title.append(words.pop(0))
    if title and not any(is_title(w[2]) for w in title):
        words = title + words  # "North Korean Navy": an adjective, not an office
        title = []
    if title and words[0][2] in ("of", "the", "for"):
        return  # "Secretary of State": an office with no one named
    if all(w[2] == "I" or w[2].lower() in STARTERS for w in words):
        return  # "The" before a known name, the pronoun "I"
    title_text = text[title[0][0]:title[-1][1]] if title else ""
    yield words[0][0], words[-1][1], title_text
