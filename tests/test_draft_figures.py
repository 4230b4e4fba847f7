"""Dates and quantities read from a sentence for a draft fact: EDTF with inferred years marked,
and figures with their units, hedges and the source's own conversions."""

from __future__ import annotations

import pytest

from factsheet import units
from factsheet.dates import parse_date
from factsheet.drafting.amounts import find_quantities
from factsheet.drafting.dating import (YearReference, date_of, find_dates, reference_at,
                                       stated_years)

NEAREST = YearReference(nearest=(2024, "paragraph 7", "from August 2023 to January 2024"))


def edtf(text: str, reference: YearReference = NEAREST) -> str:
    return date_of(find_dates(text), reference)[0]


@pytest.mark.parametrize("text, expected", [
    ("the attack occurred on October 3.", "2024?-10-03"),
    ("On June 19, Vladimir Putin and Kim Jong Un signed", "2024?-06-19"),
    ("in the summer of 2022, North Korea began", "2022-22"),
    ("from August 2023 to January 2024, North Korea supplied", "2023-08/2024-01"),
    ("However, by June 27, information emerged", "../2024-06-27?"),
    ("on 3 October 2024", "2024-10-03"),
    ("October 3, 2024, was", "2024-10-03"),
    ("in March 2022", "2022-03"),
    ("in 2022", "2022"),
    ("since 2014", "2014/.."),
    ("from December 19 to January 5, 2024", "2023-12-19/2024-01-05"),
    ("between June 19 and June 20", "2024?-06-19/2024?-06-20"),
])
def test_dates_as_edtf(text, expected):
    assert edtf(text) == expected
    parse_date(expected)  # every proposed date is one the validator accepts


@pytest.mark.parametrize("text", ["Over 20 soldiers were killed.", "May was quiet.",
                                  "1,200 tons in 2000 ships", "the 1990s"])
def test_no_date(text):
    assert edtf(text) == ""


def test_an_inferred_year_says_where_it_came_from():
    date, note = date_of(find_dates("on June 18"), NEAREST)
    assert date == "2024?-06-18"
    assert "2024 is inferred" in note and "paragraph 7" in note and "uncertain" in note
    assert date_of(find_dates("in the summer of 2022"), NEAREST) == ("2022-22", "")


def test_where_a_missing_year_comes_from_in_order():
    published = YearReference(published=(2024, 3, 1), nearest=(2019, "paragraph 1", "in 2019"))
    assert edtf("on October 3", published) == "2024?-10-03"  # said before or after: a guess
    assert edtf("on February 3", published) == "2024?-02-03"
    document = YearReference(latest_in_document=(2024, "paragraph 7"))
    assert edtf("on October 3", document) == "2024?-10-03"
    assert "latest year the document gives" in date_of(find_dates("on October 3"), document)[1]
    assert edtf("on October 3", YearReference()) == "XXXX-10-03"


def test_the_reference_is_the_nearest_year_stated_before_the_sentence():
    text = ("In the summer of 2022, arms were sent.\nMoscow sent tanks.\nOn June 18 it "
            "spoke.\nFrom August 2023 to January 2024, shells were sent.\nOn June 20 it spoke.")
    stated = stated_years(text)
    assert [(year, where) for _, year, where, _ in stated] == [
        (2022, "paragraph 1"), (2023, "paragraph 4"), (2024, "paragraph 4")]
    first = text.index("On June 18")
    assert edtf("on June 18", reference_at(stated, first, None)) == "2022?-06-18"
    assert edtf("on June 20", reference_at(stated, text.index("On June 20"), None)) == \
        "2024?-06-20"
    before_any = reference_at(stated, 0, None)  # nothing before: the latest year anywhere
    assert before_any.nearest is None and before_any.latest_in_document == (2024, "paragraph 4")


# --- quantities ------------------------------------------------------------------------------

