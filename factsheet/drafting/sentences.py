"""Sentences: an archived document cut into sentences, each placed where the quote check
would place it.

Owns: `sentences(text) -> list[Sentence]`. Paragraphs, headings, pages and page furniture are
`documents.structure`'s (the numbering the quote check and locators use); this module only cuts
each paragraph into sentences and maps them back to offsets in the original text.

The cutting is pysbd's (a port of the Pragmatic Segmenter and its "golden rules"): titles and
abbreviations ("Maj. Gen.", "U.S.", "No. 5", "Jan."), initials, decimal numbers, ellipses and
quotations that end a sentence inside their closing quote are the cases where a rule of our own
would be a list of exceptions that is never finished. A heading is one sentence, as it stands.

A sentence's `text` is the paragraph's display text (lines joined by one space, a line-end
hyphen between letters joined with no space, as `documents.Paragraph.display`), with runs of
white space made one space: the quote check folds white space and line-end hyphens the same
way, so the text is always a verbatim quote of the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pysbd

from ..documents import Document, Paragraph, structure


@dataclass(frozen=True)
class Sentence:
    text: str  # as it reads; usable verbatim as a fact's `quote`
    start: int  # offsets into the original document text
    end: int
    paragraph: int | None  # paragraph number as documents.structure numbers it; None: a heading
    heading: int | None  # heading number when this is a heading, else None
    page: int | None  # page number where the sentence starts, in a paged document; else None

    @property
    def locator(self) -> str:
        """Where it is, in the syntax quotes.parse_locator reads: "paragraph 5", "paragraph 5,
        page 2", "heading 2" ("heading 2, page 1" in a paged document)."""
        where = (f"heading {self.heading}" if self.heading is not None
                 else f"paragraph {self.paragraph}")
        return where if self.page is None else f"{where}, page {self.page}"

    @property
    def is_heading(self) -> bool:
        return self.heading is not None


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    # clean=False: pysbd must not rewrite the text, since every sentence is found again in it.
    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def _display(text: str, paragraph: Paragraph) -> tuple[str, list[int]]:
    """The paragraph as shown, and for each of its characters the original offset (a space
    joining two lines maps to the end of the line before it)."""
    shown: list[str] = []
    origin: list[int] = []
    separators = ("",) + paragraph.separators(text)
    for separator, (start, end) in zip(separators, paragraph.lines):
        if separator:
            shown.append(separator)
            origin.append(origin[-1] + 1 if origin else start)
        shown.append(text[start:end])
        origin.extend(range(start, end))
    return "".join(shown), origin


def _cut(display: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in a paragraph's display text, white space left out."""
    try:
        pieces = _segmenter().segment(display)
    except Exception:  # noqa: BLE001 - a bug in the segmenter must not cost the paragraph
        pieces = [display]
    spans, at = [], 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        found = display.find(piece, at)
        if found < 0:  # the segmenter changed the text after all: keep the rest whole
            break
        spans.append((found, found + len(piece)))
        at = found + len(piece)
    rest = display[at:]
    if rest.strip():  # never lose words, whatever the segmenter returned
        lead = len(rest) - len(rest.lstrip())
        spans.append((at + lead, len(display.rstrip())))
    return spans


def _page(document: Document, offset: int) -> int | None:
    return document.pages[document.page_index(offset)].number if document.paged else None


def sentences(text: str, document: Document | None = None) -> list[Sentence]:
    """Every sentence of the document, headings included, in document order. `document`: the
    text's `structure`, when the caller has it already."""
    document = document if document is not None else structure(text)
    found: list[Sentence] = []
    for paragraph in document.paragraphs:
        display, origin = _display(text, paragraph)
        spans = [(0, len(display))] if paragraph.heading is not None else _cut(display)
        for a, b in spans:
            words = " ".join(display[a:b].split())
            if not words:
                continue
            start = origin[a]
            found.append(Sentence(words, start, origin[b - 1] + 1, paragraph.number,
                                  paragraph.heading, _page(document, start)))
    return found
