"""Validate: raw records → model records, one record at a time, with a diagnostic per problem.

Owns: the schema of each kind of record (required and known keys, value shapes, vocabularies,
id shape, EDTF dates, http(s) URLs) and duplicate ids. Does no I/O and follows no reference
between records (that is `resolve`). A record with an error is still returned where it can be,
so that later checks on the rest of the briefing still run and report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlsplit

from . import model
from .dates import DateError, parse_date
from .errors import Diagnostics, Location, suggest
from .loader import RawContent, YamlList, YamlMap

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
WIKIDATA_PATTERN = re.compile(r"Q[1-9][0-9]*\Z")
LANGUAGE_PATTERN = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")


@dataclass(frozen=True)
class Field:
    """One key of a record. `check` turns the YAML value into the model's, or raises Invalid."""

    name: str
    check: Callable[[Any], Any] | None = None
    required: bool = False
    nullable: bool = False  # required, but `null` is an honest answer ("unknown")
    default: Any = None
    # A list of nested records (citations, quantities) instead of a plain value:
    items: tuple = ()  # (fields, what a single item is called)


class Invalid(ValueError):
    def __init__(self, expected: str, hint: str = ""):
        super().__init__(expected)
        self.expected = expected
        self.hint = hint


# --- value checks -------------------------------------------------------------------------

def text(value):
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Invalid("text")
    value = str(value).strip()
    if not value:
        raise Invalid("non-empty text")
    return value


RESERVED_IDS = {"index"}  # facts/index.html and its siblings are the index pages


def identifier(value):
    if not isinstance(value, str):
        raise Invalid("an id (lower-case letters, digits and hyphens)")
    if value in RESERVED_IDS:
        raise Invalid("an id other than 'index', which names the index pages",
                      f"try '{value}-1' or a more descriptive id")
    if not ID_PATTERN.match(value):
        fixed = re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-")
        raise Invalid("an id matching [a-z0-9][a-z0-9-]*",
                      f"try '{fixed}'" if fixed and ID_PATTERN.match(fixed) else "")
    return value


def list_of(check: Callable, what: str) -> Callable:
    def check_list(value):
        if isinstance(value, str) and what == "ids":
            raise Invalid(f"a list of {what}", f"write [{value}]")
        if not isinstance(value, list):
            raise Invalid(f"a list of {what}")
        return tuple(check(item) for item in value)
    return check_list


def choice(options) -> Callable:
    def check_choice(value):
        if value not in options:
            hint = suggest(str(value), options) or "one of: " + ", ".join(options)
            raise Invalid("one of: " + ", ".join(options), hint)
        return value
    return check_choice


def edtf_date(value):
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise Invalid("an EDTF date such as \"2024-10-03\", \"2022-22\" or \"2023-08/2024-01\"")
    try:
        return parse_date(value)
    except DateError as exc:
        raise Invalid(f"an EDTF date; {exc}",
                      "write a day as 2024-10-03, a month as 2024-10, a season as 2022-22, "
                      "a range as 2023-08/2024-01") from None


def url(value):
    value = text(value)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Invalid("an http:// or https:// URL", "write the full address, e.g. https://…")
    return value


def number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid("a number", "write 5000, not \"5,000\"" if isinstance(value, str) else "")
    return value


