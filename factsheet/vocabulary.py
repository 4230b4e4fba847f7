"""Vocabularies: every closed list of words the content format knows, declared once.

Owns: statuses, source kinds, entity kinds and quantity qualifiers — each value with its one-line
meaning (shown in docs, the JSON Schema and tooltips), entity kinds with their index heading, and
the synonyms editors reach for ("unconfirmed", "press release"), which turn into hints instead of
a "did you mean" that names the opposite. Imports nothing of ours.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Vocabulary:
    name: str  # what one value is called in messages: "status", "source kind"
    meanings: dict[str, str]  # value → one-line meaning, in display order
    # a word editors use → the values it most likely means
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    headings: dict[str, str] = field(default_factory=dict)  # value → plural heading, where shown
    extended_by: str = ""  # the site.yaml key where a briefing may add values of its own

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(self.meanings)

    def __contains__(self, value) -> bool:
        return value in self.meanings


STATUSES = Vocabulary(
    "status",
    {"reported": "relayed by an outlet from its sources; not independently confirmed",
     "claimed": "asserted by a party with a stake in it",
     "stated": "said on the record; the fact is that it was said",
     "confirmed": "confirmed by more than one independent party",
     "disputed": "contradicted by other credible sources",
     "denied": "denied by the party it concerns"},
    synonyms={"unconfirmed": ("reported", "claimed"), "unverified": ("reported", "claimed"),
              "alleged": ("claimed", "reported"), "said": ("stated",), "quoted": ("stated",),
              "verified": ("confirmed",), "true": ("confirmed",), "contested": ("disputed",),
              "refuted": ("disputed", "denied"), "rejected": ("denied",), "false": ("disputed",)})

SOURCE_KINDS = Vocabulary(
    "source kind",
    {"article": "a news or magazine article",
     "statement": "an official statement or press release",
     "report": "a report by an agency, institute or body",
     "interview": "an interview or its transcript",
     "dataset": "a table or database",
     "book": "a book or chapter",
     "webpage": "any other page on the web",
     "transcript": "a transcript of a briefing, hearing or broadcast",
     "press-release": "a press release",
     "speech": "a speech or remarks as delivered",
     "filing": "a court, regulatory or company filing",
     "post": "a post on social media or a blog",
     "other": "anything else; say what in notes"},
    synonyms={"press release": ("press-release",), "release": ("press-release",),
              "news": ("article",), "news article": ("article",), "blog": ("post",),
              "blog post": ("post",), "tweet": ("post",), "social media": ("post",),
              "remarks": ("speech",), "address": ("speech",), "court filing": ("filing",),
              "lawsuit": ("filing",), "paper": ("report",), "study": ("report",),
              "pdf": ("report",), "website": ("webpage",), "web page": ("webpage",),
              "data": ("dataset",), "briefing": ("transcript", "statement")},
    extended_by="source_kinds")

ENTITY_KINDS = Vocabulary(
    "entity kind",
    {"person": "one named or described person",
     "state": "a country or its government acting as a state",
     "organisation": "an agency, company, army or other body",
     "group": "people described together (unnamed sources, a unit's soldiers)",
     "publication": "a newspaper, broadcaster, agency or other outlet",
     "place": "a place",
     "vessel": "a ship, boat or other vessel",
     "event": "a named event (a strike, a collision, a summit)",
     "object": "equipment, a weapon system or another made thing"},
    synonyms={"organization": ("organisation",), "org": ("organisation",),
              "agency": ("organisation",), "company": ("organisation",),
              "military": ("organisation",), "army": ("organisation",),
              "country": ("state",), "nation": ("state",), "government": ("state",),
              "city": ("place",), "region": ("place",), "location": ("place",),
              "outlet": ("publication",), "newspaper": ("publication",),
              "media": ("publication",), "people": ("group",), "sources": ("group",),
              "ship": ("vessel",), "boat": ("vessel",), "containership": ("vessel",),
              "weapon": ("object",), "equipment": ("object",), "missile": ("object",),
              "incident": ("event",), "attack": ("event",), "meeting": ("event",)},
    headings={"person": "People", "state": "States", "organisation": "Organisations",
              "group": "Groups", "publication": "Publications", "place": "Places",
              "vessel": "Vessels", "event": "Events", "object": "Equipment and objects"},
    extended_by="entity_kinds")

QUALIFIERS = Vocabulary(
    "qualifier",
    {"exactly": "the figure as given (the default)",
     "about": "an approximate figure (about, around, roughly)",
     "nearly": "just under the figure (nearly, almost)",
     "more than": "above the figure (more than, over)",
     "at least": "the figure or more",
     "fewer than": "below the figure (fewer than, less than, under)",
     "at most": "the figure or fewer",
     "up to": "as many as the figure"},
    synonyms={"approximately": ("about",), "around": ("about",), "roughly": ("about",),
              "circa": ("about",), "some": ("about",), "almost": ("nearly",),
              "over": ("more than",), "above": ("more than",), "less than": ("fewer than",),
              "under": ("fewer than",), "below": ("fewer than",), "as many as": ("up to",),
              "no more than": ("at most",), "minimum": ("at least",),
              "maximum": ("at most",), "approx": ("about",), "~": ("about",)})
