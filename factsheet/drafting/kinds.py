"""The kind of a name no entity has yet, guessed from its words and the words around it.

Owns: `guess_kind` and the word lists it reads (titles, outlets, bodies, groups, places). A
guess is a proposal: it comes back with the words it rests on ("the title 'Major General'
before it"), which the drafted entity's description repeats for the editor to check. The kinds
are the entity kinds of `vocabulary.ENTITY_KINDS`. Imports nothing of ours.
"""

from __future__ import annotations

import re

import langcodes

# Words of rank or office written before a person's name.
TITLE_WORDS = frozenset("""
President Vice Prime Minister Deputy Foreign Defense Defence Interior Secretary General Major
Lieutenant Colonel Col Gen Maj Lt Brig Brigadier Admiral Adm Captain Capt Sergeant Sgt Commander
Chief Marshal Colonel-General Lieutenant-General Major-General Senator Sen Representative Rep
Governor Gov Mayor Ambassador Chancellor King Queen Prince Princess Sheikh Emir Pope Judge
Justice Speaker Chairman Chairwoman Chair Director Spokesman Spokeswoman Spokesperson Envoy
Dr Mr Mrs Ms Sir Lord Lady Premier Commissioner Inspector Officer Private Corporal Mr.
""".split())
DIRECTIONS = frozenset("North South East West Central Northern Southern Eastern Western Far "
                       "Middle Upper Lower Greater".split())
# Endings of adjectives of place ("Russian", "Chinese", "Israeli", "Eastern").
ADJECTIVE_ENDINGS = ("an", "ian", "ese", "ish", "ern", "ean", "ic", "i")

# A word in the name, or just before it, that says what kind of thing it is.
PUBLICATION_WORDS = frozenset("""
post times journal news herald gazette tribune daily newspaper sinmun telegraph guardian
magazine radio tv television broadcasting broadcaster press reuters bloomberg wire pravda
izvestia review monitor observer chronicle express mail independent economist weekly
""".split())
OUTLET_CUES = frozenset("newspaper outlet magazine broadcaster channel daily weekly paper "
                        "tabloid website".split())
ORGANISATION_WORDS = frozenset("""
intelligence ministry agency forces force army navy government department office council
committee command service services institute university company corporation corp inc ltd bank
union party police guard guards court parliament assembly commission organisation organization
fund foundation authority administration bureau directorate staff corps brigade
regiment division battalion fleet pentagon kremlin congress senate cabinet house
""".split())
EVENT_WORDS = frozenset("war summit election day battle conference olympics games crisis "
                        "invasion offensive siege massacre attack strike bombing".split())
GROUP_WORDS = frozenset("""
sources officials residents witnesses soldiers troops people experts analysts diplomats
lawmakers volunteers officers fighters civilians observers insiders representatives
democrats republicans
""".split())
PLACE_CUES = frozenset("near in at outside inside from to into across towards toward around "
                       "across region city town village port province oblast district".split())
PLACE_WORDS = frozenset("city town village port province oblast region district island river "
                        "sea mountains bay strait peninsula county new san los las saint st fort "
                        "mount lake cape".split())
# The plural of an adjective of place, or one in -ese: "Russians", "Israelis", "Chinese".
PEOPLE = re.compile(r"\w(?:ans|eans|ians|elis|aqis|anis|udis|ese)$")
SPEECH_AFTER = re.compile(r"^[\s,]*(?:said|says|stated|states|noted|notes|told|declared|added|"
                          r"wrote|writes|claimed|argued|warned)\b")


def guess_kind(name: str, title: str = "", before: str = "", after: str = "",
               common: frozenset[str] = frozenset()) -> tuple[str, str]:
    """(kind, the words the guess rests on) for a name no entity has. `before` and `after` are
    the sentence's text around the name; `common`: words the document also writes in lower
    case ("big", "act"), which a person's name of a few words is not made of."""
    words = [w.lower().rstrip(".") for w in name.split()]
    before_words = [w for w in re.findall(r"[\w']+", before.lower())
                    if w not in ("the", "a", "an")][-2:]
    if title:
        return "person", f"the title '{title}' before it"
    if words and words[-1] in GROUP_WORDS:
        return "group", f"the word '{words[-1]}'"
    if len(words) <= 2 and PEOPLE.search(words[-1]):
        return "group", f"'{name}', the name of a people"
    territory = _territory(name)
    if territory:
        return territory
    # A word of the name, or just before it, that names a kind; the first cue found wins.
    in_name, ahead = "the word '{}' in the name", "the word '{}' before it"
    for among, cues, kind, why in ((words, PUBLICATION_WORDS, "publication", in_name),
                                   (before_words, OUTLET_CUES, "publication", ahead),
                                   (words, ORGANISATION_WORDS, "organisation", in_name),
                                   (words, PLACE_WORDS, "place", in_name),
                                   (words, EVENT_WORDS, "event", in_name)):
        cue = next((w for w in among if w in cues), None)
        if cue:
            return kind, why.format(cue)
    if SPEECH_AFTER.match(after):
        verb = SPEECH_AFTER.match(after).group().strip(" ,")
        if len(words) >= 2:
            return "person", f"a name of {len(words)} words followed by '{verb}'"
        return "organisation", f"a one-word name followed by '{verb}'"
    if len(words) == 1 and name.isupper():
        return "organisation", "an acronym with no other cue"
    if len(words) == 1 and before_words and before_words[-1] in PLACE_CUES:
        return "place", f"the word '{before_words[-1]}' before it"
    ordinary = next((w for w in name.split() if w.lower() in common and w not in TITLE_WORDS),
                    None)
    if 2 <= len(words) <= 4 and ordinary:  # "Big Pharma", "Inflation Reduction Act"
        return "organisation", (f"the word '{ordinary}', which the document also writes in "
                                "lower case, so not a person's name (a guess)")
    if 2 <= len(words) <= 4:
        return "person", "a name of several capitalised words with no other cue"
    return "organisation", "no cue in or around the name (a guess)"


def _territory(name: str) -> tuple[str, str] | None:
    """("state" or "place", why) where CLDR (through langcodes, a dependency already) names
    a country ("Japan") or a region ("Europe") so; None otherwise."""
    try:
        code = langcodes.find_name("territory", name, "en").territory
    except (LookupError, ValueError):
        return None
    if not code:
        return None
    if code.isdigit():
        return "place", f"CLDR's name of the region {code}"
    return "state", f"CLDR's name of the country {code}"