def integer(value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid("a whole number")
    return value


def boolean(value):
    if not isinstance(value, bool):
        raise Invalid("true or false")
    return value


def mapping(value):
    if not isinstance(value, dict):
        raise Invalid("a mapping")
    return value


def matching(pattern: re.Pattern, what: str) -> Callable:
    def check_pattern(value):
        if not isinstance(value, str) or not pattern.match(value):
            raise Invalid(what)
        return value
    return check_pattern


# --- schemas ------------------------------------------------------------------------------

SITE_FIELDS = [
    Field("title", text, required=True),
    Field("language", matching(LANGUAGE_PATTERN, "a BCP 47 language tag such as 'en'"),
          required=True),
    Field("subtitle", text, default=""),
    Field("base_url", url, default=""),
    Field("licence", text, default=""),
    Field("key_facts", list_of(identifier, "ids")),
    Field("extra", mapping),
]

SOURCE_FIELDS = [
    Field("id", identifier, required=True),
    Field("title", text, required=True),
    Field("kind", choice(model.SOURCE_KINDS), required=True),
    Field("publisher", text, required=True, nullable=True),
    Field("published", edtf_date, required=True, nullable=True),
    Field("author", text),
    Field("url", url),
    Field("archive_url", url),
    Field("accessed", edtf_date),
    Field("language", matching(LANGUAGE_PATTERN, "a BCP 47 language tag such as 'en'")),
    Field("document", text),
    Field("notes", text, default=""),
    Field("extra", mapping),
]

ENTITY_FIELDS = [
    Field("id", identifier, required=True),
    Field("name", text, required=True),
    Field("kind", choice(model.ENTITY_KINDS), required=True),
    Field("description", text, default=""),
    Field("aliases", list_of(text, "names"), default=()),
    Field("wikidata", matching(WIKIDATA_PATTERN, "a Wikidata item id such as 'Q42'")),
    Field("extra", mapping),
]

CITATION_FIELDS = [
    Field("source", identifier, required=True),
    Field("quote", text, required=True),
    Field("locator", text, default=""),
]

QUANTITY_FIELDS = [
    Field("value", number, required=True),
    Field("label", text, required=True),
    Field("unit", text, default=""),
    Field("qualifier", choice(model.QUALIFIERS), default="exactly"),
    Field("converted", boolean, default=False),
]

FACT_FIELDS = [
    Field("id", identifier, required=True),
    Field("claim", text, required=True),
    Field("status", choice(tuple(model.STATUSES)), required=True),
    Field("citations", items=(CITATION_FIELDS, "citation"), required=True),
    Field("attribution", list_of(identifier, "ids"), required=True),
    Field("date", edtf_date),
    Field("date_note", text, default=""),
    Field("about", list_of(identifier, "ids"), default=()),
    Field("quantities", items=(QUANTITY_FIELDS, "quantity"), default=()),
    Field("related", list_of(identifier, "ids"), default=()),
    Field("contradicts", list_of(identifier, "ids"), default=()),
    Field("tags", list_of(text, "tags"), default=()),
    Field("notes", text, default=""),
    Field("extra", mapping),
]

PAGE_FIELDS = [
    Field("title", text, required=True),
    Field("summary", text, default=""),
    Field("order", integer),
    Field("extra", mapping),
]


# --- the checker --------------------------------------------------------------------------

def _describe(value) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "…'"


def check_record(data: YamlMap, fields: list[Field], what: str,
                 diagnostics: Diagnostics) -> dict | None:
    """Check one mapping against its fields → {name: value}, or None if a required key failed."""
    values, complete = check_fields(data, fields, what, diagnostics)
    return values if complete else None


def check_fields(data: YamlMap, fields: list[Field], what: str,
                 diagnostics: Diagnostics) -> tuple[dict, bool]:
    """Check one mapping → ({name: value, defaults where a key failed}, whether all required passed)."""
    known = {f.name for f in fields}
    values: dict[str, Any] = {}
    complete = True
    for key in data:
        if key not in known:
            diagnostics.error(data.key_location(key), f"unknown key '{key}' in {what}", key=key,
                              hint=suggest(key, known) or
                              "known keys: " + ", ".join(f.name for f in fields) +
                              "; free-form data goes under 'extra:'")
    for spec in fields:
        if spec.name not in data:
            if spec.required:
                diagnostics.error(data.location, f"{what} has no '{spec.name}'", key=spec.name,
                                  hint=f"add '{spec.name}:'" +
                                       (" (null if unknown)" if spec.nullable else ""))
                complete = False
            values[spec.name] = spec.default
            continue
        raw = data[spec.name]
        where = data.value_location(spec.name)
        if raw is None:
            if spec.required and not spec.nullable:
                diagnostics.error(where, f"'{spec.name}' of {what} is empty", key=spec.name,
                                  hint="give a value")
                complete = False
            values[spec.name] = spec.default
            continue
        if spec.items:
            values[spec.name] = _check_items(raw, where, spec, diagnostics)
            if spec.required and not values[spec.name]:
                complete = False
            continue
        try:
            values[spec.name] = spec.check(raw)
        except Invalid as exc:
            diagnostics.error(where, f"'{spec.name}' of {what}: expected {exc.expected}, "
                                     f"found {_describe(raw)}", key=spec.name, hint=exc.hint)
            values[spec.name] = spec.default
            complete = complete and not spec.required
    return values, complete


def _check_items(raw, where: Location, spec: Field, diagnostics) -> tuple:
    """A list of nested records → ((values, mapping), …) for the records without errors."""
    fields, what = spec.items
    if not isinstance(raw, list) or not raw:
        diagnostics.error(where, f"'{spec.name}': expected a list of one or more {what} "
                                 f"mappings, found {_describe(raw)}", key=spec.name,
                          hint=f"write '- {fields[0].name}: …' under '{spec.name}:'")
        return ()
    items = []
    for index, item in enumerate(raw):
        item_where = raw.item_locations[index] if isinstance(raw, YamlList) else where
        if not isinstance(item, YamlMap):
            diagnostics.error(item_where, f"'{spec.name}' item {index + 1}: expected a {what} "
                                          f"mapping, found {_describe(item)}", key=spec.name)
            continue
        values = check_record(item, fields, what, diagnostics)
        if values is not None:
            items.append((values, item))
    return tuple(items)


# --- per kind -----------------------------------------------------------------------------

def _ref_locations(data: YamlMap, keys) -> dict:
    found = {}
    for key in keys:
        value = data.get(key)
        if isinstance(value, YamlList):
            found[key] = tuple(value.item_locations)
    return found


def _named(kind: str, data: YamlMap) -> str:
    """How messages name a record: "fact 'strike-killed'", or just "fact" before it has an id."""
    return f"{kind} '{data['id']}'" if isinstance(data.get("id"), str) else kind


def _source(data: YamlMap, diagnostics) -> model.Source | None:
    values = check_record(data, SOURCE_FIELDS, _named("source", data), diagnostics)
    return values and model.Source(location=data.location, **values)


def _entity(data: YamlMap, diagnostics) -> model.Entity | None:
    values = check_record(data, ENTITY_FIELDS, _named("entity", data), diagnostics)
    return values and model.Entity(location=data.location, **values)


def _fact(data: YamlMap, diagnostics) -> model.Fact | None:
    values = check_record(data, FACT_FIELDS, _named("fact", data), diagnostics)
    if values is None:
        return None
    values["citations"] = tuple(
        model.Citation(location=item.value_location("source"),
                       quote_location=item.value_location("quote"), **fields)
        for fields, item in values["citations"])
    values["quantities"] = tuple(model.Quantity(**fields) for fields, _ in values["quantities"])
    return model.Fact(location=data.location,
                      ref_locations=_ref_locations(data, ("attribution", "about", "related",
                                                          "contradicts")),
                      **values)


BUILDERS = {"sources": _source, "entities": _entity, "facts": _fact}


def validate(raw: RawContent, diagnostics: Diagnostics) -> model.Content:
    config = None
    if raw.site is not None:
        values = check_record(raw.site, SITE_FIELDS, "site.yaml", diagnostics)
        if values is not None:
            config = model.SiteConfig(location=raw.site.location, **values)

    records: dict[str, list] = {kind: [] for kind in BUILDERS}
    first_seen: dict[str, Location] = {}
    for entry in raw.entries:
        built = BUILDERS[entry.kind](entry.data, diagnostics)
        if built is None:
            continue
        if built.id in first_seen:
            diagnostics.error(entry.data.value_location("id"),
                              f"duplicate id '{built.id}'", key="id",
                              hint="ids are unique across facts, sources and entities",
                              related=first_seen[built.id])
            continue
        first_seen[built.id] = entry.data.value_location("id")
        records[entry.kind].append(built)

    pages = []
    for raw_page in raw.pages:
        if not ID_PATTERN.match(raw_page.slug):
            diagnostics.error(Location(raw_page.path), f"page file name '{raw_page.slug}' is not "
                              "a valid slug: expected [a-z0-9][a-z0-9-]*", key="slug",
                              hint="rename the file in lower case with hyphens")
            continue
        # A page with a bad front matter still counts for its citations, so that one missing
        # title does not also report every fact it cites as uncited.
        values, _ = check_fields(raw_page.front, PAGE_FIELDS, "page front matter", diagnostics)
        values["title"] = values["title"] or raw_page.slug
        pages.append(model.Page(slug=raw_page.slug, body=raw_page.body,
                                body_line=raw_page.body_line,
                                location=Location(raw_page.path, 1, 1), **values))

    summary = None
    if raw.summary_path:
        summary = model.Page(slug="", title="Summary", body=raw.summary, body_line=1,
                             location=Location(raw.summary_path, 1, 1))
    return model.Content(config, tuple(records["sources"]), tuple(records["entities"]),
                         tuple(records["facts"]), tuple(pages), dict(raw.documents), summary)
