"""Proposals: one sentence of an archived document → a draft fact entry, quote-verified.

Owns: `Drafter` — called for every sentence of one source's document, in order, it returns
fact mappings in the content format (`draft: true`, ready to dump as YAML; `propose_all`, or
`propose` for the first), and keeps what a document carries from one sentence to the next: the
relay a paragraph's next sentence continues, a transcript's speaker turn (a label's speaker
through the turn's later paragraphs, until another label, a "Q" or a heading), the year a later date without one is given, the heading waiting for a proposal of
its section, and the new entities proposed so far (`new_entities`). It reads the briefing
(validated `Content`) and never changes it; the `draft` command writes what it returns.

What each part of a proposal rests on:

- `claim`: the sentence, its attribution brought to the front and its hedges as written
  (`frames`); `notes` asks the editor to reword it and says what was inferred;
- `attribution`: the frame's chain, as entity ids (`naming` matches known entities first);
- `status`: from the original claimant alone (`status_for`, the rule below);
- `date`, `date_note`: `dating`; `quantities`: `amounts`;
- `about`: every other entity the sentence names (a state also by its adjective: "Russian");
- `citations`: the sentence (or its attributed clause) with its locator, checked to occur in
  the document; a heading is added as a second citation to the first proposal of its section
  that shares two content words with it ("North Korean officers killed …"), else dropped.

- a second proposal (`propose_all`): where the quote keeps only a speaker's clause ("Putin
  stated that …"), the rest of the sentence ("although UN sanctions currently prohibit such
  cooperation"), when it has a figure, date or name of its own, quoted verbatim in the
  document's own voice.

No proposal for a heading, a sentence with no figure, date, name (a state by its adjective is
one: "the Russian military") or reporting frame, a
question, a greeting or bare name (fewer than four words with no figure or date), or a quote
that would not verify. A transcript's speaker label is not a reporting frame on its own, nor
is the speaker a name the sentence gives: "MS. JEAN-PIERRE: I have just one thing at the top,
and then I'll hand it over." has nothing to check (nor has "one thing": the word "one" is no
figure, see `amounts`), and the name of the person spoken to ("I totally hear that, Tam") is no
name either (`naming`).

Status rule: no claimant (the document's own voice), a publication, or a group of unnamed
people → `reported`; a state, or a body of one whose name says so (government, intelligence,
ministry, armed forces, military) → `claimed`, a party with a stake in what it says; any other
named person or body speaking on the record → `stated`. Never `confirmed`: one sentence is one
claimant.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..dates import PartialDate
from ..quotes import find_all, fold_document, place
from .amounts import STOP, find_quantities
from .capitals import STARTERS
from .dating import date_of, find_dates, reference_at, stated_years
from .frames import SPEECH_VERBS, Frame, continued, read_frame
from .naming import DocumentWords, EntityIndex, Mention, find_mentions
from .plaintext import fold_name, plain, slug

STAKE_WORDS = ("government", "intelligence", "ministry", "armed forces", "military", "army",
               "navy", "kremlin", "security service")
ID_SKIP = STOP | set(SPEECH_VERBS) | {"according", "citing", "additionally", "however", "just",
                                      "among", "total", "also"}
MIN_WORDS = 4  # fewer, with no figure or date, is a greeting or a name, not a claim
SPOKEN = re.compile(r"^[A-Z][A-Z.' -]*:\s+")  # a transcript's speaker label
TURN = re.compile(r"^(?:Q\b|[A-Z][A-Z.' -]*:\s)")  # a label or a question: a turn begins
CONCESSIVE = re.compile(r"^(?:although|though|while|whereas|but)\s+")  # the rest's first word
HEADING_OVERLAP = 2  # content words a heading shares with the proposal it is added to
REWORD = ("Drafted by `factsheet draft` from {where}: reword the claim in your own words, check "
          "it, the attribution, status, date and figures against the quote, then remove "
          "`draft: true`.")


class Drafter:
    """Proposals from one source's archived document; `propose` is called for its sentences in
    document order (the `draft` command leaves out those existing facts quote already)."""

    def __init__(self, content, source_id: str):
        self.source_id = source_id
        source = next((s for s in content.sources if s.id == source_id), None)
        text = content.documents.get(source.document or "") if source else None
        self.text = text or ""
        self.folded = fold_document(self.text) if text else None
        self.index = EntityIndex(content.entities)
        self.words = DocumentWords.of(self.text)  # which capitalised words are names
        # New names are read from capitals in English only (German capitalises every noun).
        language = (getattr(source, "language", None) or "en").lower()
        self.english = language == "en" or language.startswith("en-")
        self.taken = {e.id for e in content.entities} | {f.id for f in content.facts} | \
            {s.id for s in content.sources} | set(content.invalid)
        self.published = _published(source)
        self.stated_years = stated_years(self.text) if text else []
        self.previous: tuple[int | None, Frame] | None = None
        self.previous_speaker: Mention | None = None
        # A transcript's speaker turn: the labelled frame and where it began, carried into the
        # turn's later paragraphs until the next label, a "Q" or a heading begins another.
        self.turn: tuple[Frame, str] | None = None
        self.heading = None  # the heading waiting for a proposal of its section
        self._new: dict[str, dict] = {}  # folded name → proposed entity

    def propose(self, sentence) -> dict | None:
        """The first proposal of `propose_all`, or None."""
        proposals = self.propose_all(sentence)
        return proposals[0] if proposals else None

    def propose_all(self, sentence) -> list[dict]:
        """The proposals of one sentence: none, one, or two where a speaker's clause is
        quoted alone and the rest of the sentence, in the document's own voice, has checkable
        content of its own ("Putin stated that …, although UN sanctions prohibit …")."""
        text = sentence.text if isinstance(sentence.text, str) else ""
        if not text.strip():
            return []
        if sentence.heading is not None:
            self.heading, self.previous, self.previous_speaker = sentence, None, None
            self.turn = None
            return []
        every = find_mentions(text, self.index, self.words, self.english)
        frame = read_frame(text, every, self.index, self.previous_speaker)
        carried = ""
        same_paragraph = self.previous and self.previous[0] == sentence.paragraph
        if not same_paragraph and TURN.match(text):
            self.turn = None  # a label or a question begins another turn
        if frame.kind == "own voice" and not frame.unnamed and same_paragraph:
            follows = continued(self.previous[1], text, every)
            frame, carried = (follows, "paragraph") if follows else (frame, "")
        elif frame.kind == "own voice" and not frame.unnamed and self.turn:
            follows = continued(self.turn[0], text, every)
            frame, carried = (follows, "turn") if follows else (frame, "")
        if frame.speaker and SPOKEN.match(text):
            self.turn = (frame, sentence.locator)
        self.previous = (sentence.paragraph, frame)
        self.previous_speaker = frame.chain[0] if frame.kind == "speech" else None
        locator = sentence.locator
        quote = frame.quote if self._verifies(frame.quote, locator) else text
        # Dates, figures and names of what is quoted: not of the end a speaker's clause leaves
        # out of it ("…, although UN sanctions prohibit it").
        quoted = text[:len(quote)] if text.startswith(quote) else text
        if text.rstrip(" \"'\u201d)").endswith("?"):
            return []  # a question claims nothing
        mentions = [m for m in every if m.end <= len(quoted)]
        date, date_note, quantities, figure_notes = self._checkable(quoted, sentence)
        label = SPOKEN.match(text)
        named = [m for m in mentions if not (label and m.start < label.end())]
        if not (quantities or date or named or _reports(frame)):
            return []  # nothing a reader could check; a speaker's label alone is no claim
        if not (quantities or date) and len(SPOKEN.sub("", text).split()) < MIN_WORDS:
            return []  # "The Halvern Courier.", "MAYOR: Good morning.": no claim to check
        if not self._verifies(quote, locator):
            return []  # a quote that would not verify, or not pick one passage, is none
        rest = self._rest(text, quote, frame, every, sentence)
        clipped = [f"The end of the sentence (\"{frame.clipped}\") is in the document's own "
                   "voice and is left out of the quote" +
                   (f"; it is proposed on its own as {rest['id']}." if rest else ".")] \
            if frame.clipped else []
        fact = self._fact(sentence, quote, frame.claim, frame.chain, mentions, date, date_note,
                          quantities, [*_frame_notes(frame, carried, self.turn), *clipped,
                                       *figure_notes])
        return [fact, rest] if rest else [fact]

    # --- helpers ------------------------------------------------------------------------

    def _checkable(self, words: str, sentence):
        """(date, date_note, quantities, figure notes) of `words`."""
        phrases = find_dates(words)
        reference = reference_at(self.stated_years, _offset(sentence), self.published)
        date, date_note = date_of(phrases, reference)
        quantities, figure_notes = find_quantities(words, [(p.start, p.end) for p in phrases])
        return date, date_note, quantities, figure_notes

    def _rest(self, text: str, quote: str, frame: Frame, every: list[Mention], sentence):
        """The end of a sentence its attributed clause leaves out ("…, although UN sanctions
        currently prohibit such cooperation"), as a proposal in the document's own voice, when
        it has a figure, a date or a name of its own; else None."""
        clause = frame.clipped
        at = text.rfind(clause) if clause else -1
        if at < len(quote) or not text.startswith(quote):
            return None
        mentions = [replace(m, start=m.start - at, end=m.end - at) for m in every
                    if m.start >= at]
        date, date_note, quantities, figure_notes = self._checkable(clause, sentence)
        if not (date or quantities or any(not m.adjective for m in mentions)):
            return None
        if not self._verifies(clause, sentence.locator):
            return None
        body = CONCESSIVE.sub("", clause)
        claim = body[:1].upper() + body[1:] + "."
        note = (f"The end of a sentence whose beginning is attributed (\"{short(quote)}\", "
                "proposed before this one); here the document speaks in its own voice, and "
                "words such as \"such\" or \"it\" refer back to the beginning.")
        return self._fact(sentence, clause, claim, (), mentions, date, date_note, quantities,
                          [note, *figure_notes])

    def _fact(self, sentence, quote: str, claim: str, chain, mentions: list[Mention], date,
              date_note, quantities, notes: list[str]) -> dict:
        ids = [self._entity_id(m, sentence) for m in chain]
        about = []
        for mention in mentions:
            ident = self._entity_id(mention, sentence)
            if ident not in ids and ident not in about:
                about.append(ident)
        status, why = status_for(chain)
        fact = {"id": slug(_key_words(quote), self.taken), "draft": True,
                "claim": claim, "status": status}
        if date:
            fact["date"] = date
        if date_note:
            fact["date_note"] = date_note
        if about:
            fact["about"] = about
        fact["attribution"] = ids
        fact["citations"] = [{"source": self.source_id, "quote": quote,
                              "locator": sentence.locator}] + self._heading_citation(quote)
        if quantities:
            fact["quantities"] = quantities
        fact["notes"] = " ".join([REWORD.format(where=sentence.locator), why, *notes])
        return fact

    def new_entities(self) -> list[dict]:
        """The entities proposed so far, each once, in the order first named."""
        return [dict(entity) for entity in self._new.values()]

    def _verifies(self, quote: str, locator: str) -> bool:
        """Whether the quote occurs, and the locator picks one place of it, as the build's
        quote check will find ("He is aware of it." said twice in one paragraph does not)."""
        if self.folded is None or not quote:
            return False
        found = find_all(quote, self.text, folded=self.folded)
        return bool(found) and not place(found, locator, self.folded.structure).message

    def _entity_id(self, mention: Mention, sentence) -> str:
        """The id of a mention's entity: the known one, or a new one proposed once."""
        if mention.entity:
            return mention.entity
        key = fold_name(mention.name)
        if key not in self._new:
            ident = slug(fold_name(mention.name).split(), self.taken, "entity")
            self._new[key] = {
                "id": ident, "draft": True, "name": mention.name, "kind": mention.kind,
                "description": f"Proposed by `factsheet draft`: named in {sentence.locator} of "
                               f"source {self.source_id}; the kind '{mention.kind}' is a guess "
                               f"from {mention.why or 'its name'}. Check both, then describe "
                               "it in a sentence."}
            if mention.kind == "person" and len(mention.name.split()) > 1:
                self.index.proposed[key] = mention.name
                self.index.add_surname(mention.name, key)  # "Umerov" names him from now on
        return self._new[key]["id"]

    def _heading_citation(self, quote: str) -> list[dict]:
        """The waiting heading as a second citation, when it shares enough content words with
        the quote; it is then used up."""
        heading = self.heading
        if heading is None or not self._verifies(heading.text, heading.locator):
            return []
        shared = _stems(heading.text) & _stems(quote)
        if len(shared) < HEADING_OVERLAP:
            return []
        self.heading = None
        return [{"source": self.source_id, "quote": heading.text, "locator": heading.locator}]


def status_for(chain: tuple[Mention, ...]) -> tuple[str, str]:
    """(status, why) from the original claimant: see the module's docstring."""
    if not chain:
        return "reported", ("Status 'reported': the document says it in its own voice and "
                            "names no one for it.")
    first = chain[0]
    name = first.name.lower()
    if first.kind in ("publication", "group"):
        return "reported", (f"Status 'reported': {first.name} is a {first.kind}, not a party "
                            "on the record.")
    if first.kind == "state" or (first.kind == "organisation" and
                                 any(w in name for w in STAKE_WORDS)):
        return "claimed", (f"Status 'claimed': {first.name} is a state or a body of one, a party "
                           "with a stake in what it says.")
    return "stated", f"Status 'stated': {first.name} speaks on the record."


def _frame_notes(frame: Frame, carried: str, turn) -> list[str]:
    notes = []
    if carried == "paragraph":
        notes.append("The sentence has no attribution of its own; it is read as continuing the "
                      f"one before it in the same paragraph (\"{frame.lead.strip(' ,')}\").")
    elif carried == "turn" and turn:
        notes.append("The sentence has no attribution of its own; it is read as said by the "
                     f"speaker whose label begins the turn at {turn[1]} ({frame.speaker}).")
    if frame.unnamed:
        notes.append(f"The sentence rests on \"{frame.unnamed}\", which names no one, so the "
                     "attribution is empty.")
    return notes


def _reports(frame: Frame) -> bool:
    """Whether the sentence has a reporting frame of its own: a relay or a speaker's verb, not
    a transcript's speaker label alone (nor the label carried through the paragraph)."""
    return bool(frame.chain) and not (frame.speaker and len(frame.chain) == 1)


def short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


def _key_words(text: str) -> list[str]:
    """The words an id is made of: the quote's content words, figures without separators."""
    words = re.findall(r"\d[\d,.]*\d|\d|[^\W\d_]+", plain(text))
    return [w.replace(",", "").replace(".", "-").lower() for w in words
            if w.lower() not in ID_SKIP and len(w) > 1 or w.isdigit()]


def _stems(text: str) -> set[str]:
    """Content words cut to five letters, so that "Korean" meets "Korea", "officers" "officer"."""
    return {w.lower()[:5] for w in re.findall(r"[^\W\d_]{4,}", plain(text))
            if w.lower() not in ID_SKIP and w.lower() not in STARTERS}


def _published(source) -> tuple | None:
    date: PartialDate | None = getattr(source, "published", None)
    if date is None or not date.lower or date.lower[0] < 1:
        return None
    year, month, day = date.lower
    if date.precision == "day":
        return (year, month, day)
    if date.precision == "month":
        return (year, month)
    return (date.upper[0],) if date.upper else (year,)


def _offset(sentence) -> int:
    start = getattr(sentence, "start", None)
    return start if isinstance(start, int) else 0
