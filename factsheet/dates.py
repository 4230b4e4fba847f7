"""Dates with honest precision: EDTF text → `PartialDate` (display text, precision, sort key).

Owns: reading EDTF (Library of Congress Extended Date/Time Format) with the `edtf` package,
guarding it against input that makes it hang or crash, reading unspecified digits (2004-XX,
197X) ourselves, and hints for dates that are not EDTF. How a date is said ("3 Oct 2024",
"summer 2022", "26 Mar – 10 Jun 2024", "1977 or 1980", "1970s") is `datewords`. We never add
precision a date does not have, and every form that validates is said in words: one we cannot
say honestly is refused with a DateError, never shown as written.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from dataclasses import dataclass

from . import datewords
from .datewords import FAR_PAST as _FAR_PAST
from .datewords import Said, Unsupported


@dataclass(frozen=True, slots=True)
class PartialDate:
    edtf: str  # as written in the content
    text: str  # as shown to readers
    precision: str  # time | day | month | year | season | range | set | other
    machine: str  # ISO value for <time datetime>, "" where none is exact enough
    lower: tuple  # earliest day it may mean, as (y, m, d)
    upper: tuple  # latest day it may mean
    time: tuple = ()  # (seconds into the day, UTC where the zone is given,) for a time of day

    @property
    def sort_key(self) -> tuple:
        # Open-start ranges ("by 27 Jun") sort by their known end; on one day, a date without
        # a time comes first, then times in order.
        start = self.lower if self.lower != _FAR_PAST else self.upper
        return (start, self.upper, self.time, self.edtf)


GENERAL_HINT = ("write a day as 2024-10-03, a month as 2024-10, a season as 2022-22, "
                "a range as 2023-08/2024-01")
MAX_LENGTH = 100  # the grammar costs ~10 ms per member of a set; nothing a briefing needs is longer
MAX_YEAR = 999_999_999  # Y-years beyond this (Y1E100000000) make the edtf package compute 10**n


class DateError(ValueError):
    """The text is not a date we can use. The message says why in a reader's words; `hint` is the
    likeliest fix ("did you mean 2024-10?") or, failing that, how dates are written."""

    def __init__(self, message: str, hint: str | None = GENERAL_HINT):
        super().__init__(message)
        self.hint = hint  # None only inside this module: parse_date works one out


def parse_date(text: str) -> PartialDate:
    """`text` as a PartialDate. Raises DateError and nothing else, whatever the text."""
    if not isinstance(text, str):
        raise DateError(f"a date must be text, found {type(text).__name__}")
    stripped = text.strip()
    try:
        return _read(stripped)
    except DateError as exc:
        if exc.hint is None:
            exc.hint = _hint(stripped)
        raise


def _not_edtf(text: str) -> DateError:
    return DateError(f"'{_shown(text)}' is not an EDTF date", None)


def _shown(text: str) -> str:
    return text if len(text) <= 60 else text[:60] + "…"


_PLAIN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")
_LONG_YEAR = re.compile(r"Y-?(\d+)(?:E(\d+))?", re.IGNORECASE)
_SIGNIFICANT = re.compile(r"S(\d+)(-?)")


@functools.lru_cache(maxsize=65536)
def _read(text: str) -> PartialDate:
    """`text` (already stripped) as a PartialDate, or DateError with hint None where the fix
    depends on what was written."""
    said = _said(text)
    return PartialDate(text, said.text, said.precision, said.machine, said.lower, said.upper,
                       said.time)


@functools.cache
def _edtf():
    """The edtf package's parser (`parse_edtf`, its exception and classes), imported on first
    use: with pyparsing and the grammar it builds, importing it costs about 0.1 s, which a
    briefing whose dates are all plain ISO dates (`_plain_parts`) never needs to pay."""
    from edtf import parser
    from edtf.parser import parser_classes

    # The package prints "trying to Level1Interval.__init__(…)" to stdout whenever one of its
    # classes rejects a partial match, even when the parse then fails cleanly ("/..", "../E3").
    # That would land in the middle of our report, so its module gets a silent `print`.
    parser_classes.print = lambda *args, **kwargs: None
    return parser


def parse_edtf(text: str):
    """The edtf package's reading of `text` (its own exceptions when it has none)."""
    return _edtf().parse_edtf(text)


