"""Content files: which files the content folder holds, the text of each, and, in a process that
builds again, which of them to read again.

Owns: listing a folder (only inside the content folder, skipping hidden and editor files; a
folder that cannot be listed or entered raises Unreadable), reading and decoding a file (UTF-8,
a BOM dropped, line ends made '\\n'), and, across the builds of one process (a memo), keeping
each file's text and what the load made of it until its stat changes (stamps.py: Texts).
Knows nothing of YAML, front matter, or which folder holds which kind of record (that is
`loader`).
"""

from __future__ import annotations

import operator
import os
import stat
import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostics, Location, display_path
from .memo import Memo
from .stamps import stamp, unchanged

# --- listing and reading ------------------------------------------------------------------

def _ignored(name: str) -> bool:
    """Hidden and editor files (.DS_Store, .#x, x~, x.swp, #x#), which are never content."""
    return (name.startswith(".") or name.endswith(("~", ".swp", ".swo", ".tmp"))
            or (len(name) > 1 and name.startswith("#") and name.endswith("#")))


def read_text(path: Path, diagnostics: Diagnostics) -> str | None:
    """A file's text (UTF-8, a BOM dropped, line ends made '\\n'), or None after a message."""
    data = read_bytes(path, diagnostics)
    return None if data is None else decode(data, display_path(path), diagnostics)


def read_bytes(path: Path, diagnostics: Diagnostics) -> bytes | None:
    """A file's bytes, a UTF-8 BOM dropped, or None after a message."""
    try:
        return path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    except OSError as exc:
        diagnostics.error(Location(display_path(path)),
                          f"cannot read file: {exc.strerror or exc}")
        return None


def decode(data: bytes, shown: str, diagnostics: Diagnostics) -> str | None:
    """A file's bytes as text, line ends made '\\n', or None after a message placing the first
    byte that is not UTF-8."""
    try:
        return newlines(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        before = newlines(data[:exc.start].decode("utf-8"))  # valid up to the first bad byte
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        diagnostics.error(Location(shown, line, column),
                          f"file is not valid UTF-8 (byte 0x{data[exc.start]:02X})",
                          hint="save the file as UTF-8")
        return None


def newlines(text: str) -> str:
    """Line ends as Python's text mode reads them."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class Unreadable(Exception):
    def __init__(self, folder: Path, reason: str):
        super().__init__(reason)
        self.folder, self.reason = folder, reason


def list_files(folder: Path, suffixes: tuple[str, ...], recursive: bool, inside: Path,
               diagnostics: Diagnostics, stats: dict[str, os.stat_result],
               known: Mapping[str, os.stat_result] | None = None) -> list[str]:
    """Regular files under folder with one of suffixes (any when empty), sorted; hidden and
    editor files skipped. A link leading outside the content folder (`inside`) is refused with
    an error, so content cannot make a build read, and publish, the builder's own files.
    Each file's stat (links followed) goes into `stats`: the one in `known` if there (taken
    just before by the caller: cache.inputs_digest walks the same files, and a stat is most of
    what listing a file costs), else its own. Paths are strings: a rebuild lists the two
    thousand files of a 10,000-fact briefing again, and a Path each costs more than their
    stat.
    Raises Unreadable for a folder that cannot be listed or entered."""
    if not folder.is_dir():
        if folder.is_symlink():  # a folder that is a dangling link is content lost, not absent
            raise Unreadable(folder, "it is a link that leads nowhere")
        if folder.exists():
            raise Unreadable(folder, "it is a file, not a folder")
        return []
    if not inside_content(folder, inside, diagnostics):
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
            raise Unreadable(Path(current), exc.strerror or str(exc)) from None
        for entry in entries:
            path, name = entry.path, entry.name
            dot = name.rfind(".")
            suffix = name[dot:] if 0 < dot < len(name) - 1 else ""  # as Path.suffix
            wanted = not suffixes or suffix in suffixes
            if _ignored(name) or (entry.is_symlink() and (wanted or recursive)
                                  and not inside_content(Path(path), inside, diagnostics)):
                continue
            try:
                status = known.get(path) if known else None
                if status is None:
                    status = entry.stat()  # follows links
                mode = status.st_mode
            except PermissionError as exc:  # the folder can be listed but not entered
                raise Unreadable(Path(current), exc.strerror or str(exc)) from None
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


def inside_content(path: Path, inside: Path, diagnostics: Diagnostics) -> bool:
    """Whether path really lies in the content folder (`inside`); a link leading out is
    refused with an error."""
    if path.resolve().is_relative_to(inside):
        return True
    diagnostics.error(Location(display_path(path)),
                      "refused: this link leads outside the content folder",
                      hint="copy the file into the content folder instead")
    return False


# --- what a process that builds again keeps of each file -----------------------------------

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


NOT_KEPT = object()  # Texts.again: nothing kept for the file


class Texts:
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
        the file is as it was then; else NOT_KEPT."""
        last = self.kept_read(path)
        if last is None or not last.step or not self.same_cwd:
            return NOT_KEPT
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

    def before(self, path: str):
        """What the last load made of path (changed since, perhaps), if it made it without a
        problem; else None."""
        last = self.last.get(path)
        return last.made if last is not None and not last.problems else None

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


