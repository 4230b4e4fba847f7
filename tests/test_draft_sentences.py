"""Sentences for `factsheet draft`: each case of sentence cutting on its own, then the contract
that matters to a proposal — every sentence is a verbatim quote of its document, and its locator
names where the quote check finds it."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundled import bundled_only

from factsheet.documents import structure
from factsheet.drafting.sentences import Sentence, sentences
from factsheet.quotes import find_all, fold_document, parse_locator, place

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "content/documents/000_4f4d7faab0ac3298.txt"
KIRBY = ROOT / "tests/sites/briefing-transcript/content/documents/wh-press-briefing-2024-10-23.txt"


def texts(text: str) -> list[str]:
    return [s.text for s in sentences(text)]


def body(text: str) -> list[str]:
    """The sentences of a text with a heading before it, so a one-line case is a paragraph."""
    return texts("A heading\n\n" + text)[1:]


@pytest.mark.parametrize("case, expected", [
    ("Maj. Gen. Pat Ryder spoke to reporters. They listened.",
     ["Maj. Gen. Pat Ryder spoke to reporters.", "They listened."]),
    ("Gen. Smith agreed. Mr. Jones and Dr. Lee did not.",
     ["Gen. Smith agreed.", "Mr. Jones and Dr. Lee did not."]),
    ("The U.S. sent more aid. Russia objected.",
     ["The U.S. sent more aid.", "Russia objected."]),
    ("No. 5 Squadron flew again. It returned.",
     ["No. 5 Squadron flew again.", "It returned."]),
    ("The talks began on Jan. 3 in Geneva. They ended in March.",
     ["The talks began on Jan. 3 in Geneva.", "They ended in March."]),
], ids=["military-titles", "titles", "U.S.", "No. 5", "Jan."])
def test_titles_and_abbreviations_do_not_end_a_sentence(case, expected):
    assert body(case) == expected


@pytest.mark.parametrize("case, expected", [
    ("John F. Kennedy was president. He was shot in 1963.",
     ["John F. Kennedy was president.", "He was shot in 1963."]),
    ("J. R. R. Tolkien wrote it. The book sold well.",
     ["J. R. R. Tolkien wrote it.", "The book sold well."]),
], ids=["middle-initial", "initials"])
def test_initials_do_not_end_a_sentence(case, expected):
    assert body(case) == expected


def test_decimal_numbers_do_not_end_a_sentence():
    assert body("Repairs cost 1.25 million euros. Prices rose 3.5 percent.") == \
        ["Repairs cost 1.25 million euros.", "Prices rose 3.5 percent."]


def test_a_quote_inside_a_quote_stays_in_its_sentence():
    assert body("He said, “I told him ‘never again.’ He agreed.” Then he left.") == \
        ["He said, “I told him ‘never again.’ He agreed.”", "Then he left."]


@pytest.mark.parametrize("case, expected", [
    ("Ryder noted, “We would question sending forces to be cannon fodder.” The Pentagon "
     "declined to say more.",
     ["Ryder noted, “We would question sending forces to be cannon fodder.”",
      "The Pentagon declined to say more."]),
    ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
], ids=["curly", "straight"])
def test_a_sentence_ending_inside_its_closing_quote_splits_after_the_quote(case, expected):
    assert body(case) == expected


def test_ellipses():
    assert body("We waited… and waited. Then it came... It was over.") == \
        ["We waited… and waited.", "Then it came...", "It was over."]


def test_hard_wrapped_lines_are_joined_and_hyphens_kept():
    text = ("HARBOUR PRESS BRIEFING\n\n"
            "HARBOUR MASTER: Good morning. The storm closed the channel for two\n"
            "days, and the Singapore-\n"
            "flagged tanker Ostra waited outside the breakwater.\n")
    found = sentences(text)
    assert [s.text for s in found] == [
        "HARBOUR PRESS BRIEFING", "HARBOUR MASTER: Good morning.",
        "The storm closed the channel for two days, and the Singapore-flagged tanker Ostra "
        "waited outside the breakwater."]
    last = found[-1]
    assert text[last.start:last.end].startswith("The storm") and text[last.end - 1] == "."
    assert [(s.paragraph, s.heading) for s in found] == [(None, 1), (1, None), (1, None)]


def test_running_heads_and_page_numbers_are_left_out():
    text = ("Dock Safety Review 2024\n"
            "The review began in May. It counted 40 berths.\n\n"
            "Inspectors found cracks in the north\n"
            "1\n"
            "\fDock Safety Review 2024\n"
            "quay wall. The quay was closed.\n\n"
            "A second survey followed.\n"
            "2\n"
            "\fDock Safety Review 2024\n"
            "The survey confirmed the cracks.\n"
            "3\n"
            "\fDock Safety Review 2024\n"
            "Repairs were ordered.\n"
            "4\n")
    found = sentences(text)
    assert "Dock Safety Review 2024" not in " ".join(s.text for s in found)
    crossing = next(s for s in found if s.text.startswith("Inspectors"))
    assert crossing.text == "Inspectors found cracks in the north quay wall."
    assert (crossing.paragraph, crossing.page, crossing.locator) == (2, 1, "paragraph 2, page 1")
    assert next(s for s in found if s.text == "The quay was closed.").page == 2
    assert_quotable(text, found)


def test_a_heading_is_one_sentence_with_a_heading_locator():
    found = sentences("Putin's agreement with Kim\n\nThe two leaders met. They signed.\n")
    assert found[0] == Sentence("Putin's agreement with Kim", 0, 26, None, 1, None)
    assert found[0].locator == "heading 1" and found[0].is_heading
    assert [s.locator for s in found[1:]] == ["paragraph 1", "paragraph 1"]


def test_locators_parse_as_the_quote_check_reads_them():
    assert parse_locator(Sentence("x", 0, 1, 5, None, 2).locator).paragraphs == (5, 5)
    assert parse_locator(Sentence("x", 0, 1, 5, None, 2).locator).pages == (2, 2)
    assert not parse_locator(Sentence("x", 0, 1, None, 2, None).locator)


def test_empty_and_blank_documents_have_no_sentences():
    assert sentences("") == [] and sentences("\n\n  \f \n") == []


def assert_quotable(text: str, found: list[Sentence]) -> None:
    """Every sentence occurs in the document, verbatim under the quote check's folding, at its
    own offsets, and its locator picks that occurrence without a message."""
    document = structure(text)
    folded = fold_document(text, document)
    for sentence in found:
        occurrences = find_all(sentence.text, text, folded=folded)
        assert occurrences, sentence
        placement = place(occurrences, sentence.locator, document)
        assert any(o.start == sentence.start and o.end == sentence.end for o in occurrences), \
            sentence
        assert placement.message == "" or "occurs" in placement.message, (sentence, placement)


@pytest.mark.parametrize("path", [pytest.param(BUNDLED, marks=bundled_only), KIRBY],
                         ids=["bundled-article", "transcript"])
def test_every_sentence_of_a_real_document_is_a_verbatim_quote_at_its_locator(path):
    text = path.read_text(encoding="utf-8")
    found = sentences(text)
    assert len(found) > 20
    assert_quotable(text, found)
    # Nothing is lost: the sentences hold every word of every paragraph and heading.
    document = structure(text)
    words = sum(len(p.display(text).split()) for p in document.paragraphs)
    assert sum(len(s.text.split()) for s in found) == words
    assert [s.start for s in found] == sorted(s.start for s in found)


@bundled_only
def test_the_bundled_article_is_cut_where_a_reader_would():
    found = sentences(BUNDLED.read_text(encoding="utf-8"))
    assert found[1].text.startswith("Over 20 soldiers") and found[1].text.endswith(
        'citing Ukrainian intelligence sources.')
    ryder = found[-1]
    assert ryder.text.startswith("Pentagon spokesman Major General Pat Ryder noted, “If I were")
    assert ryder.text.endswith("illegal war against Ukraine.”") and ryder.locator == "paragraph 10"