def _said(text: str) -> Said:
    """What `text` says. Each end of a range with X digits comes back here."""
    if len(text) > MAX_LENGTH:
        raise DateError(f"'{_shown(text)}' is too long for a date ({len(text)} characters, "
                        f"at most {MAX_LENGTH})",
                        "write one date, or one range such as 2023-08/2024-01")
    for match in _LONG_YEAR.finditer(text):  # before the grammar, which would compute 10**exponent
        digits, exponent = match.groups()
        if (exponent is not None and len(exponent) > 2) or \
                int(digits) * 10 ** int(exponent or 0) > MAX_YEAR:
            raise DateError(f"'{_shown(text)}': years beyond ±999,999,999 are not supported",
                            "check the year: at most 9 digits, e.g. Y170000002 or Y17E7")
    _refuse_what_the_package_misreads(text)
    try:
        if "X" in text:  # unspecified digits: the edtf package fails on many, so we read them
            return _unspecified(text)
        plain = _plain_parts(text)
        if plain:
            return datewords.plain(*plain)
        return datewords.describe(_parse(text))
    except DateError:
        raise
    except Unsupported as exc:
        raise DateError(f"'{_shown(text)}' is valid EDTF but not supported here: {exc}",
                        exc.hint or GENERAL_HINT) from None
    except Exception as exc:  # noqa: BLE001 - the package's own failures, whatever their type
        raise DateError(f"'{_shown(text)}' is valid EDTF but not supported here: the days it "
                        f"covers cannot be worked out ({type(exc).__name__})",
                        "give the date without this EDTF feature, e.g. as a range "
                        "such as 2023-08/2024-01") from None


def _refuse_what_the_package_misreads(text: str) -> None:
    """Forms the edtf package parses but silently drops part of: we would say less than was
    written, so they are refused instead."""
    if "^" in text:  # 2001-21^x: the package keeps the season and drops the qualifier
        raise DateError(f"'{_shown(text)}' is valid EDTF but not supported here: a season "
                        "qualified with ^ is not supported",
                        "give the season alone, e.g. 2001-21, and say the rest in the "
                        "fact's date_note")
    for match in _SIGNIFICANT.finditer(text):
        if match.group(2) or int(match.group(1)) == 0:  # 1950S2-10, 1950S2-21, 1950S0
            raise DateError(f"'{_shown(text)}' is valid EDTF but not supported here: "
                            "significant digits (S1 or more) are supported on a year on its "
                            "own, not on a month, season or day",
                            "write the year alone, e.g. 1950S2 (some year 1900-1999)")


def _plain_parts(text: str) -> tuple[str, str | None, str | None] | None:
    """(year, month, day) of a plain ISO date (2024, 2024-10, 2024-10-03), None for any other
    form. Most dates are plain, and read without the edtf package: its grammar costs
    milliseconds a date, which adds up over thousands of facts."""
    plain = _PLAIN.match(text)
    if not plain or int(plain.group(2) or 1) > 12:  # 21-41 in the month place are seasons
        return None
    year, month, day = plain.groups()
    try:  # reject 2024-13 or 2024-02-30 exactly as the grammar would; year 0000 is a leap
        datetime.date(int(year) or 2000, int(month or 1), int(day or 1))  # year like 2000
    except ValueError:
        raise _not_edtf(text) from None
    return year, month, day


def _parse(text: str):
    """The edtf package's object for `text`."""
    edtf = _edtf()
    try:
        return parse_edtf(text)
    except (edtf.EDTFParseException, ValueError, TypeError):
        raise _not_edtf(text) from None
    except Exception as exc:  # noqa: BLE001 - the package's own bugs (AttributeError, …)
        raise DateError(f"'{_shown(text)}' could not be read: the EDTF parser failed on it "
                        f"({type(exc).__name__}); it may be valid EDTF, but it is not "
                        "supported here",
                        None) from None


# --- unspecified digits (2004-XX, 201X, 2004-X8-XX), read without the edtf package ----------

_UNSPECIFIED = re.compile(r"(-?)([\dX]{4})(?:-([\dX]{2})(?:-([\dX]{2}))?)?([?~%]?)")
_MAX_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_PLACEHOLDER = "2000"  # stands in for a date with X digits while the grammar checks the rest


def _unspecified(text: str) -> Said:
    """A date, range or set with X digits, covering every day it may mean. The grammar still
    checks the shape of a range or set, with each X date replaced by a plain year."""
    if text.startswith(("[", "{")):
        return _unspecified_set(text)
    if "/" not in text:
        return _unspecified_date(text)
    first, _, second = text.partition("/")
    if "/" in second or first.startswith(("[", "{")) or second.startswith(("[", "{")):
        raise _not_edtf(text)
    ends = [None if end in ("", "..") else _said(end) for end in (first, second)]
    if ends == [None, None]:
        raise _not_edtf(text)
    _check_shape(text, "/".join(_PLACEHOLDER if "X" in end else end for end in (first, second)))
    start, end = ends
    if start is None:
        return datewords.open_start(end, unknown=first == "")
    if end is None:
        return datewords.open_end(start, unknown=second == "")
    return datewords.span(start, end)