def test_nearly_5000_tons_and_the_converted_11_million_pounds():
    found, notes = find_quantities("From North Korea to Russia, nearly 5,000 tons (11 million "
                                   "pounds) of artillery shells and ballistic missiles were sent.")
    label = "artillery shells and ballistic missiles sent"
    assert found == [
        {"value": 5000, "qualifier": "nearly", "unit": "tons", "label": label},
        {"value": 11000000, "qualifier": "nearly", "unit": "pounds", "label": label,
         "converted": True}]
    assert notes == []


def test_about_1_6_million_artillery_shells():
    found, _ = find_quantities("North Korea supplied Russia with about 1.6 million artillery "
                               "shells.")
    assert found == [{"value": 1600000, "qualifier": "about", "unit": "artillery shells",
                      "label": "artillery shells"}]


def test_short_tons_converted_to_metric_tons():
    found, _ = find_quantities("a total of 81,650 short tons (74,000 metric tons) of explosives "
                               "were delivered")
    assert found == [
        {"value": 81650, "unit": "short tons", "label": "explosives delivered"},
        {"value": 74000, "unit": "metric tons", "label": "explosives delivered",
         "converted": True}]
    assert units.check_conversion(81650, "short tons", 74000, "metric tons").holds


@pytest.mark.parametrize("text, expected", [
    ("Over 20 soldiers were killed", {"value": 20, "qualifier": "more than", "unit": "soldiers",
                                      "label": "soldiers killed"}),
    ("Among the dead were six officers from North Korea",
     {"value": 6, "unit": "officers", "label": "officers from North Korea"}),
    ("Three more North Korean soldiers were injured.",
     {"value": 3, "unit": "soldiers", "label": "more North Korean soldiers injured"}),
    ("from two Far Eastern ports", {"value": 2, "unit": "ports", "label": "Far Eastern ports"}),
    ("fewer than 300 people", {"value": 300, "qualifier": "fewer than", "unit": "people",
                               "label": "people"}),
    ("up to 8 knots", {"value": 8, "qualifier": "up to", "unit": "knots", "label": "knots"}),
    ("It cost $4.3 billion", {"value": 4300000000, "unit": "$", "label": "$"}),
    ("twenty-five people died", {"value": 25, "unit": "people", "label": "people died"}),
])
def test_figures_with_units_and_hedges(text, expected):
    assert find_quantities(text)[0] == [expected]


def test_a_conversion_that_does_not_hold_is_not_marked_converted():
    found, notes = find_quantities("The dredger worked 12 miles (25 km) offshore.")
    assert [q.get("converted", False) for q in found] == [False, False]
    assert "12 miles is 19.31 km" in notes[0]


def test_number_words_without_a_noun_and_dates_are_not_figures():
    assert find_quantities("one of them said so")[0] == []
    text = "the attack occurred on October 3, 2024"
    spans = [(p.start, p.end) for p in find_dates(text)]
    assert find_quantities(text, spans)[0] == []


@pytest.mark.parametrize("text, value, unit", [
    ("losses of between 4.3 and 5.2 billion US dollars", [4300000000, 5200000000], "US dollars"),
    ("between 950,000 and 1.2 million people", [950000, 1200000], "people"),
    ("at 8 to 10 knots", [8, 10], "knots"),
    ("8\u201310 knots", [8, 10], "knots"),
])
def test_ranges_are_one_figure(text, value, unit):
    [quantity], _ = find_quantities(text)
    assert (quantity["value"], quantity["unit"]) == (value, unit)


def test_times_of_day_are_not_figures():
    assert find_quantities("07:40 The coastguard lifted them at half past one, by nine "
                           "o'clock and 3 p.m.")[0] == []


def test_the_word_one_is_a_determiner_not_a_figure():
    assert find_quantities("I have just one thing at the top")[0] == []
    assert find_quantities("one more question")[0] == []
    assert [q["value"] for q in find_quantities("1 ship and one million tons sank")[0]] == \
        [1, 1000000]
