"""Documents: the paragraphs, headings, pages and page furniture of an archived plain text.

Owns: `structure(text) -> Document`, a plain value of character offsets into the ORIGINAL text,
so a quote found in the text can be placed ("paragraph 5, page 2") and a renderer can show the
text paragraph by paragraph. Pure; imports nothing of ours. Linear in the text.

The rules, in the order they apply:

- **Lines.** The text is cut at line breaks (`\\n`, with a `\\r` before it ignored). A line's
  range leaves out its leading and trailing white space; a line of white space only is blank.
- **Pages.** A form feed (`\\f`, anywhere in a line) or a line `--- page 53 ---` (any case, any
  spaces, three or more dashes each side) is a page break; the marker itself is not text. Pages
  count from 1, and a `--- page N ---` marker gives the page that follows it the number N. A
  marker that comes before any text of its page (the document's start, or straight after a form
  feed) numbers that page rather than opening another; a form feed at the very end (pdftotext
  ends every page with one) opens no empty last page. A document without markers is one page.
- **Furniture.** In a paged document, a line among the first two or last two text lines of a
  page is page furniture when its text, digits ignored, sits there on at least 3 pages and at
  least a third of them (a running head such as "Marine Accident Report 24/01 — page 12"), or
  when it is only a page number ("12", "- 12 -", "Page 12 of 80") next to a page break. Furniture
  is in no paragraph and is never matched by a quote.
- **Paragraphs.** When some blank line separates two lines of text (within one page), a blank
  line ends a paragraph and the lines between blank lines are joined; otherwise (the bundled
  article) every line is a paragraph. A block between blank lines half of whose lines (but its
  last) are longer than 120 characters was not hard-wrapped: each of its lines is a paragraph.
  Across a page break blank lines may be mere layout (around a running head or page number), so
  there a paragraph runs on when the next page's text starts in lower case, or when the last
  line before the break stops short of a sentence's end (`. ! ? …`, closing quotes and brackets
  aside), unless that line is a paragraph of its own followed by a blank line (a heading at the
  foot of a page); otherwise the break ends the paragraph.
- **Headings.** A paragraph of one line, at most 100 characters, not ending in sentence
  punctuation (`. ! ? : ; , " ” ’ ' ) …`) is a heading: it is not numbered among the paragraphs,
  and headings are numbered on their own (heading 1 is usually the headline).

For display a paragraph is its lines joined with one space, except that a line ending in a hyphen
or dash right after a letter joins the next line's letter without a space ("Singapore-" +
"flagged" → "Singapore-flagged"): the hyphen is kept, since it cannot be known to be soft.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

MARKER = re.compile(r"[ \t]*-{3,}[ \t]*page[ \t]+(\d+)[ \t]*-{3,}[ \t]*", re.IGNORECASE)
PAGE_NUMBER = re.compile(r"(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s+of\s+\d{1,4})?",
                         re.IGNORECASE)
HEADING_MAX = 100
UNWRAPPED = 120  # a line longer than this was not hard-wrapped
SENTENCE_END = tuple(".!?:;,\"”’')…")
TERMINAL = tuple(".!?…")  # where a sentence ends (closing quotes and brackets aside)
CLOSERS = "\"”’')]"
DASHES = "-\u2010\u2013\u2014"  # a line ending in one of these after a letter joins the next
FURNITURE_MIN_PAGES = 3
EDGE_LINES = 2  # how many lines at the top and bottom of a page may be furniture


@dataclass(frozen=True, slots=True)
class Page:
    number: int  # as the document numbers it ("--- page 53 ---"), else counted from 1
    start: int  # offset where the page's text begins (after its marker)
    marker: tuple[int, int] | None = None  # the form feed or marker line that opens it


@dataclass(frozen=True, slots=True)
class Paragraph:
    number: int | None  # 1-based among paragraphs; None for a heading
    kind: str  # "paragraph" | "heading"
    start: int  # offset of its first character
    end: int  # offset after its last character (furniture between lines lies inside)
    page: int  # the number of the page where it starts
    lines: tuple[tuple[int, int], ...]  # (start, end) of each of its lines, furniture left out
    heading: int | None = None  # 1-based among headings; None for a paragraph

    def separators(self, text: str) -> tuple[str, ...]:
        """What stands between each line and the next when shown: " ", or "" after a line-end
        hyphen between letters. One fewer than the lines."""
        return tuple("" if _hyphen_join(text, a[1], b[0]) else " "
                     for a, b in zip(self.lines, self.lines[1:]))

    def display(self, text: str) -> str:
        """The paragraph as shown: its lines joined (see `separators`)."""
        out = [text[slice(*self.lines[0])]]
        for separator, line in zip(self.separators(text), self.lines[1:]):
            out += [separator, text[slice(*line)]]
        return "".join(out)


@dataclass(frozen=True)
class Document:
    paragraphs: tuple[Paragraph, ...]  # headings and paragraphs, in text order
    pages: tuple[Page, ...]
    furniture: tuple[tuple[int, int], ...]  # running heads and page numbers, in text order
    _starts: tuple[int, ...] = field(default=(), repr=False, compare=False)
    _page_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)
    # for each entry of `paragraphs`: how many numbered paragraphs its page holds up to it
    on_page: tuple[int, ...] = field(default=(), repr=False, compare=False)
    # whether the document marks pages (else it is one page and pages are not shown)
    paged: bool = field(default=False, repr=False, compare=False)
    # ranges that are not text: furniture and page markers, in text order
    skipped: tuple[tuple[int, int], ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self):
        # Derived once: quotes ask for these for every citation of a long document.
        markers = [page.marker for page in self.pages if page.marker is not None]
        object.__setattr__(self, "paged", bool(markers))
        object.__setattr__(self, "skipped", tuple(sorted([*self.furniture, *markers])))
        object.__setattr__(self, "_starts", tuple(p.start for p in self.paragraphs))
        object.__setattr__(self, "_page_starts", tuple(p.start for p in self.pages))
        counts, page, count = [], None, 0
        for paragraph in self.paragraphs:
            at = self.page_index(paragraph.start)
            count = (count if at == page else 0) + (paragraph.number is not None)
            page = at
            counts.append(count)
        object.__setattr__(self, "on_page", tuple(counts))

    def paragraph_index(self, offset: int) -> int | None:
        """Index in `paragraphs` of the paragraph or heading holding `offset`, else None."""
        at = bisect.bisect_right(self._starts, offset) - 1
        if at < 0 or offset >= self.paragraphs[at].end:
            return None
        return at

    def page_index(self, offset: int) -> int:
        """Index in `pages` of the page holding `offset`."""
        return max(bisect.bisect_right(self._page_starts, offset) - 1, 0)

    def text_ranges(self, start: int, end: int) -> list[tuple[int, int]]:
        """[start, end) less furniture and page markers: the pieces of a passage to mark."""
        pieces, at = [], start
        first = max(bisect.bisect_left(self.skipped, (start,)) - 1, 0)
        for a, b in self.skipped[first:]:
            if a >= end:
                break
            if b <= at:
                continue
            if a > at:
                pieces.append((at, a))
            at = max(at, b)
        if at < end:
            pieces.append((at, end))
        return pieces


def hyphen_joins(before: str, dash: str, after: str) -> bool:
    """The one rule for a line-end hyphen ("Singapore-⏎flagged"): a dash after a letter joins
    the next line's first letter with no space. Used to show, fold and match text alike."""
    return dash in DASHES and before.isalpha() and after.isalpha()


