"""Validate: raw records → model records, one record at a time, with a diagnostic per problem.

Owns: applying the schema (`schema.py`, where every field is declared once) to each raw record,
duplicate ids, and the set of ids that are *known but invalid*. Does no I/O and follows no
reference between records (that is `resolve`).

One mistake, one message: a record with an error is still returned with defaults where its
values failed, and its id is listed in `Content.invalid`, so that resolve neither reports every
reference to it as "unknown" nor warns about what it would have used.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import model, schema
from .dates import DateError, PartialDate, parse_date
from .errors import Diagnostics, Location, closest
from .memo import Memo, memoised
from .prose import parse_prose
from .rawrecords import RawContent, RawFile, RawPage
from .schema import ID_PATTERN, Context, Invalid
from .yamlfile import YamlList, YamlMap

PAGE_FIELDS = schema.PAGE
KIND_OF = {"sources": "source", "entities": "entity", "facts": "fact"}
RECORD_OF = {"sources": schema.SOURCE, "entities": schema.ENTITY, "facts": schema.FACT}
# An `id:` line in a file YAML could not parse: enough to keep the id known.
_ID_LINE = re.compile(r"^[ \t-]*id:[ \t]*[\"']?([a-z0-9][a-z0-9-]*)[\"']?[ \t]*(?:#.*)?$",
                      re.MULTILINE)


def _describe(value) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "…'"


class _Checker:
    """Checks records against the schema, noting whether each one had an error."""

    def __init__(self, diagnostics: Diagnostics, context: Context):
        self.diagnostics = diagnostics
        self.context = context
        self.failed = False  # set by any error in the record being checked

    def error(self, where: Location, message: str, **kwargs) -> None:
        self.failed = True
        self.diagnostics.error(where, message, **kwargs)

    def record(self, data: YamlMap, record: schema.Record, what: str) -> dict[str, Any]:
        """{field: value} for one mapping, with the field's default wherever a value failed."""
        values: dict[str, Any] = {}
        # A value the loader already reported (a bad YAML tag) is gone from `data`: not missing.
        dropped = data.dropped
        self.failed = self.failed or bool(dropped)
        missing = {f.name for f in record.fields
                   if f.required and f.name not in data and f.name not in dropped}
        for key in data:
            if key not in record.names:
                meant = closest(key, record.names)
                self.error(data.key_location(key), f"unknown key '{key}' in {what}", key=key,
                           hint=f"did you mean '{meant}'?" if meant else "known keys: " +
                           ", ".join(record.names) + "; free-form data goes under 'extra:'")
                # A misspelt required key is one mistake: say it once, not again as missing.
                missing.discard(meant)
        for spec in record.fields:
            values[spec.name] = spec.default
            if spec.name not in data:
                if spec.name in missing:
                    self.error(data.location, f"{what} has no '{spec.name}'", key=spec.name,
                               hint=f"add '{spec.name}:'" +
                                    (" (null if unknown)" if spec.nullable else ""))
                elif spec.required:
                    self.failed = True  # reported as a misspelt key, or by the loader
                continue
            raw, where = data[spec.name], data.value_location(spec.name)
            if raw is None:
                if spec.required and not spec.nullable:
                    self.error(where, f"'{spec.name}' of {what} is empty", key=spec.name,
                               hint="give a value")
                continue
            if isinstance(spec.type, schema.Record):
                values[spec.name] = self.items(raw, where, spec, what)
                continue
            try:
                value = spec.type.check(raw, self.context)
            except Invalid as exc:
                self.error(where, f"'{spec.name}' of {what}: expected {exc.expected}, found "
                                  f"{_describe(raw)}", key=spec.name, hint=exc.hint)
                continue
            if isinstance(spec.type, schema.ListOf):
                value = self.list_items(raw, where, spec, what)
            values[spec.name] = value
        return values

    def list_items(self, raw: list, where: Location, spec: schema.Field, what: str) -> tuple:
        """The items of a list of plain values that pass; each bad item reported at its place."""
        kept = []
        places = raw.item_locations if isinstance(raw, YamlList) else [where] * len(raw)
        for item, place in zip(raw, places):
            try:
                kept.append(spec.type.item.check(item, self.context))
            except Invalid as exc:
                self.error(place, f"'{spec.name}' of {what}: expected {exc.expected}, found "
                                  f"{_describe(item)}", key=spec.name, hint=exc.hint)
        return tuple(kept)

    def items(self, raw, where: Location, spec: schema.Field, owner: str) -> tuple:
        """A list of nested records → ((values, mapping), …) for the records without errors."""
        record: schema.Record = spec.type
        if isinstance(raw, list) and not raw and not spec.required:
            return ()  # an optional list may be empty, as the JSON Schema says
        if not isinstance(raw, list) or not raw:
            self.error(where, f"'{spec.name}': expected a list of one or more {record.name} "
                              f"mappings, found {_describe(raw)}", key=spec.name,
                       hint=f"write '- {record.fields[0].name}: …' under '{spec.name}:'")
            return ()
        kept = []
        for index, item in enumerate(raw):
            place = raw.item_locations[index] if isinstance(raw, YamlList) else where
            if not isinstance(item, YamlMap):
                self.error(place, f"'{spec.name}' item {index + 1}: expected a {record.name} "
                                  f"mapping, found {_describe(item)}", key=spec.name)
                continue
            failed, self.failed = self.failed, False
            values = self.record(item, record, f"{record.name} {index + 1} of {owner}")
            if not self.failed:
                kept.append((values, item))
            self.failed = self.failed or failed
        return tuple(kept)


