"""Resolve: validated records → a `Site` with every reference followed and every backlink built.

Owns: dangling references (citations, attribution, about, related, contradicts, key facts,
`[@id]` in prose), quotes checked against archived documents, the order of everything, and the
warnings for facts, sources and entities nothing uses. Reads no files (documents arrive as text)
and renders nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import operator
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from . import provenance
from .drafts import named_entities
from .documents import structure
from .errors import Diagnostic, Diagnostics, Location, suggest
from .links import FactLinks, Links, PageLinks
from .memo import Memo, memoised
from .model import Content, Fact, QuoteSpan, Site, quote_anchor
from .prose import BARE, Prose
from .quotes import Folded, Placement, find_all, fold_document, missing_hint, passage, place
from .units import check_conversion

T = TypeVar("T")


def find_quote(quote: str, locator: str, folded: Folded) -> tuple[Placement | None, str]:
    """Where a quote is in a document's folded text, the occurrence its locator picks (None:
    not there) and its words as the document has them: a pure function of the quote, the
    locator and the document's text (`folded` is made from that text alone)."""
    found = find_all(quote, folded.original, folded=folded)
    if not found:
        return None, ""
    placed = place(found, locator, folded.structure)
    return placed, passage(placed.occurrence, folded)


@dataclass
class _Records:
    """The records by id. In a process that builds again they are kept (not on disk) with what
    they were made from, compared by identity: a build whose facts are the last one's but for a
    few (an edit, their ids and draft marks as they were) updates them, and tells which."""

    made_from: tuple  # the content's (facts, sources, entities, left_out)
    facts: dict[str, Fact]
    sources: dict
    entities: dict
    drafts: dict[str, str]  # every draft, shown or left out (drafts.leave_out) → its kind
    left_out: set[str]
    kind_of: dict[str, str]  # every id references may name → its kind
    position: dict[str, int]  # fact id → its place among the facts
    # where content.facts has facts that are not the last build's objects; None: all are new
    changed: list[int] | None = None
    # record id → (the record, the warning that nothing uses it), made once (_Resolver.unused)
    warned: dict = field(default_factory=dict)
    # the facts cited by no page, with what they were found from (_Resolver.uncited): kept
    # while the facts are these (their ids, places and draft marks: not when made anew)
    uncited: tuple | None = None


def _same_objects(one: tuple, other: tuple) -> bool:
    """Whether two tuples hold the same objects (compared by identity)."""
    return len(one) == len(other) and all(map(operator.is_, one, other))


def _records(content: Content, last: _Records | None) -> _Records:
    made_from = (content.facts, content.sources, content.entities, content.left_out)
    if last is not None and last.made_from[3] == content.left_out and all(
            map(_same_objects, last.made_from[1:3], made_from[1:3])) \
            and len(last.made_from[0]) == len(content.facts):
        old, new = last.made_from[0], content.facts
        changed = list(itertools.compress(itertools.count(), map(operator.is_not, old, new)))
        if all(old[i].id == new[i].id and old[i].draft == new[i].draft for i in changed):
            for i in changed:
                last.facts[new[i].id] = new[i]
            return dataclasses.replace(last, made_from=made_from, changed=changed)
    facts = {f.id: f for f in content.facts}
    sources = {s.id: s for s in content.sources}
    entities = {e.id: e for e in content.entities}
    drafts = {record.id: "fact" if isinstance(record, Fact) else "entity"
              for record in (*content.left_out, *content.facts, *content.entities)
              if record.draft}
    left_out = {record.id for record in content.left_out}
    kind_of = {**dict.fromkeys(entities, "entity"), **dict.fromkeys(sources, "source"),
               **dict.fromkeys(facts, "fact"),
               **{i: k for i, k in drafts.items() if i in left_out}}
    return _Records(made_from, facts, sources, entities, drafts, left_out, kind_of,
                    {fact_id: n for n, fact_id in enumerate(facts)},
                    warned={} if last is None else
                    {i: held for i, held in last.warned.items() if i in kind_of})


