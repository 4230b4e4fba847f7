"""The theme: the built-in templates and assets found beside the code, and a briefing's own
folders overriding them file by file (theme.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, tree_digest
from factsheet import theme
from factsheet.pipeline import Paths, build

MARK = "<!-- the briefing's own fact.html -->"


def fact_override(folder: Path) -> Path:
    """An override folder holding only fact.html: the built-in one with a mark in its body."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "templates" / "fact.html").read_text(encoding="utf-8")
    block = "{% block main %}"
    assert block in text
    (folder / "fact.html").write_text(text.replace(block, block + MARK, 1), encoding="utf-8")
    return folder


def built(paths: Paths):
    result = build(paths)
    assert result.ok, "\n".join(d.format() for d in result.diagnostics.sorted())
    return result


@pytest.fixture
def default_site(briefing) -> dict[str, str]:
    built(Paths(briefing.content, output=briefing.root / "default"))
    return tree_digest(briefing.root / "default")


def test_the_built_in_theme_is_found_beside_the_code_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert theme.default_theme() == (ROOT / "templates", ROOT / "assets")
    # the repository's templates/ beside its content/ is the built-in theme, loaded once
    assert Paths(ROOT / "content").template_folders() == (ROOT / "templates",)
    assert Paths(ROOT / "content", ROOT / "templates", ROOT / "assets").asset_folders() == \
        (ROOT / "assets",)


def test_an_installed_copy_is_looked_for_first(tmp_path, monkeypatch):
    installed = tmp_path / "default_theme"
    (installed / "templates").mkdir(parents=True)
    (installed / "templates" / "base.html").write_text("x")
    monkeypatch.setattr(theme, "INSTALLED", installed)
    assert theme.default_theme() == (installed / "templates", installed / "assets")


def test_an_override_template_changes_its_pages_and_leaves_the_others_built_by_default(
        briefing, default_site):
    override = fact_override(briefing.root / "mine")
    built(Paths(briefing.content, templates=override, output=briefing.output))
    site = tree_digest(briefing.output)
    assert site.keys() == default_site.keys()
    # (the search index's list of shards names the pages each was made from: search.py)
    changed = sorted(path for path in site if site[path] != default_site[path]
                     and path != "pagefind/shards.json")
    assert changed and all(path.startswith("facts/") and path != "facts/index.html"
                           for path in changed), changed
    assert all(MARK in (briefing.output / path).read_text() for path in changed)
    assert len(changed) == len(list((briefing.output / "facts").glob("*.html"))) - 1


def test_templates_and_assets_beside_a_content_folder_are_its_overrides(briefing, default_site):
    fact_override(briefing.root / "templates")
    (briefing.root / "assets").mkdir()
    (briefing.root / "assets" / "logo.svg").write_text("<svg/>")
    built(Paths(briefing.content, output=briefing.output))  # no flags
    site = tree_digest(briefing.output)
    assert any(MARK in p.read_text() for p in (briefing.output / "facts").glob("*.html"))
    assert site["index.html"] == default_site["index.html"]
    assert (briefing.output / "assets" / "logo.svg").read_text() == "<svg/>"


def test_a_content_folder_by_another_name_gets_no_automatic_overrides(tmp_path):
    shutil.copytree(ROOT / "tests/sites/minimal/content", tmp_path / "briefing")
    fact_override(tmp_path / "templates")
    paths = Paths(tmp_path / "briefing", output=tmp_path / "site")
    assert paths.template_folders() == (ROOT / "templates",)
    built(paths)
    assert not any(MARK in p.read_text() for p in (tmp_path / "site" / "facts").glob("*.html"))


