"""The preview server under bugs, broken builds and hostile requests: an error page whose
problems link to their lines, a 404 page for what does not exist, never a traceback in the log;
the rebuild lines, the port checked before building, --open. In process, without a browser: the
request handlers and the rebuild the watcher runs (the last two as a subprocess)."""

from __future__ import annotations

import asyncio
import gc
import json
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import urllib.parse

import pytest
from tornado import httpclient, web
from tornado.ioloop import IOLoop
from tornado.web import StaticFileHandler
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port

from htmlcheck import PageReader

from conftest import ROOT, tree_digest
from factsheet import pipeline, reload, serve
from factsheet.pipeline import Paths


def fetch(app: web.Application, paths: list[str], **request) -> list[httpclient.HTTPResponse]:
    """GET each path from `app`, served on a free loopback port for the duration."""
    async def run():
        sock, port = bind_unused_port()
        server = HTTPServer(app)
        server.add_sockets([sock])
        try:
            client = httpclient.AsyncHTTPClient()
            return [await client.fetch(f"http://127.0.0.1:{port}{path}", raise_error=False,
                                       **request) for path in paths]
        finally:
            server.stop()
    return run_apart(run())


def run_apart(coroutine):
    """asyncio.run in a thread of its own: the browser tests' Playwright keeps an event loop
    running in the main thread for the whole session, where asyncio.run refuses to start."""
    outcome = {}

    def target():
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc
    worker = threading.Thread(target=target)
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def no_traceback(caplog) -> None:
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
    assert "Traceback" not in caplog.text and "Uncaught exception" not in caplog.text


@pytest.fixture
def preview(briefing, capsys) -> serve.Preview:
    """The minimal briefing, built once, as `build.py serve` would in its folder."""
    state = serve.Preview(Paths(Path("content"), output=Path("site")), strict=False)
    state.rebuild()
    assert state.result.ok
    capsys.readouterr()
    return state


def app_for(state: serve.Preview) -> web.Application:
    return web.Application(serve.web_handlers(state, str(Path("site").absolute())))


def test_a_build_that_raises_shows_the_error_page_then_the_site_comes_back(
        preview, briefing, monkeypatch, capsys, caplog):
    before = tree_digest(briefing.output)
    real_build, calls = serve.build, []

    def raises_once(paths, **options):
        calls.append(paths)
        if len(calls) == 1:
            raise KeyError("boom")
        return real_build(paths, **options)
    monkeypatch.setattr(serve, "build", raises_once)

    preview.rebuild()  # the watcher's callback: must not raise
    out, err = capsys.readouterr()
    assert err.splitlines()[:2] == [
        "1. content: error [internal]: internal error while building: KeyError: 'boom'",
        f"    hint: {pipeline.INTERNAL_ERROR_HINT}"]
    assert "Traceback" not in out + err
    page, = fetch(app_for(preview), ["/index.html"])
    assert page.code == 500
    body = page.body.decode()
    assert '<h1 id="build-failed">Build failed: 1 error</h1>' in body
    assert "content: error [internal]: internal error while building: KeyError: &#x27;boom&#x27;" in body
    assert "Traceback" not in body
    assert tree_digest(briefing.output) == before

    preview.rebuild()  # the next save: the build works again
    page, = fetch(app_for(preview), ["/index.html"])
    assert page.code == 200
    assert page.body == (briefing.output / "index.html").read_bytes()
    no_traceback(caplog)


@pytest.mark.parametrize("path", ["/%00", "/index.html%00", "/facts/%00/", "/%ff", "/%1b[31m",
                                  "/%0aFAKE", "/" + "a" * 5000, "/%2e%2e/%00", "/a%5c..%5cb"])
def test_odd_request_paths_get_400_or_404_without_a_traceback(preview, caplog, path):
    response, = fetch(app_for(preview), [path])
    assert response.code in (400, 404), response.code
    no_traceback(caplog)


def test_a_file_that_goes_mid_request_is_a_404(preview, monkeypatch, caplog):
    def gone(handler):
        raise FileNotFoundError(2, "No such file or directory", handler.absolute_path)
    monkeypatch.setattr(StaticFileHandler, "get_content_size", gone)
    response, = fetch(app_for(preview), ["/assets/style.css"])
    assert response.code == 404
    no_traceback(caplog)


def get_json(app: web.Application, path: str) -> tuple[int, dict | None]:
    response, = fetch(app, [path])
    return response.code, (json.loads(response.body) if response.code == 200 else None)