class _Resolver:
    def __init__(self, content: Content, diagnostics: Diagnostics, memo: Memo | None = None,
                 last: _Records | None = None):
        self.content = content
        self.diagnostics = diagnostics
        self.memo = memo
        self.folded: dict[str, Folded] = {}  # document name → fold_document(text)
        self._known: str | None = None  # known()
        self.records = _records(content, last)
        self.facts, self.sources, self.entities = \
            self.records.facts, self.records.sources, self.records.entities
        self.drafts, self.left_out, self.kind_of = \
            self.records.drafts, self.records.left_out, self.records.kind_of

    def reference(self, where: Location, key: str, ref: str, wanted: str, pool: dict,
                  owner: str, reviewed: bool = True) -> bool:
        """Whether `ref` names a record of the pool; reports it when it names none. A reference
        to a record that has errors of its own is not reported again: fixing it is one step.
        A `reviewed` owner resting on a draft is warned, whether or not drafts are shown; a
        draft left out of this build is then not also an unknown id."""
        if self.drafts.get(ref) == wanted:
            if reviewed:
                self.rests_on_draft(where, key, ref, wanted, owner)
            if ref in self.left_out:
                return False
        invalid = self.content.invalid
        if ref in pool:
            return ref not in invalid
        other = self.kind_of.get(ref) or invalid.get(ref)
        if other == wanted:
            return False
        if other:
            hint = f"'{ref}' is a{'n' if other[0] in 'ae' else ''} {other}; '{key}' takes " \
                   f"{wanted} ids"
        else:  # never suggest an id that is itself broken
            hint = suggest(ref, [i for i in pool if i not in invalid]) or \
                f"no {wanted} has that id"
        self.diagnostics.error(where, f"{owner} refers to unknown {wanted} '{ref}'", key=key,
                               hint=hint)
        return False

    def rests_on_draft(self, where: Location, key: str, ref: str, wanted: str,
                       owner: str) -> None:
        if key == "citation":
            self.diagnostics.warning(where, f"{owner} cites draft fact '{ref}': published prose "
                                     "must not rest on an unreviewed fact", key=key,
                                     hint=f"review fact '{ref}' and remove its 'draft: true', "
                                          "or cite a reviewed fact")
            return
        self.diagnostics.warning(where, f"{owner} refers to draft {wanted} '{ref}': a reviewed "
                                 f"record must not rest on an unreviewed {wanted}", key=key,
                                 hint=f"review {wanted} '{ref}' and remove its 'draft: true', "
                                      f"or remove '{ref}' from '{key}'")

    def fact_references(self, fact: Fact) -> None:
        owner = f"fact '{fact.id}'"
        for key, wanted, pool in (("attribution", "entity", self.entities),
                                  ("about", "entity", self.entities),
                                  ("related", "fact", self.facts),
                                  ("contradicts", "fact", self.facts)):
            places = fact.ref_locations.get(key, ())
            for n, ref in enumerate(getattr(fact, key)):
                where = places[n] if n < len(places) else fact.location
                if ref == fact.id and wanted == "fact":
                    self.diagnostics.error(where, f"{owner} lists itself under '{key}'", key=key)
                    continue
                self.reference(where, key, ref, wanted, pool, owner, not fact.draft)
        for number, citation in enumerate(fact.citations, start=1):
            places = citation.ref_locations.get("attribution", ())
            for n, ref in enumerate(citation.attribution or ()):
                where = places[n] if n < len(places) else citation.location
                self.reference(where, "attribution", ref, "entity", self.entities,
                               f"citation {number} of fact '{fact.id}'", not fact.draft)

    def conversions(self, fact: Fact) -> tuple:
        """Each quantity's check against the one it converts (None where not a conversion);
        a conversion that does not hold is a warning with both figures and the computed one."""
        checks, converts = [], None
        for quantity in fact.quantities:
            if not quantity.converted or converts is None:
                checks.append(None)
                converts = quantity if not quantity.converted else converts
                continue
            given = (converts.value, converts.unit, quantity.value, quantity.unit)
            # Kept: a rebuild that reuses it does not import the units library and build its
            # registry (0.3 s). Keyed by repr, so that 5000 and 5000.0, said differently in
            # the reason, are two keys.
            found = memoised(self.memo, "conversion", repr(given),
                             lambda: check_conversion(*given))
            if found.checked and not found.holds:
                self.diagnostics.warning(quantity.location, f"conversion in fact '{fact.id}' does "
                                         f"not hold: {found.reason}", key="converted",
                                         hint="check both figures against the source; if the "
                                              "source's own conversion is wrong, keep it and say "
                                              "so in 'notes'")
            checks.append(found)
        return tuple(checks)

    def claimant_name(self, claimant: str) -> str:
        """An entity's name, or a source's title in its own voice. (A fact's warnings are found
        whether or not the briefing has errors, and told only when it has none: an id that names
        neither, in a briefing with errors, is shown as it is.)"""
        if claimant in self.entities:
            return self.entities[claimant].name
        if claimant in self.sources:
            return f"{self.sources[claimant].title} (in its own voice)"
        return claimant

    def confirmation(self, fact: Fact, claimants: tuple[str, ...]) -> None:
        """`confirmed` means more than one independent party: check the chains bear it out."""
        if fact.status != "confirmed" or len(claimants) >= 2:
            return
        names = "; ".join(self.claimant_name(c) for c in claimants)
        self.diagnostics.warning(fact.key_locations.get("status", fact.location),
                                 f"fact '{fact.id}' is 'confirmed' but rests on "
                                 f"{len(claimants)} independent claimant: {names}",
                                 key="status", hint="cite a second, independent source, or use "
                                                    "the status that fits ('reported', 'stated')")

    def fact_links(self, fact: Fact, held: FactLinks | None) -> FactLinks:
        """What is found of one fact alone: `held` (the last build's) when what it was found
        from is as it was, else checked again (its quotes through the memo)."""
        inputs = self.inputs(fact)
        if held is not None and held.inputs == inputs:
            return held if held.fact is fact else dataclasses.replace(held, fact=fact)
        spans: dict[str, list[QuoteSpan]] = defaultdict(list)
        passages: dict[str, str] = {}
        problems, _ = self.apart(lambda: (self.fact_references(fact),
                                          self.quotes(fact, spans, passages)))
        fact_chains = provenance.chains(fact)
        claimants = provenance.claimants(fact_chains)
        lint, conversions = (), None
        if any(q.converted for q in fact.quantities):
            lint, conversions = self.apart(lambda: self.conversions(fact))
        lint += self.apart(lambda: self.confirmation(fact, claimants))[0]
        entries = [("facts_citing", citation.source, fact.id) for citation in fact.citations]
        entries += [("facts_about", entity_id, fact.id) for entity_id in fact.about]
        entries += [("facts_attributed", entity_id, fact.id)
                    for entity_id in provenance.attributed_entities(fact)]
        for key, name in (("contradicts", "contradictions"), ("related", "relations")):
            for other in getattr(fact, key):
                if other in self.facts and other != fact.id:
                    entries += [(name, fact.id, other), (name, other, fact.id)]
        entries += [("quote_spans", source_id, span)
                    for source_id, listed in spans.items() for span in listed]
        return FactLinks(fact, inputs, timeline_place(fact), tuple(entries),
                         tuple(passages.items()), fact_chains, claimants, conversions, problems,
                         lint)

    def apart(self, step: Callable[[], T]) -> tuple[tuple, T]:
        """`step()` with the problems it reports kept apart: (the problems, its result)."""
        found = Diagnostics()
        found.stage = self.diagnostics.stage
        before, self.diagnostics = self.diagnostics, found
        try:
            result = step()
            return tuple(found.items), result
        finally:
            self.diagnostics = before

    def inputs(self, fact: Fact) -> tuple:
        """All that what is found of a fact is made from besides the fact: where its parts are,
        what each id it names is (the whole list of ids known where one names nothing, for the
        hint), the document of each source it cites and the names of its claimants."""
        named = [*fact.attribution, *fact.about, *fact.related, *fact.contradicts]
        for citation in fact.citations:
            named += [citation.source, *(citation.attribution or ())]
        invalid = self.content.invalid
        what = tuple((ref, self.kind_of.get(ref), self.drafts.get(ref), ref in self.left_out,
                      invalid.get(ref)) for ref in named)
        unknown = any(kind is None for _, kind, *_ in what)
        documents = []
        for citation in fact.citations:
            source = self.sources.get(citation.source)
            name = source.document if source is not None else None
            documents.append((name, self.content.documents.get(name)))
        names = tuple(map(self.claimant_name, provenance.claimants(provenance.chains(fact))))
        where = (fact.key_locations, fact.ref_locations,
                 tuple((c.key_locations, c.ref_locations) for c in fact.citations))
        return (fact, where, what, unknown and self.known(), tuple(documents), names)

    def known(self) -> str:
        """A digest of every id that references may name, and of which are drafts, left out
        or invalid: what a fact's checks read of the rest of the briefing."""
        if self._known is None:
            digest = hashlib.blake2b(digest_size=16)
            for part in (self.kind_of, self.drafts, dict.fromkeys(self.left_out, ""),
                         self.content.invalid):
                digest.update(repr(sorted(part.items())).encode())
            self._known = digest.hexdigest()
        return self._known

    def quotes(self, fact: Fact, spans: dict, passages: dict) -> None:
        """Each citation's quote found in its source's document: its spans and its passage, or
        its problems."""
        for number, citation in enumerate(fact.citations, start=1):
            if not self.reference(citation.location, "source", citation.source, "source",
                                  self.sources, f"citation of fact '{fact.id}'"):
                continue
            source = self.sources[citation.source]
            if source.document is None:
                self.diagnostics.warning(citation.quote_location,
                                         f"quote of fact '{fact.id}' cannot be checked: source "
                                         f"'{source.id}' has no archived document", key="quote",
                                         hint="archive its text under content/documents/ and "
                                              "set 'document:'")
                continue
            text = self.content.documents.get(source.document)
            if text is None:
                continue  # reported once per source in `documents`
            folded = self.prepared(source.document, text)
            key = (citation.quote, citation.locator, text)
            placed, shown = memoised(self.memo, "quote", key,
                                     lambda: find_quote(citation.quote, citation.locator, folded))
            if placed is None:
                self.diagnostics.error(citation.quote_location,
                                       f"quote of fact '{fact.id}' does not occur in "
                                       f"'{source.document}', the archived text of source "
                                       f"'{source.id}'", key="quote",
                                       hint=missing_hint(citation.quote, folded) or
                                       "copy the passage verbatim from the document")
                continue
            if placed.message:
                where = citation.key_locations.get("locator", citation.quote_location) \
                    if placed.about_locator else citation.quote_location
                self.diagnostics.warning(where, f"quote of fact '{fact.id}': {placed.message}",
                                         key="locator" if placed.about_locator else "quote",
                                         hint=placed.hint)
            for part, (start, end) in enumerate(placed.occurrence.spans, start=1):
                spans[source.id].append(QuoteSpan(fact.id, number, start, end, part))
            passages[quote_anchor(fact.id, number)] = shown

    def prepared(self, name: str, text: str) -> Folded:
        """A document's structure and folded text, made once however many quotes it holds."""
        if name not in self.folded:
            self.folded[name] = memoised(self.memo, "fold", text, lambda: fold_document(text))
        return self.folded[name]

    def structure(self, name: str, text: str):
        """A document's structure: from its folding where a quote needed one, else read alone
        (folding a document no quote touches would be wasted work)."""
        if name in self.folded:
            return self.folded[name].structure
        return memoised(self.memo, "structure", text, lambda: structure(text))

    def documents(self) -> None:
        for source in self.content.sources:
            if source.document is not None and source.document not in self.content.documents:
                self.diagnostics.error(source.key_locations.get("document", source.location),
                                       f"source '{source.id}': document '{source.document}' not "
                                       "found under content/documents/", key="document",
                                       hint=suggest(source.document, self.content.documents) or
                                       "give the path relative to content/documents/")

    def cited_in(self, prose: Prose | None, owner: str) -> tuple[str, ...]:
        """Fact ids a text's prose cites, in order of first use; reports its citation problems.
        A bare '@id' is reported only where a fact has that id."""
        if prose is None:
            return ()
        for problem in prose.problems:
            if problem.kind == BARE and (problem.fact_id not in self.facts and
                                         problem.fact_id not in self.left_out or
                                         problem.fact_id in self.content.invalid):
                continue
            report = self.diagnostics.warning if problem.severity == "warning" \
                else self.diagnostics.error
            report(problem.location, problem.message, key=problem.key, hint=problem.hint)
        order: dict[str, None] = {}
        for cite in prose.citations:
            if self.reference(cite.location, "citation", cite.fact_id, "fact", self.facts, owner):
                order.setdefault(cite.fact_id)
        return tuple(order)

    def key_facts(self) -> None:
        config = self.content.config
        places = config.ref_locations.get("key_facts", ())
        for n, ref in enumerate(config.key_facts or ()):
            where = places[n] if n < len(places) else config.location
            self.reference(where, "key_facts", ref, "fact", self.facts, "site.yaml")

    def unused(self, cited_by: dict, home_citations: tuple, facts_citing,
               referenced_entities) -> None:
        """Warnings for what nothing uses. A draft is not warned: it is linted once reviewed;
        and what only a draft left out of this build uses is not unused."""
        drafted = [record for record in self.content.left_out if isinstance(record, Fact)]
        facts_citing = {**facts_citing, **{c.source: True for f in drafted for c in f.citations}}
        referenced_entities = referenced_entities.union(*map(named_entities, drafted))
        for warning in self.uncited(cited_by, home_citations):
            self.diagnostics.add(warning)
        for source in self.content.sources:
            if not facts_citing.get(source.id):
                self.diagnostics.add(self.unused_warning(
                    source, f"source '{source.id}' is used by no fact"))
        for entity in self.content.entities:
            if entity.id not in referenced_entities and not entity.draft:
                self.diagnostics.add(self.unused_warning(
                    entity, f"entity '{entity.id}' is referred to by no fact",
                    "name it in a fact's 'about' or 'attribution', or remove it"))

    def uncited(self, cited_by: dict, home_citations: tuple) -> list[Diagnostic]:
        """The warnings for the facts no page cites, in the facts' order: the last build's
        while the pages cite the same facts and the facts are the same ids in the same places
        (records kept), a fact edited since given its warning again (a thousand warnings are
        not looked for among ten thousand facts again after each edit)."""
        held, stage = self.records.uncited, self.diagnostics.stage
        if held is not None and held[2] == stage and held[1] == home_citations and (
                held[0] is cited_by or held[0].keys() == cited_by.keys()):
            ids, facts, warnings = held[3], list(map(self.facts.__getitem__, held[3])), held[5]
            for at in itertools.compress(itertools.count(), map(operator.is_not, held[4], facts)):
                warnings[at] = self.uncited_warning(facts[at])
        else:
            cited = cited_by.keys() | set(home_citations)
            facts = [fact for fact in self.facts.values()
                     if not fact.draft and fact.id not in cited]
            ids, warnings = [fact.id for fact in facts], list(map(self.uncited_warning, facts))
        self.records.uncited = (cited_by, home_citations, stage, ids, facts, warnings)
        return warnings

    def uncited_warning(self, fact: Fact) -> Diagnostic:
        return self.unused_warning(fact, f"fact '{fact.id}' is cited by no page",
                                   f"cite it in prose as [@{fact.id}]")

    def unused_warning(self, record, message: str, hint: str = "") -> Diagnostic:
        """The warning that nothing uses `record`: the last build's for the same record object
        (a thousand such warnings, made again each build, cost more than finding them)."""
        held = self.records.warned.get(record.id)
        if held is None or held[0] is not record or held[1].stage != self.diagnostics.stage:
            warned = Diagnostics(stage=self.diagnostics.stage)
            warned.warning(record.location, message, key="id", hint=hint)
            held = self.records.warned[record.id] = (record, warned.items[0])
        return held[1]


