"""Names in a sentence: which entities it mentions, known ones by name or alias, new ones guessed.

Owns: `EntityIndex` (the briefing's entities by folded name and alias, and the states by their
adjective: "Russian" → russia), `Mention` and `find_mentions`. No NLP model: a name is a known
name or alias (a known person's last name too), or a run of capitalised words (`capitals`)
that is not a title ("Major General") or an adjective before a lower-case noun ("Far Eastern
ports"). The
kind of a new name is guessed from its own words and the words around it (`kinds.guess_kind`),
and every guess carries the words it rests on, for the editor to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .capitals import STARTERS, DocumentWords, is_title, runs
from .kinds import ADJECTIVE_ENDINGS, DIRECTIONS, SPEECH_AFTER, guess_kind

# Words for an office or a role before an appositive name ("his spokesman, Peskov, said").
OFFICES = frozenset("spokesman spokeswoman spokesperson president minister secretary "
                    "adviser advisor colleague aide envoy ambassador official leader chief "
                    "director commander general deputy counterpart friend".split())
from .plaintext import fold_name, plain


@dataclass(frozen=True)
class Mention:
    start: int  # offsets in the sentence
    end: int
    name: str  # the entity's name, or the name proposed for a new one
    kind: str
    entity: str | None = None  # the id of a known entity; None: a new one is proposed
    title: str = ""  # words of rank or office before a person's name ("Major General")
    why: str = ""  # what a guessed kind rests on
    adjective: bool = False  # "Russian" for russia: a fact is about the state, no one speaks


class EntityIndex:
    """The briefing's entities, found by their names and aliases however a sentence spells
    them (case, quotes, "the", a possessive). An alias in capitals ("UN", "DPRK") is matched in
    capitals only, so that "us" is never the United States."""

    def __init__(self, entities):
        self.entities = {e.id: e for e in entities}
        self.keys: dict[str, str] = {}  # folded name → entity id
        # matched as written only: acronyms ("UN" → united-nations) and last names ("Ryder")
        self.acronyms: dict[str, str] = {}
        self.proposed: dict[str, str] = {}  # a new person's key → their name
        self.adjectives: dict[str, str] = {}  # folded adjective → state id
        self.surnames: dict[str, str | None] = {}  # "Ryder" → pat-ryder; None: two people
        for entity in entities:
            if entity.kind == "person" and len(entity.name.split()) > 1:
                self.add_surname(entity.name, entity.id)
            for name in (entity.name, *entity.aliases):
                if re.fullmatch(r"[A-Z]{2,6}", name):
                    self.acronyms.setdefault(name, entity.id)
                    continue
                for key in _keys(name, entity.kind):
                    self.keys.setdefault(key, entity.id)
                if entity.kind == "state":
                    for adjective in _adjectives(name):
                        self.adjectives.setdefault(adjective, entity.id)
        for last, ident in self.surnames.items():
            if ident and len(last) > 2:  # a known person's last name alone ("Ryder said"),
                self.acronyms.setdefault(last, ident)  # as written: "Un" is not "UN"
        # Longest first, so that "Armed Forces of Ukraine" wins over "Ukraine".
        self._pattern = _alternation(sorted(self.keys, key=len, reverse=True))
        self._acronym_pattern = _alternation(sorted(self.acronyms, key=len, reverse=True),
                                             fold=False)

    def add_surname(self, name: str, ident: str) -> None:
        """Let a person's last name alone name them ("Ryder said"), unless two share it."""
        last = name.split()[-1]
        self.surnames[last] = ident if self.surnames.get(last, ident) == ident else None

    def lookup(self, phrase: str) -> str | None:
        """The id of the entity `phrase` names, or None: 'the "Kyiv Post,"' → kyiv-post."""
        phrase = phrase.strip(" ,.;:\"'()")
        if phrase in self.acronyms:
            return self.acronyms[phrase]
        return self.keys.get(fold_name(phrase)) or self.keys.get(_unqualified(fold_name(phrase)))

    def known(self, text: str) -> list[Mention]:
        """Every known name or alias in `text`, longest first where two overlap."""
        found: list[Mention] = []
        lowered = _fold_keep_length(text)
        for pattern, haystack, table in ((self._pattern, lowered, self.keys),
                                         (self._acronym_pattern, text, self.acronyms)):
            if pattern is None:
                continue
            for match in pattern.finditer(haystack):
                start, end = match.span()
                # the words as the key spells them
                said = " ".join(w for w in re.split(r"[\s'-]+", match.group()) if w)
                ident = table.get(said if table is self.keys else match.group())
                if ident is None:
                    continue
                entity = self.entities[ident]
                # A proper name is written with a capital; a group ("intelligence sources")
                # may not be.
                if not text[start].isupper() and entity.kind != "group":
                    continue
                found.append(Mention(start, end, entity.name, entity.kind, ident))
        return _without_overlaps(found)


def find_mentions(text: str, index: EntityIndex, words: DocumentWords | None = None,
                  new_names: bool = True) -> list[Mention]:
    """Every entity `text` names, in order: known ones, then runs of capitalised words.
    `words`: the whole document's (`DocumentWords.of`); by default the sentence's own.
    `new_names`: False for a language whose capitals do not mark names (German nouns)."""
    words = words if words is not None else DocumentWords.of(text)
    text = plain(text)
    known = index.known(text)
    mentions = list(known)
    if not new_names:
        return sorted(mentions, key=lambda m: m.start)
    taken = [(m.start, m.end) for m in known]
    for start, end, title in runs(text, taken, words):
        mention = _named_run(text, start, end, title, index, words.lower - STARTERS)
        if mention is not None and mention.entity is None and mention.kind != "person" and \
                " " not in mention.name and mention.name in words.addressed:
            mention = replace(mention, kind="person", why="its being called on by name in the "
                              f"document (\"Go ahead, {mention.name}.\")")
        if mention is not None:
            mentions.append(mention)
    mentions = sorted((_with_title(text, m) for m in mentions), key=lambda m: m.start)
    return [m for i, m in enumerate(mentions)
            if not _vocative(text, m, mentions[i - 1] if i else None)]


