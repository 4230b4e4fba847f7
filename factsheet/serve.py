"""Serve: build, serve site/ on loopback, rebuild on change, reload the open page.

Owns: the edit loop around `pipeline.build`. Uses the `livereload` package for the watcher and
the reload protocol; the reload script is injected into responses by the server, so the `site/`
that gets published never contains it. A failed build never stops the server: site/ is left as it
was (the pipeline's rule) and every HTML request gets an error page listing the problems until a
build succeeds again, when the open page comes back by itself. A build that raises (a bug) is
reported the same way, and no request, however malformed, gets a traceback into the log.
"""

from __future__ import annotations

import errno
import html
import os
import sys
import time

from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.watcher import get_watcher_class
from tornado import escape, web
from tornado.ioloop import IOLoop, PeriodicCallback
from tornado.websocket import WebSocketHandler

from .errors import Diagnostics
from .pipeline import Paths, Result, build, internal_error
from .report import plural, print_report
from .write import asset_files, publish


POLL_MS = 100


class Preview:
    """The edit loop: what the last build found, and the rebuilds the watcher asks for."""

    def __init__(self, paths: Paths, *, strict: bool):
        self.paths, self.strict = paths, strict
        self.result: Result | None = None

    @property
    def failed(self) -> bool:
        return self.result is not None and not self.result.ok

    def rebuild(self) -> None:
        try:
            self.result = build(self.paths, strict=self.strict)
        except Exception as exc:  # a bug: shown on the error page, the server keeps going
            self.result = internal_error(exc, self.paths.content)
        print_report(self.result, command="build", output=self.paths.output)
        if self.failed:
            print("Serving the error page until the next good build.", file=sys.stderr,
                  flush=True)

    def recopy_assets(self) -> None:
        """A stylesheet or script changed: copy assets only, when the last build is good."""
        if self.failed or self.result is None:
            return self.rebuild()
        started = time.perf_counter()
        try:
            publish({**asset_files(self.paths.assets), **self.result.files}, self.paths.output)
        except Exception:  # reported, located, by the full build
            return self.rebuild()
        print(f"Re-published with new assets, no re-render, in "
              f"{time.perf_counter() - started:.2f} s", flush=True)


def error_page(diagnostics: Diagnostics) -> bytes:
    """A self-contained page listing every problem, as `build.py check` prints them."""
    items = "\n".join(f"<li><pre>{html.escape(d.format())}</pre></li>"
                      for d in diagnostics.sorted())
    count = plural(len(diagnostics.errors), "error")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed: {count}</title>
