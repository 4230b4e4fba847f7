"""Figures in a sentence, as the content format's quantities: value, unit, qualifier, label,
and the source's own conversion of the figure before it.

Owns: `find_quantities`. A figure is digits ("5,000", "1.6 million") or a number word ("six",
"twenty-five"); the hedge before it ("nearly", "over", "about") becomes its `qualifier` through
the qualifier vocabulary and its synonyms; its unit is a unit the units library knows ("short
tons", "pounds", "km") or else the count noun after it ("artillery shells", "soldiers"). A
figure in brackets right after another ("5,000 tons (11 million pounds)") is the source's
conversion of it: `converted: true`, and checked with `units.check_conversion` as the build will
check it. A number word with no noun after it ("one of them") is not a figure, nor is the word
"one" ("one thing at the top", "one more question": a determiner, far more often than a count;
the digit "1" is a figure); neither is a
number inside a date phrase, whose spans the caller passes in.

quantulum3 (PyPI) was tried for this and not used: it takes five seconds to load, reads count
nouns ("artillery shells", "soldiers") as dimensionless, keeps no hedges and takes "October 3"
and "2024" for quantities; the rules here are few and each is tested.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .. import units, vocabulary

SCALES = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}
SMALL = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
NUMBER_WORDS = {**{w: i for i, w in enumerate(SMALL)}, **TENS, "dozen": 12, "hundred": 100}
CURRENCY = {"$": "$", "US$": "US$", "€": "€", "£": "£", "¥": "¥"}
# Words that end a unit or a label: they belong to the sentence, not to what is counted.
STOP = frozenset("""
a an the and or but of in on at to from by for with as than that which who were was are is be
been being have has had will would could should may might can do does did not no more less
about over under into onto up down out off due per each every this these those its their his
her our your while when where after before since until during also still only just some such
""".split())
TIME_AFTER = re.compile(r"\s*(?:o'clock|o\u2019clock|a\.m\.|p\.m\.|am\b|pm\b|h\b)",
                        re.IGNORECASE)
MONEY = re.compile(r"\s*(?:(?:US|U\.S\.|American|Canadian|Australian|Hong Kong|Singapore|New "
                   r"Zealand)\s+)?(?:dollars|euros|yen|yuan|roubles|rubles|hryvnias|rupees|"
                   r"francs|won|pounds sterling)\b")
RANGE_JOIN = re.compile(r"\s*(-|\u2013|\u2014|to|and)\s*")
# A word right before a figure with no unit, when it is no hedge or preposition: "pier 17".
NAMED_BY_NUMBER = re.compile(r"\b(?!(?:" + "|".join(sorted(STOP)) + r")\s+$)[A-Za-z][\w-]*\s+$")
CLOCK = re.compile(r"\b(?:past|to|half|quarter|at)\s+$", re.IGNORECASE)  # "half past one"
MORE = frozenset("more other additional further".split())
_FIGURE = re.compile(
    r"(?:(?P<currency>US\$|[$€£¥])\s?)?"
    r"(?P<digits>(?<![\w.,:])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,:])\d+(?:\.\d+)?)"
    r"(?!\d|,\d|:\d)"
    r"(?:\s*(?P<scale>thousand|million|billion|trillion)\b)?"
    r"|(?P<word>\b(?:" + "|".join(sorted(TENS, key=len, reverse=True)) + r")(?:-(?:" +
    "|".join(SMALL[1:10]) + r"))?\b|\b(?:" + "|".join(sorted(SMALL[1:], key=len, reverse=True))
    + r"|a dozen|dozen)\b)(?:\s+(?P<wscale>thousand|million|billion)\b)?", re.IGNORECASE)
_UNIT_WORD = re.compile(r"[A-Za-z][\w-]*\.?|%")


def _qualifier_phrases() -> dict[str, str]:
    """Every hedge word the vocabulary knows → its qualifier: "over" → "more than"."""
    phrases = {value: value for value in vocabulary.QUALIFIERS.values if value != "exactly"}
    for word, meant in vocabulary.QUALIFIERS.synonyms.items():
        if re.fullmatch(r"[a-z ]+", word) and word not in ("minimum", "maximum"):
            phrases[word] = meant[0]
    return phrases


QUALIFIER_PHRASES = _qualifier_phrases()
_QUALIFIER = re.compile(r"\b(" + "|".join(sorted(QUALIFIER_PHRASES, key=len, reverse=True))
                        + r")\s+$", re.IGNORECASE)


def _value(match: re.Match):
    """The figure as a plain number: "5,000" → 5000, "1.6 million" → 1600000."""
    if match.group("digits"):
        try:
            number = Decimal(match.group("digits").replace(",", ""))
        except InvalidOperation:
            return None
        scale = match.group("scale")
    else:
        word = match.group("word").lower()
        tens, _, ones = word.partition("-")
        number = Decimal(NUMBER_WORDS.get(tens.replace("a ", ""), 0) + NUMBER_WORDS.get(ones, 0))
        scale = match.group("wscale")
    if scale:
        number = number.scaleb(SCALES[scale.lower()])
    if number != number.to_integral_value():
        return float(number)
    value = int(number)
    return value if abs(value) < 10 ** 15 else None


def _unit(text: str, at: int) -> tuple[str, int, bool, str]:
    """(unit, where it ends, whether it is a physical unit, the noun phrase) of the words from
    `at`: "short tons" (known to the units library); "ports" of "Far Eastern ports" (a count
    noun: the lower-case words that end the noun phrase); or ("", at, False, "")."""
    rest = text[at:]
    if re.match(r"-[A-Za-z]", rest):  # "366-metre", "a 20-mile stretch"
        rest, at = rest[1:], at + 1
    if rest.startswith("%"):
        return "%", at + 1, False, "%"
    money = MONEY.match(rest)
    if money:  # "US dollars" is money, not a unit of the units library (nor "US" one)
        return money.group().strip(), at + money.end(), False, money.group().strip()
    tokens = [(m.start() + at, m.end() + at, m.group()) for m in _UNIT_WORD.finditer(rest)]
    for i in range(1, len(tokens)):
        if not _adjacent(text, tokens[i - 1], tokens[i]):
            tokens = tokens[:i]  # the unit is the words right after the figure, no further
            break
    if not tokens or not re.match(r"\s*[A-Za-z%]", rest):
        return "", at, False, ""
    for size in (2, 1):  # "short tons" before "short"
        if len(tokens) >= size:
            words = [t[2] for t in tokens[:size]]
            phrase = " ".join(w.rstrip(".") for w in words)
            if words[0].lower() not in STOP and len(phrase) >= 2 and \
                    units.readings(phrase) is not None:
                return phrase, tokens[size - 1][1], True, phrase
    if tokens[0][2].lower() == "percent":
        return "percent", tokens[0][1], False, "percent"
    if tokens[0][2].lower() in MORE:
        tokens = tokens[1:]  # "three more soldiers": the unit is the soldiers
    noun = []
    for start, end, word in tokens[:4]:
        bare = word.rstrip(".")
        if bare.lower() in STOP or bare.endswith("ed"):
            break  # "soldiers killed": the participle is the label's, not the unit's
        noun.append((start, start + len(bare), bare))
        if word.endswith("."):
            break
    while noun and noun[-1][2][0].isupper():
        noun.pop()  # a count noun ends in a lower-case word: "Far Eastern ports", not "North"
    if not noun:
        return "", at, False, ""
    head = [w for w in noun if not w[2][0].isupper()]
    phrase = text[noun[0][0]:noun[-1][1]]
    return text[head[0][0]:head[-1][1]], noun[-1][1], False, phrase


def _adjacent(text: str, a: tuple, b: tuple) -> bool:
    return text[a[1]:b[0]] in (" ", "-")


def _label(text: str, at: int, unit: str, physical: bool, noun: str = "") -> str:
    """What is counted, from the words after the figure (and its conversion): the "of" phrase
    of a physical unit ("artillery shells and ballistic missiles"), the count noun, and the
    participle a passive verb adds ("were sent" → "sent"; "soldiers killed")."""
    rest = text[at:]
    counted = noun if not physical else ""
    if physical:
        of = re.match(r"\s*of\s+([\w'-]+(?:\s+[\w'-]+){0,7}?)(?=\s+(?:were|was|are|is|had|have|"
                      r"has)\b|\s*[,.;:()]|\s*$)", rest)
        counted = of.group(1).strip() if of else ""
        if of:
            rest = rest[of.end():]
    verb = re.match(r"\s*(?:were|was|had been|have been|has been|are|is)?\s*"
                    r"([a-z]+ed|sent|killed|wounded|held|built|sold|lost|taken|given|seen|"
                    r"shot|hit|struck|made|paid|brought|caught)\b", rest)
    if verb and not re.match(r"\s*(?:were|was|had|have|has|are|is)\s", rest) and \
            not verb.group(1).endswith("ed"):
        verb = None  # a bare word after the noun is no verb unless it is a participle
    if verb:
        counted = f"{counted} {verb.group(1)}".strip()
    elif not physical:
        place = re.match(r"\s*((?:from|of|on|in|at|near)\s+(?:the\s+)?(?:[A-Za-z][\w'-]*\s?){1,4}?)"
                         r"(?=[,.;:()]|\s+(?:were|was|with|and|to|due)\b|$)", rest)
        if place and counted:
            counted = f"{counted} {place.group(1).strip()}"
    return counted or unit or "figure"


def _figures(text: str, skip):
    """(start, end, value, the match that ends it) of each figure; a range "between 4.3 and 5.2
    billion", "8 to 10", "8–10" is one figure valued [low, high], the scale said once."""
    matches = []
    for match in _FIGURE.finditer(text):
        if any(a <= match.start() < b for a, b in skip) or not match.group().strip() or \
                TIME_AFTER.match(text, match.end()):
            continue  # in a date phrase, or a time of day ("nine o'clock", "3 p.m.")
        value = _value(match)
        if value is not None:
            matches.append((match, value))
    index = 0
    while index < len(matches):
        match, value = matches[index]
        if index + 1 < len(matches):
            following, high = matches[index + 1]
            join = RANGE_JOIN.fullmatch(text, match.end(), following.start())
            between = re.search(r"\bbetween\s+$", text[:match.start()], re.IGNORECASE)
            if join and (join.group(1) != "and" or between):
                scale = following.group("scale") or following.group("wscale")
                low = value
                if scale and not (match.group("scale") or match.group("wscale")) and value < 1000:
                    low = _value_scaled(value, scale)  # "4.3 and 5.2 billion": said once
                if isinstance(low, (int, float)) and low < high:
                    yield match.start(), following.end(), [low, high], following
                    index += 2
                    continue
        yield match.start(), match.end(), value, match
        index += 1


