"""Unit tests of the pieces with rules of their own: dates, quote matching, citations, paths."""

from __future__ import annotations

import pytest

from factsheet.dates import DateError, parse_date
from factsheet.model import QuoteSpan
from factsheet.archive import blocks
from factsheet.documents import structure
from factsheet.numbers import format_number
from factsheet.urls import relative_url
from factsheet.quotes import find_quote
from factsheet.write import WriteError, safe_relative


@pytest.mark.parametrize("edtf, text, precision", [
    ("2024-10-03", "3 Oct 2024", "day"),
    ("2024-06", "Jun 2024", "month"),
    ("2024", "2024", "year"),
    ("2022-22", "summer 2022", "season"),
    ("2023-08/2024-01", "Aug 2023 – Jan 2024", "range"),
    ("../2024-06-27", "by 27 Jun 2024", "range"),
    ("2024-10-03/..", "from 3 Oct 2024", "range"),
    ("2024-06-19?", "19 Jun 2024 (uncertain)", "day"),
    ("2024-06~", "Jun 2024 (approximate)", "month"),
    ("2024?-10-03", "3 Oct 2024 (year uncertain)", "day"),
])
def test_dates_keep_their_precision(edtf, text, precision):
    date = parse_date(edtf)
    assert (date.text, date.precision) == (text, precision)


def test_dates_sort_by_what_they_can_mean():
    order = ["2022-22", "2023-08/2024-01", "../2024-06-27", "2024-06-19", "2024-10-03"]
    shuffled = sorted(order, reverse=True)
    assert sorted(shuffled, key=lambda d: parse_date(d).sort_key) == \
        ["2022-22", "2023-08/2024-01", "2024-06-19", "../2024-06-27", "2024-10-03"]


def test_a_date_edtf_cannot_parse_is_refused():
    with pytest.raises(DateError):
        parse_date("October 3")


def test_quotes_match_across_typographic_quotes_and_white_space():
    document = "Ryder noted, “If I were North Korean\n  military personnel” — and Workers’ Newspaper."
    assert find_quote('noted, "If I were North Korean military personnel"', document) == (6, 58)
    assert find_quote("Workers' Newspaper", document) is not None
    assert find_quote("If I were South Korean", document) is None
    assert find_quote("   ", document) is None


def test_archive_marks_overlapping_quotes_with_the_innermost_fact():
    text = "Alpha beta gamma.\nDelta."
    spans = (QuoteSpan("outer", 1, 0, 16), QuoteSpan("inner", 1, 6, 10))
    shown = blocks(text, structure(text), spans)
    assert [(s.text, s.fact_id, s.anchors) for s in shown[0].segments] == [
        ("Alpha ", "outer", ("quote-outer-1",)), ("beta", "inner", ("quote-inner-1",)),
        (" gamma", "outer", ()), (".", "", ())]
    assert [s.text for s in shown[1].segments] == ["Delta."]
    assert [(b.kind, b.number, b.anchor) for b in shown] == [("paragraph", 1, "p1"),
                                                          ("paragraph", 2, "p2")]


def test_archive_joins_wrapped_lines_and_marks_pages():
    text = ("--- page 7 ---\nThe ship lost power near the\nbridge. It was Kestria-\n"
            "flagged.\n\nA second paragraph runs\n\f--- page 8 ---\non to the next page.\n")
    document = structure(text)
    start = text.index("Kestria")
    spans = (QuoteSpan("flag", 1, start, text.index("flagged.") + len("flagged")),)
    shown = blocks(text, document, spans)
    assert [(b.kind, b.number) for b in shown] == [("page", 7), ("paragraph", 1),
                                                   ("paragraph", 2)]
    first = shown[1].segments
    assert "".join(s.text for s in first) == \
        "The ship lost power near the bridge. It was Kestria-flagged."
    assert [(s.text, s.fact_id) for s in first if s.fact_id] == [("Kestria-flagged", "flag")]
    second = shown[2].segments
    assert [s.page for s in second] == [None, 8, None]
    assert "".join(s.text for s in second) == "A second paragraph runs on to the next page."


def test_relative_urls_work_from_any_depth():
    assert relative_url("index.html", "facts/a.html") == "facts/a.html"
    assert relative_url("facts/a.html", "facts/b.html#x") == "b.html#x"
    assert relative_url("pages/p.html", "index.html") == "../index.html"


@pytest.mark.parametrize("path", ["../x.html", "/etc/passwd", "a/../../b", "C:\\x", "", "a//b"])
def test_output_paths_cannot_escape(path):
    with pytest.raises(WriteError):
        safe_relative(path)


def test_numbers_are_written_for_readers():
    assert format_number(1600000) == "1.6 million"
    assert format_number(81650) == "81,650"
    assert format_number(5000.0) == "5,000"
