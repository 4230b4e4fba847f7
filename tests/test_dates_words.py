"""Every EDTF form that validates is said in words: groupings, unspecified digits, sets, times,
open and unknown ends, long and estimated years, qualifiers, and ranges that say a shared
year or qualifier once. None is shown as raw EDTF; what cannot be said honestly is refused."""

from __future__ import annotations

import re

import pytest
from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException

from factsheet.dates import DateError, parse_date


@pytest.mark.parametrize("edtf, text, precision", [
    # sub-year groupings: seasons, hemisphere seasons, quarters, thirds, halves
    ("2030-21", "spring 2030", "season"),
    ("2030-24", "winter 2030", "season"),
    ("2030-25", "spring 2030 (Northern Hemisphere)", "season"),
    ("2030-32", "winter 2030 (Southern Hemisphere)", "season"),
    ("2030-33", "first quarter of 2030", "quarter"),
    ("2030-36", "fourth quarter of 2030", "quarter"),
    ("2030-37", "first third of 2030", "third of a year"),
    ("2030-39", "last third of 2030", "third of a year"),
    ("2030-40", "first half of 2030", "half-year"),
    ("2030-41", "second half of 2030", "half-year"),
    # unspecified digits
    ("197X", "1970s", "other"),
    ("19XX", "1900s", "other"),
    ("1XXX", "a year between 1000 and 1999", "other"),
    ("XXXX", "an unknown year", "other"),
    ("1X84", "a year between 1084 and 1984 ending in 84", "other"),
    ("-197X", "a year between 1980 BCE and 1971 BCE", "other"),
    ("2024-XX", "an unknown month of 2024", "other"),
    ("2024-XX-03", "the 3rd of an unknown month of 2024", "other"),
    ("2024-XX-XX", "an unknown day of 2024", "other"),
    ("2024-06-XX", "an unknown day in Jun 2024", "other"),
    ("2004-0X", "a month between Jan and Sep 2004", "other"),
    ("2004-X1", "Jan or Nov 2004", "other"),
    ("2004-06-1X", "a day between the 10th and the 19th of Jun 2004", "other"),
    ("2004-06-X1", "the 1st, 11th or 21st of Jun 2004", "other"),
    ("2004-06-3X", "30 Jun 2004", "other"),  # June has no 31st: one day is left
    ("156X-12-25", "25 Dec in the 1560s", "other"),
    ("XXXX-XX-23", "the 23rd of an unknown month of an unknown year", "other"),
    ("1999-XX?", "an unknown month of 1999 (uncertain)", "other"),
    # one-of and all-of sets
    ("[1977,1980]", "1977 or 1980", "set"),
    ("{1977,1980}", "1977 and 1980", "set"),
    ("[1667,1670..1672]", "1667 or 1670 to 1672", "set"),
    ("{1667,1668, 1670..1672}", "1667, 1668 and 1670 to 1672", "set"),
    ("[1760-01..1760-03]", "Jan to Mar 1760", "set"),
    ("[..1760-12-03]", "any day up to 3 Dec 1760", "set"),
    ("[1760-12..]", "any month from Dec 1760 on", "set"),
    ("{..1760-12-03}", "every day up to 3 Dec 1760", "set"),
    ("[1760-01, 1760-02, 1760-12..]", "Jan 1760, Feb 1760 or any month from Dec 1760 on", "set"),
    ("{1960, 1961-12}", "1960 and Dec 1961", "set"),
    ("[1984?, 2004-06-~11]", "1984 (uncertain) or 11 Jun 2004 (day approximate)", "set"),
    ("[2004-0X, 2005]", "a month between Jan and Sep 2004 or 2005", "set"),
    # times of day
    ("2024-03-26T01:29:09", "26 Mar 2024, 01:29:09", "time"),
    ("2024-03-26T01:29:09Z", "26 Mar 2024, 01:29:09 UTC", "time"),
    ("2024-03-26T01:29:09+05:00", "26 Mar 2024, 01:29:09 UTC+05:00", "time"),
    ("2024-03-26T01:29:09-05", "26 Mar 2024, 01:29:09 UTC-05:00", "time"),
    # open and unknown ends
    ("../2024", "by 2024", "range"),
    ("2024/..", "from 2024", "range"),
    ("/2024", "until 2024 (start unknown)", "range"),
    ("2024/", "from 2024 (end unknown)", "range"),
    ("2024-06-01?/", "from 1 Jun 2024 (uncertain; end unknown)", "range"),
    ("../197X", "by the 1970s", "range"),
    ("../..", "date unknown", "range"),
    # long, estimated and negative years (EDTF numbers years astronomically: 0000 is 1 BCE)
    ("Y17E7", "year 170,000,000", "year"),
    ("Y170000002", "year 170,000,002", "year"),
    ("Y-170000002", "170,000,003 BCE", "year"),
    ("1950S2", "1950 (estimated, between 1900 and 1999)", "other"),
    ("-1950S2", "1951 BCE (estimated, between 2000 BCE and 1901 BCE)", "other"),
    ("Y17101E4S3",
     "year 171,010,000 (estimated, between year 171,000,000 and year 171,999,999)", "other"),
    ("-0043", "44 BCE", "year"),
    ("0000", "1 BCE", "year"),
    ("-0043-03-15", "15 Mar 44 BCE", "day"),
    ("0043", "43 CE", "year"),
    # qualifiers on the whole date or its parts
    ("2004-06-11?", "11 Jun 2004 (uncertain)", "day"),
    ("2004-06~", "Jun 2004 (approximate)", "month"),
    ("1984%", "1984 (uncertain and approximate)", "year"),
    ("2004?-06-11", "11 Jun 2004 (year uncertain)", "day"),
    ("2004-06~-11", "11 Jun 2004 (year and month approximate)", "day"),
    ("?2004-06-~11", "11 Jun 2004 (year uncertain; day approximate)", "day"),
    ("2004-?06-?11", "11 Jun 2004 (month and day uncertain)", "day"),
    ("2004-%06", "Jun 2004 (month uncertain and approximate)", "month"),
    # ranges: a shared year, month or qualifier is said once
    ("2024-03-26?/2024-06-10?", "26 Mar – 10 Jun 2024 (uncertain)", "range"),
    ("2024?-03-26/2024?-06-10", "26 Mar – 10 Jun 2024 (year uncertain)", "range"),
    ("2024-03-26/2024-06-10", "26 Mar – 10 Jun 2024", "range"),
    ("2024-10-03/2024-10-05", "3–5 Oct 2024", "range"),
    ("2024-03/2024-05", "Mar – May 2024", "range"),
    ("2024-21/2024-23", "spring – autumn 2024", "range"),
    ("2023-08/2024-01", "Aug 2023 – Jan 2024", "range"),
    ("1984~/2004~", "1984 – 2004 (approximate)", "range"),
    ("1984?/2004~", "1984 (uncertain) – 2004 (approximate)", "range"),
    ("1984/2004-06~", "1984 – Jun 2004 (end: approximate)", "range"),  # not the whole range's
    ("2024-03-26?/2024-06-10", "26 Mar 2024 (uncertain) – 10 Jun 2024", "range"),
    ("2004-06-~01/2004-06-~20", "1–20 Jun 2004 (day approximate)", "range"),
    ("2004-06-XX/2004-07-03", "an unknown day in Jun 2004 – 3 Jul 2004", "range"),
])
def test_every_form_is_said_in_words(edtf, text, precision):
    date = parse_date(edtf)
    assert (date.text, date.precision) == (text, precision)