def _value_scaled(value, scale: str):
    number = Decimal(str(value)).scaleb(SCALES[scale.lower()])
    return int(number) if number == number.to_integral_value() else float(number)


def find_quantities(text: str, skip: list[tuple[int, int]] = ()) -> tuple[list[dict], list[str]]:
    """([quantity mapping, …], [notes for the editor]) for the figures in `text`, in order.
    `skip`: spans to leave alone (date phrases)."""
    found: list[dict] = []
    notes: list[str] = []
    previous_end, previous = -1, None
    for start, end, value, match in _figures(text, skip):
        unit, unit_end, physical, noun = _unit(text, end)
        if match.group("currency"):
            unit, unit_end, physical, noun = CURRENCY[match.group("currency")], end, False, ""
        more = re.match(r"\s*((?:more|other|additional|further)\s+)?", text[end:])
        if not unit and more.group(1) and re.match(r"[a-z]+ed\b", text[end + more.end():]):
            participle = re.match(r"[a-z]+ed\b", text[end + more.end():]).group()
            noun = f"{more.group(1).strip()} {participle}"  # "three more injured": no noun
        elif match.group("word") and (not unit or CLOCK.search(text[:start])):
            continue  # "one of them", "two-thirds": no noun, no figure
        elif match.group("word") and value == 1:
            continue  # "one thing at the top", "one more": a determiner, not a count to check
        elif not unit and not noun and NAMED_BY_NUMBER.search(text[:start]):
            continue  # "pier 17", "berth 4", "Rescue 31": a number that names, not counts
        if more.group(1) and noun and not noun.startswith(more.group(1).strip()):
            noun = f"{more.group(1).strip()} {noun}"
        hedge = _QUALIFIER.search(text[max(0, start - 20):start])
        quantity = {"value": value}
        bracketed = previous is not None and re.fullmatch(r"\s*\(\s*", text[previous_end:start])
        if hedge:
            quantity["qualifier"] = QUALIFIER_PHRASES[hedge.group(1).lower()]
        elif bracketed and "qualifier" in previous:
            quantity["qualifier"] = previous["qualifier"]  # the same hedged amount, restated
        if unit:
            quantity["unit"] = unit
        after = unit_end
        closing = re.match(r"\s*\(.*?\)", text[after:])
        label_from = after + closing.end() if closing and not bracketed else after
        if bracketed:
            label_from = after + (re.match(r"\s*\)", text[after:]) or re.match("", "")).end()
        quantity["label"] = _label(text, label_from, unit, physical, noun)
        if bracketed:
            quantity["label"] = previous["label"]
            check = units.check_conversion(previous["value"], previous.get("unit", ""), value,
                                           unit)
            if check.checked and not check.holds:
                notes.append(f"The source gives {match.group().strip()} {unit} as the "
                             f"conversion of the figure before it, but {check.reason}; it is "
                             "kept as a figure of its own, not marked converted.")
            else:
                quantity["converted"] = True
        found.append(quantity)
        previous_end, previous = unit_end, (None if bracketed else quantity)
    return found, notes
