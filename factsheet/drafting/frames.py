"""Reporting frames: who a sentence says said it, via whom, and the words they are credited with.

Owns: `read_frame`, `continued` and `Frame`. A transcript's speaker label ("MAYOR ANNA VOSS:")
frames what follows it, through the paragraph. Otherwise a frame is read in two layers, as
chains are written (original claimant first, the outlet that relays them after):

1. the relay around the sentence: "…, reports the Kyiv Post, citing Ukrainian intelligence
   sources"; "According to X(, citing Z), …"; "…, according to X"; "…, reports Y";
2. the speech inside it: "X said/stated/noted/declared/wrote/told Y …" (the speaker is the
   name right before the verb, past titles and a ", commenting on …," aside); "…, said X";
   "In an article for Y, X wrote/expressed …" (X via Y); "X told Y" (via Y when Y is an outlet).

A claimant must be a name (a known entity or a new one) or a described group ("intelligence
sources", "officials"); "according to the agreement" names no one, and the chain stays empty.
The claim begins with the attribution: a frame already at the sentence's start stays where it
is, a trailing one is brought to the front ("The Kyiv Post, citing …, reports that …"), and
words in the first person are quoted rather than rewritten ("X said: “We presume …”"). A
sentence with no frame of its own continues the relay of the one before it in its paragraph,
unless it turns ("However, …"); a speaker's verb covers their own sentence only. Pure: nothing
of the briefing is changed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .kinds import GROUP_WORDS, TITLE_WORDS
from .naming import EntityIndex, Mention
from .plaintext import plain

SPEECH_VERBS = ("said says stated states noted notes declared declares told tells wrote writes "
                "added adds expressed announced announces claimed claims argued argues warned "
                "warns insisted emphasized emphasised confirmed denied reported reports assured "
                "explained acknowledged admitted").split()
_SPEECH = re.compile(r"\b(" + "|".join(SPEECH_VERBS) + r")\b")
_END = r"\s*[.!?]?\s*$"
_CITING = r"(?:,\s+citing\s+(?P<source>[^,]+?))?"
REPORTS = re.compile(r",\s+(?:reports|reported|writes|wrote)\s+(?P<who>[^,]+?)" + _CITING + _END)
ACCORDING_LEAD = re.compile(r"^According to\s+(?P<who>[^,]+?)" + _CITING + r",\s+")
ACCORDING_TRAIL = re.compile(r",\s+according to\s+(?P<who>[^,]+?)" + _CITING + _END)
ACCORDING_MID = re.compile(r",\s+according to\s+(?P<who>[^,]+?),\s+")
INVERTED = re.compile(r",\s+(?P<verb>said|says|stated|noted|added|declared|wrote|explained|"
                      r"warned|claimed)\s+(?P<who>(?:the\s+)?[A-Z][^,]{0,100}?)" + _END)
ARTICLE = re.compile(r"^In an? (?:article|op-ed|column|interview|letter|essay|post|statement)"
                     r"\s+(?:for|in|with|to|on)\s+(?P<outlet>.+?),\s+")
# Between a speaker and the verb: titles, an office, an adverb, or a ", commenting on …," aside.
_BETWEEN = re.compile(r"(?:\s+(?:[A-Z][\w.'-]*|spokesman|spokeswoman|spokesperson|official|"
                      r"also|later|then|again|publicly|recently|previously|once|has|had|have)\b)*"
                      r"\s*(?:,[^,]{1,80},)?\s*")
_CONCESSION = re.compile(r",\s+(?:although|though|while|whereas|but)\s")
# A transcript's speaker: "MAYOR ANNA VOSS: Good morning." (not the questioner: "Q:")
SPEAKER_LABEL = re.compile(r"^(?P<who>[A-Z][A-Z.'-]*(?: [A-Z][A-Z.'-]*){0,5}):\s+(?=\S)")
NOT_SPEAKERS = frozenset({"Q", "QUESTION", "REPORTER", "QUESTIONER", "AUDIENCE", "NOTE"})
# People described, not named, before a verb: "Ukrainian officials said", "sources told".
GROUP_SPEAKER = re.compile(
    r"(?:^|(?<=[\s,]))(?P<who>(?:[A-Z][\w'-]*\s+)*(?:(?!(?:of|the|and|to|in|on|by|for|from|"
    r"with|at|a|an)\s)[a-z][\w'-]*\s+){0,2}(?i:" + "|".join(sorted(GROUP_WORDS)) + r"))"
    r"(?:,[^,]{1,80},)?\s*$")
FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'll|I'd|we|We|us|our|Our|my|My|me)\b")
CONNECTIVE = re.compile(r"^(?:Additionally|Also|Moreover|Furthermore|In addition),\s+")
SPOKEN_TIE = re.compile(r"^(?:And|But|So|Yet|Now|Well|However|Still)\b,?\s+(?:so\b,?\s+)?"
                        r"(?=[A-Za-z])")
CONTRAST = re.compile(r"^(?:However|But|Yet|Meanwhile|Still|Nevertheless|In contrast)\b")


@dataclass(frozen=True)
class Frame:
    kind: str  # "own voice" | "relay" | "speech"
    chain: tuple[Mention, ...] = ()  # original claimant first
    claim: str = ""  # the sentence with the attribution first
    quote: str = ""  # the verbatim words to cite: the sentence, or its attributed clause
    lead: str = ""  # how a following sentence that continues this relay would begin
    relays: bool = False  # whether the next sentence of the paragraph may continue it
    unnamed: str = ""  # a claimant phrase that names no one ("the agreement")
    clipped: str = ""  # the end of the sentence left out of the quote, in the article's voice
    speaker: str = ""  # a transcript's speaker as the label names them, for the next sentences


def read_frame(text: str, mentions: list[Mention], index: EntityIndex,
               previous_speaker: Mention | None = None) -> Frame:
    """The frame of one sentence. `mentions`: `naming.find_mentions(text, …)`;
    `previous_speaker`: the speaker of the sentence before, for "He said"."""
    flat = plain(text)
    reader = _Reader(text, flat, mentions, index)
    label = SPEAKER_LABEL.match(flat)
    speaker = reader.claimant(0, label.end("who"), person=True) if label and \
        label.group("who").strip(" .") not in NOT_SPEAKERS else None
    if speaker is not None:  # "MAYOR ANNA VOSS: …", a transcript's speaker
        said = label.group("who")
        said = said.title() if said.isupper() else said  # as written, not shouted
        return _spoken(text, label.end(), speaker, said, mentions, index, previous_speaker)
    return _framed(text, flat, reader, mentions, previous_speaker)


def _spoken(text: str, start: int, speaker: Mention, said: str, mentions: list[Mention],
            index: EntityIndex, previous_speaker) -> Frame:
    """The frame of an utterance after a speaker's label: what is framed inside it, said by
    the speaker ("Mayor Anna Voss said that …"); the next sentences of the paragraph too."""
    inside = [replace(m, start=m.start - start, end=m.end - start) for m in mentions
              if m.start >= start]
    inner = read_frame(text[start:], inside, index, previous_speaker)
    claim = _reported(said, "said", inner.claim, 0, inside)
    return Frame("relay", inner.chain + (speaker,), claim, text[:start] + inner.quote,
                 f"{said} said that ", True, inner.unnamed, inner.clipped, said)


def _framed(text: str, flat: str, reader, mentions: list[Mention], previous_speaker) -> Frame:
    relay, lead, clause, unnamed = reader.relay()
    speech, quote_end, clipped, speech_lead = reader.speech(clause, previous_speaker)
    if speech_lead:  # "…, said X": the said words end where the frame begins
        clause = (clause[0], min(clause[1], quote_end))
        quote_end = len(text)
    chain = tuple(speech) + tuple(relay)
    quote = text[:quote_end].rstrip(" ,;") if quote_end < len(text) else text
    if quote_end < len(text) and not quote.endswith((".", "!", "?")):
        quote_claim = quote + "."
    else:
        quote_claim = quote
    if not chain:
        return Frame("own voice", claim=_standalone(text), quote=text, unnamed=unnamed)
    start, end = clause
    if lead:  # a relay brought to the front (or rebuilt with its names plain)
        body = _lower_first(text[start:min(end, quote_end)].strip(" ,"), start, mentions)
        claim = lead + body.rstrip(" ,;") + ("" if body.endswith((".", "!", "?", '"', "”"))
                                               else ".")
        if speech_lead:  # "…, said X" inside a relay: both, original claimant first
            claim = lead + speech_lead + _lower_first(body, start, mentions)
    elif speech_lead:
        body = _lower_first(text[start:end].strip(" ,"), start, mentions)
        claim = speech_lead + body + ("" if body.endswith((".", "!", "?", '"', "”")) else ".")
    else:
        claim = quote_claim
    relays = bool(relay) and not speech
    kind = "speech" if speech else "relay"
    return Frame(kind, chain, claim, quote, lead if relays else "", relays, unnamed, clipped)


def continued(previous: Frame, text: str, mentions: list[Mention]) -> Frame | None:
    """The frame of a sentence with none of its own that continues the relay of the sentence
    before it in the same paragraph; None where it does not ("However, …" turns to the article's
    own voice, and a speaker's verb covers only their own sentence)."""
    if not previous.relays or CONTRAST.match(text) and not previous.speaker:
        return None  # "However" turns from a relay, but a speaker goes on speaking
    # "Additionally, …": the lead says it already; a speaker's "But", "And so," or "Now,"
    # ties the sentence to their last, which the claim does not follow.
    skip = CONNECTIVE.match(text) or (SPOKEN_TIE.match(text) if previous.speaker else None)
    if skip and previous.speaker and FIRST_PERSON.search(text[skip.end():]):
        skip = None  # their words quoted as said: "Anna Berg said: “But we …”"
    body = text[skip.end():] if skip else text
    offset = skip.end() if skip else 0
    claim = _reported(previous.speaker, "said", body, offset, mentions) if previous.speaker \
        else previous.lead + _lower_first(body, offset, mentions)
    return Frame("relay", previous.chain, claim, text, previous.lead, True,
                 speaker=previous.speaker)


# --- reading ---------------------------------------------------------------------------------

class _Reader:
    def __init__(self, text: str, flat: str, mentions: list[Mention], index: EntityIndex):
        self.text, self.flat, self.mentions, self.index = text, flat, mentions, index

    def relay(self):
        """(relay chain, claim lead, (start, end) of the relayed clause, unnamed claimant)."""
        flat = self.flat
        for pattern, at_start in ((ACCORDING_LEAD, True), (REPORTS, False),
                                  (ACCORDING_TRAIL, False), (ACCORDING_MID, None)):
            match = pattern.search(flat)
            if not match:
                continue
            who = self.claimant(match.start("who"), match.end("who"))
            source = self.claimant(match.start("source"), match.end("source")) \
                if "source" in pattern.groupindex and match.group("source") else None
            if who is None:
                return (), "", (0, len(flat)), self.phrase(match.start("who"), match.end("who"))
            if pattern is REPORTS and who.entity is None and who.kind != "publication":
                # what "reports" is an outlet, whatever its name says
                who = Mention(who.start, who.end, who.name, "publication", None,
                              why="the word 'reports' before it")
            chain = ((source,) if source else ()) + (who,)
            citing = f", citing {self.phrase(match.start('source'), match.end('source'))}" \
                if source else ""
            named = self.phrase(match.start("who"), match.end("who"))
            if pattern is REPORTS:
                lead = f"{named[:1].upper()}{named[1:]}{citing}, reports that "
            else:
                lead = f"According to {named}{citing}, "
            if at_start:
                return chain, lead, (match.end(), len(flat)), ""
            if at_start is None:  # "X, according to Y, did Z"
                return chain, lead, (0, len(flat)), ""
            return chain, lead, (0, match.start()), ""
        return (), "", (0, len(flat)), ""

    def speech(self, clause: tuple[int, int], previous_speaker):
        """(speakers, where the quote ends, the clipped words, lead for an inverted frame)."""
        start, end = clause
        flat = self.flat
        inverted = INVERTED.search(flat[:end], start)
        if inverted:
            who = self.claimant(inverted.start("who"), inverted.end("who"), person=True)
            # the words after the verb must be the speaker's name, not what they said
            if who is not None and who.end >= inverted.end("who") - 1:
                named = self.phrase(inverted.start("who"), inverted.end("who"))
                return [who], inverted.start(), "", f"{named} {inverted.group('verb')} that "
        outlet = None
        article = ARTICLE.match(flat, start)
        if article:
            outlet = self.claimant(article.start("outlet"), article.end("outlet"))
        for verb in _SPEECH.finditer(flat, start, end):
            speaker = self.speaker(verb.start(), previous_speaker)
            if speaker is None:
                continue
            chain = [speaker]
            if outlet is not None and outlet.name != speaker.name:
                chain.append(outlet)
            if verb.group() in ("told", "tells"):
                told = self.first_mention(verb.end(), verb.end() + 40)
                if told is not None and told.kind == "publication":
                    chain.append(told)
            concession = _CONCESSION.search(flat, verb.end(), end)
            quote_end = concession.start() if concession else len(flat)
            clipped = self.text[concession.start():].strip(" ,.") if concession else ""
            return chain, quote_end, clipped, ""
        return [], len(flat), "", ""

    def speaker(self, verb_start: int, previous_speaker) -> Mention | None:
        """The name that says the verb at `verb_start`, or None."""
        before = self.flat[:verb_start]
        pronoun = re.search(r"(?:^|[\s,])(?:He|She|They|he|she|they)\s+$", before)
        if pronoun and previous_speaker is not None:
            return previous_speaker
        group = GROUP_SPEAKER.search(before)
        if group and not any(group.start() <= m.start < verb_start and not m.adjective
                             for m in self.mentions):
            return self.claimant(group.start("who"), group.end("who"))  # "officials said"
        for mention in reversed(self.mentions):
            if mention.end > verb_start or mention.adjective:
                continue
            if _BETWEEN.fullmatch(self.flat, mention.end, verb_start) and \
                    not re.search(r"[.;:!?]", self.flat[mention.end:verb_start]):
                return mention
            return None  # the nearest name is not the verb's subject
        return None

    def first_mention(self, start: int, end: int) -> Mention | None:
        return next((m for m in self.mentions if start <= m.start < end), None)

    def phrase(self, start: int, end: int) -> str:
        """A claimant as the sentence writes it, quotes and trailing commas dropped."""
        return re.sub(r"[\"“”]", "", self.text[start:end]).strip(" ,'")

    def claimant(self, start: int, end: int, person: bool = False) -> Mention | None:
        """The entity the words at [start, end) name: a known or new name among them, or a
        described group ("intelligence sources"); None for words that name no one."""
        inside = [m for m in self.mentions if start <= m.start and m.end <= end + 1
                  and not m.adjective]
        if inside:
            people = [m for m in inside if m.kind == "person"]
            return (people or inside)[-1] if person else inside[0]
        phrase = self.phrase(start, end)
        ident = self.index.lookup(phrase)
        if ident:
            entity = self.index.entities[ident]
            return Mention(start, end, entity.name, entity.kind, ident)
        words = phrase.split()
        if words and words[-1].lower() in GROUP_WORDS and len(words) <= 5:
            name = re.sub(r"^(?:the|some|several|unnamed|anonymous)\s+", "", phrase,
                          flags=re.IGNORECASE)
            return Mention(start, end, name[:1].upper() + name[1:], "group", None,
                           why=f"the word '{words[-1].lower()}'")
        return None


def _standalone(text: str) -> str:
    """A sentence that stands alone as a claim: "However, by June 27, …" → "By June 27, …"
    (the word ties it to the sentence before, which the claim does not follow)."""
    tie = CONNECTIVE.match(text) or re.match(r"(?:However|But|Yet|Meanwhile|Still),\s+", text)
    if not tie or not text[tie.end():tie.end() + 1].isalpha():
        return text
    rest = text[tie.end():]
    return rest[:1].upper() + rest[1:]


def _reported(who: str, verb: str, words: str, offset: int, mentions: list[Mention]) -> str:
    """ "X said that …", or, where the words speak in the first person ("I want", "we
    presume"), "X said: "…"": a pronoun is not turned into a guess at who it is."""
    words = words.strip(" ,")
    if FIRST_PERSON.search(words):
        return f"{who} {verb}: \u201c{words.rstrip()}\u201d"
    end = "" if words.endswith((".", "!", "?", '"', "\u201d")) else "."
    return f"{who} {verb} that {_lower_first(words, offset, mentions)}{end}"


def _lower_first(text: str, offset: int, mentions: list[Mention]) -> str:
    """`text` with its first letter in lower case, unless its first word is a name, an
    acronym or "I": "Over 20 soldiers …" → "over 20 soldiers …"; "Moscow began …" stays."""
    if not text:
        return text
    first = re.match(r"[\"“']?(\S+)", text)
    word = first.group(1) if first else ""
    at = offset + (first.start(1) if first else 0)
    if any(m.start <= at < m.end for m in mentions) or word.isupper() or word == "I" or \
            word.rstrip(".,") in TITLE_WORDS:
        return text
    return text[:1].lower() + text[1:] if not text[:1].isupper() or len(word) < 2 or \
        not word[1:2].isupper() else text

