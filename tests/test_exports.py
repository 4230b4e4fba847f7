"""The data exports (factsheet/exports.py, citing.py; docs/exports.md): data/*.json, facts.csv and
sources.csl.json, written beside the pages from the same resolved site, and the "Cite this fact"
block of each fact page.

The bundled briefing (content/) and the multi-source fixture are each built once per module and
read back the way a user would: json.loads, the csv module, jsonschema against the schemas the
site publishes (and the CSL-JSON against the official CSL schema, vendored in tests/csl/), and the
fact pages' HTML.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
import yaml

from bundled import bundled_only
from conftest import ROOT, SITES
from factsheet import citing, exports
from factsheet.dates import parse_date
from factsheet.errors import Diagnostics
from factsheet.loader import load_content
from factsheet.pipeline import Paths, build
from factsheet.resolve import resolve
from factsheet.validate import validate
from htmlcheck import broken_links, read_page

BRIEFINGS = {"bundled": ROOT / "content", "multisource": SITES / "multisource" / "content"}
DATA = ("facts.json", "facts.csv", "sources.json", "entities.json", "sources.csl.json",
        "facts.schema.json", "sources.schema.json", "entities.schema.json")
CSL_SCHEMA = Path(__file__).resolve().parent / "csl" / "csl-data.json"


def build_into(content: Path, output: Path):
    result = build(Paths(content, ROOT / "templates", ROOT / "assets", output))
    assert result.ok, "\n".join(d.format() for d in result.diagnostics.sorted())
    return result


def resolved(content: Path):
    diagnostics = Diagnostics()
    return resolve(validate(load_content(content, diagnostics), diagnostics), diagnostics)


@pytest.fixture(scope="module", params=sorted(BRIEFINGS))
def built(request, tmp_path_factory) -> tuple[str, Path]:
    """(name, site folder) of each briefing, built once."""
    output = tmp_path_factory.mktemp(request.param) / "site"
    build_into(BRIEFINGS[request.param], output)
    return request.param, output


def data(site: Path, name: str):
    return json.loads((site / "data" / name).read_text(encoding="utf-8"))


# --- the files, their order and their schemas -----------------------------------------------------

def test_every_data_file_is_written_and_linked_from_the_home_page_and_every_index(built):
    _, site = built
    assert sorted(p.name for p in (site / "data").iterdir()) == sorted(DATA)
    for page in ("index.html", "facts/index.html", "sources/index.html", "entities/index.html"):
        prefix = "" if page == "index.html" else "../"
        links = set(read_page(site / page).links)
        assert {f"{prefix}data/{name}" for name in DATA} <= links, page
    assert broken_links(site) == []


def test_every_record_of_the_site_is_exported_once_ordered_by_id(built):
    name, site = built
    resolved_site = resolved(BRIEFINGS[name])
    for file, records in (("facts.json", resolved_site.facts), ("sources.json",
                          resolved_site.sources), ("entities.json", resolved_site.entities),
                          ("sources.csl.json", resolved_site.sources)):
        ids = [record["id"] for record in data(site, file)]
        assert ids == sorted(records), file


@pytest.mark.parametrize("kind", ["facts", "sources", "entities"])
def test_each_json_file_validates_against_the_schema_published_beside_it(built, kind):
    _, site = built
    published = data(site, f"{kind}.schema.json")
    jsonschema.Draft202012Validator.check_schema(published)
    validator = jsonschema.Draft202012Validator(published)
    errors = sorted(validator.iter_errors(data(site, f"{kind}.json")), key=lambda e: e.path)
    assert not errors, f"{kind}.json: {list(errors[0].path)}: {errors[0].message}"
    # and the schema is strict enough to matter: a missing key or a made-up status is refused
    first = dict(data(site, f"{kind}.json")[0])
    first.pop("page")
    assert list(validator.iter_errors([first]))
    if kind == "facts":
        assert list(validator.iter_errors([{**data(site, "facts.json")[0], "status": "true"}]))


def test_the_schemas_take_their_meanings_from_the_content_format(built):
    _, site = built
    fact = data(site, "facts.schema.json")["$defs"]["fact"]["properties"]
    from factsheet import schema, vocabulary
    claim = next(f for f in schema.FACT.fields if f.name == "claim")
    assert fact["claim"]["description"] == claim.description
    assert [option["const"] for option in fact["status"]["oneOf"]] == \
        list(vocabulary.STATUSES.values)


def test_the_csl_json_validates_against_the_official_csl_schema(built):
    _, site = built
    items = data(site, "sources.csl.json")
    validator = jsonschema.Draft7Validator(json.loads(CSL_SCHEMA.read_text(encoding="utf-8")))
    errors = list(validator.iter_errors(items))
    assert not errors, errors[0].message
    for item in items:
        assert isinstance(item["id"], str) and item["type"] and item["title"]


def test_the_files_are_byte_identical_across_builds(built, tmp_path):
    name, site = built
    build_into(BRIEFINGS[name], tmp_path / "again")
    for file in DATA:
        assert (site / "data" / file).read_bytes() == (tmp_path / "again/data" / file).read_bytes()
    text = (site / "data/facts.json").read_text(encoding="utf-8")
    assert text.endswith("]\n") and "\r" not in text and "\\u" not in text


# --- what the files say ---------------------------------------------------------------------------

@bundled_only
def test_the_seed_articles_unknowns_are_null_in_json_and_left_out_of_csl():
    site = resolved(BRIEFINGS["bundled"])
    files = exports.export_files(site)
    sources = {s["id"]: s for s in json.loads(files["data/sources.json"])}
    csl = {item["id"]: item for item in json.loads(files["data/sources.csl.json"])}
    seed = sources["seed-article"]
    assert seed["publisher"] is None and seed["published"] is None and seed["url"] is None
    assert not {"publisher", "issued", "author", "URL"} & set(csl["seed-article"])


def test_unknown_is_null_in_json_and_left_out_of_csl():
    site = resolved(BRIEFINGS["multisource"])
    sources = {s["id"]: s for s in json.loads(exports.export_files(site)["data/sources.json"])}
    assert sources["halvern-press-briefing"]["published"] is None
    csl = {item["id"]: item for item in citing.csl_items(site)}
    briefing = csl["halvern-press-briefing"]  # a publisher, but no date of publication
    assert briefing["publisher"] == "City of Port Halvern, Mayor's Office"
    assert "issued" not in briefing and "author" not in briefing
    assert csl["rsb-preliminary-report"]["issued"] == {"date-parts": [[2030, 4, 24]]}
    assert csl["halvern-courier-live-blog"]["author"] == [{"literal": "Lena Hartig"}]
    assert csl["meridian-press-release"]["type"] == "document"
    assert csl["meridian-press-release"]["genre"] == "press release"


@pytest.mark.parametrize("edtf, expected", [
    ("2030-03-26", {"date-parts": [[2030, 3, 26]]}),
    ("2030-03", {"date-parts": [[2030, 3]]}),
    ("2030", {"date-parts": [[2030]]}),
    ("2024?-06-19", None),  # uncertain: its words, never a plain date
    ("2024~", None),
    ("2022-22", None),  # summer 2022
    ("2023-08/2024-01", None),
])
def test_a_csl_date_is_exact_only_where_the_date_is(edtf, expected):
    date = parse_date(edtf)
    assert citing.csl_date(date) == (expected or {"literal": date.text})


def test_csv_has_one_row_per_fact_that_says_what_the_json_says(built):
    _, site = built
    facts = data(site, "facts.json")
    text = (site / "data/facts.csv").read_text(encoding="utf-8")
    assert "\r" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["id"] for row in rows] == [fact["id"] for fact in facts]
    split = lambda cell: cell.split("; ") if cell else []  # noqa: E731
    for fact, row in zip(facts, rows):
        assert row["claim"] == fact["claim"] and row["status"] == fact["status"]
        assert split(row["about"]) == fact["about"] and split(row["tags"]) == fact["tags"]
        assert row["date"] == (fact["date"]["edtf"] if fact["date"] else "")
        assert row["date_earliest"] == (fact["date"]["earliest"] or "" if fact["date"] else "")
        for n, citation in enumerate(fact["citations"], 1):
            assert row[f"citation_{n}_source"] == citation["source"]
            assert row[f"citation_{n}_quote"] == citation["quote"]
            assert row[f"citation_{n}_locator"] == (citation["locator"] or "")
            assert split(row[f"citation_{n}_chain"]) == citation["chain"]
        assert row.get(f"citation_{len(fact['citations']) + 1}_source", "") == ""
        for n, quantity in enumerate(fact["quantities"], 1):
            value = quantity["value"]
            if isinstance(value, list):
                assert row[f"quantity_{n}_value"] == ""
                assert [float(row[f"quantity_{n}_low"]), float(row[f"quantity_{n}_high"])] == value
            else:
                assert float(row[f"quantity_{n}_value"]) == value
            assert row[f"quantity_{n}_converted"] == str(quantity["converted"]).lower()
        assert row["page"] == fact["page"] == f"facts/{fact['id']}.html"


def test_every_csv_column_is_documented(built):
    _, site = built
    header = next(csv.reader(io.StringIO((site / "data/facts.csv").read_text(encoding="utf-8"))))
    docs = (ROOT / "docs/exports.md").read_text(encoding="utf-8")
    for column in header:
        assert f"| `{re.sub(r'_[0-9]+_', '_N_', column)}` |" in docs, column


def test_the_docs_tables_are_current():
    """Run `.venv/bin/python -m factsheet.exports` after changing the export definitions."""
    text = exports.DOCS.read_text(encoding="utf-8")
    assert exports.render_docs(text) == text, \
        "docs/exports.md is out of date: run `.venv/bin/python -m factsheet.exports`"


# --- the chains: the export says what the fact page shows -----------------------------------------

class ChainReader(HTMLParser):
    """The first <span class="chain"> of a page as chains: [(entity ids, source ids)]."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside the chain span: how many spans deep
        self.done = False
        self.in_link = False
        self.chains: list[tuple[list[str], list[str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "span" and (self.depth or ("chain" in (attrs.get("class") or "").split()
                                             and not self.done)):
            self.depth += 1
            if self.depth == 1:
                self.chains.append(([], []))
        elif tag == "a" and self.depth:
            self.in_link = True
            kind, ident = re.fullmatch(r"\.\./(entities|sources)/([a-z0-9-]+)\.html",
                                       attrs["href"]).groups()
            self.chains[-1][0 if kind == "entities" else 1].append(ident)

    def handle_endtag(self, tag):
        if tag == "a":
            self.in_link = False
        elif tag == "span" and self.depth:
            self.depth -= 1
            self.done = self.done or self.depth == 0

    def handle_data(self, data):
        if self.depth and not self.in_link and ";" in data:
            self.chains.append(([], []))


def page_chains(site: Path, fact_id: str) -> list[tuple[list[str], list[str]]]:
    reader = ChainReader()
    reader.feed((site / "facts" / f"{fact_id}.html").read_text(encoding="utf-8"))
    return reader.chains


def test_the_chains_in_the_export_are_the_chains_on_each_fact_page(built):
    name, site = built
    several = 0
    for fact in data(site, "facts.json"):
        shown = page_chains(site, fact["id"])
        assert [(c["entities"], c["sources"]) for c in fact["chains"]] == shown, fact["id"]
        for citation in fact["citations"]:  # each citation's chain is a shown one naming it
            assert any(entities == citation["chain"] and citation["source"] in sources
                       for entities, sources in shown), (fact["id"], citation)
        several += len(shown) > 1
    if name == "multisource":
        assert several, "the fixture has facts with more than one chain"


# --- "Cite this fact" -----------------------------------------------------------------------------

def bibtex_entries(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """[(entry type, key, {field: value})] of BibTeX text, read brace by brace; a brace escaped
    with a backslash does not count, and an unbalanced entry fails the test."""
    entries = []
    for match in re.finditer(r"@(\w+)\{([^,\s]+),", text):
        position, depth, fields, start = match.end(), 1, {}, match.end()
        while depth:
            assert position < len(text), f"unbalanced braces in {match.group(2)}"
            char = text[position]
            if char == "\\":
                position += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            elif char == "," and depth == 1:
                fields.update([_field(text[start:position])])
                start = position + 1
            position += 1
        if text[start:position - 1].strip():
            fields.update([_field(text[start:position - 1])])
        entries.append((match.group(1), match.group(2), fields))
    return entries


def _field(text: str) -> tuple[str, str]:
    name, _, value = text.partition("=")
    value = value.strip()
    assert value.startswith("{") and value.endswith("}"), text
    return name.strip(), value[1:-1]


def cite_block(site: Path, fact_id: str) -> tuple[str, str]:
    page = (site / "facts" / f"{fact_id}.html").read_text(encoding="utf-8")
    plain = re.search(r'<p class="cite-text">(.*?)</p>', page, re.DOTALL).group(1)
    bibtex = re.search(r'<pre class="cite-bibtex"><code>(.*?)</code></pre>', page, re.DOTALL)
    return html.unescape(plain), html.unescape(bibtex.group(1))


def test_each_fact_page_says_how_to_cite_it_in_plain_text_and_bibtex(built):
    name, site = built
    title = resolved(BRIEFINGS[name]).config.title
    keys = []
    for fact in data(site, "facts.json"):
        plain, bibtex = cite_block(site, fact["id"])
        assert fact["claim"] in plain and title in plain and fact["page"] in plain
        entries = bibtex_entries(bibtex)
        assert len(entries) == 1
        kind, key, fields = entries[0]
        assert kind == "misc" and key == fact["id"]
        assert {"title", "howpublished", "note"} <= set(fields) and "url" not in fields
        assert fields["title"] == "{" + citing.bibtex_text(fact["claim"]) + "}"
        sources = data(site, "sources.json")
        for citation in fact["citations"]:  # the sources it rests on, by title
            source_title = next(s["title"] for s in sources if s["id"] == citation["source"])
            assert source_title in plain and citing.bibtex_text(source_title) in fields["note"]
        keys.append(key)
    assert len(keys) == len(set(keys))


def test_bibtex_specials_are_escaped_and_braces_stay_balanced(briefing, tmp_path):
    hostile = r"Costs rose 50% & more: $5 {braced} #1 a_b ~c ^d \e }{"
    briefing.edit("facts/ships.yaml", "About 40 ships docked in late spring, the harbour authority "
                  "said.", f"'{hostile}'")  # YAML single quotes: the backslash stays one
    build_into(briefing.content, briefing.output)
    plain, bibtex = cite_block(briefing.output, "ships-docked")
    assert hostile in plain
    [(kind, key, fields)] = bibtex_entries(bibtex)
    assert key == "ships-docked"
    unescaped = re.sub(r"\\(textbackslash|textasciitilde|textasciicircum)\{\}|\\[{}&%$#_]", "",
                       fields["title"][1:-1])
    assert not re.search(r"[{}&%$#_~^\\]", unescaped), unescaped


def test_a_base_url_makes_page_urls_absolute(briefing):
    briefing.edit("site.yaml", "language: en", "language: en\nbase_url: https://example.org/brief/")
    build_into(briefing.content, briefing.output)
    site = briefing.output
    facts = data(site, "facts.json")
    assert facts[0]["page_url"] == "https://example.org/brief/" + facts[0]["page"]
    assert all(s["page_url"].startswith("https://example.org/brief/sources/")
               for s in data(site, "sources.json"))
    plain, bibtex = cite_block(site, "ships-docked")
    assert "https://example.org/brief/facts/ships-docked.html" in plain
    [(_, _, fields)] = bibtex_entries(bibtex)
    assert fields["url"] == "https://example.org/brief/facts/ships-docked.html"
    assert fields["howpublished"] == r"\url{https://example.org/brief/facts/ships-docked.html}"


# --- in the pipeline ------------------------------------------------------------------------------

def test_the_summary_counts_pages_not_data_files(briefing):
    result = build_into(briefing.content, briefing.output)
    assert result.pages == len(list(briefing.output.rglob("*.html")))
    assert len(result.files) == result.pages + len(DATA)
    assert sorted(p.name for p in (briefing.output / "data").iterdir()) == sorted(DATA)
    # written before the search index is made, the files' bytes are let go (only their paths
    # are kept): nothing reads them again in a build without memo
    with pytest.raises(LookupError):
        result.files["index.html"]


def test_an_export_that_fails_is_one_located_error_and_nothing_is_written(briefing, monkeypatch):
    def broken(site, memo=None):
        raise ValueError("boom")
    monkeypatch.setattr("factsheet.exports.export_files", broken)  # imported by build()
    result = build(Paths(briefing.content, ROOT / "templates", ROOT / "assets", briefing.output))
    assert not result.ok and not briefing.output.exists()
    [problem] = result.diagnostics.items
    assert "internal error while exporting data: ValueError: boom" in problem.format()


def test_added_and_corrections_are_exported_as_the_content_gives_them_oldest_first(built):
    name, site = built
    given = {entry["id"]: entry for path in sorted((BRIEFINGS[name] / "facts").glob("*.yaml"))
             for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or ()}
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(
        (site / "data/facts.csv").read_text(encoding="utf-8")))}
    for fact in data(site, "facts.json"):
        entry = given[fact["id"]]
        added = entry.get("added")
        assert (fact["added"] or {}).get("edtf") == (str(added) if added else None)
        corrections = sorted(entry.get("corrections") or (), key=lambda c: str(c["date"]))
        assert [(c["date"]["edtf"], c["note"]) for c in fact["corrections"]] == \
            [(str(c["date"]), " ".join(c["note"].split())) for c in corrections]
        for n, correction in enumerate(fact["corrections"], 1):  # the CSV's numbered group
            assert rows[fact["id"]][f"correction_{n}_date"] == correction["date"]["edtf"]
            assert rows[fact["id"]][f"correction_{n}_note"] == correction["note"]
    if name == "multisource":  # the fixture has a fact corrected twice, given out of order
        assert max(len(fact["corrections"]) for fact in data(site, "facts.json")) == 2
