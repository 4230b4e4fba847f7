"""Serve: build, serve site/ on loopback, rebuild on change, reload the open page.

Owns: the edit loop around `pipeline.build`. Tornado serves HTTP; the watcher, the build counter
and the page script that reloads open pages are in reload.py; the script is injected into
responses by the server, so the `site/` that gets published never contains it. Builds keep a
Memo, so a rebuild parses, renders and writes again only what an edit changed; the search index
is made in the background. Unless --no-cache, the first build starts from the cache an earlier
build or serve left beside the output (pipeline.cached_build): when nothing changed, the site is
served at once and what that build parsed is loaded in the background, for the first rebuild;
the cache is saved after the first build and when the server stops. The port is bound before
anything is built, so a port in use is said at once. A failed build never stops the server: site/
is left as it was (the pipeline's rule) and every request for a page of the site gets an error page listing
the problems, each linked to a view of its file at its line, until a build succeeds again, when
the open page comes back by itself; a URL that names no page gets a 404 page. A build that raises
(a bug) is reported the same way, and no request, however malformed, gets a traceback into the log.

The log is ours alone: one line per rebuild (time, the files that changed, pages changed,
milliseconds); Tornado's own loggers are silenced, and a server error they
would log is one line of ours.
"""

from __future__ import annotations

import asyncio
import errno
import gc
import logging
import os
import signal
import sys
import threading
import time
import webbrowser
from collections.abc import Callable, Sequence
from pathlib import Path

from tornado import web
from tornado.web import StaticFileHandler
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets

from . import search
from .errors import Diagnostics, Location, display_path
from .memo import Memo
from .pipeline import (Paths, Result, build, cache_of, internal_error, remember, restore,
                       with_assets, write_site)
from .reload import BUILD_URL, BuildClock, Watcher, build_handler, script_injector
from .urls import output_path
from .report import failure, plural, print_report, problems, use_color
from .servepages import (LAST_GOOD, SOURCE_URL, error_page, not_found_page, source_page)
from .write import reason
from .yamlfile import YamlList, YamlMap, parse_yaml

SERVER_LOGGERS = ("tornado.access", "tornado.application", "tornado.general")


def clock() -> str:
    return time.strftime("%H:%M:%S")


