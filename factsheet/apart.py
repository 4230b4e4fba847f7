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
sends back the files as they are made (render's shares as each is done) and the report, and
ends; this process, which loaded no content, keeps the files on disk meanwhile, then publishes
and runs Pagefind. The child never holds every page: 45 MiB at ten thousand facts.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import parallel
from .packed import Files

MIN_BYTES = 1 << 20  # of content (1,000 facts: 1.4 MB): a smaller briefing builds here
BATCH_FILES = 250  # files sent back in one message (about 1 MB at ten thousand facts)
TRIM_BYTES = 16 << 20  # the child gives back the memory of the files sent, every this many bytes
HEADER = struct.Struct(">cQ")  # a message: its kind, the length of its pickle, the pickle
TELL, FILES, RESULT, FAILED = b"t", b"f", b"r", b"x"
CUT_SHORT = "the process building the pages failed: it ended in the middle of a message"


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
               tell: Callable[[str, int], None]) -> object:
    """make(tell) run in a forked child: its progress told here as it comes, its Result (the
    files in it as they are held) returned here once the child has ended. The files come as
    they are made (render hands on each share's pages: parallel.HAND_ON) and wait on disk, in
    a temporary file, not in memory: the child lets go of the files it sent (and gives their
    memory back every TRIM_BYTES), so the pages are never held in memory twice, nor by the
    child all at once. Raises RuntimeError when the child ends without a result (its
    own error in the message)."""
    sys.stdout.flush()
    sys.stderr.flush()
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child (measured by the parent's tests)
        os.close(reading)
        status = 1
        try:
            with os.fdopen(writing, "wb") as out:
                _run_child(make, out)
            status = 0
        finally:
            os._exit(status)  # never the caller's code, nor its atexit handlers, in the child
    os.close(writing)
    answer, failure = None, "it ended without a word"
    with tempfile.TemporaryFile(prefix="factsheet-pages-") as waiting:
        try:
            with os.fdopen(reading, "rb") as messages:
                while header := messages.read(HEADER.size):
                    kind, length = HEADER.unpack(header)
                    if kind == FILES:  # kept as sent until the child has ended, on disk
                        waiting.write(header)
                        copy(messages, waiting, length)
                        continue
                    body = messages.read(length)
                    if len(body) < length:
                        raise RuntimeError(CUT_SHORT)
                    if kind == TELL:
                        tell(*pickle.loads(body))
                    elif kind == RESULT:
                        answer = pickle.loads(body)
                    else:
                        failure = pickle.loads(body)
        except BaseException:  # (Ctrl-C, or a failing progress hook): the child is not waited for
            os.kill(child, signal.SIGKILL)
            raise
        finally:
            _, status = os.waitpid(child, 0)
        if answer is None:
            if os.WIFSIGNALED(status):  # (SIGKILL: most often the system out of memory)
                failure = f"it was killed by {signal.Signals(os.WTERMSIG(status)).name}"
            raise RuntimeError(f"the process building the pages failed: {failure}")
        result, order = answer
        waiting.seek(0)
        held: dict = {}
        while header := waiting.read(HEADER.size):
            held.update(pickle.loads(waiting.read(HEADER.unpack(header)[1])))
    result.files = Files()
    for path in order:
        result.files.hold(path, held.pop(path))
    return result


def copy(source, target, length: int, piece: int = 1 << 16) -> None:
    """`length` bytes of `source` to `target`, a piece at a time: this process is not to grow
    by a batch of pages while it passes them on."""
    while length > 0:
        data = source.read(min(piece, length))
        if not data:
            raise RuntimeError(CUT_SHORT)
        target.write(data)
        length -= len(data)


def _run_child(make, out) -> None:
    """In the child: make(tell), its progress, files and Result sent down `out`."""
    sent = 0

    def send(kind: bytes, message) -> None:
        data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        out.write(HEADER.pack(kind, len(data)))
        out.write(data)
        out.flush()

    def send_files(files: Files) -> None:
        """Every file of `files` that is held (not handed on already), in batches."""
        nonlocal sent
        paths = [path for path in files if files.packed(path) is not None]
        for start in range(0, len(paths), BATCH_FILES):
            batch = [(path, files.packed(path)) for path in paths[start:start + BATCH_FILES]]
            send(FILES, batch)
            sent += sum(len(held) if isinstance(held, bytes) else sum(map(len, held))
                        for _, held in batch)
        files.forget_bytes()
        if sent >= TRIM_BYTES:
            parallel.return_free_memory()
            sent = 0

    try:
        parallel.HAND_ON = send_files
        result = make(lambda stage, count: send(TELL, (stage, count)))
        order = list(result.files)
        send_files(result.files)
        result.files = Files()
        send(RESULT, (result, order))
    except BaseException as exc:  # noqa: BLE001 - said to the parent, which reports it
        send(FAILED, f"{type(exc).__name__}: {exc}")
