"""The search index cut into shards (factsheet/shards.py, search.py): the rule that places pages,
an index of several bundles holding the same records as one, byte-identical from build to build
and from the cache, and only the shards whose pages changed indexed again (a build from the
cache, serve's background index). The search page merging them in a browser:
tests/test_browser_search.py."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, SITES, tree_digest
from factsheet import search, shards
from factsheet.pipeline import Paths, build
from factsheet.shards import Page, plan
from test_incremental import replace
from test_search import BUNDLE, records


def page(path: str, size: int = 1000, digest: str = "a", body: bool = True) -> Page:
    return Page(path, size, digest, body)


PIECES = st.sampled_from([b"<", b">", b" ", b"\n", b"=", b"/", b"a", b"p ", b"-", b'"',
                          b"data-pagefind-body", b"<article ", b"<p>", b"< "])


@given(st.lists(PIECES, max_size=30).map(b"".join))
@settings(max_examples=500, deadline=None)
def test_marks_body_finds_what_the_regex_finds(page):
    """marks_body looks only around each mention of the attribute, and answers as BODY run over
    the whole page does."""
    assert shards.marks_body(page) == (shards.BODY.search(page) is not None)


def test_a_site_within_one_shard_is_one_bundle_and_a_larger_one_a_power_of_two(monkeypatch):
    monkeypatch.setattr(shards, "SHARD_BYTES", 10_000)
    small = [page(f"facts/f{n}.html") for n in range(10)]
    assert [(s.folder, len(s.pages)) for s in plan(small, "pagefind 1")] == [("", 10)]
    large = [page(f"facts/f{n}.html") for n in range(100)]  # 100,000 bytes: 16 shards at most
    cut = plan(large, "pagefind 1")
    assert 8 < len(cut) <= 16 and cut[0].folder == ""
    assert all(s.folder == f"shards/{shards.bucket(s.pages[0], 16)}/" for s in cut[1:])
    assert sorted(p for s in cut for p in s.pages) == sorted(p.path for p in large)
    monkeypatch.setattr(shards, "MAX_SHARDS", 4)  # past that many, shards grow instead
    assert [s.folder for s in plan(large, "pagefind 1")] == ["", "shards/1/", "shards/2/",
                                                             "shards/3/"]


def test_a_page_stays_in_its_shard_and_an_edit_changes_only_that_shard_s_key(monkeypatch):
    monkeypatch.setattr(shards, "SHARD_BYTES", 10_000)
    pages = [page(f"facts/f{n}.html") for n in range(60)]
    before = plan(pages, "pagefind 1")
    edited = [page(p.path, digest="b") if p.path == "facts/f7.html" else p for p in pages]
    added = [*pages, page("facts/new.html")]
    for after in (plan(edited, "pagefind 1"), plan(added, "pagefind 1")):
        changed = [s.folder for s, t in zip(before, after) if s.key != t.key]
        assert [s.folder for s in after] == [s.folder for s in before] and len(changed) == 1
    assert all(s.key != t.key for s, t in zip(before, plan(pages, "pagefind 2")))


def test_the_same_pages_become_the_first_shard_only_under_another_key(monkeypatch):
    # the first shard's bundle holds Pagefind's scripts as well as its index: a shard whose
    # pages are unchanged but which becomes the first (the first one's pages all removed) must
    # be indexed again, not linked from where it was without them
    monkeypatch.setattr(shards, "SHARD_BYTES", 10_000)
    pages = [page(f"facts/f{n}.html") for n in range(60)]
    before = plan(pages, "pagefind 1")
    first = set(before[0].pages)
    after = plan([p for p in pages if p.path not in first], "pagefind 1")
    assert after[0].pages == before[1].pages and after[0].folder == ""
    assert after[0].key != before[1].key
    assert [s.key for s in after[1:]] == [s.key for s in before[2:]]


def test_only_the_pages_pagefind_indexes_are_placed(monkeypatch):
    marked = [page("facts/a.html"), page("index.html", body=False)]
    assert plan(marked, "p")[0].pages == ("facts/a.html",)
    unmarked = [page("a.html", body=False), page("b.html", body=False)]  # a theme without any:
    assert plan(unmarked, "p")[0].pages == ("a.html", "b.html")  # Pagefind indexes every page


def test_a_page_marks_its_body_by_an_attribute_not_by_the_words(tmp_path):
    (tmp_path / "a.html").write_text('<main data-pagefind-body class="x">A</main>')
    (tmp_path / "b.html").write_text("<p>data-pagefind-body &lt;main data-pagefind-body&gt;</p>")
    (tmp_path / BUNDLE).mkdir()
    (tmp_path / BUNDLE / "c.html").write_text("<main data-pagefind-body></main>")
    found = shards.site_pages(tmp_path, BUNDLE)
    assert [(p.path, p.body) for p in found] == [("a.html", True), ("b.html", False)]


def test_pages_kept_from_the_last_index_are_read_again_only_once_their_stat_changed(
        tmp_path, monkeypatch):
    """serve's index after an edit (site_pages with `kept`): the pages the edit wrote are read
    again, the others are taken as they were found, and the result is the one a fresh look
    gives."""
    from factsheet import stamps
    monkeypatch.setattr(stamps, "RACY_NS", 0)  # written just now, trusted all the same
    (tmp_path / "facts").mkdir()
    for name in ("a.html", "b.html", "facts/c.html"):
        (tmp_path / name).write_text(f'<main data-pagefind-body>{name}</main>')
    kept: dict = {}
    assert shards.site_pages(tmp_path, BUNDLE, kept) == shards.site_pages(tmp_path, BUNDLE)
    (tmp_path / "a.html").write_text("<p>no longer indexed, and longer</p>")
    (tmp_path / "facts" / "c.html").unlink()
    (tmp_path / "facts" / "d.html").write_text("<main data-pagefind-body>d</main>")
    read, real = [], Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real(self))
    again = shards.site_pages(tmp_path, BUNDLE, kept)
    assert sorted(read) == ["a.html", "d.html"]
    assert again == shards.site_pages(tmp_path, BUNDLE)
    assert [(p.path, p.body) for p in again] == [("a.html", False), ("b.html", True),
                                                 ("facts/d.html", True)]
    assert sorted(kept) == ["a.html", "b.html", "facts/d.html"]


@pytest.fixture
def sharded(monkeypatch):
    """Shards of a few kilobytes: the small fixtures are cut into several."""
    monkeypatch.setattr(shards, "SHARD_BYTES", 20_000)


THEME = (ROOT / "templates", ROOT / "assets")


def test_the_shards_hold_the_records_one_bundle_holds_and_list_themselves(tmp_path, monkeypatch):
    content = SITES / "multisource" / "content"
    assert build(Paths(content, *THEME, tmp_path / "one")).ok
    monkeypatch.setattr(shards, "SHARD_BYTES", 20_000)
    assert build(Paths(content, *THEME, tmp_path / "cut")).ok
    listed = json.loads((tmp_path / "cut" / BUNDLE / shards.MANIFEST).read_text())["shards"]
    assert len(listed) > 2 and listed[0]["bundle"] == ""
    for shard in listed[1:]:  # each merged shard: its index, none of Pagefind's scripts
        folder = tmp_path / "cut" / BUNDLE / shard["bundle"]
        assert (folder / search.ENTRY).is_file() and list(folder.glob("*.pf_meta"))
        assert not list(folder.glob("*.js")) and not list(folder.glob("wasm.*"))
    assert records(tmp_path / "cut") == records(tmp_path / "one")
    assert not list((tmp_path / "one" / BUNDLE).glob(f"{shards.SHARDS}/*"))


def test_a_sharded_index_is_byte_identical_from_build_to_build(tmp_path, sharded):
    content = SITES / "multisource" / "content"
    assert build(Paths(content, *THEME, tmp_path / "one" / "site")).ok
    assert build(Paths(content, *THEME, tmp_path / "two" / "elsewhere")).ok
    assert tree_digest(tmp_path / "one" / "site") == tree_digest(tmp_path / "two" / "elsewhere")


def indexed_shards(monkeypatch) -> list[str]:
    """The folders of the shards Pagefind is run on from now on."""
    ran = []
    real = search.index_shard

    def recording(binary, site, shard, work, yielding):
        ran.append(shard.folder)
        return real(binary, site, shard, work, yielding)
    monkeypatch.setattr(search, "index_shard", recording)
    return ran


def test_a_build_from_the_cache_indexes_only_the_shards_whose_pages_changed(
        tmp_path, monkeypatch, sharded):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SITES / "multisource" / "content", "content")
    paths = Paths(Path("content"), *THEME, Path("site"))
    assert build(paths, cache=True).ok
    count = len(json.loads(Path("site", BUNDLE, shards.MANIFEST).read_text())["shards"])
    inodes = {p: p.stat().st_ino for p in Path("site", BUNDLE).rglob("*") if p.is_file()}
    ran = indexed_shards(monkeypatch)
    replace(Path("content/facts/collision.yaml"), "claim: ", "claim: Edited, ")
    assert build(paths, cache=True).ok
    assert 0 < len(ran) < count, (ran, count)
    kept = [p for p, inode in inodes.items() if p.exists() and p.stat().st_ino == inode]
    assert any(p.parent.parent.name == shards.SHARDS for p in kept)  # whole shards linked
    ran.clear()
    assert build(Paths(Path("content"), *THEME, Path("fresh"))).ok
    assert len(ran) == count  # without the cache, every shard
    assert tree_digest(Path("site")) == tree_digest(Path("fresh"))


def test_serve_s_background_index_redoes_only_the_changed_shards(tmp_path, monkeypatch, sharded):
    site = tmp_path / "site"
    assert build(Paths(SITES / "multisource" / "content", *THEME, site)).ok
    built = tree_digest(site / BUNDLE)
    ran = indexed_shards(monkeypatch)
    search.reindex(site)
    assert ran == [] and tree_digest(site / BUNDLE) == built  # nothing changed, nothing redone
    fact = next(p for p in sorted((site / "facts").glob("*.html")) if p.name != "index.html")
    fact.write_bytes(fact.read_bytes().replace(b"<h1>", b"<h1>Edited ", 1))
    search.reindex(site)
    assert len(ran) == 1
    assert any(r["meta"]["title"].startswith("Edited ") for r in records(site).values())
    assert [p.name for p in site.iterdir() if p.name.startswith(".")] == [".factsheet-output"]


def test_a_reused_shard_that_lost_a_file_is_indexed_again(tmp_path, monkeypatch, sharded):
    site = tmp_path / "site"
    assert build(Paths(SITES / "multisource" / "content", *THEME, site)).ok
    built = tree_digest(site / BUNDLE)
    meta = next((site / BUNDLE / shards.SHARDS).glob("*/*.pf_meta"))
    meta.unlink()  # a shard made incomplete by hand
    ran = indexed_shards(monkeypatch)
    search.reindex(site)
    assert ran == [meta.parent.relative_to(site / BUNDLE).as_posix() + "/"]
    assert tree_digest(site / BUNDLE) == built


def test_a_large_shard_is_indexed_by_one_pagefind_alone_and_small_ones_two_at_once(
        tmp_path, monkeypatch, sharded):
    content = SITES / "multisource" / "content"
    assert build(Paths(content, *THEME, tmp_path / "one")).ok
    cut = plan(shards.site_pages(tmp_path / "one", BUNDLE), "p")
    sizes = sorted(shard.size for shard in cut)
    assert len(cut) > 3 and sizes[0] < sizes[-1]
    monkeypatch.setattr(search, "ALONE_BYTES", sizes[len(sizes) // 2])
    running, together = [], []
    lock, real, overlapped = threading.Lock(), search.index_shard, threading.Event()

    def watched(binary, site, shard, work, yielding):
        with lock:
            running.append(shard)
            together.append(tuple(running))
            if len(running) > 1:
                overlapped.set()
        if shard.size <= search.ALONE_BYTES:  # a small one waits for a second to start beside
            overlapped.wait(timeout=10)  # it, however busy the machine (none does: a failure)
        else:
            time.sleep(0.2)  # long enough that a run wrongly let start beside a large one does
        try:
            return real(binary, site, shard, work, yielding)
        finally:
            with lock:
                running.remove(shard)
    monkeypatch.setattr(search, "index_shard", watched)
    assert build(Paths(content, *THEME, tmp_path / "two")).ok
    assert len(together) == len(cut)
    assert not [runs for runs in together if len(runs) > 1
                and any(shard.size > search.ALONE_BYTES for shard in runs)]
    assert any(len(runs) > 1 for runs in together)  # the small ones, two at once
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")
