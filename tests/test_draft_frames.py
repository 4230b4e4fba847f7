"""Reading a sentence: entities by name and alias, kinds of new names, and reporting frames.

Each reporting frame of issue 11 has a test of its own; the chains are entity ids, original
claimant first, as docs/content-format.md orders them.
"""

from __future__ import annotations

import pytest

from factsheet.drafting.frames import continued, read_frame
from factsheet.drafting.capitals import DocumentWords
from factsheet.drafting.kinds import guess_kind
from factsheet.drafting.naming import EntityIndex, find_mentions
from factsheet.model import Entity

ENTITIES = (
    Entity("kyiv-post", "Kyiv Post", "publication"),
    Entity("the-washington-post", "The Washington Post", "publication"),
    Entity("ukrainian-intelligence-sources", "Ukrainian intelligence sources", "group"),
    Entity("unnamed-intelligence-sources", "Unnamed intelligence sources", "group"),
    Entity("south-korean-intelligence", "South Korean intelligence", "organisation"),
    Entity("pentagon", "Pentagon", "organisation", aliases=("The Pentagon",)),
    Entity("pat-ryder", "Pat Ryder", "person"),
    Entity("shin-won-sik", "Shin Won-sik", "person"),
    Entity("vladimir-putin", "Vladimir Putin", "person", aliases=("Putin",)),
    Entity("nodong-sinmun", "Nodong Sinmun", "publication", aliases=("Workers' Newspaper",)),
    Entity("russia", "Russia", "state", aliases=("Moscow",)),
    Entity("north-korea", "North Korea", "state", aliases=("DPRK",)),
    Entity("united-nations", "United Nations", "organisation", aliases=("UN",)),
)
INDEX = EntityIndex(ENTITIES)


def chain(text: str, previous=None) -> list[str]:
    frame = read_frame(text, find_mentions(text, INDEX), INDEX, previous)
    return [m.entity or f"new:{m.name}:{m.kind}" for m in frame.chain]


def frame_of(text: str):
    return read_frame(text, find_mentions(text, INDEX), INDEX)


# --- one test per reporting frame ----------------------------------------------------------

def test_according_to_x():
    assert chain("According to the \"Kyiv Post,\" the attack occurred on October 3.") == \
        ["kyiv-post"]
    frame = frame_of("According to the \"Kyiv Post,\" the attack occurred on October 3.")
    assert frame.claim == "According to the Kyiv Post, the attack occurred on October 3."


def test_according_to_x_at_the_end_is_brought_to_the_front():
    text = "Six officers were among the dead, according to intelligence sources."
    assert chain(text) == ["unnamed-intelligence-sources"]
    assert frame_of(text).claim == \
        "According to intelligence sources, six officers were among the dead."


def test_x_said():
    assert chain("Vladimir Putin said that the treaty was signed.") == ["vladimir-putin"]


def test_x_noted():
    text = ("Pentagon spokesman Major General Pat Ryder noted, \u201cIf I were them, I would "
            "worry.\u201d")
    assert chain(text) == ["pat-ryder"]


def test_x_stated():
    assert chain("Putin stated that the document also allows for cooperation.") == \
        ["vladimir-putin"]


def test_reports_the_y_citing_z():
    text = ("Over 20 soldiers were killed near Donetsk, reports the \"Kyiv Post,\" citing "
            "Ukrainian intelligence sources.")
    assert chain(text) == ["ukrainian-intelligence-sources", "kyiv-post"]
    assert frame_of(text).claim == ("The Kyiv Post, citing Ukrainian intelligence sources, "
                                    "reports that over 20 soldiers were killed near Donetsk.")


def test_reports_y_citing_z_without_the():
    text = "Ten ships were hit, reports Kyiv Post, citing Ukrainian intelligence sources."
    assert chain(text) == ["ukrainian-intelligence-sources", "kyiv-post"]


def test_in_an_article_for_y_x_wrote():
    text = ("In an article for the newspaper Nodong Sinmun (Workers\u2019 Newspaper) published "
            "on June 18, Vladimir Putin expressed gratitude for North Korea's support.")
    assert chain(text) == ["vladimir-putin", "nodong-sinmun"]
    assert chain("In an article for The Washington Post, Putin wrote that the war would end.") \
        == ["vladimir-putin", "the-washington-post"]


def test_x_told_y():
    assert chain("Shin Won-sik told the Kyiv Post that Moscow sent tanks.") == \
        ["shin-won-sik", "kyiv-post"]  # an outlet he told relays him
    assert chain("Putin told Shin Won-sik that Moscow sent tanks.") == ["vladimir-putin"]


def test_said_x_inverted():
    text = ("In response, Moscow began supplying tanks, said South Korean Defense Minister "
            "Shin Won-sik.")
    assert chain(text) == ["shin-won-sik"]
    assert frame_of(text).claim == ("South Korean Defense Minister Shin Won-sik said that in "
                                    "response, Moscow began supplying tanks.")


