"""What a build process imports: the heavy libraries only when the briefing needs them. Each case
runs build.py's main in a fresh Python process and asks which of them it loaded.

edtf (about 0.13 s to import) reads dates other than plain ISO ones, langcodes (0.15-0.25 s with
its names) names a source's language, pint (0.35 s with its registry) checks conversions."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

from conftest import ROOT, SITES

HEAVY = ("edtf", "langcodes", "pint")


def imported_by_build(*args: str, watched: tuple[str, ...] = HEAVY) -> list[str]:
    """Which of `watched` a process running `build.py build ARGS` imported; the build must
    succeed."""
    code = ("import json, sys, build\n"
            f"status = build.main(['build', *{list(args)!r}])\n"
            f"print(json.dumps([status, [m for m in {watched!r} if m in sys.modules]]))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    status, loaded = json.loads(done.stdout.splitlines()[-1])
    assert status == 0, done.stderr
    return loaded


def test_a_briefing_of_plain_dates_without_languages_or_conversions_loads_none(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SITES / "minimal" / "content", content)
    facts = content / "facts" / "ships.yaml"
    facts.write_text(facts.read_text(encoding="utf-8")
                     .replace('"2024-21"', '"2024-04"').replace('"2024-03/2024-05"', '"2024-05"'),
                     encoding="utf-8")
    source = content / "sources" / "harbour-report.yaml"
    source.write_text(re.sub(r"(?m)^language: .*\n", "", source.read_text(encoding="utf-8")),
                      encoding="utf-8")
    assert imported_by_build("--no-cache", "--content", str(content),
                             "--output", str(tmp_path / "site")) == []
    # The same briefing with its season back: the date library is loaded for it.
    facts.write_text(facts.read_text(encoding="utf-8").replace('"2024-04"', '"2024-21"'),
                     encoding="utf-8")
    assert imported_by_build("--no-cache", "--content", str(content),
                             "--output", str(tmp_path / "site")) == ["edtf"]


def test_a_rebuild_from_the_cache_after_a_page_edit_reads_no_date_or_conversion_again(tmp_path):
    """The dates read and the conversions checked are kept in the cache with what else the build
    parsed: a new process that rebuilds after an edit elsewhere loads neither edtf nor pint."""
    content = tmp_path / "content"
    shutil.copytree(SITES / "multisource" / "content", content)
    where = ("--content", str(content), "--output", str(tmp_path / "site"))
    assert {"edtf", "pint"} <= set(imported_by_build(*where))
    page = next(content.glob("pages/*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                    encoding="utf-8")
    assert {"edtf", "pint"}.isdisjoint(imported_by_build(*where))


def test_a_build_that_finds_nothing_changed_loads_no_stage(tmp_path):
    """It answers from the cache's record: no stage, Jinja or date library is imported."""
    content = tmp_path / "content"
    shutil.copytree(SITES / "minimal" / "content", content)
    where = ("--content", str(content), "--output", str(tmp_path / "site"))
    stages = ("jinja2", "edtf", "factsheet.model", "factsheet.schema", "factsheet.render")
    assert imported_by_build(*where, watched=stages) == list(stages)
    assert imported_by_build(*where, watched=stages) == []
