"""Numbers as readers see them, and the check that keeps impossible ones out of a briefing.

Owns: `format_number` (the `number` template filter: "81,650", "1.25 million", "4.3 billion"),
`format_range` ("4.3–5.2 billion", "8–10"), `format_value` (either), `format_quantity` (a figure
with its unit: "10%", "8–10 knots") and `check_finite` (the validator's test for .nan, .inf,
1.0e+400 and 16-digit slips). Imports nothing of ours. Every formatter is total: whatever it is
given, it returns text.
"""

from __future__ import annotations

import math
from decimal import Decimal

LIMIT = 10 ** 15  # sixteen digits: more than any count or sum a briefing reports

# Largest first. A figure of a million or more is said in words when the word and at most
# WORD_DECIMALS decimals say it exactly ("1.25 million"); otherwise its digits are kept.
SCALES = ((12, "trillion"), (9, "billion"), (6, "million"))  # power of ten, word
WORD_DECIMALS = 3
EN_DASH = "\u2013"
# Units written straight after the figure, with no space ("10%"); every other unit, "percent"
# included, is a word after a space.
JOINED_UNITS = frozenset({"%", "\u2030"})  # per cent, per mille
# Currency symbols written before the figure ("$4.3 billion"); currency names ("US dollars")
# are ordinary units and follow it.
PREFIX_UNITS = frozenset({"$", "US$", "€", "£", "¥"})


def check_finite(value) -> str | None:
    """What is wrong with the number `value`, in a reader's words, or None if nothing is.

    YAML reads `.nan` as NaN, `.inf` as infinity and a float too large to hold (1.0e+400) as
    infinity too, so an infinity may have been written as an ordinary-looking number.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None  # not a number at all: the type check says so, not this one
    if isinstance(value, float) and math.isnan(value):
        return "not a number (.nan)"
    if isinstance(value, float) and math.isinf(value):
        sign = "-" if value < 0 else ""
        return f"infinite ({sign}.inf, or a number too large to hold such as {sign}1.0e+400)"
    if abs(value) >= LIMIT:
        return "more than 15 digits — is this a typo?"
    return None


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _in_words(value) -> tuple[str, str] | None:
    """(figure, scale word) when `value` is a million or more and a scale word with at most
    three decimals says it exactly: 1_250_000 → ("1.25", "million"); else None."""
    exact = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    for power, word in SCALES:
        if abs(exact) >= 10 ** power:
            scaled = exact.scaleb(-power)  # exact: a shift of the decimal point
            if scaled != scaled.quantize(Decimal(1).scaleb(-WORD_DECIMALS)):
                return None  # 1,234,567: the words would round it
            return format(scaled.normalize(), "f"), word
    return None


def _parts(value) -> tuple[str, str]:
    """(figure, scale word or "") of a number; the scale word is "" below a million or where
    the digits are kept. Never raises."""
    if not _is_number(value):
        return str(value), ""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value), ""  # "nan", "inf", "-inf"
    if abs(value) >= LIMIT:
        # Decimal holds ints of any size and floats exactly; a float division of a 400-digit
        # int would overflow.
        return format(Decimal(value), ".3g"), ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    words = _in_words(value) if abs(value) >= 10 ** 6 else None
    if words:
        return words
    return f"{value:,}", ""


def format_number(value) -> str:
    """`value` for readers: thousands separators below a million ("950,000", "35", "5,000" for
    5000.0, "2.5"), words from a million on where they are exact with at most three decimals
    ("1.25 million", "4.3 billion", "1.6 trillion"), digits where they would not be
    ("1,234,567"). Never raises: values validation rejects (non-finite, 16 or more digits) get a
    plain, honest rendering rather than an error at render time."""
    figure, word = _parts(value)
    return f"{figure} {word}" if word else figure


def format_range(low, high) -> str:
    """A range with an en dash, its scale word said once when both ends share it:
    (4.3e9, 5.2e9) → "4.3–5.2 billion", (8, 10) → "8–10", (950000, 1.2e6) →
    "950,000–1.2 million". A range with a negative end reads "-5 to -2" (a dash beside a minus
    sign misreads); equal ends are one number. Never raises."""
    if _is_number(low) and _is_number(high) and low == high:
        return format_number(low)
    (low_figure, low_word), (high_figure, high_word) = _parts(low), _parts(high)
    negative = any(_is_number(v) and v < 0 for v in (low, high))
    if low_word and low_word == high_word and not negative:
        return f"{low_figure}{EN_DASH}{high_figure} {high_word}"
    separator = " to " if negative else EN_DASH
    return format_number(low) + separator + format_number(high)


def _is_pair(value) -> bool:
    return isinstance(value, (list, tuple)) and len(value) == 2


def format_value(value) -> str:
    """A quantity's value: a number (`format_number`) or a (low, high) pair (`format_range`)."""
    return format_range(*value) if _is_pair(value) else format_number(value)


def format_quantity(value, unit: str = "") -> str:
    """A figure or range with its unit as text: "10%", "8–10%", "10 percent", "8–10 knots",
    "4.3–5.2 billion US dollars", "$4.3 billion", "35" (no unit). Only a symbol joins the
    figure (% after it, a currency symbol before it); a unit in words follows after a space and
    is never changed. Never raises."""
    figure = format_value(value)
    unit = unit.strip() if isinstance(unit, str) else ("" if unit is None else str(unit))
    if not unit:
        return figure
    if unit in JOINED_UNITS:
        return figure + unit
    if unit in PREFIX_UNITS:
        if figure.startswith("-"):
            return "-" + unit + figure[1:]
        return unit + figure
    return f"{figure} {unit}"
