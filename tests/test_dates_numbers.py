"""Dates and numbers under hostile input: nothing but DateError, no hangs, hints that fix slips,
and numbers that render whatever their size."""

from __future__ import annotations

import math

import pytest
from edtf.parser.parser_classes import Date

from factsheet import dates, datewords
from factsheet.dates import GENERAL_HINT, DateError, parse_date
from factsheet.numbers import check_finite, format_number

# --- dates the edtf package crashed or hung on ------------------------------------------------


@pytest.mark.parametrize("edtf, text, precision, lower, upper", [
    # unspecified digits: read by us, said in words, covering every day they may mean
    ("2004-X8-XX", "an unknown day in Aug 2004", "other", (2004, 8, 1), (2004, 8, 31)),
    ("1XXX-X9", "Sep of a year between 1000 and 1999", "other", (1000, 9, 1), (1999, 9, 30)),
    ("2004-0X", "a month between Jan and Sep 2004", "other", (2004, 1, 1), (2004, 9, 30)),
    ("2004-1X-0X", "a day between the 1st and the 9th of a month between Oct and Dec 2004",
     "other", (2004, 10, 1), (2004, 12, 9)),
    ("2004-XX", "an unknown month of 2004", "other", (2004, 1, 1), (2004, 12, 31)),
    ("201X", "2010s", "other", (2010, 1, 1), (2019, 12, 31)),
    ("XXXX-12-XX", "an unknown day in Dec of an unknown year", "other", (0, 12, 1),
     (9999, 12, 31)),
    ("-1XXX", "a year between 2000 BCE and 1001 BCE", "other", (-1999, 1, 1), (-1000, 12, 31)),
    ("2023-02-2X", "a day between the 20th and the 28th of Feb 2023", "other", (2023, 2, 20),
     (2023, 2, 28)),
    ("2024-02-2X", "a day between the 20th and the 29th of Feb 2024", "other", (2024, 2, 20),
     (2024, 2, 29)),
    ("2004-XX?", "an unknown month of 2004 (uncertain)", "other", (2004, 1, 1), (2004, 12, 31)),
    ("2004-XX-XX/2005-XX", "an unknown day of 2004 – an unknown month of 2005", "range",
     (2004, 1, 1), (2005, 12, 31)),
    ("1XXX/2XXX", "a year between 1000 and 1999 – a year between 2000 and 2999", "range",
     (1000, 1, 1), (2999, 12, 31)),
    ("2004-0X/2005", "a month between Jan and Sep 2004 – 2005", "range", (2004, 1, 1),
     (2005, 12, 31)),
    ("../2004-XX", "by an unknown month of 2004", "range", (-9999, 1, 1), (2004, 12, 31)),
    ("2004-XX/..", "from an unknown month of 2004", "range", (2004, 1, 1), (9999, 12, 31)),
    ("[2004-0X,2005]", "a month between Jan and Sep 2004 or 2005", "set", (2004, 1, 1),
     (2005, 12, 31)),
    # exponent and long years up to ±999,999,999 still go to the edtf package
    ("Y17E7", "year 170,000,000", "year", (170000000, 1, 1), (170000000, 12, 31)),
    ("Y-999999999", "1,000,000,000 BCE", "year", (-999999999, 1, 1), (-999999999, 12, 31)),
])
def test_hostile_dates_that_are_valid_edtf_work(edtf, text, precision, lower, upper):
    date = parse_date(edtf)
    assert (date.edtf, date.text, date.precision, date.machine, date.lower, date.upper) == \
        (edtf, text, precision, "", lower, upper)


def test_year_zero_is_a_leap_year():
    """EDTF has a year 0000 (1 BCE); the fast path for plain dates used to refuse it. HTML's
    <time datetime> has no year 0000, so there is no machine value."""
    date = parse_date("0000-02-29")
    assert (date.text, date.precision, date.machine, date.lower, date.upper) == \
        ("29 Feb 1 BCE", "day", "", (0, 2, 29), (0, 2, 29))


