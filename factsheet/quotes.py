"""Quotes: finding a quoted passage in an archived document, placing it, and explaining a miss.

Owns: the folding under which a quote matches its document, `find_all` (every occurrence of a
quote, elided or not, with where it is), `parse_locator` and `place` (a citation's locator checked
against where its quote is, and the occurrence it picks), `passage` (the quoted words as the
document has them), and `near_miss` / `missing_hint`, which say why a quote does not occur ("the
document has 'deaths, and' where the quote has 'deaths and'"). Imports only `documents`.

Folding, applied alike to the document and to the quote:
- typographic quotes → plain ones (`’` `‘` → `'`, `“` `”` → `"`), a no-break space → a space;
- a run of white space → one space;
- a hyphen or dash between a letter and white space before a letter loses the white space: the
  document's "Singapore-⏎flagged" (hyphenated at a line end) matches a quote typed
  "Singapore-flagged" or "Singapore- flagged", but never "Singaporeflagged" (a hyphen at a line
  end may be part of the word, so it is never dropped);
- the document's page furniture (running heads, lone page numbers) and page markers count as
  white space, so a quote runs across a page break as if the break were not there.

An ellipsis in a quote (`…`, `...`, either bracketed `[…]`, with or without spaces) elides: each
part must occur after the one before it, starting in the same paragraph (or heading) as the one
before it ends, or the next. A quote that occurs verbatim, ellipsis and all, is not elided.

The near-miss alignment is rapidfuzz's `partial_ratio_alignment` (C++; the best-matching window
of the document in well under a millisecond for a 76,000-character transcript), then difflib over
the words of that window only, which is small.
"""

from __future__ import annotations

import bisect
import difflib
import re
from array import array
from dataclasses import dataclass

from rapidfuzz import fuzz

from .documents import DASHES, Document, hyphen_joins, structure

_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                       "\u00a0": " "})
_TOKEN = re.compile(r"\w+|[^\w\s]")
ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.)\s*")
MIN_SCORE = 60  # below this the "closest passage" is noise, not a near miss
MAX_DIFFERENCES = 3
MAX_ALIGNED = 600  # a longer quote is aligned by the stretch of it where it stops matching
MAX_PLACES = 5  # places listed for a quote that occurs more often (then "and N more")
_LOCATOR_RANGE = r"\s*(\d+)(?:\s*(?:[-–—]|to)\s*(\d+))?"
_PARAGRAPH = re.compile(r"(?:\bparagraphs?|\bparas?\.?|¶+)" + _LOCATOR_RANGE, re.IGNORECASE)
_PDF_PAGE = re.compile(r"\bpdf\s+pages?" + _LOCATOR_RANGE, re.IGNORECASE)
_PAGE = re.compile(r"(?:\bpages?|\bpp?\.)" + _LOCATOR_RANGE, re.IGNORECASE)


# The runs of white space that do not simply become one space where they stand: a longer run
# (one space, and what follows moves left) and a run after a dash (none, where it joins words).
_RUN = re.compile(r"\s{2,}|(?<=[" + DASHES + r"])\s")
_OTHER_SPACE = re.compile(r"[^\S ]")  # a white space character other than the space


class Offsets:
    """Where each character of a folded text stood in the original (`offsets[i]`): the folded
    text is the original with runs of white space made one space or none, so it is a few
    stretches each shifted by its own amount. Kept as where each stretch starts and its shift,
    not as one number a character (4 bytes each, over the millions of characters of a
    briefing's documents, kept with the cache)."""

    __slots__ = ("starts", "shifts", "length")

    def __init__(self, starts: array, shifts: array, length: int):
        self.starts, self.shifts, self.length = starts, shifts, length

    def __getitem__(self, at: int) -> int:
        if at < 0:
            at += self.length
        if not 0 <= at < self.length:
            raise IndexError("folded offset out of range")
        return at + self.shifts[bisect.bisect_right(self.starts, at) - 1]

    def __len__(self) -> int:
        return self.length

    def __reduce__(self):
        return Offsets, (self.starts, self.shifts, self.length)


