"""Cache: what one build leaves on disk for the next build of the same output, in a new process.

Owns: the files of the cache, beside the output folder in `<output's parent>/.factsheet-cache/
<output's name>/` (never inside the output, never outside its parent), what they are keyed by,
and telling a cache that may be trusted from one that may not. Knows nothing of what a build
keeps in them: pipeline.py decides that (it is the only user, with serve.py through it).

Two files, so that the common case reads little:
  record.pickle  small: a digest of every input, the output folder as the build left it (each
                 file's size, modification time and inode) and the build's report. When both
                 still match, the build has nothing to do.
  state.pickle   large (about the size of the site): what the build parsed and rendered (the
                 Memo's results, the pages and what each read), read only when something changed.

Each file is a header line, the key as JSON, a SHA-256 digest of the payload, then the payload
(a pickle we wrote ourselves). The key holds the code's version (a digest of this package's own
source and the versions of the libraries that shape the output), the Python version, and the
build's paths (the working folder too: messages show paths relative to it). A file that is
missing, truncated, altered, of another key or of the wrong type is ignored, never trusted:
`load` returns None and says why in `why`, and nothing about the cache is ever fatal. Writes go
to a temporary file that replaces the old one (os.replace), so a reader sees the old or the new.

The output is checked by size, modification time (to the nanosecond) and inode of every file,
not by its bytes: the check costs a directory walk (tens of milliseconds for 12,000 files)
instead of reading 200 MB. It sees any ordinary change to the output — a file edited, replaced,
added or removed — and misses only a same-size rewrite in place that also restores the file's
modification time, which no editor or copy tool does unasked; `--no-cache` then builds anew.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import functools
import gc
import hashlib
import json
import operator
import os
import pickle
import sys
import time
from collections.abc import Callable
from pathlib import Path

from . import __version__
from .stamps import stamp, unchanged

FOLDER = ".factsheet-cache"
HEADER = b"factsheet cache 1\n"
# The libraries whose version can change the bytes of a page (or the report).
LIBRARIES = ("jinja2", "markdown", "markupsafe", "pyyaml", "edtf", "nh3", "rapidfuzz", "pint",
             "langcodes", "pagefind_bin")


def folder_for(output: Path) -> Path:
    """Where the cache of an output folder lives: beside it, named after it."""
    output = output.absolute()
    return output.parent / FOLDER / output.name


_CODE_VERSION: str | None = None


def code_version() -> str:
    """A digest of this package's source files, its version and the libraries' versions: a
    cache made by any other code is not used (one digest per process)."""
    global _CODE_VERSION
    if _CODE_VERSION is None:
        digest = hashlib.sha256(f"{__version__}\0".encode())
        package = Path(__file__).parent
        for path in sorted(package.rglob("*.py")):
            digest.update(f"{path.relative_to(package).as_posix()}\0".encode())
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"\0unreadable")
        digest.update("\0".join(library_versions()).encode())
        _CODE_VERSION = digest.hexdigest()
    return _CODE_VERSION


def library_versions() -> list[str]:
    """The installed distributions of LIBRARIES, as their metadata folders are named
    ("jinja2-3.1.6.dist-info"): read off the folders of sys.path, which costs a directory
    listing where importlib.metadata costs a tenth of a second."""
    found = []
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")) and \
                    name.split("-")[0].lower().replace(".", "_") in LIBRARIES:
                found.append(f"{folder}/{name}")
    return sorted(found)


def make_key(options: dict) -> dict:
    """The key of a cache: the code, the Python, and `options` (paths and options that change
    the output or the report), as JSON-able values."""
    return {"code": code_version(), "python": sys.version, **options}


def inputs_digest(folders, kept: dict | None = None,
                  statuses: dict[str, os.stat_result] | None = None) -> str:
    """A digest of every file under `folders` (its path and bytes), in a stable order: equal
    digests, equal inputs. With `kept` (a process that builds again: serve), each file's part
    of the digest is kept there with its stat, and a file whose stat is as it was is not read
    again (stamps.py): a rebuild after one save reads that file, not the two thousand others,
    and digests the parts kept, joined.
    `statuses`, if given, gets each file's stat (links followed) by path, for the build that
    follows to list the content by (loader.load_content): taken before any file is read, as
    the loader's own would be."""
    digest = hashlib.sha256()
    last, found = kept or {}, {}
    now = time.time_ns()
    for folder in folders:
        folder = Path(folder)
        # a missing folder is not an empty one (a --templates folder that is gone is an error)
        digest.update(f"{folder.absolute()}\0{folder.is_dir()}\0".encode())
        top = os.fspath(folder)
        # each file's path below the folder, as os.path.relpath gives it (which costs more than
        # the file's stat: a rebuild walks two thousand files)
        cut = len(top) if top.endswith(os.sep) else len(top) + 1
        parts = []  # each file's: its path below the folder, its size and its bytes' digest
        for at, names, stat in _folders(top, set()):
            for name in names:
                path = at + name
                try:
                    status = stat(name)
                except OSError:
                    status = None
                else:
                    if statuses is not None:
                        statuses[path] = status
                held = last.get(path)
                # (its part names it below the folder it was found in: `cut` says which)
                if held is None or held[2] != cut or not unchanged(status, held[0], held[1]):
                    held = _file_part(path, cut, status, now)
                if status is not None:
                    found[path] = held
                parts.append(held[3])
        digest.update(b"".join(parts))
    if kept is not None:  # the files there now, no other
        kept.clear()
        kept.update(found)
    return digest.hexdigest()


