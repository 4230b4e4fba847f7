"""The one orchestrator: load → validate → resolve → render → write.

Owns: the order of the stages and the rule that nothing is written unless every stage before it
found no error. Each stage gets the same `Diagnostics`, so one run reports every problem at once.
Also what a build keeps on disk for the next one (cache.py stores it; `build(cache=True)`): the
report and the output's files when nothing has changed, else the Memo's results and the pages.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import itertools
import operator
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import cache as disk
from . import apart, search, theme
from .errors import Diagnostics, Location, display_path
from .depends import Rendered
from .memo import Memo
from .packed import Files, same
from .parallel import return_free_memory
from .write import MARKER, Ledger, WriteError, asset_files, publish, update


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

    def inputs(self) -> tuple[Path, ...]:
        """Every folder a build reads: the content, the templates, the assets."""
        return (self.content, *self.template_folders(), *self.asset_folders())

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
    files: Files = field(default_factory=Files)  # held deflated until written (packed.py)
    changed: list[str] = field(default_factory=list)  # the paths the write wrote or removed
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # said once after the summary, not warnings
    drafts_left_out: int = 0  # draft facts and entities this build left out (drafts.py)
    has_drafts: bool = False  # whether the content has any (left out or shown)
    cache: str = ""  # how the cache on disk was used (or why not), said under -v
    inputs: str = ""  # with the cache: the digest of the inputs the build read (cache.py)
    # The report of an earlier build given again (nothing changed since): `files` is empty and
    # this is how many pages that build made.
    replayed: int | None = None

    @property
    def ok(self) -> bool:
        return not self.diagnostics.failed(self.strict)

    @property
    def pages(self) -> int:
        """How many of the files are pages (the rest are data files: data/*.json …)."""
        if self.replayed is not None:
            return self.replayed
        # (in C: serve's log line asks after each rebuild, of 12,000 paths at 10,000 facts)
        return sum(map(str.endswith, self.files, itertools.repeat(".html")))


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
NO_BASE_URL = ("Note: no base_url (site.yaml or --base-url), so feed.xml, sitemap.xml and "
               "robots.txt are left out (they need absolute URLs).")


def _records(stage_input) -> int:
    """How many records a stage is given (for progress lines and -v timings)."""
    return sum(len(getattr(stage_input, name, ())) for name in
               ("entries", "sources", "entities", "facts", "pages"))


# Python's cycle collector, left at its defaults (a collection every 700 new objects, a full one
# each time the heap has grown a quarter), spends 2.5 s of a ten-thousand-fact build scanning the
# millions of objects that loading makes and keeps (nearly all of them in no cycle: 17 full
# collections freed nothing while the YAML was read). A build collects less often instead; the
# garbage left between collections is a few thousand objects at most.
BUILD_GC_THRESHOLDS = (10_000, 10, 10)


def collecting_less(function: Callable) -> Callable:
    """`function` run with BUILD_GC_THRESHOLDS, the process's own thresholds restored after."""
    @functools.wraps(function)
    def collecting_less(*args, **kwargs):
        before = gc.get_threshold()
        gc.set_threshold(*BUILD_GC_THRESHOLDS)
        try:
            return function(*args, **kwargs)
        finally:
            gc.set_threshold(*before)
    return collecting_less


@collecting_less
def build(paths: Paths, *, strict: bool = False, write: bool = True,
          progress: Callable[[str, int], None] | None = None,
          memo: Memo | None = None, search_index: bool = True,
          base_url: str | None = None, drafts: bool = False, cache: bool = False,
          statuses: Mapping[str, os.stat_result] | None = None,
          before_search: Callable[[Files, Path], None] | None = None) -> Result:
    """Check the briefing and, when it is clean and `write` is set, publish it to paths.output.

    Under `strict` warnings fail the build too, but stay warnings in the report. `progress`, if
    given, is called as each stage starts with its name ("load", "validate", "resolve", "render",
    "write", "search") and how many records (files, for "write"; pages, for "search") it is
    given, then with ("done", files written): the time between two calls is the stage's.
    `memo`, kept by a caller that builds again (serve), reuses what an earlier build parsed.
    Without `search_index` the pages are published without their search index (serve makes
    it in the background: search.reindex). `base_url` (checked by the caller, cli.py) replaces
    site.yaml's: the address is the deployment's, which a publishing workflow knows.
    With `drafts`, facts and entities marked `draft` are built, with a badge and a Drafts
    page; without, they are left out (drafts.py): an option that changes the output, like the
    content itself. With `cache`, the build reuses what the last build of this output
    left on disk (cached_build). `statuses`: the content files' stats, just taken by the
    caller's digest of the inputs (cached_build), for the load to list the files by.
    `before_search`, if given, is called with the files and the folder of the new site when
    they are written there and the search index is about to be made of them (cached_build's
    EarlyState: the state saved and the memo let go before Pagefind runs), and the files'
    bytes are let go then; not when no index is made."""
    if cache and write:
        return cached_build(paths, strict=strict, progress=progress, memo=memo,
                            search_index=search_index, base_url=base_url, drafts=drafts)
    tell = progress or (lambda stage, count: None)
    started = time.perf_counter()
    make = functools.partial(make_site, paths, strict=strict, memo=memo, base_url=base_url,
                             drafts=drafts, statuses=statuses)
    if memo is None and write and apart.wanted(paths.content):
        # a large cold build: the stages in a process that ends before publishing (apart.py)
        try:
            result = apart.made_apart(make, tell)
        except RuntimeError as exc:
            result = internal_error(exc, paths.content)
            result.strict = strict
    else:
        result = make(tell)
        if memo is None:  # (a memo keeps most of what the stages made, for the next build)
            give_back_memory()
    diagnostics = result.diagnostics
    if write and not diagnostics.failed(strict):
        try:
            files = with_assets(paths, result.files)
            tell("write", len(files))
            index = indexer(tell, result.pages) if search_index else None
            if memo is None and index is not None:  # nothing reads the bytes once written
                index = after_letting_go(index, files, result.files)
            elif before_search is not None and index is not None:
                index = after_calling(functools.partial(before_search, files),
                                      after_letting_go(index, files, result.files))
            result.changed = write_site(files, paths.output, memo, finish=index)
        except WriteError as exc:
            diagnostics.error(Location(display_path(paths.output)), str(exc), key="output",
                              hint="the previous site is untouched; make the folder writable, "
                                   "free some space, or choose another --output")
        except search.SearchError as exc:
            diagnostics.error(Location(display_path(paths.output)), str(exc), key="search",
                              hint=f"the previous site is untouched; {exc.hint}")
    tell("done", len(result.changed))
    if memo is not None:
        memo.finish_build()
    result.seconds = time.perf_counter() - started
    return result


def make_site(paths: Paths, tell: Callable[[str, int], None], *, strict: bool, memo: Memo | None,
              base_url: str | None, drafts: bool,
              statuses: Mapping[str, os.stat_result] | None = None) -> Result:
    """The stages before writing (load, validate, resolve, render, the exports, the feed): a
    Result holding the files made, or the problems found; `tell` told as build() says. What the
    files were made from is let go when it returns."""
    # The stages are imported when a build runs them: a build that finds nothing changed
    # (cached_build) answers without loading Jinja and the date and language libraries.
    from .drafts import leave_out
    from .exports import export_files
    from .feeds import feed_files
    from .loader import load_content
    from .render import render
    from .resolve import resolve
    from .validate import validate
    diagnostics = Diagnostics()
    result = Result(diagnostics, strict)
    tell("load", 0)
    raw = _stage(0, functools.partial(load_content, memo=memo, statuses=statuses), diagnostics,
                 paths.content, paths.content)
    if raw is not None:
        tell("validate", _records(raw))
    content = raw and _stage(1, functools.partial(validate, memo=memo), diagnostics,
                             paths.content, raw)
    del raw  # the parsed YAML and where each key sat: validate kept what later stages need
    if content is not None and content.config is not None and base_url:
        content = dataclasses.replace(
            content, config=dataclasses.replace(content.config, base_url=base_url))
    if content is not None:
        result.has_drafts = any(map(operator.attrgetter("draft"),
                                    itertools.chain(content.facts, content.entities)))
    if content is not None and not drafts:  # the one place drafts are dropped
        content = leave_out(content)
        result.drafts_left_out = len(content.left_out)
    if content is not None:
        tell("resolve", _records(content))
    site = content and _stage(2, functools.partial(resolve, memo=memo), diagnostics,
                              paths.content, content)
    paths.check_overrides(diagnostics)
    if site is not None and not diagnostics.errors:
        tell("render", _records(site))
        templates = paths.template_folders()
        result.files = _stage(3, functools.partial(render, memo=memo), diagnostics,
                              templates[0], site, templates) or Files()
        if not diagnostics.errors:  # the data files (exports.py), from the same site
            result.files.update(_stage(4, lambda site, _: export_files(site, memo), diagnostics,
                                       paths.content, site) or {})
        if not diagnostics.errors:  # feed.xml, sitemap.xml, robots.txt (feeds.py)
            result.files.update(_stage(5, lambda site, pages, _: feed_files(site, pages),
                                       diagnostics, paths.content, site, list(result.files))
                                or {})
            if not site.config.base_url:
                result.notes.append(NO_BASE_URL)
    return result


def give_back_memory(collect: bool = True) -> None:
    """Free what the stages left (the renderer holds the site in a cycle; without `collect`,
    only what is freed already) and give the free memory to the system before publishing, which
    the search indexer's processes need (0.4 GB each at 100,000 facts). What is freed amid what
    is kept stays the process's: Python's small objects are held in arenas given back only
    once empty."""
    if collect:
        gc.collect()
    return_free_memory()


def after_letting_go(finish: Callable[[Path, Path | None], None],
                     *written: Files) -> Callable[[Path, Path | None], None]:
    """`finish`, once the bytes of `written` (the files just staged) are let go and their
    memory given back: at 100,000 facts the deflated pages, 0.4 GB, while Pagefind runs."""
    def then(staging: Path, old: Path | None) -> None:
        for files in written:
            files.forget_bytes()
        give_back_memory(collect=False)  # (bytes hold no references: no cycle to collect)
        finish(staging, old)
    return then


def after_calling(first: Callable[[Path], None], finish: Callable[[Path, Path | None], None]
                  ) -> Callable[[Path, Path | None], None]:
    """`finish`, once `first` has been called with the new site's folder."""
    def then(staging: Path, old: Path | None) -> None:
        first(staging)
        finish(staging, old)
    return then


def with_assets(paths: Paths, files: Files) -> Files:
    """Everything a build publishes: the assets, then the files it made (taken as they are
    held, not inflated: packed.py)."""
    everything = Files(asset_files(paths.asset_folders()))
    everything.update(files)
    return everything


def write_site(files: Mapping[str, bytes], output: Path, memo: Memo | None,
               finish: Callable[[Path, Path | None], None] | None = None) -> list[str]:
    """Publish `files` to `output`, whole and atomically (write.publish). In a process that
    builds again (serve, with a memo, or a build from the cache), once the folder holds what
    the last build published, only what changed since is written (write.update), and the search
    index is left as it was: indexing again takes seconds at ten thousand facts, and a preview
    needs the pages first (serve indexes in the background). With `finish` (build: a published
    site's index must be of its pages), a page changed, or an index not known to be of the
    pages, publishes the site whole with a new index instead (its unchanged files linked from
    the old one: write.publish, and so are the index's shards whose pages did not change:
    search.index). Returns the paths written (or removed). The long files written are noted
    in the memo (write.Ledger), for the next write to copy their unchanged parts."""
    output = output.absolute()
    last = memo.carried.pop("published", None) if memo is not None else None
    ledger = memo.carried.setdefault("written", Ledger()) if memo is not None else None
    same_folder = last is not None and last[0] == output and (output / MARKER).is_file()
    if same_folder and finish is None:  # serve: the pages now, their index in the background
        written = update(files, last[1], output, ledger)
        # whether output's search index is still of its pages: no page written or removed
        indexed = last[2] and not any(path.endswith(".html") for path in written)
    elif same_folder and last[2] and not changed_pages(files, last[1]):
        written = update(files, last[1], output, ledger)  # the index is of these pages
        indexed = True
    else:
        # what the folder holds, when known: its unchanged files are linked, not written again
        held = last[1] if last is not None and last[0] == output else None
        written = publish(files, output, finish=finish, previous=held, ledger=ledger)
        indexed = finish is not None
    if memo is not None:  # not after a WriteError: the next build publishes whole again
        memo.carried["published"] = (output, files, indexed)
    return written


def changed_pages(files: Mapping[str, bytes], before: Mapping[str, bytes]) -> int:
    """How many HTML pages (what the search index is made of) differ from those of `before`,
    added and removed ones included."""
    pages = [path for path in files.keys() | before.keys() if path.endswith(".html")]
    return sum(not same(files, before, path) for path in pages)


def indexer(tell: Callable[[str, int], None], pages: int) -> Callable[[Path, Path | None], None]:
    """The last step of publishing: the search index of the new site, built in it before it is
    swapped in (search.py), reusing the old site's where its pages are the same, as the stage
    "search" of the progress hook."""
    def finish(staging: Path, old: Path | None) -> None:
        tell("search", pages)
        search.index(staging, old=old)
    return finish


# --- the cache on disk: what a build leaves for the next process (cache.py stores it) ----------

@dataclass
class BuildRecord:
    """A good build, as the next one checks it: when the inputs and the output folder are as
    they were, the next build has nothing to do but give the same report."""

    inputs: str  # cache.inputs_digest of the content, templates and assets it read
    output: dict  # cache.manifest of the output folder after it
    indexed: bool  # the output's search index is of its pages
    diagnostics: Diagnostics
    notes: list
    pages: int
    drafts_left_out: int = 0
    options: dict = field(default_factory=dict)  # build()'s options that change the output
    has_drafts: bool = False

    def same_output(self, options: dict) -> bool:
        """Whether a build with `options` makes the output this one made: the same options,
        `drafts` aside when the content has none."""
        def effective(given: dict) -> dict:
            given = {**OUTPUT_OPTIONS, **given}
            return {**given, "drafts": bool(given["drafts"] and self.has_drafts)}
        return effective(self.options) == effective(options)


@dataclass
class BuildState:
    """What a build parsed and rendered, for the next build to redo only what changed."""

    results: dict  # Memo.results()
    rendered: Rendered | None  # the pages and what each read (depends.py)
    published: dict  # the files written to the output …
    output: dict  # … and those files' cache.manifest entries, to check they are still there
    indexed: bool
    resolved: object = None  # the links resolve found (links.py), by which it checks again
    exported: object = None  # each record's line of the data files (exports.Exported)


OUTPUT_OPTIONS = {"base_url": None, "drafts": False}  # build()'s options that change the output
# The inputs' size up to which `build` keeps its state. Kept in memory, then pickled, what a
# build parsed and rendered takes about 55 times the size of its inputs at its peak (0.77 GB at
# 10,000 facts, 13.5 MiB of inputs; 7.3 GB at 100,000, 134 MiB), where a build without it takes
# 0.3 and 1.2 GB: up to the limit, about 1.4 GB. Above it, a build from the cache is a build
# without it, and only its record is kept, so that a build with nothing changed still does
# nothing.
STATE_LIMIT = 24 << 20


def cache_of(paths: Paths) -> disk.Cache:
    """The cache of paths.output, for builds of this code from these paths (messages show
    paths relative to the working folder, so it is part of the key). The options that change
    the output are not: what a build parsed and rendered is reused whatever they are (each
    step's key holds its inputs), and only a report is replayed for other options
    (BuildRecord.same_output)."""
    return disk.Cache(paths.output, disk.make_key({
        "cwd": os.getcwd(), "content": str(paths.content.absolute()),
        "output": str(paths.output.absolute())}))


def cached_build(paths: Paths, *, strict: bool, progress: Callable[[str, int], None] | None,
                 memo: Memo | None, search_index: bool, **options) -> Result:
    """build, using the cache on disk. A process's first build (an empty memo) looks for the
    last good build of this output: when its inputs and its output folder are unchanged, its
    report is given again and nothing is written; else what it parsed and rendered is loaded
    into the memo, so that only what changed is parsed, rendered and written. A good build with
    a memo of its own (not a caller's: serve saves with `remember` when it chooses) is saved.
    `options`: build()'s that change the output (base_url, drafts), part of the cache's key."""
    tell = progress or (lambda stage, count: None)
    started = time.perf_counter()
    tell("cache", 0)
    own = memo is None
    memo = Memo() if memo is None else memo
    fresh = not len(memo) and not memo.carried
    # The digest's stat of each file, for the load to list the content by: a stat each, not
    # two (2,100 at ten thousand facts). Taken before any file is read, as the load's own would
    # be; and the load then tells from the very stat the digest went by which files changed, so
    # a file saved meanwhile is new to both or to neither (read by the load after the digest,
    # if to both: the record then describes older inputs, and the next build builds again).
    statuses: dict[str, os.stat_result] = {}
    keeps_state = True  # whether this build keeps what it parsed and rendered for the next
    try:
        stored = cache_of(paths)
        inputs = disk.inputs_digest(paths.inputs(), memo.carried.setdefault("inputs", {}),
                                    statuses)
        size = sum(status.st_size for status in statuses.values()) if own else 0
        keeps_state = size <= STATE_LIMIT
        said = ""
        if fresh:
            record = stored.load("record", BuildRecord)
            if record is not None and record.inputs == inputs \
                    and record.same_output(options) and (record.indexed or not search_index) \
                    and record.output == disk.manifest(paths.output):
                result = Result(record.diagnostics, strict, notes=record.notes, inputs=inputs,
                                replayed=record.pages, drafts_left_out=record.drafts_left_out,
                                cache="Cache: nothing changed since the last build, which "
                                      f"{paths.output}/ still holds: nothing written")
                tell("done", 0)
                result.seconds = time.perf_counter() - started
                return result
            if keeps_state:
                said = restore(stored, memo, paths.output,
                               record is not None and record.inputs == inputs)
            else:
                stored.forget("state")  # (of a smaller briefing: nothing of it is used)
                said = (f"Cache: the inputs ({size / 2**20:.0f} MiB) are more than the "
                        f"{STATE_LIMIT >> 20} MiB up to which a build keeps what it parsed and "
                        "rendered (which takes about 55 times their size in memory): "
                        "building from scratch, keeping only the record of the build.")
    except Exception as exc:  # noqa: BLE001 - a problem with the cache is never the build's
        stored, inputs = None, ""
        said = f"Cache not used ({type(exc).__name__}: {exc}): building from scratch."
        if fresh:  # nothing half-restored is trusted
            memo.restore({})
            memo.carried.clear()
    # A memo of its own is kept by nobody after this build: its state is saved before the
    # search index is made, and let go, so that Pagefind's processes do not come on top of the
    # whole memo (0.6 GB at 10,000 facts). Over the limit, there is none: the build is one
    # without the cache (apart.py), and its record alone is kept.
    early = EarlyState(stored, memo) if own and keeps_state and stored is not None else None
    result = build(paths, strict=strict, progress=progress, memo=memo if keeps_state else None,
                   search_index=search_index, statuses=statuses, before_search=early, **options)
    result.inputs, result.cache = inputs, said
    if own and stored is not None and result.ok:
        if early is not None and early.why:
            result.cache += f" Cache not saved: {early.why}."
        elif early is None or early.saved:  # (a site published with its index, if any)
            result.cache += remember_record(paths, result, stored, search_index, options)
        else:
            result.cache += remember(paths, memo, result, stored, options)
    result.seconds = time.perf_counter() - started
    return result


def restore(stored: disk.Cache, memo: Memo, output: Path, same_inputs: bool = False) -> str:
    """Load the last build's state into an empty `memo`; returns the -v line saying so (or why
    the cache was not used, and the build runs from scratch)."""
    state = stored.load("state", BuildState)
    if state is None:
        return f"Cache not used ({stored.why}): building from scratch."
    memo.restore(state.results)
    if state.rendered is not None:
        memo.carried["render"] = state.rendered
    if state.resolved is not None:
        memo.carried["resolve"] = state.resolved
    if state.exported is not None:
        memo.carried["exports"] = state.exported
    now = disk.manifest(output)
    # The folder as that build left it: its files unchanged, and nothing else but the search
    # index (which serve remakes in place); anything more (a file added by hand, what an
    # interrupted indexer left) is removed by publishing whole, as a build without cache would.
    if all(now.get(path) == entry for path, entry in state.output.items()) and all(
            path in state.output or path.startswith(f"{search.BUNDLE}/") for path in now):
        memo.carried["published"] = (output.absolute(), state.published, state.indexed)
        where = f"only what changed is written to {output}/"
    else:
        where = f"{output}/ changed since, so it is written whole"
    why = "the output changed since" if same_inputs else "the content changed since"
    return f"Cache: {why} the last build; reusing what it parsed and rendered, {where}."


def remember(paths: Paths, memo: Memo, result: Result, stored: disk.Cache | None = None,
             options: dict | None = None) -> str:
    """Save a good build (the last one made with `memo`) for the next process; returns "" or the
    -v line saying why it could not be saved. Never raises."""
    published = memo.carried.get("published")
    output = paths.output.absolute()
    if not result.ok or not result.inputs or published is None or published[0] != output:
        return ""
    stored = stored or cache_of(paths)
    try:
        now = disk.manifest(output)
        state = state_of(memo.results(), memo, published[1], now, published[2])
    except Exception as exc:  # noqa: BLE001 - a cache that cannot be saved is no cache
        return f" Cache not saved: {type(exc).__name__}: {exc}."
    # The record goes last: a record is trusted only beside the state of the same build.
    stored.forget("record")
    if not stored.save("state", state):
        return f" Cache not saved: {stored.why}."
    return remember_record(paths, result, stored, published[2], options, now)


def remember_record(paths: Paths, result: Result, stored: disk.Cache, indexed: bool,
                    options: dict | None, manifest: dict | None = None) -> str:
    """Save the record of a good build that left the output folder holding `manifest` (taken
    now if not given), its search index of its pages if `indexed`: the next build with nothing
    changed replays it. Returns "" or the -v line saying why it could not be saved."""
    try:
        record = BuildRecord(
            result.inputs, manifest if manifest is not None else disk.manifest(
                paths.output.absolute()), indexed, result.diagnostics, list(result.notes),
            result.pages, result.drafts_left_out, {**OUTPUT_OPTIONS, **(options or {})},
            result.has_drafts)
    except Exception as exc:  # noqa: BLE001 - a cache that cannot be saved is no cache
        return f" Cache not saved: {type(exc).__name__}: {exc}."
    return "" if stored.save("record", record) else f" Cache not saved: {stored.why}."


def state_of(results: dict, memo: Memo, files: Files, manifest: dict, indexed: bool) -> BuildState:
    """The state of a build made with `memo` (its `results`) that published `files`, the output
    folder then holding the files of `manifest` (cache.manifest)."""
    written = {path: manifest.get(path) for path in (*files, MARKER)}
    return BuildState(results, memo.carried.get("render"), files, written, indexed,
                      memo.carried.get("resolve"), memo.carried.get("exports"))


class EarlyState:
    """build's `before_search` for a build with a memo of its own: the state saved while the
    new site (`files`) waits in `staging` for its search index, then the memo let go, which
    nothing else saves (the record is saved once the site is in place, and only beside this
    state: remember_record). The files keep their inodes and times when `staging` becomes the
    output, so its manifest is the output's. `saved` once it ran; `why`, if the state could
    not be saved."""

    def __init__(self, stored: disk.Cache, memo: Memo):
        self.stored, self.memo = stored, memo
        self.saved, self.why = False, ""

    def __call__(self, files: Files, staging: Path) -> None:
        try:
            state = state_of(self.memo.used(), self.memo, files, disk.manifest(staging), True)
            self.stored.forget("record")  # (the build before's, whose state this replaces)
            self.saved = self.stored.save("state", state)
            self.why = "" if self.saved else self.stored.why
        except Exception as exc:  # noqa: BLE001 - a cache that cannot be saved is no cache
            self.why = f"{type(exc).__name__}: {exc}"
        state = None
        self.memo.clear()
        give_back_memory()
