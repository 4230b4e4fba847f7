"""Where build.py looks for its files, how template errors name them, and how site/ is replaced:
all at once, or not at all and with no temporary folder left behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import build as build_cli
from conftest import ROOT, SITES, tree_digest
from factsheet import pipeline, write
from factsheet.write import WriteError, publish

REAL_RMTREE = shutil.rmtree
REAL_RENAME = Path.rename


def problems(err: str) -> list[str]:
    """The numbered problem lines of a report, without their numbers."""
    return [line.split(". ", 1)[1] for line in err.splitlines() if line[:1].isdigit()]


def debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".site-"))


def run(*args: str, capsys) -> tuple[int, str]:
    """build.py in the briefing's folder, with paths relative to it as a user would type them."""
    code = build_cli.main(["--content", "content", "--output", "site", *args])
    return code, capsys.readouterr().err


# --- templates and assets beside build.py ------------------------------------------------------

def test_build_runs_from_any_folder(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(SITES / "minimal" / "content", elsewhere / "content")
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", "content",
                           "--output", "out"], cwd=elsewhere, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert (elsewhere / "out" / "index.html").is_file()  # content and output: the user's folder
    assert (elsewhere / "out" / "assets" / "style.css").read_bytes() == \
        (ROOT / "assets" / "style.css").read_bytes()


# --- template errors name templates as content errors name content -----------------------------

FRAGMENT = '{{ each("timeline_entry", dated) }}'  # an expression of timeline.html


def break_template(briefing, old: str, new: str) -> int:
    """Copies the templates into the briefing's folder, edits timeline.html; the edited line."""
    shutil.copytree(ROOT / "templates", briefing.root / "templates")
    path = briefing.root / "templates" / "timeline.html"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return text[:text.index(old)].count("\n") + 1


def test_a_template_syntax_error_is_named_relative_to_the_current_folder(briefing, capsys):
    line = break_template(briefing, FRAGMENT, FRAGMENT[:-1])
    code, err = run("--templates", "templates", capsys=capsys)
    assert code == 1
    assert problems(err) == [f"templates/timeline.html:{line}:1: error [template]: "
                             f"template syntax error: unexpected '}}'"]


def test_a_template_render_error_is_named_relative_to_the_current_folder(briefing, capsys):
    line = break_template(briefing, FRAGMENT, "{{ dated[0].clam }}")
    code, err = run("--templates", str(briefing.root / "templates"), capsys=capsys)
    assert code == 1
    assert problems(err) == [f"templates/timeline.html:{line}:1: error [template]: template "
                             f"error while rendering 'timeline.html': 'factsheet.model.Fact "
                             f"object' has no attribute 'clam'"]


# --- publish: all or nothing, no debris --------------------------------------------------------

@pytest.fixture
def old_site(tmp_path) -> Path:
    site = tmp_path / "site"
    publish({"index.html": b"old", "facts/a.html": b"old a", "assets/style.css": b"old css"},
            site)
    return site


def fail_on(name_start: str, error: BaseException):
    """A stand-in for Path.rename that fails when the file it moves is named `name_start…`."""
    def rename(self, target):
        if self.name.startswith(name_start):
            raise error
        return REAL_RENAME(self, target)
    return rename


def test_a_new_site_replaces_the_old_one_exactly(old_site):
    assert publish({"index.html": b"new"}, old_site) == ["index.html"]
    assert tree_digest(old_site).keys() == {"index.html", write.MARKER}
    assert debris(old_site.parent) == []


@pytest.mark.parametrize("moving, message", [
    ("site", "cannot replace the previous site: Permission denied"),  # site → .site-old-PID
    (".site-new-", "cannot replace the previous site: Permission denied"),  # the new site in
])
def test_a_failed_swap_puts_the_old_site_back(old_site, monkeypatch, moving, message):
    before = tree_digest(old_site)
    monkeypatch.setattr(Path, "rename", fail_on(moving, PermissionError(13, "Permission denied")))
    with pytest.raises(WriteError) as raised:
        publish({"index.html": b"new"}, old_site)
    assert str(raised.value) == message
    assert tree_digest(old_site) == before
    assert debris(old_site.parent) == []


def test_an_old_site_that_cannot_be_removed_is_put_back(old_site, monkeypatch):
    before = tree_digest(old_site)

    def rmtree(path, *args, **kwargs):
        if Path(path).name.startswith(".site-old-"):
            raise PermissionError(13, "Permission denied", str(Path(path) / "facts"))
        return REAL_RMTREE(path, *args, **kwargs)
    monkeypatch.setattr(shutil, "rmtree", rmtree)
    with pytest.raises(WriteError) as raised:
        publish({"index.html": b"new"}, old_site)
    assert str(raised.value) == "cannot remove the previous site: Permission denied"
    assert tree_digest(old_site) == before
    assert debris(old_site.parent) == []


def test_a_read_only_folder_in_the_old_site_is_found_before_anything_moves(old_site,
                                                                              monkeypatch):
    # As root every folder is writable: pretend facts/ is not, as for any other user.
    before = tree_digest(old_site)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path).name != "facts"
                        and real_access(path, mode))
    with pytest.raises(WriteError) as raised:
        publish({"index.html": b"new"}, old_site)
    assert str(raised.value) == "cannot replace the previous site: 'facts' is read-only"
    assert tree_digest(old_site) == before
    assert debris(old_site.parent) == []