<style>
body {{ font: 1rem/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1b1f24; }}
h1 {{ color: #7a1f1f; }}
pre {{ white-space: pre-wrap; background: #fff4f4; border-left: 4px solid #7a1f1f; padding: .5rem .75rem; margin: 0; }}
li {{ margin-bottom: .75rem; }}
</style>
</head>
<body>
<main>
<h1 id="build-failed">Build failed: {count}</h1>
<p>Fix the files below and save: this page reloads by itself. The published <code>site/</code> is unchanged.</p>
<ol class="problems">
{items}
</ol>
</main>
</body>
</html>
""".encode("utf-8")


def make_handler(state: Preview):
    class PreviewHandler(StaticFileHandler):
        """Serves site/; nothing outside it (404), and the error page while a build is failing."""

        def parse_url_path(self, url_path):
            # A path that climbs out ("..", "//x", "\\") is not in site/: 404, where Tornado
            # would answer 403 and so admit that something is there.
            # A control character (%00 and the like) is in no file name build.py writes.
            if ".." in url_path.split("/") or url_path.startswith("/") or "\\" in url_path \
                    or not url_path.isprintable():
                raise web.HTTPError(404)
            return super().parse_url_path(url_path)

        def validate_absolute_path(self, root, absolute_path):
            # Defence in depth: whatever the URL, a file that really lies outside site/ (say,
            # through a link someone put there by hand) is not served either.
            try:
                root = os.path.realpath(root)
                inside = os.path.commonpath([root, os.path.realpath(absolute_path)]) == root
            except (OSError, ValueError):
                inside = False
            if not inside:
                raise web.HTTPError(404)
            return super().validate_absolute_path(root, absolute_path)

        async def get(self, path, include_body=True):
            wants_page = path == "" or path.endswith("/") or path.endswith(".html")
            if state.failed and wants_page:
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(error_page(state.result.diagnostics))
                return
            try:
                await super().get(path, include_body)
            except OSError:  # the file went away mid-request: a rebuild swapped site/
                raise web.HTTPError(404) from None

        def write_error(self, status_code, **kwargs):
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(f"{status_code}: not found in site/\n" if status_code in (403, 404)
                        else f"{status_code}\n")

        def set_extra_headers(self, path):
            self.set_header("Cache-Control", "no-store")

    return PreviewHandler


def web_handlers(state: Preview, root: str) -> list:
    return [(r"/(.*)", make_handler(state), {"path": root, "default_filename": "index.html"})]


class TolerantWatcher(get_watcher_class()):
    """livereload's watcher, for a file that goes between being listed and being looked at (an
    editor's temporary file): not a change, where livereload would log a traceback."""

    def is_file_changed(self, path, ignore=None):
        try:
            return super().is_file_changed(path, ignore)
        except OSError:
            return False


class PreviewServer(Server):
    def __init__(self, state: Preview):
        super().__init__(watcher=TolerantWatcher())
        self.state = state

    def get_web_handlers(self, script):
        return web_handlers(self.state, self.root)


LIVERELOAD_ON_MESSAGE = LiveReloadHandler.on_message


def on_livereload_message(handler: LiveReloadHandler, message) -> None:
    """livereload's handshake, for messages shaped like livereload.js's; any other is answered by
    closing the socket, where livereload would log a traceback (or print the page's url raw)."""
    try:
        data = escape.json_decode(message)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("command"), str) \
            or not str(data.get("url", "")).isprintable():
        handler.close()
        return
    LIVERELOAD_ON_MESSAGE(handler, message)


def harden_livereload() -> None:
    """livereload's settings and handlers are class attributes: set them for this server."""
    # livereload ignores a change that comes within DEFAULT_RELOAD_TIME (3 s) of the last reload;
    # an editor who saves twice in three seconds must still see the second save.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    LiveReloadHandler.on_message = on_livereload_message
    # livereload accepts the socket from any origin, so any web site open in the browser could
    # listen for the paths of saved files: only the served pages' own origin may connect.
    LiveReloadHandler.check_origin = WebSocketHandler.check_origin


def serve(paths: Paths, *, strict: bool, host: str, port: int) -> int:
    state = Preview(paths, strict=strict)
    state.rebuild()
    try:
        paths.output.mkdir(parents=True, exist_ok=True)  # build failed: serve the error page
    except OSError as exc:
        print(f"Cannot serve {paths.output}/: {exc.strerror}", file=sys.stderr)
        return 1

    harden_livereload()
    server = PreviewServer(state)
    server.watch(str(paths.content), state.rebuild)
    server.watch(str(paths.templates), state.rebuild)
    server.watch(str(paths.assets), state.recopy_assets)
    # livereload polls for changes every 800 ms when no inotify binding is installed; poll
    # every 100 ms as well, since checking the mtimes of a briefing's files is cheap.
    IOLoop.current().add_callback(
        lambda: PeriodicCallback(LiveReloadHandler.poll_tasks, POLL_MS).start())
    print(f"Serving {paths.output}/ on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    try:
        # restart_delay="forever": no forced reload of browsers at start-up (that is for a
        # server restarting under an open page, and would reload a page just opened).
        server.serve(host=host, port=port, root=str(paths.output.absolute()), live_css=True,
                     restart_delay="forever")
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"Port {port} on {host} is already in use: stop the other server or choose "
                  f"another with --port", file=sys.stderr)
        else:
            print(f"Cannot serve on {host}:{port}: {exc.strerror}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    print("Stopped.", flush=True)
    return 0
