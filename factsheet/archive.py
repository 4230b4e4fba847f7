"""Archive: an archived document as the source page shows it — numbered paragraphs, headings,
page breaks — with every quoted passage marked and linked to its fact.

Owns: `blocks(text, document, spans)`, a pure function from the document's text, its structure
(`documents.structure`) and the quote spans on it to a list of `Block`s of `Segment`s. The
template only prints them. Running heads and page numbers (furniture) are left out of the text
shown; a page break inside a paragraph becomes an inline marker, so "page 53" can be linked to.

One sweep over the span boundaries while walking the paragraphs' lines in text order: linear in
the text plus the quotes, so a long document quoted by thousands of facts stays cheap.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

from .documents import Document
from .model import QuoteSpan


@dataclass(frozen=True)
class Segment:
    """A run of text: plain, or inside a quote (linked to the innermost quoting fact)."""

    text: str
    fact_id: str = ""
    anchors: tuple[str, ...] = ()  # ids of the quotes starting here, for #quote-… links
    page: int | None = None  # set on an inline page-break marker (text is then "")


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph" | "heading" | "page"
    number: int | None  # the paragraph's or the page's number; None for a heading
    anchor: str  # "p12", "page-53", or "" for a heading
    segments: tuple[Segment, ...] = ()


class _Spans:
    """The quotes open at a point of the text, advanced monotonically through it."""

    def __init__(self, spans):
        self.opening, self.closing = defaultdict(list), defaultdict(list)
        for span in spans:
            self.opening[span.start].append(span)
            self.closing[span.end].append(span)
        self.points = sorted({*self.opening, *self.closing})
        self.next = 0
        self.open: set[QuoteSpan] = set()

    def advance(self, offset: int) -> tuple[str, ...]:
        """Apply every boundary up to `offset`; the anchors of the quotes opened on the way."""
        opened = []
        while self.next < len(self.points) and self.points[self.next] <= offset:
            point = self.points[self.next]
            self.open.difference_update(self.closing.get(point, ()))
            started = self.opening.get(point, ())
            self.open.update(started)
            opened += sorted(started, key=lambda s: (s.fact_id, s.citation, s.part))
            self.next += 1
        return tuple(span.anchor for span in opened)

    def cuts(self, start: int, end: int) -> list[int]:
        """Boundaries strictly inside (start, end)."""
        return self.points[bisect.bisect_right(self.points, start):
                           bisect.bisect_left(self.points, end)]

    def innermost(self) -> str:
        span = min(self.open, key=lambda s: (s.end - s.start, s.fact_id, s.citation),
                   default=None)
        return span.fact_id if span else ""


def _merge(segments: list[Segment]) -> tuple[Segment, ...]:
    """Join neighbours with the same fact and no anchor between them: less markup, same text."""
    merged: list[Segment] = []
    for segment in segments:
        last = merged[-1] if merged else None
        if (last and not segment.anchors and segment.page is None and last.page is None
                and last.fact_id == segment.fact_id):
            merged[-1] = Segment(last.text + segment.text, last.fact_id, last.anchors)
        elif segment.text or segment.anchors or segment.page is not None:
            merged.append(segment)
    return tuple(merged)


def blocks(text: str, document: Document, spans) -> list[Block]:
    """The document's paragraphs, headings and page breaks in order, quotes marked."""
    sweep = _Spans(spans)
    page_starts = [(page.start, page.number) for page in document.pages] if document.paged else []
    next_page = 0
    shown: list[Block] = []
    for paragraph in document.paragraphs:
        # Pages that begin before this paragraph do: a page-break block of their own.
        while next_page < len(page_starts) and page_starts[next_page][0] <= paragraph.start:
            number = page_starts[next_page][1]
            shown.append(Block("page", number, f"page-{number}"))
            next_page += 1
        segments: list[Segment] = []
        separators = paragraph.separators(text)
        for index, (start, end) in enumerate(paragraph.lines):
            # A page that begins inside the paragraph: an inline marker before this line.
            while next_page < len(page_starts) and page_starts[next_page][0] <= start:
                segments.append(Segment("", "", (), page_starts[next_page][1]))
                next_page += 1
            anchors = sweep.advance(start)
            for cut in [*sweep.cuts(start, end), end]:
                segments.append(Segment(text[start:cut], sweep.innermost(), anchors))
                anchors = sweep.advance(cut) if cut < end else ()
                start = cut
            if index < len(separators):
                anchors = sweep.advance(end)
                segments.append(Segment(separators[index], sweep.innermost(), anchors))
        if paragraph.number is not None:
            shown.append(Block("paragraph", paragraph.number, f"p{paragraph.number}",
                               _merge(segments)))
        else:
            shown.append(Block("heading", None, "", _merge(segments)))
    return shown