def placed(fact: Fact):
    """The date a fact is placed at: its `date`, else its `as_of`."""
    return fact.date or fact.as_of


def timeline_place(fact: Fact) -> tuple:
    """Where the timeline puts a fact: by when it happened, else by when its figure was said to
    hold; undated facts last; by id on the same date."""
    when = placed(fact)
    return (when is None, when.sort_key if when else (), fact.id)


def _ground(content: Content, same_ids: tuple | None = None) -> tuple:
    """What every fact's links are checked against besides the fact: the records it may name
    and the documents. Equal grounds (compared item by item, the same objects at once): only
    the facts that changed are checked again. `same_ids`: a ground of facts with the same ids
    and draft marks, whose parts saying them are taken as they are."""
    ids = same_ids[5:] if same_ids is not None else (
        tuple(fact.id for fact in content.facts), tuple(f.id for f in content.facts if f.draft))
    return (content.sources, content.entities, tuple(content.documents.items()),
            tuple(content.invalid.items()), content.left_out, *ids)


# what each fact holds of the site's maps keyed by fact: (key, value) items
_FACT_MAPS = {"facts": lambda found: ((found.fact.id, found.fact),),
              "passages": lambda found: found.passages,
              "chains": lambda found: ((found.fact.id, found.chains),),
              "claimants": lambda found: ((found.fact.id, found.claimants),),
              "conversions": lambda found: () if found.conversions is None else
              ((found.fact.id, found.conversions),)}


