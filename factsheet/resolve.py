"""Resolve: validated records → a `Site` with every reference followed and every backlink built.

Owns: dangling references (citations, attribution, about, related, contradicts, key facts,
`[@id]` in prose), quotes checked against archived documents, the order of everything, and the
warnings for facts, sources and entities nothing uses. Reads no files (documents arrive as text)
and renders nothing.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from . import provenance
from .drafts import named_entities
from .documents import structure
from .errors import Diagnostics, Location, suggest
from .memo import Key, Memo, memoised
from .model import Content, Fact, QuoteSpan, Site, quote_anchor
from .prose import BARE, Prose
from .quotes import Folded, Placement, find_all, fold_document, missing_hint, passage, place
from .units import check_conversion

def find_quote(quote: str, locator: str, folded: Folded) -> tuple[Placement | None, str]:
    """Where a quote is in a document's folded text, the occurrence its locator picks (None:
    not there) and its words as the document has them: a pure function of the quote, the
    locator and the document's text (`folded` is made from that text alone)."""
    found = find_all(quote, folded.original, folded=folded)
    if not found:
        return None, ""
    placed = place(found, locator, folded.structure)
    return placed, passage(placed.occurrence, folded)


class _Resolver:
    def __init__(self, content: Content, diagnostics: Diagnostics, memo: Memo | None = None):
        self.content = content
        self.diagnostics = diagnostics
        self.memo = memo
        self.facts = {f.id: f for f in content.facts}
        self.sources = {s.id: s for s in content.sources}
        self.entities = {e.id: e for e in content.entities}
        self.folded: dict[str, Folded] = {}  # document name → fold_document(text)
        self.passages: dict[str, str] = {}  # quote anchor → the passage as the document has it
        # every draft, shown or left out (drafts.leave_out) → its kind
        self.drafts = {record.id: "fact" if isinstance(record, Fact) else "entity"
                       for record in (*content.left_out, *content.facts, *content.entities)
                       if record.draft}
        self.left_out = {record.id for record in content.left_out}
        self._known: str | None = None  # known()
        self.kind_of = {**{i: "entity" for i in self.entities}, **{i: "source" for i in self.sources},
                        **{i: "fact" for i in self.facts},
                        **{i: k for i, k in self.drafts.items() if i in self.left_out}}

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

    def confirmation(self, fact: Fact, claimants: tuple[str, ...]) -> None:
        """`confirmed` means more than one independent party: check the chains bear it out."""
        if fact.status != "confirmed" or len(claimants) >= 2:
            return
        names = "; ".join(self.entities[c].name if c in self.entities else
                          f"{self.sources[c].title} (in its own voice)" for c in claimants)
        self.diagnostics.warning(fact.key_locations.get("status", fact.location),
                                 f"fact '{fact.id}' is 'confirmed' but rests on "
                                 f"{len(claimants)} independent claimant: {names}",
                                 key="status", hint="cite a second, independent source, or use "
                                                    "the status that fits ('reported', 'stated')")

    def fact_checks(self, fact: Fact) -> tuple[tuple, tuple]:
        """A fact's references and quotes checked → ((source id, QuoteSpan) …, (anchor, passage)
        …). Kept from the last build (with its problems) when the fact, where its parts are,
        the ids known and the documents it quotes are all as they were: a rebuild after one
        edit checks the edited facts alone."""
        def check(found: Diagnostics) -> tuple[tuple, tuple, tuple]:
            before, self.diagnostics = self.diagnostics, found
            spans, passages, located = defaultdict(list), {}, []
            try:
                self.fact_references(fact)
                self.quotes(fact, spans, passages, located)
            finally:
                self.diagnostics = before
            return (tuple((source, span) for source, listed in spans.items() for span in listed),
                    tuple(passages.items()), tuple(located))
        documents = []
        for citation in fact.citations:
            source = self.sources.get(citation.source)
            name = source.document if source is not None else None
            text = self.content.documents.get(name)
            if text is not None:  # folded whether or not the checks are kept (structure())
                self.prepared(name, text)
            documents.append((citation.source, name, text))
        if self.memo is None:
            return check(self.diagnostics)[:2]
        where = (fact.key_locations, fact.ref_locations,
                 tuple((c.key_locations, c.ref_locations) for c in fact.citations))
        key = Key((fact, where, self.known(), tuple(documents)), by=fact.id)
        spans, passages, located = self.memo.reported("fact checks", key, check, self.diagnostics)
        for quote in located:  # kept for when this step runs again (a new id: every fact's)
            self.memo.keep("quote", quote)
        return spans, passages

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

    def quotes(self, fact: Fact, spans: dict, passages: dict, located: list) -> None:
        """Each citation's quote found in its source's document: its spans, its passage and the
        keys of the memoised steps that found them (in `located`), or its problems."""
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
            located.append(key)
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

    def page_citations(self) -> dict[str, tuple[str, ...]]:
        return {page.slug: self.cited_in(page.prose, f"page '{page.slug}'")
                for page in self.content.pages}

    def key_facts(self) -> None:
        config = self.content.config
        places = config.ref_locations.get("key_facts", ())
        for n, ref in enumerate(config.key_facts or ()):
            where = places[n] if n < len(places) else config.location
            self.reference(where, "key_facts", ref, "fact", self.facts, "site.yaml")

    def unused(self, cited: set[str], facts_citing, referenced_entities) -> None:
        """Warnings for what nothing uses. A draft is not warned: it is linted once reviewed;
        and what only a draft left out of this build uses is not unused."""
        drafted = [record for record in self.content.left_out if isinstance(record, Fact)]
        facts_citing = {**facts_citing, **{c.source: True for f in drafted for c in f.citations}}
        referenced_entities = referenced_entities.union(*map(named_entities, drafted))
        for fact in self.content.facts:
            if fact.id not in cited and not fact.draft:
                self.diagnostics.warning(fact.location, f"fact '{fact.id}' is cited by no page",
                                         key="id", hint=f"cite it in prose as [@{fact.id}]")
        for source in self.content.sources:
            if not facts_citing.get(source.id):
                self.diagnostics.warning(source.location, f"source '{source.id}' is used by no fact",
                                         key="id")
        for entity in self.content.entities:
            if entity.id not in referenced_entities and not entity.draft:
                self.diagnostics.warning(entity.location,
                                         f"entity '{entity.id}' is referred to by no fact",
                                         key="id", hint="name it in a fact's 'about' or "
                                                        "'attribution', or remove it")


