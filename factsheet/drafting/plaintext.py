"""Plain text for reading a sentence: the same characters at the same offsets, easier to match.

Owns: `plain` (typographic quotes and spaces made plain, one character for one, so an offset
found in the plain text is an offset in the sentence), `fold_name` (the key two spellings of
one name share: "the “Kyiv Post,”" and "Kyiv Post"), `words` and `slug`. Imports nothing of
ours but the schema's id rule.
"""

from __future__ import annotations

import re

from ..schema import ID_MAX_LENGTH, suggested_id

# One character for one: offsets into the plain text are offsets into the original.
_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                        "\u00a0": " ", "\u2013": "-", "\u2014": "-", "\u2010": "-"})
# American style puts a comma inside the closing quote ('the "Kyiv Post," citing'): swapped, the
# name ends at its quote and the comma separates the phrase, as it does in British style.
_COMMA_IN_QUOTE = re.compile(r'([,.])(["\'])(?=\s|$)')
WORD = re.compile(r"[^\W\d_][\w'-]*")


def plain(text: str) -> str:
    """`text` with plain quotes and dashes and a comma moved outside its closing quote; the same
    length as `text`, so every offset still points at the same word."""
    return _COMMA_IN_QUOTE.sub(r"\2\1", text.translate(_PLAIN))


def fold_name(name: str) -> str:
    """The key a name is matched by: lower case, quotes, brackets and punctuation dropped, a
    possessive "'s" and a leading "the" dropped, white space single. "The Washington Post",
    "the “Washington Post,”" and "Washington Post's" all fold to "washington post"."""
    text = name.translate(_PLAIN).lower()
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s-]", " ", text)
    text = " ".join(text.replace("-", " ").split())
    return text[4:] if text.startswith("the ") else text


def words(text: str) -> list[str]:
    """The words of `text`, in order (letters first; digits inside a word are kept)."""
    return WORD.findall(text.translate(_PLAIN))


def slug(parts: list[str], taken: set[str], fallback: str = "draft") -> str:
    """An id from `parts` that is not in `taken` (and is then added to it): "over-20-soldiers",
    "over-20-soldiers-2" for the next one. Kept short: at most six parts."""
    base = suggested_id("-".join(parts[:6]))[:60].strip("-") or fallback
    candidate, number = base, 2
    while candidate in taken or candidate == "index":
        candidate = f"{base}-{number}"[:ID_MAX_LENGTH]
        number += 1
    taken.add(candidate)
    return candidate