def test_a_read_only_parent_folder_is_reported(old_site, monkeypatch):
    before = tree_digest(old_site)
    real_mkdir = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if self.name.startswith(".site-new-"):
            raise PermissionError(13, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)
    monkeypatch.setattr(Path, "mkdir", mkdir)
    with pytest.raises(WriteError) as raised:
        publish({"index.html": b"new"}, old_site)
    assert str(raised.value) == \
        "cannot create the new site next to the old one: Permission denied"
    assert tree_digest(old_site) == before
    assert debris(old_site.parent) == []


def test_a_file_name_too_long_names_the_output_path_not_a_temporary_one(old_site):
    before = tree_digest(old_site)
    name = "facts/" + "a" * 300 + ".html"
    with pytest.raises(WriteError) as raised:
        publish({"index.html": b"new", name: b"x"}, old_site)
    assert str(raised.value) == f"cannot write '{name}': File name too long"
    assert tree_digest(old_site) == before
    assert debris(old_site.parent) == []


def test_an_unreadable_asset_is_reported(tmp_path, monkeypatch):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "style.css").write_text("body {}")
    monkeypatch.setattr(Path, "read_bytes", lambda self: (_ for _ in ()).throw(
        PermissionError(13, "Permission denied", str(self))))
    with pytest.raises(WriteError) as raised:
        write.asset_files(tmp_path / "assets")
    assert str(raised.value) == "cannot read 'assets/style.css': Permission denied"


@pytest.mark.parametrize("where", ["writing", "swapping"])
def test_an_interrupted_publish_leaves_the_old_site_and_no_debris(old_site, monkeypatch, where):
    before = tree_digest(old_site)
    if where == "writing":
        monkeypatch.setattr(Path, "write_bytes", lambda self, data: (_ for _ in ()).throw(
            KeyboardInterrupt()))
    else:  # Ctrl-C between moving the old site out and the new one in
        monkeypatch.setattr(Path, "rename", fail_on(".site-new-", KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        publish({"index.html": b"new"}, old_site)
    monkeypatch.undo()
    assert tree_digest(old_site) == before
    assert debris(old_site.parent) == []


def test_an_interrupt_while_removing_the_old_site_leaves_the_new_one_and_no_debris(
        old_site, monkeypatch):
    interrupted = []

    def rmtree(path, *args, **kwargs):
        if Path(path).name.startswith(".site-old-") and not interrupted:
            interrupted.append(path)
            raise KeyboardInterrupt()
        return REAL_RMTREE(path, *args, **kwargs)
    monkeypatch.setattr(shutil, "rmtree", rmtree)
    with pytest.raises(KeyboardInterrupt):
        publish({"index.html": b"new"}, old_site)
    assert (old_site / "index.html").read_bytes() == b"new"
    assert debris(old_site.parent) == []


def test_a_write_failure_fails_the_build_with_a_located_error(briefing, capsys, monkeypatch):
    assert run(capsys=capsys)[0] == 0
    before = tree_digest(briefing.output)

    def rmtree(path, *args, **kwargs):
        if Path(path).name.startswith(".site-old-"):
            raise PermissionError(13, "Permission denied", str(path))
        return REAL_RMTREE(path, *args, **kwargs)
    monkeypatch.setattr(shutil, "rmtree", rmtree)
    # (nothing changed: from the cache, the build would write nothing)
    code, err = run("--no-cache", capsys=capsys)
    assert code == 1
    assert problems(err) == ["site: error [output]: cannot remove the previous site: "
                             "Permission denied"]
    assert "Traceback" not in err
    assert tree_digest(briefing.output) == before
    assert debris(briefing.root) == []


def test_a_build_that_raises_is_reported_without_a_traceback(briefing, capsys, monkeypatch):
    def broken(paths, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(build_cli, "build", broken)
    code, err = run(capsys=capsys)
    assert code == 1
    assert problems(err) == ["content: error [internal]: internal error while building: RuntimeError: boom"]
    assert f"    hint: {pipeline.INTERNAL_ERROR_HINT}" in err.splitlines()
    assert "Traceback" not in err


def test_a_port_out_of_range_is_a_usage_error(briefing, capsys):
    with pytest.raises(SystemExit) as exited:
        build_cli.main(["serve", "--port", "70000"])
    assert exited.value.code == 2
    assert "argument --port: '70000' is not a port number (0 to 65535)" in capsys.readouterr().err


def test_the_files_that_differ_are_found_whether_or_not_the_paths_are_the_same():
    from factsheet.packed import Files, differing
    before = Files({f"facts/f-{n}.html": f"<p>{n}</p>".encode() for n in range(50)})
    same_paths = Files()
    same_paths.update(before)  # held values the very same objects …
    same_paths["facts/f-7.html"] = b"<p>edited</p>"
    same_paths["facts/f-9.html"] = b"<p>9</p>"  # … or equal ones made again
    assert differing(same_paths, before) == ["facts/f-7.html"]
    added = Files()
    added.update(same_paths)
    added["new.html"] = b"<p>new</p>"
    del added["facts/f-3.html"]
    assert differing(added, before) == ["facts/f-7.html", "new.html"]
    assert differing(before, before) == []
