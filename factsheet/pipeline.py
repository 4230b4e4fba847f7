"""The one orchestrator: load → validate → resolve → render → write.

Owns: the order of the stages and the rule that nothing is written unless every stage before it
found no error. Each stage gets the same `Diagnostics`, so one run reports every problem at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Diagnostics, Location
from .loader import display_path, load_content
from .render import render
from .resolve import resolve
from .validate import validate
from .write import WriteError, asset_files, publish


@dataclass(frozen=True)
class Paths:
    """Where a build reads and writes. The briefing and the site are the user's, relative to the
    current folder; the templates and assets are the tool's, beside build.py unless given."""

    content: Path = Path("content")
    templates: Path = Path(__file__).resolve().parent.parent / "templates"
    assets: Path = Path(__file__).resolve().parent.parent / "assets"
    output: Path = Path("site")


@dataclass
class Result:
    diagnostics: Diagnostics
    strict: bool = False
    files: dict[str, bytes] = field(default_factory=dict)
    written: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.diagnostics.failed(self.strict)


INTERNAL_ERROR_HINT = ("a bug in the generator, not a mistake in the content; please report it "
                       "with the file that triggers it")


def internal_error(exc: BaseException, where: Path, doing: str = "building",
                   diagnostics: Diagnostics | None = None) -> Result:
    """An exception that escaped: a bug of ours or of a parser we call, told as one located
    error, never as a traceback. Returns a failed Result holding it."""
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    diagnostics.error(Location(display_path(where)),
                      f"internal error while {doing}: {type(exc).__name__}: {exc}",
                      key="internal", hint=INTERNAL_ERROR_HINT)
    return Result(diagnostics)


def _stage(number: int, step: Callable, diagnostics: Diagnostics, where: Path, *args):
    """Run one stage; an exception escaping it becomes one located error."""
    diagnostics.stage = number
    try:
        return step(*args, diagnostics)
    except (Exception, RecursionError) as exc:  # noqa: BLE001 - the stage boundary
        internal_error(exc, where, STAGE_NAMES[number], diagnostics)
        return None


STAGE_NAMES = ("reading the content", "checking records", "resolving references",
               "rendering pages")


def build(paths: Paths, *, strict: bool = False, write: bool = True) -> Result:
    """Check the briefing and, when it is clean and `write` is set, publish it to paths.output.

    Under `strict` warnings fail the build too, but stay warnings in the report."""
    started = time.perf_counter()
    diagnostics = Diagnostics()
    result = Result(diagnostics, strict)
    raw = _stage(0, load_content, diagnostics, paths.content, paths.content)
    content = raw and _stage(1, validate, diagnostics, paths.content, raw)
    site = content and _stage(2, resolve, diagnostics, paths.content, content)
    if site is not None and not diagnostics.errors:
        result.files = _stage(3, render, diagnostics, paths.templates, site,
                              paths.templates) or {}
    if write and not diagnostics.failed(strict):
        try:
            files = {**asset_files(paths.assets), **result.files}
            result.written = publish(files, paths.output)
        except WriteError as exc:
            diagnostics.error(Location(display_path(paths.output)), str(exc), key="output")
    result.seconds = time.perf_counter() - started
    return result
