"""Dates in a sentence, as EDTF, and the year of a date that gives none.

Owns: `find_dates` (every date phrase of a sentence, with its span: "on October 3", "in the
summer of 2022", "from August 2023 to January 2024", "by June 27"), `stated_years` (every year
the document states, with where), `YearReference` and `reference_at` (where a sentence's
missing year comes from) and `date_of` (the sentence's date as EDTF, with the `date_note` the
content format asks for wherever a part of a date is inferred).

A missing year is taken, in this order, from the year of the source's publication date, from
the nearest earlier sentence that states a year (its last year), or from the latest year the
document states anywhere (a text is written no earlier than the latest year it mentions). An
inferred year is always marked uncertain ("2024?-10-03"), and the note says
where it came from; with none of the three, the year is left unspecified ("XXXX-10-03").
Imports nothing of ours but `dates.parse_date`, which every proposed date must pass, and
`documents.structure`, for the document's paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dates import DateError, parse_date
from ..documents import structure

MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names}
SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
# One date: "October 3, 2024", "3 October 2024", "October 3", "3 October", "October 2024",
# "the summer of 2022", "summer 2022", "2022" (only after a word that makes it a date).
_ONE = (rf"(?:{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?(?!\d)|{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?"
        rf"|{_MONTH}(?:\s+of)?\s+{_YEAR}|(?:the\s+)?(?:spring|summer|autumn|fall|winter)"
        rf"(?:\s+of)?\s+{_YEAR}|(?:early|mid|late)[- ]{_YEAR}|{_YEAR})")
_PHRASE = re.compile(
    rf"\b(?:(?P<from>from|between)\s+(?P<a>{_ONE})\s+(?:to|until|till|through|and)\s+"
    rf"(?P<b>{_ONE})|(?P<by>by|before|until)\s+(?P<end>{_ONE})|(?P<since>since)\s+"
    rf"(?P<start>{_ONE})|(?P<lead>on|in|of|during|at|from|throughout)\s+(?P<at>{_ONE})"
    rf"|(?P<bare>{_ONE}))\b", re.IGNORECASE)


@dataclass(frozen=True)
class Said:
    """One date as a sentence gives it: year (None when not given), month, day or season."""

    year: int | None
    month: int | None = None
    day: int | None = None
    season: int | None = None

    def edtf(self, year: str) -> str:
        if self.season:
            return f"{year}-{self.season}"
        if self.month is None:
            return year
        return f"{year}-{self.month:02}" + (f"-{self.day:02}" if self.day else "")


@dataclass(frozen=True)
class DatePhrase:
    text: str  # as the sentence writes it: "on October 3"
    start: int
    end: int
    kind: str  # "one" | "range" | "by" | "since"
    dates: tuple[Said, ...]  # one, or two for a range

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(d.year for d in self.dates if d.year is not None)


def _said(text: str) -> Said | None:
    words = re.findall(r"[a-z]+|\d+", text.lower())
    year = next((int(w) for w in words if len(w) == 4 and w.isdigit()), None)
    month = next((MONTHS[w] for w in words if w in MONTHS), None)
    season = next((SEASONS[w] for w in words if w in SEASONS), None)
    day = next((int(w) for w in words if w.isdigit() and len(w) <= 2), None)
    if month is None and season is None and year is None:
        return None
    return Said(year, month, day if month else None, season)


def find_dates(text: str) -> list[DatePhrase]:
    """Every date phrase in `text`, in order. A bare year counts only after a word that makes
    it a date ("in 2022", "since 2014"); "2022" alone may be a count."""
    found = []
    for match in _PHRASE.finditer(text):
        groups = match.groupdict()
        if groups["from"]:
            dates, kind = (_said(groups["a"]), _said(groups["b"])), "range"
        elif groups["by"]:
            dates, kind = (_said(groups["end"]),), "by"
        elif groups["since"]:
            dates, kind = (_said(groups["start"]),), "since"
        else:
            one = groups["at"] or groups["bare"]
            if re.fullmatch(_YEAR, one.strip()) and (groups["bare"] or _counted(text, match)):
                continue  # a number that may be a count, not a year: "in 2000 ships"
            dates, kind = (_said(one),), "one"
        if any(d is None for d in dates):
            continue
        found.append(DatePhrase(match.group(), match.start(), match.end(), kind, dates))
    return found


# Words that may follow a year ("in 2022 when …"); any other lower-case word after "in 2000"
# makes the number a count ("in 2000 ships").
_AFTER_YEAR = frozenset("and or but when while the to as after before was were is are had has "
                        "have it he she they in on at by for with from of that which than alone "
                        "only".split())


def _counted(text: str, match: re.Match) -> bool:
    after = re.match(r"\s+([a-z]+)", text[match.end():])
    return bool(after) and after.group(1) not in _AFTER_YEAR


@dataclass
class YearReference:
    """Where a date without a year gets one. Kept across a document's sentences, in order."""

    published: tuple | None = None  # the source's publication date, as (y, m, d) lower bound
    latest_in_document: tuple[int, str] | None = None  # (year, where: "paragraph 7")
    # (year, where, the phrase) of the nearest earlier sentence that states a year
    nearest: tuple[int, str, str] | None = None

    def year_for(self, said: Said) -> tuple[int, str] | None:
        """(year, why) for a date without one, or None when nothing gives one."""
        if self.published:
            # the publication's year, not the last such day before it: a source announces
            # what will happen as well as reports what has
            year = self.published[0]
            return year, f"the year of the source's publication date ({year})"
        if self.nearest:
            year, where, text = self.nearest
            return year, f"{where} (\"{text}\"), the nearest earlier sentence that gives a year"
        if self.latest_in_document:
            year, where = self.latest_in_document
            return year, (f"the latest year the document gives, in {where} (a text is "
                          "written no earlier than the latest year it mentions)")
        return None


