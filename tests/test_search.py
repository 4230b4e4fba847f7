"""Search without a browser: the Pagefind bundle in site/pagefind/, the records it holds (one per
fact, page, source and entity, with their filters), identical bytes from build to build, and a
failing indexer that leaves the previous site as it was. The search page in a browser is
tests/test_browser_search.py."""

from __future__ import annotations

import gzip
import json
import os
import re
import stat
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

from conftest import ROOT, tree_digest
from factsheet import search
from factsheet.pipeline import Paths, build
from factsheet.serve import SearchIndexer

BUNDLE = "pagefind"


def records(site: Path) -> dict[str, dict]:
    """{url: record} of every page in the index, read from Pagefind's fragments (gzip, then a
    "pagefind_dcd" signature, then JSON), in every shard of the index."""
    found = {}
    for fragment in sorted((site / BUNDLE).glob("**/fragment/*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data[len(b"pagefind_dcd"):])
        found[record["url"]] = record
    return found


def problems(err: str) -> list[str]:
    return [line.split(". ", 1)[1] for line in err.splitlines() if re.match(r"\d+\. ", line)]


def debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith((".site-new-", ".site-old-")))


def test_the_search_bundle_is_written_into_the_site(briefing, capsys):
    code, out, err = briefing.run(capsys=capsys)
    assert code == 0, err
    bundle = briefing.output / BUNDLE
    for name in ("pagefind.js", "pagefind-entry.json", "pagefind-component-ui.js",
                 "pagefind-component-ui.css", "pagefind-worker.js", "wasm.en.pagefind"):
        assert (bundle / name).is_file(), name
    assert list((bundle / "index").glob("*.pf_index"))
    assert list((bundle / "filter").glob("*.pf_filter"))
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    urls = sorted(records(briefing.output))
    assert entry["languages"]["en"]["page_count"] == len(urls)
    expected = sorted("/" + p.relative_to(briefing.output).as_posix()
                      for folder in ("facts", "pages", "sources", "entities")
                      for p in (briefing.output / folder).glob("*.html") if p.name != "index.html")
    assert urls == expected, "one record per fact, page, source and entity, and nothing else"
    assert (briefing.output / "search.html").is_file()


def test_a_fact_record_has_its_claim_quotes_chain_and_tags_and_the_filters(briefing, capsys):
    briefing.edit("facts/ships.yaml", "  status: claimed\n",
                  "  status: claimed\n  tags: [shipping]\n")
    assert briefing.run(capsys=capsys)[0] == 0
    record = records(briefing.output)["/facts/union-count.html"]
    assert record["meta"]["title"] == "The union counted 35 ships."
    content = record["content"]
    assert "The union counted 35 ships." in content  # the claim
    assert "the union counted 35 ships" in content  # the quote
    assert "Dock union" in content and "Harbour report" in content  # the chain
    assert "shipping" in content  # its tag
    # navigation, the header's search box, the footer, the facts it pulls against and the
    # "Cited on" list are left out
    for left_out in ("Timeline", "Skip to content", "Search the briefing", "Every statement links",
                     "About 40 ships", "Cited on"):
        assert left_out not in content, left_out
    assert record["filters"] == {
        "type": ["fact"], "status": ["claimed"], "source": ["Harbour report"],
        "entity": ["Dock union"], "tag": ["shipping"], "year": ["2024"]}


def test_pages_sources_and_entities_are_typed_and_leave_out_their_fact_lists(briefing, capsys):
    assert briefing.run(capsys=capsys)[0] == 0
    found = records(briefing.output)
    assert found["/pages/overview.html"]["filters"] == {"type": ["page"]}
    assert found["/sources/harbour-report.html"]["filters"] == {"type": ["source"]}
    assert found["/entities/dock-union.html"]["filters"] == {"type": ["entity"]}
    # a page's notes, a source's and an entity's lists of facts repeat other records' claims
    assert "About 40 ships docked" not in found["/entities/port-officials.html"]["content"]
    source = found["/sources/harbour-report.html"]["content"]
    assert "Facts citing this source" not in source and "highlighted passage" not in source


def test_every_page_has_a_search_box_that_works_without_javascript(briefing, capsys):
    assert briefing.run(capsys=capsys)[0] == 0
    for page in sorted(briefing.output.rglob("*.html")):
        if BUNDLE in page.relative_to(briefing.output).parts:
            continue
        html = page.read_text()
        depth = len(page.relative_to(briefing.output).parts) - 1
        form = re.search(r'<form class="site-search" role="search" action="([^"]+)" '
                         r'method="get">', html)
        assert form and form.group(1) == "../" * depth + "search.html", page
        assert 'name="q" type="search"' in html
    search_page = (briefing.output / "search.html").read_text()
    assert "<noscript>" in search_page and 'href="facts/index.html"' in search_page


@pytest.mark.parametrize("content", [
    ROOT / "tests" / "sites" / "minimal" / "content",
    ROOT / "tests" / "sites" / "multisource" / "content",
])
def test_the_site_and_its_index_are_byte_identical_from_build_to_build(tmp_path, content):
    """Pagefind names its files by content hash and stamps no time, so a build of the same
    content gives the same bytes, whatever the output folder is called."""
    theme = (ROOT / "templates", ROOT / "assets")
    first, second = tmp_path / "one" / "site", tmp_path / "two" / "elsewhere"
    assert build(Paths(content, *theme, first)).ok
    assert build(Paths(content, *theme, second)).ok
    assert build(Paths(content, *theme, first)).ok  # and again into the same folder
    digest = tree_digest(first)
    assert any(name.startswith(BUNDLE + "/fragment/") for name in digest)
    assert digest == tree_digest(second)


def test_the_filter_indexes_are_put_in_one_order_whatever_order_pagefind_wrote(briefing, capsys):
    """Pagefind writes each filter's values, and the list of filters, in hash-map order; write a
    built bundle's in reverse, as another run may, and `canonical` gives back the same bytes."""
    assert briefing.run(capsys=capsys)[0] == 0
    bundle = briefing.output / BUNDLE
    before = tree_digest(bundle)
    renamed = {}
    for path in sorted((bundle / "filter").glob("*.pf_filter")):
        name, values = search._unpack(path)
        renamed[path.stem] = search._repack(path, "", [name, values[::-1]], 7)
    entry_file = bundle / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text())
    meta_file = bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    meta = search._unpack(meta_file)
    meta[3] = [[name, renamed[stem]] for name, stem in meta[3]][::-1]
    entry["languages"]["en"]["hash"] = search._repack(meta_file, "pagefind.", meta, 10)
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
    assert tree_digest(bundle) != before
    search.canonical(bundle)
    assert tree_digest(bundle) == before
    search.canonical(bundle)  # and once in order, it stays so
    assert tree_digest(bundle) == before