def fold(text: str, skip: tuple[tuple[int, int], ...] = ()) -> tuple[str, Offsets]:
    """Fold a text for matching (see the module) → (folded text, original offset of each char).

    `skip`: ranges of the text, in order and not overlapping, that count as white space.
    White space at either end goes; a run of it between two words becomes one space, or none
    when a dash after a letter ends the first and a letter starts the second ("Singapore-⏎
    flagged"). Regular expressions find the runs that do not simply become one space where
    they stand (few: most words are one space apart), so that the words are not visited one by
    one in Python: a briefing's documents run to millions of characters."""
    text = text.translate(_FOLD)
    if skip:
        pieces, last = [], 0
        for start, end in skip:
            pieces += [text[last:start], " " * (end - start)]
            last = end
        text = "".join(pieces) + text[last:]
    first, end = len(text) - len(text.lstrip()), len(text.rstrip())
    if first >= end:
        return "", Offsets(array("I", [0]), array("I", [0]), 0)
    pieces, starts, shifts = [], array("I", [0]), array("I", [first])
    at, length = first, 0  # where the text not yet taken starts; the folded text's length
    for run in _RUN.finditer(text, first, end):
        start, stop = run.span()
        joins = text[start - 1] in DASHES and start - 2 >= first \
            and hyphen_joins(text[start - 2], text[start - 1], text[stop])
        if stop - start == 1 and not joins:
            continue  # one white space character: a space where it stands
        pieces.append(text[at:start])
        length += start - at
        if not joins:
            pieces.append(" ")  # (the space stands where its run started)
            length += 1
        starts.append(length)
        shifts.append(stop - length)
        at = stop
    pieces.append(text[at:end])
    folded = _OTHER_SPACE.sub(" ", "".join(pieces))
    return folded, Offsets(starts, shifts, len(folded))


@dataclass(frozen=True, eq=False)
class Folded:
    """A document prepared for matching: folded once, searched for every quote of its source."""

    text: str  # the folded text
    index: Offsets  # original offset of each folded character
    original: str
    structure: Document

    def origin(self, start: int, end: int) -> tuple[int, int]:
        """The original (start, end) of folded [start, end)."""
        return self.index[start], self.index[end - 1] + 1


def fold_document(text: str, document: Document | None = None) -> Folded:
    """The document folded for matching, its furniture and page markers left out."""
    document = document if document is not None else structure(text)
    return Folded(*fold(text, document.skipped), text, document)


@dataclass(frozen=True)
class Occurrence:
    """One place a quote occurs: a span per part (one unless elided), and where it starts."""

    spans: tuple[tuple[int, int], ...]  # original (start, end) of each part, in text order
    paragraph: int | None  # number of the paragraph it starts in; None when in a heading
    heading: int | None  # number of the heading it starts in; None when in a paragraph
    page: int  # number of the page it starts on
    paragraphs: tuple[int, int] | None  # first and last numbered paragraph it touches
    pages: tuple[int, ...]  # numbers of the pages it touches, in order
    ordinals: tuple[int, int]  # first and last page it touches, counted from 1 (PDF pages)
    on_page: int | None = None  # its paragraph's place among the paragraphs starting on its page

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    def where(self, paged: bool) -> str:
        """ "paragraph 5 (page 2)"; without the page in a document that has no pages."""
        name = (f"paragraph {self.paragraph}" if self.paragraph is not None else
                f"heading {self.heading}" if self.heading is not None else "the text")
        return f"{name} (page {self.page})" if paged else name


def quote_parts(quote: str, folded: Folded | None = None) -> list[str]:
    """The quote's folded parts: one, unless it elides (and does not occur verbatim)."""
    whole = fold(quote)[0]
    if not ELLIPSIS.search(quote) or (folded is not None and whole and whole in folded.text):
        return [whole] if whole else []
    return [part for part in (fold(p)[0] for p in ELLIPSIS.split(quote)) if part]


