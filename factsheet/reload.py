"""The preview's live reload: a build counter, the page script that follows it, and the watcher.

Owns: when an open page reloads. Every build that `serve` runs (good or failed) gets the next
number. A page is served with the number it shows, in a small script of ours, which asks the
server for any later build (a long poll). So a save can never be lost between a reload and a
reconnection, as with livereload's socket, which only tells pages connected at the moment of a
build: a build that finished while the page was loading is simply already later than its number.
A build that only copied assets restyles the page without reloading it.

The watcher is event-based (watchfiles: inotify, FSEvents, ReadDirectoryChangesW), so it costs
nothing while idle and notices a save within tens of milliseconds. Saves that land during a
rebuild are collected and give one more rebuild after it.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import watchfiles
from tornado import web

BUILD_URL = "/__factsheet__/build"  # the page script's long poll; never in site/
LONG_POLL_SECONDS = 25  # under the idle time-outs of common proxies
# Wait this long after the last event of a burst (an editor writes a file in several steps),
# but never longer than the debounce, however long the burst lasts: a save is handed over 1 to 2
# STEP_MS after it (watchfiles looks every STEP_MS, and hands a batch over after a look that
# found nothing new): 5-10 ms, a median of 8 (15 ms at a step of 10). Idle, two hundred looks a
# second cost 0.15 % of a core more than a hundred did (0.6 % against 0.45 %, the watcher
# alone), a hundred 0.1 % more than fifty.
STEP_MS, DEBOUNCE_MS = 5, 300
# A batch with a file deleted and still missing waits this much more before it is handed over:
# editors that save by deleting the file and renaming a new one in its place (or write it
# anew) would otherwise give a build without the file, and then one more.
MISSING_SECONDS = 0.1


class BuildClock:
    """The number of the latest build, and of the latest that changed pages (not only assets)."""

    def __init__(self) -> None:
        self.number = 0
        self.pages_number = 0
        self._waiting: set[asyncio.Future] = set()  # one per page asking, in the server's loop

    def tick(self, pages: bool = True) -> None:
        """A build is done (called in the server's event loop, as the rebuilds are)."""
        self.number += 1
        if pages:
            self.pages_number = self.number
        for waiter in self._waiting:
            if not waiter.done():
                waiter.set_result(None)

    async def after(self, since: int, seconds: float) -> dict:
        """Once there is a build later than `since` (or after `seconds`): what the page should
        do, reload or only restyle."""
        if self.number <= since:
            waiter = asyncio.get_running_loop().create_future()
            self._waiting.add(waiter)
            try:
                await asyncio.wait_for(waiter, seconds)
            except asyncio.TimeoutError:
                pass
            finally:
                self._waiting.discard(waiter)
        return {"build": self.number, "reload": self.pages_number > since}


def client_script(build: int) -> bytes:
    """The script put in every served page (never into site/): follow builds after `build`."""
    return (
        "<script>(function(){var build=%d;"
        "function restyle(n){document.querySelectorAll('link[rel=stylesheet]').forEach("
        "function(l){var u=new URL(l.href);u.searchParams.set('build',n);l.href=u.href;});}"
        "function poll(){fetch('%s?since='+build,{cache:'no-store'})"
        ".then(function(r){if(!r.ok)throw r.status;return r.json();})"
        ".then(function(d){if(d.build>build){if(d.reload){location.reload();return;}"
        "restyle(d.build);build=d.build;}poll();})"
        ".catch(function(){setTimeout(poll,1000);});}"
        "poll();})();</script>" % (build, BUILD_URL)).encode("ascii")


HEAD_END = b"</head>"


def script_injector(clock: BuildClock) -> type[web.OutputTransform]:
    """A transform putting the script, with the build number served, into each HTML page."""

    class InjectScript(web.OutputTransform):
        def transform_first_chunk(self, status_code, headers, chunk, finishing):
            if "html" in headers.get("Content-Type", "") and HEAD_END in chunk:
                script = client_script(clock.number)
                chunk = chunk.replace(HEAD_END, script + HEAD_END, 1)
                if "Content-Length" in headers:
                    headers["Content-Length"] = str(int(headers["Content-Length"]) + len(script))
            return status_code, headers, chunk

    return InjectScript


def build_handler(clock: BuildClock) -> type[web.RequestHandler]:
    class BuildHandler(web.RequestHandler):
        """`BUILD_URL?since=N` → {"build": latest, "reload": whether pages changed since N},
        as soon as there is a build later than N, or after LONG_POLL_SECONDS."""

        async def get(self):
            since = self.get_query_argument("since", "")
            if not since.isdigit() or len(since) > 12:
                raise web.HTTPError(400)
            self.set_header("Cache-Control", "no-store")
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps(await clock.after(int(since), LONG_POLL_SECONDS)))

        def write_error(self, status_code, **kwargs):
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(f"{status_code}\n")

    return BuildHandler


def missing(changes: set[tuple[watchfiles.Change, str]]) -> bool:
    """Whether a file of the batch was deleted and is still missing: not one that was made and
    removed within it (the temporary file an editor renames onto the one it saves)."""
    made = {path for change, path in changes if change == watchfiles.Change.added}
    return any(change == watchfiles.Change.deleted and path not in made
               and not os.path.exists(path) for change, path in changes)


class Watcher:
    """Watches folders from a thread of its own and hands each batch of changed paths to
    `on_change` in the server's event loop, one batch at a time: changes seen while a rebuild
    runs are gathered into the next batch."""

    def __init__(self, folders: Sequence[Path], on_change: Callable[[list[str]], None],
                 loop) -> None:
        self.folders = [str(folder) for folder in folders if Path(folder).is_dir()]
        self.on_change, self.loop = on_change, loop
        self.pending: set[str] = set()
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, name="factsheet-watcher", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()

    def _run(self) -> None:
        try:
            for changes in watchfiles.watch(*self.folders, step=STEP_MS, debounce=DEBOUNCE_MS,
                                            stop_event=self.stop_event, raise_interrupt=False):
                with self.lock:
                    first = not self.pending
                    self.pending.update(path for _, path in changes)
                if first and missing(changes):
                    self.loop.add_callback(self.loop.call_later, MISSING_SECONDS, self._deliver)
                elif first:
                    self.loop.add_callback(self._deliver)
        except Exception as exc:  # noqa: BLE001 - a watcher that dies says so, once
            print(f"Stopped watching for changes: {type(exc).__name__}: {exc}; restart serve",
                  file=sys.stderr, flush=True)

    def _deliver(self) -> None:
        with self.lock:
            changed, self.pending = sorted(self.pending), set()
        if changed:
            self.on_change(changed)