@pytest.mark.parametrize("edtf, message, hint", [
    ("2004-XX-6X", "'2004-XX-6X' matches no day of the calendar",
     "a month runs 01-12 and a day 01-31, e.g. 2004-1X or 2004-06-XX"),
    ("2004-2X", "'2004-2X' matches no day of the calendar",
     "a month runs 01-12 and a day 01-31, e.g. 2004-1X or 2004-06-XX"),
    ("2004-XX/2005/2006", "'2004-XX/2005/2006' is not an EDTF date", GENERAL_HINT),
    ("../..X", "'..X' is not an EDTF date", GENERAL_HINT),  # names the end at fault
    ("Y1E100000000", "'Y1E100000000': years beyond ±999,999,999 are not supported",
     "check the year: at most 9 digits, e.g. Y170000002 or Y17E7"),
    ("x" * 101, f"'{'x' * 60}…' is too long for a date (101 characters, at most 100)",
     "write one date, or one range such as 2023-08/2024-01"),
    ("2024-02-30", "'2024-02-30' is not an EDTF date", GENERAL_HINT),
])
def test_hostile_dates_that_cannot_be_used_are_refused_with_a_reason(edtf, message, hint):
    with pytest.raises(DateError) as caught:
        parse_date(edtf)
    assert (str(caught.value), caught.value.hint) == (message, hint)


@pytest.mark.parametrize("edtf", [
    "Y1E100000000", "Y17E100", "Y-1E100000000", "y1e100000000", "Y1000000000", "Y-1000000000",
    "Y" + "9" * 99, "2004/Y1E100000000", "[Y1E99999,2004]", "{" + ",".join(["2004"] * 50) + "}",
])
def test_huge_years_and_long_text_are_refused_before_the_edtf_grammar(edtf, monkeypatch):
    """The grammar computes 10**exponent (10 s at Y1E7) and costs ~10 ms per set member."""
    def must_not_run(text):
        raise AssertionError(f"the edtf package was asked to parse {text!r}")
    monkeypatch.setattr(dates, "parse_edtf", must_not_run)
    dates._read.cache_clear()  # noqa: SLF001 - so the patched parser is the one asked
    with pytest.raises(DateError):
        parse_date(edtf)


# A spread of valid-but-unusual EDTF (levels 1 and 2) and near misses: each either reads or is
# refused with DateError; nothing else escapes, whatever the edtf package does inside.
UNUSUAL = [
    "2004-XX-6X", "2004-X8-XX", "1XXX-X9", "2004-0X", "2004-X1", "2004-0X-1X", "XXXX",
    "XXXX-XX-XX", "X004", "XXX4-01", "156X-12-25", "2004-XX-XX/2005-XX", "[2004-0X,2005]",
    "{2004-XX-XX,2005-0X}", "2004-0X~", "2004?-XX", "-1XXX-X9", "1XXX/", "Y170000002",
    "Y-170000002", "Y17E7", "Y3388E2S3", "1950S2", "1984S2", "2001-34", "2001-41", "2001-25",
    "2011-23~", "{1667,1668,1670..1672}", "[1667,1668,1670..1672]", "[..1760-12-03]",
    "[1760-12..]", "{1960,1961-12}", "?2004-06-~11", "2004?-06-~11", "2004-%06", "2004-(06)?-11",
    "-1985", "-0001", "0000", "1984?/2004~", "../..", "/", "/..", "../", "2004-06-11/", "/2004",
    "2004-06-11T10:10:10+05:00", "2004-06-11T25:00:00", "2004-06-11%", "1960-XX-XX?", "Y9",
    "Y99999", "../E3", "2004-13", "2004-00", "2004-06-00", "2004-02-29", "2003-02-29",
]


@pytest.mark.parametrize("edtf", UNUSUAL)
def test_unusual_edtf_raises_nothing_but_date_error(edtf):
    try:
        date = parse_date(edtf)
    except DateError as exc:
        assert isinstance(exc.hint, str) and exc.hint
    else:
        assert all(len(day) == 3 and all(isinstance(n, int) for n in day)
                   for day in (date.lower, date.upper))


