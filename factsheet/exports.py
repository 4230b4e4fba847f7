"""Exports: the resolved site as data files beside its pages, for reuse and for citing.

Owns: data/facts.json, data/facts.csv, data/sources.json and data/entities.json (records ordered
by id, every key always present, `null` where the briefing does not know), a JSON Schema published
beside each JSON file, and data/sources.csl.json (the sources as CSL-JSON, from citing.py). A field
the content format has keeps its meaning from schema.py and its vocabulary from vocabulary.py;
what is computed (chains, claimants, dates as days, pages) is described here, once. The CSV's
columns and the field tables of docs/exports.md are derived from the same schemas. Pure: the same
site gives the same bytes; nothing is fetched or written here.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

from . import citing, schema, splice, structured, vocabulary
from .dates import PartialDate
from .datewords import FAR_FUTURE, FAR_PAST
from .depends import Watched, changes
from .memo import Key, Memo, memoised
from .model import Entity, Fact, Site, Source, quote_anchor
from .packed import Parts
from .provenance import chain_of
from .render import output_path

KINDS = ("facts", "sources", "entities")  # data/<kind>.json, each with data/<kind>.schema.json
DOCS = Path(__file__).resolve().parent.parent / "docs" / "exports.md"


# --- records ----------------------------------------------------------------------------------

def _day(day: tuple) -> str | None:
    """(2024, 6, 19) → "2024-06-19" (ISO 8601, sortable); None for an open end."""
    if day in (FAR_PAST, FAR_FUTURE):
        return None
    year, month, date = day
    sign = "-" if year < 0 else "+" if year > 9999 else ""
    return f"{sign}{abs(year):04d}-{month:02d}-{date:02d}"


def _date(date: PartialDate | None) -> dict | None:
    if date is None:
        return None
    return {"edtf": date.edtf, "text": date.text, "precision": date.precision,
            "iso": date.machine or None, "earliest": _day(date.lower), "latest": _day(date.upper)}


def _page(site: Site, kind: str, ident: str) -> dict:
    path = output_path(kind, ident)
    return {"page": path, "page_url": structured.absolute(site, path) or None}


def fact_record(site: Site, fact: Fact) -> dict:
    citations = [{"source": c.source, "quote": c.quote, "locator": c.locator or None,
                  "chain": list(chain_of(fact, c)),
                  "archived_at": output_path("source", c.source) + "#" + quote_anchor(fact.id, n)
                  if site.sources[c.source].document else None}
                 for n, c in enumerate(fact.citations, 1)]
    quantities = [{"label": q.label, "value": list(q.value) if isinstance(q.value, tuple)
                   else q.value, "unit": q.unit or None, "qualifier": q.qualifier,
                   "converted": q.converted, "as_of": _date(q.as_of)} for q in fact.quantities]
    return {"id": fact.id, "claim": fact.claim, "status": fact.status,
            "date": _date(fact.date), "date_note": fact.date_note or None,
            "as_of": _date(fact.as_of), "added": _date(fact.added),
            "corrections": [{"date": _date(c.date), "note": c.note} for c in fact.corrections],
            "about": list(fact.about),
            "attribution": list(fact.attribution), "citations": citations,
            "chains": [{"entities": list(c.entities), "sources": list(c.sources)}
                       for c in site.chains[fact.id]],
            "claimants": list(site.claimants[fact.id]), "quantities": quantities,
            "related": list(site.relations.get(fact.id, ())),
            "contradicts": list(site.contradictions.get(fact.id, ())),
            "tags": list(fact.tags), "notes": fact.notes or None, **_page(site, "fact", fact.id)}


def source_record(site: Site, source: Source) -> dict:
    return {"id": source.id, "title": source.title, "kind": source.kind,
            "publisher": source.publisher, "published": _date(source.published),
            "author": source.author, "url": source.url, "archive_url": source.archive_url,
            "accessed": _date(source.accessed), "language": source.language,
            "archived": source.document is not None, "notes": source.notes or None,
            "facts": list(site.facts_citing.get(source.id, ())),
            **_page(site, "source", source.id)}


def entity_record(site: Site, entity: Entity) -> dict:
    return {"id": entity.id, "name": entity.name, "kind": entity.kind,
            "description": entity.description or None, "aliases": list(entity.aliases),
            "wikidata": entity.wikidata, "facts_about": list(site.facts_about.get(entity.id, ())),
            "facts_attributed": list(site.facts_attributed.get(entity.id, ())),
            **_page(site, "entity", entity.id)}


def fact_inputs(site: Site, fact: Fact) -> tuple:
    """Everything fact_record reads, as a memo key: the fact (compared without its source
    locations), whether each cited source is archived, what resolve worked out for it, and
    the base_url of its page_url."""
    return (fact, tuple(site.sources[c.source].document is not None for c in fact.citations),
            site.chains[fact.id], site.claimants[fact.id], site.relations.get(fact.id, ()),
            site.contradictions.get(fact.id, ()), site.config.base_url)


# --- JSON Schemas -----------------------------------------------------------------------------

ID, TEXT, NULL = schema.Id().json(), {"type": "string"}, {"type": "null"}
IDS, DATE = {"type": "array", "items": ID}, {"$ref": "#/$defs/date"}


def _maybe(value: dict) -> dict:
    return {"anyOf": [value, NULL]}


def _list(name: str, at_least: int = 0) -> dict:
    return {"type": "array", "minItems": at_least, "items": {"$ref": f"#/$defs/{name}"}}


def _choice(vocab: vocabulary.Vocabulary, own: dict | None = None) -> dict:
    """A vocabulary with each value's meaning; the briefing's own kinds with their names."""
    return {"oneOf": [{"const": value, "description": meaning}
                      for value, meaning in vocab.meanings.items()] +
                     [{"const": kind, "description": f"{name} (a kind of this briefing's own)"}
                      for kind, name in (own or {}).items()]}


def _as(record: str, name: str, value: dict | None = None, more: str = "") -> tuple:
    """A field the content format has: its meaning from schema.py; its value as the content
    format checks it (or null) unless given."""
    spec = next(f for f in schema.RECORDS[record].fields if f.name == name)
    return name, value or _maybe(spec.type.json()), spec.description + more


PAGE = [("page", TEXT, "path of the record's page within the site, e.g. `facts/<id>.html`"),
        ("page_url", _maybe(schema.Url().json()), "absolute URL of that page when `site.yaml` "
         "gives a `base_url`; null otherwise")]
TIMELINE = ", in timeline order"


def definitions(source_kinds: dict | None = None, entity_kinds: dict | None = None) -> dict:
    """Each exported record's fields, in order: (key, JSON Schema of its value, meaning)."""
    own = "; both directions, as the fact page lists them"
    return {
        "fact": [
            _as("fact", "id", ID), _as("fact", "claim", TEXT),
            _as("fact", "status", _choice(vocabulary.STATUSES)),
            _as("fact", "date", _maybe(DATE)), _as("fact", "date_note", _maybe(TEXT)),
            _as("fact", "as_of", _maybe(DATE)), _as("fact", "added", _maybe(DATE)),
            _as("fact", "corrections", _list("correction"), " (oldest first)"),
            _as("fact", "about", IDS),
            _as("fact", "attribution", IDS, "; `[]` also where every citation has its own"),
            _as("fact", "citations", _list("citation", 1)),
            ("chains", _list("chain"), "the fact's distinct attribution chains in order of first "
             "citation, each with the sources relaying it: what the fact page shows as "
             "\"According to\""),
            ("claimants", IDS, "the independent original claimants: the first entity of each "
             "chain, or a source's id where it speaks in its own voice; their number is the "
             "fact page's count of independent sources"),
            _as("fact", "quantities", _list("quantity")), _as("fact", "related", IDS, own),
            _as("fact", "contradicts", IDS, own),
            _as("fact", "tags", {"type": "array", "items": TEXT}),
            _as("fact", "notes", _maybe(TEXT)), *PAGE],
        "citation": [
            _as("citation", "source", ID), _as("citation", "quote", TEXT),
            _as("citation", "locator", _maybe(TEXT)),
            ("chain", IDS, "who said it as this source relays it, entity ids from the original "
             "claimant outward (the citation's own `attribution`, else the fact's); `[]`: the "
             "source says it in its own voice"),
            ("archived_at", _maybe(TEXT), "path of the quote, highlighted in the source's "
             "archived text (`sources/<id>.html#quote-<fact>-<n>`); null where the site holds "
             "no archived text of the source")],
        "correction": [
            _as("correction", "date", DATE), _as("correction", "note", TEXT)],
        "quantity": [
            _as("quantity", "label", TEXT), _as("quantity", "value", schema.NumberOrRange().json()),
            _as("quantity", "unit", _maybe(TEXT)),
            _as("quantity", "qualifier", _choice(vocabulary.QUALIFIERS)),
            _as("quantity", "converted", {"type": "boolean"}),
            _as("quantity", "as_of", _maybe(DATE))],
        "chain": [
            ("entities", IDS, "entity ids, the original claimant first; `[]`: the sources speak "
             "in their own voice"),
            ("sources", IDS, "ids of the sources relaying the chain, in order of first citation")],
        "date": [
            ("edtf", TEXT, "the date as the content gives it, in EDTF"),
            ("text", TEXT, "the date in words, as the site shows it"),
            ("precision", TEXT, "what the date picks out: `time`, `day`, `month`, `year`, "
             "`season` (or another part of a year), `range`, `set` or `other`"),
            ("iso", _maybe(TEXT), "ISO 8601 form where the date is exact (a day, month, year or "
             "time, neither uncertain nor approximate); null otherwise"),
            ("earliest", _maybe(TEXT), "the earliest day it may mean, `YYYY-MM-DD`: sorts in "
             "date order; null where the date is open at its start"),
            ("latest", _maybe(TEXT), "the latest day it may mean, `YYYY-MM-DD`; null where the "
             "date is open at its end")],
        "source": [
            _as("source", "id", ID), _as("source", "title", TEXT),
            _as("source", "kind", _choice(vocabulary.SOURCE_KINDS, source_kinds)),
            _as("source", "publisher", _maybe(TEXT)), _as("source", "published", _maybe(DATE)),
            _as("source", "author", _maybe(TEXT)), _as("source", "url"),
            _as("source", "archive_url"), _as("source", "accessed", _maybe(DATE)),
            _as("source", "language"),
            ("archived", {"type": "boolean"}, "whether the site holds the source's archived "
             "text, shown on its page with every quote highlighted"),
            _as("source", "notes", _maybe(TEXT)),
            ("facts", IDS, "ids of the facts citing the source" + TIMELINE), *PAGE],
        "entity": [
            _as("entity", "id", ID), _as("entity", "name", TEXT),
            _as("entity", "kind", _choice(vocabulary.ENTITY_KINDS, entity_kinds)),
            _as("entity", "description", _maybe(TEXT)),
            _as("entity", "aliases", {"type": "array", "items": TEXT}),
            _as("entity", "wikidata"),
            ("facts_about", IDS, "ids of the facts about the entity (their `about`)" + TIMELINE),
            ("facts_attributed", IDS, "ids of the facts whose attribution chains name the "
             "entity" + TIMELINE), *PAGE],
    }


