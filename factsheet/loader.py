"""Load: content folder → raw records that remember where each key and value came from.

Owns: reading files (only from inside the content folder, skipping hidden and editor files;
one message for a folder that cannot be read), decoding them, front matter, and which folder
holds which kind of record; in a process that builds again, which files to read again (those
whose stat changed: _Texts). YAML is parsed by `yamlfile` (located, safe). Knows nothing of what
the records mean (that is `validate`) and renders nothing.
"""

from __future__ import annotations

import functools
import operator
import os
import re
import stat
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Diagnostics, Location, display_path
from .memo import Memo
from .stamps import stamp, unchanged
from .yamlfile import REPORTED, SITE_ROOT, YamlList, YamlMap, empty_map, parse_yaml

__all__ = ["RawContent", "RawEntry", "RawPage", "YamlList", "YamlMap", "display_path",
           "load_content"]

KINDS = ("sources", "entities", "facts")


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


# --- files --------------------------------------------------------------------------------

def _ignored(name: str) -> bool:
    """Hidden and editor files (.DS_Store, .#x, x~, x.swp, #x#), which are never content."""
    return (name.startswith(".") or name.endswith(("~", ".swp", ".swo", ".tmp"))
            or (len(name) > 1 and name.startswith("#") and name.endswith("#")))


def read_text(path: Path, diagnostics: Diagnostics) -> str | None:
    """A file's text (UTF-8, a BOM dropped, line ends made '\\n'), or None after a message."""
    data = _read_bytes(path, diagnostics)
    return None if data is None else _decode(data, display_path(path), diagnostics)


def _read_bytes(path: Path, diagnostics: Diagnostics) -> bytes | None:
    try:
        return path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    except OSError as exc:
        diagnostics.error(Location(display_path(path)),
                          f"cannot read file: {exc.strerror or exc}")
        return None


