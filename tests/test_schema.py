"""The schema is declared once: the docs tables and schemas/*.json are generated from it and
must be current, and the JSON Schema accepts the bundled briefing and rejects what the
validator rejects."""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import ROOT
from factsheet import docs, schema


def test_generated_docs_and_schemas_are_current():
    """Run `python build.py schema` after changing schema.py or vocabulary.py."""
    current = docs.generate((ROOT / "docs/content-format.md").read_text(encoding="utf-8"))
    for path, text in current.items():
        assert (ROOT / path).read_text(encoding="utf-8") == text, \
            f"{path} is out of date: run `python build.py schema`"


def test_every_field_is_in_the_docs():
    text = (ROOT / "docs/content-format.md").read_text(encoding="utf-8")
    for name, record in schema.RECORDS.items():
        assert f"<!-- generated: fields {name} -->" in text
        for field in record.fields:
            assert f"| `{field.name}` |" in text


def _validator(name: str):
    import jsonschema as js
    return js.Draft202012Validator(json.loads((ROOT / f"schemas/{name}.schema.json").read_text()))


@pytest.mark.parametrize("folder, name", [("facts", "fact"), ("sources", "source"),
                                          ("entities", "entity")])
def test_json_schema_accepts_the_bundled_briefing(folder, name):
    validator = _validator(name)
    for path in sorted((ROOT / "content" / folder).glob("*.yaml")):
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")),
                                     default=str))
        errors = list(validator.iter_errors(data))
        assert not errors, f"{path.name}: {errors[0].message}"


@pytest.mark.parametrize("fact, problem", [
    ({"id": "x", "claim": "c", "status": "unconfirmed", "attribution": [],
      "citations": [{"source": "s", "quote": "q"}]}, "status"),
    ({"id": "x", "claim": "c", "status": "stated", "attribution": [],
      "citations": [{"source": "s", "quote": "q"}], "contradict": []}, "unknown key"),
    ({"id": "X_1", "claim": "c", "status": "stated", "attribution": [],
      "citations": [{"source": "s", "quote": "q"}]}, "id"),
    ({"id": "x", "claim": "c", "status": "stated", "attribution": [], "citations": []},
     "no citation"),
])
def test_json_schema_rejects_what_the_validator_rejects(fact, problem):
    assert list(_validator("fact").iter_errors(fact)), problem


def test_an_empty_optional_list_is_accepted_by_both_the_validator_and_the_json_schema(
        briefing, capsys):
    briefing.edit("facts/ships.yaml", "  quantities:\n    - {value: 35, unit: ships, "
                  "label: ships counted by the union}", "  quantities: []")
    code, _, err = briefing.run("check", capsys=capsys)
    assert code == 0, err
    fact = {"id": "x", "claim": "c", "status": "stated", "attribution": [],
            "citations": [{"source": "s", "quote": "q"}], "quantities": []}
    assert not list(_validator("fact").iter_errors(fact))
