"""Drafter: sentences of a document → draft fact entries (issue 11).

Small documents built in the test check one behaviour each (status rules, the year a date
without one is given, carried attribution, headings, new entities, hostile input); the bundled
article checks that what is proposed agrees with the hand-written facts where they overlap, and
that every proposal validates and quotes its document verbatim (`bundled_only`: skipped once
content/ holds a briefing of the user's own).
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest
import yaml

from bundled import bundled_only
from factsheet import units
from factsheet.dates import parse_date
from factsheet.drafting.naming import Mention
from factsheet.drafting.propose import Drafter, status_for
from factsheet.drafting.sentences import sentences
from factsheet.errors import Diagnostics
from factsheet.loader import load_content
from factsheet.model import Content, Entity, Source
from factsheet.quotes import find_all
from factsheet.validate import validate

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "content"
ARTICLE = "000_4f4d7faab0ac3298.txt"


def content_with(text: str, entities=(), published=None) -> Content:
    source = Source("doc", "A document", "article", None,
                    parse_date(published) if published else None, document="doc.txt")
    return Content(None, (source,), tuple(entities), (), (), {"doc.txt": text})


def draft(text: str, entities=(), published=None) -> tuple[list[dict], Drafter]:
    drafter = Drafter(content_with(text, entities, published), "doc")
    return [p for s in sentences(text) if (p := drafter.propose(s))], drafter


@functools.lru_cache(maxsize=1)
def bundled_content() -> Content:
    diagnostics = Diagnostics()
    content = validate(load_content(BUNDLED, diagnostics), diagnostics)
    assert not diagnostics.errors
    return content


@pytest.fixture(scope="module")
def article():
    content = bundled_content()
    drafter = Drafter(content, "seed-article")
    text = content.documents[ARTICLE]
    proposals = {}
    for sentence in sentences(text):
        proposal = drafter.propose(sentence)
        if proposal:
            proposals[sentence.text] = proposal
    return proposals, drafter, text


def proposal_starting(proposals: dict, words: str) -> dict:
    return next(p for text, p in proposals.items() if text.startswith(words))


# --- the bundled article against the hand-written facts ---------------------------------------

@bundled_only
def test_paragraph_1_chain_status_and_figure(article):
    fact = proposal_starting(article[0], "Over 20 soldiers")
    assert fact["attribution"] == ["ukrainian-intelligence-sources", "kyiv-post"]
    assert fact["status"] == "reported"
    assert fact["quantities"] == [{"value": 20, "qualifier": "more than", "unit": "soldiers",
                                   "label": "soldiers killed"}]
    assert fact["claim"].startswith("The Kyiv Post, citing Ukrainian intelligence sources, "
                                    "reports that over 20 soldiers were killed")
    assert fact["draft"] is True and "reword" in fact["notes"]


@bundled_only
def test_a_sentence_without_a_frame_continues_its_paragraphs_relay(article):
    fact = proposal_starting(article[0], "Among the dead")
    assert fact["attribution"] == ["ukrainian-intelligence-sources", "kyiv-post"]
    assert "continuing" in fact["notes"]
    turned = proposal_starting(article[0], "However, by June 27")
    assert turned["attribution"] == []  # "However" turns to the article's own voice


@bundled_only
def test_the_5000_tons_and_its_conversion(article):
    fact = proposal_starting(article[0], "From North Korea to Russia")
    assert fact["attribution"] == ["south-korean-intelligence"]
    assert fact["status"] == "claimed"
    first, second = fact["quantities"]
    assert (first["value"], first["unit"], first["qualifier"]) == (5000, "tons", "nearly")
    assert (second["value"], second["unit"], second["converted"]) == (11000000, "pounds", True)
    assert units.check_conversion(5000, "tons", 11000000, "pounds").holds


@bundled_only
def test_the_washington_posts_shells_and_explosives(article):
    shells = proposal_starting(article[0], "According to \"The Washington Post,\"")
    assert shells["attribution"] == ["the-washington-post"]
    assert shells["status"] == "reported"
    assert shells["date"] == "2023-08/2024-01"
    assert shells["quantities"][0] == {"value": 1600000, "qualifier": "about",
                                       "unit": "artillery shells", "label": "artillery shells"}
    explosives = proposal_starting(article[0], "Additionally")
    assert explosives["attribution"] == ["the-washington-post"]
    assert explosives["quantities"][:2] == [
        {"value": 81650, "unit": "short tons", "label": "explosives delivered"},
        {"value": 74000, "unit": "metric tons", "label": "explosives delivered",
         "converted": True}]


# Hand-written facts dated from another paragraph (the attack's day, the signing's day): a
# proposal takes no date its own sentence does not give.
DATED_FROM_ELSEWHERE = {"strike-killed-20", "agreement-mutual-assistance"}


@bundled_only
@pytest.mark.parametrize("start, fact_id", [
    ("According to the \"Kyiv Post,\" the attack", "strike-date-october-3"),
    ("Among the 20 soldiers", "strike-killed-20"),
    ("On June 19", "agreement-signed-june-19"),
    ("According to the agreement", "agreement-mutual-assistance"),
    ("Putin stated", "agreement-allows-military-technical-cooperation"),
    ("According to South Korean intelligence", "nk-arms-supplies-began-summer-2022"),
    ("In response", "russia-supplied-tanks-and-aircraft"),
    ("On June 20", "putin-no-plan-for-nk-soldiers"),
    ("According to the South Korean government", "moscow-promised-to-pay"),
    ("The Pentagon, commenting", "pentagon-cannon-fodder"),
    ("Pentagon spokesman", "ryder-questioning-choices"),
])
def test_proposals_agree_with_the_hand_written_facts(article, start, fact_id):
    fact = proposal_starting(article[0], start)
    written = next(f for f in bundled_content().facts if f.id == fact_id)
    assert tuple(fact["attribution"]) == written.attribution
    assert fact["status"] == written.status
    if fact_id in DATED_FROM_ELSEWHERE:
        assert "date" not in fact  # the sentence gives none: no date is proposed
    else:
        assert fact.get("date") == (written.date.edtf if written.date else None)
    if "date" in fact and "?" in fact["date"]:
        assert "inferred" in fact["date_note"]


@bundled_only
def test_about_is_what_the_quote_names_and_no_acronym_is_a_last_name(article):
    fact = proposal_starting(article[0], "Putin stated")
    assert "about" not in fact  # "UN sanctions" is in the end left out of the quote
    fact = proposal_starting(article[0], "On June 19")
    assert fact["about"] == ["vladimir-putin", "kim-jong-un"]


@bundled_only
def test_a_speaker_via_the_outlet_they_wrote_for(article):
    # The hand-written fact puts Nodong Sinmun in `about`; its chain reads it as the outlet.
    fact = proposal_starting(article[0], "In an article for the newspaper")
    assert fact["attribution"] == ["vladimir-putin", "nodong-sinmun"]
    assert fact["status"] == "stated"
    assert fact["date"] == "2024?-06-18"


@bundled_only
def test_headings_are_second_citations_where_they_share_words(article):
    cited = {c["quote"]: p["id"] for p in article[0].values() for c in p["citations"][1:]}
    assert set(cited) == {"North Korean officers killed in Ukrainian missile strike",
                          "Putin's agreement with Kim", "Pentagon: They will become cannon fodder"}
    pentagon = proposal_starting(article[0], "The Pentagon, commenting")
    assert pentagon["citations"][1] == {"source": "seed-article", "locator": "heading 4",
                                        "quote": "Pentagon: They will become cannon fodder"}


@bundled_only
def test_every_proposal_validates_and_quotes_its_document(article, tmp_path):
    proposals, drafter, text = article
    assert len(proposals) == 20
    content = tmp_path / "content"
    shutil.copytree(BUNDLED, content)
    (content / "facts" / "drafts.yaml").write_text(
        yaml.safe_dump(list(proposals.values()), sort_keys=False, allow_unicode=True))
    diagnostics = Diagnostics()
    checked = validate(load_content(content, diagnostics), diagnostics)
    assert [d.format() for d in diagnostics.errors] == []
    known = {e.id for e in checked.entities} | {e["id"] for e in drafter.new_entities()}
    for fact in checked.facts:
        if not fact.draft:
            continue
        assert set(fact.attribution) | set(fact.about) <= known
        for citation in fact.citations:
            assert find_all(citation.quote, text), citation.quote
        for before, quantity in zip(fact.quantities, fact.quantities[1:]):
            if quantity.converted:
                assert units.check_conversion(before.value, before.unit, quantity.value,
                                              quantity.unit).holds


@bundled_only
def test_ids_are_unique_and_new_to_the_briefing(article):
    ids = [p["id"] for p in article[0].values()]
    existing = {f.id for f in bundled_content().facts} | {e.id for e in bundled_content().entities}
    assert len(set(ids)) == len(ids) and not set(ids) & existing


# --- statuses ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, name, status", [
    ("publication", "Kyiv Post", "reported"),
    ("group", "Intelligence sources", "reported"),
    ("state", "Russia", "claimed"),
    ("organisation", "South Korean government", "claimed"),
    ("organisation", "Russian Ministry of Defense", "claimed"),
    ("organisation", "Pentagon", "stated"),
    ("organisation", "Red Cross", "stated"),
    ("person", "Pat Ryder", "stated"),
])
def test_status_from_the_original_claimant(kind, name, status):
    assert status_for((Mention(0, 1, name, kind, "x"),))[0] == status
    assert status_for(())[0] == "reported"  # the document's own voice


def test_status_is_the_original_claimants_not_the_outlets():
    person = Mention(0, 1, "Vladimir Putin", "person", "vladimir-putin")
    outlet = Mention(0, 1, "Nodong Sinmun", "publication", "nodong-sinmun")
    assert status_for((person, outlet))[0] == "stated"


# --- dates across sentences ----------------------------------------------------------------------

def test_a_year_from_the_nearest_earlier_dated_sentence_is_uncertain_and_noted():
    facts, _ = draft("In 2021, the port opened.\nThe harbour master said the port closed on "
                     "March 4.")
    assert facts[1]["date"] == "2021?-03-04"
    assert "2021 is inferred" in facts[1]["date_note"]
    assert "paragraph 1" in facts[1]["date_note"]


def test_a_year_from_the_publication_date():
    facts, _ = draft("The harbour master said the port closed on March 4.",
                     published="2023-02-01")
    assert facts[0]["date"] == "2023?-03-04"  # the year of publication, marked uncertain
    assert "publication" in facts[0]["date_note"]


def test_no_date_where_the_sentence_gives_none():
    facts, _ = draft("In 2021, the port opened.\nThe harbour master said six ships waited.")
    assert "date" not in facts[1] and "date_note" not in facts[1]


def test_no_year_anywhere_is_left_unspecified():
    facts, _ = draft("The harbour master said the port closed on March 4.")
    assert facts[0]["date"] == "XXXX-03-04"
    assert "unspecified" in facts[0]["date_note"]


# --- entities, skipping, robustness ------------------------------------------------------------

def test_new_entities_are_proposed_once_with_a_kind():
    facts, drafter = draft("Colonel Anna Berg said that ten drones were shot down.\n"
                           "Anna Berg said that the drones came from the north, reports Meduza.")
    new = drafter.new_entities()
    assert [(e["id"], e["name"], e["kind"], e["draft"]) for e in new] == [
        ("anna-berg", "Anna Berg", "person", True), ("meduza", "Meduza", "publication", True)]
    assert facts[0]["attribution"] == ["anna-berg"]
    assert facts[1]["attribution"] == ["anna-berg", "meduza"]
    assert "guess" in new[0]["description"]


def test_sentences_with_nothing_checkable_are_skipped():
    facts, _ = draft("It was a long day.\nThe harbour was quiet.")
    assert facts == []


@pytest.mark.parametrize("text", [
    "", " ", "\f", "(((", "$$$ 1,,,000 tons (", "According to , said , citing .",
    "On February 30, 99999999999999999999 tons (1e400 pounds) were sent.",
    "\u201c\u201d\u2019 ' \" According to \u201c", "by by by June June 31",
    "In an article for , , said.", "Maj. Gen. said. He said. They told.",
])
def test_hostile_sentences_give_a_proposal_or_none(text):
    facts, drafter = draft(text)
    for fact in facts:
        assert fact["citations"][0]["quote"]
    drafter.new_entities()


def test_a_continued_relay_drops_the_connective_it_replaces():
    facts, _ = draft("According to the Harbour Gazette, six ships waited. Additionally, two "
                     "tugs sank.")
    assert facts[1]["claim"] == "According to the Harbour Gazette, two tugs sank."
    assert facts[1]["attribution"] == facts[0]["attribution"]


def test_a_new_persons_last_name_names_them_later():
    facts, drafter = draft("Colonel Anna Berg said that ten drones were shot down.\nThe "
                           "drones came from the north, Berg said.")
    assert facts[1]["attribution"] == ["anna-berg"]
    assert len(drafter.new_entities()) == 1


def test_no_new_names_from_capitals_in_a_language_other_than_english():
    content = content_with("Die Reederei teilte mit, das Schiff sei am 3. März gesunken.")
    object.__setattr__(content.sources[0], "language", "de")
    drafter = Drafter(content, "doc")
    for sentence in sentences(content.documents["doc.txt"]):
        drafter.propose(sentence)
    assert drafter.new_entities() == []


def test_questions_greetings_and_bare_names_are_skipped():
    facts, _ = draft("The Harbour Gazette.\nMAYOR ANNA BERG: Good morning. How many ships "
                     "waited in Port Halvern? Six ships waited in Port Halvern.")
    assert [f["citations"][0]["quote"] for f in facts] == ["Six ships waited in Port Halvern."]
    assert facts[0]["attribution"] == ["anna-berg"]  # the speaker's paragraph goes on


def test_a_sentence_said_twice_where_the_locator_cannot_pick_one_is_not_proposed():
    facts, _ = draft("Moscow sent six tanks. Moscow sent six tanks.\nBerlin sent two tanks.")
    assert [f["citations"][0]["quote"] for f in facts] == ["Berlin sent two tanks."]


# --- the rest of a sentence whose attributed clause is quoted alone -----------------------------

def draft_all(text: str, entities=()) -> list[dict]:
    drafter = Drafter(content_with(text, entities), "doc")
    return [p for s in sentences(text) for p in drafter.propose_all(s)]


def test_the_rest_of_a_sentence_after_a_speakers_clause_is_its_own_proposal():
    text = "Colonel Anna Berg said that ten drones were shot down, although Meduza counted 12 drones."
    said, rest = draft_all(text)
    assert said["citations"][0]["quote"] == "Colonel Anna Berg said that ten drones were shot down"
    assert said["attribution"] == ["anna-berg"] and rest["id"] in said["notes"]
    assert rest["citations"][0] == {"source": "doc", "quote": "although Meduza counted 12 drones",
                                    "locator": "paragraph 1"}
    assert rest["claim"] == "Meduza counted 12 drones."
    assert (rest["status"], rest["attribution"]) == ("reported", [])
    assert rest["quantities"][0]["value"] == 12
    assert "own voice" in rest["notes"]


def test_a_rest_with_nothing_checkable_is_no_proposal():
    text = "Colonel Anna Berg said that ten drones were shot down, although nobody knows why."
    assert [p["citations"][0]["quote"] for p in draft_all(text)] == [
        "Colonel Anna Berg said that ten drones were shot down"]


@bundled_only
def test_un_sanctions_in_paragraph_4_are_proposed_in_the_articles_voice():
    content = bundled_content()
    drafter = Drafter(content, "seed-article")
    sentence = next(s for s in sentences(content.documents[ARTICLE])
                    if s.text.startswith("Putin stated"))
    putin, sanctions = drafter.propose_all(sentence)
    written = next(f for f in content.facts
                   if f.id == "un-sanctions-prohibit-military-technical-cooperation")
    assert putin["attribution"] == ["vladimir-putin"]
    assert sanctions["citations"][0]["quote"] == written.citations[0].quote
    assert sanctions["citations"][0]["locator"] == "paragraph 4"
    assert (sanctions["status"], tuple(sanctions["attribution"])) == \
        (written.status, written.attribution)
    assert sanctions["about"] == ["united-nations"]


# --- a transcript's speaker label alone is no claim ---------------------------------------------

def test_pleasantries_under_a_speaker_label_are_skipped():
    facts = draft_all("MS. JEAN-PIERRE: I have just one thing at the top, and then I’ll hand "
                      "it over.\n\nMAYOR ANNA BERG: I totally hear that, Tam, and I know it is a "
                      "tradition. We moved 3,000 soldiers to Port Halvern.\n\nMAYOR ANNA BERG: The "
                      "port officials said the port was closed.")
    assert [f["citations"][0]["quote"] for f in facts] == [
        "We moved 3,000 soldiers to Port Halvern.",
        "MAYOR ANNA BERG: The port officials said the port was closed."]
    assert all(f["attribution"][-1] == "anna-berg" for f in facts)
    assert not any(f["id"] == "tam" for f in facts)


def test_a_state_named_by_its_adjective_is_a_name_to_check():
    russia = Entity("russia", "Russia", "state")
    facts = draft_all("MAYOR ANNA BERG: We do not yet know whether the Russian military will "
                      "enter the war.\n\nThe weather was bad all week.", [russia])
    assert [f["about"] for f in facts] == [["russia"]]
    assert facts[0]["attribution"] == ["anna-berg"]


def test_a_speakers_turn_goes_on_through_its_paragraphs_until_the_next_label_or_question():
    facts = draft_all("MAYOR ANNA BERG: Thank you.\n\nWe counted six ships in Port Halvern.\n\n"
                      "But two tugs sank on 3 May 2024.\n\nQ How many ships?\n\nSix ships waited "
                      "in Port Halvern, reports the Harbour Gazette.\n\nTen ships left Port "
                      "Halvern.")
    assert [f["attribution"] for f in facts] == [
        ["anna-berg"], ["anna-berg"], ["harbour-gazette"], []]
    assert "the turn at paragraph 1 (Mayor Anna Berg)" in facts[0]["notes"]
    assert facts[1]["claim"].startswith("Mayor Anna Berg said")  # "But" does not end a turn