def test_any_failure_inside_the_edtf_package_becomes_a_date_error(monkeypatch):
    """Whatever the package raises, while parsing or while working out the days a date covers,
    the editor gets a DateError naming the date."""
    dates._read.cache_clear()  # noqa: SLF001 - so the patched parser is the one asked
    def crash(text):
        raise AttributeError("'dict' object has no attribute 'startswith'")
    monkeypatch.setattr(dates, "parse_edtf", crash)
    with pytest.raises(DateError) as caught:
        parse_date("2004-06~ ")
    assert (str(caught.value), caught.value.hint) == (
        "'2004-06~' could not be read: the EDTF parser failed on it (AttributeError); it may be "
        "valid EDTF, but it is not supported here", GENERAL_HINT)

    class NoBounds(Date):
        def lower_strict(self):
            raise ValueError("invalid literal for int() with base 10: '6X'")
    monkeypatch.setattr(dates, "parse_edtf", lambda text: NoBounds(year="2004", month="06"))
    with pytest.raises(DateError) as caught:
        parse_date("2004-06?")
    assert (str(caught.value), caught.value.hint) == (
        "'2004-06?' is valid EDTF but not supported here: the days it covers cannot be worked "
        "out (ValueError)",
        "give the date without this EDTF feature, e.g. as a range such as 2023-08/2024-01")


@pytest.mark.parametrize("text", [
    "2024", "0000", "0001", "0999", "9999", "2024-01", "2024-02", "2023-02", "1900-02",
    "2000-02", "2024-12", "2024-10-03", "2024-02-29", "0000-02-29", "2023-12-31", "1969-07-20"])
def test_a_plain_date_read_without_the_edtf_package_says_what_the_package_would(text):
    """dates reads plain ISO dates itself; the edtf package's object for the same date gives
    the same words, precision, ISO value and first and last day."""
    year, _, rest = text.partition("-")
    month, _, day = rest.partition("-")
    from_package = datewords.describe(Date(year=year, month=month or None, day=day or None))
    assert datewords.plain(year, month or None, day or None) == from_package
    dates._read.cache_clear()  # noqa: SLF001 - read afresh, not from an earlier test
    read = parse_date(text)
    assert (read.text, read.precision, read.machine, read.lower, read.upper) == (
        from_package.text, from_package.precision, from_package.machine, from_package.lower,
        from_package.upper)


def test_the_edtf_package_prints_nothing(capsys):
    """It prints "trying to Level1Interval.__init__(…)" on some failed parses; our report must
    not have that in the middle of it."""
    for text in ("/..", "../E3", "2004-0X", "[2004-0X,2005]"):
        try:
            parse_date(text)
        except DateError:
            pass
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("value, kind", [(None, "NoneType"), (2024, "int"), (["2024"], "list")])
def test_a_date_that_is_not_text_is_a_date_error(value, kind):
    with pytest.raises(DateError) as caught:
        parse_date(value)
    assert str(caught.value) == f"a date must be text, found {kind}"


# --- hints ------------------------------------------------------------------------------------