NESTED = {"facts": ("fact", "citation", "correction", "quantity", "chain", "date"),
          "sources": ("source", "date"), "entities": ("entity",)}


def json_schemas(site: Site) -> dict[str, dict]:
    """data/<kind>.schema.json for each kind: an array of records, ordered by id."""
    defs = definitions(site.config.source_kinds, site.config.entity_kinds)
    found = {}
    for kind, names in NESTED.items():
        found[kind] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"{kind} of the briefing {site.config.title}",
            "description": f"Every {names[0]} of the briefing, ordered by id; a value the "
                           f"briefing does not give is null, never guessed.",
            "type": "array", "items": {"$ref": f"#/$defs/{names[0]}"},
            "$defs": {name: {"type": "object",
                             "properties": {key: {"description": meaning, **value}
                                            for key, value, meaning in defs[name]},
                             "required": [key for key, _, _ in defs[name]],
                             "additionalProperties": False} for name in names}}
    return found


# --- CSV: one row per fact, columns derived from the schema -----------------------------------

def _cell(value) -> str:
    """A value in one cell: lists joined with "; " (ids never hold ';'), null empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(_cell(item) for item in value)
    return value if isinstance(value, str) else json.dumps(value)


def _columns(key: str, spec: dict, defs: dict, counts: dict) -> Iterator[tuple]:
    """(column, where in the JSON record it comes from, how to read its cell from a record)
    for one field of a record: worked out once, then applied to every fact."""
    ref = spec.get("$ref") or spec.get("items", {}).get("$ref") or \
        next((s["$ref"] for s in spec.get("anyOf", ()) if "$ref" in s), "")
    ref = ref.rpartition("/")[2]
    if spec.get("type") == "array" and ref:  # a list of records: numbered groups of columns
        for n in range(1, counts.get(key, 0) + 1):
            def item(record, n=n):
                value = record.get(key)
                return value[n - 1] if value and n <= len(value) else {}
            for sub, sub_spec in defs[ref]["properties"].items():
                for column, path, cell in _columns(sub, sub_spec, defs, counts):
                    yield (f"{ref}_{n}_{column}", f"{key}[N].{path}",
                           lambda record, cell=cell, item=item: cell(item(record)))
    elif ref == "date":  # date (its EDTF), date_text, date_precision, … date_latest
        for part in defs["date"]["properties"]:
            yield (key if part == "edtf" else f"{key}_{part}", f"{key}.{part}",
                   lambda record, part=part: _cell((record.get(key) or {}).get(part)))
    elif key == "value":  # a figure in `value`; a range [low, high] in `low` and `high`
        def part(record, at):
            value = record.get("value")
            if isinstance(value, list):
                return _cell(value[at]) if at is not None else ""
            return _cell(value) if at is None else ""
        yield "value", "value", lambda record: part(record, None)
        yield "low", "value[0]", lambda record: part(record, 0)
        yield "high", "value[1]", lambda record: part(record, 1)
    else:
        yield key, key, lambda record: _cell(record.get(key))


# A fact's lists of records, each a numbered group of CSV columns (citation_1_quote, …).
GROUPS = ("citations", "corrections", "quantities", "chains")


def csv_plan(facts: list[dict], fact_schema: dict) -> tuple[tuple, list[tuple]]:
    """How many groups of columns each of GROUPS has (as many as the fact with the most), and
    the columns: (name, how to read its cell from a fact's record), worked out once."""
    defs = fact_schema["$defs"]
    counts = {key: max((len(f[key]) for f in facts), default=0) for key in GROUPS}
    plan = [(column, cell) for key, spec in defs["fact"]["properties"].items()
            for column, _, cell in _columns(key, spec, defs, counts)]
    return tuple(counts.values()), plan


def csv_rows(facts: list[dict], fact_schema: dict) -> list[dict]:
    """Each fact as {column: cell}; every row has every column."""
    _, plan = csv_plan(facts, fact_schema)
    return [{column: cell(fact) for column, cell in plan} for fact in facts or [{}]]


def facts_csv(facts: list[dict], fact_schema: dict) -> str:
    rows = csv_rows(facts, fact_schema)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows if facts else [])
    return out.getvalue()