# A file's stat taken by its name in its folder's open descriptor where the system can: the
# kernel then looks up one name, not every folder of the path (a fifth less time).
_AT = os.stat in os.supports_dir_fd and os.scandir in os.supports_fd


def _folders(top: str, seen: set):
    """Each folder under `top` as os.walk(top, followlinks=True) gives them, subfolders in
    order of name and a folder reached again by a link left out (the loader reads each once):
    (its path, ending in a separator; its files' names, sorted; a function giving a file's
    stat (links followed) by its name). os.walk's own loop costs more than the stats."""
    real = os.path.realpath(top)
    if real in seen:
        return
    seen.add(real)
    descriptor = None
    try:
        if _AT:
            descriptor = os.open(top, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        with os.scandir(top if descriptor is None else descriptor) as listing:
            entries = list(listing)
        at = top if top.endswith(os.sep) else top + os.sep
        kinds = list(map(_is_dir, entries))
        folders = sorted(entry.name for entry, folder in zip(entries, kinds) if folder)
        files = sorted(entry.name for entry, folder in zip(entries, kinds) if not folder)
        if descriptor is None:
            yield at, files, lambda name: os.stat(at + name)
        else:
            yield at, files, functools.partial(os.stat, dir_fd=descriptor)
    except OSError:  # a folder that cannot be listed: as os.walk, nothing
        return
    finally:
        if descriptor is not None:
            os.close(descriptor)
    for name in folders:
        yield from _folders(at + name, seen)


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _file_part(path: str, cut: int, status: os.stat_result | None, now: int) -> tuple:
    """A file's part of the digest, read now, with what tells whether it is still the file's:
    (its stamp, when it was read, `cut`, the part: its path below the folder, its size and
    the digest of its bytes)."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        data = b"\0unreadable"
    part = f"{path[cut:]}\0{len(data)}\0".encode() + hashlib.sha256(data).digest()
    return (stamp(status) if status is not None else None, now, cut, part)


def manifest(output: Path) -> dict[str, tuple[int, int, int]]:
    """Every file in the output folder: its '/'-path → (size, modification time in ns, inode)."""
    found: dict[str, tuple[int, int, int]] = {}

    def walk(folder: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, prefix + entry.name + "/")
                    continue
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            found[prefix + entry.name] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    walk(str(output.absolute()), "")
    return found


@contextlib.contextmanager
def _collector_paused():
    """The garbage collector paused while a state is pickled or unpickled: that of a
    10,000-fact build is a few million objects, and the collections set off by the objects
    made meanwhile (what pickle.load makes; the state pickle.dump takes of each record) walk
    them all: loading took 3.9 s of CPU with them, 1.3 s without; saving 3.6 s, 2.6 s. Nothing
    made meanwhile is garbage in a cycle."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Pickler(pickle.Pickler):
    """pickle.Pickler, with the records (dataclasses with slots: half a million at 10,000 facts)
    saved as the tuple of their fields' values, taken by a getter made once per class, and
    restored by _set_fields: dataclasses' own __getstate__ and __setstate__ list the class's
    fields again for every record, which was a quarter of saving a state and of loading it."""

    def reducer_override(self, obj):
        cls = type(obj)
        try:
            reduce = _REDUCERS[cls]
        except KeyError:
            reduce = _REDUCERS[cls] = _reducer(cls)
        return NotImplemented if reduce is None else reduce(obj)


_REDUCERS: dict[type, Callable | None] = {}  # class → how to reduce its records (None: as pickle)


def _reducer(cls: type) -> Callable | None:
    """How _Pickler reduces an object of `cls`: None unless `cls` is a dataclass with slots whose
    state is dataclasses' own (the list of its fields' values)."""
    if not (dataclasses.is_dataclass(cls) and "__slots__" in cls.__dict__
            and getattr(cls.__getstate__, "__module__", None) == "dataclasses"):
        return None
    names = _field_names(cls)
    values = operator.attrgetter(*names) if len(names) > 1 else \
        (lambda obj: (getattr(obj, names[0]),))
    new = (cls,)
    return lambda obj: (copyreg.__newobj__, new, values(obj), None, None, _set_fields)


def _set_fields(obj, values: tuple) -> None:
    """A record's fields set from the values _Pickler saved (object.__setattr__: records are
    frozen)."""
    for name, value in zip(_field_names(type(obj)), values):
        object.__setattr__(obj, name, value)


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    """A record class's fields' names, in order (listed once per class, in each process)."""
    return tuple(field.name for field in dataclasses.fields(cls))


class Cache:
    """The cache of one output folder for builds of one key."""

    def __init__(self, output: Path, key: dict):
        self.folder = folder_for(output)
        self.key = json.dumps(key, sort_keys=True).encode()
        self.why = ""  # why the last load found nothing to use, for a -v line

    def load(self, name: str, kind: type):
        """The `kind` saved as `name`, or None (with `why` set) when there is none to trust."""
        path = self.folder / f"{name}.pickle"
        try:
            with open(path, "rb") as file:
                if file.readline() != HEADER:
                    return self._ignored("it is not a factsheet cache file")
                if file.readline().rstrip(b"\n") != self.key:
                    return self._ignored("it was made by another version of factsheet, "
                                         "another Python or for other paths")
                expected = file.readline().rstrip(b"\n").decode("ascii")
                # Checked, then unpickled, a piece at a time: the payload (a hundred MB at
                # ten thousand facts) is never held whole beside what it unpickles to.
                start = file.tell()
                if hashlib.file_digest(file, "sha256").hexdigest() != expected:
                    return self._ignored("it is damaged (its digest does not match)")
                file.seek(start)
                with _collector_paused():
                    value = pickle.load(file)
        except FileNotFoundError:
            return self._ignored("there is none yet")
        except Exception as exc:  # noqa: BLE001 - any problem with a cache means no cache
            return self._ignored(f"it cannot be read ({type(exc).__name__})")
        if not isinstance(value, kind):
            return self._ignored("it holds something else than expected")
        return value

    def _ignored(self, why: str) -> None:
        self.why = why
        return None

    def save(self, name: str, value) -> bool:
        """Write `value` as `name`, atomically; False (and `why`) when it could not be."""
        path = self.folder / f"{name}.pickle"
        temporary = path.with_name(f".{path.name}.new-{os.getpid()}")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(temporary, "w+b") as file:
                # The payload is pickled straight to the file, then digested from it, and the
                # digest (always 64 hex digits) written in the place kept for it.
                file.write(HEADER + self.key + b"\n")
                at = file.tell()
                file.write(b"0" * 64 + b"\n")
                start = file.tell()
                with _collector_paused():
                    _Pickler(file, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
                file.seek(start)
                digest = hashlib.file_digest(file, "sha256").hexdigest().encode()
                file.seek(at)
                file.write(digest)
            os.replace(temporary, path)
            return True
        except Exception as exc:  # noqa: BLE001 - a cache that cannot be saved is no cache
            self.why = f"it could not be saved ({type(exc).__name__}: {exc})"
            return False
        finally:  # after Ctrl-C too: no half-written file is left
            try:
                temporary.unlink(missing_ok=True)
            except OSError:
                pass

    def forget(self, name: str) -> None:
        """Remove `name` (a record that no longer describes the output)."""
        try:
            (self.folder / f"{name}.pickle").unlink(missing_ok=True)
        except OSError:
            pass
