"""The model: plain frozen data classes for a briefing, before and after resolution.

Owns: the shapes every later stage reads. Holds no behaviour beyond small derived properties,
renders nothing, reads no files. `Content` is what validation produces (each record on its own);
`Site` is what resolution produces (records plus every cross-reference and backlink).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .dates import PartialDate
from .errors import Location

if TYPE_CHECKING:
    from .prose import Prose

# Vocabularies (statuses, kinds, qualifiers) live in vocabulary.py; fields in schema.py.
# Where a record's keys sit in its file: beside the record, never part of its equality.
_LOCATIONS = dict(default_factory=dict, compare=False, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str
    language: str
    subtitle: str = ""
    base_url: str = ""
    licence: str = ""
    key_facts: tuple[str, ...] | None = None
    # kinds this briefing adds to the vocabularies: kind → its heading ("aircraft": "Aircraft")
    entity_kinds: dict = field(default_factory=dict)
    source_kinds: dict = field(default_factory=dict)
    extra: Any = None
    location: Location = Location("")
    key_locations: dict = field(**_LOCATIONS)  # key → where its value starts
    ref_locations: dict = field(**_LOCATIONS)  # list key → where each item starts


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    kind: str
    publisher: str | None
    published: PartialDate | None
    author: str | None = None
    url: str | None = None
    archive_url: str | None = None
    accessed: PartialDate | None = None
    language: str | None = None
    document: str | None = None
    notes: str = ""
    extra: Any = None
    location: Location = Location("")
    key_locations: dict = field(**_LOCATIONS)


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    kind: str
    description: str = ""
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    draft: bool = False  # a proposal not yet reviewed: shown only when drafts are included
    extra: Any = None
    location: Location = Location("")
    key_locations: dict = field(**_LOCATIONS)


@dataclass(frozen=True, slots=True)
class Citation:
    source: str
    quote: str
    locator: str = ""
    # Who said it, from the original claimant outward, as this source relays it; None: the
    # fact's own `attribution` applies. () : the source says it in its own voice.
    attribution: tuple[str, ...] | None = None
    location: Location = Location("")  # of the citation mapping (its 'source:' line)
    quote_location: Location = Location("")
    key_locations: dict = field(**_LOCATIONS)
    ref_locations: dict = field(**_LOCATIONS)


@dataclass(frozen=True, slots=True)
class Quantity:
    value: int | float | tuple  # a number, or (low, high) for a range
    label: str
    unit: str = ""
    qualifier: str = "exactly"
    converted: bool = False
    as_of: PartialDate | None = None
    location: Location = Location("")


@dataclass(frozen=True, slots=True)
class Correction:
    """A correction made to a fact after it was published: the day, and what changed."""

    date: PartialDate
    note: str
    location: Location = Location("")


@dataclass(frozen=True, slots=True)
class Chain:
    """One attribution chain of a fact and the sources that relay it: "Pete Buttigieg, via
    *Press Briefing*". A source cited several times with one chain is named once."""

    entities: tuple[str, ...]  # entity ids, original claimant first; () : the sources' own voice
    sources: tuple[str, ...]  # source ids, in order of first citation


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    claim: str
    status: str
    citations: tuple[Citation, ...]
    attribution: tuple[str, ...]
    date: PartialDate | None = None
    date_note: str = ""
    as_of: PartialDate | None = None  # when a figure or state of affairs was reported to hold
    about: tuple[str, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    related: tuple[str, ...] = ()
    contradicts: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    notes: str = ""
    added: PartialDate | None = None  # the day the fact was added to the briefing
    corrections: tuple[Correction, ...] = ()  # oldest first (file order on the same day)
    draft: bool = False  # a proposal not yet reviewed: shown only when drafts are included
    extra: Any = None
    location: Location = Location("")
    key_locations: dict = field(**_LOCATIONS)
    ref_locations: dict = field(**_LOCATIONS)  # list key → where each item starts


@dataclass(frozen=True, slots=True)
class Page:
    slug: str
    title: str
    body: str
    body_line: int
    summary: str = ""
    order: int | None = None
    extra: Any = None
    location: Location = Location("")
    # The body parsed once (HTML, notes, citations, problems), by validate; derived from body.
    prose: Prose | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Content:
    """Validated records, each checked on its own; references not yet followed."""

    config: SiteConfig | None
    sources: tuple[Source, ...]
    entities: tuple[Entity, ...]
    facts: tuple[Fact, ...]
    pages: tuple[Page, ...]
    documents: dict[str, str]
    summary: Page | None = None  # content/summary.md, the home page's prose
    # ids given to records that have errors (or sit in a file YAML could not parse) → kind:
    # known, so that references to them are not reported again, but not usable.
    invalid: dict[str, str] = field(default_factory=dict)
    # drafts a build without them left out (drafts.leave_out): references to them are told
    # apart from references to ids that do not exist
    left_out: tuple = ()


def quote_anchor(fact_id: str, citation: int) -> str:
    """The id, on its source's page, of a fact's citation-th quoted passage."""
    return f"quote-{fact_id}-{citation}"


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """Where one citation's quote sits in its source's archived text (character offsets): one
    span per part of an elided quote ("first words … later words")."""

    fact_id: str
    citation: int  # 1-based position of the citation among its fact's citations
    start: int
    end: int
    part: int = 1  # 1-based part of an elided quote; 1 for a quote that elides nothing

    @property
    def anchor(self) -> str:
        """The link target: quote_anchor(…) on the first part, "-2", "-3"… added on later ones."""
        anchor = quote_anchor(self.fact_id, self.citation)
        return anchor if self.part == 1 else f"{anchor}-{self.part}"


@dataclass(frozen=True, slots=True, weakref_slot=True)  # depends.changes refers to it weakly
class Site:
    """A resolved briefing: every reference followed, every backlink computed."""

    config: SiteConfig
    facts: dict[str, Fact]  # in timeline order, undated facts last
    sources: dict[str, Source]  # by title
    entities: dict[str, Entity]  # by name
    pages: tuple[Page, ...]  # by order, then title
    documents: dict[str, str]  # source id → archived text
    page_citations: dict[str, tuple[str, ...]]  # page slug → fact ids, order of first use
    summary: Page | None  # the home page's prose
    home_citations: tuple[str, ...]  # fact ids the summary cites
    cited_by: dict[str, tuple[str, ...]]  # fact id → page slugs
    facts_citing: dict[str, tuple[str, ...]]  # source id → fact ids
    facts_about: dict[str, tuple[str, ...]]  # entity id → fact ids
    facts_attributed: dict[str, tuple[str, ...]]  # entity id → fact ids
    contradictions: dict[str, tuple[str, ...]]  # fact id → fact ids (both directions)
    relations: dict[str, tuple[str, ...]]  # fact id → fact ids (both directions)
    quote_spans: dict[str, tuple[QuoteSpan, ...]]  # source id → spans, in text order
    # QuoteSpan.anchor → the passage exactly as the archived text has it (typographic quotes…)
    passages: dict[str, str] = field(default_factory=dict)
    chains: dict[str, tuple[Chain, ...]] = field(default_factory=dict)  # fact id → its chains
    # fact id → the independent original claimants behind it (entity ids; a source's id where
    # it speaks in its own voice)
    claimants: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # fact id → per quantity, its conversion check (units.Conversion) or None; only facts with
    # a converted quantity
    conversions: dict[str, tuple] = field(default_factory=dict)
    # source id → the structure of its archived text (documents.Document: paragraphs, pages,
    # furniture), by which it is shown paragraph by paragraph
    structures: dict[str, Any] = field(default_factory=dict)
    # the figures the home page shows: (fact, quantity) for each quantity said (not converted) by
    # site.yaml's key_facts, in their order, else by every fact, in timeline order
    key_numbers: tuple[tuple[Fact, Quantity], ...] = ()