def test_x_commenting_on_stated():
    text = ("The Pentagon, commenting on these reports, stated that North Korean troops sent to "
            "Ukraine would become \"cannon fodder.\"")
    assert chain(text) == ["pentagon"]


def test_speech_inside_a_relay_comes_first_in_the_chain():
    assert chain("Putin said the talks failed, according to The Washington Post.") == \
        ["vladimir-putin", "the-washington-post"]


def test_he_said_is_the_speaker_before():
    speaker = find_mentions("Putin spoke.", INDEX)[0]
    assert chain("He said that the talks failed.", previous=speaker) == ["vladimir-putin"]


def test_own_voice_and_a_claimant_that_names_no_one():
    assert chain("On June 19, Vladimir Putin and Kim Jong Un signed an agreement.") == []
    frame = frame_of("According to the agreement, Russia and North Korea commit to assistance.")
    assert frame.chain == () and frame.unnamed == "the agreement"


def test_a_speaker_clause_stops_at_the_documents_concession():
    frame = frame_of("Putin stated that the document allows cooperation, although UN sanctions "
                     "prohibit it.")
    assert frame.quote == "Putin stated that the document allows cooperation"
    assert frame.clipped == "although UN sanctions prohibit it"


def test_a_verb_with_no_name_before_it_is_no_frame():
    assert chain("The report said nothing new about the strike.") == []
    assert chain("Commenting on these reports, officials in the region stayed silent.") == []


# --- entities: matching and new names ---------------------------------------------------------

@pytest.mark.parametrize("text, ident", [
    ("according to the Kyiv Post", "kyiv-post"),
    ("according to the \u201cKyiv Post,\u201d", "kyiv-post"),
    ("KYIV POST reported", "kyiv-post"),
    ("according to Washington Post figures", "the-washington-post"),
    ("according to \"The Washington Post,\"", "the-washington-post"),
    ("Putin's request", "vladimir-putin"),
    ("as the Workers\u2019 Newspaper says", "nodong-sinmun"),
    ("the DPRK and", "north-korea"),
    ("UN sanctions", "united-nations"),
    ("Shin Won-sik", "shin-won-sik"),
    ("according to intelligence sources", "unnamed-intelligence-sources"),
])
def test_known_entities_by_name_alias_case_and_punctuation(text, ident):
    assert [m.entity for m in find_mentions(text, INDEX)] == [ident]


def test_lower_case_words_are_not_acronyms_and_adjectives_name_states():
    assert find_mentions("they told us and un-", INDEX) == []
    found = find_mentions("a Russian military facility", INDEX)
    assert [(m.entity, m.adjective) for m in found] == [("russia", True)]


def test_sentence_start_words_titles_and_adjectives_are_not_names():
    text = ("Just before the strike, Defense Minister Lee Jae-won visited two Far Eastern ports "
            "and the Korean people.")
    names = [(m.name, m.kind, m.title) for m in find_mentions(text, INDEX)]
    assert names == [("Lee Jae-won", "person", "Defense Minister")]


@pytest.mark.parametrize("name, title, before, after, kind", [
    ("Pat Smith", "Major General", "", "", "person"),
    ("Kyiv Independent", "", "", "", "publication"),
    ("Hamas", "", "", "", "organisation"),
    ("Daily Mirror", "", "", "", "publication"),
    ("Kommersant", "", "the newspaper ", "", "publication"),
    ("Ukrainian Navy", "", "", "", "organisation"),
    ("State Border Guard Service", "", "", "", "organisation"),
    ("Ukrainian military sources", "", "", "", "group"),
    ("Bakhmut", "", "fighting near ", "", "place"),
    ("John Kirby", "", "", " said that", "person"),
])
def test_kind_of_a_new_name_is_guessed_from_its_words(name, title, before, after, kind):
    guessed, why = guess_kind(name, title, before, after)
    assert guessed == kind and why


def test_new_names_in_a_frame_are_proposed_with_a_guessed_kind():
    assert chain("Fighting continued, reports the Kyiv Independent, citing Ukrainian military "
                 "sources.") == ["new:Ukrainian military sources:group",
                                 "new:Kyiv Independent:publication"]
    assert chain("Fighting continued, reports Meduza.") == ["new:Meduza:publication"]
    assert chain("Bridges were hit, said Defense Minister Rustem Umerov.") == \
        ["new:Rustem Umerov:person"]


def test_described_groups_speak_too():
    assert chain("Ukrainian officials said that ten drones were shot down.") == \
        ["new:Ukrainian officials:group"]
    assert chain("Officials, speaking on condition of anonymity, told reporters the toll "
                 "rose.") == ["new:Officials:group"]


def test_a_known_persons_last_name_alone_names_them():
    assert chain("Ryder said the troops would suffer.") == ["pat-ryder"]