def test_the_build_counter_answers_at_once_when_the_page_is_behind(preview):
    """A page served with build N asks for builds after N: one that finished while the page
    was loading is answered at once, so that save is never lost."""
    now = preview.clock.number
    assert now == 1  # the first build
    preview.rebuild(["content/facts/ships.yaml"])
    code, answer = get_json(serve.application(preview, "site"), f"{reload.BUILD_URL}?since={now}")
    assert (code, answer) == (200, {"build": now + 1, "reload": True})


def test_the_build_counter_waits_for_the_next_build(preview, monkeypatch):
    app = serve.application(preview, "site")
    monkeypatch.setattr(reload, "LONG_POLL_SECONDS", 0.2)
    started = time.monotonic()
    code, answer = get_json(app, f"{reload.BUILD_URL}?since={preview.clock.number}")
    assert (code, answer) == (200, {"build": preview.clock.number, "reload": False})
    assert time.monotonic() - started >= 0.2  # held until the time-out, not answered at once

    async def poll_then_build():
        sock, port = bind_unused_port()
        server = HTTPServer(app)
        server.add_sockets([sock])
        try:
            waiting = asyncio.ensure_future(httpclient.AsyncHTTPClient().fetch(
                f"http://127.0.0.1:{port}{reload.BUILD_URL}?since={preview.clock.number}"))
            await asyncio.sleep(0.05)
            preview.clock.tick(pages=False)  # an asset copied: restyle, no reload
            return json.loads((await waiting).body)
        finally:
            server.stop()
    monkeypatch.setattr(reload, "LONG_POLL_SECONDS", 10)
    assert run_apart(poll_then_build()) == {"build": preview.clock.number, "reload": False}


@pytest.mark.parametrize("since", ["", "x", "-1", "1e3", "9" * 20])
def test_a_malformed_build_question_is_a_400_without_a_traceback(preview, caplog, since):
    code, _ = get_json(serve.application(preview, "site"), f"{reload.BUILD_URL}?since={since}")
    assert code == 400
    no_traceback(caplog)


def test_served_pages_carry_the_script_with_their_build_number(preview):
    page, style = fetch(serve.application(preview, "site"), ["/", "/assets/style.css"])
    number = preview.clock.number
    assert reload.client_script(number) in page.body
    assert int(page.headers["Content-Length"]) == len(page.body)
    assert b"<script>" not in style.body
    assert b"__factsheet__" not in (Path("site") / "index.html").read_bytes()


def test_the_watcher_hands_over_saves_in_batches_and_none_is_lost(tmp_path):
    """Saves in a burst, and saves made while a rebuild runs, all reach a rebuild."""
    batches: list[list[str]] = []

    async def run():
        loop = IOLoop.current()

        def on_change(changed):
            batches.append(changed)
            time.sleep(0.3)  # a slow rebuild: saves land meanwhile
        watcher = reload.Watcher([tmp_path], on_change, loop)
        watcher.start()
        await asyncio.sleep(0.3)  # the watcher is set up
        for n in range(10):
            (tmp_path / f"{n}.yaml").write_text(str(n))
            await asyncio.sleep(0.004 if n != 4 else 0.4)  # bursts; 5-9 in a rebuild
        deadline = time.monotonic() + 10
        while len({p for batch in batches for p in batch}) < 10 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        watcher.stop()
    run_apart(run())
    seen = {Path(p).name for batch in batches for p in batch}
    assert seen == {f"{n}.yaml" for n in range(10)}
    assert 2 <= len(batches) < 10  # bursts are batched, and a save during a rebuild not dropped


def test_a_file_saved_by_deleting_it_first_is_one_batch_with_the_new_file(tmp_path):
    """An editor that deletes the file, then renames its new text onto the name: one rebuild,
    that sees the new file (not one without it, then another)."""
    saved = tmp_path / "a.yaml"
    saved.write_text("old")
    batches: list[list[str]] = []

    async def run():
        watcher = reload.Watcher([tmp_path], batches.append, IOLoop.current())
        watcher.start()
        await asyncio.sleep(0.3)  # the watcher is set up
        saved.unlink()
        await asyncio.sleep(0.04)  # seen alone by the watcher (STEP_MS), before the new file
        (tmp_path / "a.yaml.tmp").write_text("new")
        (tmp_path / "a.yaml.tmp").rename(saved)
        await asyncio.sleep(0.5)
        watcher.stop()
    run_apart(run())
    assert [sorted(Path(p).name for p in batch) for batch in batches] == [["a.yaml", "a.yaml.tmp"]]


