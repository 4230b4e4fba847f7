"""Every page of the bundled briefing and of the multi-source fixture (tests/sites/multisource)
passes the Nu HTML Checker and axe-core, and logs no console error."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from browser_support import ROOT, WatchedPage, all_pages, serious_violations

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


SITES = ["bundled", "multisource"]  # fixtures <name>_site and the URLs that serve it


@pytest.mark.parametrize("name", SITES)
def test_every_page_passes_the_nu_html_checker(request, name):
    assert VNU.is_file(), "vnu.jar missing: run scripts/test.sh (npm ci installs it)"
    built = request.getfixturevalue(f"{name}_site")
    pages = [str(built / p) for p in all_pages(built)]
    checked = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                             capture_output=True, text=True, timeout=600)
    messages = json.loads(checked.stderr or checked.stdout or '{"messages": []}')["messages"]
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m.get("type") == "error"]
    assert errors == []
    assert checked.returncode == 0


def test_the_error_page_of_serve_passes_the_nu_html_checker(tmp_path):
    from factsheet.errors import Diagnostics, Location
    from factsheet.serve import error_page
    diagnostics = Diagnostics()
    diagnostics.error(Location("content/facts/x.yaml", 3, 5), "a <problem> & more", hint="fix it")
    page = tmp_path / "error.html"
    page.write_bytes(error_page(diagnostics))
    checked = subprocess.run(["java", "-jar", str(VNU), "--errors-only", str(page)],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize("name", SITES)
def test_no_serious_or_critical_accessibility_violation_nor_console_error(browser, request, name):
    built = request.getfixturevalue(f"{name}_site")
    root = request.getfixturevalue("site_urls" if name == "bundled" else f"{name}_urls")["root"]
    context = browser.new_context()
    page = WatchedPage(context.new_page())
    found = []
    for path in all_pages(built):
        page.goto(root + path)
        page.wait_for_load_state("load")
        found += [f"{path}: {problem}" for problem in serious_violations(page)]
        found += [f"{path}: {problem}" for problem in page.problems]  # console errors, 404s
        page.problems.clear()
    context.close()
    assert found == []
