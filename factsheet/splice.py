"""Splice: the long lists of aggregate pages, made of chunks kept from one build to the next.

Owns: cutting a list of record ids into chunks, keeping each chunk's HTML (deflated) with the
parts of the site it read, and assembling a page around its lists as packed.Parts; the same for
the long data files (exports.py: a line per fact), whose chunks are kept by their text. The facts
index and the timeline list every fact: after a one-fact edit such a page is its one changed
chunk spliced between the kept others, not ten thousand lines visited, joined and deflated again.

A list is cut before each id whose checksum says so (about one in CHUNK), not every CHUNK ids:
adding, removing or moving one record changes the chunk it joins or leaves, and no other.

Knows no templates, Markdown or site: the renderer hands it a function that renders a chunk
(and says what it read) and the parts of the site changed since the last build (depends.py).
"""

from __future__ import annotations

import functools
import re
import secrets
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from .packed import Parts, deflate

CHUNK = 64  # ids per chunk, on average


def spans(ids: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each chunk of `ids`: cut before each id (but the first) that starts one."""
    cuts = [at for at, ident in enumerate(ids)
            if at and zlib.crc32(ident.encode()) % CHUNK == 0]
    bounds = [0, *cuts, len(ids)] if ids else []
    return list(zip(bounds, bounds[1:]))


def chunks(ids: list[str]) -> list[tuple[str, ...]]:
    """`ids` in order, in chunks."""
    return list(_chunks(tuple(ids), CHUNK))


@functools.lru_cache(maxsize=32)
def _chunks(ids: tuple[str, ...], _size: int) -> tuple[tuple[str, ...], ...]:
    # The same lists are cut again each build (a page's list after an edit elsewhere): kept
    # for the last few lists (hashing the ids again costs a tenth of cutting them).
    return tuple(ids[start:end] for start, end in spans(list(ids)))


def joined(head: str, texts: list[str], separator: str, tail: str, cut: list[tuple[int, int]],
           deflated: Callable[[tuple, Callable[[], bytes]], bytes]) -> Parts:
    """head + separator.join(texts) + tail as parts, a chunk of texts per span of `cut`, each
    deflated through `deflated(key, make)` (a Memo's: the key holds the chunk's texts, so a
    rebuild deflates only the chunks whose texts changed)."""
    parts = [deflate(head.encode("utf-8"))] if head else []
    for start, end in cut:
        lead = separator if start else ""
        chunk = tuple(texts[start:end])
        parts.append(deflated((lead, separator, chunk), lambda: deflate(
            (lead + separator.join(chunk)).encode("utf-8"))))
    if tail:
        parts.append(deflate(tail.encode("utf-8")))
    return Parts(parts)


class MisplacedList(ValueError):
    """A page's list (each()) not shown once, as it is: its chunks have nowhere to go."""

    hint = ("write {{ each(...) }} on its own where the list goes: not filtered, repeated, "
            "or kept out of the page")


@dataclass(frozen=True)
class Chunk:
    reads: frozenset  # the parts of the site its lines read (depends.py)
    packed: bytes  # its HTML, UTF-8, deflated


class Splicer:
    """One build's chunks: those kept from the last build (`old`, by key: the list's macro, the
    page's folder and the chunk's ids) and this build's (`new`), the keys of those each page
    rendered shows (`used`: a page not rendered again keeps its own), and the lists of the page
    being rendered. A chunk is kept while nothing it read is among the `changed` parts."""

    def __init__(self, old: dict | None = None, changed: set | frozenset = frozenset()):
        self.old, self.changed = old or {}, changed
        self.new: dict[tuple, Chunk] = {}
        self.used: dict[str, list[tuple]] = {}  # output path → the keys of its chunks
        self.page = ""  # the output path of the page being rendered
        # A page's lists stand in its HTML as placeholders until it is assembled. The marker is
        # new each build and never written out, so no content can forge one.
        self.marker = secrets.token_hex(8)
        self.lists: list[list[bytes]] = []

    def chunk(self, key: tuple, render: Callable[[], tuple[str, frozenset]]) -> Chunk:
        """The last build's chunk under `key` when nothing it read changed; else `render()`
        → (HTML, reads) made into one."""
        found = self.old.get(key)
        if found is None or not self.changed.isdisjoint(found.reads):
            html, reads = render()
            found = Chunk(reads, deflate(html.encode("utf-8")))
        self.new[key] = found
        self.used.setdefault(self.page, []).append(key)
        return found

    def placeholder(self, chunks: list[Chunk]) -> Markup:
        """What the template shows where the chunks go (assemble puts them there)."""
        self.lists.append([chunk.packed for chunk in chunks])
        return Markup(f"\x00{self.marker}:{len(self.lists) - 1}\x00")

    def assemble(self, html: str) -> bytes | Parts:
        """A rendered page: its bytes, or with lists its parts, each placeholder replaced by
        its list's chunks as they are held."""
        lists, self.lists = self.lists, []
        if not lists:
            return html.encode("utf-8")
        pieces = re.split(f"\x00{self.marker}:(\\d+)\x00", html)
        placed = [int(number) for number in pieces[1::2]]
        if sorted(placed) != list(range(len(lists))):
            raise MisplacedList("the output of each() must be shown once, as it is (not filtered, "
                             "repeated or left out)")
        parts: list[bytes] = []
        for at, piece in enumerate(pieces):
            if at % 2:
                parts += lists[int(piece)]
            elif piece:
                parts.append(deflate(piece.encode("utf-8")))
        return Parts(parts)

    def start_page(self, path: str) -> None:
        """Start the page at `path` (forgetting the lists of a page whose render failed)."""
        self.lists, self.page = [], path
        self.used.pop(path, None)