@pytest.mark.parametrize("number, lower, upper", [
    (21, (2030, 3, 1), (2030, 5, 31)), (22, (2030, 6, 1), (2030, 8, 31)),
    (23, (2030, 9, 1), (2030, 11, 30)), (24, (2030, 12, 1), (2031, 2, 28)),
    (25, (2030, 3, 1), (2030, 5, 31)), (26, (2030, 6, 1), (2030, 8, 31)),
    (27, (2030, 9, 1), (2030, 11, 30)), (28, (2030, 12, 1), (2031, 2, 28)),
    (29, (2030, 9, 1), (2030, 11, 30)), (30, (2030, 12, 1), (2031, 2, 28)),
    (31, (2030, 3, 1), (2030, 5, 31)), (32, (2030, 6, 1), (2030, 8, 31)),
    (33, (2030, 1, 1), (2030, 3, 31)), (34, (2030, 4, 1), (2030, 6, 30)),
    (35, (2030, 7, 1), (2030, 9, 30)), (36, (2030, 10, 1), (2030, 12, 31)),
    (37, (2030, 1, 1), (2030, 4, 30)), (38, (2030, 5, 1), (2030, 8, 31)),
    (39, (2030, 9, 1), (2030, 12, 31)), (40, (2030, 1, 1), (2030, 6, 30)),
    (41, (2030, 7, 1), (2030, 12, 31)),
])
def test_groupings_cover_the_days_they_mean(number, lower, upper):
    """Winters (and the southern summer) run from December into the next February."""
    date = parse_date(f"2030-{number}")
    assert (date.lower, date.upper) == (lower, upper)