def _vocative(text: str, mention: Mention, before: Mention | None) -> bool:
    """Whether a one-word name is only the person spoken to ("Go ahead, Nadia.", "I totally
    hear that, Tam, and …", "too soon to tell, Aamer, what …"): set off by a comma before it
    and a comma, a dash or the sentence's end after it. Not an item of a list ("Hamas,
    Hezbollah, and …"), a name after an office ("his spokesman, Peskov, said"), a name before
    a speech verb, nor a state, place, outlet, group or event."""
    if mention.kind not in ("person", "organisation") or mention.adjective or \
            " " in text[mention.start:mention.end].strip() or mention.title:
        return False
    lead = re.search(r"(\S+)\s*,\s*$", text[:mention.start])
    trail = re.match(r"\s*(?:[.!?]+[\"'\u201d]?\s*$|,\s*|\s+[\u2014\u2013-]\s)", text[mention.end:])
    if not lead or not trail:
        return False
    if before is not None and before.end >= lead.start(1) or is_title(lead.group(1)) or \
            lead.group(1).lower().rstrip(",") in OFFICES:
        return False
    return not SPEECH_AFTER.match(text[mention.end:])


# --- matching known names ----------------------------------------------------------------

def _keys(name: str, kind: str) -> set[str]:
    key = fold_name(name)
    keys = {key} if key else set()
    if kind == "group" and _unqualified(key) != key:
        # "Unnamed intelligence sources" is cited as "intelligence sources"
        keys.add(_unqualified(key))
    return keys


def _unqualified(key: str) -> str:
    """A group's name without the editor's word for its namelessness."""
    return re.sub(r"^(?:unnamed|unidentified|anonymous|unspecified) ", "", key)


def _adjectives(name: str) -> set[str]:
    """The usual adjectives of a state's name: Russia → russian, Ukraine → ukrainian, North
    Korea → north korean, Israel → israeli, China → chinese."""
    key = fold_name(name)
    stem = key[:-1] if key.endswith(("a", "e")) else key
    return {key + "n", stem + "ian", key + "ian", key + "i", stem + "ese", key + "ese",
            key + "ish"} - {key}


def _fold_keep_length(text: str) -> str:
    """Lower case with the same offsets (folded keys are matched at word boundaries)."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _alternation(keys: list[str], fold: bool = True):
    if not keys:
        return None
    # A key's words may be separated by any run of spaces or a hyphen in the sentence.
    parts = [r"[\s'-]+".join(re.escape(w) for w in key.split()) for key in keys]
    return re.compile(r"(?<![\w'])(?:" + "|".join(parts) + r")(?![\w-])",
                      0 if not fold else re.UNICODE)


def _without_overlaps(found: list[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    for mention in sorted(found, key=lambda m: (m.start, -(m.end - m.start))):
        if not any(m.start < mention.end and mention.start < m.end for m in kept):
            kept.append(mention)
    return kept


def _named_run(text: str, start: int, end: int, title: str, index: EntityIndex,
               common: frozenset[str] = frozenset()):
    name = text[start:end]
    after = text[end:end + 40]
    ident = index.lookup(name) or index.surnames.get(name)
    if ident and ident in index.entities:  # a spelling the patterns did not catch, a surname
        entity = index.entities[ident]
        return Mention(start, end, entity.name, entity.kind, ident, title)
    if ident:  # the last name of a person proposed earlier in the document
        person = index.proposed[ident]
        return Mention(start, end, person, "person", None, title, "the same last name")
    key = fold_name(name)
    state = index.adjectives.get(key) or (key.endswith("s") and index.adjectives.get(key[:-1]))
    if state:  # "Russian military facility": about Russia, said by no one
        return Mention(start, end, index.entities[state].name, "state", state, adjective=True)
    last = name.split()[-1]
    if re.match(r"\s+[a-z]", after) and (last.endswith(ADJECTIVE_ENDINGS) or
                                          last in DIRECTIONS) and not title:
        return None  # "Far Eastern ports", "Korean people": a modifier, not a name
    if all(is_title(w) for w in name.split()):
        return None  # an office with no one named ("Defense Minister")
    kind, why = guess_kind(name, title, text[max(0, start - 40):start], after, common)
    if name.isupper() and " " in name:  # a transcript's "ANNA VOSS" is Anna Voss
        name, title = name.title(), title.title()
    return Mention(start, end, name, kind, None, title, why)


def _with_title(text: str, mention: Mention) -> Mention:
    """A person's mention with the title written before it ("Major General Pat Ryder")."""
    if mention.kind != "person" or mention.title:
        return mention
    before = text[:mention.start].split()
    title = []
    while before and (is_title(before[-1]) or before[-1] in DIRECTIONS or
                      before[-1].endswith(ADJECTIVE_ENDINGS)) and before[-1][0].isupper():
        title.insert(0, before.pop())
    if not any(is_title(w) for w in title):
        return mention
    if all(w.isupper() for w in title):
        title = [w.title() for w in title]  # a transcript's "MAYOR"
    return Mention(mention.start, mention.end, mention.name, mention.kind, mention.entity,
                   " ".join(title), mention.why, mention.adjective)