def _occurrences(part: str, text: str):
    at = text.find(part)
    while at >= 0:
        yield at
        at = text.find(part, at + 1)


def _matches(parts: list[str], folded: Folded) -> list[list[tuple[int, int]]]:
    """Every match of the parts as folded ranges, each later part taken as early as it can be
    (which leaves the most room for the parts after it)."""
    document = folded.structure
    text = folded.text

    def paragraph(at: int) -> int:
        found = document.paragraph_index(folded.index[at])
        return found if found is not None else -2

    found: list[list[tuple[int, int]]] = []
    for at in _occurrences(parts[0], text):
        ranges = [(at, at + len(parts[0]))]
        for part in parts[1:]:
            previous_end = ranges[-1][1]
            after = text.find(part, previous_end)
            if after < 0:
                return found  # no later start of the first part can do better
            if paragraph(after) > paragraph(previous_end - 1) + 1:
                break
            ranges.append((after, after + len(part)))
        else:
            found.append(ranges)
    return found


def _occurrence(ranges: list[tuple[int, int]], folded: Folded) -> Occurrence:
    document = folded.structure
    spans = tuple(folded.origin(a, b) for a, b in ranges)
    start, end = spans[0][0], spans[-1][1]
    first, last = document.paragraph_index(start), document.paragraph_index(end - 1)
    paragraph = document.paragraphs[first] if first is not None else None
    last = first if last is None else last
    numbered = [p.number for p in document.paragraphs[first:last + 1]
                if p.number is not None] if first is not None else []
    first_page, last_page = document.page_index(start), document.page_index(end - 1)
    on_page = None
    if paragraph is not None and paragraph.number is not None:
        on_page = document.on_page[first]
    return Occurrence(
        spans=spans,
        paragraph=paragraph.number if paragraph else None,
        heading=paragraph.heading if paragraph else None,
        page=document.pages[first_page].number,
        paragraphs=(numbered[0], numbered[-1]) if numbered else None,
        pages=tuple(p.number for p in document.pages[first_page:last_page + 1]),
        ordinals=(first_page + 1, last_page + 1), on_page=on_page)


def find_all(quote: str, document_text: str, document: Document | None = None, *,
             folded: Folded | None = None) -> list[Occurrence]:
    """Every occurrence of the quote in the document, in text order. `folded` (from
    `fold_document`) saves folding the document again for each quote of one source."""
    folded = folded if folded is not None else fold_document(document_text, document)
    parts = quote_parts(quote, folded)
    if not parts:
        return []
    return [_occurrence(ranges, folded) for ranges in _matches(parts, folded)]


def find_quote(quote: str, document: str | Folded) -> tuple[int, int] | None:
    """(start, end) of the quote's first occurrence in the document, compared folded; for an
    elided quote, from its first part's start to its last part's end."""
    found = find_all(quote, document) if isinstance(document, str) else \
        find_all(quote, document.original, folded=document)
    return (found[0].start, found[0].end) if found else None


# --- locators ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Locator:
    """What a citation's locator says that can be checked; all None: nothing checkable
    ("headline", "subheading 3", "timestamp 01:12")."""

    paragraphs: tuple[int, int] | None = None  # "paragraph 4", "paras. 3–4", "¶ 4"
    pages: tuple[int, int] | None = None  # "page 53", "p. 53", "pp. 52–53"
    pdf_pages: tuple[int, int] | None = None  # "PDF page 80": the 80th page, however numbered

    def __bool__(self) -> bool:
        return any((self.paragraphs, self.pages, self.pdf_pages))

    def __str__(self) -> str:
        said = []
        for name, span in (("PDF page", self.pdf_pages), ("page", self.pages),
                           ("paragraph", self.paragraphs)):
            if span:
                said.append(f"{name} {span[0]}" if span[0] == span[1] else
                            f"{name}s {span[0]}–{span[1]}")
        return ", ".join(said)


def _range(match: re.Match | None) -> tuple[int, int] | None:
    if match is None:
        return None
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) else low
    return (low, high) if low <= high else (high, low)