def _csv_line(cells: list[str]) -> str:
    """One row as facts_csv's writer writes it (the same dialect: excel, "\n" line ends)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


def _facts_files(site: Site, fact_schema: dict,
                 memo: Memo | None) -> tuple[bytes | Parts, bytes | Parts]:
    """data/facts.json and data/facts.csv, each fact's JSON line and CSV row made once per
    value of what it reads (fact_inputs; the row also by how many groups of columns the file
    has, csv_plan), and the files held as chunks of lines deflated once per value
    (splice.joined): a serve rebuild after one edit makes one or a few again.
    The same bytes as _json and facts_csv of every fact's record, made afresh."""
    facts = [site.facts[i] for i in sorted(site.facts)]
    if memo is None or not facts:
        found = [fact_record(site, fact) for fact in facts]
        return _json(found), facts_csv(found, fact_schema).encode("utf-8")
    keys, made = zip(*_fact_lines(site, facts, memo))
    found = [record for record, _ in made]
    counts, plan = csv_plan(found, fact_schema)
    rows = [memoised(memo, "fact csv row", (key, counts),
                     lambda record=record: _csv_line([cell(record) for _, cell in plan]))
            for key, record in zip(keys, found)]
    cut = splice.spans([fact.id for fact in facts])
    deflated = functools.partial(memo.get, "deflated chunk")
    return (splice.joined("[\n", [line for _, line in made], ",\n", "\n]\n", cut, deflated),
            splice.joined(_csv_line([column for column, _ in plan]), rows, "", "", cut, deflated))


