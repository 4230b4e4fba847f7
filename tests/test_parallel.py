"""Parallel rendering (forked workers) gives byte-identical output to a serial build, and reports
a template error the same way."""

from __future__ import annotations

import gc
import os
import shutil

from conftest import ROOT, SITES, tree_digest

import build as build_cli
from factsheet import parallel, splice
from factsheet.memo import Memo
from factsheet.pipeline import Paths, build


def build_with(workers: str, content, output, monkeypatch, capsys, templates=None) -> tuple:
    monkeypatch.setenv("FACTSHEET_WORKERS", workers)
    code = build_cli.main(["--content", str(content), "--output", str(output),
                           "--templates", str(templates or ROOT / "templates"),
                           "--assets", str(ROOT / "assets")])
    return code, capsys.readouterr().err


def test_parallel_output_is_byte_identical_to_serial(tmp_path, monkeypatch, capsys):
    content = SITES / "multisource" / "content"
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    assert build_with("1", content, serial, monkeypatch, capsys)[0] == 0
    assert build_with("3", content, parallel, monkeypatch, capsys)[0] == 0
    assert tree_digest(parallel) == tree_digest(serial)


def test_a_template_error_in_a_worker_is_reported_once(tmp_path, monkeypatch, capsys):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    fact = templates / "fact.html"
    fact.write_text(fact.read_text().replace("{{ fact.claim }}", "{{ fact.clam }}", 1))
    content = SITES / "minimal" / "content"
    results = [build_with(workers, content, tmp_path / f"site-{workers}", monkeypatch, capsys,
                          templates) for workers in ("1", "2")]
    for code, err in results:
        assert code == 1
        assert err.count("error [template]") == 1 and "'clam'" in err
    assert not (tmp_path / "site-2").exists()


def test_templates_compiled_before_the_workers_fork_report_their_errors_as_serial_does(
        tmp_path, monkeypatch, capsys):
    """Every template is compiled before the workers fork (Renderer.compile_templates): one
    that no page uses may not compile, and one that a page uses is reported by that page."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "unused.html").write_text("{% if %}never used{% endif %}")
    content = SITES / "multisource" / "content"
    for workers in ("1", "2"):
        assert build_with(workers, content, tmp_path / f"ok-{workers}", monkeypatch, capsys,
                          templates)[0] == 0
    fact = templates / "fact.html"
    fact.write_text(fact.read_text().replace("{{ fact.claim }}", "{% if %}", 1))
    results = [build_with(workers, content, tmp_path / f"bad-{workers}", monkeypatch, capsys,
                          templates) for workers in ("1", "2")]
    assert [code for code, _ in results] == [1, 1]
    assert results[0][1].count("error [template]") == results[1][1].count("error [template]") == 1
    assert "fact.html" in results[1][1]


def kept(workers: str, monkeypatch):
    """What a build with a memo keeps for the next build to reuse (depends.Rendered)."""
    monkeypatch.setenv("FACTSHEET_WORKERS", workers)
    memo = Memo()
    paths = Paths(SITES / "multisource" / "content", templates=ROOT / "templates",
                  assets=ROOT / "assets")
    assert build(paths, write=False, memo=memo).ok
    return memo.carried["render"]


def reads_noted(workers: str, monkeypatch) -> dict:
    """What each page read, as a build with a memo notes it."""
    return kept(workers, monkeypatch).reads


def test_what_each_page_read_is_noted_alike_by_one_process_or_several(monkeypatch):
    # this process renders a share of the pages too: its reads join the workers'
    serial = reads_noted("1", monkeypatch)
    assert len(serial) > 10 and all(serial.values())
    assert reads_noted("3", monkeypatch) == serial


def test_the_lines_and_chunks_made_are_kept_alike_by_one_process_or_several(monkeypatch):
    # each share's lines (fragments) and long lists' chunks come back, this process's own too:
    # else the first edit after a parallel build makes every one of them again
    monkeypatch.setattr(splice, "CHUNK", 3)  # the fixture's lists, cut into chunks
    serial = kept("1", monkeypatch)
    assert len(serial.fragments) > 10 and len(serial.chunks) > 2
    parallel = kept("3", monkeypatch)
    assert parallel.fragments.keys() == serial.fragments.keys()
    assert parallel.chunks == serial.chunks and parallel.lists == serial.lists
    assert parallel.fragment_readers == serial.fragment_readers


def test_rendering_in_parallel_leaves_the_collector_as_it_found_it(monkeypatch):
    # the heap is frozen while the workers run (what they inherit stays shared), not after
    frozen = gc.get_freeze_count()
    reads_noted("2", monkeypatch)
    assert gc.get_freeze_count() == frozen


def test_no_more_processes_render_than_the_memory_holds(monkeypatch):
    monkeypatch.delenv("FACTSHEET_WORKERS", raising=False)
    monkeypatch.setenv("FACTSHEET_MEMORY", "1")  # MiB: not even this process fits
    assert parallel.workers(100_000) == 1
    monkeypatch.setenv("FACTSHEET_MEMORY", str(1 << 20))  # a terabyte
    assert parallel.workers(100_000) == min(os.cpu_count(), 8)
    monkeypatch.delenv("FACTSHEET_MEMORY")  # 2 GiB: this process (some 100 MB) many times
    assert parallel.workers(100_000) == min(os.cpu_count(), 8)


def _after(event, value):
    event.wait(30)
    return value


def test_the_workers_shares_that_came_back_are_taken_without_waiting_for_the_others():
    # render_shares hands on each worker's share as it arrives, between this process's own
    # shares, instead of holding them all until its own are done (issue 8: the 10k peak)
    import functools
    import multiprocessing
    import time

    context = multiprocessing.get_context("fork")
    with context.Manager() as manager, context.Pool(2) as pool:
        go = manager.Event()  # (a worker waits at most 30 s: a blocking take fails, not hangs)
        results = pool.imap_unordered(functools.partial(_after, go), [None, "second"])
        assert list(parallel._arrived(results)) == []  # neither is back: no wait
        go.set()
        arrived: list = []
        for _ in range(300):  # (both come back in milliseconds; this bounds a slow machine)
            arrived += parallel._arrived(results)
            if len(arrived) == 2:
                break
            time.sleep(0.1)
        assert sorted(arrived, key=str) == [None, "second"]
        assert list(results) == []