def parse_locator(text: str) -> Locator:
    """The checkable part of a locator: "page N" / "p. N" / "pp. N–M", "PDF page N",
    "paragraph N" / "para. N" / "¶ N", anywhere in it ("page 53, paragraph 2")."""
    text = text or ""
    pdf = _PDF_PAGE.search(text)
    rest = text[:pdf.start()] + text[pdf.end():] if pdf else text
    return Locator(paragraphs=_range(_PARAGRAPH.search(rest)), pages=_range(_PAGE.search(rest)),
                   pdf_pages=_range(pdf))


def _overlaps(span: tuple[int, int] | None, low: int, high: int) -> bool:
    return span is None or (low <= span[1] and span[0] <= high)


def fits(occurrence: Occurrence, locator: Locator, document: Document) -> bool:
    """Whether the occurrence is where the locator says (page locators only in a paged
    document: an unpaged text cannot show them wrong). With a page, "paragraph N" may count
    in the document or on the page ("page 53, paragraph 2": the second paragraph that starts
    on page 53)."""
    if locator.paragraphs is not None:
        in_document = occurrence.paragraphs is not None and _overlaps(locator.paragraphs,
                                                                      *occurrence.paragraphs)
        on_page = (document.paged and locator.pages is not None and occurrence.on_page is not None
                   and _overlaps(locator.paragraphs, occurrence.on_page, occurrence.on_page))
        if not (in_document or on_page):
            return False
    if document.paged:
        if locator.pages is not None and not any(_overlaps(locator.pages, n, n)
                                                 for n in occurrence.pages):
            return False
        if not _overlaps(locator.pdf_pages, *occurrence.ordinals):
            return False
    return True


def _checkable(locator: Locator, document: Document) -> bool:
    return locator.paragraphs is not None or (document.paged and (
        locator.pages is not None or locator.pdf_pages is not None))


def _places(occurrences: list[Occurrence], paged: bool) -> str:
    listed = ", ".join(o.where(paged) for o in occurrences[:MAX_PLACES])
    more = len(occurrences) - MAX_PLACES
    return f"{listed} and {more} more" if more > 0 else listed


def _picking(occurrences: list[Occurrence], document: Document,
             locator: Locator | None = None) -> list[str]:
    """For each occurrence, a locator that picks it alone, where one can: first of the kinds
    `locator` has, then a page, then a paragraph. None for a quote found too often to list."""
    picks: list[str] = []
    if len(occurrences) > MAX_PLACES:
        return picks
    for occurrence in occurrences:
        others = [o for o in occurrences if o is not occurrence]
        for candidate in ([_like(locator, occurrence, document)] if locator else []) + \
                ([f"page {occurrence.page}"] if document.paged else []) + \
                ([f"paragraph {occurrence.paragraph}"] if occurrence.paragraph else []) + \
                ([f"page {occurrence.page}, paragraph {occurrence.paragraph}"]
                 if document.paged and occurrence.paragraph else []):
            wanted = parse_locator(candidate)
            if fits(occurrence, wanted, document) and not any(fits(o, wanted, document)
                                                               for o in others):
                picks.append(f"'{candidate}'")
                break
    return picks


@dataclass(frozen=True)
class Placement:
    """The occurrence a citation means, and what is wrong with its locator ("" : nothing)."""

    occurrence: Occurrence
    message: str = ""  # "locator says paragraph 4, but the quote is in paragraph 5 (page 2)"
    hint: str = ""
    about_locator: bool = False  # the problem sits at the locator (else at the quote)


