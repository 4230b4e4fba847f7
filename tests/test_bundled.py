"""The briefing in content/: checks that hold for any valid briefing, and the bundled example
briefing's own facts.

content/ holds the bundled example briefing until a user puts their own there, and the test
command must keep passing when they do. So the tests here are of two kinds:

- generic: whatever briefing is in content/ builds under --strict with sound links, the same
  bytes every time, every fact cited by a page and every quote found. These always run.
- bundled: the example briefing's own facts (every fact cites the seed article, …). They run when
  content/site.yaml carries the bundled briefing's marker, `extra: {bundled_briefing:
  seed-article}`, and are skipped otherwise, with that reason: the example is then not in the
  folder at all, and there is nothing else of it to test (a user's copy need not be a git
  checkout). The marker is an explicit line of the bundled site.yaml, removed by whoever makes
  the briefing their own, rather than a guess from its contents.

`test_the_generic_checks_pass_with_another_briefing_in_content` proves the first point: it runs
this module in a copy of the repository whose content/ is another briefing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SITES, tree_digest
from factsheet.errors import Diagnostics
from factsheet.loader import load_content
from factsheet.pipeline import Paths, build
from factsheet.resolve import resolve
from factsheet.validate import validate
from htmlcheck import broken_links

CONTENT = ROOT / "content"
MARKER = ("bundled_briefing", "seed-article")


def is_bundled(content: Path) -> bool:
    """Whether content/site.yaml carries the bundled example briefing's marker."""
    try:
        config = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return False
    extra = config.get("extra") if isinstance(config, dict) else None
    return isinstance(extra, dict) and extra.get(MARKER[0]) == MARKER[1]


bundled_only = pytest.mark.skipif(
    not is_bundled(CONTENT),
    reason="content/ is not the bundled example briefing (its site.yaml has no "
           "`extra: {bundled_briefing: seed-article}`): its own facts are not checked; the "
           "generic checks still run on content/")


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


# --- the proof: another briefing in content/ ------------------------------------------------------

COPIED = ("tests", "factsheet", "templates", "assets", "docs", "schemas")
GENERIC_MODULES = ("tests/test_bundled.py", "tests/test_schema.py")


@pytest.mark.skipif(os.environ.get("FACTSHEET_OTHER_BRIEFING") == "1",
                    reason="already the copy's run")
def test_the_generic_checks_pass_with_another_briefing_in_content(tmp_path):
    """A copy of the repository with another valid briefing (the minimal fixture) in content/:
    the bundled-briefing tests and the schema tests pass there, the bundled ones skipped."""
    copy = tmp_path / "repository"
    ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache")
    for name in COPIED:
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    for name in ("build.py", "pytest.ini"):
        shutil.copy2(ROOT / name, copy / name)
    shutil.copytree(SITES / "minimal" / "content", copy / "content")
    assert not is_bundled(copy / "content")

    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
         *GENERIC_MODULES],
        cwd=copy, capture_output=True, text=True, timeout=600,
        env={**os.environ, "FACTSHEET_OTHER_BRIEFING": "1"})
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    last = done.stdout.strip().splitlines()[-1]
    assert " passed" in last and "failed" not in last and "error" not in last, last
    # the generic checks ran on the copy's content/, and only the bundled ones were skipped
    assert "3 skipped" in last, last  # the two bundled tests, and this one inside the copy
    assert "content/ is not the bundled example briefing" in done.stdout