def test_cbor_as_pagefind_writes_it_reads_back_to_the_same_bytes():
    value = [0, 23, 24, 255, 256, 65536, 2 ** 32, -1, -500, "", "é" * 30, b"\x00\x01", [],
             search.CBORMap([("a", [1, 2])])]
    data = search.cbor_encode(value)
    assert search.cbor_decode(data) == (value, len(data))
    assert search.cbor_encode([24, "a"]) == bytes([0x82, 0x18, 24, 0x61, ord("a")])
    with pytest.raises(search.CBORError):
        search.cbor_decode(bytes([0xF9, 0, 0]))  # a float: Pagefind writes none


def failing_indexer(tmp_path: Path) -> Path:
    script = tmp_path / "pagefind-that-fails"
    script.write_text("#!/bin/sh\necho 'Error: the index is on fire' >&2\nexit 3\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


@pytest.mark.parametrize("binary, message", [
    ("failing", "the search index could not be built: Pagefind: Error: the index is on fire"),
    ("missing", "cannot run the search indexer '{binary}': No such file or directory"),
])
def test_a_failing_indexer_is_one_located_error_and_leaves_the_site_as_it_was(
        briefing, capsys, monkeypatch, tmp_path, binary, message):
    assert briefing.run(capsys=capsys)[0] == 0
    before = tree_digest(briefing.output)
    briefing.edit("facts/ships.yaml", "About 40 ships", "About 41 ships")
    path = failing_indexer(tmp_path) if binary == "failing" else tmp_path / "no-such-pagefind"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(path))
    code, _, err = briefing.run(capsys=capsys)
    assert code == 1
    assert problems(err) == ["site: error [search]: " + message.format(binary=path)]
    assert f"hint: the previous site is untouched; {search.RUN_HINT}" in err
    assert "Traceback" not in err
    assert tree_digest(briefing.output) == before
    assert debris(briefing.root) == []


def test_an_indexer_that_is_not_installed_is_said_so(monkeypatch, tmp_path):
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    monkeypatch.setattr(search, "BINARY_PACKAGES", ("no_such_pagefind_package",))
    monkeypatch.setenv("PATH", str(tmp_path))  # nor a pagefind on PATH
    with pytest.raises(search.SearchError, match=r"not installed") as raised:
        search.index(tmp_path)
    assert raised.value.hint == search.INSTALL_HINT  # "install it with `pip install …`"