def _hyphen_join(text: str, line_end: int, next_start: int) -> bool:
    """Whether a line ending at `line_end` joins the line starting at `next_start`."""
    return (line_end >= 2 and next_start < len(text)
            and hyphen_joins(text[line_end - 2], text[line_end - 1], text[next_start]))


def _key(line: str) -> str:
    """A line as compared for furniture: digits ignored, spaces folded, case folded."""
    return " ".join(re.sub(r"\d+", "#", line).split()).casefold()


def _is_heading(text: str, line: tuple[int, int]) -> bool:
    words = text[line[0]:line[1]]
    return len(words) <= HEADING_MAX and not words.endswith(SENTENCE_END)


def structure(text: str) -> Document:
    """The paragraphs, headings, pages and furniture of an archived text (see the module)."""
    # 1. Lines and page breaks, in order. A line: ("line", start, end, blank); a break: ("break",
    #    number or None, (start, end) of the marker).
    events: list[tuple] = []
    position = 0
    for raw in text.split("\n"):
        pieces = raw.split("\f")
        at = position
        for n, piece in enumerate(pieces):
            if n:
                events.append(("break", None, (at - 1, at)))  # the form feed itself
            stripped = piece.strip()
            marker = MARKER.fullmatch(piece.rstrip("\r"))
            if marker:
                events.append(("break", int(marker.group(1)),
                               (at, at + len(piece.rstrip("\r")))))
            elif stripped:
                lead = len(piece) - len(piece.lstrip())
                events.append(("line", at + lead, at + lead + len(stripped), False))
            elif len(pieces) == 1:
                events.append(("line", at, at, True))  # a blank line (not a \f's empty side)
            at += len(piece) + 1
        position += len(raw) + 1

    # 2. Pages: each a dict of its number, start, marker, opener and its line events' indices.
    pages: list[dict] = [{"number": 1, "start": 0, "marker": None, "opener": "start", "lines": []}]
    for i, event in enumerate(events):
        if event[0] == "line":
            if not event[3]:
                pages[-1]["lines"].append(i)
            continue
        _, number, marker = event
        current = pages[-1]
        empty_opened = not current["lines"] and current["opener"] in ("start", "ff")
        if number is not None and empty_opened:
            current.update(number=number, start=marker[1], marker=marker)
        elif number is None and not current["lines"] and current["opener"] == "start":
            current.update(start=marker[1], marker=marker)
        else:
            pages.append({"number": number if number is not None else current["number"] + 1,
                          "start": marker[1], "marker": marker,
                          "opener": "marker" if number is not None else "ff", "lines": []})
    trailing_ff = len(pages) > 1 and not pages[-1]["lines"] and pages[-1]["opener"] == "ff"
    if trailing_ff:
        pages.pop()

    # 3. Furniture: running heads (repeated at an edge of enough pages) and lone page numbers.
    furniture: set[int] = set()  # indices into events
    if len(pages) > 1:
        text_pages = [p for p in pages if p["lines"]]
        top, bottom = Counter(), Counter()
        for page in text_pages:
            lines = page["lines"]
            top.update({_key(text[events[i][1]:events[i][2]]) for i in lines[:EDGE_LINES]})
            bottom.update({_key(text[events[i][1]:events[i][2]]) for i in lines[-EDGE_LINES:]})
        needed = max(FURNITURE_MIN_PAGES, -(-len(text_pages) // 3))

        def furniture_at(i: int, counts: Counter, beside_break: bool) -> bool:
            words = text[events[i][1]:events[i][2]]
            return counts[_key(words)] >= needed or (beside_break and
                                                     PAGE_NUMBER.fullmatch(words) is not None)

        for n, page in enumerate(pages):
            lines = page["lines"]
            after_break = page["marker"] is not None
            before_break = n + 1 < len(pages) or trailing_ff
            taken = 0
            for i in lines[:EDGE_LINES]:
                if not furniture_at(i, top, after_break):
                    break
                furniture.add(i)
                taken += 1
            for i in reversed(lines[max(taken, len(lines) - EDGE_LINES):]):
                if not furniture_at(i, bottom, before_break):
                    break
                furniture.add(i)

    # 4. Paragraphs. Gaps between consecutive text lines decide where paragraphs end.
    text_lines = [i for i, e in enumerate(events) if e[0] == "line" and not e[3]
                  and i not in furniture]
    page_of_event: dict[int, int] = {}
    for page in pages:
        for i in page["lines"]:
            page_of_event[i] = page["number"]
    ends_paragraph: list[bool] = []  # per gap after text_lines[k]
    blank_mode = False
    run = 1  # lines of the paragraph so far, were blank lines to end paragraphs
    for a, b in zip(text_lines, text_lines[1:]):
        between = events[a + 1:b]
        blank = any(e[0] == "line" and e[3] for e in between)
        if not any(e[0] == "break" for e in between):
            ends = blank
            blank_mode = blank_mode or ends
        else:
            # Across a page break blank lines may be layout (around a running head or a page
            # number): the paragraph runs on when the next page goes on in lower case, or when
            # the last line stops short of a sentence's end (unless a blank line follows a
            # paragraph of one line: a heading at the foot of a page).
            before = text[events[a][1]:events[a][2]].rstrip(CLOSERS)
            after = text[events[b][1]]
            ends = not (after.islower() or (not before.endswith(TERMINAL) and
                                            (run > 1 or not blank)))
        ends_paragraph.append(ends)
        run = 1 if ends else run + 1

    paragraphs: list[Paragraph] = []
    group: list[int] = []
    counts = {"paragraph": 0, "heading": 0}

    def close() -> None:
        lines = tuple((events[i][1], events[i][2]) for i in group)
        kind = "heading" if len(lines) == 1 and _is_heading(text, lines[0]) else "paragraph"
        counts[kind] += 1
        paragraphs.append(Paragraph(counts[kind] if kind == "paragraph" else None, kind,
                                    lines[0][0], lines[-1][1], page_of_event[group[0]], lines,
                                    counts[kind] if kind == "heading" else None))
        group.clear()

    def unwrapped(block: list[int]) -> bool:
        """Whether a block's lines are not hard-wrapped: half or more (but its last) are long."""
        long = sum(events[i][2] - events[i][1] > UNWRAPPED for i in block[:-1])
        return long * 2 >= len(block) - 1

    block: list[int] = []
    for k, i in enumerate(text_lines):
        block.append(i)
        if k == len(text_lines) - 1 or not blank_mode or ends_paragraph[k]:
            if unwrapped(block):
                for line in block:
                    group.append(line)
                    close()
            else:
                group.extend(block)
                close()
            block = []

    return Document(
        paragraphs=tuple(paragraphs),
        pages=tuple(Page(p["number"], p["start"], p["marker"]) for p in pages),
        furniture=tuple((events[i][1], events[i][2]) for i in sorted(furniture)),
    )
