"""Docs: the field tables of `docs/content-format.md` and the JSON Schemas in `schemas/`, both
generated from `schema.py`, so that what the docs and an editor's YAML language server say is what
the validator does.

Owns: turning a `schema.Record` into a Markdown table and into a JSON Schema, and `generate`,
which returns every generated file's text ({path: text}); `build.py schema` writes them and a test
checks the committed copies are current. Writes nothing itself.
"""

from __future__ import annotations

import json
import re

from . import schema, vocabulary

SCHEMA_BASE = "https://factsheet.invalid/schemas/"  # an id, never fetched
# A generated region of the docs: <!-- generated: fields fact --> … <!-- end generated -->
REGION = re.compile(r"(<!-- generated: (\w+) (\w+) -->\n).*?(<!-- end generated -->)", re.DOTALL)
VOCABULARIES = {"status": vocabulary.STATUSES, "source_kind": vocabulary.SOURCE_KINDS,
                "entity_kind": vocabulary.ENTITY_KINDS, "qualifier": vocabulary.QUALIFIERS}
# content/ file → the record it holds; files under sources/ etc. hold one record or a list.
SCHEMA_FILES = {"site": ("site", False), "source": ("source", True), "entity": ("entity", True),
                "fact": ("fact", True), "page": ("page", False)}


def _required(spec: schema.Field) -> str:
    if spec.required:
        return "yes (may be `null`)" if spec.nullable else "yes"
    return "no"


def _meaning(spec: schema.Field) -> str:
    text = spec.description
    kind = spec.type
    if isinstance(kind, schema.Choice):
        text += "; one of " + ", ".join(f"`{v}`" for v in kind.vocab.values)
    elif isinstance(kind, schema.Record):
        text += f"; a list of {kind.name} mappings (" + \
            ", ".join(f"`{n}`" for n in kind.names) + ")"
    elif isinstance(kind, schema.ListOf):
        text += f" ({kind.expected})"
    return text.replace("|", "\\|")


def field_table(record: schema.Record) -> str:
    rows = ["| key | required | meaning |", "|---|---|---|"]
    rows += [f"| `{f.name}` | {_required(f)} | {_meaning(f)} |" for f in record.fields]
    return "\n".join(rows) + "\n"


def vocabulary_table(vocab: vocabulary.Vocabulary) -> str:
    rows = [f"| {vocab.name} | meaning |", "|---|---|"]
    rows += [f"| `{value}` | {meaning} |" for value, meaning in vocab.meanings.items()]
    return "\n".join(rows) + "\n"


def _value_schema(spec: schema.Field) -> dict:
    if isinstance(spec.type, schema.Record):
        found = {"type": "array", "minItems": 1 if spec.required else 0,
                 "items": {"$ref": f"#/$defs/{spec.type.name}"}}
    else:
        found = spec.type.json()
    if spec.nullable or not spec.required:  # an optional key may be null: same as absent
        found = {"anyOf": [found, {"type": "null"}]}
    return {"description": spec.description, **found}


def record_schema(record: schema.Record) -> dict:
    return {"type": "object",
            "properties": {f.name: _value_schema(f) for f in record.fields},
            "required": [f.name for f in record.fields if f.required],
            "additionalProperties": False}


def json_schema(name: str) -> dict:
    record_name, listable = SCHEMA_FILES[name]
    record = schema.RECORDS[record_name]
    nested = {f.type.name: record_schema(f.type) for f in record.fields
              if isinstance(f.type, schema.Record)}
    top = {"$schema": "https://json-schema.org/draft/2020-12/schema",
           "$id": f"{SCHEMA_BASE}{name}.schema.json",
           "title": f"factsheet {record.name}",
           "$defs": {record.name: record_schema(record), **nested}}
    one = {"$ref": f"#/$defs/{record.name}"}
    if listable:
        top["oneOf"] = [one, {"type": "array", "items": one}]
    else:
        top.update(one)
    return top


def render_docs(text: str) -> str:
    """The docs text with every generated region brought up to date."""
    def region(match: re.Match) -> str:
        what, name = match.group(2), match.group(3)
        body = field_table(schema.RECORDS[name]) if what == "fields" else \
            vocabulary_table(VOCABULARIES[name])
        return match.group(1) + body + match.group(4)
    return REGION.sub(region, text)


def generate(docs_text: str) -> dict[str, str]:
    """{repository path: text} for every generated file."""
    files = {f"schemas/{name}.schema.json": json.dumps(json_schema(name), indent=2,
                                                        ensure_ascii=False) + "\n"
             for name in SCHEMA_FILES}
    files["docs/content-format.md"] = render_docs(docs_text)
    return files
