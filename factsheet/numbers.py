"""Numbers as readers see them, and the check that keeps impossible ones out of a briefing.

Owns: `format_number` (the `number` template filter: "1.5 million", "81,650") and
`check_finite` (the validator's test for .nan, .inf, 1.0e+400 and 16-digit slips). Imports
nothing of ours. `format_number` is total: whatever it is given, it returns text.
"""

from __future__ import annotations

import math
from decimal import Decimal

LIMIT = 10 ** 15  # sixteen digits: more than any count or sum a briefing reports


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


def format_number(value) -> str:
    """`value` for readers: whole millions as "1.6 million", others with thousands separators
    ("81,650", "5,000" for 5000.0). Never raises: values validation rejects (non-finite, 16 or
    more digits) get a plain, honest rendering rather than an error at render time."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # "nan", "inf", "-inf"
    if abs(value) >= LIMIT:
        # Decimal holds ints of any size and floats exactly; dividing a 400-digit int by
        # 100,000 as the rule below does would overflow a float.
        return format(Decimal(value), ".3g")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if abs(value) >= 1_000_000 and (value / 100_000) == int(value / 100_000):
        return f"{value / 1_000_000:g} million"
    return f"{value:,}"