@pytest.mark.parametrize("text", [
    "Q Good afternoon, everyone.", "Okay.", "I'll take that.", "MS. JEAN-PIERRE: Thanks.",
    "The Kestria-flagged ship sailed.", "Wa- we did it.", "The U.S. did it.",
])
def test_transcript_furniture_and_common_words_are_not_names(text):
    assert [m for m in find_mentions(text, INDEX) if not m.entity] == []


def test_country_names_are_states_by_cldr():
    assert guess_kind("Japan") == ("state", "CLDR's name of the country JP")
    assert guess_kind("Europe")[0] == "place"


def test_a_transcripts_speaker_label_is_a_frame():
    text = "MAYOR ANNA BERG: Six road workers were on the bridge deck when it fell."
    frame = frame_of(text)
    assert [(m.name, m.kind) for m in frame.chain] == [("Anna Berg", "person")]
    assert frame.claim == ("Mayor Anna Berg said that six road workers were on the bridge deck "
                           "when it fell.")
    assert frame.quote == text and frame.relays
    assert frame_of("Q: Were six workers on the bridge?").chain == ()


def test_words_in_the_first_person_are_quoted_not_rewritten():
    frame = frame_of("MAYOR ANNA BERG: Four are missing, and we presume that they are dead.")
    assert frame.claim == ("Mayor Anna Berg said: \u201cFour are missing, and we presume that "
                           "they are dead.\u201d")


def test_an_own_voice_claim_loses_the_word_that_tied_it_to_the_sentence_before():
    frame = frame_of("However, by June 27, information emerged about North Korea's intent.")
    assert frame.chain == ()
    assert frame.claim == "By June 27, information emerged about North Korea's intent."
    assert frame.quote.startswith("However, by June 27")


# --- names called on and names made of common words --------------------------------------------

@pytest.mark.parametrize("text, name", [
    ("MS. JEAN-PIERRE: Go ahead, Nadia.", "Nadia"),
    ("MR. KIRBY: I totally hear that, Tam, and I know it is a tradition.", "Tam"),
    ("MR. KIRBY: So, too soon to tell, Aamer, what the impact is in Ukraine.", "Aamer"),
    ("MR. KIRBY: The short answer to your question, Jacqui, is yes.", "Jacqui"),
])
def test_a_name_only_spoken_to_is_no_mention(text, name):
    """A reporter called on or answered is the person spoken to, not a name the claim is about:
    not proposed as an entity at all."""
    assert name not in [m.name for m in find_mentions(text, INDEX)]


@pytest.mark.parametrize("text, name", [
    ("Talks with Hamas, Hezbollah, and the Houthis went on.", "Hezbollah"),  # a list
    ("His spokesman, Peskov, denied it.", "Peskov"),  # a name after an office
    ("In Ankara, Turkey, a bomb went off.", "Turkey"),  # a state
])
def test_a_name_between_commas_that_is_not_spoken_to_stays(text, name):
    assert name in [m.name for m in find_mentions(text, INDEX)]


def test_a_one_word_name_the_document_calls_on_is_a_person():
    document = "MS. JEAN-PIERRE: Go ahead, Toluse.\nQ Thanks.\nLet’s let Toluse take it."
    words = DocumentWords.of(document)
    mention = next(m for m in find_mentions("Let’s let Toluse take it.", INDEX, words)
                   if m.name == "Toluse")
    assert mention.kind == "person" and "called on" in mention.why


@pytest.mark.parametrize("name, common, kind", [
    ("Big Pharma", {"big"}, "organisation"),
    ("Inflation Reduction Act", {"act", "big"}, "organisation"),
    ("Anna Berg", {"big", "act"}, "person"),
    ("Major General Pat Ryder", {"general"}, "person"),  # a title word is not a common word
])
def test_a_name_made_of_words_the_document_writes_in_lower_case_is_no_person(name, common,
                                                                             kind):
    title = "Major General" if name.startswith("Major") else ""
    guessed, why = guess_kind(name.removeprefix("Major General "), title, common=frozenset(common))
    assert guessed == kind
    if kind == "organisation":
        assert "lower case" in why


def test_but_goes_on_in_a_speakers_voice_and_turns_from_a_relay():
    speaker = frame_of("MAYOR ANNA BERG: Six road workers were on the bridge deck.")
    follows = continued(speaker, "But the bridge was closed.", [])
    assert follows is not None and follows.claim == "Mayor Anna Berg said that the bridge was closed."
    assert follows.quote == "But the bridge was closed."  # the quote keeps it
    quoted = continued(speaker, "But we closed the bridge.", [])
    assert quoted.claim == "Mayor Anna Berg said: \u201cBut we closed the bridge.\u201d"
    assert follows.chain == speaker.chain and follows.speaker == "Mayor Anna Berg"
    relay = frame_of("According to the Kyiv Post, six road workers were on the bridge deck.")
    assert continued(relay, "But the bridge was closed.", []) is None