def place(occurrences: list[Occurrence], locator: Locator | str, document: Document,
          ) -> Placement:
    """Check a quote's locator against its occurrences (at least one) and pick the one meant:
    the one the locator names; else the first, with a message saying why that may be wrong."""
    locator = parse_locator(locator) if isinstance(locator, str) else locator
    paged = document.paged
    checkable = _checkable(locator, document)
    fitting = [o for o in occurrences if fits(o, locator, document)] if checkable else []
    if checkable and not fitting:
        said = f"is in {occurrences[0].where(paged)}" if len(occurrences) == 1 else \
            f"occurs {len(occurrences)} times: {_places(occurrences, paged)}"
        better = _picking(occurrences, document, locator) if len(occurrences) > 1 else \
            [f"'{_like(locator, occurrences[0], document)}'"]
        return Placement(occurrences[0], f"locator says {locator}, but the quote {said}",
                         "change the locator to " + " or ".join(better) if better else
                         "quote a longer passage, one that occurs once", about_locator=True)
    if len(fitting) == 1 or len(occurrences) == 1:
        return Placement(fitting[0] if fitting else occurrences[0])
    candidates = fitting or occurrences
    listed = _places(candidates, paged)
    picks = _picking(candidates, document, locator if checkable else None)
    hint = ("add a locator that picks one: " + " or ".join(picks)
            if len(picks) == len(candidates) else "quote a longer passage, one that occurs once")
    if checkable:
        return Placement(candidates[0], f"the quote occurs {len(candidates)} times where the "
                                        f"locator says {locator}: {listed}", hint,
                         about_locator=True)
    return Placement(candidates[0], f"the quote occurs {len(candidates)} times: {listed}", hint)


def _like(locator: Locator, occurrence: Occurrence, document: Document) -> str:
    """The locator, of the kinds it has, that would name where the occurrence is."""
    said = []
    if document.paged and locator.pdf_pages is not None:
        said.append(f"PDF page {occurrence.ordinals[0]}")
    if document.paged and locator.pages is not None:
        said.append(f"page {occurrence.page}")
    if locator.paragraphs is not None:
        said.append(f"paragraph {occurrence.paragraph}" if occurrence.paragraph is not None
                    else "headline" if occurrence.heading == 1 else f"heading {occurrence.heading}")
    return ", ".join(said)


# --- showing a passage, and why a quote is missing ------------------------------------------

_LINE_END_DASH = re.compile(r"(?<=\S)([" + DASHES + r"])[ \t\r]*[\n\f]\s*(?=\S)")


def _join_hyphen(match: re.Match) -> str:
    text, dash = match.string, match.group(1)
    joined = hyphen_joins(text[match.start() - 1], dash, text[match.end()])
    return dash if joined else match.group(0)


def display(text: str, start: int, end: int, document: Document) -> str:
    """The original text of [start, end) as shown: furniture and page markers left out, white
    space runs as one space, a line-end hyphen between letters joined ("Singapore-flagged")."""
    pieces = document.text_ranges(start, end)
    joined = "\n".join(text[a:b] for a, b in pieces)
    joined = _LINE_END_DASH.sub(_join_hyphen, joined)
    return " ".join(joined.split())


def passage(occurrence: Occurrence, folded: Folded) -> str:
    """The quoted words as the document has them (typographic quotes and all), parts joined
    with " … "."""
    return " … ".join(display(folded.original, a, b, folded.structure)
                      for a, b in occurrence.spans)