def test_a_binary_package_without_its_binary_is_said_so(monkeypatch, tmp_path):
    def missing():
        raise FileNotFoundError("Could not find any of [...]")  # as pagefind_bin says it
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    monkeypatch.setitem(sys.modules, "emptied_pagefind_bin", types.SimpleNamespace(
        get_executable=missing))
    monkeypatch.setattr(search, "BINARY_PACKAGES", ("emptied_pagefind_bin",))
    with pytest.raises(search.SearchError, match=r"binary is not installed") as raised:
        search.index(tmp_path)
    assert raised.value.hint == search.INSTALL_HINT


def test_the_binary_is_the_one_pagefind_bin_ships(monkeypatch):
    import pagefind_bin
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    assert search.executable() == Path(pagefind_bin.get_executable())

    # found without importing Pagefind's Python API (asyncio, ssl: 30-40 ms of every build)
    imported = subprocess.run(
        [sys.executable, "-c", "import sys; from factsheet import search; search.executable(); "
         "print(sorted({'pagefind.service', 'asyncio', 'ssl'} & set(sys.modules)))"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert imported == "[]\n"


def test_the_index_ignores_pagefind_settings_in_the_environment(briefing, capsys, monkeypatch):
    assert briefing.run(capsys=capsys)[0] == 0
    before = tree_digest(briefing.output)
    monkeypatch.setenv("PAGEFIND_EXCLUDE_SELECTORS", "main")  # our command line sets neither
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "fr")
    assert briefing.run(capsys=capsys)[0] == 0
    assert tree_digest(briefing.output) == before


def test_check_writes_no_index(briefing, capsys):
    assert briefing.run("check", capsys=capsys)[0] == 0
    assert not briefing.output.exists()


def test_serve_s_background_index_yields_the_cpu_and_is_the_same_index(briefing, capsys,
                                                                      monkeypatch):
    # serve remakes the index after a save (search.reindex) while the next rebuild may be
    # running: at the lowest priority, so that the rebuild comes first. The same bytes result.
    code, out, err = briefing.run(capsys=capsys)
    assert code == 0, err
    built = tree_digest(briefing.output / BUNDLE)
    commands = []
    real_popen = search.subprocess.Popen

    def recording(command, **options):
        commands.append(command)
        return real_popen(command, **options)
    monkeypatch.setattr(search.subprocess, "Popen", recording)
    page = briefing.output / "facts" / "union-count.html"
    page.write_bytes(page.read_bytes() + b" ")  # a page changed since the index was made
    search.reindex(briefing.output)
    indexing = [command for command in commands if "--site" in command]
    assert len(indexing) == 1 and indexing[0][1:3] == ["-n", "19"]
    assert Path(indexing[0][0]).name == "nice" and "pagefind" in Path(indexing[0][3]).name
    assert tree_digest(briefing.output / BUNDLE) != built
    page.write_bytes(page.read_bytes()[:-1])
    search.reindex(briefing.output)
    assert tree_digest(briefing.output / BUNDLE) == built
    commands.clear()
    search.index(briefing.output, briefing.root / "elsewhere")  # a build's own index runs at
    assert commands and all(Path(c[0]).name != "nice" for c in commands)  # the build's priority


def test_serve_stopping_ends_its_background_index_and_leaves_no_debris(briefing, capsys,
                                                                      monkeypatch, tmp_path):
    # serve stopped while Pagefind indexes in the background: the indexer must not outlive it
    # (an orphan would write into a site no longer served, and leave its .pagefind-new folder)
    assert briefing.run(capsys=capsys)[0] == 0
    before = tree_digest(briefing.output)
    pid_file = tmp_path / "pid"
    slow = tmp_path / "slow-pagefind"
    slow.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 60\n")
    slow.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(slow))
    page = briefing.output / "facts" / "union-count.html"
    page.write_bytes(page.read_bytes() + b" ")  # so the shard is indexed again
    indexer = SearchIndexer(briefing.output)
    indexer.QUIET_SECONDS = 0
    indexer.request()
    for _ in range(200):  # the indexer has started
        if pid_file.is_file() and pid_file.read_text().strip():
            break
        time.sleep(0.05)
    pid = int(pid_file.read_text())
    started = time.monotonic()
    indexer.stop()
    assert time.monotonic() - started < 10 and not indexer.thread.is_alive()
    with pytest.raises(ProcessLookupError):
        for _ in range(100):  # killed (and reaped, so the pid is gone)
            os.kill(pid, 0)
            time.sleep(0.05)
    assert debris(briefing.root) == []
    assert [p.name for p in briefing.output.iterdir() if p.name.startswith(".")] == [
        ".factsheet-output"]  # no half-made bundle (.pagefind-new-PID)
    page.write_bytes(page.read_bytes()[:-1])
    assert tree_digest(briefing.output) == before  # the old index in place
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    search.index(briefing.output, briefing.root / "again")  # stop() holds no longer
