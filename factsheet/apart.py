"""Apart: a cold build's stages run in a forked process that ends before the site is published.

Owns: whether a build makes its pages apart (a large briefing, built without a memo, where
forking exists), forking the process that runs the stages, and bringing back what they made.
Knows no stage: it is handed a function that runs them (pipeline.make_site) and gives back its
Result, its files included, as they are held (packed.py).

Why: memory freed by Python is seldom given back to the system. The objects a build keeps to the
end (its diagnostics, the modules and caches the stages load) lie scattered among the millions
the stages made and let go, and hold most of the heap's pages: at ten thousand facts the build
process still held 150 MiB while Pagefind ran (two runs of 90 MiB beside it), though only 30 MiB
of it was in use. A process that ends gives back everything: the stages run in a child, which
sends back the files and the report and ends; this process, which loaded no content, publishes
and runs Pagefind.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path

from .packed import Files

MIN_BYTES = 4 << 20  # of content: a smaller briefing's memory does not matter; it builds here
BATCH_FILES = 1000  # files sent back in one message
TRIM_BYTES = 64 << 20  # the child gives the memory of the files sent back every this many bytes


def wanted(content: Path) -> bool:
    """Whether to build apart: forking exists and the content holds MIN_BYTES or more."""
    if not hasattr(os, "fork") or sys.platform == "darwin":  # (macOS: forking is unsafe)
        return False
    size = 0
    for folder, _, names in os.walk(content):
        for name in names:
            try:
                size += os.stat(os.path.join(folder, name)).st_size
            except OSError:
                continue
            if size >= MIN_BYTES:
                return True
    return False


def made_apart(make: Callable[[Callable[[str, int], None]], object],
               tell: Callable[[str, int], None], give_back: Callable[[], None]) -> object:
    """make(tell) run in a forked child: its progress told here as it comes, its Result (the
    files in it as they are held) returned here. The child gives back the memory of the files
    it has sent every TRIM_BYTES (give_back), so that the two processes never hold them twice.
    Raises RuntimeError when the child ends without a result (its own error in the message)."""
    sys.stdout.flush()
    sys.stderr.flush()
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child (measured by the parent's tests)
        os.close(reading)
        status = 1
        try:
            with os.fdopen(writing, "wb") as out:
                _run_child(make, out, give_back)
            status = 0
        finally:
            os._exit(status)  # never the caller's code, nor its atexit handlers, in the child
    os.close(writing)
    result, files, failure = None, Files(), "it ended without a word"
    try:
        with os.fdopen(reading, "rb") as messages:
            while True:
                try:
                    kind, *body = pickle.load(messages)
                except EOFError:
                    break
                if kind == "tell":
                    tell(*body)
                elif kind == "files":
                    for path, held in body[0]:
                        files.hold(path, held)
                elif kind == "result":
                    result = body[0]
                else:  # "failed"
                    failure = body[0]
    finally:
        os.waitpid(child, 0)
    if result is None:
        raise RuntimeError(f"the process building the pages failed: {failure}")
    result.files = files
    return result


def _run_child(make, out, give_back: Callable[[], None]) -> None:
    """In the child: make(tell), its progress, files and Result sent down `out`."""
    def send(*message) -> None:
        pickle.dump(message, out, pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        result = make(lambda stage, count: send("tell", stage, count))
        files, result.files = result.files, Files()
        paths, sent = list(files), 0
        for start in range(0, len(paths), BATCH_FILES):
            batch = [(path, files.packed(path)) for path in paths[start:start + BATCH_FILES]]
            send("files", batch)
            for path, held in batch:
                del files[path]
                sent += sum(map(len, held)) if isinstance(held, tuple) else len(held)
            del batch  # (the files' last references)
            if sent >= TRIM_BYTES:
                give_back()
                sent = 0
        send("result", result)
    except BaseException as exc:  # noqa: BLE001 - said to the parent, which reports it
        send("failed", f"{type(exc).__name__}: {exc}")
