"""Raw records: what the load stage hands on, and a file's text parsed into it.

Owns: the raw record types (RawContent, RawFile, RawEntry, RawPage); a source, entity or fact
file's text → its entries (a list of entries saved again is parsed item by item where the file
parsed cleanly before: _items); a page's text → its front matter and Markdown body. YAML is
parsed by `yamlfile` (located, safe). Reads no files (that is `contentfiles`, and `loader` says
which) and knows nothing of what the records mean (that is `validate`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Diagnostics, Location
from .yamlfile import REPORTED, YamlList, YamlMap, empty_map, parse_yaml


@dataclass
class RawPage:
    path: str
    slug: str
    front: YamlMap
    body: str
    body_line: int  # line of the file on which the Markdown body starts
    text: str = field(default="", compare=False, repr=False)  # the file's, all it is made from


@dataclass
class RawEntry:
    """One mapping from sources/, entities/ or facts/."""

    kind: str  # "sources" | "entities" | "facts"
    data: YamlMap


@dataclass(frozen=True, eq=False)
class RawFile:
    """One file of sources/, entities/ or facts/, parsed: the same object from one build to the
    next while its text is (the memo's), so that later steps see at once that it is unchanged."""

    kind: str  # "sources" | "entities" | "facts"
    path: str  # as messages show it
    text: str  # what its entries were read from (validate's memoised steps are keyed by it)
    entries: tuple[YamlMap, ...] | None  # None: its YAML could not be parsed (reported)


@dataclass
class RawContent:
    root: Path
    site: YamlMap | None = None
    site_path: str = ""
    # each sources/entities/facts file whose YAML was parsed, in the order read
    files: list[RawFile] = field(default_factory=list)
    pages: list[RawPage] = field(default_factory=list)
    summary: str = ""  # content/summary.md: Markdown for the home page, no front matter
    summary_path: str = ""
    # documents/<name> → text; names use "/" whatever the platform.
    documents: dict[str, str] = field(default_factory=dict)
    # document name → file path shown in messages
    document_paths: dict[str, str] = field(default_factory=dict)
    # (kind, path, text) of each sources/entities/facts file whose YAML failed (already
    # reported): validate finds the ids in it, so references to them are not reported again.
    unparsed: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def entries(self) -> _Entries:
        """Every entry of every file, in the order read."""
        return _Entries(self.files)


class _Entries(Sequence):
    """The entries of parsed files as one list, counted without a step per entry."""

    def __init__(self, files: list[RawFile]):
        self.files = files

    def __len__(self) -> int:
        return sum(len(file.entries) for file in self.files)

    def __getitem__(self, index):
        return [RawEntry(file.kind, data) for file in self.files for data in file.entries][index]


# --- parsing ------------------------------------------------------------------------------

def parse_entries(kind: str, shown: str, text: str, diagnostics: Diagnostics,
                  before: RawFile | None = None) -> RawFile | None:
    """One file's entries (None for an empty file, after a warning). With `before`, what the
    same file held before (parsed without a problem), a list of entries is parsed item by item
    and the items as they were, on the same lines, are taken from it (_items)."""
    if before is not None:
        entries = _items(shown, text, before)
        if entries is not None:
            return RawFile(kind, shown, text, entries)
    data = parse_yaml(text, shown, diagnostics)
    if data is REPORTED:
        return RawFile(kind, shown, text, None)
    if data is None:
        diagnostics.warning(Location(shown), "file is empty",
                            hint="add an entry, or delete the file")
        return None
    what = "entity" if kind == "entities" else kind[:-1]
    items = data if isinstance(data, YamlList) else [data]
    entries = []
    for index, item in enumerate(items):
        if isinstance(item, YamlMap):
            entries.append(item)
        else:  # only a list's items can be other than a mapping
            diagnostics.error(data.item_locations[index],
                              f"expected a mapping of keys (one {what}), "
                              f"found {type(item).__name__}",
                              hint="each entry is a mapping such as 'id: ...'; "
                                   "a file holds one entry or a list of them")
    return RawFile(kind, shown, text, tuple(entries))


# A line that starts an item of a list at the top of a file (after a line break: the first
# line is looked at alone); what makes a text more than one list of items (document markers,
# directives, each at the start of a line), or counts lines otherwise than by '\n'. Each
# found by a search that skips to its first characters (a pattern starting with '^' under
# re.MULTILINE, or a choice with a set of characters, is tried at every character: 1.3 ms
# for a file of a hundred facts, against 0.03).
_ITEM = re.compile(r"\n-(?=[ \t\n]|\Z)")
_FIRST_ITEM = re.compile(r"-(?=[ \t\n]|\Z)")
_MARKERS = ("---", "...", "%")
_LINE_MARKER = re.compile(r"\n(?:---|\.\.\.|%)")
_OTHER_BREAKS = "\x85\u2028\u2029"


def _item_spans(text: str) -> list[tuple[int, int, int]] | None:
    """(start, end, lines before it) of each item of a file that is one list of items at the
    top (before the first, only comments and blank lines); None for any other file."""
    starts = [0] if _FIRST_ITEM.match(text) else []
    starts += [match.start() + 1 for match in _ITEM.finditer(text)]
    if not starts or text.startswith(_MARKERS) or _LINE_MARKER.search(text) or any(
            character in text for character in _OTHER_BREAKS) or any(
            line.strip() and not line.lstrip().startswith("#")
            for line in text[:starts[0]].split("\n")):
        return None
    spans, line = [], text.count("\n", 0, starts[0])
    for start, end in zip(starts, [*starts[1:], len(text)]):
        spans.append((start, end, line))
        line += text.count("\n", start, end)
    return spans


def _items(shown: str, text: str, before: RawFile) -> tuple[YamlMap, ...] | None:
    """A list of entries parsed item by item: an item whose lines are those of an item of
    `before` and start on the same line is that item's mapping (the same object); the others are
    parsed alone, placed by the lines before them. None (parse the file whole) when the text is
    not one list of mappings, or an item alone has any problem: its message is the whole file's.
    A file saved with one of a hundred facts edited is parsed a hundredth of it, and validate
    finds the others' mappings as they were."""
    spans, held = _item_spans(text), _item_spans(before.text)
    if spans is None or held is None or before.entries is None or \
            len(held) != len(before.entries):
        return None
    kept = {(before.text[start:end], line): data
            for (start, end, line), data in zip(held, before.entries)
            if data.location.line == line + 1}
    entries = []
    for start, end, line in spans:
        item = text[start:end]
        data = kept.get((item, line))
        if data is None:
            found = Diagnostics()
            parsed = parse_yaml(item, shown, found, line_offset=line)
            if found.items or not isinstance(parsed, YamlList) or len(parsed) != 1 or \
                    not isinstance(parsed[0], YamlMap):
                return None
            data = parsed[0]
        entries.append(data)
    return tuple(entries)


def split_front_matter(text: str, path: str, diagnostics: Diagnostics):
    """Split '---' front matter from a Markdown body → (front text, body, body start line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        diagnostics.error(Location(path, 1, 1), "page has no front matter",
                          hint="start the file with '---', a 'title:' line, and '---'")
        return None, text, 1
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in ("---", "..."):
            return "".join(lines[1:number - 1]), "".join(lines[number:]), number + 1
    diagnostics.error(Location(path, 1, 1), "front matter is not closed",
                      hint="end the front matter with a line holding only '---'")
    return None, text, 1


def parse_page(shown: str, slug: str, text: str, diagnostics: Diagnostics) -> RawPage | None:
    """A page's front matter and body (None after a message when its front matter is missing or
    its YAML failed)."""
    front_text, body, body_line = split_front_matter(text, shown, diagnostics)
    if front_text is None:
        return None
    front = parse_yaml(front_text, shown, diagnostics, line_offset=1, shape=None)
    if front is REPORTED:
        return None
    if not isinstance(front, YamlMap):
        # Empty, null, or not 'key: value' lines: an empty mapping, so that the validator
        # reports the missing title once and the page's citations still count.
        front = empty_map(Location(shown, 2, 1))
    return RawPage(shown, slug, front, body, body_line, text)
