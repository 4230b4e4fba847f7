"""The bundled briefing itself: strict build, links, coverage of facts, determinism."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, tree_digest
from factsheet.errors import Diagnostics
from factsheet.loader import load_content
from factsheet.pipeline import Paths, build
from factsheet.resolve import resolve
from factsheet.validate import validate
from htmlcheck import broken_links


def build_bundled(output: Path):
    return build(Paths(ROOT / "content", ROOT / "templates", ROOT / "assets", output), strict=True)


def test_bundled_briefing_builds_strictly_with_sound_links(tmp_path):
    result = build_bundled(tmp_path / "site")
    assert result.ok, "\n".join(d.format() for d in result.diagnostics.sorted())
    assert broken_links(tmp_path / "site") == []


def test_bundled_briefing_is_byte_identical_across_builds(tmp_path):
    assert build_bundled(tmp_path / "one").ok and build_bundled(tmp_path / "two").ok
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_every_fact_is_cited_quoted_and_attributed_honestly():
    diagnostics = Diagnostics()
    site = resolve(validate(load_content(ROOT / "content", diagnostics), diagnostics), diagnostics)
    assert not diagnostics.items
    assert len(site.facts) >= 20
    for fact_id, fact in site.facts.items():
        assert site.cited_by.get(fact_id), f"{fact_id} is cited by no page"
        assert all(c.source == "seed-article" for c in fact.citations)
        if fact.date and fact.date.edtf[:4] == "2024" and "2024" not in " ".join(
                c.quote for c in fact.citations):
            assert fact.date_note, f"{fact_id}: a year the quote does not give needs a date_note"
    source = site.sources["seed-article"]
    assert source.publisher is None and source.published is None and source.url is None
    assert site.contradictions, "the article's conflicting statements are linked"
