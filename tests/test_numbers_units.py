"""Numbers in words, ranges, figures with units, and conversions checked with pint."""

from __future__ import annotations

import socket

import pytest

from factsheet.numbers import format_number, format_quantity, format_range, format_value
from factsheet import units
from factsheet.units import check_conversion, readings

# --- numbers in words ---------------------------------------------------------------------


@pytest.mark.parametrize("value, text", [
    (4_300_000_000, "4.3 billion"), (4.3e9, "4.3 billion"), (1_250_000, "1.25 million"),
    (1_500_000, "1.5 million"), (1_000_000, "1 million"), (11_000_000.0, "11 million"),
    (999_500_000, "999.5 million"), (1_600_000_000_000, "1.6 trillion"),
    (-1_250_000, "-1.25 million"),
    # words would round them: the digits stay
    (1_234_567, "1,234,567"), (1_000_500, "1,000,500"), (1_234_500_000, "1,234,500,000"),
    (1_250_000.5, "1,250,000.5"),
    # below a million: thousands separators
    (950_000, "950,000"), (999_999, "999,999"), (35, "35"), (0, "0"), (-4, "-4"),
    (2.5, "2.5"), (0.75, "0.75"), (5000.0, "5,000"),
])
def test_numbers_are_said_in_words_only_where_exact(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize("low, high, text", [
    (4.3e9, 5.2e9, "4.3–5.2 billion"), (8, 10, "8–10"), (950_000, 1.2e6, "950,000–1.2 million"),
    (1.5e6, 2e9, "1.5 million–2 billion"), (1_234_567, 2_000_000, "1,234,567–2 million"),
    (2.5, 3.75, "2.5–3.75"), (15, 19, "15–19"), (-5, -2, "-5 to -2"), (3, 3, "3"),
    ("a", None, "a–None"),
])
def test_ranges_use_an_en_dash_and_say_a_shared_scale_once(low, high, text):
    assert format_range(low, high) == text


@pytest.mark.parametrize("value, unit, text", [
    (10, "%", "10%"), ((8, 10), "%", "8–10%"), (10, "percent", "10 percent"),
    ((8, 10), "knots", "8–10 knots"), ([8, 10], "knots", "8–10 knots"),
    ((4.3e9, 5.2e9), "US dollars", "4.3–5.2 billion US dollars"),
    (4.3e9, "$", "$4.3 billion"), (-5, "$", "-$5"), (1_600_000, "artillery shells",
                                                     "1.6 million artillery shells"),
    (35, "", "35"), (35, None, "35"), (5000, " tons ", "5,000 tons"),
])
def test_quantities_join_only_symbols_to_their_figure(value, unit, text):
    assert format_quantity(value, unit) == text


def test_format_value_takes_a_number_or_a_pair():
    assert format_value(1_250_000) == "1.25 million"
    assert format_value((4.3e9, 5.2e9)) == "4.3–5.2 billion"
    assert format_value((1, 2, 3)) == "(1, 2, 3)"  # total, never raises


# --- conversions --------------------------------------------------------------------------


def test_nearly_5000_tons_is_11_million_pounds_as_metric_or_long_tons():
    result = check_conversion(5000, "tons", 11_000_000, "pounds")
    assert (result.checked, result.holds) == (True, True)
    assert result.readings == ("metric tons", "long tons")  # short tons: 10 million lb
    assert result.reading == "metric tons or long tons"
    assert result.expected == 11_020_000
    assert result.computed == (("metric tons", 11_020_000), ("short tons", 10_000_000),
                               ("long tons", 11_200_000))
    assert result.reason == (
        "5,000 tons is 11.02 million pounds as metric tons, 10 million pounds as short tons or "
        "11.2 million pounds as long tons; 11 million pounds as written allows 10.5–11.5 "
        "million, which metric tons and long tons fit")


def test_5000_tons_is_not_20_million_pounds_and_the_message_gives_the_figures():
    result = check_conversion(5000, "tons", 20_000_000, "pounds")
    assert (result.checked, result.holds, result.reading, result.readings) == \
        (True, False, "", ())
    assert result.expected == 11_020_000  # the first reading: metric
    assert result.reason == (
        "5,000 tons is 11.02 million pounds as metric tons, 10 million pounds as short tons or "
        "11.2 million pounds as long tons, not 20 million pounds (which allows 15–25 million)")


def test_10_km_is_6_2_miles_but_not_7():
    fits = check_conversion(10, "km", 6.2, "miles")
    assert (fits.checked, fits.holds, fits.reading, fits.expected) == (True, True, "", 6.214)
    assert fits.reason == "10 km is 6.214 miles; 6.2 miles as written allows 6.15–6.25"
    wrong = check_conversion(10, "km", 7, "miles")
    assert (wrong.checked, wrong.holds, wrong.expected) == (True, False, 6.214)
    assert wrong.reason == "10 km is 6.214 miles, not 7 miles (which allows 6.5–7.5)"


def test_a_range_is_checked_at_both_ends():
    result = check_conversion((8, 10), "knots", (15, 19), "km/h")
    assert (result.checked, result.holds, result.expected) == (True, True, (14.82, 18.52))
    assert result.reason == ("8–10 knots is 14.82–18.52 km/h; 15–19 km/h as written allows "
                             "14.5–15.5 and 18.5–19.5")
    one_end_wrong = check_conversion([8, 10], "knots", [15, 21], "km/h")
    assert (one_end_wrong.checked, one_end_wrong.holds) == (True, False)
    mixed = check_conversion((8, 10), "knots", 17, "km/h")
    assert (mixed.checked, mixed.reason) == (False, "a range and a single figure cannot be "
                                                    "compared")


def test_the_original_may_be_rounded_in_its_decimals_but_a_whole_number_is_as_written():
    # 4.5 km may be 4.45–4.55 km = 2.765–2.827 miles: 2.77 fits, though 4.5 km is 2.796
    assert check_conversion(4.5, "km", 2.77, "miles").holds
    assert not check_conversion(4.5, "km", 2.9, "miles").holds
    # 10 km is 10 km: read as 9.5–10.5 km it would "be" 7 miles (10.46 km rounds both ways)
    assert not check_conversion(10, "km", 7, "miles").holds


@pytest.mark.parametrize("value, unit, converted, converted_unit", [
    (81_650, "short tons", 74_000, "metric tons"),  # the bundled briefing's own conversion
    (12, "nautical miles", 22, "km"), (12, "nm", 22.2, "km"), (1000, "feet", 300, "metres"),
    (3, "miles", 4.8, "kilometres"), (2, "litres", 0.53, "gallons"),
    (100, "barrels", 4200, "gallons"), (50, "kilograms", 110, "lbs"), (50, "kg", 110, "lb"),
    (20, "°C", 68, "°F"), (10, "square km", 3.9, "sq mi"), (30, "knots", 56, "kilometres per hour"),
    (5, "tonnes", 11_000, "pounds"), (1, "meters", 3.3, "feet"), (5, "MW", 5000, "kW"),
])
def test_informal_unit_words_are_understood(value, unit, converted, converted_unit):
    result = check_conversion(value, unit, converted, converted_unit)
    assert (result.checked, result.holds) == (True, True), result.reason


def test_gallons_are_us_or_imperial_and_the_reading_is_named():
    result = check_conversion(100, "barrels", 4200, "gallons")
    assert result.readings == ("US gallons",)  # imperial: 3,497
    assert result.computed == (("US gallons", 4200), ("imperial gallons", 3497))


@pytest.mark.parametrize("unit, other", [
    ("artillery shells", "shells"), ("soldiers", "people"), ("US dollars", "euros"),
    ("dollars", "pounds"), ("percent", "%"), ("", "km"), ("km", None),
])
def test_units_the_library_does_not_know_are_not_checked(unit, other):
    result = check_conversion(1_600_000, unit, 1_600_000, other)
    assert (result.checked, result.holds, result.expected) == (False, False, None)
    assert result.reason  # says why, for a note; not an error


def test_incompatible_dimensions_are_checked_and_do_not_hold():
    # Chosen: both units are known, so the check ran; a "conversion" from a length to a mass
    # is a mistake in the content, and a warning should say so.
    result = check_conversion(10, "km", 10, "kg")
    assert (result.checked, result.holds, result.expected) == (True, False, None)
    assert result.reason == "'km' (a length) cannot be converted to 'kg' (a mass)"


@pytest.mark.parametrize("value, converted", [
    ("5000", 1), (None, 1), (float("nan"), 1), (float("inf"), 1), (True, 1), ((1, 2, 3), 1),
])
def test_check_conversion_never_raises(value, converted):
    result = check_conversion(value, "tons", converted, "pounds")
    assert not result.checked and result.reason


def test_unit_words_normalise_before_pint_reads_them():
    assert [r.name for r in readings("tons")] == ["metric tons", "short tons", "long tons"]
    assert [r.name for r in readings("Tons")] == ["metric tons", "short tons", "long tons"]
    assert str(readings("lbs")[0].unit) == "pound"
    assert str(readings("nautical miles")[0].unit) == "nautical_mile"
    assert str(readings("km²")[0].unit) == "kilometer ** 2"
    assert str(readings("MW")[0].unit) == "megawatt"  # case kept where pint needs it
    assert readings("2 km") is None and readings("artillery shells") is None
    assert readings(None) is None


def test_the_units_library_works_offline(monkeypatch):


    def no_network(*args, **kwargs):
        raise AssertionError("pint tried to open a socket")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(units, "_REGISTRY", None)  # built anew, under the guard
    assert units.registry().Quantity(5000, "metric_ton").to("pound").magnitude == \
        pytest.approx(11_023_113.1)
    assert units.check_conversion(5000, "tons", 11_000_000, "pounds").holds