def _unspecified_set(text: str) -> Said:
    """[2004-0X,2005] → "a month between Jan and Sep 2004 or 2005"."""
    members = [member.strip() for member in text[1:-1].split(",")]
    with_x = [("X" in member and ".." not in member) for member in members]
    skeleton = [_PLACEHOLDER if x else member for member, x in zip(members, with_x)]
    parsed = _check_shape(text, text[0] + ",".join(skeleton) + text[-1])
    edtf = _edtf()
    all_of = isinstance(parsed, edtf.MultipleDates)
    if not isinstance(parsed, (edtf.OneOfASet, edtf.MultipleDates)) \
            or len(parsed.objects) != len(members):
        raise _not_edtf(text)
    return datewords.said_set([_unspecified_date(member) if x else datewords.member(obj, all_of)
                               for member, x, obj in zip(members, with_x, parsed.objects)],
                              all_of)


def _check_shape(text: str, skeleton: str):
    """The package's object for `skeleton`, `text` with its X dates replaced by a plain year."""
    try:
        return _parse(skeleton)
    except DateError:
        raise _not_edtf(text) from None


def _unspecified_date(text: str) -> Said:
    match = _UNSPECIFIED.fullmatch(text)
    if not match:
        raise _not_edtf(text)
    sign, year, month, day, qualifier = match.groups()
    first_year, last_year = int(year.replace("X", "0")), int(year.replace("X", "9"))
    if sign:
        first_year, last_year = -last_year, -first_year
    # Every (month, day) the pattern allows; 29 Feb only where the year allows a leap year.
    leap_possible = "X" in year or calendar.isleap(first_year)
    days = [(m, d) for m in range(1, 13) for d in range(1, _MAX_DAYS[m - 1] + 1)
            if _fits(m, month) and _fits(d, day) and ((m, d) != (2, 29) or leap_possible)]
    if not days:
        raise DateError(f"'{_shown(text)}' matches no day of the calendar",
                        "a month runs 01-12 and a day 01-31, e.g. 2004-1X or 2004-06-XX")
    words = datewords.unspecified(sign, year, month, day, days)
    notes = (datewords.QUALIFIERS[qualifier],) if qualifier else ()
    return Said(words, notes, "other", "", (first_year, *days[0]), (last_year, *days[-1]))


def _fits(number: int, pattern: str | None) -> bool:
    """Whether two-digit `number` matches a pattern such as "1X" (None: any number)."""
    return pattern is None or all(p in ("X", d) for p, d in zip(pattern, f"{number:02}"))


# --- hints: the likeliest fix for a date that is not EDTF -------------------------------------

_MONTH_NAMES = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names}
_WEEKDAYS = {"monday", "mon", "tuesday", "tue", "tues", "wednesday", "wed", "thursday", "thu",
             "thur", "thurs", "friday", "fri", "saturday", "sat", "sunday", "sun"}
_SEASON_NUMBERS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_NUMERIC = re.compile(r"(-?\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?")  # 2024-10-8, 2024/10/03
_DAY_FIRST_OR_MONTH_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")  # 03/10/2024
_WITH_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}[^/]*")
_SEASON = re.compile(r"(spring|summer|autumn|fall|winter)\s+(?:of\s+)?(\d{4})", re.IGNORECASE)
_DECADE = re.compile(r"(?:the\s+)?(\d{3})0'?s", re.IGNORECASE)
_APPROXIMATE = re.compile(r"(circa|approximately|approx|around|about|roughly|ca|c)\b\.?\s*(.+)",
                          re.IGNORECASE)
_UNCERTAIN = re.compile(r"(probably|possibly|perhaps|maybe)\b\s*(.+)", re.IGNORECASE)
_RANGE_START = re.compile(r"(?:from|between)\s+", re.IGNORECASE)
_RANGE_SEPARATOR = re.compile(r"\s+(?:to|until|till|through|thru|and)\s+|\s*[–—/]\s*|\s+-\s+",
                              re.IGNORECASE)
_OPEN_START = re.compile(r"(before|by|until|till)\s+(.+)", re.IGNORECASE)
_OPEN_END = re.compile(r"(after|since|from)\s+(.+)", re.IGNORECASE)


