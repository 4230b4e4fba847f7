"""Packed files: a build's output held deflated in memory until it is written.

Owns: `Files`, the mapping {output path: bytes} that render, the exports and write pass along,
and `same`, how two builds' files are compared. Imports nothing of ours, so every stage may use it.

At ten thousand facts the pages are 160 MB of HTML, held from rendering until the site is
published (and, by `serve` and the cache, until the next build): deflated (zlib level 1, about a
quarter of the size) they cost a quarter of that in the build process, in what forked render
workers send back and in the cache on disk. A value reads back as the bytes that were stored.
Two builds' files are compared without inflating them: zlib is deterministic, so equal bytes
deflate alike (within one zlib; a file deflated by another only counts as changed).

A long file spliced from parts (a page listing ten thousand facts: splice.py) is held as `Parts`,
each part deflated on its own: the next build keeps the parts that did not change as they are
held, and deflates only the new ones. A long file written a line at a time (data/facts.json in a
cold build) is deflated as it is written (`Deflating`), never held whole.
"""

from __future__ import annotations

import itertools
import operator
import zlib
from collections.abc import Iterator, Mapping, MutableMapping

LEVEL = 1  # the fastest: deflating costs about 8 ms a MB, inflating a third of that


def deflate(data: bytes) -> bytes:
    return zlib.compress(data, LEVEL)


class Parts(tuple):
    """A file as a sequence of parts, each deflated on its own (deflate): its bytes are theirs,
    inflated and joined. Stored in `Files` as it is."""

    def inflate(self) -> bytes:
        return b"".join(map(zlib.decompress, self))


class Deflating:
    """A file written a piece of text at a time (a file object for `write`: csv.writer's too),
    held as Parts of about PART_BYTES each as it comes: never whole, inflated."""

    PART_BYTES = 1 << 20

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._held: list[str] = []
        self._size = 0

    def write(self, text: str) -> None:
        self._held.append(text)
        self._size += len(text)
        if self._size >= self.PART_BYTES:
            self._deflate()

    def _deflate(self) -> None:
        self._parts.append(deflate("".join(self._held).encode("utf-8")))
        self._held, self._size = [], 0

    def packed(self) -> Parts:
        """What was written, to be stored in Files."""
        if self._held or not self._parts:
            self._deflate()
        return Parts(self._parts)


class Files(MutableMapping):
    """{output path: bytes}, each value deflated while held."""

    def __init__(self, files: Mapping[str, bytes] = ()) -> None:
        self._packed: dict[str, bytes] = {}
        self.update(files)

    def __getitem__(self, path: str) -> bytes:
        held = self._packed[path]
        if held is None:
            raise LookupError(f"'{path}' was written and its bytes let go (forget_bytes)")
        return held.inflate() if isinstance(held, Parts) else zlib.decompress(held)

    def __setitem__(self, path: str, data: bytes | Parts) -> None:
        self._packed[path] = data if isinstance(data, Parts) else deflate(data)

    def __delitem__(self, path: str) -> None:
        del self._packed[path]

    def __contains__(self, path: object) -> bool:
        return path in self._packed

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Files):
            return self._packed == other._packed
        return super().__eq__(other)

    def __repr__(self) -> str:
        return f"Files({len(self)} files)"

    def update(self, other=(), /, **more) -> None:
        """As dict.update; another Files' values are taken as they are, not inflated."""
        if isinstance(other, Files):
            self._packed.update(other._packed)
        else:
            super().update(other, **more)

    @classmethod
    def ordered(cls, paths: list[str], *found: Files) -> Files:
        """The files at `paths` that one of `found` holds (the first that does), in the order of
        `paths`, as they are held."""
        held: dict = {}
        for files in reversed(found):
            held.update(files._packed)
        made = cls()
        made._packed = {path: held[path] for path in paths if path in held}
        return made

    def take(self, path: str, other: Files) -> None:
        """`other`'s file at `path` as it is held there."""
        self._packed[path] = other._packed[path]

    def hold(self, path: str, held: bytes | Parts) -> None:
        """A file as another Files held it (`packed`): not deflated again."""
        self._packed[path] = held

    def packed(self, path: str) -> bytes | Parts | None:
        return self._packed.get(path)

    def forget_bytes(self) -> None:
        """Let go of every file's bytes, keeping its path: the files are written, and only their
        paths and number are asked for after (a build without memo, before Pagefind runs)."""
        self._packed = dict.fromkeys(self._packed)


def same(files: Mapping[str, bytes], other: Mapping[str, bytes], path: str) -> bool:
    """Whether `path` is the same in both (or in neither)."""
    if isinstance(files, Files) and isinstance(other, Files):
        return files.packed(path) == other.packed(path)
    return files.get(path) == other.get(path)


def differing(files: Mapping[str, bytes], other: Mapping[str, bytes]) -> list[str]:
    """The paths of `files` that are not the same in `other` (`same`), in the order of `files`:
    for two Files, their held values compared in one pass (most are the very same objects)."""
    if isinstance(files, Files) and isinstance(other, Files):
        before, now = other._packed, files._packed
        if len(before) == len(now) and list(before) == list(now):
            # the same paths in the same order (an edit that adds or removes no page): held
            # values compared place by place, no path hashed or looked up (24,000 at 10k facts)
            held_apart = map(operator.is_not, before.values(), now.values())
            return [path for path in itertools.compress(now, held_apart)
                    if before[path] != now[path]]
        return [path for path, held in now.items()
                if (was := before.get(path)) is not held and was != held]
    return [path for path in files if not same(files, other, path)]
