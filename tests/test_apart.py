"""A large cold build makes its pages in a forked process (apart.py): the same site, the same
progress and the same report as a build in one process, and a child that dies is one error."""

from __future__ import annotations

import os
import shutil
import signal

import pytest

from conftest import ROOT, SITES, tree_digest

from factsheet import apart, parallel, pipeline
from factsheet.packed import Files
from factsheet.pipeline import Paths, build


def paths(content, output) -> Paths:
    return Paths(content, templates=ROOT / "templates", assets=ROOT / "assets", output=output)


def built(content, output, monkeypatch, *, away: bool):
    """build() of `content`, apart or here; (result, the progress told)."""
    monkeypatch.setattr(apart, "MIN_BYTES", 0 if away else 1 << 60)
    told: list = []
    result = build(paths(content, output), progress=lambda stage, count: told.append(
        (stage, count, os.getpid())))
    return result, told


@pytest.mark.parametrize("workers", ["1", "2"])  # with 2, each share's pages handed on
def test_a_build_apart_makes_the_same_site_and_tells_the_same_progress(tmp_path, monkeypatch,
                                                                       workers):
    monkeypatch.setenv("FACTSHEET_WORKERS", workers)
    content = SITES / "multisource" / "content"
    here, here_told = built(content, tmp_path / "here", monkeypatch, away=False)
    away, away_told = built(content, tmp_path / "away", monkeypatch, away=True)
    assert here.ok and away.ok
    assert tree_digest(tmp_path / "away") == tree_digest(tmp_path / "here")
    assert [told[:2] for told in away_told] == [told[:2] for told in here_told]
    assert {pid for *_, pid in away_told} == {os.getpid()}  # told in the caller's process
    assert away.pages == here.pages and away.changed == here.changed
    assert away.notes == here.notes
    assert [str(d) for d in away.diagnostics.items] == [str(d) for d in here.diagnostics.items]


def test_each_share_s_pages_are_handed_on_as_it_is_made_and_their_paths_kept(monkeypatch):
    handed: list = []
    monkeypatch.setattr(parallel, "HAND_ON", lambda files: handed.append(
        {path: files[path] for path in files}))
    pages = {f"p{n}.html": b"page %d" % n for n in range(10)}

    def share(index: int, count: int) -> parallel.Share:
        return parallel.Share(Files({path: pages[path] for path in list(pages)[index::count]}),
                              ())

    for processes in (2, 1):  # a forked worker's shares too; one process's a share at a time
        handed.clear()
        parts = parallel.render_shares(share, len(pages), processes)
        assert len(handed) == len(parts) > 2
        assert {path: data for files in handed for path, data in files.items()} == pages
        assert sorted(path for part in parts for path in part.pages) == sorted(pages)
        assert all(part.pages.packed(path) is None for part in parts for path in part.pages)


def test_an_error_found_apart_is_reported_and_nothing_written(tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    fact = templates / "fact.html"
    fact.write_text(fact.read_text().replace("{{ fact.claim }}", "{{ fact.clam }}", 1))
    monkeypatch.setattr(apart, "MIN_BYTES", 0)
    result = build(Paths(SITES / "minimal" / "content", templates=templates,
                         assets=ROOT / "assets", output=tmp_path / "site"))
    assert not result.ok
    assert [d.key for d in result.diagnostics.errors] == ["template"]
    assert "'clam'" in result.diagnostics.errors[0].message
    assert not (tmp_path / "site").exists()


def test_a_process_that_dies_apart_is_one_internal_error_and_the_old_site_stays(
        tmp_path, monkeypatch):
    content = SITES / "minimal" / "content"
    assert built(content, tmp_path / "site", monkeypatch, away=False)[0].ok
    before = tree_digest(tmp_path / "site")
    monkeypatch.setattr(pipeline, "make_site", lambda *args, **kwargs: os._exit(3))
    result, _ = built(content, tmp_path / "site", monkeypatch, away=True)
    assert not result.ok
    assert [d.key for d in result.diagnostics.errors] == ["internal"]
    assert "ended without a word" in result.diagnostics.errors[0].message
    assert tree_digest(tmp_path / "site") == before


def test_a_process_killed_apart_says_by_which_signal(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "make_site",
                        lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL))
    result, _ = built(SITES / "minimal" / "content", tmp_path / "site", monkeypatch, away=True)
    assert [d.key for d in result.diagnostics.errors] == ["internal"]
    assert "killed by SIGKILL" in result.diagnostics.errors[0].message
    assert not (tmp_path / "site").exists()


def test_only_a_large_briefing_is_built_apart(tmp_path, monkeypatch):
    (tmp_path / "a.yaml").write_bytes(b"x" * 1000)
    monkeypatch.setattr(apart, "MIN_BYTES", 2000)
    assert not apart.wanted(tmp_path)
    (tmp_path / "b.yaml").write_bytes(b"x" * 1000)
    assert apart.wanted(tmp_path) == hasattr(os, "fork")