def test_a_leap_february_ends_a_winter_on_the_29th():
    assert parse_date("2027-24").upper == (2028, 2, 29)


@pytest.mark.parametrize("edtf, machine", [
    ("2024-03-26T01:29:09", "2024-03-26T01:29:09"),
    ("2024-03-26T01:29:09Z", "2024-03-26T01:29:09Z"),
    ("2024-03-26T01:29:09+05", "2024-03-26T01:29:09+05:00"),  # HTML needs the minutes
    ("2024-03-26T24:00:00", "2024-03-26"),  # HTML has no 24:00; the day is still exact
    ("2024-10-03", "2024-10-03"),
    ("0043-03-15", "0043-03-15"),
    ("-0043-03-15", ""),  # HTML has no years before 0001
    ("2024-10-03?", ""),
    ("2024-10-03/2024-10-05", ""),
])
def test_machine_values_are_what_html_time_accepts(edtf, machine):
    assert parse_date(edtf).machine == machine


def test_same_day_facts_sort_by_time_after_the_day_alone():
    shuffled = ["2024-03-27", "2024-03-26T10:00:00", "2024-03-26", "2024-03-26T01:29:09",
                "2024-03-25T23:59:59", "2024-03-26T09:00:00Z", "2024-03-26T12:00:00+05:00"]
    ordered = sorted(shuffled, key=lambda d: parse_date(d).sort_key)
    assert ordered == ["2024-03-25T23:59:59", "2024-03-26", "2024-03-26T01:29:09",
                       "2024-03-26T12:00:00+05:00",  # 07:00 UTC
                       "2024-03-26T09:00:00Z", "2024-03-26T10:00:00", "2024-03-27"]


def test_ranges_that_cannot_hold_are_refused():
    with pytest.raises(DateError) as caught:
        parse_date("2025/2024")
    assert (str(caught.value), caught.value.hint) == (
        "'2025/2024' is valid EDTF but not supported here: the range ends (2024) before it "
        "starts (2025)", "put the earlier date first")


# --- every feature the edtf package parses: none is shown as raw EDTF ---------------------

# The edtf package's own examples (python-edtf, edtf/parser/tests.py), levels 0 to 2 ...
PACKAGE_EXAMPLES = [
    # level 0
    "2001-02-03", "2008-12", "2008", "-0999", "0000", "2001-02-03T09:30:01",
    "2004-01-01T10:10:10Z", "2004-01-01T10:10:10+05:00", "1985-04-12T23:20:30", "1964/2008",
    "2004-06/2006-08", "2004-02-01/2005-02-08", "2004-02-01/2005-02", "2004-02-01/2005",
    "2005/2006-02", "-2005/-1999-02",
    # level 1
    "1984?", "2004-06-11?", "2004-06?", "1984~", "1984%", "199X", "19XX", "1999-XX",
    "1999-01-XX", "1999-XX-XX", "-0275~", "-0001~", "0000~", "/2006", "2004-06-01/", "../2006",
    "2004-01-01/..", "1984~/2004-06", "1984/2004-06~", "1984?/2004%", "1984~/2004~",
    "1984-06?/2004-08?", "1984-06-02?/2004-08-08~", "1984-06-02?/", "Y170000002",
    "Y-170000002", "2001-21", "2003-22", "2000-23", "2010-24",
    # level 2
    "2004-06-11%", "2004?-06-11", "2004-06~-11", "2004-06-~11", "2004-%06", "2004-?06-?11",
    "2004?-06-~11", "?2004-%06", "2004?-%06", "2004?-~06-~04", "2011-~06-~04", "156X-12-25",
    "15XX-12-25", "1560-XX-25", "15XX-12-XX", "XXXX-XX-23", "[1667, 1668, 1670..1672]",
    "[..1760-12-03]", "[1760-12..]", "[1760-01, 1760-02, 1760-12..]", "[1667, 1760-12]",
    "{1667,1668, 1670..1672}", "{1960, 1961-12}", "196X", "2004-06-~01/2004-06-~20",
    "2004-06-XX/2004-07-03", "Y17E7", "Y-17E7", "Y17101E4S3", "2001-29", "2001-34",
]
# ... and the rest of its grammar: every grouping, significant digits, time zones, X digits
# anywhere, qualified ends of ranges, sets of every kind of member.
GRAMMAR_EXAMPLES = [f"2001-{n}" for n in range(21, 42)] + [
    "1950S2", "-1950S2", "Y170000002S3", "Y-17E7S1", "1950S2/1960", "1950S2?", "[1950S2, 1960]",
    "2004-06-11T10:10:10-05", "2004-06-11T10:10:10+14:00", "2004-06-11T10:10:10-00:30",
    "2004-06-11T24:00:00", "2004-06-11T00:00:00", "-0043-03-15T12:00:00Z",
    "1XXX", "XXXX", "1X84", "X004", "XXX4-01", "-1XXX", "-197X", "2004-0X", "2004-1X",
    "2004-X1", "2004-X0", "2004-06-X1", "2004-06-1X", "2004-06-3X", "2004-1X-0X",
    "2004-XX?", "197X~", "1960-XX-XX%", "1XXX/2XXX", "2004-XX-XX/2005-06-11",
    "2001-21~/2002-22?", "2001-21/2001-23", "../2004-06-11?", "2004-06~/..", "/2004-06%",
    "../..", "[..1760]", "[1760..]", "{..1760-12}", "{1760-12-03..}", "[..1760, 1762..]",
    "[1984?, 2004~, 2005-%06]", "{1999-XX, 2000}", "[196X, 1975]",
    "{2004-06-01..2004-06-03, 2004-06-05}",
]
# Forms the package parses that we refuse rather than say wrongly, each with the reason.
REFUSED = {
    "1X9X": "a year with unspecified digits in more than one place",
    "X000": "a year with unspecified digits in more than one place",  # 1 BCE, 1000 … 9000
    "1950S2-10": "significant digits (S1 or more) are supported on a year on its own",
    "1950S2-21": "significant digits (S1 or more) are supported on a year on its own",
    "1950S0": "significant digits (S1 or more) are supported on a year on its own",
    "2001-21^a": "a season qualified with ^ is not supported",
    "2004-06T10:10:10": "a time of day needs a full date",
}

