"""Names in a sentence: which entities it mentions, known ones by name or alias, new ones guessed.

Owns: `EntityIndex` (the briefing's entities by folded name and alias, and the states by their
adjective: "Russian" → russia), `Mention` and `find_mentions`. No NLP model: a name is a known
name or alias, or a run of capitalised words that is not a sentence's first common word, a
title ("Major General"), or an adjective before a lower-case noun ("Far Eastern ports"). The
kind of a new name is guessed from its own words and the words around it (`kinds.guess_kind`),
and every guess carries the words it rests on, for the editor to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .kinds import ADJECTIVE_ENDINGS, DIRECTIONS, TITLE_WORDS, guess_kind
from .plaintext import fold_name, plain

# Words that start sentences without naming anything; a capitalised run loses them at its start.
STARTERS = frozenset("""
a an the this that these those it its he she they we i you his her their our my your there here
according after before among amid as at by during for from in into on onto over under with
without about above across against along around behind below beside between beyond despite
except inside near outside since through throughout toward towards until upon within
and but or nor yet so however additionally meanwhile moreover furthermore also still then later
earlier just only even already again instead thus therefore hence indeed nevertheless nonetheless
if when while where whether although though because unless once whereas
one two three four five six seven eight nine ten eleven twelve several many some most more less
few all both each every no none other another such last next first second third new
what which who whom whose why how
""".split())
# Capitalised, but never a name: the calendar (dates are `dating`'s).
CALENDAR = frozenset("""
January February March April May June July August September October November December Jan Feb
Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday
""".split())
_WORD = re.compile(r"[^\W\d_][\w'-]*")


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
        self.acronyms: dict[str, str] = {}  # "UN" → united-nations
        self.adjectives: dict[str, str] = {}  # folded adjective → state id
        for entity in entities:
            for name in (entity.name, *entity.aliases):
                if re.fullmatch(r"[A-Z]{2,6}", name):
                    self.acronyms.setdefault(name, entity.id)
                    continue
                for key in _keys(name, entity.kind):
                    self.keys.setdefault(key, entity.id)
                if entity.kind == "state":
                    for adjective in _adjectives(name):
                        self.adjectives.setdefault(adjective, entity.id)
        # Longest first, so that "Armed Forces of Ukraine" wins over "Ukraine".
        self._pattern = _alternation(sorted(self.keys, key=len, reverse=True))
        self._acronym_pattern = _alternation(sorted(self.acronyms, key=len, reverse=True),
                                             fold=False)

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
        for pattern, haystack in ((self._pattern, lowered), (self._acronym_pattern, text)):
            if pattern is None:
                continue
            for match in pattern.finditer(haystack):
                start, end = match.span()
                # the words as the key spells them
                said = " ".join(w for w in re.split(r"[\s'-]+", match.group()) if w)
                ident = self.keys.get(said) or self.acronyms.get(match.group())
                if ident is None:
                    continue
                entity = self.entities[ident]
                # A proper name is written with a capital; a group ("intelligence sources")
                # may not be.
                if not text[start].isupper() and entity.kind != "group":
                    continue
                found.append(Mention(start, end, entity.name, entity.kind, ident))
        return _without_overlaps(found)


def find_mentions(text: str, index: EntityIndex,
                  common_words: frozenset[str] = frozenset()) -> list[Mention]:
    """Every entity `text` names, in order: known ones, then runs of capitalised words.
    `common_words`: words the document also writes in lower case, so that a sentence's
    capitalised first word ("Just", "Additionally") is not taken for a name."""
    text = plain(text)
    known = index.known(text)
    mentions = list(known)
    taken = [(m.start, m.end) for m in known]
    for start, end, title in _runs(text, taken, common_words):
        mention = _named_run(text, start, end, title, index)
        if mention is not None:
            mentions.append(mention)
    mentions = [_with_title(text, m) for m in mentions]
    return sorted(mentions, key=lambda m: m.start)


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


# --- runs of capitalised words -------------------------------------------------------------

def _tokens(text: str):
    """(start, end, word) of each word, a possessive "'s" left off."""
    for match in _WORD.finditer(text):
        word = match.group()
        end = match.end()
        if word.endswith("'s"):
            word, end = word[:-2], end - 2
        elif word.endswith("'"):
            word, end = word[:-1], end - 1
        if word:
            yield match.start(), end, word


def _sentence_start(text: str, at: int) -> bool:
    """Whether the word at `at` opens the sentence or a quotation, heading clause or bracket."""
    before = text[:at].rstrip(" ")
    return not before or before[-1] in ".:!?;\"'("


def _runs(text: str, taken: list[tuple[int, int]], common_words: frozenset[str]):
    """(start, end, title) of each run of capitalised words outside `taken`; `title` is the
    run's leading words of rank or office, split off ("Major General" before "Pat Ryder")."""
    tokens = [t for t in _tokens(text) if not any(a <= t[0] < b for a, b in taken)]
    run: list[tuple[int, int, str]] = []

    def flush():
        yield from _split_run(text, run, common_words)
        run.clear()

    for index, (start, end, word) in enumerate(tokens):
        capital = word[0].isupper() and word not in CALENDAR
        if run and not _joined(text, run[-1][1], start):
            yield from flush()
        if capital:
            run.append((start, end, word))
        elif run and word in ("of", "the", "for") and index + 1 < len(tokens) \
                and tokens[index + 1][2][0].isupper() and _joined(text, end, tokens[index + 1][0]):
            run.append((start, end, word))  # "Ministry of Defense", "Forces of the Republic"
        elif run:
            yield from flush()
    yield from flush()