def placed(fact: Fact):
    """The date a fact is placed at: its `date`, else its `as_of`."""
    return fact.date or fact.as_of


def _both_ways(facts, key: str, known) -> dict[str, tuple[str, ...]]:
    links = defaultdict(set)
    for fact in facts:
        for other in getattr(fact, key):
            if other in known and other != fact.id:
                links[fact.id].add(other)
                links[other].add(fact.id)
    return links


def resolve(content: Content, diagnostics: Diagnostics,
            memo: Memo | None = None) -> Site | None:
    """The resolved site; None when the briefing has errors (nothing is rendered from it then,
    and the warnings that need a correct briefing — unused records, 'confirmed', conversions —
    wait until it has none)."""
    resolver = _Resolver(content, diagnostics, memo)
    resolver.documents()
    spans: dict[str, list[QuoteSpan]] = defaultdict(list)
    passages = resolver.passages
    for fact in content.facts:
        found_spans, found_passages = resolver.fact_checks(fact)
        for source_id, span in found_spans:
            spans[source_id].append(span)
        passages.update(found_passages)
    page_citations = resolver.page_citations()
    if content.config is None:
        return None
    resolver.key_facts()
    summary = content.summary
    home_citations = resolver.cited_in(summary.prose, "the summary") if summary else ()

    # The timeline places a fact by when it happened, else by when its figure was said to hold.
    facts = sorted(content.facts, key=lambda f: (placed(f) is None,
                                                  placed(f).sort_key if placed(f) else (), f.id))
    order = {f.id: n for n, f in enumerate(facts)}
    by_order = lambda ids: tuple(sorted(ids, key=order.__getitem__))  # noqa: E731

    cited_by = defaultdict(list)
    for slug, ids in page_citations.items():
        for fact_id in ids:
            cited_by[fact_id].append(slug)
    facts_citing, facts_about, facts_attributed = defaultdict(set), defaultdict(set), defaultdict(set)
    for fact in facts:
        for citation in fact.citations:
            facts_citing[citation.source].add(fact.id)
        for entity_id in fact.about:
            facts_about[entity_id].add(fact.id)
        for entity_id in provenance.attributed_entities(fact):
            facts_attributed[entity_id].add(fact.id)
    if diagnostics.errors:
        # Nothing is rendered from a briefing with errors; and "unused" warnings are a lint for
        # a correct one (a broken record's references are missing, so they would be false).
        return None
    resolver.unused(set(cited_by) | set(home_citations), facts_citing,
                    set(facts_about) | set(facts_attributed))
    chains = {fact.id: provenance.chains(fact) for fact in facts}
    claimants = {fact_id: provenance.claimants(found) for fact_id, found in chains.items()}
    for fact in facts:
        resolver.confirmation(fact, claimants[fact.id])
    conversions = {fact.id: resolver.conversions(fact) for fact in facts if
                   any(q.converted for q in fact.quantities)}

    pages = sorted(content.pages, key=lambda p: (p.order is None, p.order or 0, p.title, p.slug))
    page_rank = {p.slug: n for n, p in enumerate(pages)}
    contradictions = _both_ways(facts, "contradicts", order)
    relations = _both_ways(facts, "related", order)
    return Site(
        config=content.config,
        facts={f.id: f for f in facts},
        sources={s.id: s for s in sorted(content.sources, key=lambda s: (s.title.casefold(), s.id))},
        entities={e.id: e for e in sorted(content.entities, key=lambda e: (e.name.casefold(), e.id))},
        pages=tuple(pages),
        documents={s.id: content.documents[s.document] for s in content.sources
                   if s.document in content.documents},
        page_citations=page_citations,
        summary=summary,
        home_citations=home_citations,
        cited_by={f: tuple(sorted(s, key=page_rank.__getitem__)) for f, s in cited_by.items()},
        facts_citing={k: by_order(v) for k, v in facts_citing.items()},
        facts_about={k: by_order(v) for k, v in facts_about.items()},
        facts_attributed={k: by_order(v) for k, v in facts_attributed.items()},
        contradictions={k: by_order(v) for k, v in contradictions.items()},
        relations={k: by_order(v) for k, v in relations.items()},
        quote_spans={k: tuple(sorted(v, key=lambda s: (s.start, -s.end, s.fact_id)))
                     for k, v in spans.items()},
        passages=resolver.passages,
        structures={s.id: resolver.structure(s.document, content.documents[s.document])
                    for s in content.sources if s.document in content.documents},
        chains=chains,
        claimants=claimants,
        conversions=conversions,
    )
