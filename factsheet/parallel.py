"""Parallel rendering: how many processes render, how the pages are dealt out to them, and what
each sends back.

Owns: the process count (the cores, and how many copies of the site the memory holds), the
shares (every n-th page, a bounded number of pages each), forking the workers (which inherit the
renderer and the resolved site without pickling them), and merging what the shares send back in
the order a serial build makes. Knows no templates and no site: it is handed a function that
renders one share (render.Renderer.render_share) and gives back `Share`s.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .packed import Files

# Rendering is pure Python, so two processes go nearly twice as fast on two cores; forking costs
# about 50 ms, so a small briefing renders in one; and as many as the memory holds (a large one
# may render in one: processes_that_fit). FACTSHEET_WORKERS=N forces N processes. Two processes
# against one, whole cold builds on two cores: 600 pages 0.89x the wall time (1 % more CPU),
# 1,200 pages 0.93x (4 % more CPU).
PARALLEL_MIN_PAGES = 500
SHARES_PER_WORKER = 4
SHARE_PAGES = 250  # at most, in one share (0.8 MB deflated on average at ten thousand facts)
PROCESS_GROWTH = 1.4  # a rendering process's size at its peak, to this one's before rendering
MEMORY_MIB = 2048  # for the rendering processes together, unless FACTSHEET_MEMORY says (issue 8)


@dataclass
class Share:
    """What rendering one share of the jobs gives back (from a worker: pickled)."""

    pages: Files
    failed: tuple  # () or (the failing job's position among all jobs, [its diagnostics])
    reads: dict | None = None  # while watching: output path → the parts of the site it read
    fragments: dict | None = None  # while watching: the lines made (render.Renderer.fragment)
    chunks: dict | None = None  # while watching: the chunks of long lists made (splice.py)
    used: dict | None = None  # while watching: each page → the keys of its chunks (splice.py)


RenderShare = Callable[[int, int], Share]  # (index, count) → every count-th job from index
_FORKED: RenderShare | None = None  # what forked workers inherit and call
# Where the pages of each share go as soon as it is made, their bytes let go here (their paths
# kept, in order): in a process making the pages apart, to the process that writes them, which
# holds them on disk meanwhile (apart.py). None: the pages are kept here.
HAND_ON: Callable[[Files], None] | None = None


def workers(pages: int) -> int:
    """How many processes render `pages` pages (this one included)."""
    wanted = os.environ.get("FACTSHEET_WORKERS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    if pages < PARALLEL_MIN_PAGES:
        return 1
    import multiprocessing  # here: a briefing rendered in one process never needs it

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 8, processes_that_fit()))


def processes_that_fit() -> int:
    """How many processes may render at once in the memory they may use: MEMORY_MIB (or
    FACTSHEET_MEMORY, MiB), and no more than the system has available. Each forked process comes
    to hold a copy of most of what this one holds (render_shares), and this one grows by the
    pages, so each is counted at PROCESS_GROWTH times this one's size now: at 100,000 facts
    (1.5 GB before rendering) one process renders, at 10,000 two. Where the sizes cannot be read
    (no /proc), the budget alone is not known to be exceeded: no limit."""
    budget = os.environ.get("FACTSHEET_MEMORY", "")
    room = (int(budget) if budget.isdigit() else MEMORY_MIB) << 20
    try:
        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        with open("/proc/meminfo") as meminfo:
            available = 1024 * next(int(line.split()[1]) for line in meminfo
                                    if line.startswith("MemAvailable:"))
    except (OSError, ValueError, StopIteration):
        return 8
    return int(min(room, size + available) // (size * PROCESS_GROWTH))


def render_shares(render_share: RenderShare, jobs: int, processes: int) -> list[Share]:
    """`jobs` jobs dealt out round-robin to `processes` processes: this one and forked ones,
    which inherit `render_share` (and what it renders from) without pickling it. Pages come
    back as bytes, in several shares a worker, one share at a time rather than a worker's
    every page. One process renders its shares one after the other (for HAND_ON)."""
    # Shares of at most SHARE_PAGES pages: each is held twice while it arrives (the
    # message, then the pages), so a bounded share bounds that, whatever the site's size.
    shares = processes * max(SHARES_PER_WORKER, -(-jobs // (processes * SHARE_PAGES)))
    if processes == 1:  # (handing on: the pages are let go a share at a time, not at the end)
        return [_handed_on(render_share(n, shares)) for n in range(shares)]
    import multiprocessing  # here: a briefing rendered in one process never needs it

    global _FORKED
    _FORKED = render_share
    # This process renders its part too: a forked worker soon holds its own copy of most of
    # what it inherited (writing an object's reference count copies the page it sits on),
    # so each process fewer is one copy of the site fewer (1.3 GB at 100,000 facts).
    own = range(0, shares, processes)
    # Memory free now would be held by every process (the C library's free pages, read by
    # none: 12 MiB at ten thousand facts): given back to the system first.
    return_free_memory()
    # A full collection writes to every object it walks: frozen, what this process holds is
    # walked by no collection, here or in the workers, and stays shared.
    frozen = gc.get_freeze_count()
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(processes - 1) as pool:
            theirs = pool.imap_unordered(_render_share, [(n, shares) for n in range(shares)
                                                         if n not in own])
            parts = []
            for n in own:
                parts.append(_handed_on(render_share(n, shares)))
                # The workers' shares that came back meanwhile are handed on now, not held
                # here until this process has rendered its own (with small shares, the
                # process tree's peak at ten thousand facts: 283-296 -> 260-264 MiB).
                parts += map(_handed_on, _arrived(theirs))
            parts += map(_handed_on, theirs)
    finally:
        _FORKED = None
        if not frozen:  # else frozen by a caller (serve.Heap), which unfreezes in its time
            gc.unfreeze()
    return parts


def _arrived(results) -> Iterator[Share]:
    """What of `results` (a pool's imap_unordered) has come back so far, without waiting."""
    import multiprocessing  # (imported already by the caller, which made the pool)

    while True:
        try:
            yield results.next(timeout=0)
        except (multiprocessing.TimeoutError, StopIteration):
            return


def return_free_memory() -> None:
    """Give the C library's free memory back to the system: with glibc, the free pages amid
    its heap too, not only those at its end (elsewhere, nothing: they stay the process's)."""
    import ctypes  # here: a build from the cache that finds nothing changed never needs it

    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (AttributeError, OSError, TypeError):
        pass


def _render_share(share: tuple[int, int]) -> Share:
    """In a forked worker: the share of the jobs it inherited (its pages sent back, not handed
    on: HAND_ON is the process's that forked it)."""
    global HAND_ON
    HAND_ON = None
    return _FORKED(*share)


def _handed_on(part: Share) -> Share:
    """`part`, its pages handed on (HAND_ON) if they go elsewhere: their paths alone kept."""
    if HAND_ON is not None and not part.failed:
        HAND_ON(part.pages)
        part.pages.forget_bytes()
    return part


def merged_reads(parts: list[Share]) -> dict:
    """What the pages of every share read. It comes back as a copy of each part per page
    (700,000 tuples at ten thousand facts): one kept of each, shared by the pages that read
    it."""
    canonical: dict = {}
    reads = {}
    for part in parts:
        for path, seen in (part.reads or {}).items():
            reads[path] = frozenset(canonical.setdefault(one, one) for one in seen)
    return reads


def first_failure(parts: list[Share]) -> list:
    """A serial build stops at the first page that fails: that one's diagnostics alone, as it
    would report them ([] when none failed)."""
    failed = [part.failed for part in parts if part.failed]
    return min(failed, key=lambda found: found[0])[1] if failed else []