def stated_years(text: str) -> list[tuple[int, int, str, str]]:
    """(offset, year, where, phrase) of every year the document states in a date phrase, in
    text order ("paragraph 7", "from August 2023 to January 2024"). Read from the document
    itself, so that a sentence's reference does not depend on which sentences were drafted."""
    found = []
    for part in structure(text).paragraphs:
        where = f"heading {part.heading}" if part.number is None else f"paragraph {part.number}"
        for phrase in find_dates(part.display(text)):
            # the display joins lines with one space, so this offset is at most the true one
            found += [(part.start + phrase.start, year, where, phrase.text)
                      for year in phrase.years]
    return found


def reference_at(stated: list, offset: int, published: tuple | None) -> YearReference:
    """The reference for a sentence starting at `offset`: the nearest year stated before it,
    the latest stated anywhere, and the publication date."""
    before = [s for s in stated if s[0] < offset]
    latest = max(stated, key=lambda s: s[1], default=None)
    return YearReference(published, (latest[1], latest[2]) if latest else None,
                         before[-1][1:] if before else None)


def date_of(phrases: list[DatePhrase], reference: YearReference) -> tuple[str, str]:
    """(EDTF, date_note) for the first date phrase; ("", "") where there is none or it cannot
    be written as EDTF."""
    if not phrases:
        return "", ""
    phrase = phrases[0]
    inferred = None
    years = []
    for said in _year_shared(phrase.dates):
        if said.year is not None:
            years.append(str(said.year))
            continue
        found = reference.year_for(said)
        if found is None:
            years.append("XXXX")
            continue
        inferred = found
        years.append(f"{found[0]}?")
    ends = [said.edtf(year) for said, year in zip(phrase.dates, years)]
    if phrase.kind == "range" and len(ends) == 2:
        # A range whose end gives the year ("from June 2023 to May 2024") gives it to the start
        # only when the start would otherwise be unknown.
        edtf = f"{ends[0]}/{ends[1]}"
    elif phrase.kind == "by":
        edtf = f"../{_whole_uncertain(ends[0])}"  # EDTF takes no "?" on a year inside a range
    elif phrase.kind == "since":
        edtf = f"{_whole_uncertain(ends[0])}/.."
    else:
        edtf = ends[0]
    try:
        parse_date(edtf)
    except DateError:
        return "", ""
    return edtf, _note(phrase, phrases, years, inferred)


def _year_shared(dates: tuple[Said, ...]) -> tuple[Said, ...]:
    """A range that gives its year once ("from June 19 to June 20, 2024") gives it to both ends
    (the year before to a start that falls later in the year than the end)."""
    if len(dates) != 2 or (dates[0].year is None) == (dates[1].year is None):
        return dates
    start, end = dates
    if start.year is None:
        later = (start.month or 0, start.day or 0) > (end.month or 0, end.day or 0)
        return (Said(end.year - later, start.month, start.day, start.season), end)
    return (start, Said(start.year, end.month, end.day, end.season))


def _whole_uncertain(end: str) -> str:
    """"2024?-06-27" → "2024-06-27?": the form an open range accepts."""
    return end.replace("?", "") + "?" if "?" in end else end


def _note(phrase: DatePhrase, phrases: list[DatePhrase], years: list[str], inferred) -> str:
    parts = [f"The sentence says \"{phrase.text}\""]
    if inferred:
        year, why = inferred
        parts[0] += f" with no year; {year} is inferred, and marked uncertain: it comes from {why}"
        if phrase.kind in ("by", "since"):
            parts[0] += " (in an open range EDTF marks the whole day uncertain)"
    elif "XXXX" in years:
        parts[0] += (" with no year, and neither the source's date nor the document gives one; "
                     "the year is left unspecified")
    others = [p.text for p in phrases[1:]]
    if not inferred and "XXXX" not in years and not others:
        return ""  # every part of the date is stated: nothing to say
    if others:
        parts.append("it also gives " + "; ".join(f"\"{o}\"" for o in others) +
                     ", which is not used here")
    return "; ".join(parts) + ". Check the date against the document."
