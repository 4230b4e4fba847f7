"""What an EDTF date says, in words and in days: the wording half of `dates`.

Owns: turning a parsed date (the `edtf` package's objects, or the parts of a plain ISO date or
of a date with unspecified digits, which `dates` reads itself) into a `Said`: the words a reader sees
("3–5 Oct 2024", "1970s", "1977 or 1980", "26 Mar 2024, 01:29:09 UTC"), the notes after them
("(uncertain)"), and the first and last day the date may mean. Imports nothing of ours.

Years are numbered as EDTF (ISO 8601) numbers them, astronomically: 0000 is 1 BCE, -0043 is
44 BCE. A form we cannot say honestly raises `Unsupported`; nothing is shown as written.
"""

from __future__ import annotations

import calendar
import itertools
import re
import time
from dataclasses import dataclass, replace

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
QUALIFIERS = {"?": "uncertain", "~": "approximate", "%": "uncertain and approximate"}
FAR_PAST = (-9999, 1, 1)
FAR_FUTURE = (9999, 12, 31)

# EDTF sub-year groupings: (words, first month, last month). A last month before the first
# ends in the next year: winter 2024 runs from December 2024 to February 2025. 21-24 say no
# hemisphere; their days follow the northern seasons, as the edtf package's do.
_GROUPINGS = {
    21: ("spring", 3, 5), 22: ("summer", 6, 8), 23: ("autumn", 9, 11), 24: ("winter", 12, 2),
    25: ("spring", 3, 5), 26: ("summer", 6, 8), 27: ("autumn", 9, 11), 28: ("winter", 12, 2),
    29: ("spring", 9, 11), 30: ("summer", 12, 2), 31: ("autumn", 3, 5), 32: ("winter", 6, 8),
    33: ("first quarter of", 1, 3), 34: ("second quarter of", 4, 6),
    35: ("third quarter of", 7, 9), 36: ("fourth quarter of", 10, 12),
    37: ("first third of", 1, 4), 38: ("second third of", 5, 8), 39: ("last third of", 9, 12),
    40: ("first half of", 1, 6), 41: ("second half of", 7, 12),
}
_PARTS = (("year_ua", "year"), ("year_ua_b", "year"), ("month_ua", "month"), ("day_ua", "day"),
          ("year_month_ua", "year and month"), ("month_day_ua", "month and day"),
          ("all_ua", "date"))
_TIME = re.compile(r"(\d\d):(\d\d):(\d\d)(?:(Z)|([+-])(\d\d)(?::?(\d\d))?)?")