def check_fields(data: YamlMap, record: schema.Record, what: str,
                 diagnostics: Diagnostics) -> tuple[dict, bool]:
    """Check one mapping on its own → ({name: value}, whether it had no error)."""
    checker = _Checker(diagnostics, Context())
    values = checker.record(data, record, what)
    return values, not checker.failed


# --- per kind -----------------------------------------------------------------------------

def _item_locations(data: YamlMap, record: schema.Record) -> dict:
    """Where each item of each list-of-ids field sits: key → tuple of item locations."""
    return {f.name: tuple(data[f.name].item_locations) for f in record.fields
            if isinstance(f.type, schema.ListOf) and isinstance(data.get(f.name), YamlList)}


def _key_locations(data: YamlMap) -> dict:
    return {key: data.value_location(key) for key in data}


def _named(kind: str, data: YamlMap) -> str:
    """How messages name a record: "fact 'strike-killed'", or just "fact" before it has an id."""
    ident = data.get("id")
    if isinstance(ident, str) and ID_PATTERN.match(ident) and len(ident) <= schema.ID_MAX_LENGTH:
        return f"{kind} '{ident}'"
    return kind


def _build(kind: str, data: YamlMap, values: dict):
    common = {"location": data.location, "key_locations": _key_locations(data)}
    if kind == "sources":
        return model.Source(**common, **values)
    if kind == "entities":
        return model.Entity(**common, **values)
    values["citations"] = tuple(
        model.Citation(location=item.value_location("source"),
                       quote_location=item.value_location("quote"),
                       key_locations=_key_locations(item),
                       ref_locations=_item_locations(item, schema.CITATION), **fields)
        for fields, item in values["citations"] or ())
    values["quantities"] = tuple(model.Quantity(location=item.location, **fields)
                                 for fields, item in values["quantities"] or ())
    # oldest first (file order on the same day): the page, the feed and the exports list them so
    values["corrections"] = tuple(sorted(
        (model.Correction(location=item.location, **fields)
         for fields, item in values["corrections"] or ()),
        key=lambda correction: correction.date.lower))
    values["attribution"] = values["attribution"] or ()
    return model.Fact(ref_locations=_item_locations(data, schema.FACT), **common, **values)


def _check_fact(data: YamlMap, values: dict, checker: _Checker, what: str) -> None:
    """What one field's declaration cannot say: a fact is corrected after it was added, and
    needs a chain for every citation."""
    added = values["added"]
    for number, (fields, item) in enumerate(values["corrections"] or (), start=1):
        if added is not None and fields["date"].lower < added.lower:
            checker.error(item.value_location("date"),
                          f"correction {number} of {what} is dated {fields['date'].text}, before "
                          f"the fact was added ({added.text})", key="date",
                          hint="check both days: a fact is corrected after it was added")
    if data.get("attribution") is not None or not values["citations"]:
        return
    if any(fields["attribution"] is None for fields, _ in values["citations"]):
        given = "attribution" in data  # `attribution: null` is not "in its own voice"
        checker.error(data.value_location("attribution") if given else data.location,
                      f"'attribution' of {what} is empty" if given else
                      f"{what} has no 'attribution'", key="attribution",
                      hint="give entity ids from the original claimant outward, or [] where "
                           "the source says it in its own voice; or give each citation its own")


