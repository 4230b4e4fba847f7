"""Report: how a build's outcome is told to a person, by the command line and by `serve` alike.

Owns: the numbered list of diagnostics, the one summary line, and `print_report`, the only
place either is printed (problems and failures to stderr, success to stdout); how much is told
(`-q` errors only, `-v` stage timings) and whether in colour (on a terminal, unless `NO_COLOR`
is set or `--color never`; never when piped); the progress line of a long build.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .errors import ERROR, Diagnostic
from .pipeline import Result

QUIET, NORMAL, VERBOSE = -1, 0, 1


@dataclass
class Settings:
    """How reports are told, set once by the command line (`configure`)."""

    verbosity: int = NORMAL
    color: str = "auto"  # "auto" (a terminal, and no NO_COLOR), "always" or "never"


SETTINGS = Settings()


def configure(*, verbosity: int = NORMAL, color: str = "auto") -> None:
    SETTINGS.verbosity, SETTINGS.color = verbosity, color


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def use_color(stream: TextIO) -> bool:
    """Colour for this stream: `--color always`/`never` decide; otherwise only on a terminal,
    and not when NO_COLOR is set to anything (https://no-color.org) or TERM is dumb."""
    if SETTINGS.color != "auto":
        return SETTINGS.color == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


RED, YELLOW, GREEN, BOLD = "31", "33", "32", "1"


def paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color and text else text


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def shown(result: Result) -> list[Diagnostic]:
    """The diagnostics told at the current verbosity: under -q only what fails the build."""
    items = result.diagnostics.sorted()
    if SETTINGS.verbosity <= QUIET:
        items = [d for d in items if d.severity == ERROR or (result.strict and not result.ok)]
    return items


def diagnostic_text(item: Diagnostic, color: bool = False) -> str:
    """`Diagnostic.format()`, with its location in bold and its severity in red or yellow."""
    text = item.format()
    lead = f"{item.location}: {item.severity}"
    if not color or not text.startswith(lead):
        return text
    severity = paint(item.severity, f"{BOLD};{RED if item.severity == ERROR else YELLOW}", True)
    first, newline, rest = text[len(lead):].partition("\n")
    return (f"{paint(str(item.location), BOLD, True)}: {severity}{first}{newline}"
            + rest.replace("    hint:", paint("    hint:", BOLD, True), 1))


def problems(result: Result, color: bool = False) -> str:
    """Every diagnostic told, numbered, sorted by file and line; "" when there are none."""
    return "".join(f"{number}. {diagnostic_text(item, color)}\n"
                   for number, item in enumerate(shown(result), start=1))


def failure(result: Result) -> tuple[str, str]:
    """Why a build failed, for every place that says so: (" under --strict" where only
    warnings failed it, else ""; "N errors, M warnings")."""
    errors = len(result.diagnostics.errors)
    warnings = len(result.diagnostics.warnings)
    return ("" if errors else " under --strict",
            f"{plural(errors, 'error')}, {plural(warnings, 'warning')}")


def summary(result: Result, *, command: str, output: Path) -> str:
    """The one line that ends every build: pages written, warnings, seconds."""
    warnings = len(result.diagnostics.warnings)
    left_out = (f" ({plural(result.drafts_left_out, 'draft')} left out; {command} --drafts to "
                f"include them)" if result.drafts_left_out else "")
    if not result.ok:
        left = f"; {output}/ left as it was" if command != "check" else ""
        why, counts = failure(result)
        return f"Failed{why}: {counts}{left} ({result.seconds:.2f} s)."
    if command == "check":
        return (f"Checked: no errors, {plural(warnings, 'warning')}, "
                f"{plural(result.pages, 'page')} would be written ({result.seconds:.2f} s)"
                f"{left_out}.")
    return (f"Built {plural(result.pages, 'page')} into {output}/ with "
            f"{plural(warnings, 'warning')} in {result.seconds:.2f} s{left_out}.")


def print_report(result: Result, *, command: str, output: Path,
                 timings: Progress | None = None) -> None:
    """Problems to stderr; the summary to stdout on success, stderr on failure. Under -q
    nothing on success; under -v the stage timings (given `timings`) to stderr first."""
    print(problems(result, use_color(sys.stderr)), end="", file=sys.stderr)
    if result.cache and SETTINGS.verbosity >= VERBOSE:  # how the cache was used, or why not
        print(result.cache.strip(), file=sys.stderr)
    if timings is not None and SETTINGS.verbosity >= VERBOSE:
        print(timings.table(), file=sys.stderr, flush=True)
    if SETTINGS.verbosity <= QUIET and result.ok:
        return
    stream = sys.stdout if result.ok else sys.stderr
    line = summary(result, command=command, output=output)
    color = use_color(stream)
    if not result.ok:
        head, colon, rest = line.partition(":")
        line = paint(head, f"{BOLD};{RED}", color) + colon + rest
    else:
        line = paint(line, YELLOW if result.diagnostics.warnings else GREEN, color)
    print(line, flush=True, file=stream)
    if result.ok:  # once, after the summary: e.g. no base_url, so no feed (pipeline.py)
        for note in result.notes:
            print(note, flush=True)


STAGES = {"load": "reading the content", "validate": "validating {count}",
          "resolve": "resolving {count}", "render": "rendering {count}", "write": "writing {count}",
          "search": "indexing {count} for search", "cache": "looking for an earlier build"}


def counted(stage: str, count: int) -> str:
    """A count with its word: "10,061 records" ("files" for the write stage, "pages" for search)."""
    word = {"write": "file", "search": "page"}.get(stage, "record")
    return f"{count:,} {word}{'' if count == 1 else 's'}"


@dataclass
class Progress:
    """The pipeline's progress hook (`build(..., progress=Progress(...))`).

    Records when each stage starts, for the -v timings. When `live`, a line naming the stage,
    its count and the seconds so far is drawn once the build has run for `delay` seconds and
    redrawn in place (with a carriage return, no escape codes) until it ends, when it is wiped:
    only ever on a terminal, since piped output must stay clean."""

    stream: TextIO = field(default_factory=lambda: sys.stderr)
    live: bool = False
    verb: str = "Building"
    clock: Callable[[], float] = time.perf_counter
    delay: float = 1.0
    interval: float = 0.25
    stages: list[tuple[str, int, float]] = field(default_factory=list)  # name, count, start
    finished: float | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _drawn: int = 0
    _last: str = ""

    @classmethod
    def for_terminal(cls, stream: TextIO | None = None, verb: str = "Building") -> Progress:
        """Live on a terminal unless -q; silent (timings only) otherwise."""
        stream = stream if stream is not None else sys.stderr
        return cls(stream, live=SETTINGS.verbosity > QUIET and is_terminal(stream), verb=verb)

    def __call__(self, stage: str, count: int) -> None:
        now = self.clock()
        if stage == "done":
            self.finished = now
            self.close()
            return
        self.stages.append((stage, count, now))
        if self.live and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="factsheet-progress",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        while not self._stop.is_set():
            self._draw()
            self._stop.wait(self.interval)

    def line(self) -> str:
        stage, count, _ = self.stages[-1]
        elapsed = self.clock() - self.stages[0][2]
        doing = STAGES.get(stage, stage).format(count=counted(stage, count))
        return f"{self.verb}: {doing} … {elapsed:.0f} s"

    def _draw(self) -> None:
        text = self.line()
        if text == self._last:
            return
        self._last = text
        try:
            self.stream.write("\r" + text.ljust(self._drawn))
            self.stream.flush()
        except (OSError, ValueError):
            return
        self._drawn = max(self._drawn, len(text))

    def close(self) -> None:
        """Stop drawing and wipe the line; safe to call more than once."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        if self._drawn:
            try:
                self.stream.write("\r" + " " * self._drawn + "\r")
                self.stream.flush()
            except (OSError, ValueError):
                pass
            self._drawn = 0

    def durations(self) -> list[tuple[str, int, float]]:
        """(stage, count, seconds) of each stage that ran."""
        if not self.stages:
            return []
        ends = [start for _, _, start in self.stages[1:]]
        ends.append(self.finished if self.finished is not None else self.clock())
        return [(stage, count, end - start)
                for (stage, count, start), end in zip(self.stages, ends, strict=True)]

    def table(self) -> str:
        """The -v timings: one line per stage that ran."""
        rows = []
        for stage, count, seconds in self.durations():
            what = "" if stage in ("load", "cache") else counted(stage, count)
            rows.append(f"  {stage:<9} {seconds:7.3f} s  {what}".rstrip())
        return "Stages:\n" + "\n".join(rows)
