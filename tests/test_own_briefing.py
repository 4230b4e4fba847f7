"""The test command passes when a user replaces content/ with their own valid briefing.

A copy of the repository gets, in place of content/, the starter briefing that `factsheet new`
writes, and every test module that reads content/ runs there. They must pass, with only the
bundled example's own tests skipped (tests/bundled.py, each with its stated reason) and the
generic ones run. Modules are found by how they reach content/ (`SIGNS`), so a new one joins
the run by itself; modules that read only fixtures under tests/sites/ do not depend on content/
and are left out to keep the run short.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from bundled import REASON, is_bundled
from conftest import ROOT

TESTS = ROOT / "tests"
# How a test module reaches the repository's content/: by path, through tests/bundled.py, through
# the browser fixtures that build it (browser_support.py), or by copying it with the theme.
SIGNS = re.compile(r'ROOT / "content"|^from bundled import|\bbundled_site\b|\bsite_urls\b'
                   r'|"content", "templates"', re.MULTILINE)
# Not copied: history, environments, built output and the bundled briefing itself. node_modules
# (the Nu HTML Checker and axe-core) is linked instead: large, and only read.
LEFT_OUT = {".git", ".venv", "node_modules", "site", "content", ".hypothesis"}
# Bundled-only tests that must be among the skipped: the example's own facts.
BUNDLED_TESTS = {"test_every_bundled_fact_cites_the_seed_article_and_dates_honestly",
                 "test_the_seed_article_is_described_as_what_it_is",
                 "test_the_seed_article_has_ten_paragraphs_and_unnumbered_headings"}
# Generic tests that must have passed: far more than the bundled module's own three (the page
# kinds alone are 27 browser tests).
AT_LEAST_PASSED = 60


def readers_of_content() -> list[str]:
    """tests/test_*.py modules that read content/, this one apart (it only names the signs)."""
    return sorted(path.relative_to(ROOT).as_posix() for path in TESTS.glob("test_*.py")
                  if path.name != Path(__file__).name and SIGNS.search(path.read_text("utf-8")))


def test_the_modules_that_read_content_are_found():
    # The search for readers must find at least the ones known to read content/ today.
    assert {"tests/test_bundled.py", "tests/test_schema.py", "tests/test_browser_reading.py",
            "tests/test_browser_quality.py", "tests/test_browser_serve.py"} <= \
        set(readers_of_content())


def repository_with_starter_content(root: Path) -> Path:
    """A copy of the repository at root/repository whose content/ is the starter briefing."""
    copy = root / "repository"

    def ignore(folder: str, names: list[str]) -> list[str]:
        top = LEFT_OUT if Path(folder) == ROOT else set()
        return [name for name in names if name in top or name in ("__pycache__", ".pytest_cache")]

    shutil.copytree(ROOT, copy, ignore=ignore)
    os.symlink(ROOT / "node_modules", copy / "node_modules")
    written = subprocess.run([sys.executable, str(copy / "build.py"), "new", str(root / "starter")],
                             capture_output=True, text=True, timeout=120)
    assert written.returncode == 0, written.stderr
    shutil.copytree(root / "starter" / "content", copy / "content")
    return copy


def test_the_generic_tests_pass_with_the_starter_briefing_in_content(tmp_path):
    copy = repository_with_starter_content(tmp_path)
    assert not is_bundled(copy / "content")
    modules = readers_of_content()
    results = tmp_path / "results.xml"
    # -k: the multi-source fixture's checks in these modules do not read content/.
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
         "-k", "not multisource", f"--junitxml={results}", *modules],
        cwd=copy, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]

    cases = ET.parse(results).getroot().iter("testcase")
    outcome = {}  # test name → "passed", or the reason it was skipped
    for case in cases:
        assert case.find("failure") is None and case.find("error") is None, case.get("name")
        skipped = case.find("skipped")
        outcome[case.get("name")] = "passed" if skipped is None else skipped.get("message")
    skipped = {name: why for name, why in outcome.items() if why != "passed"}
    # Only the bundled example's own tests skipped, each saying why; none skipped for another
    # reason (a missing browser or tool fails instead).
    assert BUNDLED_TESTS <= set(skipped), sorted(skipped)
    assert {why for why in skipped.values()} == {REASON}, skipped
    passed = [name for name, why in outcome.items() if why == "passed"]
    assert len(passed) >= AT_LEAST_PASSED, (len(passed), modules)
    # the generic checks of content/ itself ran on the starter briefing
    assert "test_the_briefing_builds_strictly_with_sound_links" in passed