def _hint(text: str) -> str:
    """The likeliest fix for `text`, a date that did not parse: "did you mean 2024-10?"."""
    if len(text) > MAX_LENGTH:
        return GENERAL_HINT
    ambiguous = _DAY_FIRST_OR_MONTH_FIRST.fullmatch(text)
    if ambiguous:
        first, second, year = (int(part) for part in ambiguous.groups())
        day_first, month_first = _valid_day(year, second, first), _valid_day(year, first, second)
        if day_first and month_first and day_first != month_first:
            return (f"write the date as YYYY-MM-DD: {day_first} if the day comes first, "
                    f"{month_first} if the month does")
    suggestion = next((c for c in _candidates(text, depth=0) if c and _valid(c)), None)
    if not suggestion:
        return GENERAL_HINT
    # "2024-10?" is uncertain October: quoted, so its "?" is not read as the question's
    return f"did you mean '{suggestion}'?" if suggestion.endswith("?") else \
        f"did you mean {suggestion}?"


def _suggest(text: str, depth: int) -> str | None:
    """EDTF that `text` probably means, checked to parse; None if nothing fits. Ranges and
    qualifiers call back for their parts, `depth` bounding the recursion."""
    text = text.strip()
    if _valid(text):
        return text
    if depth > 2 or not text:
        return None
    for candidate in _candidates(text, depth):
        if candidate and _valid(candidate):
            return candidate
    return None


def _candidates(text: str, depth: int):
    """Guesses at what `text` means, likeliest first; each is checked by the caller."""
    if re.fullmatch(r"[-\dx/.?~%]*x[-\dx/.?~%]*", text):  # 2004-xx: X is upper case in EDTF
        yield text.upper()
    if match := _NUMERIC.fullmatch(text):
        year, month, day = match.groups()
        yield f"{year}-{int(month):02}" + (f"-{int(day):02}" if day else "")
    if match := _DAY_FIRST_OR_MONTH_FIRST.fullmatch(text):  # unambiguous: one reading is a date
        first, second, year = (int(part) for part in match.groups())
        yield _valid_day(year, second, first) or _valid_day(year, first, second)
    if match := _WITH_TIME.fullmatch(text):
        yield match.group(1)
    if match := _SEASON.fullmatch(text):
        yield f"{match.group(2)}-{_SEASON_NUMBERS[match.group(1).lower()]}"
    if match := _DECADE.fullmatch(text):
        yield f"{match.group(1)}X"
    yield _from_words(text)
    if match := _APPROXIMATE.fullmatch(text):
        yield _qualified(_suggest(match.group(2), depth + 1), "~")
    if match := _UNCERTAIN.fullmatch(text):
        yield _qualified(_suggest(match.group(2), depth + 1), "?")
    ends = _RANGE_SEPARATOR.split(_RANGE_START.sub("", text, count=1))
    if len(ends) == 2:
        start, end = (".." if e.strip() == ".." else _suggest(e, depth + 1) for e in ends)
        if start and end:
            yield f"{start}/{end}"
    if match := _OPEN_START.fullmatch(text):
        end = _suggest(match.group(2), depth + 1)
        yield end and f"../{end}"
    if match := _OPEN_END.fullmatch(text):
        start = _suggest(match.group(2), depth + 1)
        yield start and f"{start}/.."


def _from_words(text: str) -> str | None:
    """"3 October 2024", "Oct. 3rd, 2024", "Thursday 3 Oct 2024" → 2024-10-03; "October 2024"
    → 2024-10. Needs one month name and a four-digit year; a weekday, "the" and "of" are
    skipped."""
    month = year = day = None
    for number, word in re.findall(r"(\d+)(?:st|nd|rd|th)?\b|([A-Za-z]+)", text):
        word = word.lower()
        if word in _MONTH_NAMES and month is None:
            month = _MONTH_NAMES[word]
        elif word in _WEEKDAYS or word in ("the", "of"):
            continue
        elif len(number) == 4 and year is None:
            year = int(number)
        elif 1 <= len(number) <= 2 and day is None:
            day = int(number)
        else:
            return None
    if month is None or year is None:
        return None
    return _valid_day(year, month, day) if day else f"{year:04}-{month:02}"


def _valid_day(year: int, month: int, day: int) -> str | None:
    """YYYY-MM-DD if that day exists (any year of four digits), else None."""
    try:
        datetime.date(year or 2000, month, day)
    except ValueError:
        return None
    return f"{year:04}-{month:02}-{day:02}"


def _qualified(date: str | None, qualifier: str) -> str | None:
    """`date` with an EDTF qualifier (~ approximate, ? uncertain) added, where it takes one."""
    if not date or date[-1] in "?~%" or "/" in date:
        return None
    return date + qualifier


def _valid(text: str) -> bool:
    try:
        _read(text)
    except DateError:
        return False
    return True
