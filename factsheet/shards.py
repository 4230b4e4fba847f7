"""Shards: which pages of a site go into which of the search index's Pagefind bundles.

Owns: the rule that cuts a site's pages into shards, and the list of shards the bundle carries
(pagefind/shards.json). Knows nothing of running Pagefind (search.py does) nor of the pages'
content beyond their bytes and whether Pagefind would index them.

Why shards: Pagefind holds a whole site in memory while it indexes it (about ten times the HTML:
1.5 GB at ten thousand facts, 12 GB at a hundred thousand) and remakes all of it after any edit.
Cut into bundles of at most about SHARD_BYTES of pages each, one Pagefind run at a time needs a
bounded amount of memory, and after an edit only the shards whose pages changed are indexed again.
The search page merges them at query time (Pagefind's mergeIndex; assets/search.js).

The rule is stable, so an edit moves no page to another shard: a site whose pages come to no more
than SHARD_BYTES is one shard, else the number of shards is the smallest power of two that keeps
their average under SHARD_BYTES, up to MAX_SHARDS, and a page's shard is given by a hash of its
path (a site that doubles splits each shard in two, and is indexed whole once). The search page
loads each shard's word and filter files for a query, so their number is bounded too: past
MAX_SHARDS × SHARD_BYTES (about 40,000 facts) shards grow instead (at a hundred thousand facts,
about 48 MB: Pagefind peaks near 500 MB). Pages of all kinds are mixed in
every shard, so that each shard's word statistics, by which Pagefind ranks results, are like the
whole site's. A shard's key is a digest of what its index is made from (Pagefind's version and
options, its pages' paths and bytes): a shard whose key is in the last bundle is taken from it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .stamps import stamp, unchanged

SHARD_BYTES = 16 * 1024 * 1024  # of HTML; Pagefind peaks at about ten times a shard's bytes
MAX_SHARDS = 32  # a query loads a word file and the filter files of each
MANIFEST = "shards.json"  # in the bundle: its shards, for search.js and the next index
SHARDS = "shards"  # the bundle's folder of the shards after the first
# Pagefind indexes only the pages that carry data-pagefind-body, when any page does: an attribute
# of a tag (a page's text that says it has its "<" escaped)
ATTRIBUTE = b"data-pagefind-body"
BODY = re.compile(rb"<[a-zA-Z][^>]*\s" + ATTRIBUTE + rb"[\s=/>]")


@dataclass(frozen=True)
class Page:
    path: str  # "/"-path in the site: facts/x.html
    size: int
    digest: str  # of its bytes
    body: bool  # whether it marks what Pagefind indexes (data-pagefind-body)


@dataclass(frozen=True)
class Shard:
    """One Pagefind bundle of the index. `folder`, in the bundle: "" for the bundle's own index
    (the first shard: Pagefind's scripts and the index they load first), else "shards/<n>/"."""

    folder: str
    pages: tuple[str, ...]
    key: str
    size: int = 0  # bytes of its pages (what Pagefind's memory grows with)


def site_pages(site: Path, skip: str, kept: dict | None = None) -> list[Page]:
    """Every HTML page of `site` (as Pagefind finds them: **/*.html), in path order, but those in
    the folder `skip` (the bundle) or in a hidden folder (a bundle being made, a shard's pages).
    With `kept` (a process that indexes the same site again: serve), each Page is kept there
    with the page's stat, and a page whose stat is as it was is not read again (stamps.py):
    serve's index after an edit reads the pages the edit wrote, not the 160 MB of the twelve
    thousand others (0.7 s of CPU beside the next rebuild, at ten thousand facts)."""
    found = []
    last, now, seen = kept or {}, time.time_ns(), {}
    for folder, subfolders, files in os.walk(site):
        inside = Path(folder).relative_to(site).as_posix()
        subfolders[:] = sorted(name for name in subfolders if not name.startswith(".")
                               and not (inside == "." and name == skip))
        for name in files:
            if name.endswith(".html"):
                # (a string, not a Path: twelve thousand of them cost more than their stat)
                path, file = name if inside == "." else f"{inside}/{name}", f"{folder}/{name}"
                status = os.stat(file) if kept is not None else None  # before it is read
                held = last.get(path)
                if held is None or not unchanged(status, held[0], held[1]):
                    data = Path(file).read_bytes()
                    held = (stamp(status) if status is not None else None, now,
                            Page(path, len(data), hashlib.sha1(data).hexdigest(),
                                 marks_body(data)))
                seen[path] = held
                found.append(held[2])
    if kept is not None:  # the pages there now, no other
        kept.clear()
        kept.update(seen)
    return sorted(found, key=lambda page: page.path)


def marks_body(page: bytes) -> bool:
    """Whether BODY is in the page. Searched for only in the tag around each mention of the
    attribute (from the last '>' before it, which no tag holding it can span): the regex run
    over every tag of 12,000 pages took a third of a second."""
    at = page.find(ATTRIBUTE)
    while at != -1:
        if BODY.search(page, page.rfind(b">", 0, at) + 1, at + len(ATTRIBUTE) + 1):
            return True
        at = page.find(ATTRIBUTE, at + 1)
    return False


def plan(pages: Iterable[Page], indexer: str) -> list[Shard]:
    """The shards of these pages, the first the bundle's own. `indexer`: what else an index is
    made from (Pagefind's version and options), part of each key."""
    pages = list(pages)
    indexed = [page for page in pages if page.body] or pages  # Pagefind's own rule
    count, size = 1, sum(page.size for page in indexed)
    while count * SHARD_BYTES < size and count < MAX_SHARDS:
        count *= 2
    groups: dict[int, list[Page]] = {}
    for page in sorted(indexed, key=lambda page: page.path):
        groups.setdefault(bucket(page.path, count), []).append(page)
    shards = []
    for number, group in sorted(groups.items()):
        folder = "" if not shards else f"{SHARDS}/{number}/"
        # the folder is part of the key: the first shard's bundle has Pagefind's scripts too,
        # so the same pages indexed as another shard are not the same bundle
        made_of = "\n".join([indexer, folder, *(f"{page.path}\0{page.digest}" for page in group)])
        shards.append(Shard(folder, tuple(page.path for page in group),
                            hashlib.sha1(made_of.encode("utf-8")).hexdigest(),
                            sum(page.size for page in group)))
    return shards


def bucket(path: str, count: int) -> int:
    return int.from_bytes(hashlib.sha1(path.encode("utf-8")).digest()[:8], "big") % count


def manifest(shards: list[Shard]) -> bytes:
    """pagefind/shards.json: each shard's folder in the bundle and its key."""
    return json.dumps({"shards": [{"bundle": shard.folder, "key": shard.key} for shard in shards]},
                      separators=(",", ":")).encode("utf-8")


FOLDER = re.compile(rf"({SHARDS}/\d+/)?")


def read_manifest(bundle: Path) -> dict[str, str]:
    """{key: folder} of the shards of an existing bundle; {} when it has no readable list."""
    try:
        listed = json.loads((bundle / MANIFEST).read_bytes())["shards"]
        return {shard["key"]: shard["bundle"] for shard in listed
                if isinstance(shard["key"], str) and FOLDER.fullmatch(shard["bundle"])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}