def _given_ids(raw: RawContent, ids: dict[str, str] | None = None) -> dict[str, str]:
    """Every id the briefing gives, valid or not, with its kind — including ids in files YAML
    could not parse, so that one syntax error does not turn each reference into another. `ids`:
    those of the files already let go (_checked_one_by_one), given before raw's."""
    ids = {} if ids is None else ids
    for file in raw.files:
        _note_ids(ids, file)
    for kind, ident in _unparsed_ids(raw):
        ids.setdefault(ident, kind)
    return ids


def _note_ids(ids: dict[str, str], file: RawFile) -> None:
    """The ids one file gives into `ids` (id → kind), after those given before it."""
    for ident in _file_ids(file.entries):
        ids.setdefault(ident, KIND_OF[file.kind])


def _unparsed_ids(raw: RawContent):
    """(kind, id) of each `id:` line in the files YAML could not parse."""
    for kind, _path, text in raw.unparsed:
        for match in _ID_LINE.finditer(text):
            yield KIND_OF.get(kind, kind), match.group(1)


def _file_ids(entries) -> tuple[str, ...]:
    """The ids one file's entries give, each with the id it is meant as ("Figures_Disputed" is
    meant as "figures-disputed")."""
    found = []
    for data in entries:
        ident = data.get("id")
        if isinstance(ident, str):
            found += [ident, schema.suggested_id(ident)]
    return tuple(found)


class _Ids(Mapping):
    """Every id the briefing gives (_given_ids), found when a check first asks: only the hint
    of a malformed reference does (schema.Context.closest), so a rebuild after one edit
    reads them never, not ten thousand times. `asked` tells whether a check did (what it
    found then depends on every id given: validate keeps it with their digest, `key`)."""

    def __init__(self, raw: RawContent):
        self.raw, self.asked = raw, False
        self._ids: dict[str, str] | None = None
        self._key: str | None = None

    @property
    def ids(self) -> dict[str, str]:
        self.asked = True
        if self._ids is None:
            self._ids = _given_ids(self.raw)
        return self._ids

    def __getitem__(self, ident: str) -> str:
        return self.ids[ident]

    def __iter__(self):
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def items(self):
        return self.ids.items()

    def key(self) -> str:
        """A digest of every id given, with its kind."""
        if self._key is None:
            digest = hashlib.blake2b(digest_size=16)
            for ident, kind in self.ids.items():
                digest.update(f"{ident}\0{kind}\0".encode())
            self._key = digest.hexdigest()
        return self._key


def _prose(text: str, start: Location, memo: Memo | None):
    """A page's Markdown parsed (its problems travel with it, in Prose.problems)."""
    return memoised(memo, "prose", (text, start), lambda: parse_prose(text, start))


def _date_or_error(text: str) -> tuple[PartialDate | None, tuple[str, str] | None]:
    """(the date, None), or (None, the DateError's message and hint): kept as plain values,
    as a pickled exception would lose its hint."""
    try:
        return parse_date(text), None
    except DateError as exc:
        return None, (str(exc), exc.hint)


def _date_reader(memo: Memo | None):
    """dates.parse_date for one build: each date read once, and `read_in(kept)` for one file,
    whose readings are kept in `kept` (the memo's, under the file's path) for when it is checked
    again: a build from the cache then reads no date it read before, and one whose dates are all
    read never imports the edtf package (0.1 s, and about 10 ms a date for its grammar)."""
    if memo is None:
        return lambda kept: parse_date
    read_now: dict[str, tuple] = {}  # this build's readings, of every file

    def read_in(kept: dict) -> Callable[[str], PartialDate]:
        def read(text: str) -> PartialDate:
            found = kept.get(text) or read_now.get(text)
            if found is None:
                found = _date_or_error(text)
            read_now[text] = kept[text] = found
            date, error = found
            if error is not None:
                raise DateError(*error)
            return date
        return read
    return read_in


@dataclass(frozen=True, eq=False)
class _FileCheck:
    """One file's records checked: a pure function of its text and the vocabularies site.yaml
    extends, and, when a hint named the closest id (`asked`), of every id given."""

    kind: str
    checked: tuple  # (id or None, where the id is, whether it had no error, the model record)
    records: tuple  # the model records that have an id, in order
    ids: tuple[str, ...]  # their ids
    valid: frozenset[str]  # the ids of those without error
    unsure: tuple[str, ...]  # ids the file gives (_file_ids) that none of its records has validly
    asked: bool
    extras: str = ""  # the vocabularies site.yaml extends, as checked against
    # each entry's mapping, and the problems its check found: an entry of the file checked
    # again that is the same mapping (rawrecords._items) is taken as it was (not kept on disk)
    entries: tuple | None = None
    problems: tuple = ()

    def __getstate__(self) -> dict:
        return {**self.__dict__, "entries": None}  # held by the memo's parsed files already


