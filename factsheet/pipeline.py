"""The one orchestrator: load → validate → resolve → render → write.

Owns: the order of the stages and the rule that nothing is written unless every stage before it
found no error. Each stage gets the same `Diagnostics`, so one run reports every problem at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Diagnostics, Location
from .loader import load_content
from .render import render
from .resolve import resolve
from .validate import validate
from .write import WriteError, asset_files, publish


@dataclass(frozen=True)
class Paths:
    content: Path = Path("content")
    templates: Path = Path("templates")
    assets: Path = Path("assets")
    output: Path = Path("site")


@dataclass
class Result:
    diagnostics: Diagnostics
    files: dict[str, bytes] = field(default_factory=dict)
    written: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.diagnostics.errors


def build(paths: Paths, *, strict: bool = False, write: bool = True) -> Result:
    """Check the briefing and, when it is clean and `write` is set, publish it to paths.output."""
    started = time.perf_counter()
    diagnostics = Diagnostics()
    result = Result(diagnostics)
    site = resolve(validate(load_content(paths.content, diagnostics), diagnostics), diagnostics)
    if strict:
        diagnostics.promote_warnings()
    if site is not None and not diagnostics.errors:
        result.files = render(site, paths.templates, diagnostics)
    if write and not diagnostics.errors:
        try:
            files = {**asset_files(paths.assets), **result.files}
            result.written = publish(files, paths.output)
        except WriteError as exc:
            diagnostics.error(Location(str(paths.output)), str(exc), key="output")
    result.seconds = time.perf_counter() - started
    return result
