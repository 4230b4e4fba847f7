"""Numbers: placeholder until the numbers module lands (owned by the dates/numbers work)."""

from __future__ import annotations

import math


def check_finite(value) -> str | None:
    if isinstance(value, float) and not math.isfinite(value):
        return "not a finite number"
    return None


def format_number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if abs(value) >= 1_000_000 and (value / 100_000) == int(value / 100_000):
        return f"{value / 1_000_000:g} million"
    return f"{value:,}"
