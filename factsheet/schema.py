"""Schema: every record's fields, declared once.

Owns: for each kind of record (site.yaml, source, entity, fact, citation, quantity, page front
matter) its fields — name, value type, required or not, default, vocabulary and a one-line
description. The same declaration drives the validator (`validate.py`), the field tables in
`docs/content-format.md` and the JSON Schema for editors (`schemas/`, both written by `docs.py`).

A value type knows three things: how to check a YAML value (returning the model's value or raising
`Invalid` with what was expected and a hint), how to say what it expects, and its JSON Schema.
Checks that need to know the briefing's other ids (a hint naming the closest fact) get a `Context`.
Imports nothing of ours beyond the vocabularies, dates and numbers.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from . import vocabulary
from .dates import GENERAL_HINT, DateError, PartialDate, parse_date
from .errors import closest
from .numbers import check_finite

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
ID_MAX_LENGTH = 100  # an id becomes a file name; file systems stop at 255 bytes
RESERVED_IDS = {"index"}  # facts/index.html and its siblings are the index pages


def suggested_id(value: str) -> str:
    """What an id written another way most likely means: "Figures_Disputed" → "figures-disputed"."""
    return re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-")


class Invalid(ValueError):
    """A value that does not fit its field: what was expected, and a likely fix."""

    def __init__(self, expected: str, hint: str = ""):
        super().__init__(expected)
        self.expected = expected
        self.hint = hint


@dataclass
class Context:
    """What a check may know of the rest of the briefing: every id given, with its kind."""

    ids: dict[str, str] = field(default_factory=dict)  # id → "fact" | "source" | "entity"
    # values a briefing adds to a vocabulary in site.yaml: vocabulary name → {value: heading}
    extra_values: dict[str, dict] = field(default_factory=dict)
    # how a date's text is read: dates.parse_date, or the same through a build's memo
    read_date: Callable[[str], PartialDate] = parse_date

    def closest(self, word: str, kind: str) -> str:
        return closest(word.lower(), [i for i, k in self.ids.items() if k == kind])


# --- value types --------------------------------------------------------------------------

class Text:
    expected = "text"

    def check(self, value, context: Context):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise Invalid("text", "quote it if it holds ':' or starts with '[' or '{'")
        value = str(value).strip()
        if not value:
            raise Invalid("non-empty text")
        return value

    def json(self) -> dict:  # a number is accepted as text too (`title: 1984`)
        return {"anyOf": [{"type": "string", "minLength": 1}, {"type": "number"}]}


class Id:
    """The id of a record, or (with `refers_to`) a reference to one."""

    def __init__(self, refers_to: str = ""):
        self.refers_to = refers_to
        self.expected = f"a {refers_to} id" if refers_to else "an id"

    def check(self, value, context: Context):
        if not isinstance(value, str):
            raise Invalid(f"{self.expected} (lower-case letters, digits and hyphens)")
        if value in RESERVED_IDS and not self.refers_to:
            raise Invalid("an id other than 'index', which names the index pages",
                          f"try '{value}-1' or a more descriptive id")
        if len(value) > ID_MAX_LENGTH:
            raise Invalid(f"an id of at most {ID_MAX_LENGTH} characters",
                          "shorten it; an id names a file of the site")
        if not ID_PATTERN.match(value):
            raise Invalid(f"{self.expected} matching [a-z0-9][a-z0-9-]*", self._hint(value, context))
        return value

    def _hint(self, value: str, context: Context) -> str:
        if self.refers_to:  # never suggest an id that does not exist
            known = context.closest(value, self.refers_to)
            return f"did you mean '{known}'?" if known else f"no {self.refers_to} has that id"
        fixed = suggested_id(value)
        return f"try '{fixed}'" if fixed and ID_PATTERN.match(fixed) else ""

    def json(self) -> dict:
        return {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$",
                "maxLength": ID_MAX_LENGTH}


class ListOf:
    """A list of plain values; each item is checked and reported on its own."""

    def __init__(self, item, what: str):
        self.item = item
        self.expected = f"a list of {what}"

    def check(self, value, context: Context):
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            raise Invalid(self.expected, f"write [{value}]")
        if not isinstance(value, list):
            raise Invalid(self.expected)
        return tuple(value)  # items are checked one by one by the validator

    def json(self) -> dict:
        return {"type": "array", "items": self.item.json()}


class Choice:
    def __init__(self, vocab: vocabulary.Vocabulary):
        self.vocab = vocab
        self.expected = "one of: " + ", ".join(vocab.values)

    def check(self, value, context: Context):
        added = context.extra_values.get(self.vocab.name, {})
        if isinstance(value, str) and (value in self.vocab or value in added):
            return value
        expected = self.expected + "".join(f", {v}" for v in added)
        raise Invalid(expected, self.hint(value))

    def hint(self, value) -> str:
        word = str(value).strip().lower().replace("_", " ")
        for form in (word, word.replace(" ", "-")):
            if form in self.vocab:
                return f"write '{form}'"
        meant = self.vocab.synonyms.get(word) or self.vocab.synonyms.get(word.replace("-", " "))
        if meant:
            options = " or ".join(f"'{m}' ({self.vocab.meanings[m]})" for m in meant)
            return f"'{value}' is not a {self.vocab.name}; perhaps {options}"
        # "unconfirmed" is closest to "confirmed", its opposite: never suggest a negated word.
        negated = re.match(r"(?:un|non-?|not ?)(.+)", word)
        if negated and negated.group(1) in self.vocab:
            return f"'{value}' is not a {self.vocab.name}; choose the one that fits: " + \
                   ", ".join(self.vocab.values)
        match = closest(word, self.vocab.values)
        if match:
            return f"did you mean '{match}'?"
        if self.vocab.extended_by:  # a kind of the briefing's own may simply be undeclared
            return f"if '{value}' is a kind of this briefing's own, declare it in site.yaml: " \
                   f"{self.vocab.extended_by}: {{{value}: {str(value).capitalize()}}}"
        return "one of: " + ", ".join(self.vocab.values)

    def json(self) -> dict:
        return {"enum": list(self.vocab.values)}


class EdtfDate:
    """An EDTF date of any precision; with `day`, exactly one day ("2024-10-03"), as the day a
    briefing itself changed is always known to the day."""

    def __init__(self, day: bool = False):
        self.day = day
        self.expected = DAY_EXPECTED if day else "an EDTF date"

    def check(self, value, context: Context):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise Invalid(DAY_EXPECTED if self.day else "an EDTF date such as \"2024-10-03\", "
                          "\"2022-22\" or \"2023-08/2024-01\"", "write the date as a quoted string")
        try:
            date = (context.read_date if context else parse_date)(value)
        except DateError as exc:
            why = str(exc)
            said = "" if why.endswith("is not an EDTF date") else f" ({why})"
            hint = getattr(exc, "hint", "")
            if self.day and hint == GENERAL_HINT:  # not "a month as 2024-10": a day is asked for
                hint = "write the day as \"2024-10-03\" (year, month, day)"
            raise Invalid(f"{self.expected}{said}", hint) from None
        if self.day and (date.precision != "day" or not date.machine):
            raise Invalid(f"{DAY_EXPECTED}, not {_day_problem(date)}", _day_hint(date))
        return date

    def json(self) -> dict:
        if self.day:
            return {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                    "description": "EDTF day (YYYY-MM-DD)"}
        return {"type": ["string", "integer"],
                "description": "EDTF (Library of Congress Extended Date/Time Format)"}


DAY_EXPECTED = "an EDTF day such as \"2024-10-03\""


_PRECISION_WORDS = {"time": "a day with a time", "month": "a month", "year": "a year",
                    "season": "a season", "range": "a range", "set": "a set of dates"}


def _day_problem(date) -> str:
    """What a date that is not one exact day is: "a month (Oct 2024)"."""
    if date.precision == "day":  # a qualified day: 2024-10-03? or 2024-10-03~
        return "a day marked uncertain or approximate"
    return f"{_PRECISION_WORDS.get(date.precision, 'a date of no exact day')} ({date.text})"


def _day_hint(date) -> str:
    """How to write the one day meant: the day a briefing changed is known exactly."""
    low, high = date.lower, date.upper
    if date.precision in ("day", "time") or low == high:
        return f"write the day alone, unqualified: \"{low[0]:04d}-{low[1]:02d}-{low[2]:02d}\""
    return ("give the day the briefing changed, e.g. \"2024-10-03\"; it is known exactly, "
            "so give it to the day")


class Url:
    expected = "an http:// or https:// URL"

    def check(self, value, context: Context):
        value = Text().check(value, context)
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise Invalid(self.expected, "write the full address, e.g. https://…")
        return value

    def json(self) -> dict:
        return {"type": "string", "pattern": "^https?://"}


NUMBER_HINT = ("write the figure as the source gives it, e.g. 5000; leave out a figure the source "
               "does not give")


class Number:
    expected = "a number"

    def check(self, value, context: Context):
        if isinstance(value, str) and re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", value.strip()):
            raise Invalid(self.expected, f"write {value.strip().replace(',', '')} "
                                         "(no thousands separator)")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Invalid(self.expected, "write 5000, not \"5,000\"" if isinstance(value, str)
                          else "")
        problem = check_finite(value)
        if problem:
            raise Invalid(f"a finite number of at most 15 digits; this one is {problem}",
                          NUMBER_HINT)
        return value

    def json(self) -> dict:
        return {"type": "number"}


class NumberOrRange:
    """A figure, or a range as a two-item list [low, high] ("8–10 knots")."""

    expected = "a number, or a range [low, high]"

    def check(self, value, context: Context):
        if not isinstance(value, list):
            return Number().check(value, context)
        if len(value) != 2:
            raise Invalid("a range of exactly two numbers [low, high]",
                          f"write [{', '.join(str(v) for v in value[:2])}]" if value else "")
        low, high = (Number().check(end, context) for end in value)
        if not low < high:
            raise Invalid("a range [low, high] with low below high",
                          f"write [{min(low, high)}, {max(low, high)}]" if low != high
                          else f"write {low}, not a range")
        return (low, high)

    def json(self) -> dict:
        return {"anyOf": [{"type": "number"},
                          {"type": "array", "items": {"type": "number"}, "minItems": 2,
                           "maxItems": 2}]}


class KindMap:
    """Kinds a briefing adds to a vocabulary, each with its heading: {aircraft: Aircraft}."""

    expected = "a mapping of new kinds to their headings, e.g. {aircraft: Aircraft}"

    def __init__(self, vocab: vocabulary.Vocabulary):
        self.vocab = vocab

    def check(self, value, context: Context):
        if not isinstance(value, dict):
            raise Invalid(self.expected)
        for kind, heading in value.items():
            if not isinstance(kind, str) or not ID_PATTERN.match(kind):
                raise Invalid(f"kinds matching [a-z0-9][a-z0-9-]* (found '{kind}')")
            if kind in self.vocab:
                raise Invalid(f"kinds not already known ('{kind}' is a built-in {self.vocab.name})",
                              f"remove '{kind}'")
            if not isinstance(heading, str) or not heading.strip():
                raise Invalid(f"a heading for each kind (text), e.g. {kind}: "
                              f"{kind.capitalize()}")
        return {kind: heading.strip() for kind, heading in value.items()}

    def json(self) -> dict:
        return {"type": "object", "propertyNames": {"pattern": "^[a-z0-9][a-z0-9-]*$"},
                "additionalProperties": {"type": "string", "minLength": 1}}


class Integer:
    expected = "a whole number"

    def check(self, value, context: Context):
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(self.expected)
        problem = check_finite(value)
        if problem:
            raise Invalid(f"a whole number, finite and of at most 15 digits; this one is {problem}",
                          NUMBER_HINT)
        return value

    def json(self) -> dict:
        return {"type": "integer"}


class Boolean:
    expected = "true or false"

    def check(self, value, context: Context):
        if not isinstance(value, bool):
            raise Invalid(self.expected)
        return value

    def json(self) -> dict:
        return {"type": "boolean"}


class Mapping:
    expected = "a mapping"

    def check(self, value, context: Context):
        if not isinstance(value, dict):
            raise Invalid(self.expected)
        return value

    def json(self) -> dict:
        return {"type": "object"}


class Pattern:
    def __init__(self, pattern: str, expected: str):
        self.pattern = re.compile(pattern + r"\Z")
        self.source = pattern
        self.expected = expected

    def check(self, value, context: Context):
        if not isinstance(value, str) or not self.pattern.match(value):
            raise Invalid(self.expected)
        return value

    def json(self) -> dict:
        return {"type": "string", "pattern": f"^{self.source}$"}


# --- records ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    name: str
    type: Any  # one of the value types above, or a `Record` for a list of nested records
    description: str
    required: bool = False
    nullable: bool = False  # required, but `null` is an honest answer ("unknown")
    default: Any = None


@dataclass(frozen=True)
class Record:
    name: str  # what one record is called in messages: "fact", "citation"
    fields: tuple[Field, ...]
    description: str = ""

    @functools.cached_property
    def names(self) -> tuple[str, ...]:  # asked for every key of every record
        return tuple(f.name for f in self.fields)


LANGUAGE = Pattern(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", "a BCP 47 language tag such as 'en'")
EXTRA = Field("extra", Mapping(), "free-form mapping, carried but never interpreted")
IDS = "ids"
DRAFT = Field("draft", Boolean(), "a proposal from `factsheet draft` not yet reviewed by an "
              "editor: left out of `build`, shown in `serve` and `build --drafts`", default=False)

SITE = Record("site.yaml", (
    Field("title", Text(), "the briefing's title", required=True),
    Field("subtitle", Text(), "one line under the title", default=""),
    Field("language", LANGUAGE, "BCP 47 language tag of the site, e.g. `en`", required=True),
    Field("base_url", Url(), "absolute `http(s)` URL where the site will be published; used only "
          "where an absolute URL is required (every link in the site is relative): the canonical "
          "link and `og:url` of each page, and `feed.xml`, `sitemap.xml` and `robots.txt`, which "
          "are written only when it is set", default=""),
    Field("licence", Text(), "licence line shown in every page footer", default=""),
    Field("key_facts", ListOf(Id("fact"), IDS), "fact ids whose quantities are shown as \"key "
          "numbers\" on the home page; default: every fact with quantities, in timeline order"),
    Field("entity_kinds", KindMap(vocabulary.ENTITY_KINDS), "entity kinds this briefing adds, "
          "each with its heading on the entities index, e.g. `{aircraft: Aircraft}`",
          default={}),
    Field("source_kinds", KindMap(vocabulary.SOURCE_KINDS), "source kinds this briefing adds, "
          "each with its name, e.g. `{podcast: Podcast}`", default={}),
    EXTRA,
))

SOURCE = Record("source", (
    Field("id", Id(), "unique id", required=True),
    Field("title", Text(), "the document's own title, verbatim", required=True),
    Field("kind", Choice(vocabulary.SOURCE_KINDS), "what kind of document it is", required=True),
    Field("publisher", Text(), "who published it; `null` where the document does not say",
          required=True, nullable=True),
    Field("published", EdtfDate(), "EDTF date of publication; `null` where the document does "
          "not say", required=True, nullable=True),
    Field("author", Text(), "who wrote it; `null` or absent where unknown"),
    Field("url", Url(), "where it was published (`http(s)`)"),
    Field("archive_url", Url(), "an archived copy (`http(s)`)"),
    Field("accessed", EdtfDate(), "EDTF date we read it"),
    Field("language", LANGUAGE, "BCP 47 tag of the document's language"),
    Field("document", Text(), "path of the archived text, relative to `content/documents/`; "
          "every quote from this source is checked against it"),
    Field("notes", Text(), "what is known and unknown about the document", default=""),
    EXTRA,
))

ENTITY = Record("entity", (
    Field("id", Id(), "unique id", required=True),
    Field("name", Text(), "display name, e.g. `Kyiv Post`", required=True),
    Field("kind", Choice(vocabulary.ENTITY_KINDS), "what kind of entity it is", required=True),
    Field("description", Text(), "one sentence, in our words, of who or what this is as the "
          "documents present it", default=""),
    Field("aliases", ListOf(Text(), "names"), "other names used in the documents", default=()),
    Field("wikidata", Pattern(r"Q[1-9][0-9]*", "a Wikidata item id such as 'Q42'"),
          "a Wikidata item id such as `Q42`"),
    DRAFT,
    EXTRA,
))

CITATION = Record("citation", (
    Field("source", Id("source"), "id of the source it was read in", required=True),
    Field("quote", Text(), "the verbatim passage of the source's archived document that "
          "supports the claim", required=True),
    Field("locator", Text(), "where in the document, e.g. `paragraph 2` or `page 53`; checked "
          "against where the quote is, and picks the occurrence of a quote found twice",
          default=""),
    Field("attribution", ListOf(Id("entity"), IDS), "who said it as this source relays it: "
          "entity ids from the original claimant outward, the source itself not repeated; `[]` "
          "where this source says it in its own voice. Absent: the fact's `attribution` applies"),
))

QUANTITY = Record("quantity", (
    Field("value", NumberOrRange(), "the figure, a plain number (`5000`, not `5,000`), or a "
          "range `[low, high]` (`[8, 10]` knots)", required=True),
    Field("label", Text(), "what is counted, e.g. `soldiers killed`", required=True),
    Field("unit", Text(), "free text (`tons`, `artillery shells`), or absent for a bare count",
          default=""),
    Field("qualifier", Choice(vocabulary.QUALIFIERS), "the hedge the source gives the figure",
          default="exactly"),
    Field("converted", Boolean(), "true where this quantity is the source's own conversion of "
          "the one before it (5,000 tons = 11 million pounds); checked where the units are "
          "known", default=False),
    Field("as_of", EdtfDate(), "EDTF date at which this figure was reported to hold"),
))

CORRECTION = Record("correction", (
    Field("date", EdtfDate(day=True), "EDTF day the correction was made, e.g. `2024-10-05`",
          required=True),
    Field("note", Text(), "what was wrong and what it now says, as a news correction puts it, "
          "e.g. `An earlier version gave the toll as 30.`", required=True),
))

FACT = Record("fact", (
    Field("id", Id(), "unique id", required=True),
    Field("claim", Text(), "one sentence in our words; says no more than the quote supports and "
          "keeps its hedges (\"about\", \"more than\")", required=True),
    Field("status", Choice(vocabulary.STATUSES), "how far the fact is established",
          required=True),
    Field("citations", CITATION, "one or more places the fact was read", required=True),
    Field("attribution", ListOf(Id("entity"), IDS), "entity ids from the original claimant "
          "outward, e.g. `[ukrainian-intelligence-sources, kyiv-post]`; the citing source is the "
          "last link and is not repeated. `[]` only where the source states the fact in its own "
          "voice. The chain of every citation that has no `attribution` of its own; required "
          "unless every citation has one"),
    Field("date", EdtfDate(), "EDTF date of the event (not of the report)"),
    Field("date_note", Text(), "a note on the date; wherever any part of `date` is inferred "
          "rather than stated, say which part and why", default=""),
    Field("as_of", EdtfDate(), "EDTF date at which the figure or state of affairs was reported "
          "to hold (\"six dead as of 27 March\"), distinct from `date`, when the event "
          "happened"),
    Field("about", ListOf(Id("entity"), IDS), "entity ids the fact is about", default=()),
    Field("quantities", QUANTITY, "the figures the fact gives", default=()),
    Field("related", ListOf(Id("fact"), IDS), "ids of facts that bear on this one", default=()),
    Field("contradicts", ListOf(Id("fact"), IDS), "ids of facts that pull against this one "
          "(the link is shown on both)", default=()),
    Field("tags", ListOf(Text(), "tags"), "short lower-case words", default=()),
    Field("notes", Text(), "editor's remarks on the fact, shown on its page", default=""),
    Field("added", EdtfDate(day=True), "EDTF day the fact was added to the briefing, e.g. "
          "`2024-10-03`; with `base_url` set, it lists the fact in the Atom feed"),
    Field("corrections", CORRECTION, "corrections made after the fact was published, each "
          "dated; shown on its page and listed in the Atom feed", default=()),
    DRAFT,
    EXTRA,
))

PAGE = Record("page front matter", (
    Field("title", Text(), "page title", required=True),
    Field("summary", Text(), "one sentence shown on the home page", default=""),
    Field("order", Integer(), "pages are listed by `order`, then title"),
    EXTRA,
))

# Each record kind as the docs and schemas/ name it.
RECORDS = {"site": SITE, "source": SOURCE, "entity": ENTITY, "fact": FACT,
           "citation": CITATION, "quantity": QUANTITY, "correction": CORRECTION, "page": PAGE}