@pytest.mark.parametrize("written, hint", [
    ("October 2024", "did you mean 2024-10?"),
    ("Oct 2024", "did you mean 2024-10?"),
    ("Sept. 2024", "did you mean 2024-09?"),
    ("3 October 2024", "did you mean 2024-10-03?"),
    ("October 3, 2024", "did you mean 2024-10-03?"),
    ("Thursday, 3rd October 2024", "did you mean 2024-10-03?"),
    ("2024 October", "did you mean 2024-10?"),
    ("2024-10-8", "did you mean 2024-10-08?"),
    ("2024-1-5", "did you mean 2024-01-05?"),
    ("2024/10/03", "did you mean 2024-10-03?"),
    ("2024.10.03", "did you mean 2024-10-03?"),
    ("2024/10", "did you mean 2024-10?"),
    ("03/10/2024", "write the date as YYYY-MM-DD: 2024-10-03 if the day comes first, "
                   "2024-03-10 if the month does"),
    ("25/10/2024", "did you mean 2024-10-25?"),
    ("10/25/2024", "did you mean 2024-10-25?"),
    ("05.05.2024", "did you mean 2024-05-05?"),
    ("2024-10-03 10:00", "did you mean 2024-10-03?"),
    ("spring 2024", "did you mean 2024-21?"),
    ("Summer 2022", "did you mean 2022-22?"),
    ("fall of 2023", "did you mean 2023-23?"),
    ("winter 2023", "did you mean 2023-24?"),
    ("the 1990s", "did you mean 199X?"),
    ("2004-xx", "did you mean 2004-XX?"),
    ("2024-10-03 to 2024-10-05", "did you mean 2024-10-03/2024-10-05?"),
    ("2024-10-03 – 2024-10-05", "did you mean 2024-10-03/2024-10-05?"),
    ("2024-10-03 - 2024-10-05", "did you mean 2024-10-03/2024-10-05?"),
    ("from 2024-10-03 to 2024-10-5", "did you mean 2024-10-03/2024-10-05?"),
    ("between Aug 2023 and Jan 2024", "did you mean 2023-08/2024-01?"),
    ("October 2024 to ..", "did you mean 2024-10/..?"),
    ("c. 2024", "did you mean 2024~?"),
    ("circa 2024", "did you mean 2024~?"),
    ("about 2024", "did you mean 2024~?"),
    ("ca. October 2024", "did you mean 2024-10~?"),
    ("possibly 2024-10", "did you mean '2024-10?'?"),
    ("before 2024-06-27", "did you mean ../2024-06-27?"),
    ("by 27 June 2024", "did you mean ../2024-06-27?"),
    ("since 3 Oct 2024", "did you mean 2024-10-03/..?"),
    # nothing fits: the general hint
    ("October 3", GENERAL_HINT),
    ("31 June 2024", GENERAL_HINT),
    ("2024-13-01", GENERAL_HINT),
    ("soon", GENERAL_HINT),
    ("", GENERAL_HINT),
])
def test_date_slips_get_the_likely_fix_as_a_hint(written, hint):
    with pytest.raises(DateError) as caught:
        parse_date(written)
    assert caught.value.hint == hint


def test_a_date_error_made_elsewhere_has_the_general_hint():
    assert DateError("anything").hint == GENERAL_HINT


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value, text", [
    (35, "35"), (0, "0"), (-4, "-4"), (81650, "81,650"), (1_250_000, "1.25 million"),
    (1_500_000, "1.5 million"), (1_600_000, "1.6 million"), (-2_000_000, "-2 million"),
    (5000.0, "5,000"), (2.5, "2.5"), (1234.5, "1,234.5"),
    (999_999_999_999_999, "999,999,999,999,999"),
    # beyond what validation accepts: still text, never an exception
    (10 ** 15, "1.00e+15"), (10 ** 400, "1.00e+400"), (-(10 ** 400), "-1.00e+400"),
    pytest.param(10 ** 5000, "1.00e+5000", id="10**5000"), (1.0e+300, "1.00e+300"),
    (math.inf, "inf"), (-math.inf, "-inf"),
    (math.nan, "nan"), ("12", "12"), (None, "None"), (True, "True"),
])
def test_format_number_is_total(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize("value, problem", [
    (math.nan, "not a number (.nan)"),
    (math.inf, "infinite (.inf, or a number too large to hold such as 1.0e+400)"),
    (float("1e400"), "infinite (.inf, or a number too large to hold such as 1.0e+400)"),
    (-math.inf, "infinite (-.inf, or a number too large to hold such as -1.0e+400)"),
    (10 ** 15, "more than 15 digits — is this a typo?"),
    (-(10 ** 15), "more than 15 digits — is this a typo?"),
    (1.5e15, "more than 15 digits — is this a typo?"),
    (10 ** 400, "more than 15 digits — is this a typo?"),
    (999_999_999_999_999, None), (-999_999_999_999_999, None), (0, None), (2.5, None),
    (1e-300, None), (True, None), ("5,000", None),
])
def test_check_finite_names_what_is_wrong(value, problem):
    assert check_finite(value) == problem