class Unsupported(Exception):
    """Valid EDTF that we cannot say honestly; `dates` turns it into a DateError."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Said:
    words: str
    notes: tuple = ()  # said once, in brackets after the words: ("year uncertain",)
    precision: str = "other"
    machine: str = ""
    lower: tuple = FAR_PAST
    upper: tuple = FAR_FUTURE
    time: tuple = ()  # (seconds into the day,) for a date with a time of day
    # A range may share these with its other end: "3 Oct" + "2024", "3–5 Oct 2024".
    year: str = ""
    head: str = ""
    day: str = ""
    month: str = ""

    @property
    def text(self) -> str:
        return self.words + (f" ({'; '.join(self.notes)})" if self.notes else "")

    def noted(self, *notes: str) -> Said:
        return replace(self, notes=self.notes + notes, machine="")


def year_words(year: int) -> str:
    """2024 → "2024"; 43 → "43 CE"; -43 → "44 BCE"; 170000002 → "year 170,000,002"."""
    if year <= 0:
        return f"{1 - year:,} BCE" if 1 - year >= 10_000 else f"{1 - year} BCE"
    if year < 1000:
        return f"{year} CE"
    return f"year {year:,}" if year >= 10_000 else str(year)


def _last_day(year: int, month: int) -> int:
    return 29 if month == 2 and calendar.isleap(year) else calendar.mdays[month]


def _day(value, infinite) -> tuple:
    if isinstance(value, time.struct_time):
        return (value.tm_year, value.tm_mon, value.tm_mday)
    return infinite


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _listed(items: list[str], last: str = " or ") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + last + items[-1]


# --- the edtf package's objects ---------------------------------------------------------------


def describe(parsed) -> Said:
    """What one parsed EDTF object says."""
    from edtf.parser import parser_classes as C  # noqa: N812 - `dates` imported it to parse
    if isinstance(parsed, C.DateAndTime):
        return _timed(parsed)
    if isinstance(parsed, (C.OneOfASet, C.MultipleDates)):
        all_of = isinstance(parsed, C.MultipleDates)
        return said_set([member(o, all_of) for o in parsed.objects], all_of)
    if isinstance(parsed, C.Interval):
        return _interval(parsed)
    if isinstance(parsed, C.UncertainOrApproximate):
        said = describe(parsed.date)
        return said.noted(QUALIFIERS[str(parsed.ua)]) if parsed.ua and str(parsed.ua) else said
    if isinstance(parsed, C.LongYear):
        year = parsed._precise_year()  # noqa: SLF001 - no public API; dates bounds it first
        digits = len(parsed.year.lstrip("-")) if type(parsed) is C.LongYear else len(str(abs(year)))
        return _estimated(year, digits, parsed.significant_digits)
    if isinstance(parsed, C.Season):
        return _grouping(int(parsed.year), int(parsed.season))
    if isinstance(parsed, C.Unspecified):  # dates reads these itself; never reaches here
        raise Unsupported("unspecified digits are read elsewhere", "")
    if isinstance(parsed, C.PartialUncertainOrApproximate):
        return _partial(parsed)
    if isinstance(parsed, C.Date):
        return _plain(parsed)
    raise Unsupported(f"this EDTF form ({type(parsed).__name__}) is not supported",
                      "give the date as a day, month, year, season or range")


def _plain(parsed) -> Said:
    year, month, day = parsed.year, parsed.month, parsed.day
    if not month and parsed.significant_digits:
        return _estimated(int(year), len(year.lstrip("-")), parsed.significant_digits)
    return plain(year, month, day, _day(parsed.lower_strict(), FAR_PAST),
                 _day(parsed.upper_strict(), FAR_FUTURE))


def plain(year: str, month: str | None, day: str | None, lower: tuple | None = None,
          upper: tuple | None = None) -> Said:
    """A year, month or day as written ("2024", "10", "03"). `lower` and `upper`, the first and
    last day it covers, are worked out when not given: `dates` reads plain ISO dates without
    the edtf package, whose objects give their own."""
    number = int(year)
    if lower is None or upper is None:
        last_month = int(month or 12)
        lower = (number, int(month or 1), int(day or 1))
        upper = (number, last_month, int(day) if day else _last_day(number, last_month))
    shown = year_words(number)
    iso = number > 0  # <time datetime> takes years from 0001
    if not month:
        return Said(shown, (), "year", year if iso else "", lower, upper, year=shown)
    name = MONTHS[int(month) - 1]
    if day:
        head = f"{int(day)} {name}"
        return Said(f"{head} {shown}", (), "day", f"{year}-{month}-{day}" if iso else "",
                    lower, upper, year=shown, head=head, day=str(int(day)), month=name)
    return Said(f"{name} {shown}", (), "month", f"{year}-{month}" if iso else "", lower, upper,
                year=shown, head=name)


def _estimated(year: int, digits: int, significant: int | None) -> Said:
    """A year; with S (significant digits) some year in a span: 1950S2 → 1900 to 1999."""
    shown = year_words(year)
    insignificant = digits - (significant or digits)
    if insignificant <= 0:
        return Said(shown, (), "year", "", (year, 1, 1), (year, 12, 31), year=shown)
    step = 10 ** insignificant
    low = abs(year) // step * step
    first, last = (low, low + step - 1) if year >= 0 else (-(low + step - 1), -low)
    note = f"estimated, between {year_words(first)} and {year_words(last)}"
    return Said(shown, (note,), "other", "", (first, 1, 1), (last, 12, 31))


def _grouping_kind(number: int) -> str:
    """The precision of a sub-year grouping, as the fact page names it."""
    return ("season" if number <= 32 else "quarter" if number <= 36 else
            "third of a year" if number <= 39 else "half-year")


def _grouping(year: int, number: int) -> Said:
    words, first, last = _GROUPINGS[number]
    end_year = year + 1 if last < first else year
    shown = year_words(year)
    notes = ("Northern Hemisphere",) if 25 <= number <= 28 else \
        ("Southern Hemisphere",) if 29 <= number <= 32 else ()
    return Said(f"{words} {shown}", notes, _grouping_kind(number), "", (year, first, 1),
                (end_year, last, _last_day(end_year, last)), year=shown,
                head=words if number <= 24 else "")


def _partial(parsed) -> Said:
    """A date with parts qualified: "2024?-10-03" → "3 Oct 2024 (year uncertain)"."""
    if parsed.season:
        raise Unsupported("a qualified season is not supported", "give the season unqualified")
    from edtf.parser.parser_classes import Date

    whole = Date(year=parsed._year, month=parsed._month, day=parsed._day)  # noqa: SLF001
    parts: dict[str, list[str]] = {}  # qualifier → the parts it applies to, in date order
    for attr, part in _PARTS:
        if getattr(parsed, attr, None):
            said = parts.setdefault(QUALIFIERS[str(getattr(parsed, attr))], [])
            said.extend(p for p in part.split(" and ") if p not in said)
    return _plain(whole).noted("; ".join(f"{_listed(named, ' and ')} {qualifier}"
                                         for qualifier, named in parts.items()))


def _timed(parsed) -> Said:
    """26 Mar 2024, 01:29:09 (UTC or UTC+05:00 when the zone is given)."""
    date, clock = parsed.date, _TIME.fullmatch(parsed.time)
    if not date.day or not clock:
        raise Unsupported("a time of day needs a full date and hh:mm:ss",
                          "write the day in full, e.g. 2024-03-26T01:29:09")
    said = _plain(date)
    hours, minutes, seconds, utc, sign, zone_hours, zone_minutes = clock.groups()
    at = f"{hours}:{minutes}:{seconds}"
    zone, offset = ("Z", 0) if utc else ("", 0)
    if sign:
        zone = f"{sign}{zone_hours}:{zone_minutes or '00'}"
        offset = int(f"{sign}1") * (int(zone_hours) * 3600 + int(zone_minutes or 0) * 60)
    words = f"{said.words}, {at}" + (" UTC" if utc else f" UTC{zone}" if zone else "")
    machine = said.machine and (said.machine if hours == "24" else f"{said.machine}T{at}{zone}")
    moment = int(hours) * 3600 + int(minutes) * 60 + int(seconds) - offset
    return Said(words, (), "time", machine, said.lower, said.upper, time=(moment,))


def _interval(parsed) -> Said:
    from edtf.parser import parser_classes as C  # noqa: N812

    lower, upper = (p[0] if isinstance(p, (list, tuple)) else p
                    for p in (parsed.lower, parsed.upper))
    open_lower = isinstance(lower, C.UnspecifiedIntervalSection)
    open_upper = isinstance(upper, C.UnspecifiedIntervalSection)
    if open_lower and open_upper:
        return Said("date unknown", (), "range")
    if open_lower:
        return open_start(describe(upper), unknown=lower.is_unknown)
    if open_upper:
        return open_end(describe(lower), unknown=upper.is_unknown)
    if isinstance(parsed, C.Consecutives):
        return span(describe(lower), describe(upper), " to ", " to ")
    return span(describe(lower), describe(upper))


# --- putting dates together: ranges and sets -----------------------------------------------


def span(start: Said, end: Said, between: str = " – ", tight: str = "–") -> Said:
    """"26 Mar – 10 Jun 2024", "3–5 Oct 2024", "Aug 2023 – Jan 2024"; notes both ends share
    are said once."""
    if start.lower > end.upper:
        raise Unsupported(f"the range ends ({end.text}) before it starts ({start.text})",
                          "put the earlier date first")
    if start.text == end.text:
        return Said(start.words, start.notes, "range", "", start.lower, end.upper)
    if start.notes != end.notes:  # a note after the end alone would read as the whole range's
        last = end.text if start.notes else f"{end.words} (end: {'; '.join(end.notes)})"
        return Said(f"{start.text}{between}{last}", (), "range", "", start.lower, end.upper)
    if start.year and start.year == end.year and start.head and end.head:
        if start.day and end.day and start.month == end.month:
            words = f"{start.day}{tight}{end.day} {start.month} {start.year}"
        else:
            words = f"{start.head}{between}{end.head} {start.year}"
    else:
        words = f"{start.words}{between}{end.words}"
    return Said(words, start.notes, "range", "", start.lower, end.upper)


def open_start(end: Said, unknown: bool) -> Said:
    """"../2024" → "by 2024"; "/2024" → "until 2024 (start unknown)"."""
    if unknown:
        return Said(f"until {_after(end)}", end.notes + ("start unknown",), "range", "",
                    FAR_PAST, end.upper)
    return Said(f"by {_after(end)}", end.notes, "range", "", FAR_PAST, end.upper)


def open_end(start: Said, unknown: bool) -> Said:
    """"2024/.." → "from 2024"; "2024/" → "from 2024 (end unknown)"."""
    notes = start.notes + (("end unknown",) if unknown else ())
    return Said(f"from {_after(start)}", notes, "range", "", start.lower, FAR_FUTURE)


def _after(said: Said) -> str:
    """The words after "by" or "from": "the 1970s", not "1970s"."""
    return f"the {said.words}" if re.fullmatch(r"\d+s", said.words) else said.words


def member(parsed, all_of: bool) -> Said:
    """One member of a set: a date, a run (1670..1672) or an open end (..1760-12-03)."""
    from edtf.parser import parser_classes as C  # noqa: N812
    if isinstance(parsed, (C.EarlierConsecutives, C.LaterConsecutives)):
        earlier = isinstance(parsed, C.EarlierConsecutives)
        end = parsed.upper if earlier else parsed.lower
        said = describe(end)
        unit = f"{'every' if all_of else 'any'} {end.date.precision}"
        if earlier:
            return Said(f"{unit} up to {said.text}", (), "set", "", FAR_PAST, said.upper)
        return Said(f"{unit} from {said.text} on", (), "set", "", said.lower, FAR_FUTURE)
    return describe(parsed)


def said_set(members: list[Said], all_of: bool) -> Said:
    """[1977,1980] → "1977 or 1980"; {1977,1980} → "1977 and 1980"."""
    words = _listed([m.text for m in members], " and " if all_of else " or ")
    return Said(words, (), "set", "", min(m.lower for m in members),
                max(m.upper for m in members))


# --- unspecified digits (X), read by `dates` ------------------------------------------------


def unspecified(sign: str, year: str, month: str | None, day: str | None,
                days: list[tuple[int, int]]) -> str:
    """Words for a date with X digits; `days` are the (month, day) pairs it allows.
    197X → "1970s"; 2024-XX-03 → "the 3rd of an unknown month of 2024"."""
    alone, attached = _year_phrase(sign, year)
    if month is None:
        return alone
    months = sorted({m for m, _ in days})
    if "X" not in month or len(months) == 1:
        month_kind, month_words = "exact", MONTHS[months[0] - 1]
    elif month == "XX":
        month_kind, month_words = "unknown", "an unknown month"
    elif months == list(range(months[0], months[-1] + 1)):
        month_kind, month_words = "some", f"a month between {MONTHS[months[0] - 1]} and " \
            f"{MONTHS[months[-1] - 1]}"
    else:
        month_kind, month_words = "some", _listed([MONTHS[m - 1] for m in months])
    # "Dec 2024", "an unknown month of 2024", "Dec in the 1960s"
    joined = month_words + (f" of {alone}" if month_kind == "unknown" and "X" not in year
                            else attached)
    if day is None:
        return joined
    numbers = sorted({d for _, d in days})
    if "X" not in day or len(numbers) == 1:
        return f"{numbers[0]} {joined}" if month_kind == "exact" else \
            f"the {_ordinal(numbers[0])} of {joined}"
    if day == "XX":
        if month_kind == "unknown":
            return "an unknown day" + (f" of {alone}" if "X" not in year else attached)
        return f"an unknown day {'in' if month_kind == 'exact' else 'of'} {joined}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"a day between the {_ordinal(numbers[0])} and the {_ordinal(numbers[-1])} " \
            f"of {joined}"
    return f"the {_listed([_ordinal(n) for n in numbers])} of {joined}"


def _year_phrase(sign: str, pattern: str) -> tuple[str, str]:
    """(the year alone, the year after a month): ("1970s", " in the 1970s"),
    ("2024", " 2024"), ("an unknown year", " of an unknown year")."""
    if "X" not in pattern:
        shown = year_words(int(sign + pattern))
        return shown, f" {shown}"
    if pattern == "XXXX":
        unknown = "an unknown year BCE" if sign else "an unknown year"
        return unknown, f" of {unknown}"
    choices = [str(d) for d in range(10)]
    years = sorted(int(sign + "".join(c if c != "X" else next(fill) for c in pattern))
                   for fill in map(iter, itertools.product(choices, repeat=pattern.count("X"))))
    first, last = years[0], years[-1]
    trailing = len(pattern) - len(pattern.rstrip("X"))
    if years == list(range(first, last + 1)):  # the X digits are the last ones
        if first >= 1000 and trailing <= 2:
            return f"{first}s", f" in the {first}s"
        phrase = f"a year between {year_words(first)} and {year_words(last)}"
        return phrase, f" of {phrase}"
    step = years[1] - years[0]
    steady = all(b - a == step for a, b in zip(years, years[1:]))
    if steady and (first >= 1 or last <= 0):  # one run of X digits, then known ones
        number = first if first >= 1 else 1 - last
        ending = str(number % step).zfill(len(str(step)) - 1)
        phrase = f"a year between {year_words(first)} and {year_words(last)} ending in {ending}"
        return phrase, f" of {phrase}"
    raise Unsupported(f"a year with unspecified digits in more than one place ({sign}{pattern}) "
                      "is not supported",
                      "give the years as a set, e.g. [1984,1985], or a range, e.g. 1900/1999")