def _fact_lines(site: Site, facts: list[Fact], memo: Memo) -> list[tuple[Key, tuple]]:
    """Each fact's memo key and (record, JSON line), through `memo`; a fact whose inputs
    (what fact_inputs read of the site, noted as depends.py does for pages) did not change
    since the last build of this memo is not even looked up: its key and line are kept as they
    were. A one-fact edit at ten thousand facts builds one key, not ten thousand."""
    last = memo.carried.get("exports")
    changed = changes(memo.carried, last[0], site) if last is not None else None
    kept = last[1] if last is not None else {}
    lines = {}
    for fact in facts:
        old = kept.get(fact.id)
        if old is not None and changed.isdisjoint(old[0]):
            memo.keep("fact export", old[1])
            lines[fact.id] = old
            continue
        seen = {("facts", fact.id)}
        key = Key(fact_inputs(Watched(site, seen), fact), by=fact.id)
        lines[fact.id] = (frozenset(seen), key, memoised(
            memo, "fact export", key, lambda fact=fact: _fact_line(site, fact)))
    memo.carried["exports"] = (site, lines)
    return [lines[fact.id][1:] for fact in facts]


def _fact_line(site: Site, fact: Fact) -> tuple[dict, str]:
    record = fact_record(site, fact)
    return record, json.dumps(record, ensure_ascii=False)