def _shown(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _original(document: str, folded_doc: str, index: Offsets, start: int, end: int) -> str:
    """Folded [start, end) in the document's own characters (curly quotes), furniture left out."""
    return "".join(" " if folded_doc[i] == " " else document[index[i]] for i in range(start, end))


def missing_hint(quote: str, folded: Folded) -> str:
    """Why a quote does not occur: a near miss for the (first missing) part; or, for an elided
    quote whose parts all occur, that they are too far apart. "" when nothing is close."""
    parts = quote_parts(quote, folded)
    pair = (folded.text, folded.index)
    if len(parts) <= 1:
        return near_miss(quote, folded.original, pair)
    for number, part in enumerate(parts, start=1):
        if part not in folded.text:
            hint = near_miss(part, folded.original, pair)
            said = f"part {number} of the elided quote (\"{_shown(part, 60)}\") does not occur"
            return f"{said}: {hint}" if hint else said
    return ("every part of the elided quote occurs, but not in order each in the same paragraph "
            "as the part before it or the next; cite the passages separately")


def near_miss(quote: str, document: str, folded: tuple[str, Offsets]) -> str:
    """A hint for a quote that does not occur: the closest passage and the words that differ,
    as the original document writes them (so curly quotes show); "" when nothing is close."""
    folded_doc, index = folded
    folded_quote = _stretch(fold(quote)[0], folded_doc)
    if not folded_quote or not folded_doc:
        return ""
    found = fuzz.partial_ratio_alignment(folded_quote, folded_doc)
    if found is None or found.score < MIN_SCORE:
        return ""
    # Widen the window to whole words, so a difference at its edge is seen in full.
    start, end = found.dest_start, found.dest_end
    while start > 0 and not folded_doc[start - 1].isspace():
        start -= 1
    while end < len(folded_doc) and not folded_doc[end].isspace():
        end += 1
    window = folded_doc[start:end]
    doc_tokens = [(m.group(), m.start() + start, m.end() + start) for m in _TOKEN.finditer(window)]
    quote_tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded_quote)]
    matcher = difflib.SequenceMatcher(None, [t[0].casefold() for t in doc_tokens],
                                      [t[0].casefold() for t in quote_tokens], autojunk=False)
    opcodes = matcher.get_opcodes()
    # Document words beyond either end of the quote are where it starts or stops, not a miss.
    while opcodes and opcodes[0][0] == "delete":
        opcodes.pop(0)
    while opcodes and opcodes[-1][0] == "delete":
        opcodes.pop()
    if not opcodes:
        return ""
    first, last = doc_tokens[opcodes[0][1]], doc_tokens[opcodes[-1][2] - 1]
    passage_text = _original(document, folded_doc, index, first[1], last[2])
    said = [_difference(op, doc_tokens, quote_tokens, document, folded_doc, index, folded_quote)
            for op in opcodes if op[0] != "equal"]
    hint = f"closest passage in the document: \"{_shown(passage_text)}\""
    if not said:
        return hint
    if len(said) > MAX_DIFFERENCES:
        said = said[:MAX_DIFFERENCES] + [f"and {len(said) - MAX_DIFFERENCES} more differences"]
    return "; ".join(said) + f" ({hint})"


def _stretch(quote: str, folded_doc: str) -> str:
    """The quote, or for a long one (alignment costs the product of the lengths) the whole
    words of the MAX_ALIGNED characters around where its longest occurring beginning ends."""
    if len(quote) <= MAX_ALIGNED:
        return quote
    low, high = 0, len(quote)  # the longest beginning of the quote that the document holds
    while low < high:
        middle = (low + high + 1) // 2
        if quote[:middle] in folded_doc:
            low = middle
        else:
            high = middle - 1
    start = max(0, low - MAX_ALIGNED // 2)
    end = start + MAX_ALIGNED
    if start > 0:
        start = quote.find(" ", start) + 1 or start
    if end < len(quote):
        end = quote.rfind(" ", start, end) if quote.rfind(" ", start, end) > start else end
    return quote[start:end].strip()


def _difference(opcode, doc_tokens, quote_tokens, document: str, folded_doc: str,
                index: Offsets, quote: str) -> str:
    """One run of differing words, with a word of context on each side, as each text has it."""
    _, d1, d2, q1, q2 = opcode
    d1, d2 = max(d1 - 1, 0), min(d2 + 1, len(doc_tokens))
    q1, q2 = max(q1 - 1, 0), min(q2 + 1, len(quote_tokens))
    in_document = _original(document, folded_doc, index, doc_tokens[d1][1], doc_tokens[d2 - 1][2])
    in_quote = quote[quote_tokens[q1][1]:quote_tokens[q2 - 1][2]] if q2 > q1 else ""
    note = " (curly quotes)" if re.search("[\u2018\u2019\u201c\u201d]", in_document) else ""
    return f"document has \"{_shown(in_document, 60)}\"{note}; quote has \"{_shown(in_quote, 60)}\""