def _decode(data: bytes, shown: str, diagnostics: Diagnostics) -> str | None:
    try:
        return _newlines(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        before = _newlines(data[:exc.start].decode("utf-8"))  # valid up to the first bad byte
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        diagnostics.error(Location(shown, line, column),
                          f"file is not valid UTF-8 (byte 0x{data[exc.start]:02X})",
                          hint="save the file as UTF-8")
        return None


def _newlines(text: str) -> str:
    """Line ends as Python's text mode reads them."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _Unreadable(Exception):
    def __init__(self, folder: Path, reason: str):
        super().__init__(reason)
        self.folder, self.reason = folder, reason


def _list_files(folder: Path, suffixes: tuple[str, ...], recursive: bool, inside: Path,
                diagnostics: Diagnostics, stats: dict[str, os.stat_result]) -> list[str]:
    """Regular files under folder with one of suffixes (any when empty), sorted; hidden and
    editor files skipped. A link leading outside the content folder (`inside`) is refused with
    an error, so content cannot make a build read, and publish, the builder's own files.
    Each file's stat (links followed) goes into `stats`. Paths are strings: a rebuild lists
    the two thousand files of a 10,000-fact briefing again, and a Path each costs more than
    their stat.
    Raises _Unreadable for a folder that cannot be listed or entered."""
    if not folder.is_dir():
        if folder.is_symlink():  # a folder that is a dangling link is content lost, not absent
            raise _Unreadable(folder, "it is a link that leads nowhere")
        if folder.exists():
            raise _Unreadable(folder, "it is a file, not a folder")
        return []
    if not _inside(folder, inside, diagnostics):
        return []
    found: list[tuple[str, str]] = []  # (path below folder, with "/"; path)
    pending, seen = [(str(folder), "")], set()
    while pending:
        current, below = pending.pop()
        real = os.path.realpath(current)
        if real in seen:  # a link back to a folder already read
            continue
        seen.add(real)
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=operator.attrgetter("name"))
        except OSError as exc:
            raise _Unreadable(Path(current), exc.strerror or str(exc)) from None
        for entry in entries:
            path, name = entry.path, entry.name
            dot = name.rfind(".")
            suffix = name[dot:] if 0 < dot < len(name) - 1 else ""  # as Path.suffix
            wanted = not suffixes or suffix in suffixes
            if _ignored(name) or (entry.is_symlink() and (wanted or recursive)
                                  and not _inside(Path(path), inside, diagnostics)):
                continue
            try:
                status = entry.stat()  # follows links
                mode = status.st_mode
            except PermissionError as exc:  # the folder can be listed but not entered
                raise _Unreadable(Path(current), exc.strerror or str(exc)) from None
            except OSError:  # a broken link: an error where it would have been content
                if wanted and not recursive or wanted and suffix:
                    diagnostics.error(Location(display_path(path)),
                                      "cannot read file: it is a link that leads nowhere",
                                      hint="restore the file it points to, or remove the link")
                continue
            if recursive and stat.S_ISDIR(mode):
                pending.append((path, f"{below}{name}/"))
            elif wanted and stat.S_ISREG(mode):
                found.append((below + name, path))
                stats[path] = status
    found.sort()
    return [path for _, path in found]


def _inside(path: Path, inside: Path, diagnostics: Diagnostics) -> bool:
    """Whether path really lies in the content folder (`inside`); a link leading out is
    refused with an error."""
    if path.resolve().is_relative_to(inside):
        return True
    diagnostics.error(Location(display_path(path)),
                      "refused: this link leads outside the content folder",
                      hint="copy the file into the content folder instead")
    return False


@dataclass(slots=True)
class _Read:
    """What a load read of one file, and what it made of its text."""

    stamp: tuple  # stamps.stamp of the file when read
    text: str
    read_ns: int  # when
    shown: str = ""  # how messages show its path
    step: str = ""  # the memo's step that made `made` from the text ("" none yet), by `key`
    key: Hashable = None
    made: object = None
    problems: tuple = ()  # what that step reported


_NOTHING = object()  # (no result held)


class _Texts:
    """The listed files' texts, each read or, in a process that builds again (a memo), kept from
    the last load: a rebuild after one save reads that file alone, not the two thousand others
    of a 10,000-fact briefing, and the memo then finds their steps by the same string (compared
    by identity, its hash already made). A kept text is used when the file's stat (inode, size,
    modification and change times) is the one it had when read, and it had not changed just
    before that read (stamps.py). Whatever told of the change (or missed it: a save while serve
    was not watching, saves that came together), the stat says it. What the load made of a
    kept text (`again`) is kept too: an unchanged file then costs its stat and little more."""

    def __init__(self, stats: dict[str, os.stat_result], memo: Memo | None):
        self.stats, self.memo = stats, memo
        self.last: dict[str, _Read] = memo.carried.get("load", {}) if memo is not None else {}
        self.kept: dict[str, _Read] = {}
        self.now = time.time_ns()
        # how a path is shown depends on the working folder (errors.display_path)
        self.cwd = os.getcwd()
        self.same_cwd = memo is not None and memo.carried.get("load cwd") == self.cwd

    def kept_read(self, path: str) -> _Read | None:
        """The last load's reading of path, if the file is as it was then."""
        last, status = self.last.get(path), self.stats.get(path)
        if last is None or not unchanged(status, last.stamp, last.read_ns):
            return None
        self.kept[path] = last
        return last

    def kept_text(self, path: str) -> str | None:
        """The last load's text of path, if the file is as it was then."""
        last = self.kept_read(path)
        return None if last is None else last.text

    def again(self, path: str, diagnostics: Diagnostics):
        """What the last load made of path (its memo entry kept, its problems told again), if
        the file is as it was then; else _NOTHING."""
        last = self.kept_read(path)
        if last is None or not last.step or not self.same_cwd:
            return _NOTHING
        self.memo.keep(last.step, last.key)
        for problem in last.problems:
            diagnostics.add(problem)
        return last.made

    def make(self, path: str, shown: str, step: str, key: Hashable,
             compute: Callable[[Diagnostics], object], diagnostics: Diagnostics):
        """memo.reported(step, key, compute), kept with the file's text for `again`."""
        if self.memo is None:
            return compute(diagnostics)
        found = Diagnostics(stage=diagnostics.stage)
        made = self.memo.reported(step, key, compute, found)
        for problem in found.items:
            diagnostics.add(problem)
        read = self.kept.get(path)
        if read is not None:
            self.kept[path] = _Read(read.stamp, read.text, read.read_ns, shown, step, key, made,
                                    tuple(found.items))
        return made

    def before(self, path: str) -> RawFile | None:
        """The file the last load made of path (changed since), if it made one without a
        problem."""
        last = self.last.get(path)
        made = last.made if last is not None and not last.problems else None
        return made if isinstance(made, RawFile) and made.entries is not None else None

    def keep(self, path: str, text: str) -> None:
        status = self.stats.get(path)
        if self.memo is not None and status is not None:
            self.kept[path] = _Read(stamp(status), text, self.now)

    def read(self, path: str, diagnostics: Diagnostics) -> str | None:
        """read_text, or the kept text."""
        text = self.kept_text(path)
        if text is None:
            text = read_text(Path(path), diagnostics)
            if text is not None:
                self.keep(path, text)
        return text

    def finish(self) -> None:
        if self.memo is not None:  # only the files this load listed: a removed one is let go
            self.memo.carried["load"] = self.kept
            self.memo.carried["load cwd"] = self.cwd


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


