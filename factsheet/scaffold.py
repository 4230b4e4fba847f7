"""Scaffold: `factsheet new DIR` writes a small, valid, documented starter briefing.

Owns: copying the starter (package data under factsheet/starter/: a README of next steps,
content/ with site.yaml, summary.md, one source and its fictional archived article, two
entities, three facts and one page) into a new or empty folder. DIR is the briefing's folder:
it holds content/, so `cd DIR && factsheet build` works with the default paths. It never writes
into a folder that has anything in it.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


class ScaffoldError(Exception):
    """The starter cannot be written there; the message says why."""


def starter() -> Traversable:
    """The starter briefing as shipped with the package (a folder in a checkout or install)."""
    return resources.files(__package__) / "starter"


def _files(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found = []
    for item in sorted(folder.iterdir(), key=lambda item: item.name):
        if item.name == "__pycache__":
            continue
        if item.is_dir():
            found += _files(item, f"{prefix}{item.name}/")
        else:
            found.append((prefix + item.name, item))
    return found


def starter_files() -> dict[str, bytes]:
    """{relative path: bytes} of every file of the starter briefing."""
    return {name: item.read_bytes() for name, item in _files(starter())}


def new_briefing(target: Path) -> list[str]:
    """Write the starter briefing into `target`, created if missing; the relative paths written.

    Raises ScaffoldError when target is a file, or a folder that is not empty (hidden files
    count: nothing the user has is ever overwritten or mixed in with)."""
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} is a file, not a folder")
    if target.is_dir():
        try:
            present = sorted(item.name for item in target.iterdir())
        except OSError as exc:
            raise ScaffoldError(f"cannot read {target}: {exc.strerror}") from None
        if present:
            shown = ", ".join(present[:3]) + (f" and {len(present) - 3} more"
                                               if len(present) > 3 else "")
            raise ScaffoldError(f"{target} is not empty (it holds {shown}); give a new or "
                                f"empty folder, nothing is written into one that has files")
    files = starter_files()
    try:
        for name, data in files.items():
            path = target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    except OSError as exc:
        raise ScaffoldError(f"cannot write {target}: {exc.strerror or exc}") from None
    return list(files)
