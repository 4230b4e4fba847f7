"""Listing: a data file of one line per record, ordered by id, patched from what changed.

Owns: keeping, from one build of a process to the next, each record's line with the parts of
the site it read (depends.py), an index from each part to the records whose line read it, and
each file's chunks (splice.py), deflated. After an edit the lines to make again are found through
the index from the changed parts alone, and only their chunks are joined and deflated again: a
one-fact edit at ten thousand facts makes one line and one chunk a file, and visits no other
record.

Knows no record's fields: the caller (exports.py) hands it a function that makes what it keeps of
a record from the site; what that function reads of the site is noted while it runs.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from . import splice
from .depends import COUNT, WHOLE, Watched, read_by, reindex
from .packed import Parts, deflate


@dataclass
class Listing:
    """What is kept of the records of one mapping field of the site (`name`: "facts" …)."""

    name: str
    ids: list = field(default_factory=list)  # the records' ids, sorted
    made: dict = field(default_factory=dict)  # id → (parts of the site it read, what was made)
    readers: dict = field(default_factory=dict)  # part of the site → ids whose making read it
    cut: list = field(default_factory=list)  # splice.spans(ids)
    # file → [(chunk key: its lead, separator and texts; the chunk deflated)], one per span
    files: dict = field(default_factory=dict)
    dirty: set = field(default_factory=set)  # the ids made again by the last update
    moved: bool = True  # whether the last update added or removed ids (the chunks are cut anew)
    before: dict = field(default_factory=dict)  # what was made of those ids before it, if any

    def update(self, site, changed: set | None, make: Callable) -> None:
        """Bring what is kept up to date with `site`: `changed`, the parts of the site changed
        since the last update (None: everything is made again); `make(site, id)`, what to keep
        of a record."""
        records = getattr(site, self.name)
        if changed is None:
            self.made, self.readers, self.files, self.before = {}, {}, {}, {}
            dirty, added_or_removed = set(records), True
        else:
            keys = {key for name, key in changed
                    if name == self.name and key != WHOLE and key != COUNT}
            added_or_removed = any((key in records) != (key in self.made) for key in keys)
            dirty = keys | read_by(self.readers, changed)
            self.before = {key: self.made[key][1] for key in dirty if key in self.made}
            dirty = {key for key in dirty if key in records}
            for gone in [key for key in keys if key not in records and key in self.made]:
                reindex(self.readers, gone, self.made.pop(gone)[0], frozenset())
        if added_or_removed:
            self.ids = sorted(records)
            self.cut = splice.spans(self.ids)
        for ident in dirty:
            seen: set = set()
            value = make(Watched(site, seen), ident)
            old = self.made.get(ident)
            reindex(self.readers, ident, old[0] if old is not None else frozenset(),
                    frozenset(seen))
            self.made[ident] = (frozenset(seen), value)
        self.dirty, self.moved = dirty, added_or_removed

    def __getitem__(self, ident: str):
        """What was made of a record."""
        return self.made[ident][1]

    def file(self, name: str, head: str, text: Callable, separator: str, tail: str,
             everything: bool = False) -> Parts:
        """The file `name`: head + separator.join(text(id) of each record) + tail
        (splice.joined), its chunks kept from the last call: after an update that added or
        removed none, only the chunks holding a record made again are joined and deflated again
        (every chunk with `everything`: `text` changed); else those whose texts changed."""
        old = self.files.get(name)
        if old is None or self.moved or everything:
            kept = dict(old or ())
            chunks = []
            for at in range(len(self.cut)):
                key = self._key(at, text, separator)
                found = kept.get(key)
                chunks.append((key, found if found is not None else _deflated(key)))
        else:
            chunks = list(old)
            starts = [start for start, _ in self.cut]
            for at in {bisect.bisect_right(starts, bisect.bisect_left(self.ids, ident)) - 1
                       for ident in self.dirty}:
                key = self._key(at, text, separator)
                chunks[at] = (key, _deflated(key))
        self.files[name] = chunks
        return Parts([*([deflate(head.encode("utf-8"))] if head else []),
                      *(chunk for _, chunk in chunks),
                      *([deflate(tail.encode("utf-8"))] if tail else [])])

    def _key(self, at: int, text: Callable, separator: str) -> tuple:
        """The key of chunk `at`, as splice.joined makes it: its lead, separator and texts."""
        start, end = self.cut[at]
        return (separator if start else "", separator,
                tuple(map(text, self.ids[start:end])))


def _deflated(key: tuple) -> bytes:
    """A chunk's bytes deflated, from its key (lead, separator, texts), as splice.joined makes
    them."""
    lead, separator, texts = key
    return deflate((lead + separator.join(texts)).encode("utf-8"))
