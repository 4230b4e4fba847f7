"""Issue 11, drafts in `serve`: the drafts fixture (tests/sites/drafts) served with live reload in
Chromium; serve always shows drafts. The Drafts page lists them, a draft fact's page shows its
badge, the archived text marks a drafted passage apart (dashed outline, words for screen
readers), and axe finds nothing serious or critical in the light or the dark scheme."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from browser_support import ROOT, WatchedPage, serious_violations
from conftest import SITES
from test_browser_serve import Served, free_port


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve-drafts")
    shutil.copytree(SITES / "drafts" / "content", root / "content")
    for folder in ("templates", "assets"):
        shutil.copytree(ROOT / folder, root / folder)
    server = Served(root, free_port())
    yield server
    server.stop()


def test_the_drafts_page_lists_the_drafts(served, page):
    page.goto(served.url)
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Drafts").click()
    page.wait_for_url("**/drafts.html")
    claims = page.locator("ol.drafts .draft-claim > a").all_inner_texts()
    assert claims == ["About 40 ships docked.",
                      "A new crane was installed at the north quay in April.",
                      "Dredging is to begin in the autumn, the harbour master said."]
    assert page.locator("#draft-entities + ul a").all_inner_texts() == ["Ana Ruiz"]
    assert page.problems == []


def test_a_draft_fact_page_shows_the_badge(served, page):
    page.goto(served.url + "facts/crane-installed.html")
    badge = page.locator(".kicker .draft-badge")
    assert badge.is_visible()
    assert badge.inner_text() == "DRAFT"  # upper case, as the status badges
    assert page.problems == []


def test_the_archived_text_marks_the_drafted_passage(served, page):
    page.goto(served.url + "drafts.html")
    page.get_by_role("link", name="Paragraph 3 of the archived text").click()
    page.wait_for_url("**/sources/harbour-report.html#quote-crane-installed-1")
    drafted = page.locator(".document-text mark.draft", has_text="A new crane")
    assert drafted.is_visible()
    style = drafted.evaluate("m => getComputedStyle(m).outlineStyle")
    assert style == "dashed"
    reviewed = page.locator(".document-text mark:not(.draft)").first
    assert reviewed.evaluate("m => getComputedStyle(m).outlineStyle") != "dashed"
    assert page.get_by_role("link", name="Draft: A new crane was installed").count() == 1
    assert page.problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_on_draft_pages(served, browser, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = WatchedPage(context.new_page())
    found = []
    for path in ("drafts.html", "facts/crane-installed.html", "sources/harbour-report.html",
                 "facts/index.html", "entities/harbour-master.html"):
        page.goto(served.url + path)
        page.wait_for_load_state("load")
        found += [f"{path}: {problem}" for problem in serious_violations(page)]
        found += [f"{path}: {problem}" for problem in page.problems]  # console errors, 404s
        page.problems.clear()
    context.close()
    assert found == []


def test_every_page_with_drafts_passes_the_nu_html_checker(tmp_path):
    """The Drafts page, the badges and the marked passages are valid HTML (the site as serve and
    build --drafts make it)."""
    from factsheet.pipeline import Paths, build
    from test_browser_quality import VNU
    assert VNU.is_file(), "vnu.jar missing: run scripts/test.sh (npm ci installs it)"
    paths = Paths(SITES / "drafts" / "content", ROOT / "templates", ROOT / "assets",
                  tmp_path / "site")
    assert build(paths, drafts=True, search_index=False).ok
    pages = sorted(str(p) for p in (tmp_path / "site").rglob("*.html"))
    checked = subprocess.run(["java", "-jar", str(VNU), "--errors-only", *pages],
                             capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stderr