def test_an_added_asset_is_published_and_a_replaced_one_replaces(briefing, default_site):
    assets = briefing.root / "mine"
    (assets / "fonts").mkdir(parents=True)
    (assets / "fonts" / "serif.woff2").write_bytes(b"font")
    (assets / "style.css").write_text("body { color: black; }\n")
    built(Paths(briefing.content, assets=assets, output=briefing.output))
    site = tree_digest(briefing.output)
    assert (briefing.output / "assets/fonts/serif.woff2").read_bytes() == b"font"
    assert (briefing.output / "assets/style.css").read_text() == "body { color: black; }\n"
    for name in (ROOT / "assets").iterdir():  # the built-in ones not replaced are all there
        if name.name != "style.css":
            assert site[f"assets/{name.name}"] == default_site[f"assets/{name.name}"]
    assert site.keys() == default_site.keys() | {"assets/fonts/serif.woff2"}


def test_a_missing_template_is_named_with_the_line_that_wants_it(briefing):
    override = briefing.root / "templates"
    override.mkdir()
    text = (ROOT / "templates" / "home.html").read_text(encoding="utf-8")
    at = text.index("{% block")
    line = text[:at].count("\n") + 1
    (override / "home.html").write_text(
        text[:at] + '{% include "missing-part.html" %}' + text[at:], encoding="utf-8")
    result = build(Paths(briefing.content, output=briefing.output))
    assert not result.ok and not briefing.output.exists()
    message, = [d.format() for d in result.diagnostics.errors]
    assert message.startswith(f"templates/home.html:{line}:1: error [template]: template "
                              f"'missing-part.html' not found (looked in templates, "), message
    assert str(ROOT / "templates") in message or "templates)" in message


def test_an_override_folder_that_is_not_there_is_an_error(briefing):
    result = build(Paths(briefing.content, templates=Path("no-such-folder"),
                         output=briefing.output))
    assert [d.format().splitlines()[0] for d in result.diagnostics.errors] == [
        "no-such-folder: error [theme]: templates folder not found"]


def test_builds_with_overrides_are_byte_identical(briefing):
    override = fact_override(briefing.root / "templates")
    (briefing.root / "assets").mkdir()
    (briefing.root / "assets" / "extra.css").write_text("p {}")
    built(Paths(briefing.content, templates=override, output=briefing.root / "one"))
    built(Paths(briefing.content, output=briefing.root / "two"))
    assert tree_digest(briefing.root / "one") == tree_digest(briefing.root / "two")


def test_an_override_added_between_builds_is_used_by_the_next(briefing, default_site):
    (briefing.root / "templates").mkdir()
    built(Paths(briefing.content, output=briefing.output))  # the environment is cached
    assert tree_digest(briefing.output) == default_site
    fact_override(briefing.root / "templates")  # as while `serve` runs
    built(Paths(briefing.content, output=briefing.output))
    assert any(MARK in p.read_text() for p in (briefing.output / "facts").glob("*.html"))
    (briefing.root / "templates" / "fact.html").unlink()
    built(Paths(briefing.content, output=briefing.output))
    assert tree_digest(briefing.output) == default_site


def test_the_command_line_takes_an_override_folder_from_another_folder(briefing, tmp_path):
    override = fact_override(tmp_path / "elsewhere" / "mine")
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content",
                           "content", "--templates", str(override)], cwd=briefing.root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert any(MARK in p.read_text() for p in (briefing.root / "site/facts").glob("*.html"))


def test_a_timeline_override_written_for_the_earlier_theme_still_builds_the_same_page(
        briefing, default_site):
    """timeline.html from before long lists were spliced (each()) looped over the dated facts
    themselves: the context still holds the records, so a theme's copy keeps building."""
    folder = briefing.root / "earlier"
    folder.mkdir()
    (folder / "timeline.html").write_text(
        (ROOT / "templates" / "timeline.html").read_text(encoding="utf-8").replace(
            '{{ each("timeline_entry", dated) }}</ol>',
            '{% for fact in dated %}\n  <li>\n    {{ fragment("timeline_item", fact) }}\n'
            '  </li>\n{% endfor %}\n</ol>'), encoding="utf-8")
    assert "for fact in dated" in (folder / "timeline.html").read_text()
    built(Paths(briefing.content, templates=folder, output=briefing.output))
    assert tree_digest(briefing.output)["timeline.html"] == default_site["timeline.html"]
