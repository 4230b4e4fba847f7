"""Locations and diagnostics: how every stage reports a problem.

Owns: `Location` (file, line, column), `Diagnostic` (one error or warning with its key,
expectation, finding and hint), `Diagnostics` (the list a build collects), and `suggest`, the
"did you mean" helper. Imports nothing of ours, so every other module may import it.

A stage never raises on bad content: it records a diagnostic and carries on, so one build
reports every problem at once (MkDocs' and Zola's lesson).
"""

from __future__ import annotations

import difflib
import functools
import os
from dataclasses import dataclass, field
from typing import Iterable

ERROR = "error"
WARNING = "warning"


def display_path(path) -> str:
    """A path as messages show it (content and templates alike): relative to the working
    directory when inside it, else as given."""
    return _display_path(os.fspath(path), os.getcwd())


@functools.lru_cache(maxsize=1 << 16)
def _display_path(path: str, cwd: str) -> str:
    # kept: a rebuild shows the same few thousand paths again, and relpath is slow
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:  # another drive on Windows
        return path
    return rel if not rel.startswith("..") else path


def printable(text: str) -> str:
    """Text with every control character escaped (\\n, \\x1b…): a file name or key holding a
    newline or an ANSI escape must not forge a line of the report or colour the terminal."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char == " " else
                   repr(char)[1:-1] for char in text)


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """A place in a content file. Lines and columns count from 1; 0 means "whole file"."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{printable(self.path)}:{self.line}:{self.column or 1}"
        return printable(self.path)


@dataclass(frozen=True)
class Diagnostic:
    severity: str
    location: Location
    message: str
    key: str = ""
    hint: str = ""
    # A second place involved, e.g. the first definition of a duplicate id.
    related: Location | None = None
    # Which stage found it: problems found while reading and checking records come before
    # the broken references they may explain.
    stage: int = 0

    def __hash__(self) -> int:
        # Worked out once per object: a large briefing's thousands of warnings are the same
        # objects each rebuild (memo.py), each added again (Diagnostics.add hashes it). Not
        # pickled (__getstate__): a string's hash differs from one process to the next.
        found = self.__dict__.get("_hash")
        if found is None:
            found = hash((self.severity, self.location, self.message, self.key, self.hint,
                          self.related, self.stage))
            object.__setattr__(self, "_hash", found)
        return found

    def __getstate__(self) -> dict:
        return {name: value for name, value in self.__dict__.items() if name != "_hash"}

    def format(self) -> str:
        key = f" [{printable(self.key)}]" if self.key else ""
        text = f"{self.location}: {self.severity}{key}: {printable(self.message)}"
        if self.related is not None:
            text += f" (see {self.related})"
        if self.hint:
            text += f"\n    hint: {printable(self.hint)}"
        return text


@dataclass
class Diagnostics:
    """Everything one build found wrong, in the order found; sorted for output."""

    items: list[Diagnostic] = field(default_factory=list)
    stage: int = 0  # set by the pipeline as each stage begins
    _seen: set = field(default_factory=set, repr=False)
    # How many of the items are errors: a build asks whether there are any a dozen times, and
    # a large briefing's report is a thousand warnings and no error.
    _errors: int = field(default=0, repr=False)

    def error(self, location: Location, message: str, *, key: str = "", hint: str = "",
              related: Location | None = None) -> None:
        self.add(Diagnostic(ERROR, location, message, key, hint, related, self.stage))

    def warning(self, location: Location, message: str, *, key: str = "", hint: str = "",
                related: Location | None = None) -> None:
        self.add(Diagnostic(WARNING, location, message, key, hint, related, self.stage))

    def add(self, diagnostic: Diagnostic) -> None:
        """Record a problem once, however many paths lead to it."""
        if diagnostic not in self._seen:
            self._seen.add(diagnostic)
            self.items.append(diagnostic)
            self._errors += diagnostic.severity == ERROR

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == ERROR] if self._errors else []

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == WARNING]

    def sorted(self) -> list[Diagnostic]:
        """Root causes first (by stage), then by file and line; each problem once."""
        return sorted(self.items, key=lambda d: (d.stage, d.location, d.message))

    def failed(self, strict: bool = False) -> bool:
        """Whether the build fails: on any error, and under --strict on any warning too.
        Strict is a policy applied here; every message keeps its own severity."""
        return bool(self._errors or (strict and self.warnings))


def closest(word: str, candidates: Iterable[str]) -> str:
    """The candidate closest to `word`, or "" when nothing is close."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return matches[0] if matches else ""


def suggest(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest candidate, or "" when nothing is close."""
    match = closest(word, candidates)
    return f"did you mean '{match}'?" if match else ""