def test_only_a_file_deleted_and_still_missing_holds_a_batch(tmp_path):
    kept, gone, temporary = (str(tmp_path / name) for name in ("kept", "gone", "temporary"))
    Path(kept).write_text("x")
    change = reload.watchfiles.Change
    assert reload.missing({(change.deleted, gone)})
    assert not reload.missing({(change.deleted, kept), (change.added, kept)})  # put back
    assert not reload.missing({(change.modified, kept)})
    # an editor's temporary file, made and renamed onto the saved one within the batch
    assert not reload.missing({(change.added, temporary), (change.deleted, temporary),
                               (change.modified, kept)})


# --- the collector around rebuilds (serve.Heap) ------------------------------------------------

def test_the_collector_is_off_during_a_rebuild_and_back_once_the_edits_settle(
        preview, briefing, monkeypatch):
    during = []
    real_build = serve.build
    monkeypatch.setattr(serve, "build",
                        lambda paths, **options: during.append(gc.isenabled())
                        or real_build(paths, **options))
    monkeypatch.setattr(serve.Heap, "SETTLE", 0.1)
    restoring = threading.Event()  # a cache's state being loaded (Preview.restore)

    async def run():
        heap = preview.heap = serve.Heap(IOLoop.current())
        heap.busy = restoring.is_set
        states = []
        preview.rebuild()  # the first build: the collector on
        await asyncio.sleep(0.3)
        states.append((gc.isenabled(), heap.blocks > 0))
        for old, new in (("About", "Around"), ("Around", "Nearly")):  # the second before the
            briefing.edit("facts/ships.yaml", f"{old} 40 ships", f"{new} 40 ships")  # first settled
            preview.rebuild(["content/facts/ships.yaml"])
            states.append((gc.isenabled(), heap.settling is not None))
        restoring.set()
        await asyncio.sleep(0.3)  # not while the restoring thread wants it off
        states.append((gc.isenabled(), heap.settling is not None))
        restoring.clear()
        await asyncio.sleep(0.3)
        states.append((gc.isenabled(), heap.settling is not None))
        return states
    try:
        states = run_apart(run())
    finally:
        serve.Heap.release()
    assert during == [True, False, False]
    assert states == [(True, True), (False, True), (False, True), (False, True), (True, False)]
    assert gc.get_freeze_count() == 0 and gc.isenabled()  # released: Python's own collector


# --- 404 and error pages -------------------------------------------------------------------------

def is_404_page(response) -> bool:
    body = response.body.decode()
    return response.code == 404 and '<h1 id="not-found">Page not found</h1>' in body \
        and '<a href="/">Go to the home page</a>' in body


def test_a_url_that_names_no_page_gets_a_404_page_linking_home(preview, caplog):
    missing = ["/nope.html", "/facts/nope.html", "/assets/nope.css", "/nope/"]
    for response in fetch(app_for(preview), missing):
        assert is_404_page(response), (response.code, response.body[:200])
        assert "The build is failing" not in response.body.decode()
    no_traceback(caplog)


def break_the_build(preview, briefing, capsys) -> None:
    briefing.edit("site.yaml", "title:", "titel:")
    preview.rebuild(["content/site.yaml"])
    assert preview.failed
    capsys.readouterr()


def test_while_broken_pages_get_the_error_page_and_other_urls_a_404(preview, briefing, capsys,
                                                                     caplog):
    fact = sorted((briefing.output / "facts").glob("*-*.html"))[0].name
    break_the_build(preview, briefing, capsys)
    pages = ["/", "/index.html", "/facts/", f"/facts/{fact}", "/timeline.html"]
    for response in fetch(app_for(preview), pages):
        assert response.code == 500, response.effective_url
        assert '<h1 id="build-failed">Build failed: 1 error</h1>' in response.body.decode()
    missing = fetch(app_for(preview), ["/nope.html", "/facts/nope.html", "/assets/nope.css"])
    for response in missing:
        assert is_404_page(response), (response.code, response.effective_url)
        assert "The build is failing" in response.body.decode()
    asset, = fetch(app_for(preview), ["/assets/style.css"])
    assert asset.code == 200  # the previous site's assets still serve the page around it
    no_traceback(caplog)


