"""Conversions a source gives ("5,000 tons (11 million pounds)"), checked with the pint units
library within the rounding the written figures imply.

Owns: `check_conversion` and its answer, `Conversion`; the words editors write for units
("tons", "lbs", "nautical miles", "km/h") and what they can mean; the one pint registry, built
on first use (0.2–0.35 s, plus 0.15–0.25 s to import pint) and kept for the life of the process.
Pure: no I/O beyond pint reading its bundled definitions, no network, deterministic. Imports
nothing of ours but the number formatting its messages use.

The rule, in full:

- The converted figure is what the source wrote, so it was rounded: it may be off by half a unit
  of its last significant digit (11,000,000 → ±500,000; 6.2 → ±0.05; 74,000 → ±500; 19 → ±0.5).
- The original may have been rounded too, by half a unit of its last written decimal (4.5 km →
  ±0.05 km). A whole-number original is taken as written: its trailing zeros do not say whether
  it was rounded, and reading "10 km" as anywhere from 5 to 15 km would pass almost any
  conversion (10 km would "be" 7 miles).
- The conversion holds when some value within the original's rounding converts into the
  converted figure's rounding; for a range, at both ends, under one reading.
- A unit with several common readings ("tons": metric, short or long; "gallons": US or
  imperial) holds if any reading fits, and the answer names every reading that fits, always in
  the order metric, short, long (US, imperial for volumes).
- A unit pint does not know ("artillery shells", "US dollars", "soldiers") or one without a
  physical dimension ("percent") is not checked (`checked=False`), and that is not an error.
- Two known units of different dimensions (km and kg) are checked and do not hold
  (`checked=True, holds=False`): a conversion between them is a mistake worth a warning, and
  the reason says what each unit measures.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .numbers import format_value

# An informal unit word (lower case, single spaces) → its readings: (pint expression, what the
# reading is called on the fact page). One reading: the word is unambiguous and the name is
# not shown. Words pint reads correctly by itself (km, miles, metres, feet, knots, litres,
# kilograms, mph, acres…) need no entry.
METRIC_TON = ("metric_ton", "metric tons")
SHORT_TON = ("short_ton", "short tons")
LONG_TON = ("long_ton", "long tons")
TONS = (METRIC_TON, SHORT_TON, LONG_TON)
GALLONS = (("gallon", "US gallons"), ("imperial_gallon", "imperial gallons"))
PINTS = (("pint", "US pints"), ("imperial_pint", "imperial pints"))
NAUTICAL_MILE = (("nautical_mile", "nautical miles"),)
KM_PER_HOUR = (("kilometer / hour", "kilometres per hour"),)
CELSIUS = (("degC", "degrees Celsius"),)
FAHRENHEIT = (("degF", "degrees Fahrenheit"),)


def _forms(words: str, readings) -> dict:
    """Each of the |-separated `words`, and its plural, → readings."""
    table = {}
    for word in words.split("|"):
        table[word] = readings
        if word[-1].isalpha() and not word.endswith("s"):
            table[word + "s"] = readings
    return table


ALIASES: dict[str, tuple[tuple[str, str], ...]] = {
    **_forms("ton", TONS),
    **_forms("tonne|metric ton|metric tonne|t", (METRIC_TON,)),
    **_forms("short ton|us ton|net ton", (SHORT_TON,)),
    **_forms("long ton|imperial ton|uk ton|gross ton", (LONG_TON,)),
    **_forms("lb|lbs|pound", (("pound", "pounds"),)),
    **_forms("gallon|gal", GALLONS),
    **_forms("us gallon", (GALLONS[0],)),
    **_forms("imperial gallon|uk gallon", (GALLONS[1],)),
    **_forms("pint", PINTS),
    # In news "barrels" are barrels of oil (42 US gallons); pint's plain "barrel" is 31.5.
    **_forms("barrel|bbl|oil barrel|barrels of oil|barrel of oil", (("oil_barrel", "barrels"),)),
    # At sea "nm" is the nautical mile, never pint's nanometre.
    **_forms("nautical mile|nmi|nm", NAUTICAL_MILE),
    "miles": (("mile", "miles"),), "mile": (("mile", "miles"),),
    **_forms("statute mile", (("mile", "miles"),)),
    **_forms("knot|kn|kts", (("knot", "knots"),)),
    **_forms("kmh|km/hr|kph|km per hour", KM_PER_HOUR),
    **_forms("°c|degrees celsius|degree celsius|celsius|degrees c|deg c", CELSIUS),
    **_forms("°f|degrees fahrenheit|degree fahrenheit|fahrenheit|degrees f|deg f", FAHRENHEIT),
}
POWERS = {"square": 2, "sq": 2, "cubic": 3, "cu": 3}

# What a dimension is, in words, for messages; others are said in pint's notation.
DIMENSIONS = {
    (("[length]", 1),): "a length", (("[length]", 2),): "an area",
    (("[length]", 3),): "a volume", (("[mass]", 1),): "a mass", (("[time]", 1),): "a time",
    (("[length]", 1), ("[time]", -1)): "a speed", (("[temperature]", 1),): "a temperature",
    (("[length]", 2), ("[mass]", 1), ("[time]", -2)): "an energy",
    (("[length]", 2), ("[mass]", 1), ("[time]", -3)): "a power",
}
SIGNIFICANT = 4  # digits a computed value keeps in `expected` and in messages

_REGISTRY = None
_LOCK = threading.Lock()


def registry():
    """The one pint UnitRegistry, built on first use from pint's bundled definitions (no cache
    folder, no network) and shared by every later call, from any thread."""
    global _REGISTRY
    if _REGISTRY is None:
        with _LOCK:
            if _REGISTRY is None:
                import pint  # imported here too: 0.15 s a build without conversions never pays

                _REGISTRY = pint.UnitRegistry()
    return _REGISTRY


@dataclass(frozen=True)
class Reading:
    unit: object  # a pint Unit
    name: str  # "metric tons"; "" where the written word has one reading only


@dataclass(frozen=True)
class Conversion:
    """What `check_conversion` found. A validator warns when `checked and not holds`."""

    checked: bool  # both units known to pint, each with a physical dimension
    holds: bool  # checked, and some reading fits at both ends; False whenever not checked
    reading: str  # the readings that fit, in words: "metric tons or long tons"; "" when the
    #               units have one reading each, or when none fits
    readings: tuple[str, ...]  # the same, one name each, in the fixed order of the rule
    # `value` in the converted unit (a pair for a range) to 4 significant digits, under the
    # first reading that fits, else the first reading; None when not checked or incompatible
    expected: float | tuple[float, float] | None
    computed: tuple[tuple[str, float | tuple[float, float]], ...]  # (reading, value) for each
    #               reading tried, in order; the name is "" for a unit with one reading
    reason: str  # one sentence for the fact page or the warning, with both figures


def check_conversion(value, unit: str, converted_value, converted_unit: str) -> Conversion:
    """Whether `converted_value converted_unit` is `value unit` converted, within the rounding
    the written figures imply (see the module's docstring). Each value is a number or a
    (low, high) pair; a range must be converted to a range. Never raises."""
    try:
        return _check(value, unit, converted_value, converted_unit)
    except Exception as exc:  # pint raises many kinds; a check must never stop a build
        return _unchecked(f"the units library could not convert {unit!r} to "
                          f"{converted_unit!r} ({type(exc).__name__})")


def _unchecked(reason: str) -> Conversion:
    return Conversion(False, False, "", (), None, (), reason)


def _check(value, unit, converted_value, converted_unit) -> Conversion:
    ends, converted_ends = _ends(value), _ends(converted_value)
    if ends is None or converted_ends is None:
        return _unchecked("a figure is not a finite number")
    if len(ends) != len(converted_ends):
        return _unchecked("a range and a single figure cannot be compared")
    originals, targets = readings(unit), readings(converted_unit)
    for written, found in ((unit, originals), (converted_unit, targets)):
        if not isinstance(written, str) or not written.strip():
            return _unchecked("a figure without a unit cannot be checked")
        if found is None:
            return _unchecked(f"'{written}' is not a unit the units library knows")
        if found[0].unit.dimensionless:
            return _unchecked(f"'{written}' has no physical dimension")
    if originals[0].unit.dimensionality != targets[0].unit.dimensionality:
        return Conversion(
            True, False, "", (), None, (),
            f"'{unit}' ({_dimension(originals[0].unit)}) cannot be converted to "
            f"'{converted_unit}' ({_dimension(targets[0].unit)})")

    allowed = tuple(_rounding_interval(c) for c in converted_ends)
    computed, fitting = [], []
    for source in originals:
        for target in targets:
            name = " to ".join(n for n in (source.name, target.name) if n)
            exact = tuple(_convert(v, source.unit, target.unit) for v in ends)
            spans = tuple(_convert_interval(v, source.unit, target.unit) for v in ends)
            computed.append((name, _shape(tuple(_round(x) for x in exact))))
            if all(_overlaps(span, window) for span, window in zip(spans, allowed)):
                fitting.append(name)
    holds = bool(fitting)
    named = tuple(n for n in fitting if n)
    expected = dict(computed)[fitting[0]] if holds else computed[0][1]
    return Conversion(True, holds, _join(named, "or"), named, expected, tuple(computed),
                      _reason(value, unit, converted_value, converted_unit, computed,
                              allowed, named, holds))


def _ends(value) -> tuple | None:
    """The figures of a value: (v,) or (low, high); None when one is not a finite number."""
    ends = tuple(value) if isinstance(value, (list, tuple)) else (value,)
    if len(ends) not in (1, 2):
        return None
    for v in ends:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            return None
    return ends


def _shape(ends: tuple):
    return ends[0] if len(ends) == 1 else ends


def _decimal(value) -> Decimal:
    """The number as written: 6.2 is Decimal('6.2'), not the binary float's 6.2000000000000002."""
    if isinstance(value, float):
        return Decimal(repr(value)) if not value.is_integer() else Decimal(int(value))
    return Decimal(value)


def _rounding_interval(value) -> tuple[float, float]:
    """The values a converted figure as written may stand for: half a unit of its last
    significant digit either way (11,000,000 → 10.5–11.5 million; 6.2 → 6.15–6.25)."""
    exact = _decimal(value)
    exponent = exact.normalize().as_tuple().exponent if exact else 0
    half = Decimal(5).scaleb(exponent - 1)
    return float(exact - half), float(exact + half)


def _original_rounding(value) -> Decimal:
    """Half a unit of the original's last written decimal (4.5 → 0.05); 0 for a whole number."""
    exact = _decimal(value)
    exponent = exact.normalize().as_tuple().exponent
    return Decimal(5).scaleb(exponent - 1) if exponent < 0 else Decimal(0)


def _convert(value, source, target) -> float:
    return float(registry().Quantity(float(value), source).to(target).magnitude)


def _convert_interval(value, source, target) -> tuple[float, float]:
    half = _original_rounding(value)
    exact = _decimal(value)
    ends = (_convert(exact - half, source, target), _convert(exact + half, source, target))
    return min(ends), max(ends)  # every conversion pint makes is monotonic


def _overlaps(span: tuple[float, float], window: tuple[float, float]) -> bool:
    slack = 1e-9 * max(abs(window[0]), abs(window[1]), abs(span[0]), abs(span[1]))
    return span[0] <= window[1] + slack and span[1] >= window[0] - slack


def _round(value: float) -> float:
    if value == 0 or not math.isfinite(value):
        return value
    digits = SIGNIFICANT - 1 - math.floor(math.log10(abs(value)))
    rounded = round(value, digits)
    return float(int(rounded)) if rounded.is_integer() else rounded


def _dimension(unit) -> str:
    key = tuple(sorted(dict(unit.dimensionality).items()))
    return DIMENSIONS.get(key, f"of dimension {unit.dimensionality}")


def _join(names, word: str) -> str:
    """"a", "a or b", "a, b or c"."""
    return f" {word} ".join(filter(None, (", ".join(names[:-1]), names[-1]))) if names else ""


def _said(value, unit: str) -> str:
    return f"{format_value(value)} {unit}".strip()


def _reason(value, unit, converted_value, converted_unit, computed, allowed, named,
            holds) -> str:
    results = [f"{_said(v, converted_unit)}{' as ' + n if n else ''}" for n, v in computed]
    said = f"{_said(value, unit)} is {_join(results, 'or')}"
    window = " and ".join(format_value(w) for w in allowed)
    written = _said(converted_value, converted_unit)
    if not holds:
        return f"{said}, not {written} (which allows {window})"
    fits = f", which {_join(named, 'and')} fit" if named else ""
    return f"{said}; {written} as written allows {window}{fits}"


# --- unit words -----------------------------------------------------------------------------


def readings(text: str) -> tuple[Reading, ...] | None:
    """What a written unit can mean, each reading a pint unit; None when pint does not know it
    (after normalising plurals and informal words: "tons", "lbs", "nautical miles", "km/h")."""
    if not isinstance(text, str):
        return None
    return _readings(" ".join(text.split()))


@lru_cache(maxsize=1024)
def _readings(text: str) -> tuple[Reading, ...] | None:
    if not text:
        return None
    word = text.lower().replace("²", "2").replace("³", "3").rstrip(".")
    if word in ALIASES:
        units = registry()
        return tuple(Reading(units.parse_units(expr), name if len(ALIASES[word]) > 1 else "")
                     for expr, name in ALIASES[word])
    compound = re.fullmatch(r"(.+?)\s*(?:/|\bper\b)\s*(.+)", word)
    if compound:
        top, bottom = _readings(compound.group(1)), _readings(compound.group(2))
        if top is None or bottom is None:
            return None
        over, under = compound.groups()
        return tuple(Reading(t.unit / b.unit, f"{t.name or over} per {b.name or under}"
                             if t.name or b.name else "") for t in top for b in bottom)
    power = re.fullmatch(r"(square|sq|cubic|cu)\.?\s+(.+)", word) or \
        re.fullmatch(r"(.+?)\s*([23])", word)
    if power:
        base, exponent = power.groups()
        if base in POWERS:
            base, exponent = exponent, POWERS[base]
        found = _readings(base)
        if found is None:
            return None
        return tuple(Reading(r.unit ** int(exponent), r.name) for r in found)
    for candidate in (text, word):  # as written first: "MW" is a megawatt, "mW" a milliwatt
        unit = _pint_unit(candidate)
        if unit is not None:
            return (Reading(unit, ""),)
    return None


def _pint_unit(text: str):
    """pint's reading of a unit expression, or None; never a number ("2 km") or an error."""
    if not re.fullmatch(r"[^\W\d][\w ./*^°µ-]*", text):
        return None
    try:
        return registry().parse_units(text)
    except Exception:  # UndefinedUnitError, DefinitionSyntaxError, ValueError, TokenError…
        return None