def _check_entry(kind: str, data: YamlMap, context: Context, diagnostics: Diagnostics) -> tuple:
    """One record checked on its own → (id or None, where the id is, whether it had no error,
    the model record): a pure function of its mapping and the context."""
    checker = _Checker(diagnostics, context)
    what = _named(KIND_OF[kind], data)
    values = checker.record(data, RECORD_OF[kind], what)
    if kind == "facts":
        _check_fact(data, values, checker, what)
    ident = values["id"]
    if ident is None:
        return None, None, False, None
    return ident, data.value_location("id"), not checker.failed, _build(kind, data, values)


def _check_file(kind: str, entries: tuple[YamlMap, ...], context: Context,
                diagnostics: Diagnostics, before: _FileCheck | None = None,
                extras: str = "") -> _FileCheck:
    """Each record of one file checked on its own (a pure function of the file's entries and
    the context); an entry that is a mapping `before` checked (the file's last check, against
    the same vocabularies, no hint of it naming an id) taken from it, its problems told again."""
    ids = context.ids
    if isinstance(ids, _Ids):
        ids.asked = False
    held = {}
    if before is not None and before.entries is not None and before.extras == extras \
            and not before.asked:
        held = {id(data): (entry, problems) for data, entry, problems
                in zip(before.entries, before.checked, before.problems)}
    checked, problems = [], []
    for data in entries:
        entry, found = held.get(id(data), (None, None))  # (its mapping is alive in `before`)
        if entry is not None:
            for problem in found:
                diagnostics.add(problem)
        else:
            start = len(diagnostics.items)
            entry = _check_entry(kind, data, context, diagnostics)
            found = tuple(diagnostics.items[start:])
        checked.append(entry)
        problems.append(found)
    named = tuple(entry for entry in checked if entry[0] is not None)
    valid = frozenset(ident for ident, _, ok, _ in named if ok)
    return _FileCheck(kind, tuple(checked), tuple(record for *_, record in named),
                      tuple(ident for ident, *_ in named), valid,
                      tuple(ident for ident in _file_ids(entries) if ident not in valid),
                      isinstance(ids, _Ids) and ids.asked, extras, entries, tuple(problems))


def _checked(file: RawFile, context: Context, read_in, extras: str, memo: Memo | None,
             diagnostics: Diagnostics) -> _FileCheck:
    """One file's check, memoised by its text: a hundred fact files, one edited, and the
    others' records are not made again. A check whose hint named the closest id is kept with a
    digest of every id given (`_Ids.key`: made only then)."""
    if memo is None:
        return _check_file(file.kind, file.entries, dataclasses.replace(
            context, read_date=read_in(None)), diagnostics)
    kept = memo.get("dates", file.path, dict)  # its dates' readings, for when it is checked again
    before = memo.carried.get("validate", {}).get(file.path)  # its check by the last build

    def check(found: Diagnostics) -> _FileCheck:
        checked = _check_file(file.kind, file.entries,
                              dataclasses.replace(context, read_date=read_in(kept)), found,
                              before, extras)
        return checked if before is None else _reusing(checked, before)
    key = (file.kind, file.path, file.text, extras)
    found = Diagnostics(stage=diagnostics.stage)
    result = memo.reported("records", key, check, found)
    if result.asked:
        found = Diagnostics(stage=diagnostics.stage)
        result = memo.reported("records", (*key, context.ids.key()), check, found)
    for problem in found.items:
        diagnostics.add(problem)
    return result


