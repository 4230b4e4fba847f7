"""Report: how a build's outcome is told to a person, by `build.py` and by `serve` alike.

Owns: the numbered list of diagnostics, the one summary line, and `print_report`, the only
place either is printed (problems and failures to stderr, success to stdout).
"""

from __future__ import annotations

import sys
from pathlib import Path

from .pipeline import Result


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def problems(result: Result) -> str:
    """Every diagnostic, numbered, sorted by file and line; "" when there are none."""
    return "".join(f"{number}. {item.format()}\n"
                   for number, item in enumerate(result.diagnostics.sorted(), start=1))


def summary(result: Result, *, command: str, output: Path) -> str:
    """The one line that ends every build: pages written, warnings, seconds."""
    errors = len(result.diagnostics.errors)
    warnings = len(result.diagnostics.warnings)
    if not result.ok:
        left = f"; {output}/ left as it was" if command != "check" else ""
        failed = "Failed" if errors else "Failed under --strict"
        return (f"{failed}: {plural(errors, 'error')}, {plural(warnings, 'warning')}{left} "
                f"({result.seconds:.2f} s).")
    if command == "check":
        return (f"Checked: no errors, {plural(warnings, 'warning')}, "
                f"{plural(len(result.files), 'page')} would be written ({result.seconds:.2f} s).")
    return (f"Built {plural(len(result.files), 'page')} into {output}/ with "
            f"{plural(warnings, 'warning')} in {result.seconds:.2f} s.")


def print_report(result: Result, *, command: str, output: Path) -> None:
    print(problems(result), end="", file=sys.stderr)
    print(summary(result, command=command, output=output), flush=True,
          file=sys.stdout if result.ok else sys.stderr)