def links_and_ids(body: bytes) -> tuple[list[str], list[str]]:
    reader = PageReader()
    reader.feed(body.decode())
    return reader.links, reader.ids


def test_each_problem_links_to_its_file_at_its_line_and_has_an_anchor(preview, briefing, capsys):
    briefing.edit("facts/ships.yaml", "status: claimed", "statsu: claimed")
    line = next(n for n, text in enumerate(
        (briefing.content / "facts/ships.yaml").read_text().splitlines(), 1) if "statsu" in text)
    preview.rebuild(["content/facts/ships.yaml"])
    page, = fetch(app_for(preview), ["/"])
    links, ids = links_and_ids(page.body)
    assert "problem-1" in ids and "#problem-1" in links
    view = [link for link in links if link.startswith(serve.SOURCE_URL)]
    assert view == [f"{serve.SOURCE_URL}?file=content%2Ffacts%2Fships.yaml&line={line}#L{line}"]
    source, = fetch(app_for(preview), [view[0].split("#")[0]])
    assert source.code == 200
    body = source.body.decode()
    row = re.search(rf'<tr id="L{line}" class=at><td class="n"><a href="#L{line}">{line}</a>'
                    rf'</td><td>(.*?)</td></tr>', body)
    assert row and "statsu: claimed" in row.group(1)
    assert "content/facts/ships.yaml, line " + str(line) in body


@pytest.mark.parametrize("name", ["/etc/passwd", "../outside.txt", "content/../secret.txt",
                                  "site/index.html", "content/leak.txt", "content/nope.yaml",
                                  "content", "content/site\x00.yaml", ""])
def test_the_source_view_shows_nothing_outside_the_briefing(preview, briefing, caplog, name):
    (briefing.root.parent / "outside.txt").write_text("outside")
    (briefing.root / "secret.txt").write_text("secret")
    (briefing.content / "leak.txt").symlink_to(briefing.root / "secret.txt")
    query = urllib.parse.urlencode({"file": name})
    response, = fetch(app_for(preview), [f"{serve.SOURCE_URL}?{query}"])
    assert is_404_page(response), response.code
    assert b"secret" not in response.body and b"outside" not in response.body
    no_traceback(caplog)


def test_the_source_view_shows_content_and_templates(preview):
    paths = ["content/site.yaml", str(ROOT / "templates" / "base.html")]
    responses = fetch(app_for(preview), [
        f"{serve.SOURCE_URL}?{urllib.parse.urlencode({'file': p})}" for p in paths])
    assert [r.code for r in responses] == [200, 200]
    assert "Harbour briefing" in responses[0].body.decode()


# --- the log: rebuild lines --------------------------------------------------------------------

def test_a_rebuild_line_names_the_changed_files_and_the_time(preview, briefing, capsys):
    for name, old, new in (("facts/ships.yaml", "About 40 ships", "Around 40 ships"),
                           ("pages/overview.md", "The union disagreed", "The union differed")):
        briefing.edit(name, old, new)
    serve.on_change(preview, [str((briefing.content / name).absolute())
                              for name in ("facts/ships.yaml", "pages/overview.md")])
    out, err = capsys.readouterr()
    assert err == ""
    assert re.fullmatch(r"\d\d:\d\d:\d\d content/facts/ships\.yaml and content/pages/overview\.md "
                        r"changed: \d+ pages built, \d+ changed \(\d+ ms\)\n", out), out

    briefing.edit("facts/ships.yaml", "status: claimed", "statsu: claimed")
    serve.on_change(preview, [str(briefing.content / "facts/ships.yaml")])
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert lines[0].startswith("1. content/facts/ships.yaml:")
    assert re.fullmatch(r"\d\d:\d\d:\d\d content/facts/ships\.yaml changed: build failed, "
                        r"1 error, 0 warnings \(\d+ ms\); site/ left as it was", lines[-2])
    assert lines[-1] == "Serving the error page until the next good build."


def test_an_asset_change_copies_assets_and_restyles_without_reloading(preview, capsys):
    before = preview.clock.pages_number
    style = preview.paths.asset_folders()[-1] / "style.css"
    serve.on_change(preview, [str(style)])
    out, _ = capsys.readouterr()
    assert "style.css changed: assets copied, no page re-rendered" in out
    assert preview.clock.number == before + 1 and preview.clock.pages_number == before


# --- the port, checked before building; --open ---------------------------------------------------

