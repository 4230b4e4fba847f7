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
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import citing, schema, structured, vocabulary
from .dates import PartialDate
from .datewords import FAR_FUTURE, FAR_PAST
from .depends import changes
from .listing import Listing
from .memo import Memo
from .model import Entity, Fact, Site, Source, quote_anchor
from .packed import Deflating, Parts
from .provenance import chain_of
from .urls import output_path

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


def _plan(counts: dict, fact_schema: dict) -> list[tuple]:
    """The CSV's columns for `counts` groups of columns of each of GROUPS (as many as the fact
    with the most has): (name, how to read its cell from a fact's record), worked out once."""
    defs = fact_schema["$defs"]
    return [(column, cell) for key, spec in defs["fact"]["properties"].items()
            for column, _, cell in _columns(key, spec, defs, counts)]


def _csv_line(cells: list[str]) -> str:
    """One row as _facts_files writes it (the csv module's excel dialect, "\n" line ends)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


def _groups(site: Site, fact: Fact) -> tuple[int, ...]:
    """How many items fact_record lists in each of GROUPS for the fact, without making it."""
    return (len(fact.citations), len(fact.corrections), len(fact.quantities),
            len(site.chains[fact.id]))


def _facts_files(site: Site, fact_schema: dict) -> tuple[bytes | Parts, bytes | Parts]:
    """data/facts.json and data/facts.csv, one fact at a time: its record made, its JSON line
    and CSV row written (deflated as they come: packed.Deflating) and the record let go. Neither
    every record (0.24 GB at 100,000 facts) nor either file is held whole at once."""
    facts = [site.facts[ident] for ident in sorted(site.facts)]
    counts = tuple(map(max, zip(*map(functools.partial(_groups, site), facts)))) \
        if facts else (0,) * len(GROUPS)
    plan = _plan(dict(zip(GROUPS, counts)), fact_schema)
    json_file, csv_file = Deflating(), Deflating()
    rows = csv.writer(csv_file, lineterminator="\n")
    rows.writerow([column for column, _ in plan])
    json_file.write("[\n")
    for number, fact in enumerate(facts):
        record = fact_record(site, fact)
        json_file.write((",\n" if number else "") + json.dumps(record, ensure_ascii=False))
        rows.writerow([cell(record) for _, cell in plan])
    json_file.write("\n]\n")
    return json_file.packed() if facts else _json([]), csv_file.packed()


@dataclass
class Exported:
    """What the exports of one build keep for the next (in the memo of `serve`, and on disk for
    the next process: pipeline.BuildState): each record's line and what it read (listing.py),
    and the files that depend on the briefing's settings alone."""

    site: Site  # the resolved site they were made from
    # (how many items of each of GROUPS, JSON line)
    facts: Listing = field(default_factory=lambda: Listing("facts"))
    sources: Listing = field(default_factory=lambda: Listing("sources"))  # (JSON, CSL-JSON line)
    entities: Listing = field(default_factory=lambda: Listing("entities"))  # JSON line
    rows: dict = field(default_factory=dict)  # fact id → its row of facts.csv
    # GROUPS → how many facts have how many of each (the counts of _plan, kept up to date)
    lengths: dict = field(default_factory=lambda: {key: Counter() for key in GROUPS})
    counts: tuple = ()  # the counts the rows were made for
    # (site.config, json_schemas of it, {kind: data/<kind>.schema.json}): of the config alone
    schemas: tuple = (None, None, None)


def _fact_maker(fresh: dict) -> Callable[[Site, str], tuple[tuple[int, ...], str]]:
    """What is kept of a fact: how many items its record lists in each of GROUPS, and its JSON
    line. The record itself (thirty objects a fact: 0.3 million at 10,000 facts, most of the
    memory and the pickling of what is kept) goes into `fresh`, held only for its CSV row."""
    def made(site: Site, ident: str) -> tuple[tuple[int, ...], str]:
        fact = site.facts[ident]
        record = fresh[ident] = fact_record(site, fact)
        return _groups(site, fact), json.dumps(record, ensure_ascii=False)
    return made


def _source_made(site: Site, ident: str) -> tuple[str, str]:
    source = site.sources[ident]
    return (json.dumps(source_record(site, source), ensure_ascii=False),
            json.dumps(citing.csl_item(site, source), ensure_ascii=False))


