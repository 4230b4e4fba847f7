"""Search: a Pagefind index of the rendered site, built inside the new site before it is published.

Owns: running Pagefind (the `pagefind` package's binary, installed from PyPI with
`pagefind[bin]`; no network) on the staged site that write.publish hands over, and turning any
failure into one SearchError. What is indexed, and with which filters, is said by the templates'
data-pagefind-* attributes (fact.html, page.html, source.html, entity.html); the search page is
templates/search.html with assets/search.js. The bundle goes to site/pagefind/.

The index is cut into shards (shards.py): Pagefind is run on each shard's pages alone, two at a
time at most (a shard over ALONE_BYTES alone), so that its memory is bounded by a shard's, not the
site's. The first shard is the bundle itself (Pagefind's scripts with its index); each other is a
bundle of Pagefind's index files alone in pagefind/shards/<n>/, which the search page merges
(mergeIndex); shards.json lists them. Given the last site (a build from the cache, serve's
background index), a shard whose pages are all as they were is linked from that site's bundle,
not indexed again.

The same site must give the same bytes. Pagefind names its files after their content and stamps
no time, and its pages and word indexes come out in a stable order, but it writes the values of
each filter, and the list of filters, in hash-map order, which changes from run to run (a known
limit: Pagefind/pagefind#638, "filter/metadata indexes" still change). `canonical` sorts them and
renames what changed after its new content, as Pagefind names files; tests/test_search.py checks
that two builds are byte-identical. Pagefind runs with a shard's own folder as its working folder
and without PAGEFIND_* variables, so neither a stray pagefind.yml nor the environment can change
the index.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import importlib
import json
import os
import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .shards import MANIFEST, SHARDS, Shard, manifest, plan, read_manifest, site_pages
from .write import reason

BUNDLE = "pagefind"  # the bundle's folder in site/; no page of ours is written there
ENTRY = "pagefind-entry.json"  # a bundle's list of its languages' index files
OPTIONS = ("--keep-index-url", "--silent")
RUNS = 2  # Pagefind runs at once, each over one shard (each uses both cores only in part)
# A shard of more HTML than this is indexed by one Pagefind alone: it peaks near ten times its
# pages' bytes (0.45 GB for the 48 MB shards of 100,000 facts), and two of those beside the
# build's own process were most of a large build's peak; small shards still run two at once.
ALONE_BYTES = 32 * 1024 * 1024
INSTALL_HINT = "install it with `pip install 'pagefind[bin]'` (scripts/setup.sh does)"
RUN_HINT = ("run `python -m pagefind --site site` to see the indexer's own output, and report "
            "the page it fails on")


class SearchError(Exception):
    """The search index could not be built; the previous site is untouched. `hint`: what to do
    about this failure (install the indexer, or see its own output)."""

    def __init__(self, message: str, hint: str = RUN_HINT):
        super().__init__(message)
        self.hint = hint


# The packages `pagefind[bin]` installs, each shipping the binary, in the order
# pagefind.service.get_executable asks them. Asked here directly: that module imports asyncio and
# ssl for Pagefind's Python API, 30-40 ms of every build's start.
BINARY_PACKAGES = ("pagefind_bin_extended", "pagefind_bin")


def executable() -> Path:
    """The Pagefind binary: $PAGEFIND_BINARY_PATH, else the one the pagefind_bin_extended or
    pagefind_bin package ships, else `pagefind_extended` or `pagefind` on PATH."""
    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named is not None:
        return Path(named)
    for package in BINARY_PACKAGES:
        try:
            return Path(importlib.import_module(package).get_executable())
        except ImportError:
            continue
        except OSError:  # the package is there, its binary is not
            raise SearchError("the search indexer's binary is not installed", INSTALL_HINT) \
                from None
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    if found is None:
        raise SearchError("the search indexer (Pagefind) is not installed", INSTALL_HINT)
    return Path(found)


def index(site: Path, bundle: Path | None = None, *, old: Path | None = None,
          yielding: bool = False, pages: dict | None = None) -> None:
    """Write the search bundle into site/pagefind/ (or the folder `bundle`, which must not
    exist), from the HTML pages already in `site`. `old`: a site whose bundle's shards are
    reused (linked) where their pages are the same. `yielding`: at the lowest CPU priority,
    where `nice` exists (serve's background index: the rebuild after the next save comes
    first). `pages`: what the last index of this site found of its pages, to read again only
    those whose stat changed (shards.site_pages)."""
    binary = executable()
    indexer = " ".join([run(binary, ["--version"], site, yielding).strip(), *OPTIONS])
    bundle = bundle or site / BUNDLE
    work = site / f".{BUNDLE}-work-{os.getpid()}"
    try:
        shards = plan(site_pages(site, BUNDLE, pages), indexer)
        bundle.mkdir(parents=True)
        kept = read_manifest(old / BUNDLE) if old is not None else {}
        fresh = [shard for shard in shards  # (in order: the first shard's files come first)
                 if shard.key not in kept or not reuse(old / BUNDLE / kept[shard.key], bundle,
                                                       shard)]
        slots = _Slots(RUNS)
        with ThreadPoolExecutor(RUNS) as runs:
            made = [runs.submit(slots.run, RUNS if shard.size > ALONE_BYTES else 1,
                                index_shard, binary, site, shard, work, yielding)
                    for shard in fresh]
            for future in made:
                if future.exception() is not None:  # the first failure is the one said
                    runs.shutdown(cancel_futures=True)
                    break
        for shard, future in zip(fresh, made):
            place(future.result(), bundle, shard)
        (bundle / MANIFEST).write_bytes(manifest(shards))
    except OSError as exc:
        raise SearchError(f"the search index could not be written: {reason(exc)}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


class _Slots:
    """Room for `count` Pagefind runs at once: a run takes one slot or, for a large shard, all."""

    def __init__(self, count: int):
        self.free = count
        self.changed = threading.Condition()

    def run(self, taking: int, function, *args):
        """function(*args), once `taking` slots are free, holding them meanwhile."""
        with self.changed:
            self.changed.wait_for(lambda: self.free >= taking)
            self.free -= taking
        try:
            return function(*args)
        finally:
            with self.changed:
                self.free += taking
                self.changed.notify_all()


def index_shard(binary: Path, site: Path, shard: Shard, work: Path, yielding: bool) -> Path:
    """Pagefind on the shard's pages alone (links to them at their paths, in a folder of their
    own); returns the bundle it wrote, in a stable order (canonical)."""
    number = shard.folder.strip("/").rpartition("/")[2] or "0"
    pages, output = work / f"pages-{number}", work / f"bundle-{number}"
    for path in shard.pages:
        (pages / path).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site / path, pages / path)
        except OSError:  # where links cannot be made
            shutil.copyfile(site / path, pages / path)
    run(binary, ["--site", ".", "--output-path", str(output.absolute()), *OPTIONS], pages,
        yielding, hide=work)
    shutil.rmtree(pages, ignore_errors=True)
    if not (output / ENTRY).is_file():
        raise SearchError("the search index could not be built: Pagefind wrote no index")
    canonical(output)
    return output


# The Pagefind processes this process is running, so that serve, stopping, ends them (stop())
# rather than leave an orphan writing an index into the site it no longer serves.
_RUNNING: set[subprocess.Popen] = set()
_RUNNING_LOCK = threading.Lock()
_STOPPED = threading.Event()


def stop() -> None:
    """End every Pagefind run of this process and start no other (serve is stopping): the index
    being made fails, and its temporary folders are removed as after any failure."""
    with _RUNNING_LOCK:
        _STOPPED.set()
        for process in _RUNNING:
            with contextlib.suppress(OSError):
                process.kill()


def resume() -> None:
    """Let Pagefind run again after stop() (a process that goes on after serve: a test)."""
    _STOPPED.clear()


def run(binary: Path, arguments: list[str], where: Path, yielding: bool,
        hide: Path | None = None) -> str:
    """Run Pagefind in the folder `where`; returns what it printed. A failure is a SearchError
    with the last line it said (a path inside `hide`, a temporary folder, shown from it)."""
    command = [str(binary), *arguments]
    nice = shutil.which("nice") if yielding else None
    if nice:
        command = [nice, "-n", "19", *command]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    with _RUNNING_LOCK:
        if _STOPPED.is_set():
            raise SearchError("the search index was not built: the indexer was stopped")
        try:
            process = subprocess.Popen(command, cwd=where, env=environment,
                                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True, errors="replace")
        except OSError as exc:
            raise SearchError(f"cannot run the search indexer '{binary}': "
                              f"{reason(exc)}") from None
        _RUNNING.add(process)
    try:
        stdout, stderr = process.communicate()
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(process)
    if process.returncode != 0:
        said = [line.strip() for line in (stderr + "\n" + stdout).splitlines() if line.strip()]
        why = said[-1] if said else f"exit status {process.returncode}"
        for folder in (hide, where):  # the temporary folder is no one's concern
            if folder is not None:
                why = why.replace(str(folder.absolute()), ".")
        raise SearchError(f"the search index could not be built: Pagefind: {why}")
    return stdout


def reuse(kept: Path, bundle: Path, shard: Shard) -> bool:
    """Link the shard's files from the last bundle's folder `kept` into its place in `bundle`;
    False (and nothing left) when they are not all there."""
    target = bundle / shard.folder
    try:
        entry = json.loads((kept / ENTRY).read_bytes())
        if not all((kept / f"pagefind.{about['hash']}.pf_meta").is_file()
                   for about in entry["languages"].values()):
            return False
        # each folder made once, and paths as strings: a shard is a few thousand files, and
        # serve's index after an edit links every unchanged shard's
        source, into, made = os.fspath(kept), os.fspath(target), set()
        for path in shard_files(kept, shard):
            folder = path.rpartition("/")[0]
            if folder not in made:
                os.makedirs(f"{into}/{folder}" if folder else into, exist_ok=True)
                made.add(folder)
            os.link(f"{source}/{path}", f"{into}/{path}")
        return True
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        for path in shard_files(target, shard, top=True) if target.is_dir() else ():
            if (target / path).is_dir():
                shutil.rmtree(target / path)
            else:
                (target / path).unlink()
        return False


def place(made: Path, bundle: Path, shard: Shard) -> None:
    """Move the bundle Pagefind wrote for the shard into its place in `bundle`."""
    target = bundle / shard.folder
    target.mkdir(parents=True, exist_ok=True)
    for path in shard_files(made, shard, top=True):
        os.rename(made / path, target / path)


def shard_files(folder: Path, shard: Shard, top: bool = False) -> list[str]:
    """The files of the shard's bundle in `folder`, as '/'-paths (with `top`: its files and
    folders at the top). The first shard keeps all that Pagefind writes (its scripts, the
    WebAssembly, the styles: the search page loads them from pagefind/); the others only their
    index: the list of languages, each language's meta file, and the word, filter and page
    files in their folders."""
    found = []
    for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
        if not shard.folder and entry.name in (MANIFEST, SHARDS):
            continue  # (the bundle's list of shards, the other shards)
        if shard.folder and not (entry.is_dir() or entry.name == ENTRY
                                 or entry.name.endswith(".pf_meta")):
            continue
        if entry.is_dir() and not top:
            found += [f"{entry.name}/{inner}" for inner in sorted(os.listdir(entry.path))]
        else:
            found.append(entry.name)
    return found


def reindex(site: Path, pages: dict | None = None) -> None:
    """Rebuild site/pagefind/ of a published site in place of the old bundle (serve, in the
    background, yielding the CPU): the new one is made beside it, the shards whose pages did not
    change linked from it, and swapped in, so the search page never sees half a bundle.
    `pages`: kept from one reindex to the next (index)."""
    fresh, stale = site / f".{BUNDLE}-new-{os.getpid()}", site / f".{BUNDLE}-old-{os.getpid()}"
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        index(site, fresh, old=site, yielding=True, pages=pages)
        if (site / BUNDLE).exists():
            (site / BUNDLE).rename(stale)
        fresh.rename(site / BUNDLE)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(stale, ignore_errors=True)


# --- identical bytes from run to run -----------------------------------------------------------
# Pagefind's index files are gzip of b"pagefind_dcd" + CBOR. A filter file is [name, [[value,
# [page numbers]], …]]; the meta file pagefind.<lang>_<hash>.pf_meta is [version, pages, word
# index chunks, [[filter name, filter file hash], …], …]; pagefind-entry.json names the meta
# file.
SIGNATURE = b"pagefind_dcd"


def canonical(bundle: Path) -> None:
    """Sort each filter's values and the meta files' lists of filters; a file whose content
    changes is renamed after it. Everything is read and checked before anything is written: a
    bundle of another shape (a later Pagefind) is left as Pagefind wrote it."""
    try:
        entry_file = bundle / "pagefind-entry.json"
        entry_text = entry_file.read_text("utf-8")
        entry = json.loads(entry_text)
        filters = {path: _unpack(path) for path in sorted((bundle / "filter").glob("*.pf_filter"))}
        metas = {language: bundle / f"pagefind.{about['hash']}.pf_meta"
                 for language, about in sorted(entry["languages"].items())}
        meta = {language: _unpack(path) for language, path in metas.items()}
    except (CBORError, OSError, ValueError, KeyError, TypeError, AttributeError):
        return
    stems = {path.stem for path in filters}
    if not all(isinstance(f, list) and len(f) == 2 and isinstance(f[1], list)
               and all(isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) for v in f[1])
               for f in filters.values()) \
            or not all(isinstance(m, list) and len(m) > 3 and isinstance(m[3], list)
                       and all(isinstance(f, list) and len(f) == 2 and f[1] in stems for f in m[3])
                       for m in meta.values()):
        return
    try:
        renamed = {path.stem: _repack(path, "", [name, sorted(values, key=lambda v: v[0])], 7)
                   for path, (name, values) in filters.items()}
        for language, path in metas.items():
            meta[language][3] = sorted([name, renamed[stem]] for name, stem in meta[language][3])
            entry["languages"][language]["hash"] = _repack(path, "pagefind.", meta[language], 10)
        entry["languages"] = dict(sorted(entry["languages"].items()))
        text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        if text != entry_text:
            entry_file.write_text(text, "utf-8")
    except (CBORError, OSError) as exc:
        raise SearchError(f"the search index could not be put in a stable order: "
                          f"{reason(exc) if isinstance(exc, OSError) else exc}") from None


def _unpack(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise CBORError(f"{path.name} is not a Pagefind index file")
    value, end = cbor_decode(data, len(SIGNATURE))
    if end != len(data) or cbor_encode(value) != data[len(SIGNATURE):]:
        raise CBORError(f"{path.name} is not in the form expected")
    return value


def _repack(path: Path, prefix: str, value, length: int) -> str:
    """Put `value` in place of the file at `path` (named prefix + "<language>_<hash>" + suffix),
    named after its content as Pagefind names files: the start of its SHA-1, each byte in hex
    without leading zeros. Always rewritten, so that the gzip bytes are Python's whichever order
    Pagefind wrote. Returns the new "<language>_<hash>"."""
    stem = path.name[len(prefix):len(path.name) - len(path.suffix)]
    data = cbor_encode(value)
    language = stem.rpartition("_")[0]
    digest = "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())
    def named(size: int) -> Path:
        return path.with_name(f"{prefix}{language}_{digest[:size]}{path.suffix}")
    while named(length) != path and named(length).exists() and length < len(digest):
        length += 1  # another file has the name already: a longer one, as Pagefind does
    named(length).write_bytes(gzip.compress(SIGNATURE + data, compresslevel=9, mtime=0))
    if named(length) != path:
        path.unlink()
    return f"{language}_{digest[:length]}"


class CBORError(ValueError):
    pass


def cbor_decode(data: bytes, at: int = 0):
    """One CBOR item of the kinds Pagefind writes (integers, text, bytes, arrays, maps) from
    data[at:] → (value, where it ends)."""
    if at >= len(data):
        raise CBORError("truncated CBOR")
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        number = info
    elif info <= 27:
        size = 1 << (info - 24)
        number, at = int.from_bytes(data[at:at + size], "big"), at + size
    else:
        raise CBORError(f"unexpected CBOR item {major}/{info}")
    if major == 0:
        return number, at
    if major == 1:
        return -1 - number, at
    if major in (2, 3):
        chunk = data[at:at + number]
        if len(chunk) != number:
            raise CBORError("truncated CBOR")
        return (bytes(chunk) if major == 2 else chunk.decode("utf-8")), at + number
    if major == 4:
        items = []
        for _ in range(number):
            item, at = cbor_decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = []
        for _ in range(number):
            key, at = cbor_decode(data, at)
            item, at = cbor_decode(data, at)
            pairs.append((key, item))
        return CBORMap(pairs), at
    raise CBORError(f"unexpected CBOR item {major}/{info}")


class CBORMap(list):
    """A CBOR map as its (key, value) pairs, in the order written."""


def cbor_encode(value) -> bytes:
    """The shortest encoding of each item, as Pagefind's minicbor writes it."""
    def head(major: int, number: int) -> bytes:
        if number < 24:
            return bytes([major << 5 | number])
        for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if number < 1 << (8 * size):
                return bytes([major << 5 | info]) + number.to_bytes(size, "big")
        raise CBORError("integer too large for CBOR")
    if isinstance(value, bool) or value is None:
        raise CBORError("unexpected CBOR value")
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return head(3, len(encoded)) + encoded
    if isinstance(value, CBORMap):
        return head(5, len(value)) + b"".join(cbor_encode(k) + cbor_encode(v) for k, v in value)
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(cbor_encode(item) for item in value)
    raise CBORError(f"unexpected value {type(value).__name__}")