def _checked_one_by_one(raw: RawContent, context: Context,
                        diagnostics: Diagnostics) -> tuple[list[_FileCheck], dict[str, str]]:
    """A build without memo: raw's files handed over (raw.files is left empty), each checked in
    turn and let go with its parsed YAML, so that the YAML and the records made of it are never
    all held at once (the YAML is three times the records' size). Every id given is known only
    once every file is: a check that finds a problem (whose hint may name the closest id given)
    is dropped and the file checked again then, in its place; a check without one read no id.
    Returns the checks, in file order, and every id given (as _given_ids)."""
    files, raw.files = raw.files, []
    files.reverse()  # taken from the end: the first file first
    alone = dataclasses.replace(context, ids={})
    given: dict[str, str] = {}
    checks: list[_FileCheck] = []
    again: list[tuple[int, RawFile]] = []
    while files:
        file = files.pop()
        _note_ids(given, file)
        found = Diagnostics(stage=diagnostics.stage)
        checks.append(dataclasses.replace(_check_file(file.kind, file.entries, alone, found),
                                          entries=None))
        if found.items:
            again.append((len(checks) - 1, file))
    given = _given_ids(raw, given)  # and those of the files YAML could not parse
    every = dataclasses.replace(context, ids=given)
    for at, file in again:
        checks[at] = dataclasses.replace(
            _check_file(file.kind, file.entries, every, diagnostics), entries=None)
    return checks, given


def _reusing(checked: _FileCheck, before: _FileCheck) -> _FileCheck:
    """`checked`, with each record the same as the one of its file's last check (its values
    and where each sat) that one, not an equal copy: a file of a hundred facts saved with one
    edited, and later steps find the ninety-nine others as they left them, by identity."""
    last = dict(zip(before.ids, before.records))

    def kept(ident, record):
        held = last.get(ident)
        return held if held is not None and _same_record(held, record) else record
    entries = tuple(entry if entry[0] is None else (*entry[:3], kept(entry[0], entry[3]))
                    for entry in checked.checked)
    return dataclasses.replace(checked, checked=entries, records=tuple(
        entry[3] for entry in entries if entry[0] is not None))


def _same_record(one, other) -> bool:
    """Equal records, and where their keys and list items sit too (compared apart)."""
    def places(record) -> tuple:
        return (getattr(record, "key_locations", None), getattr(record, "ref_locations", None),
                getattr(record, "quote_location", None))
    return type(one) is type(other) and one == other and places(one) == places(other) and \
        all(places(a) == places(b) for a, b in zip(getattr(one, "citations", ()),
                                                   getattr(other, "citations", ())))


def _merged(checks: list[_FileCheck], raw: RawContent, ids: Mapping[str, str],
            diagnostics: Diagnostics,
            last: tuple | None = None) -> tuple[dict[str, tuple], dict[str, str], bool]:
    """The records of every file by kind, each id once (a duplicate reported, the first kept),
    and the ids given that no valid record has (→ kind); and whether no id was given twice.
    Without duplicates (a briefing being
    edited, mostly), made of each file's parts, without a step per record; and, given `last`
    (the checks, records and invalid ids of the last build, which had no duplicate), taken
    from it where the files that changed give the ids they gave, valid as they were."""
    def by_kind() -> dict[str, tuple]:
        return {kind: tuple(itertools.chain.from_iterable(
            check.records for check in checks if check.kind == kind)) for kind in RECORD_OF}
    if last is not None and not raw.unparsed and len(last[0]) == len(checks):
        changed = [(old, new) for old, new in zip(last[0], checks) if old is not new]
        if all((old.kind, old.ids, old.valid, old.unsure) == (new.kind, new.ids, new.valid,
                                                              new.unsure) for old, new in changed):
            return (by_kind() if changed else last[1]), last[2], True
    every = list(itertools.chain.from_iterable(check.ids for check in checks))
    if len(set(every)) == len(every):
        records = by_kind()
        unsure = [(ident, KIND_OF[check.kind]) for check in checks for ident in check.unsure]
        unsure += [(ident, kind) for kind, ident in _unparsed_ids(raw)]
        invalid: dict[str, str] = {}
        if unsure:
            valid = frozenset().union(*(check.valid for check in checks))
            for ident, kind in unsure:
                if ident not in valid:
                    invalid.setdefault(ident, kind)
        return records, invalid, True
    records = {kind: [] for kind in RECORD_OF}
    first_seen: dict[str, Location] = {}
    valid: set[str] = set()
    for check in checks:
        for ident, at, ok, record in check.checked:
            if ident is None:
                continue  # reported; nothing can refer to a record without an id
            if ident in first_seen:
                diagnostics.error(at, f"duplicate id '{ident}'", key="id",
                                  hint="ids are unique across facts, sources and entities",
                                  related=first_seen[ident])
                continue
            first_seen[ident] = at
            if ok:
                valid.add(ident)
            records[check.kind].append(record)
    invalid = {ident: kind for ident, kind in ids.items() if ident not in valid}
    return {kind: tuple(found) for kind, found in records.items()}, invalid, False


