"""Links: the back-links of a resolved site, kept up to date record by record.

Owns: turning what resolve found of each fact alone (`FactLinks`: its place on the timeline, what
it cites, names and links to, its quotes' spans) and of each page (the facts it cites) into the
site's maps — the facts citing a source, about or attributed to an entity, contradicting or
related to a fact; the pages citing a fact; the quote spans in a source — each entry sorted, the
keys in the site's order of their records. A rebuild in a process that built before (serve)
takes out what the changed records put in and puts in what they put in now: only the entries
they touch are sorted again, and a map none of them touches is the same object as before (so
depends.changed_parts sees it unchanged at once). A first build is the same steps from empty.
Plain data; imports nothing of ours but the model.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

from .model import Fact, Page, QuoteSpan

# map → the records its keys name (the order of its keys), and what its members are sorted by
MAPS = {"facts_citing": ("sources", "timeline"), "facts_about": ("entities", "timeline"),
        "facts_attributed": ("entities", "timeline"), "contradictions": ("facts", "timeline"),
        "relations": ("facts", "timeline"), "quote_spans": ("sources", "text"),
        "cited_by": ("facts", "pages")}

Entry = tuple[str, str, Hashable]  # (map, key, member): the member is listed under the key


def in_text(span: QuoteSpan) -> tuple:
    """A quote span's place in its document: outer spans before the ones they hold; a fact's own
    in citation order."""
    return span.start, -span.end, span.fact_id, span.citation, span.part


@dataclass(frozen=True)
class FactLinks:
    """What resolve finds of one fact alone, given the ids the briefing knows and the documents
    it quotes (`inputs`, all that the rest is made from besides the fact)."""

    fact: Fact
    inputs: Hashable
    place: tuple  # where the timeline puts it
    entries: tuple[Entry, ...]
    passages: tuple[tuple[str, str], ...]  # (quote anchor, the passage as the document has it)
    chains: tuple
    claimants: tuple[str, ...]
    conversions: tuple | None  # None: no converted quantity
    problems: tuple  # found checking it: reported by every build that uses it
    lint: tuple  # warnings only a briefing without errors is given


@dataclass(frozen=True)
class PageLinks:
    """The facts a page cites, in order of first use, and the problems of its citations."""

    page: Page
    citations: tuple[str, ...]
    problems: tuple

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(("cited_by", fact_id, self.page.slug) for fact_id in self.citations)


class Links:
    """The maps of the last build, and the records they were made from."""

    def __init__(self, ground: Hashable = None) -> None:
        self.ground = ground  # what the records' links were last checked against (resolve.py)
        self.grounded: dict = {}  # the site's fields made from the ground alone (resolve.py) …
        self.grounded_on: Hashable = None  # … the one they were made from
        self.facts: dict[str, FactLinks] = {}  # by id, in the order the content gives them
        self.pages: dict[str, PageLinks] = {}
        self.timeline: list[str] = []  # fact ids, in timeline order
        self.page_rank: dict[str, int] = {}  # page slug → its place among the pages
        self.members: dict[str, dict] = {name: {} for name in MAPS}  # key → {member: count}
        self.made: dict[str, dict] = {name: {} for name in MAPS}  # key → sorted members
        self.touched: dict[str, set] = {name: set() for name in MAPS}
        self.moved = True  # the timeline changed since the maps were made
        self.replaced: dict[str, FactLinks | None] = {}  # since then: id → what it was
        self.by_fact: dict[str, dict] = {}  # the maps keyed by fact (Site.facts, chains …)
        self.key_numbers: tuple | None = None  # Site.key_numbers, without key_facts (resolve.py)
        self._problems: dict[bool, tuple] = {}  # problems(): made again when a fact changes

    def put_fact(self, found: FactLinks) -> None:
        held = self.facts.get(found.fact.id)
        if held is None or held.problems != found.problems or held.lint != found.lint:
            self._problems = {}  # (the same problems of a fact kept where it was: as they were)
        self.replaced.setdefault(found.fact.id, held)
        if held is not None:
            self._count(held.entries, -1)
            self.moved = self.moved or held.place != found.place
        else:
            self.moved = True
        self._count(found.entries, 1)
        self.facts[found.fact.id] = found

    def put_page(self, found: PageLinks) -> None:
        held = self.pages.get(found.page.slug)
        if held is not None:
            self._count(held.entries, -1)
        self._count(found.entries, 1)
        self.pages[found.page.slug] = found

    def drop(self, fact_ids: Iterable[str] = (), slugs: Iterable[str] = ()) -> None:
        """Take out records no longer in the content."""
        for fact_id in fact_ids:
            self._problems = {}
            self.replaced.setdefault(fact_id, self.facts[fact_id])
            self._count(self.facts.pop(fact_id).entries, -1)
            self.moved = True
        for slug in slugs:
            self._count(self.pages.pop(slug).entries, -1)

    def _count(self, entries: tuple[Entry, ...], step: int) -> None:
        for name, key, member in entries:
            members = self.members[name]
            counts = members.setdefault(key, {})
            count = counts.get(member, 0) + step
            if count:
                counts[member] = count
            else:
                del counts[member]
                if not counts:
                    del members[key]
            self.touched[name].add(key)

    def problems(self, lint: bool = False) -> tuple:
        """The problems found checking each fact, in the order of the facts (with `lint`, the
        warnings only a briefing without errors is given)."""
        if lint not in self._problems:
            self._problems[lint] = tuple(problem for found in self.facts.values()
                                         for problem in (found.lint if lint else found.problems))
        return self._problems[lint]

    def order(self) -> list[str]:
        """The fact ids in timeline order, sorted again only when a fact moved, came or went."""
        if self.moved:
            self.timeline = sorted(self.facts, key=lambda i: self.facts[i].place)
        return self.timeline

    def maps(self, keys: dict[str, Sequence[str]], page_rank: Callable[[str], object],
             pages_moved: bool, records_moved: bool) -> dict[str, dict]:
        """Every map: an entry a record changed sorted again; a map whose keys, or their order,
        changed made again in the order of `keys` ("facts", "sources", "entities")."""
        facts = self.facts
        sort = {"timeline": lambda i: facts[i].place, "text": in_text, "pages": page_rank}
        for name, (keyed_by, sorted_by) in MAPS.items():
            touched, members, made = self.touched[name], self.members[name], self.made[name]
            reorder = records_moved or (self.moved and keyed_by == "facts") or \
                (pages_moved and sorted_by == "pages")
            if reorder and sorted_by == "pages":
                touched = set(members)  # a page's rank decides where it is in every entry
            if not touched and not reorder:
                continue
            fresh = {key: tuple(sorted(members[key], key=sort[sorted_by]))
                     for key in touched if key in members}
            if not reorder and all(key in made for key in fresh) and \
                    all(key in members for key in touched):
                self.made[name] = {**made, **fresh}  # the keys and their order as they were
            else:
                every = {**made, **fresh}
                self.made[name] = {key: every[key] for key in keys[keyed_by] if key in members}
            self.touched[name] = set()
        return self.made

    def fact_maps(self, fields: dict[str, Callable[[FactLinks], Iterable[tuple]]]) \
            -> dict[str, dict]:
        """The maps of what each fact holds (`fields`: name → its (key, value) items), in
        timeline order: the changed facts' items put in place when their keys are as they
        were, else the map made again."""
        timeline, facts = self.order(), self.facts
        changed = [i for i in self.replaced if i in facts]
        for name, items in fields.items():
            last = self.by_fact.get(name)
            if last is not None and not self.moved and all(
                    self.replaced[i] is not None and
                    [k for k, _ in items(self.replaced[i])] == [k for k, _ in items(facts[i])]
                    for i in changed):
                fresh = {key: value for i in changed for key, value in items(facts[i])}
                # values equal to the last (a fact's chains found again as they were): the
                # last map itself, which depends.changed_parts passes over at once
                if any(last[key] != value for key, value in fresh.items()):
                    self.by_fact[name] = {**last, **fresh}
            else:
                self.by_fact[name] = {key: value for i in timeline
                                      for key, value in items(facts[i])}
        return self.by_fact

    def made_again(self) -> None:
        """The maps are made: what changes from now on is the next build's."""
        self.moved, self.replaced = False, {}
