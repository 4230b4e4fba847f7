"""The one orchestrator: load → validate → resolve → render → write.

Owns: the order of the stages and the rule that nothing is written unless every stage before it
found no error. Each stage gets the same `Diagnostics`, so one run reports every problem at once.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import search, theme
from .errors import Diagnostics, Location, display_path
from .exports import export_files
from .feeds import feed_files
from .loader import load_content
from .memo import Memo
from .render import render
from .resolve import resolve
from .validate import validate
from .write import MARKER, WriteError, asset_files, publish, update


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
    notes: list[str] = field(default_factory=list)  # said once after the summary, not warnings

    @property
    def ok(self) -> bool:
        return not self.diagnostics.failed(self.strict)

    @property
    def pages(self) -> int:
        """How many of the files are pages (the rest are data files: data/*.json …)."""
        return sum(path.endswith(".html") for path in self.files)


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
               "rendering pages", "exporting data", "writing the feed and sitemap")
NO_BASE_URL = ("Note: site.yaml has no base_url, so feed.xml, sitemap.xml and robots.txt are "
               "left out (they need absolute URLs).")


def _records(stage_input) -> int:
    """How many records a stage is given (for progress lines and -v timings)."""
    return sum(len(getattr(stage_input, name, ())) for name in
               ("entries", "sources", "entities", "facts", "pages"))


def build(paths: Paths, *, strict: bool = False, write: bool = True,
          progress: Callable[[str, int], None] | None = None,
          memo: Memo | None = None, search_index: bool = True) -> Result:
    """Check the briefing and, when it is clean and `write` is set, publish it to paths.output.

    Under `strict` warnings fail the build too, but stay warnings in the report. `progress`, if
    given, is called as each stage starts with its name ("load", "validate", "resolve", "render",
    "write", "search") and how many records (files, for "write"; pages, for "search") it is
    given, then with ("done", files written): the time between two calls is the stage's.
    `memo`, kept by a caller that builds again (serve), reuses what an earlier build parsed.
    Without `search_index` the pages are published without their search index (serve makes
    it in the background: search.reindex)."""
    tell = progress or (lambda stage, count: None)
    started = time.perf_counter()
    diagnostics = Diagnostics()
    result = Result(diagnostics, strict)
    tell("load", 0)
    raw = _stage(0, functools.partial(load_content, memo=memo), diagnostics, paths.content,
                 paths.content)
    if raw is not None:
        tell("validate", _records(raw))
    content = raw and _stage(1, functools.partial(validate, memo=memo), diagnostics,
                             paths.content, raw)
    if content is not None:
        tell("resolve", _records(content))
    site = content and _stage(2, functools.partial(resolve, memo=memo), diagnostics,
                              paths.content, content)
    paths.check_overrides(diagnostics)
    if site is not None and not diagnostics.errors:
        tell("render", _records(site))
        templates = paths.template_folders()
        result.files = _stage(3, functools.partial(render, memo=memo), diagnostics,
                              templates[0], site, templates) or {}
        if not diagnostics.errors:  # the data files (exports.py), from the same site
            result.files.update(_stage(4, lambda site, _: export_files(site, memo), diagnostics,
                                       paths.content, site) or {})
        if not diagnostics.errors:  # feed.xml, sitemap.xml, robots.txt (feeds.py)
            result.files.update(_stage(5, lambda site, pages, _: feed_files(site, pages),
                                       diagnostics, paths.content, site, list(result.files))
                                or {})
            if not site.config.base_url:
                result.notes.append(NO_BASE_URL)
    if write and not diagnostics.failed(strict):
        try:
            files = {**asset_files(paths.asset_folders()), **result.files}
            tell("write", len(files))
            index = indexer(tell, result.pages) if search_index else None
            result.written = write_site(files, paths.output, memo, finish=index)
        except WriteError as exc:
            diagnostics.error(Location(display_path(paths.output)), str(exc), key="output",
                              hint="the previous site is untouched; make the folder writable, "
                                   "free some space, or choose another --output")
        except search.SearchError as exc:
            diagnostics.error(Location(display_path(paths.output)), str(exc), key="search",
                              hint=f"the previous site is untouched; {exc.hint}")
    tell("done", result.written)
    if memo is not None:
        memo.finish_build()
    result.seconds = time.perf_counter() - started
    return result


def write_site(files: dict[str, bytes], output: Path, memo: Memo | None,
               finish: Callable[[Path], None] | None = None) -> int:
    """Publish `files` to `output`, whole and atomically (write.publish). In a process that
    builds again (serve, with a memo), once it has published the folder it only writes what
    changed since (write.update), and leaves the search index as the last full publish made it:
    indexing again takes seconds at ten thousand facts, and a preview needs the pages first."""
    output = output.absolute()
    last = memo.carried.pop("published", None) if memo is not None else None
    if last is not None and last[0] == output and (output / MARKER).is_file():
        written = update(files, last[1], output)
    else:
        written = publish(files, output, finish=finish)
    if memo is not None:  # not after a WriteError: the next build publishes whole again
        memo.carried["published"] = (output, files)
    return written


def indexer(tell: Callable[[str, int], None], pages: int) -> Callable[[Path], None]:
    """The last step of publishing: the search index of the new site, built in it before it is
    swapped in (search.py), as the stage "search" of the progress hook."""
    def finish(staging: Path) -> None:
        tell("search", pages)
        search.index(staging)
    return finish