def _joined(text: str, end: int, start: int) -> bool:
    """Whether two words are one name's: nothing but one space or a hyphen between them."""
    return text[end:start] in (" ", "-")


def _split_run(text: str, run: list, common_words: frozenset[str]):
    words = list(run)
    while words and words[-1][2] in ("of", "the", "for"):
        words.pop()
    # A sentence's first word is capitalised whatever it is.
    while words and _sentence_start(text, words[0][0]) and \
            (words[0][2].lower() in STARTERS or words[0][2].lower() in common_words):
        words.pop(0)
    while words and words[0][2] in ("of", "the", "for"):
        words.pop(0)
    if not words:
        return
    title = []
    while words and (words[0][2].rstrip(".") in TITLE_WORDS or words[0][2] in DIRECTIONS
                     or words[0][2].endswith(ADJECTIVE_ENDINGS)) and len(words) > 1:
        title.append(words.pop(0))
    if title and not any(w[2].rstrip(".") in TITLE_WORDS for w in title):
        words = title + words  # "North Korean Navy": an adjective, not an office
        title = []
    if all(w[2] == "I" or w[2].lower() in STARTERS for w in words):
        return  # "The" before a known name, the pronoun "I"
    title_text = text[title[0][0]:title[-1][1]] if title else ""
    yield words[0][0], words[-1][1], title_text


def _named_run(text: str, start: int, end: int, title: str, index: EntityIndex):
    name = text[start:end]
    after = text[end:end + 40]
    ident = index.lookup(name)
    if ident:  # a name the index knows by a spelling its patterns did not catch
        entity = index.entities[ident]
        return Mention(start, end, entity.name, entity.kind, ident, title)
    state = index.adjectives.get(fold_name(name))
    if state:  # "Russian military facility": about Russia, said by no one
        return Mention(start, end, index.entities[state].name, "state", state, adjective=True)
    last = name.split()[-1]
    if re.match(r"\s+[a-z]", after) and (last.endswith(ADJECTIVE_ENDINGS) or
                                          last in DIRECTIONS) and not title:
        return None  # "Far Eastern ports", "Korean people": a modifier, not a name
    if all(w.rstrip(".") in TITLE_WORDS for w in name.split()):
        return None  # an office with no one named ("Defense Minister")
    kind, why = guess_kind(name, title, text[max(0, start - 40):start], after)
    return Mention(start, end, name, kind, None, title, why)


def _with_title(text: str, mention: Mention) -> Mention:
    """A person's mention with the title written before it ("Major General Pat Ryder")."""
    if mention.kind != "person" or mention.title:
        return mention
    before = text[:mention.start].split()
    title = []
    while before and (before[-1].rstrip(".") in TITLE_WORDS or before[-1] in DIRECTIONS or
                      before[-1].endswith(ADJECTIVE_ENDINGS)) and before[-1][0].isupper():
        title.insert(0, before.pop())
    if not any(w.rstrip(".") in TITLE_WORDS for w in title):
        return mention
    return Mention(mention.start, mention.end, mention.name, mention.kind, mention.entity,
                   " ".join(title), mention.why, mention.adjective)