def test_a_port_in_use_is_said_at_once_and_nothing_is_built(briefing, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = serve.serve(Paths(Path("content"), output=Path("site")), strict=False,
                           host="127.0.0.1", port=port)
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert err == (f"Port {port} on 127.0.0.1 is already in use: stop the other server or "
                   f"choose another with --port\n")
    assert not briefing.output.exists()


OPEN_SCRIPT = """
import os, signal, sys, webbrowser
sys.path.insert(0, sys.argv[1])
def opened(url, *args, **kwargs):
    print("OPENED " + url, flush=True)
    os.kill(os.getpid(), signal.SIGINT)
    return True
webbrowser.open = opened
from pathlib import Path
from factsheet.pipeline import Paths
from factsheet.serve import serve
sys.exit(serve(Paths(Path("content"), output=Path("site")), strict=False, host="127.0.0.1",
               port=0, open_browser=True))
"""


def test_open_opens_the_browser_on_the_served_url_after_the_first_build(briefing):
    done = subprocess.run([sys.executable, "-c", OPEN_SCRIPT, str(ROOT)], cwd=briefing.root,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Built 14 pages into site/")
    assert lines[1] == pipeline.NO_BASE_URL  # said by serve as by build
    serving = re.fullmatch(r"Serving site/ on (http://127\.0\.0\.1:\d+/) \(Ctrl-C to stop\)",
                           lines[2])
    assert serving and lines[3] == f"OPENED {serving.group(1)}"
    assert lines[-1] == "Stopped."
    assert done.stderr == ""


def test_the_error_page_says_when_only_strict_failed_the_build():
    from factsheet.errors import Diagnostics, Location
    diagnostics = Diagnostics()
    diagnostics.warning(Location("content/facts/a.yaml", 3, 3), "fact 'a' is cited by no page")
    body = serve.error_page(diagnostics, strict=True).decode()
    assert '<h1 id="build-failed">Build failed under --strict: 0 errors, 1 warning</h1>' in body


def test_a_problem_in_a_fact_links_to_that_facts_current_page(preview, briefing, capsys):
    """The reader's view of what the edit changes: the page the last good build published."""
    briefing.edit("facts/ships.yaml", "status: claimed", "statsu: claimed")
    text = (briefing.content / "facts/ships.yaml").read_text()
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "statsu" in row)
    ident = next(row.split(":", 1)[1].strip() for row in reversed(text.splitlines()[:line])
                 if row.lstrip("- ").startswith("id:"))
    preview.rebuild(["content/facts/ships.yaml"])
    page, = fetch(app_for(preview), ["/"])
    links, _ = links_and_ids(page.body)
    link = f"/facts/{ident}.html?{serve.LAST_GOOD}"
    assert link in links
    plain, published = fetch(app_for(preview), [f"/facts/{ident}.html", link])
    assert plain.code == 500  # while broken, the page itself shows the problems…
    assert published.code == 200  # …and the link shows it as the last good build wrote it
    assert published.body == (Path("site") / "facts" / f"{ident}.html").read_bytes()


def test_a_problem_outside_facts_or_in_unreadable_yaml_gets_no_fact_link(preview, briefing):
    briefing.edit("facts/ships.yaml", "status: claimed", "status: [claimed")
    preview.rebuild(["content/facts/ships.yaml"])
    page, = fetch(app_for(preview), ["/"])
    links, _ = links_and_ids(page.body)
    assert not [link for link in links if link.startswith("/facts/")]


def test_serve_publishes_the_pages_first_and_the_search_index_after(briefing, capsys,
                                                                     monkeypatch):
    monkeypatch.setattr(serve.SearchIndexer, "QUIET_SECONDS", 0.05)
    state = serve.Preview(Paths(Path("content"), output=Path("site")), strict=False,
                          search_index=True)
    state.rebuild()
    assert state.result.ok and (Path("site") / "index.html").is_file()
    entry = Path("site") / "pagefind" / "pagefind-entry.json"
    deadline = time.monotonic() + 60
    while not entry.is_file() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert entry.is_file()
    said = ""
    while "search index updated" not in said and time.monotonic() < deadline:
        said += capsys.readouterr().out
        time.sleep(0.05)
    assert re.search(r"\d\d:\d\d:\d\d search index updated \(\d+\.\d s\)", said), said
    assert not [p for p in Path("site").iterdir() if p.name.startswith(".pagefind")]
