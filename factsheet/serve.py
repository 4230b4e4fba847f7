"""Serve: build, serve site/ on loopback, rebuild on change, reload the open page.

Owns: the edit loop around `pipeline.build`. Uses the `livereload` package for the watcher and
the reload protocol; the reload script is injected into responses by the server, so the `site/`
that gets published never contains it. A failed build never stops the server: site/ is left as it
was (the pipeline's rule) and every HTML request gets an error page listing the problems until a
build succeeds again, when the open page comes back by itself.
"""

from __future__ import annotations

import errno
import html
import os
import sys
import time
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from tornado import web
from tornado.ioloop import IOLoop, PeriodicCallback

from .errors import Diagnostics
from .pipeline import Paths, Result, build
from .report import plural, print_report
from .write import asset_files, publish, WriteError


POLL_MS = 100


class BuildState:
    """What the last build found, shared by the watcher's callback and the request handler."""

    def __init__(self):
        self.result: Result | None = None

    @property
    def failed(self) -> bool:
        return self.result is not None and not self.result.ok


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


def make_handler(state: BuildState):
    class PreviewHandler(StaticFileHandler):
        """Serves site/; nothing outside it (404), and the error page while a build is failing."""

        def parse_url_path(self, url_path):
            # A path that climbs out ("..", "//x", "\\") is not in site/: 404, where Tornado
            # would answer 403 and so admit that something is there.
            if ".." in url_path.split("/") or url_path.startswith("/") or "\\" in url_path:
                raise web.HTTPError(404)
            return super().parse_url_path(url_path)

        def validate_absolute_path(self, root, absolute_path):
            # Defence in depth: whatever the URL, a file that really lies outside site/ (say,
            # through a link someone put there by hand) is not served either.
            root = os.path.realpath(root)
            if os.path.commonpath([root, os.path.realpath(absolute_path)]) != root:
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
            await super().get(path, include_body)

        def write_error(self, status_code, **kwargs):
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(f"{status_code}: not found in site/\n" if status_code in (403, 404)
                        else f"{status_code}\n")

        def set_extra_headers(self, path):
            self.set_header("Cache-Control", "no-store")

    return PreviewHandler


class PreviewServer(Server):
    def __init__(self, state: BuildState):
        super().__init__()
        self.state = state

    def get_web_handlers(self, script):
        return [(r"/(.*)", make_handler(self.state),
                 {"path": self.root, "default_filename": "index.html"})]


def report(result: Result, output: Path) -> None:
    print_report(result, command="build", output=output)
    if not result.ok:
        print("Serving the error page until the next good build.", file=sys.stderr, flush=True)


def serve(paths: Paths, *, strict: bool, host: str, port: int) -> int:
    state = BuildState()

    def rebuild() -> None:
        state.result = build(paths, strict=strict)
        report(state.result, paths.output)

    def recopy_assets() -> None:
        """A stylesheet or script changed: copy assets only, when the last build is good."""
        if state.failed or state.result is None:
            return rebuild()
        started = time.perf_counter()
        try:
            publish({**asset_files(paths.assets), **state.result.files}, paths.output)
        except WriteError as exc:
            print(f"cannot copy assets: {exc}", file=sys.stderr)
            return
        print(f"Re-published with new assets, no re-render, in "
              f"{time.perf_counter() - started:.2f} s", flush=True)

    state.result = build(paths, strict=strict)
    report(state.result, paths.output)
    if not paths.output.is_dir():
        paths.output.mkdir(parents=True)  # first build failed: serve the error page meanwhile

    # livereload ignores a change that comes within DEFAULT_RELOAD_TIME (3 s) of the last reload;
    # an editor who saves twice in three seconds must still see the second save.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    server = PreviewServer(state)
    server.watch(str(paths.content), rebuild)
    server.watch(str(paths.templates), rebuild)
    server.watch(str(paths.assets), recopy_assets)
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