# --- content ------------------------------------------------------------------------------

def _load_entries(kind: str, path: str, raw: RawContent, diagnostics: Diagnostics,
                  memo: Memo | None, texts: _Texts) -> None:
    parsed = texts.again(path, diagnostics)
    if parsed is _NOTHING:
        shown = display_path(path)
        text = texts.kept_text(path)
        if text is None:
            blob = _read_bytes(Path(path), diagnostics)
            if blob is None:
                return
            text = _decode(blob, shown, diagnostics)
            if text is None:  # reported; its ids stay known all the same
                raw.unparsed.append(
                    (kind, shown, _newlines(blob.decode("utf-8", errors="replace"))))
                return
            texts.keep(path, text)
        # a hundred fact files, one edited: the others are not parsed again (nor their
        # entries gathered: the file is the same object as before); the one edited, item by
        # item where it was parsed without a problem before (_items)
        parsed = texts.make(path, shown, "yaml", (kind, shown, text), functools.partial(
            _parse_entries, kind, shown, text, before=texts.before(path)), diagnostics)
    if parsed is None:
        return
    if parsed.entries is None:
        raw.unparsed.append((kind, parsed.path, parsed.text))
    else:
        raw.files.append(parsed)


def _parse_entries(kind: str, shown: str, text: str, diagnostics: Diagnostics,
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


# A line that starts an item of a list at the top of a file; what makes a text more than one
# list of items (document markers, directives), or counts lines otherwise than by '\n'.
_ITEM = re.compile(r"^-(?=[ \t\n]|$)", re.MULTILINE)
_NOT_ONE_LIST = re.compile(r"^(?:---|\.\.\.|%)|[\x85\u2028\u2029]", re.MULTILINE)


def _item_spans(text: str) -> list[tuple[int, int, int]] | None:
    """(start, end, lines before it) of each item of a file that is one list of items at the
    top (before the first, only comments and blank lines); None for any other file."""
    starts = [match.start() for match in _ITEM.finditer(text)]
    if not starts or _NOT_ONE_LIST.search(text) or any(
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
               memo: Memo | None, texts: _Texts) -> None:
    page = texts.again(path, diagnostics)
    if page is _NOTHING:
        shown = display_path(path)
        text = texts.read(path, diagnostics)
        if text is None:
            return
        slug = os.path.splitext(os.path.basename(path))[0]
        # a thousand pages, one edited: the others' front matter is not parsed again
        page = texts.make(path, shown, "page", (shown, text),
                          functools.partial(_parse_page, shown, slug, text), diagnostics)
    if page is not None:
        raw.pages.append(page)


def _parse_page(shown: str, slug: str, text: str, diagnostics: Diagnostics) -> RawPage | None:
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


# The folders read, with the files each holds: (name, suffixes (any when empty), recursive).
# A page's slug is its file name, so pages live in pages/ itself, not below it.
_FOLDERS = (*((kind, (".yaml", ".yml"), True) for kind in KINDS),
            ("pages", (".md",), False), ("documents", (), True))


def _list_folders(root: Path, inside: Path, diagnostics: Diagnostics,
                  stats: dict[str, os.stat_result]) -> dict[str, list[str]]:
    """{folder name: its files}; a folder that cannot be read is reported and listed empty."""
    listed = {}
    for name, suffixes, recursive in _FOLDERS:
        try:
            listed[name] = _list_files(root / name, suffixes, recursive, inside, diagnostics,
                                       stats)
        except _Unreadable as exc:
            folder = display_path(exc.folder) + "/"
            diagnostics.error(Location(folder), f"cannot read folder {folder}: {exc.reason}",
                              hint="check the folder's permissions")
    return listed


def load_content(root: Path, diagnostics: Diagnostics, memo: Memo | None = None) -> RawContent:
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
    listed = _list_folders(root, inside, diagnostics, stats)
    for name in ("site.yaml", "summary.md"):
        if (root / name).is_file():
            _inside(root / name, inside, diagnostics)
    if len(diagnostics.errors) > errors_before:
        return raw

    _load_site(root, raw, diagnostics)
    texts = _Texts(stats, memo)
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
        if document is _NOTHING:
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
