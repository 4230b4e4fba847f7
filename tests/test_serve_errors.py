"""The preview server under bugs and hostile requests: an error page, never a traceback in the
log. In process, without a browser: the request handler and the rebuild the watcher runs."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path

import pytest
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from tornado import httpclient, web, websocket
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port

from conftest import tree_digest
from factsheet import pipeline, serve
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


@pytest.fixture
def live_app(preview, monkeypatch) -> web.Application:
    """The served pages with livereload's socket, as `serve` sets it up (undone afterwards)."""
    for name in ("DEFAULT_RELOAD_TIME", "on_message", "check_origin"):
        monkeypatch.setattr(LiveReloadHandler, name, getattr(LiveReloadHandler, name))
    serve.harden_livereload()
    return web.Application([(r"/livereload", LiveReloadHandler),
                            *serve.web_handlers(preview, str(Path("site").absolute()))])


def talk(app: web.Application, message: str, origin: str = "") -> str | None:
    """Send one message on the live-reload socket: the reply, or None if the socket closed."""
    async def run():
        sock, port = bind_unused_port()
        server = HTTPServer(app)
        server.add_sockets([sock])
        try:
            headers = {"Origin": origin or f"http://127.0.0.1:{port}"}
            connection = await websocket.websocket_connect(httpclient.HTTPRequest(
                f"ws://127.0.0.1:{port}/livereload", headers=headers))
            await connection.write_message(message)
            reply = await asyncio.wait_for(connection.read_message(), 5)
            connection.close()
            return reply
        finally:
            server.stop()
    return run_apart(run())


@pytest.mark.parametrize("message", ["not json", "[1]", '{"command": 5}', "{}",
                                     '{"command": "info", "url": "\\u001b[31mred"}'])
def test_a_malformed_live_reload_message_closes_the_socket_without_a_traceback(
        live_app, caplog, message):
    assert talk(live_app, message) is None
    no_traceback(caplog)


def test_the_live_reload_handshake_still_works(live_app, caplog):
    assert '"command": "hello"' in talk(live_app, '{"command": "hello", "protocols": []}')
    no_traceback(caplog)


def test_another_origin_cannot_listen_on_the_live_reload_socket(live_app):
    with pytest.raises(httpclient.HTTPClientError) as refused:
        talk(live_app, '{"command": "hello"}', origin="https://elsewhere.example")
    assert refused.value.code == 403


def test_a_file_that_goes_while_the_watcher_looks_is_not_a_change(tmp_path, monkeypatch):
    watcher = serve.TolerantWatcher()
    (tmp_path / "a.yaml").write_text("a")
    watcher.watch(str(tmp_path))
    monkeypatch.setattr(os.path, "getmtime", lambda path: (_ for _ in ()).throw(
        FileNotFoundError(2, "No such file or directory", path)))
    assert watcher.examine() == (None, None)
