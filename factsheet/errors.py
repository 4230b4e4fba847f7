"""Locations and diagnostics: how every stage reports a problem.

Owns: `Location` (file, line, column), `Diagnostic` (one error or warning with its key,
expectation, finding and hint), `Diagnostics` (the list a build collects), and `suggest`, the
"did you mean" helper. Imports nothing of ours, so every other module may import it.

A stage never raises on bad content: it records a diagnostic and carries on, so one build
reports every problem at once (MkDocs' and Zola's lesson).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a content file. Lines and columns count from 1; 0 means "whole file"."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column or 1}"
        return self.path


@dataclass(frozen=True)
class Diagnostic:
    severity: str
    location: Location
    message: str
    key: str = ""
    hint: str = ""
    # A second place involved, e.g. the first definition of a duplicate id.
    related: Location | None = None

    def format(self) -> str:
        key = f" [{self.key}]" if self.key else ""
        text = f"{self.location}: {self.severity}{key}: {self.message}"
        if self.related is not None:
            text += f" (see {self.related})"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


@dataclass
class Diagnostics:
    """Everything one build found wrong, in the order found; sorted for output."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, location: Location, message: str, *, key: str = "", hint: str = "",
              related: Location | None = None) -> None:
        self.items.append(Diagnostic(ERROR, location, message, key, hint, related))

    def warning(self, location: Location, message: str, *, key: str = "", hint: str = "",
                related: Location | None = None) -> None:
        self.items.append(Diagnostic(WARNING, location, message, key, hint, related))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.location, d.message))

    def promote_warnings(self) -> None:
        """Strict mode: every warning becomes an error."""
        self.items = [Diagnostic(ERROR, d.location, d.message, d.key, d.hint, d.related)
                      for d in self.items]


def suggest(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest candidate, or "" when nothing is close."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""
