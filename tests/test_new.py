"""`factsheet new DIR` (and `build.py new DIR`): a small, valid, documented starter briefing in a
new or empty folder, which builds under --strict from that folder with the default paths; a
folder that has anything in it is refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import build as build_cli
from conftest import ROOT, tree_digest
from factsheet import report, scaffold


@pytest.fixture(autouse=True)
def plain_settings():
    yield
    report.configure()


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def entries(folder: Path) -> list[dict]:
    found = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found += data if isinstance(data, list) else [data]
    return found


def test_new_writes_a_starter_that_builds_strictly_from_its_folder(tmp_path):
    made = run("new", "brief", cwd=tmp_path)
    assert made.returncode == 0 and made.stderr == ""
    assert made.stdout.startswith("Created a starter briefing in brief/ (")
    assert "cd brief && " in made.stdout and "build --strict" in made.stdout
    folder = tmp_path / "brief"
    # DIR is the briefing's folder: content/ inside it, so the default paths work from there.
    built = run("--strict", cwd=folder)
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""
    assert built.stdout.startswith("Built ") and " with 0 warnings " in built.stdout
    assert (folder / "site" / "index.html").is_file()
    assert (folder / "site" / "sources" / "gazette-footbridge.html").is_file()


def test_the_starter_has_what_it_promises(tmp_path):
    assert build_cli.main(["new", str(tmp_path / "b")]) == 0
    content = tmp_path / "b" / "content"
    assert yaml.safe_load((content / "site.yaml").read_text())["title"]
    sources, entities, facts = (entries(content / kind)
                                for kind in ("sources", "entities", "facts"))
    assert (len(sources), len(entities), len(facts)) == (1, 2, 3)
    assert [p.name for p in (content / "pages").iterdir()] == ["footbridge.md"]
    assert (content / "summary.md").read_text().strip()
    document = content / "documents" / sources[0]["document"]
    assert "fictional" in document.read_text()  # and says so, in the document itself
    assert "fictional" in sources[0]["notes"]
    readme = (tmp_path / "b" / "README.md").read_text()
    assert "fictional" in readme and "## Next steps" in readme and "factsheet build" in readme
    # documented: the YAML files explain themselves in comments
    for path in content.rglob("*.yaml"):
        assert path.read_text().lstrip().startswith("#") or "  # " in path.read_text(), path


def test_new_into_an_empty_folder(tmp_path, capsys):
    folder = tmp_path / "empty"
    folder.mkdir()
    assert build_cli.main(["new", str(folder), "-q"]) == 0
    assert capsys.readouterr() == ("", "")  # -q: nothing on success
    assert tree_digest(folder) == tree_digest(Path(scaffold.__file__).parent / "starter")
    assert build_cli.main(["check", "--strict", "--content", str(folder / "content")]) == 0


def test_new_creates_missing_parents(tmp_path, capsys):
    assert build_cli.main(["new", str(tmp_path / "a" / "b" / "c")]) == 0
    assert (tmp_path / "a" / "b" / "c" / "content" / "site.yaml").is_file()


@pytest.mark.parametrize("present", ["notes.txt", ".git", "content"])
def test_new_refuses_a_folder_that_is_not_empty(tmp_path, present):
    folder = tmp_path / "mine"
    folder.mkdir()
    if present == "notes.txt":
        (folder / present).write_text("keep me")
    else:
        (folder / present).mkdir()
    before = tree_digest(folder), sorted(p.name for p in folder.iterdir())
    done = run("new", "mine", cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == (f"build.py new: error: mine is not empty (it holds {present}); give "
                           f"a new or empty folder, nothing is written into one that has "
                           f"files\n")
    assert (tree_digest(folder), sorted(p.name for p in folder.iterdir())) == before


def test_new_refuses_a_file(tmp_path):
    (tmp_path / "taken").write_text("a file")
    done = run("new", "taken", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == "build.py new: error: taken is a file, not a folder\n"
    assert (tmp_path / "taken").read_text() == "a file"


def test_the_starter_is_package_data_read_through_importlib(tmp_path):
    files = scaffold.starter_files()
    assert {"README.md", ".gitignore", "content/site.yaml", "content/summary.md"} <= set(files)
    assert all(not name.startswith("content/") or name.count("/") <= 2 for name in files)
    assert scaffold.new_briefing(tmp_path / "x") == list(files)
