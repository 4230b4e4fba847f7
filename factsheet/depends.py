"""What a page depends on: the parts of the resolved site it read, and which parts changed.

Owns: the dependency side of incremental rendering (used by `serve`). A page is rendered with a
`Watched` view of the site that notes each part the template and its helpers read — a field
(`config`, `pages`), or one key of a mapping field (`facts['strike-killed']`, `chains[…]`), or a
whole mapping when it is iterated, or its size when it is counted. After an edit,
`changed_parts(old, new)` lists the parts whose values differ (records compare without their
source locations, so a line inserted above a record does not change it), and a page is
rendered again only when one of its parts is among them: found through an index from each
part to the pages that read it (`readers`), kept from build to build with the pages, so that an
edit costs what it changed, not what the site holds. Because the notes are taken while
rendering, a briefing's own templates are tracked as exactly as the built-in ones: nothing has
to be declared by hand.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import operator
import weakref
from collections.abc import Iterator, Mapping

from .packed import Files

WHOLE = "*"  # the key noted when a template iterates or looks through a whole mapping
# The key noted when a template counts a mapping or tests whether it is empty: changed only when
# its size is (the home page's "10,000 facts" is not rendered again after a fact is edited).
COUNT = "#"

Part = tuple[str, object]  # (field, key): key None for a whole field that is not a mapping


class WatchedMapping(Mapping):
    """A read-only mapping field of the site that notes the keys read."""

    __slots__ = ("_name", "_data", "_owner")

    def __init__(self, name: str, data: Mapping, owner: Watched):
        self._name, self._data, self._owner = name, data, owner

    @property
    def _seen(self) -> set:
        return self._owner._seen

    def __getitem__(self, key):
        self._seen.add((self._name, key))
        return self._data[key]

    def get(self, key, default=None):
        self._seen.add((self._name, key))
        return self._data.get(key, default)

    def __contains__(self, key) -> bool:
        self._seen.add((self._name, key))
        return key in self._data

    def __iter__(self) -> Iterator:
        self._seen.add((self._name, WHOLE))
        return iter(self._data)

    def __len__(self) -> int:
        self._seen.add((self._name, COUNT))
        return len(self._data)

    # The views of the real mapping (Mapping's own would note every key one by one).
    def keys(self):
        self._seen.add((self._name, WHOLE))
        return self._data.keys()

    def values(self):
        self._seen.add((self._name, WHOLE))
        return self._data.values()

    def items(self):
        self._seen.add((self._name, WHOLE))
        return self._data.items()


class Watched:
    """The site as a page sees it: every field as on the real site, each read noted in `seen`."""

    def __init__(self, site, seen: set):
        self._site, self._seen = site, seen

    def __getattr__(self, name: str):
        value = getattr(self._site, name)
        if isinstance(value, dict):
            watched = WatchedMapping(name, value, self)
            setattr(self, name, watched)  # made once per page: __getattr__ is not called again
            return watched
        self._seen.add((name, WHOLE if name in BY_KEY else None))
        return value

    def swap(self, seen: set) -> set:
        """Note reads in `seen` from now on; returns the set used until now (so a fragment's
        reads can be told apart from its page's)."""
        before, self._seen = self._seen, seen
        return before

    def record(self, name: str, record):
        """A record of a BY_KEY field, each of its fields noted as read on its own."""
        return WatchedRecord(name, getattr(record, BY_KEY[name]), record, self)

    def note(self, part: Part) -> None:
        """For a helper that reads the site another way: one part, such as ("pages", slug)."""
        self._seen.add(part)

    def note_all(self, parts) -> None:
        self._seen.update(parts)


# Tuple fields compared record by record, by this attribute: a page that shows one page's title
# depends on that page's record alone (noted by the helper that looks it up), and on its title
# alone where it is handed the record as a WatchedRecord.
BY_KEY = {"pages": "slug"}


class WatchedRecord:
    """A record of a BY_KEY field as a page sees it: each field read noted as its own part,
    (name, (key, field)), changed where that field differs (changed_parts); a field that is not
    compared (a page's parsed prose, made from its body) as the whole record, (name, key). A fact
    page that links to the pages citing it shows their titles: a page's body edited does not
    render it again."""

    __slots__ = ("_name", "_key", "_record", "_owner")

    def __init__(self, name: str, key, record, owner: Watched):
        self._name, self._key, self._record, self._owner = name, key, record, owner

    def __getattr__(self, attr: str):
        value = getattr(self._record, attr)
        compared = _compared(type(self._record))
        self._owner._seen.add((self._name, (self._key, attr) if attr in compared else self._key))
        return value


@functools.lru_cache(maxsize=None)
def _compared(kind: type) -> frozenset[str]:
    """The fields of a record class that its == compares."""
    return frozenset(spec.name for spec in dataclasses.fields(kind) if spec.compare)


def _field_parts(name: str, key, before, after) -> set[Part]:
    """The parts (name, (key, field)) of a changed record of a BY_KEY field: the fields that
    differ, or every one where the record was added or removed."""
    if before is _GONE or after is _GONE:
        return {(name, (key, field)) for field in _compared(type(
            after if before is _GONE else before))}
    return {(name, (key, field)) for field in _compared(type(after))
            if getattr(before, field) != getattr(after, field)}


def _as_mapping(name: str, value):
    if name in BY_KEY:
        return {getattr(item, BY_KEY[name]): item for item in value}
    return value


def changed_parts(old, new) -> set[Part]:
    """Every part of the site whose value differs between two resolved sites: a key of a
    mapping field added, removed or changed (and the whole mapping, when its keys or their
    order changed; and its size, when that changed), or a whole field that is not a mapping."""
    changed: set[Part] = set()
    for spec in dataclasses.fields(new):
        before, after = getattr(old, spec.name), getattr(new, spec.name)
        if before is after:  # a map resolve kept as it was (links.py): not looked through
            continue
        before, after = _as_mapping(spec.name, before), _as_mapping(spec.name, after)
        if isinstance(after, dict) and isinstance(before, dict):
            # Equal mappings (compared in C, which passes over the same objects at once: most
            # of a map resolve made again holds its last values) differ in order at most.
            keys = set() if before == after else {
                (spec.name, key) for key in _not_same(before, after)
                if _differ(before.get(key, _GONE), after.get(key, _GONE))}
            if spec.name in BY_KEY:
                for _, key in list(keys):
                    keys |= _field_parts(spec.name, key, before.get(key, _GONE),
                                         after.get(key, _GONE))
            # whoever iterated the mapping saw a value, or the keys' order, change
            if keys or list(before) != list(after):
                changed |= keys | {(spec.name, WHOLE)}
            if len(before) != len(after):
                changed.add((spec.name, COUNT))
        elif before != after:
            changed.add((spec.name, None))
    return changed


_GONE = object()


def _not_same(before: dict, after: dict):
    """The keys of either mapping whose values are not the same objects in both: an edit keeps
    most records as they were (memo.py), and at ten thousand facts a loop in Python over every
    key is most of the cost of comparing two sites, so the same objects are passed over in C.
    Where both hold the same keys in the same order (an edit that adds, removes or moves no
    record), values are compared place by place: no key is hashed or looked up."""
    if len(before) == len(after) and list(before) == list(after):
        return itertools.compress(after, map(operator.is_not, before.values(), after.values()))
    gone = before.keys() - after.keys()
    differs = map(operator.is_not, map(before.get, after, itertools.repeat(_GONE)),
                  after.values())
    return itertools.chain(gone, itertools.compress(after, differs))


def changes(carried: dict, old, new) -> set[Part]:
    """changed_parts(old, new), worked out once a build for the stages that reuse their last
    build's work (render, the exports), kept in `carried` (a Memo's) for the pair. Weakly: the
    older site is not kept alive for it."""
    known = carried.get("changes")
    if known is None or known[0]() is not old or known[1]() is not new:
        known = (weakref.ref(old), weakref.ref(new), changed_parts(old, new))
        carried["changes"] = known
    return known[2]


def _differ(before, after) -> bool:
    # the same object is the same value: a record kept from the last build (memo.py) is not
    # compared field by field (a dataclass's == does not check identity first)
    return before is not after and before != after


@dataclasses.dataclass
class Rendered:
    """One build's pages and what each read: what the next build of the process may reuse."""

    site: object  # the resolved Site they were rendered from
    theme: str  # digest of the template files
    constants: list  # the values (not functions) every template is given besides the site
    jobs: list  # (output path, kind, id) of every page, in order (render.Renderer.pages)
    pages: Files  # output path → bytes
    reads: dict  # output path → frozenset of parts (its context's and its template's; not
    # those of its long lists' chunks, which each chunk holds: lists_read_by)
    # (macro, record id, folder) → (record, HTML, reads): the lines aggregate pages repeat,
    # made by this build or an earlier one, each kept while nothing it read changes
    fragments: dict = dataclasses.field(default_factory=dict)
    # (macro, folder, ids) → splice.Chunk: the chunks of long lists (Renderer.each) the pages show
    chunks: dict = dataclasses.field(default_factory=dict)
    lists: dict = dataclasses.field(default_factory=dict)  # output path → its chunks' keys
    # part → the keys of the fragments whose reads hold it (readers, for `fragments`)
    fragment_readers: dict = dataclasses.field(default_factory=dict)
    # part → the output paths whose reads hold it: `reads` the other way round (readers)
    readers: dict = dataclasses.field(default_factory=dict)
    positions: dict = dataclasses.field(default_factory=dict)  # output path → place in jobs
    # (prose.Note, folder) → (HTML, reads): the notes of the pages this build rendered again
    # (render.Renderer.note), kept for the next build while nothing they read changes
    notes: dict = dataclasses.field(default_factory=dict)


def still_valid(previous: Rendered | None, theme: str, constants: list) -> bool:
    """Whether anything of `previous` may be reused: the same templates and constants."""
    return previous is not None and previous.theme == theme and previous.constants == constants


# The mappings whose keys, in order, are the pages of the site (render.Renderer.pages).
PAGED = ("facts", "sources", "entities", "pages")


def same_pages(old, new, changed: set[Part]) -> bool:
    """Whether two sites have the same pages in the same order: the keys of each of PAGED
    the same, in the same order (looked at only where something of the mapping changed)."""
    return all((name, WHOLE) not in changed or
               list(_as_mapping(name, getattr(old, name))) ==
               list(_as_mapping(name, getattr(new, name))) for name in PAGED)


def readers(reads: dict) -> dict[Part, set[str]]:
    """Each part of the site → the pages that read it."""
    found: dict = {}
    for path, parts in reads.items():
        for part in parts:
            found.setdefault(part, set()).add(path)
    return found


def read_by(index: dict, changed: set[Part]) -> set[str]:
    """The pages that read one of the `changed` parts."""
    found: set = set()
    for part in changed:
        found.update(index.get(part, ()))
    return found


def lists_read_by(lists: dict, chunks: dict, changed: set[Part]) -> set[str]:
    """The pages whose long lists (`lists`: output path → the keys of its `chunks`) show a chunk
    that read one of the `changed` parts. A page's own reads leave its chunks' out (one part for
    every fact of the timeline, noted again at every render): they are looked up here, a chunk
    at a time, only when a chunk read a changed part."""
    stale = {key for key, chunk in chunks.items() if not changed.isdisjoint(chunk.reads)}
    if not stale:
        return set()
    return {path for path, keys in lists.items() if not stale.isdisjoint(keys)}


def reindex(index: dict, path: str, before: frozenset, after: frozenset) -> None:
    """A page that read `before` and now reads `after`, in the index (readers)."""
    if before == after:
        return
    for part in before - after:
        pages = index[part]
        pages.discard(path)
        if not pages:
            del index[part]
    for part in after - before:
        index.setdefault(part, set()).add(path)


def carry(kept: dict, index: dict, changed: set[Part], made: dict, reads_of) -> None:
    """Bring `kept` (key → what was made from the last build's site; `index`, each part → the
    keys whose `reads_of(made thing)` hold it) up to this build's: what read a `changed` part
    dropped, what this build `made` put in. Kept so, a thing outlives the builds that did not
    need it (a line of the timeline, after an edit that rendered no timeline) and is never
    stale."""
    for key in read_by(index, changed) - made.keys():
        reindex(index, key, reads_of(kept.pop(key)), frozenset())
    for key, value in made.items():
        old = kept.get(key)
        if old is not value:
            reindex(index, key, reads_of(old) if old is not None else frozenset(),
                    reads_of(value))
            kept[key] = value
