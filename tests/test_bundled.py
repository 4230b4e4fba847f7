"""The briefing in content/: checks that hold for any valid briefing, and the bundled example
briefing's own facts.

content/ holds the bundled example briefing until a user puts their own there, and the test
command must keep passing when they do. So the tests here are of two kinds:

- generic: whatever briefing is in content/ builds under --strict with sound links, the same
  bytes every time, every fact cited by a page and every quote found. These always run.
- bundled: the example briefing's own facts (every fact cites the seed article, the seed
  article's paragraphs, …). They carry `bundled_only` (tests/bundled.py) and are skipped when
  content/site.yaml lacks the marker `extra: {bundled_briefing: seed-article}`: the example is
  then not in the folder at all, and there is nothing else of it to test.

tests/test_own_briefing.py proves the first point: it runs every test module that reads
content/ in a copy of the repository whose content/ is the starter briefing of `factsheet new`.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bundled import CONTENT, bundled_only
from conftest import tree_digest
from factsheet.documents import structure
from factsheet.errors import Diagnostics
from factsheet.loader import load_content
from factsheet.pipeline import Paths, build
from factsheet.quotes import find_all, fold_document, place
from factsheet.resolve import resolve
from factsheet.validate import validate
from htmlcheck import broken_links


def build_content(output: Path):
    return build(Paths(CONTENT, output=output), strict=True)


def resolved_content():
    diagnostics = Diagnostics()
    site = resolve(validate(load_content(CONTENT, diagnostics), diagnostics), diagnostics)
    return site, diagnostics


# --- generic: any valid briefing in content/ -----------------------------------------------------

def test_the_briefing_builds_strictly_with_sound_links(tmp_path):
    result = build_content(tmp_path / "site")
    assert result.ok, "\n".join(d.format() for d in result.diagnostics.sorted())
    assert broken_links(tmp_path / "site") == []


def test_the_briefing_is_byte_identical_across_builds(tmp_path):
    assert build_content(tmp_path / "one").ok and build_content(tmp_path / "two").ok
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_every_fact_is_cited_by_a_page_and_every_quote_is_found():
    site, diagnostics = resolved_content()
    assert [d.format() for d in diagnostics.items] == []
    assert site.facts, "a briefing has facts"
    for fact_id, fact in site.facts.items():
        assert site.cited_by.get(fact_id), f"{fact_id} is cited by no page"
        assert fact.citations, f"{fact_id} has no citation"


# --- bundled: the example briefing's own facts ---------------------------------------------------

@bundled_only
def test_every_bundled_fact_cites_the_seed_article_and_dates_honestly():
    site, diagnostics = resolved_content()
    assert not diagnostics.items
    assert len(site.facts) >= 20
    for fact_id, fact in site.facts.items():
        assert all(c.source == "seed-article" for c in fact.citations)
        if fact.date and fact.date.edtf[:4] == "2024" and "2024" not in " ".join(
                c.quote for c in fact.citations):
            assert fact.date_note, f"{fact_id}: a year the quote does not give needs a date_note"


@bundled_only
def test_the_seed_article_is_described_as_what_it_is():
    site, _ = resolved_content()
    source = site.sources["seed-article"]
    assert source.publisher is None and source.published is None and source.url is None
    assert site.contradictions, "the article's conflicting statements are linked"


@bundled_only
def test_the_seed_article_has_ten_paragraphs_and_unnumbered_headings():
    text = (CONTENT / "documents/000_4f4d7faab0ac3298.txt").read_text(encoding="utf-8")
    document = structure(text)
    lines = [line for line in text.split("\n") if line.strip()]
    # One paragraph per line, exactly as before.
    assert [p.display(text) for p in document.paragraphs] == lines
    assert [p.number for p in document.paragraphs] == [
        None, 1, 2, 3, None, 4, 5, None, 6, 7, 8, None, 9, 10]
    assert [p.display(text) for p in document.paragraphs if p.kind == "heading"] == [
        "North Korean officers killed in Ukrainian missile strike", "Putin's agreement with Kim",
        "Regime supports regime", "Pentagon: They will become cannon fodder"]
    assert not document.paged and document.furniture == ()
    # Every "paragraph N" locator of the bundled facts names where its quote is.
    folded = fold_document(text, document)
    checked = 0
    for path in sorted((CONTENT / "facts").glob("*.yaml")):
        for fact in yaml.safe_load(path.read_text(encoding="utf-8")):
            for citation in fact["citations"]:
                found = find_all(citation["quote"], text, folded=folded)
                assert len(found) == 1, citation["quote"]
                locator = citation.get("locator", "")
                if re.fullmatch(r"paragraph \d+", locator):
                    assert f"paragraph {found[0].paragraph}" == locator
                    assert place(found, locator, document).message == ""
                    checked += 1
    assert checked == 29