_RAW_EDTF = re.compile(
    r"X|/|\.\.|[\[\]{}?~%^]"  # unspecified digits, ranges, sets, qualifiers
    r"|\dT\d|\d-\d|(?:^|[\s(])-\d"  # a time glued to a date, ISO dashes, a minus-sign year
    r"|\dS\d|\dE\d|\bY-?\d")  # significant digits, exponents, long years


def _package_accepts(text: str) -> bool | None:
    """True if the edtf package parses `text`, False if it rejects it, None if it crashes."""
    try:
        parse_edtf(text)
    except EDTFParseException:
        return False
    except Exception:  # noqa: BLE001 - its bugs on some X forms; we read those ourselves
        return None
    return True


@pytest.mark.parametrize("edtf", PACKAGE_EXAMPLES + GRAMMAR_EXAMPLES)
def test_no_edtf_the_package_parses_is_shown_raw(edtf):
    assert _package_accepts(edtf) is not False, "not an EDTF example"
    try:
        date = parse_date(edtf)
    except DateError as exc:
        pytest.fail(f"{edtf} refused: {exc}")
    assert date.text.strip() and not _RAW_EDTF.search(date.text), date.text
    assert date.lower <= date.upper


@pytest.mark.parametrize("edtf, reason", REFUSED.items())
def test_what_cannot_be_said_honestly_is_refused_as_not_supported(edtf, reason):
    assert _package_accepts(edtf) is not False, "not an EDTF example"
    with pytest.raises(DateError) as caught:
        parse_date(edtf)
    assert str(caught.value).startswith(f"'{edtf}' is valid EDTF but not supported here: ")
    assert reason in str(caught.value) and caught.value.hint


def test_the_raw_edtf_check_catches_raw_edtf():
    """The pattern above would have caught each way dates used to be shown as written, and
    passes the words that replace them."""
    for raw in ("197X", "[1977, 1980]", "2024-03-26T01:29:09", "Y17E7", "1950S2", "-0043",
                "2004-06~-11", "1984/2004", "{1960, 1961-12}", "2004-XX-XX – 2005-XX",
                "Y170000002S3", "-1999-02"):
        assert _RAW_EDTF.search(raw), raw
    for words in ("26 Mar 2024, 01:29:09 UTC-05:00", "44 BCE", "3–5 Oct 2024", "1970s"):
        assert not _RAW_EDTF.search(words), words
