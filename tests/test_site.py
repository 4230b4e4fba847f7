"""The built site: golden output of the minimal fixture, structure of every page kind,
links that resolve, and byte-identical rebuilds."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import SITES, tree_digest
from htmlcheck import broken_links, read_page

GOLDEN = SITES / "minimal" / "expected"


def html_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.html"))}


def test_minimal_site_matches_golden_output(briefing, capsys):
    """Regenerate with: python tests/regenerate_golden.py (then read the diff)."""
    code, out, _ = briefing.run(capsys=capsys)
    assert code == 0, out
    built, expected = html_files(briefing.output), html_files(GOLDEN)
    assert sorted(built) == sorted(expected)
    for name in expected:
        assert built[name] == expected[name], f"{name} differs from tests/sites/minimal/expected/"


def test_build_is_byte_identical_from_one_build_to_the_next(briefing, capsys):
    assert briefing.run(capsys=capsys)[0] == 0
    first = tree_digest(briefing.output)
    assert briefing.run(capsys=capsys)[0] == 0
    assert tree_digest(briefing.output) == first


def test_every_page_kind_is_written_and_nothing_stale_survives(briefing, capsys):
    assert briefing.run(capsys=capsys)[0] == 0
    names = set(tree_digest(briefing.output))
    for expected in ("index.html", "timeline.html", "pages/overview.html", "facts/index.html",
                     "facts/ships-docked.html", "sources/index.html", "sources/harbour-report.html",
                     "entities/index.html", "entities/dock-union.html", "assets/style.css"):
        assert expected in names
    briefing.edit("facts/ships.yaml", "- id: figures-disputed", "- id: figures-contested")
    briefing.edit("pages/overview.md", "@figures-disputed", "@figures-contested")
    assert briefing.run(capsys=capsys)[0] == 0
    names = set(tree_digest(briefing.output))
    assert "facts/figures-contested.html" in names
    assert "facts/figures-disputed.html" not in names


def test_all_links_resolve_and_are_relative(briefing, capsys):
    assert briefing.run(capsys=capsys)[0] == 0
    assert broken_links(briefing.output) == []
    for path in briefing.output.rglob("*.html"):
        for link in read_page(path).links:
            assert not link.startswith("/"), f"{path}: absolute link {link}"


def test_footnotes_number_by_first_use_with_backlinks(briefing, capsys):
    briefing.run(capsys=capsys)
    page = (briefing.output / "pages/overview.html").read_text()
    refs = re.findall(r'<sup class="cite" id="(cite-\d+-\d+)"><a data-note="(\d+)" href="#note-\2"', page)
    assert [r[0] for r in refs] == ["cite-1-1", "cite-2-1", "cite-3-1", "cite-1-2"]
    note_one = page[page.index('<li id="note-1">'):page.index('<li id="note-2">')]
    assert 'href="#cite-1-1"' in note_one and 'href="#cite-1-2"' in note_one
    assert ">a</a>" in note_one and ">b</a>" in note_one
    # the note shows claim, status, the attribution chain and the verbatim passage
    assert "About 40 ships docked in late spring" in note_one
    assert "status-stated" in note_one
    assert re.search(r"Port officials</a>, via <a [^>]+>Harbour authority</a>, via <a [^>]+>"
                     r"<cite>Harbour report</cite>", note_one)
    assert "“late spring”" in note_one  # as the archived document has it


def test_fact_page_shows_everything_about_the_fact(briefing, capsys):
    briefing.run(capsys=capsys)
    page = (briefing.output / "facts/union-count.html").read_text()
    assert "Mar – May 2024" in page and "precision: range" in page
    assert "status-claimed" in page
    assert "35</strong> ships" in page
    assert 'href="ships-docked.html"' in page  # contradicts, shown on this side
    assert 'href="../pages/overview.html"' in page  # cited on
    assert 'href="../sources/harbour-report.html#quote-union-count-1"' in page
    other = (briefing.output / "facts/ships-docked.html").read_text()
    assert "Pulls against" in other and 'href="union-count.html"' in other  # and the other side
    assert "The year is not stated; inferred for the fixture." in other


def test_source_page_highlights_each_quote_and_links_it_to_its_fact(briefing, capsys):
    briefing.run(capsys=capsys)
    page = (briefing.output / "sources/harbour-report.html").read_text()
    marks = re.findall(r'<mark><a href="\.\./facts/([a-z-]+)\.html"[^>]*>([^<]+)</a></mark>', page)
    assert ("union-count", "the union counted 35 ships") in marks
    assert ("figures-disputed", "Officials’ figures were disputed") in marks
    assert "ships-docked" in {m[0] for m in marks}
    for anchor in ("quote-ships-docked-1", "quote-union-count-1", "quote-figures-disputed-1"):
        assert f'id="{anchor}"' in page
    assert "Unknown: the document does not say." in page


def test_entity_page_lists_facts_about_and_attributed(briefing, capsys):
    briefing.run(capsys=capsys)
    page = (briefing.output / "entities/harbour-authority.html").read_text()
    attributed, about = page.split('id="about-heading"')
    assert "facts/ships-docked.html" in attributed and "facts/ships-docked.html" in about
    union = (briefing.output / "entities/dock-union.html").read_text()
    assert "facts/union-count.html" in union


def test_timeline_is_in_date_order_with_honest_precision(briefing, capsys):
    briefing.run(capsys=capsys)
    page = (briefing.output / "timeline.html").read_text()
    order = re.findall(r'<p class="what"><a href="facts/([a-z-]+)\.html"', page)
    assert order == ["union-count", "ships-docked"]  # Mar–May 2024 starts before spring (21)
    assert "spring 2024" in page and "Mar – May 2024" in page
    assert "figures-disputed" not in page  # undated


def test_home_page_reads_as_a_briefing(briefing, capsys):
    briefing.run(capsys=capsys)
    page = (briefing.output / "index.html").read_text()
    assert "<h1>Harbour briefing</h1>" in page
    assert "Key numbers" in page and "about <strong>40</strong> ships" in page
    assert 'href="pages/overview.html"' in page
    # the summary is footnoted like any page, with its notes on the home page
    summary = page[page.index('id="summary-heading"'):page.index('id="numbers-heading"')]
    assert 'href="#note-1"' in summary and 'href="#note-2"' in summary
    assert '<li id="note-2">' in page and "facts/union-count.html" in page


def test_a_fact_cited_only_by_the_summary_counts_as_cited(briefing, capsys):
    briefing.edit("pages/overview.md", " [@union-count; @figures-disputed]", " [@figures-disputed]")
    code, _, err = briefing.run("--strict", capsys=capsys)
    assert code == 0, err
    fact = (briefing.output / "facts/union-count.html").read_text()
    assert "The briefing’s summary" in fact and 'href="../index.html"' in fact