def resolve(content: Content, diagnostics: Diagnostics,
            memo: Memo | None = None) -> Site | None:
    """The resolved site; None when the briefing has errors (nothing is rendered from it then,
    and the warnings that need a correct briefing — unused records, 'confirmed', conversions —
    wait until it has none). With a memo, the links of the last build are taken up again
    (links.py): a fact or page found as it was is not checked again."""
    records = memo.carried.pop("records", None) if memo is not None else None
    resolver = _Resolver(content, diagnostics, memo, records)
    if memo is not None:
        memo.carried["records"] = resolver.records
    links = memo.carried.pop("resolve", None) if memo is not None else None
    links = links if links is not None else Links()
    # the facts' ids as the last build's (links.ground, made from the same facts as `records`)
    ground = _ground(content, links.ground if resolver.records.changed is not None else None)
    everything = links.ground != ground  # else only the facts and pages that changed
    if everything:
        links.ground = ground
    resolver.documents()
    _check_facts(resolver, links, everything)
    page_citations = _check_pages(resolver, links, everything)
    if memo is not None:  # kept whatever comes next: it holds what this build checked
        memo.carried["resolve"] = links
    if content.config is None:
        return None
    resolver.key_facts()
    summary = content.summary
    home_citations = resolver.cited_in(summary.prose, "the summary") if summary else ()
    if diagnostics.errors:
        # Nothing is rendered from a briefing with errors; and "unused" warnings are a lint for
        # a correct one (a broken record's references are missing, so they would be false).
        return None

    remade = links.grounded_on is not links.ground
    if remade:
        links.grounded, links.grounded_on = _grounded(resolver, links.grounded), links.ground
    grounded = links.grounded
    last = memo.carried.pop("pages", None) if memo is not None else None
    pages = last[1] if last is not None and _same_objects(last[0], content.pages) else \
        sorted(content.pages, key=lambda p: (p.order is None, p.order or 0, p.title, p.slug))
    if memo is not None:  # (a fact edited: the same pages, not sorted again)
        memo.carried["pages"] = (content.pages, pages)
    page_rank = {p.slug: n for n, p in enumerate(pages)}
    pages_moved, links.page_rank = links.page_rank != page_rank, page_rank
    by_fact = links.fact_maps(_FACT_MAPS)
    maps = links.maps({"facts": links.timeline, "sources": grounded["sources"],
                       "entities": grounded["entities"]}, page_rank.__getitem__,
                      pages_moved, remade)
    key_numbers = _key_numbers(content.config.key_facts, by_fact["facts"], links)
    links.made_again()
    resolver.unused(maps["cited_by"], home_citations, maps["facts_citing"],
                    maps["facts_about"].keys() | maps["facts_attributed"].keys())
    for problem in links.problems(lint=True):
        diagnostics.add(problem)
    return Site(config=content.config, pages=tuple(pages), page_citations=page_citations,
                summary=summary, home_citations=home_citations, key_numbers=key_numbers,
                **grounded, **by_fact, **maps)


