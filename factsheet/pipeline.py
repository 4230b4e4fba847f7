"""The one orchestrator: load → validate → resolve → render → write.

Owns: the order of the stages and the rule that nothing is written unless every stage before it
found no error. Each stage gets the same `Diagnostics`, so one run reports every problem at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import theme
from .errors import Diagnostics, Location, display_path
from .loader import load_content
from .render import render
from .resolve import resolve
from .validate import validate
from .write import WriteError, asset_files, publish


@dataclass(frozen=True)
class Paths:
    """Where a build reads and writes. The briefing and the site are the user's, relative to the
    current folder. The theme is the tool's (theme.default_theme, found beside the code);
    `templates` and `assets` are folders of the briefing's own that override it file by file,
    None for the `templates/` and `assets/` beside a folder named `content`, if any (theme.py)."""

    content: Path = Path("content")
    templates: Path | None = None
    assets: Path | None = None
    output: Path = Path("site")

    def template_folders(self) -> tuple[Path, ...]:
        """Where templates are looked for, first match wins: the override, then the built-in."""
        return theme.layered(self.templates, self.content, "templates", theme.default_theme()[0])

    def asset_folders(self) -> tuple[Path, ...]:
        """Where assets are looked for, first match wins: the override, then the built-in."""
        return theme.layered(self.assets, self.content, "assets", theme.default_theme()[1])

    def check_overrides(self, diagnostics: Diagnostics) -> None:
        """An override folder given by name that is not there: an error, not a silent fallback."""
        for kind, folder in (("templates", self.templates), ("assets", self.assets)):
            if folder is not None and not folder.is_dir():
                diagnostics.error(Location(display_path(folder)),
                                  f"{kind} folder not found", key="theme",
                                  hint=f"--{kind} names a folder of {kind} that replace or add "
                                       f"to the built-in ones; leave it out to use the built-in")


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


def _records(stage_input) -> int:
    """How many records a stage is given (for progress lines and -v timings)."""
    return sum(len(getattr(stage_input, name, ())) for name in
               ("entries", "sources", "entities", "facts", "pages"))


def build(paths: Paths, *, strict: bool = False, write: bool = True,
          progress: Callable[[str, int], None] | None = None) -> Result:
    """Check the briefing and, when it is clean and `write` is set, publish it to paths.output.

    Under `strict` warnings fail the build too, but stay warnings in the report. `progress`, if
    given, is called as each stage starts with its name ("load", "validate", "resolve", "render",
    "write") and how many records (files, for "write") it is given, then with ("done", files
    written): the time between two calls is the stage's."""
    tell = progress or (lambda stage, count: None)
    started = time.perf_counter()
    diagnostics = Diagnostics()
    result = Result(diagnostics, strict)
    tell("load", 0)
    raw = _stage(0, load_content, diagnostics, paths.content, paths.content)
    if raw is not None:
        tell("validate", _records(raw))
    content = raw and _stage(1, validate, diagnostics, paths.content, raw)
    if content is not None:
        tell("resolve", _records(content))
    site = content and _stage(2, resolve, diagnostics, paths.content, content)
    paths.check_overrides(diagnostics)
    if site is not None and not diagnostics.errors:
        tell("render", _records(site))
        templates = paths.template_folders()
        result.files = _stage(3, render, diagnostics, templates[0], site, templates) or {}
    if write and not diagnostics.failed(strict):
        try:
            files = {**asset_files(paths.asset_folders()), **result.files}
            tell("write", len(files))
            result.written = publish(files, paths.output)
        except WriteError as exc:
            diagnostics.error(Location(display_path(paths.output)), str(exc), key="output",
                              hint="the previous site is untouched; make the folder writable, "
                                   "free some space, or choose another --output")
    tell("done", result.written)
    result.seconds = time.perf_counter() - started
    return result
