"""Dates with honest precision: EDTF text → `PartialDate` (display text, precision, sort key).

Owns: parsing with the `edtf` package (Library of Congress Extended Date/Time Format) and saying
a date the way a reader expects ("3 Oct 2024", "summer 2022", "Aug 2023 – Jan 2024",
"by 27 Jun 2024"). Imports nothing of ours. We never add precision a date does not have: a month
stays a month, a season a season; EDTF forms we have no wording for are shown as written.
"""

from __future__ import annotations

import datetime
import functools
import re
import time
from dataclasses import dataclass

from edtf import parse_edtf
from edtf.parser import parser_classes as edtf_classes
from edtf.parser.edtf_exceptions import EDTFParseException

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SEASONS = {"21": "spring", "22": "summer", "23": "autumn", "24": "winter"}
QUALIFIERS = {"?": "uncertain", "~": "approximate", "%": "uncertain and approximate"}

_FAR_PAST = (-9999, 1, 1)
_FAR_FUTURE = (9999, 12, 31)


@dataclass(frozen=True)
class PartialDate:
    edtf: str  # as written in the content
    text: str  # as shown to readers
    precision: str  # day | month | year | season | range | set | other
    machine: str  # ISO value for <time datetime>, "" where none is exact enough
    lower: tuple  # earliest day it may mean, as (y, m, d)
    upper: tuple  # latest day it may mean

    @property
    def sort_key(self) -> tuple:
        # Open-start ranges ("by 27 Jun") sort by their known end.
        start = self.lower if self.lower != _FAR_PAST else self.upper
        return (start, self.upper, self.edtf)


class DateError(ValueError):
    """The text is not EDTF; the message says why in a reader's words."""


_PLAIN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")


def _parse(text: str):
    """The edtf package's object for `text`. Plain ISO dates (most of them) are built directly:
    the full EDTF grammar costs milliseconds a date, which adds up over thousands of facts."""
    plain = _PLAIN.match(text)
    if plain and int(plain.group(2) or 1) <= 12:  # 21-41 in the month place are seasons
        year, month, day = plain.groups()
        try:  # reject 2024-13 or 2024-02-30 exactly as the grammar would
            datetime.date(int(year), int(month or 1), int(day or 1))
        except ValueError as exc:
            raise DateError(f"'{text}' is not an EDTF date") from exc
        return edtf_classes.Date(year=year, month=month, day=day)
    return parse_edtf(text)


@functools.lru_cache(maxsize=65536)
def parse_date(text: str) -> PartialDate:
    try:
        parsed = _parse(text.strip())
    except (EDTFParseException, ValueError, TypeError) as exc:
        raise DateError(f"'{text}' is not an EDTF date") from exc
    words, precision, machine = _describe(parsed)
    return PartialDate(text.strip(), words, precision, machine,
                       _day(parsed.lower_strict(), _FAR_PAST), _day(parsed.upper_strict(), _FAR_FUTURE))


def _day(value, infinite) -> tuple:
    if isinstance(value, time.struct_time):
        return (value.tm_year, value.tm_mon, value.tm_mday)
    return infinite


def _describe(parsed) -> tuple[str, str, str]:
    """(words, precision, machine value) for one parsed EDTF object."""
    if isinstance(parsed, edtf_classes.Season):
        return f"{SEASONS.get(str(parsed.season), 'season ' + str(parsed.season))} {parsed.year}", \
            "season", ""
    if isinstance(parsed, edtf_classes.UncertainOrApproximate):
        words, precision, machine = _describe(parsed.date)
        if not parsed.ua:  # interval ends come wrapped even when unqualified
            return words, precision, machine
        return f"{words} ({QUALIFIERS.get(str(parsed.ua), 'qualified')})", precision, ""
    if isinstance(parsed, (edtf_classes.Interval, edtf_classes.Level1Interval)):
        return _describe_interval(parsed)
    if isinstance(parsed, edtf_classes.PartialUncertainOrApproximate) and not parsed.season:
        return _describe_partial(parsed)
    if type(parsed) is edtf_classes.Date:  # noqa: E721 - subclasses carry extra meaning
        return _describe_plain(parsed)
    return str(parsed), "other", ""


def _describe_plain(parsed) -> tuple[str, str, str]:
    year, month, day = parsed.year, parsed.month, parsed.day
    if day:
        return f"{int(day)} {MONTHS[int(month) - 1]} {year}", "day", f"{year}-{month}-{day}"
    if month:
        return f"{MONTHS[int(month) - 1]} {year}", "month", f"{year}-{month}"
    return str(year), "year", str(year)


_PARTS = (("year_ua", "year"), ("month_ua", "month"), ("day_ua", "day"),
          ("year_ua_b", "year"), ("year_month_ua", "year and month"), ("month_day_ua", "month and day"),
          ("all_ua", "date"))


def _describe_partial(parsed) -> tuple[str, str, str]:
    """A date with one part qualified: "2024?-10-03" → "3 Oct 2024 (year uncertain)"."""
    year, month, day = parsed._year, parsed._month, parsed._day  # noqa: SLF001 - no public API
    plain = edtf_classes.Date(year=year, month=month, day=day)
    words, precision, _ = _describe_plain(plain)
    qualified = [f"{part} {QUALIFIERS.get(str(getattr(parsed, attr)), 'qualified')}"
                 for attr, part in _PARTS if getattr(parsed, attr, None)]
    return f"{words} ({'; '.join(qualified)})", precision, ""


def _is_open(section) -> bool:
    return isinstance(section, edtf_classes.UnspecifiedIntervalSection)


def _describe_interval(parsed) -> tuple[str, str, str]:
    lower, upper = parsed.lower, parsed.upper
    if _is_open(lower) and _is_open(upper):
        return "date unknown", "range", ""
    if _is_open(lower):
        return f"by {_describe(upper)[0]}", "range", ""
    if _is_open(upper):
        return f"from {_describe(lower)[0]}", "range", ""
    return f"{_describe(lower)[0]} – {_describe(upper)[0]}", "range", ""