def _entity_made(site: Site, ident: str) -> str:
    return json.dumps(entity_record(site, site.entities[ident]), ensure_ascii=False)


def _patched(site: Site, last: Exported | None, carried: dict, fresh: dict) -> Exported:
    """`last` brought up to date with `site` (made anew without one): only the records whose
    line read a part of the site changed since are made again (their fact records into
    `fresh`)."""
    changed = changes(carried, last.site, site) if last is not None else None
    found = last or Exported(site)
    found.site = site
    found.facts.update(site, changed, _fact_maker(fresh))
    found.sources.update(site, changed, _source_made)
    found.entities.update(site, changed, _entity_made)
    for ident, (lengths, _) in found.facts.before.items():
        for key, length in zip(GROUPS, lengths):
            found.lengths[key][length] -= 1
    for ident in found.facts.dirty:
        for key, length in zip(GROUPS, found.facts[ident][0]):
            found.lengths[key][length] += 1
    config = site.config
    if found.schemas[0] is not config and found.schemas[0] != config:
        schemas = json_schemas(site)
        found.schemas = (config, schemas, {kind: _json(schemas[kind]) for kind in KINDS})
    return found


def _csv_file(exported: Exported, fact_schema: dict, fresh: dict) -> Parts:
    """data/facts.csv from the kept lines: the rows of the facts made again (their records in
    `fresh`), or every row when the file gained or lost columns (_plan), the others' records
    read back from their JSON lines (which hold every field of the record as it was made)."""
    counts = tuple(max((n for n, many in exported.lengths[key].items() if many), default=0)
                   for key in GROUPS)
    plan = _plan(dict(zip(GROUPS, counts)), fact_schema)
    facts, rows = exported.facts, exported.rows
    every = counts != exported.counts
    for ident in facts.before.keys() - facts.made.keys():
        rows.pop(ident, None)
    for ident in facts.ids if every else facts.dirty:
        record = fresh.get(ident) or json.loads(facts[ident][1])
        rows[ident] = _csv_line([cell(record) for _, cell in plan])
    exported.counts = counts
    return facts.file("csv", _csv_line([column for column, _ in plan]), rows.__getitem__, "", "",
                      everything=every)


def _listed(listing: Listing, text) -> bytes | Parts:
    """A JSON list of one record a line (as _json writes it), from a listing's chunks."""
    if not listing.ids:
        return _json([])
    return listing.file("json", "[\n", text, ",\n", "\n]\n")


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
    (serve, a build from the cache), what the last build kept (Exported, in memo.carried) is
    patched: only the records whose line read a changed part of the site are made again, and
    the long files are held as parts (packed.Parts), deflated again only where they changed."""
    if memo is None or not site.facts:
        schemas = json_schemas(site)
        schema_files = {kind: _json(schemas[kind]) for kind in KINDS}
        facts_json, facts_csv_bytes = _facts_files(site, schemas["facts"])
        sources = [source_record(site, site.sources[i]) for i in sorted(site.sources)]
        entities = [entity_record(site, site.entities[i]) for i in sorted(site.entities)]
        data = {"facts": facts_json, "sources": _json(sources), "entities": _json(entities),
                "facts.csv": facts_csv_bytes, "csl": _json(citing.csl_items(site))}
    else:
        # Taken out while it is patched: an export that fails leaves nothing half-patched
        # for the next build, which then makes every line again.
        fresh: dict = {}
        exported = _patched(site, memo.carried.pop("exports", None), memo.carried, fresh)
        _, schemas, schema_files = exported.schemas
        facts, sources = exported.facts, exported.sources
        data = {"facts": _listed(facts, lambda ident: facts[ident][1]),
                "sources": _listed(sources, lambda ident: sources[ident][0]),
                "entities": _listed(exported.entities, exported.entities.__getitem__),
                "facts.csv": _csv_file(exported, schemas["facts"], fresh),
                "csl": sources.file("csl", "[\n", lambda ident: sources[ident][1], ",\n",
                                    "\n]\n") if sources.ids else _json([])}
        memo.carried["exports"] = exported
    files = {}
    for kind in KINDS:
        files[output_path("data", f"{kind}.json")] = data[kind]
        files[output_path("data", f"{kind}.schema.json")] = schema_files[kind]
    files[output_path("data", "facts.csv")] = data["facts.csv"]
    files[output_path("data", "sources.csl.json")] = data["csl"]
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
