"""Memo: results of pure steps kept from one build to the next, keyed by their inputs.

Owns: reuse across the builds of one process (`serve`). Parsing a YAML file, parsing a page's
Markdown and folding a document for quote matching are pure functions of their text, and most
of a rebuild's input is unchanged: a 10,000-fact briefing has a hundred fact files and a thousand
pages and documents, and an edit touches one. A step's problems are kept with its result and
reported again on every build that reuses it, so a memoised build reports exactly what a fresh
one does.

A new process starts from what an earlier one kept on disk (pipeline.py, cache.py): keys hold
every input of their step, so a result is valid in any process running the same code.

Only what the last build used is kept: a file that is edited or removed stops holding memory.
Stages take the memo as an optional argument; without one they compute everything.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from .errors import Diagnostics

T = TypeVar("T")
_MISSING = object()


class Memo:
    def __init__(self) -> None:
        self._last: dict = {}  # what the previous build used
        self._this: dict = {}  # what this build has used so far
        # What a stage hands to its next run besides pure results (render.py: the last good
        # build's pages and what each read).
        self.carried: dict = {}

    def get(self, step: str, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, or its result from this build or the last for the same step and key.
        The key must hold every input of the step: equal keys, equal results. A key that
        cannot be hashed (it holds a dict) is not kept: `compute()` every time."""
        full = (step, key)
        try:
            value = self._this.get(full, _MISSING)
        except TypeError:  # a key holding a mutable value (a record's free-form `extra:`)
            return compute()  # is not kept: computed every time, as without a memo
        if value is _MISSING:
            value = self._last.get(full, _MISSING)
            if value is _MISSING:
                value = compute()
            self._this[full] = value
        return value

    def reported(self, step: str, key: Hashable, compute: Callable[[Diagnostics], T],
                 diagnostics: Diagnostics) -> T:
        """Like `get`, for a step that reports problems: they are kept with its result and
        added to `diagnostics` each time the result is used."""
        def run() -> tuple[T, tuple]:
            found = Diagnostics()
            found.stage = diagnostics.stage
            return compute(found), tuple(found.items)
        value, problems = self.get(step, key, run)
        for problem in problems:
            diagnostics.add(problem)
        return value

    def keep(self, step: str, key: Hashable) -> None:
        """Keep the last build's result for (step, key) as used by this build, without looking
        it up: for a step run inside another whose result was kept (its inner results stay for
        when the outer one is computed again)."""
        full = (step, key)
        if full not in self._this and full in self._last:
            self._this[full] = self._last[full]

    def finish_build(self) -> None:
        """The build is over: keep what it used, drop the rest."""
        self._last, self._this = self._this, {}

    def results(self) -> dict:
        """What the last build used, to be kept beyond this process (cache.py)."""
        return self._last

    def used(self) -> dict:
        """What this build has used so far: its results() once every stage has run, for a
        build that saves them before it ends (pipeline.py)."""
        return self._this

    def clear(self) -> None:
        """Forget everything, the carried values too (their memory is given back: the process
        builds no more)."""
        self._last, self._this = {}, {}
        self.carried.clear()

    def restore(self, results: dict) -> None:
        """Take `results` (of `results()`, kept by an earlier process) as the last build's."""
        self._last = results

    def __len__(self) -> int:
        return len(self._last) + len(self._this)


class Key:
    """A memo key hashed once: a step keyed by deep values (a fact and what was resolved for
    it) is looked up two or three times a build, and a tuple hashes its items again each time.
    Equal when the values are equal; a value that cannot be hashed gives a key that cannot
    either (Memo.get then computes without keeping). With `by`, the hash is that of `by`
    alone, a part of the value that equal values share (a record's id): hashing a whole record
    again each build is most of the cost of looking it up, and few keys share an id."""

    __slots__ = ("value", "_hash", "_by")

    def __init__(self, value: Hashable, by: Hashable = _MISSING) -> None:
        self.value, self._by = value, by
        try:
            self._hash: int | None = hash(value if by is _MISSING else by)
        except TypeError:
            self._hash = None

    def __hash__(self) -> int:
        if self._hash is None:
            raise TypeError(f"unhashable memo key: {type(self.value).__name__}")
        return self._hash

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, Key) and self._hash == other._hash
                                 and (self.value is other.value or self.value == other.value))

    def __reduce__(self):
        # Kept on disk (cache.py) and read by another process, whose string hashes differ:
        # the hash is made again there, not carried over.
        return Key, (self.value,) if self._by is _MISSING else (self.value, self._by)


def memoised(memo: Memo | None, step: str, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` through `memo` when there is one."""
    return compute() if memo is None else memo.get(step, key, compute)