def _key_numbers(chosen: tuple[str, ...] | None, facts: dict[str, Fact], links: Links) -> tuple:
    """Site.key_numbers. Without key_facts, the last build's (links.key_numbers) while no fact
    came, went or moved and the facts that changed say no figure, before or after: an edit
    then looks at those facts, not at every fact, and the home page that shows them is
    rendered again only when they change (depends.py)."""
    if chosen is not None:
        links.key_numbers = None
        return tuple((facts[i], q) for i in chosen if i in facts for q in _said(facts[i]))
    last = links.key_numbers
    if last is None or links.moved or any(held is None or _said(held.fact) or _said(facts[i])
                                          for i, held in links.replaced.items()):
        last = links.key_numbers = tuple((fact, q) for fact in facts.values()
                                         for q in _said(fact))
    return last


def _said(fact: Fact) -> list:
    """A fact's quantities as it says them (not those converted from them)."""
    return [q for q in fact.quantities if not q.converted]


def _check_facts(resolver: _Resolver, links: Links, everything: bool) -> None:
    """Each fact's links, found again where the fact is not the one the links were found for
    (or, `everything`, where what they were found from changed), with their problems."""
    facts, changed = resolver.content.facts, resolver.records.changed
    # the others are the objects the last build checked (links.facts holds what it found)
    for fact in facts if everything or changed is None else [facts[i] for i in changed]:
        held = links.facts.get(fact.id)
        if everything or held is None or held.fact is not fact:
            found = resolver.fact_links(fact, held)
            if found is not held:
                links.put_fact(found)
    if everything:
        links.drop(links.facts.keys() - {fact.id for fact in facts})
    for problem in links.problems():
        resolver.diagnostics.add(problem)