# --- the files --------------------------------------------------------------------------------

def _json(value) -> bytes:
    """A list of records one per line (json's C encoder, ten times its indenting Python one at
    10,000 facts, and one line of a diff per changed record); anything else indented."""
    if isinstance(value, list) and value:
        text = "[\n" + ",\n".join(json.dumps(item, ensure_ascii=False) for item in value) + "\n]"
    else:
        text = json.dumps(value, ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def export_files(site: Site, memo: Memo | None = None) -> dict[str, bytes | Parts]:
    """{output path: bytes} of every data file, from the resolved site alone. With `memo`
    (serve), the facts' lines are reused where what they read did not change, and the facts'
    files are held as parts (packed.Parts), deflated only where they changed."""
    schemas = json_schemas(site)
    facts_json, facts_csv_bytes = _facts_files(site, schemas["facts"], memo)
    found = {"sources": [source_record(site, site.sources[i]) for i in sorted(site.sources)],
             "entities": [entity_record(site, site.entities[i]) for i in sorted(site.entities)]}
    files = {}
    for kind in KINDS:
        files[output_path("data", f"{kind}.json")] = \
            facts_json if kind == "facts" else _json(found[kind])
        files[output_path("data", f"{kind}.schema.json")] = _json(schemas[kind])
    files[output_path("data", "facts.csv")] = facts_csv_bytes
    files[output_path("data", "sources.csl.json")] = _json(citing.csl_items(site))
    return files


# --- docs/exports.md: its field tables, generated from the definitions above -------------------

def _type_words(spec: dict) -> str:
    if "anyOf" in spec:
        return " or ".join(_type_words(option) for option in spec["anyOf"])
    if "$ref" in spec:
        return f"{spec['$ref'].rpartition('/')[2]} object"
    if "oneOf" in spec:
        return "one of " + ", ".join(f"`{option['const']}`" for option in spec["oneOf"])
    if spec.get("type") == "array":
        return f"array of {_type_words(spec['items'])}s"
    return "id" if spec == ID else "URL" if spec == schema.Url().json() else spec["type"]


def field_table(name: str) -> str:
    rows = ["| key | type | meaning |", "|---|---|---|"]
    rows += [f"| `{key}` | {_type_words(value)} | {meaning} |".replace("\n", " ")
             for key, value, meaning in definitions()[name]]
    return "\n".join(rows) + "\n"


def csv_table() -> str:
    """The CSV's columns (N: the number of a citation, correction, quantity or chain) and their
    fields."""
    defs = {name: {"properties": {key: value for key, value, _ in fields}}
            for name, fields in definitions().items()}
    counts = dict.fromkeys(GROUPS, 1)
    rows = ["| column | field of facts.json |", "|---|---|"]
    for key, spec in defs["fact"]["properties"].items():
        for column, path, _ in _columns(key, spec, defs, counts):
            rows.append(f"| `{column.replace('_1_', '_N_')}` | `{path}` |")
    return "\n".join(rows) + "\n"


def csl_table() -> str:
    rows = ["| source kind | CSL type |", "|---|---|"]
    rows += [f"| `{kind}` | `{citing.CSL_TYPES[kind]}` |"
             for kind in vocabulary.SOURCE_KINDS.values]
    return "\n".join(rows) + "\n"


def render_docs(text: str) -> str:
    """docs/exports.md with each `<!-- generated: export NAME -->` region brought up to date."""
    tables = {"csv": csv_table, "csl": csl_table}

    def region(match) -> str:
        name = match.group(2)
        return match.group(1) + tables.get(name, lambda: field_table(name))() + match.group(3)
    return re.sub(r"(<!-- generated: export (\w+) -->\n).*?(<!-- end generated -->)", region,
                  text, flags=re.DOTALL)


if __name__ == "__main__":  # python -m factsheet.exports: regenerate docs/exports.md's tables
    DOCS.write_text(render_docs(DOCS.read_text(encoding="utf-8")), encoding="utf-8")