def files_text(paths: Sequence[str], shown: int = 3) -> str:
    """"content/facts/a.yaml", "a, b and c", "a, b, c and 4 more"."""
    names = [display_path(Path(p)) for p in paths] or ["a file"]
    if len(names) > shown:
        names = names[:shown] + [f"{len(names) - shown} more"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class Heap:
    """Python's garbage collector around the edit loop. At ten thousand facts a serve process
    holds about a million objects (the Memo, the last site and its pages); a full collection
    walks them all, about a second. So the collector is off while a rebuild runs: no collection
    lands inside an edit. SETTLE seconds after a build (the page's reload answered by then) what
    the build left is collected (only what is not frozen is walked: what the last build made, a
    small part), the rest frozen (gc.freeze) and the collector on again until the next build.
    A save before then puts it off to after that build. A full collection, for what becomes
    garbage after being frozen (cycles the next build lets go), is made only when the heap has
    grown by GROWTH since the last one, PAUSE seconds after a build, once the edits pause. The
    heap is measured by sys.getallocatedblocks, a counter (counting the frozen objects walks
    them all: 180 ms at ten thousand facts)."""

    SETTLE = 0.2
    PAUSE = 1.0
    GROWTH = 0.25  # of the blocks allocated after the last full collection

    def __init__(self, loop: IOLoop) -> None:
        self.loop = loop
        self.settling: object | None = None  # the collection of the last build's leftovers
        self.pending: object | None = None  # the full collection scheduled in the loop
        self.blocks = 0  # allocated right after the last full collection (0: none yet)
        self.busy: Callable[[], bool] = lambda: False  # a thread that wants it off (restore)

    def before_build(self, first: bool = False) -> None:
        """The collector off for the build (but the first: the millions of objects a cold
        build makes and lets go would pile up)."""
        for timeout in (self.settling, self.pending):
            if timeout is not None:
                self.loop.remove_timeout(timeout)
        self.settling = self.pending = None
        if not first:
            gc.disable()

    def after_build(self) -> None:
        self.settling = self.loop.call_later(self.SETTLE, self.settle)

    def settle(self) -> None:
        if self.busy():  # the cache's state being loaded, the collector off: not yet
            self.settling = self.loop.call_later(self.SETTLE, self.settle)
            return
        self.settling = None
        gc.collect()  # walks what is not frozen: the last build's objects
        gc.freeze()
        gc.enable()
        if not self.blocks:  # the first build: what it left is the measure
            self.blocks = sys.getallocatedblocks()
        elif sys.getallocatedblocks() > self.blocks * (1 + self.GROWTH):
            self.pending = self.loop.call_later(self.PAUSE, self.collect)

    def collect(self) -> None:
        self.pending = None
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.blocks = sys.getallocatedblocks()

    @staticmethod
    def release() -> None:
        """Python's own collector back (serve stops; the process may go on: a test)."""
        gc.unfreeze()
        gc.enable()


class Preview:
    """The edit loop: what the last build found, and the rebuilds the watcher asks for."""

    def __init__(self, paths: Paths, *, strict: bool, search_index: bool = False,
                 base_url: str | None = None, cache: bool = False, heap: Heap | None = None):
        self.paths, self.strict, self.cache = paths, strict, cache
        self.heap = heap  # the collector's timing (serve's loop); None: Python's own
        # build()'s options that change the output; a preview shows the drafts, for an editor
        # to review (drafts.py)
        self.options = {"base_url": base_url, "drafts": True}
        self.restoring: threading.Thread | None = None  # loads the cache's state (replayed)
        self.unsaved: Result | None = None  # a good build not yet in the cache
        # serve's search index is made in the background after a good build (SearchIndexer)
        self.indexer = SearchIndexer(paths.output) if search_index else None
        self.result: Result | None = None
        self.clock = BuildClock()  # open pages reload when it ticks (reload.py)
        self.memo = Memo()  # what each build parsed, for the next

    @property
    def failed(self) -> bool:
        return self.result is not None and not self.result.ok

    def rebuild(self, changed: Sequence[str] | None = None) -> None:
        """Build; the first time (`changed` None) with the usual report, after a save with one
        line naming the files that changed, or the problems and a line saying the build failed."""
        self.wait_for_restore()
        started = time.perf_counter()
        if self.heap is not None:
            self.heap.before_build(first=changed is None)
        try:
            self.result = build(self.paths, strict=self.strict, memo=self.memo,
                                search_index=self.indexer is None, cache=self.cache,
                                **self.options)
        except Exception as exc:  # a bug: shown on the error page, the server keeps going
            self.result = internal_error(exc, self.paths.content)
        finally:
            if self.heap is not None:
                self.heap.after_build()
        milliseconds = round((time.perf_counter() - started) * 1000)
        if changed is None:
            print_report(self.result, command="build", output=self.paths.output)
        elif self.result.ok:
            differ = sum(path.endswith(".html") for path in self.result.changed)  # written
            warnings = len(self.result.diagnostics.warnings)
            print(f"{clock()} {files_text(changed)} changed: {plural(self.result.pages, 'page')} "
                  f"built, {differ} changed"
                  + (f", {plural(warnings, 'warning')}" if warnings else "")
                  + f" ({milliseconds} ms)", flush=True)
        else:
            print(problems(self.result, use_color(sys.stderr)), end="", file=sys.stderr)
            why, counts = failure(self.result)
            print(f"{clock()} {files_text(changed)} changed: build failed{why}, {counts} "
                  f"({milliseconds} ms); {self.paths.output}/ left as it was", file=sys.stderr,
                  flush=True)
        if self.failed:
            print("Serving the error page until the next good build.", file=sys.stderr,
                  flush=True)
        else:
            if self.result.replayed is not None:  # nothing built: what it needs comes now
                self.restoring = threading.Thread(target=self.restore, daemon=True,
                                                  name="factsheet-cache")
                self.restoring.start()
                if self.heap is not None:
                    self.heap.busy = self.restoring.is_alive
            else:
                self.unsaved = self.result if self.cache else None
                if self.indexer is not None:
                    self.indexer.request()
        if changed is None:
            self.save()
        self.clock.tick()

    def restore(self) -> None:
        """In a thread, after a first build that found nothing changed: the last build's state
        into the memo, for the first rebuild to redo only what changed."""
        if self.heap is not None:  # (Heap.settle waits for this thread to end)
            gc.disable()  # no collection walks the million objects being made …
        try:
            restore(cache_of(self.paths), self.memo, self.paths.output)
            published = self.memo.carried.get("published")
            if self.heap is not None:
                gc.freeze()  # … nor after: they are kept as long as the memo
        except Exception:  # noqa: BLE001 - without it the next build is a full one
            published = None
        if self.indexer is not None and (published is None or not published[2]):
            self.indexer.request()  # the index that build left is not known to be of its pages

    def wait_for_restore(self) -> None:
        if self.restoring is not None:
            self.restoring.join()
            self.restoring = None

    def save(self) -> None:
        """The last good build into the cache, if not there yet (after the first build and when
        the server stops: at ten thousand facts saving takes seconds)."""
        if self.unsaved is not None:  # (a failed build since leaves the output as it made it)
            try:
                remember(self.paths, self.memo, self.unsaved, options=self.options)
            except Exception:  # noqa: BLE001 - the cache is never worth an error
                pass
        self.unsaved = None

    def recopy_assets(self, changed: Sequence[str] = ()) -> None:
        """A stylesheet or script changed: copy assets only, when the last build is good."""
        if self.failed or self.result is None or self.result.replayed is not None:
            return self.rebuild(changed)  # (a replayed build has no files to copy beside)
        started = time.perf_counter()
        try:
            write_site(with_assets(self.paths, self.result.files), self.paths.output, self.memo)
        except Exception:  # reported, located, by the full build
            return self.rebuild(changed)
        self.clock.tick(pages=False)
        print(f"{clock()} {files_text(changed)} changed: assets copied, no page re-rendered "
              f"({round((time.perf_counter() - started) * 1000)} ms)", flush=True)

    def viewable(self, name: str) -> Path | None:
        """The file a problem names (as messages show paths), if the source view may show it:
        a regular file inside the content folder or a templates folder, never outside them."""
        try:
            if not name or not name.isprintable():
                return None
            path = Path(os.path.realpath(name))
            roots = (self.paths.content, *self.paths.template_folders())
            for root in roots:
                root = os.path.realpath(root)
                if os.path.commonpath([root, path]) == root and path.is_file():
                    return path
        except (OSError, ValueError):
            pass
        return None

    def fact_page(self, location: Location) -> str | None:
        """The published page of the fact a problem is in, when its file is a facts file that
        still reads as YAML and the last good build wrote a page for that fact: the reader's
        view of what the edit is changing."""
        path = self.viewable(location.path)
        facts = os.path.realpath(self.paths.content / "facts")
        if path is None or not location.line or os.path.commonpath([facts, path]) != facts:
            return None
        try:
            data = parse_yaml(path.read_text(encoding="utf-8"), location.path, Diagnostics())
        except (OSError, UnicodeError):
            return None
        entries = data if isinstance(data, YamlList) else [data]
        # The entry a line belongs to: the last one starting at or before it.
        around = [entry for entry in entries if isinstance(entry, YamlMap)
                  and entry.location.line <= location.line]
        ident = around[-1].get("id") if around else None
        if not isinstance(ident, str) or not ident.isprintable():
            return None
        page = output_path("fact", ident)
        return page if (self.paths.output / page).is_file() else None


class SearchIndexer:
    """The served site's search index, made in a thread of its own once saves pause: Pagefind
    takes seconds on ten thousand facts, and the pages come first. Only the shards whose pages
    changed are indexed again (search.reindex). Until it is done the search page finds what the
    previous index held. Each page's digest is kept from one index to the next with its stat
    (shards.site_pages): an index after an edit reads the pages it wrote, not every page."""

    QUIET_SECONDS = 1.5  # after the last good build, before indexing starts

    def __init__(self, output: Path):
        self.output = output
        self.wanted = threading.Event()
        self.stopping = False
        self.pages: dict = {}  # search.reindex's, kept for the next
        self.thread = threading.Thread(target=self._run, name="factsheet-search", daemon=True)

    def request(self) -> None:
        self.wanted.set()
        if not self.thread.is_alive():
            self.thread.start()

    def stop(self) -> None:
        """The server is stopping: end the index being made, if any (Pagefind would otherwise
        outlive serve, and leave its half-made bundle in site/), and wait until its temporary
        folders are removed."""
        self.stopping = True
        search.stop()
        self.wanted.set()
        if self.thread.is_alive():
            self.thread.join(timeout=30)
        search.resume()

    def _run(self) -> None:
        while self.wanted.wait():
            self.wanted.clear()
            if self.stopping:
                return
            if self.wanted.wait(self.QUIET_SECONDS):
                continue  # another build came: wait for the saves to pause
            started = time.perf_counter()
            try:
                search.reindex(self.output, self.pages)
            except search.SearchError as exc:
                if self.stopping:
                    return
                print(f"{clock()} search index not updated: {exc}\n    hint: {exc.hint}",
                      file=sys.stderr, flush=True)
                continue
            except OSError as exc:
                print(f"{clock()} search index not updated: {reason(exc)}", file=sys.stderr,
                      flush=True)
                continue
            print(f"{clock()} search index updated "
                  f"({time.perf_counter() - started:.1f} s)", flush=True)


# --- request handlers ---------------------------------------------------------------------------

class ServerPages:
    """What the handlers share: 404s as a page of ours, no caching."""

    state: Preview

    def write_error(self, status_code, **kwargs):
        self.set_header("Cache-Control", "no-store")
        if status_code in (403, 404):
            self.set_status(404)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(not_found_page(self.request.path, self.state.failed))
        else:
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(f"{status_code}\n")


def make_handler(state: Preview):
    class PreviewHandler(ServerPages, StaticFileHandler):
        """Serves site/; nothing outside it (404), and the error page while a build is failing."""

        def initialize(self, **kwargs):
            super().initialize(**kwargs)
            self.state = state

        def parse_url_path(self, url_path):
            # A path that climbs out ("..", "//x", "\\") is not in site/: 404, where Tornado
            # would answer 403 and so admit that something is there.
            # A control character (%00 and the like) is in no file name the build writes.
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

        def is_page(self, path: str) -> bool:
            """A page of the site: the home page always (there may be no site yet), else an HTML
            file or folder index that the last good build published."""
            if path in ("", "index.html"):
                return True
            if not (path.endswith("/") or path.endswith(".html")):
                return False
            absolute = self.get_absolute_path(self.root, self.parse_url_path(path))
            if os.path.isdir(absolute):
                absolute = os.path.join(absolute, self.default_filename or "index.html")
            return os.path.isfile(absolute)

        async def get(self, path, include_body=True):
            # ?last-good: the page as the last good build published it, even while broken
            # (the error page links a fact's problems to it).
            if state.failed and self.is_page(path) and \
                    self.get_query_argument(LAST_GOOD, None) is None:
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(error_page(state.result.diagnostics, state, state.strict))
                return
            try:
                await super().get(path, include_body)
            except OSError:  # the file went away mid-request: a rebuild swapped site/
                raise web.HTTPError(404) from None

        def set_extra_headers(self, path):
            self.set_header("Cache-Control", "no-store")

    return PreviewHandler


def make_source_handler(state: Preview):
    class SourceHandler(ServerPages, web.RequestHandler):
        """`SOURCE_URL?file=content/facts/a.yaml&line=12`: the file a problem is in, read-only;
        only a file inside the content folder or a templates folder (404 otherwise)."""

        def initialize(self):
            self.state = state

        def get(self):
            name = self.get_argument("file", "")
            line = self.get_argument("line", "")
            path = state.viewable(name)
            if path is None:
                raise web.HTTPError(404)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(source_page(path, display_path(path),
                                    int(line) if line.isdigit() and len(line) < 10 else 0))

    return SourceHandler


def web_handlers(state: Preview, root: str) -> list:
    return [(SOURCE_URL, make_source_handler(state)),
            (r"/(.*)", make_handler(state), {"path": root, "default_filename": "index.html"})]


def application(state: Preview, root: str) -> web.Application:
    """The served site, the error and 404 pages, the source view and the build counter that
    open pages follow (reload.py), whose script is put into every HTML response."""
    return web.Application([(BUILD_URL, build_handler(state.clock)),
                            *web_handlers(state, root)],
                           transforms=[script_injector(state.clock)])


def on_change(state: Preview, changed: list[str]) -> None:
    """A batch of saved files: assets alone are copied, anything else rebuilds the site."""
    assets = [os.path.realpath(folder) for folder in state.paths.asset_folders()]
    shown = [display_path(path) for path in changed]
    if all(any(os.path.commonpath([folder, os.path.realpath(path)]) == folder
               for folder in assets) for path in changed):
        state.recopy_assets(shown)
    else:
        state.rebuild(shown)


# --- the log ------------------------------------------------------------------------------------

class OneLine(logging.Handler):
    """A server error Tornado would log (with a traceback): one line of ours on stderr."""

    def emit(self, record):
        try:
            first = record.getMessage().splitlines()[0] if record.getMessage() else ""
            print(f"{clock()} server: {first}", file=sys.stderr, flush=True)
        except Exception:  # noqa: BLE001 - logging must never raise
            pass


def quiet_server_logs() -> None:
    """Tornado's loggers, silenced: a line per request and the like. Tornado's own warnings
    and errors (not a request's status) become one line of ours."""
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = False
        if name in ("tornado.application", "tornado.general"):
            logger.setLevel(logging.WARNING)
            logger.addHandler(OneLine())
        else:
            logger.setLevel(logging.CRITICAL + 1)
            logger.addHandler(logging.NullHandler())


# --- the command --------------------------------------------------------------------------------

def serve(paths: Paths, *, strict: bool, host: str, port: int,
          open_browser: bool = False, base_url: str | None = None, cache: bool = True) -> int:
    """Bind, build, serve and rebuild on change until Ctrl-C. 1 when the port cannot be bound
    (nothing is built then) or the output folder cannot be made; 0 when stopped."""
    try:
        sockets = bind_sockets(port, address=host)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"Port {port} on {host} is already in use: stop the other server or choose "
                  f"another with --port", file=sys.stderr)
        else:
            print(f"Cannot serve on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    port = sockets[0].getsockname()[1]  # the port given, or the one chosen for --port 0
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{port}/"

    quiet_server_logs()
    events = asyncio.new_event_loop()
    asyncio.set_event_loop(events)
    loop = IOLoop.current()
    state = Preview(paths, strict=strict, search_index=True, base_url=base_url, cache=cache,
                    heap=Heap(loop))
    # Watching from before the first build: a save made while it runs gives one more build.
    watched = (paths.content, *paths.template_folders(), *paths.asset_folders())
    watcher = Watcher(watched, lambda changed: on_change(state, changed), loop)
    watcher.start()
    state.rebuild()
    try:
        paths.output.mkdir(parents=True, exist_ok=True)  # build failed: serve the error page
    except OSError as exc:
        print(f"Cannot serve {paths.output}/: {exc.strerror}", file=sys.stderr)
        Heap.release()
        watcher.stop()
        for sock in sockets:
            sock.close()
        return 1

    server = HTTPServer(application(state, str(paths.output.absolute())))
    server.add_sockets(sockets)
    print(f"Serving {paths.output}/ on {url} (Ctrl-C to stop)", flush=True)
    if open_browser:
        loop.add_callback(lambda: open_in_browser(url))
    try:
        # Ctrl-C stops the loop between two callbacks, not inside one (where a KeyboardInterrupt
        # would leave a half-scheduled task behind); where the platform has no signal handlers
        # for an event loop (Windows), it is the KeyboardInterrupt below.
        events.add_signal_handler(signal.SIGINT, loop.stop)
    except (NotImplementedError, RuntimeError, ValueError):
        pass
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        Heap.release()  # the process may go on (a test calling serve()): Python's own collector
        watcher.stop()
        server.stop()
        if state.indexer is not None:
            state.indexer.stop()
        try:
            events.remove_signal_handler(signal.SIGINT)
            loop.close(all_fds=True)
        except (NotImplementedError, RuntimeError, ValueError, OSError):
            pass
        state.wait_for_restore()
        state.save()
    print("Stopped.", flush=True)
    return 0


def open_in_browser(url: str) -> None:
    try:
        opened = webbrowser.open(url)
    except Exception:  # noqa: BLE001 - no browser is not an error of the server
        opened = False
    if not opened:
        print(f"Could not open a web browser: open {url} yourself.", file=sys.stderr,
              flush=True)