def _check_pages(resolver: _Resolver, links: Links, everything: bool) -> dict:
    """page slug → the fact ids it cites, each page's citations checked again where it changed
    (or, `everything`, where the ids they may name did), with their problems."""
    page_citations = {}
    for page in resolver.content.pages:
        held = links.pages.get(page.slug)
        if everything or held is None or held.page != page:
            problems, cited = resolver.apart(
                lambda: resolver.cited_in(page.prose, f"page '{page.slug}'"))
            links.put_page(held := PageLinks(page, cited, problems))
        for problem in held.problems:
            resolver.diagnostics.add(problem)
        page_citations[page.slug] = held.citations
    links.drop(slugs=links.pages.keys() - page_citations.keys())
    return page_citations


def _grounded(resolver: _Resolver, last: dict) -> dict:
    """The site's fields made from the sources, entities and documents alone: made again when
    they change (a document's structure kept from `last` while its text is the same)."""
    content = resolver.content
    documents = {s.id: content.documents[s.document] for s in content.sources
                 if s.document in content.documents}
    held = last.get("documents", {})
    structures = {i: last["structures"][i] if held.get(i) == text else
                  resolver.structure(resolver.sources[i].document, text)
                  for i, text in documents.items()}
    return {"sources": {s.id: s for s in sorted(content.sources,
                                                key=lambda s: (s.title.casefold(), s.id))},
            "entities": {e.id: e for e in sorted(content.entities,
                                                 key=lambda e: (e.name.casefold(), e.id))},
            "documents": documents, "structures": structures}