def _page(raw_page: RawPage, memo: Memo | None, diagnostics: Diagnostics) -> model.Page | None:
    """One page's front matter checked and its body parsed; None for a file name that is no
    slug. Memoised by the page's file: a thousand pages, one edited, the others not made again."""
    make = functools.partial(_make_page, raw_page, memo)
    return make(diagnostics) if memo is None else \
        memo.reported("page record", (raw_page.path, raw_page.text), make, diagnostics)


def _pages(raw: RawContent, memo: Memo | None, diagnostics: Diagnostics) -> tuple:
    """Each page's record (_page), in order. With a memo, a raw page that is the last build's
    object (its file unchanged: the loader kept it) gives the last build's record, its problems
    told again, without being looked up: a thousand pages, each build."""
    if memo is None:
        return tuple(page for raw_page in raw.pages
                     if (page := _page(raw_page, None, diagnostics)) is not None)
    last, kept = memo.carried.get("page records", {}), {}
    for raw_page in raw.pages:
        held = last.get(raw_page.path)
        if held is not None and held[0] is raw_page:
            memo.keep("page record", (raw_page.path, raw_page.text))
        else:
            found = Diagnostics(stage=diagnostics.stage)
            held = (raw_page, _page(raw_page, memo, found), tuple(found.items))
        for problem in held[2]:
            diagnostics.add(problem)
        kept[raw_page.path] = held
    memo.carried["page records"] = kept
    return tuple(held[1] for held in kept.values() if held[1] is not None)


def _make_page(raw_page: RawPage, memo: Memo | None,
               diagnostics: Diagnostics) -> model.Page | None:
    if not ID_PATTERN.match(raw_page.slug):
        diagnostics.error(Location(raw_page.path), f"page file name '{raw_page.slug}' is not "
                          "a valid slug: expected [a-z0-9][a-z0-9-]*", key="slug",
                          hint="rename the file in lower case with hyphens")
        return None
    # A page with a bad front matter still counts for its citations, so that one missing
    # title does not also report every fact it cites as uncited.
    values, _ = check_fields(raw_page.front, PAGE_FIELDS, "page front matter", diagnostics)
    values["title"] = values["title"] or raw_page.slug
    return model.Page(slug=raw_page.slug, body=raw_page.body, body_line=raw_page.body_line,
                      location=Location(raw_page.path, 1, 1),
                      prose=_prose(raw_page.body, Location(raw_page.path, raw_page.body_line, 1),
                                   memo), **values)


def validate(raw: RawContent, diagnostics: Diagnostics,
             memo: Memo | None = None) -> model.Content:
    ids = _Ids(raw)
    read_in = _date_reader(memo)
    context = Context(ids=ids, read_date=read_in({}))
    config = None
    if raw.site is not None:
        checker = _Checker(diagnostics, context)
        values = checker.record(raw.site, schema.SITE, "site.yaml")
        context.extra_values = {spec.type.vocab.name: values[spec.name]
                                for spec in schema.SITE.fields
                                if isinstance(spec.type, schema.KindMap)}
        if values["title"] is not None and values["language"] is not None:
            config = model.SiteConfig(location=raw.site.location,
                                      key_locations=_key_locations(raw.site),
                                      ref_locations=_item_locations(raw.site, schema.SITE),
                                      **values)

    extras = repr(context.extra_values)  # what a record's check reads of site.yaml
    if memo is None:
        checks, ids = _checked_one_by_one(raw, context, diagnostics)
    else:
        checks = [_checked(file, context, read_in, extras, memo, diagnostics)
                  for file in raw.files]
        memo.carried["validate"] = {file.path: check for file, check in zip(raw.files, checks)}
    last = memo.carried.pop("merged", None) if memo is not None else None
    records, invalid, unique = _merged(checks, raw, ids, diagnostics, last)
    if memo is not None and unique and not raw.unparsed:
        memo.carried["merged"] = (checks, records, invalid)
    pages = _pages(raw, memo, diagnostics)
    summary = None
    if raw.summary_path:
        summary = model.Page(slug="", title="Summary", body=raw.summary, body_line=1,
                             location=Location(raw.summary_path, 1, 1),
                             prose=_prose(raw.summary, Location(raw.summary_path, 1, 1), memo))
    return model.Content(config, records["sources"], records["entities"], records["facts"],
                         pages, dict(raw.documents), summary, invalid=invalid)
