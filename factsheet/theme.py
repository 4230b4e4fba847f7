"""Theme: where the built-in templates and assets are, and which folders override them.

Owns: the one lookup of the default theme, and the rule for a briefing's own override folders.
The built-in theme is found relative to this code, never the current folder:

1. an installed copy, carried as package data beside this module (`INSTALLED`);
2. else a checkout of the repository: the top-level `templates/` and `assets/` beside the package.

A briefing overrides it file by file (as MkDocs's `custom_dir` does): a template in an override
folder replaces the built-in one of the same name and every other falls through to the built-in;
an asset in an override folder replaces the built-in one of the same path or is added to them.
The override folders are `--templates DIR` / `--assets DIR` when given; otherwise, for a content
folder named `content`, the `templates/` and `assets/` beside it when they exist (the layout of a
briefing project: content/, templates/, assets/, site/ in one folder). A content folder with any
other name gets no automatic overrides: its parent is not known to be a project of its own. A
folder that is the built-in theme itself (the repository's templates/ beside its content/) is no
override, so nothing is loaded twice.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# Where an installed package keeps the theme (package data). The one place to change if the
# packaging puts it elsewhere.
INSTALLED = PACKAGE / "default_theme"
REPOSITORY = PACKAGE.parent


def default_theme() -> tuple[Path, Path]:
    """(templates folder, assets folder) of the built-in theme: the installed copy beside the
    package first, then the repository's top level. When neither is there (a broken install),
    the repository's paths, so that the build's error names the template it could not find."""
    for root in (INSTALLED, REPOSITORY):
        if (root / "templates" / "base.html").is_file():
            return root / "templates", root / "assets"
    return REPOSITORY / "templates", REPOSITORY / "assets"


def same_folder(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def layered(override: Path | None, content: Path, kind: str, builtin: Path) -> tuple[Path, ...]:
    """The folders to search, first match wins: the override (given, or found beside a folder
    named `content`), then the built-in folder. `kind` is "templates" or "assets"."""
    if override is None and content.name == "content" and (content.parent / kind).is_dir():
        override = content.parent / kind
    if override is None or same_folder(override, builtin):
        return (builtin,)
    return (override, builtin)
