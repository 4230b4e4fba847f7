"""Load: content folder → raw records that remember where each key and value came from.

Owns: which folder holds which kind of record, in what order the content is loaded, what is
reported for a folder that cannot be read or a link leading out of the content folder (nothing
is loaded then), and the load's use of a memo: in a process that builds again, a file whose stat
is unchanged gives what the last load made of it. Files are listed and read by `contentfiles`,
their texts parsed into records by `rawrecords` (YAML by `yamlfile`: located, safe). Knows
nothing of what the records mean (that is `validate`) and renders nothing.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path

from .contentfiles import (NOT_KEPT, Texts, Unreadable, decode, inside_content, list_files,
                           newlines, read_bytes, read_text)
from .errors import Diagnostics, Location, display_path
from .memo import Memo
from .rawrecords import RawContent, RawFile, RawPage, parse_entries, parse_page
from .yamlfile import REPORTED, SITE_ROOT, parse_yaml


KINDS = ("sources", "entities", "facts")


def _load_entries(kind: str, path: str, raw: RawContent, diagnostics: Diagnostics,
                  memo: Memo | None, texts: Texts) -> None:
    parsed = texts.again(path, diagnostics)
    if parsed is NOT_KEPT:
        shown = display_path(path)
        text = texts.kept_text(path)
        if text is None:
            blob = read_bytes(Path(path), diagnostics)
            if blob is None:
                return
            text = decode(blob, shown, diagnostics)
            if text is None:  # reported; its ids stay known all the same
                raw.unparsed.append(
                    (kind, shown, newlines(blob.decode("utf-8", errors="replace"))))
                return
            texts.keep(path, text)
        # a hundred fact files, one edited: the others are not parsed again (nor their
        # entries gathered: the file is the same object as before); the one edited, item by
        # item where it was parsed without a problem before (rawrecords._items)
        before = texts.before(path)
        if not isinstance(before, RawFile) or before.entries is None:
            before = None
        parsed = texts.make(path, shown, "yaml", (kind, shown, text), functools.partial(
            parse_entries, kind, shown, text, before=before), diagnostics)
    if parsed is None:
        return
    if parsed.entries is None:
        raw.unparsed.append((kind, parsed.path, parsed.text))
    else:
        raw.files.append(parsed)


def _load_site(root: Path, raw: RawContent, diagnostics: Diagnostics) -> None:
    site_path = root / "site.yaml"
    raw.site_path = display_path(site_path)
    if not site_path.is_file():
        diagnostics.error(Location(raw.site_path), "site.yaml not found",
                          hint="create it with at least 'title:' and 'language:'")
        return
    text = read_text(site_path, diagnostics)
    if text is None:
        return
    site = parse_yaml(text, raw.site_path, diagnostics, shape=SITE_ROOT)
    if site is None:
        # Only comments, 'null' or '---': building would publish a site of assets alone.
        diagnostics.error(Location(raw.site_path, 1, 1),
                          "site.yaml is empty: expected a mapping with 'title:' and 'language:'",
                          hint="write 'title: …' and 'language: …' lines")
    elif site is not REPORTED:
        raw.site = site


def _load_page(path: str, raw: RawContent, diagnostics: Diagnostics,
               memo: Memo | None, texts: Texts) -> None:
    page = texts.again(path, diagnostics)
    if page is NOT_KEPT:
        shown = display_path(path)
        text = texts.read(path, diagnostics)
        if text is None:
            return
        slug = os.path.splitext(os.path.basename(path))[0]
        # a thousand pages, one edited: the others' front matter is not parsed again
        page = texts.make(path, shown, "page", (shown, text),
                          functools.partial(parse_page, shown, slug, text), diagnostics)
    if page is not None:
        raw.pages.append(page)


# The folders read, with the files each holds: (name, suffixes (any when empty), recursive).
# A page's slug is its file name, so pages live in pages/ itself, not below it.
_FOLDERS = (*((kind, (".yaml", ".yml"), True) for kind in KINDS),
            ("pages", (".md",), False), ("documents", (), True))


def _list_folders(root: Path, inside: Path, diagnostics: Diagnostics,
                  stats: dict[str, os.stat_result],
                  known: Mapping[str, os.stat_result] | None) -> dict[str, list[str]]:
    """{folder name: its files}; a folder that cannot be read is reported and listed empty."""
    listed = {}
    for name, suffixes, recursive in _FOLDERS:
        try:
            listed[name] = list_files(root / name, suffixes, recursive, inside, diagnostics,
                                      stats, known)
        except Unreadable as exc:
            folder = display_path(exc.folder) + "/"
            diagnostics.error(Location(folder), f"cannot read folder {folder}: {exc.reason}",
                              hint="check the folder's permissions")
    return listed


def load_content(root: Path, diagnostics: Diagnostics, memo: Memo | None = None,
                 statuses: Mapping[str, os.stat_result] | None = None) -> RawContent:
    """The content folder's files, read (in a process that builds again, only those whose stat
    changed: contentfiles.Texts). `statuses`: the files' stats as the caller just took them
    (cache.inputs_digest), used instead of taking them again."""
    raw = RawContent(root=root)
    if not root.is_dir():
        diagnostics.error(Location(display_path(root)), "content folder not found",
                          hint="run from the briefing's folder or pass --content PATH")
        return raw
    inside = root.resolve()
    # First what may be read at all: a folder that cannot be read, or a link leading out of
    # the content folder, is reported and nothing is loaded, since checking the rest would
    # only report again every reference to what those hold.
    errors_before = len(diagnostics.errors)
    stats: dict[str, os.stat_result] = {}
    listed = _list_folders(root, inside, diagnostics, stats, statuses)
    for name in ("site.yaml", "summary.md"):
        if (root / name).is_file():
            inside_content(root / name, inside, diagnostics)
    if len(diagnostics.errors) > errors_before:
        return raw

    _load_site(root, raw, diagnostics)
    texts = Texts(stats, memo)
    for kind in KINDS:
        for path in listed[kind]:
            _load_entries(kind, path, raw, diagnostics, memo, texts)

    summary_path = root / "summary.md"
    if summary_path.is_file():
        text = read_text(summary_path, diagnostics)
        if text is not None:
            raw.summary, raw.summary_path = text, display_path(summary_path)

    for path in listed["pages"]:
        _load_page(path, raw, diagnostics, memo, texts)

    below = len(str(root / "documents")) + 1
    for path in listed["documents"]:
        document = texts.again(path, diagnostics)
        if document is NOT_KEPT:
            text = texts.read(path, diagnostics)
            if text is None:
                continue
            # the last build's string when the text is the same: later steps keyed by a
            # document (quotes, its page's blocks) then compare it by identity, not char by char
            shown = display_path(path)
            document = texts.make(path, shown, "document", (shown, text),
                                  lambda _, text=text, shown=shown: (text, shown), diagnostics)
        name = path[below:].replace(os.sep, "/")
        raw.documents[name], raw.document_paths[name] = document
    texts.finish()
    return raw
