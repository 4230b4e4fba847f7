"""Documents and quotes: paragraphs, pages and furniture of archived texts; quotes found across
line-end hyphens, page breaks and ellipses; locators checked against where a quote is."""

from __future__ import annotations

import re

from factsheet.documents import structure
from factsheet.errors import Diagnostics
from factsheet.loader import load_content
from factsheet.quotes import (find_all, fold_document, missing_hint, parse_locator, passage,
                              place)
from factsheet.resolve import resolve

FACTS = "facts/ships.yaml"

# A fictional investigation report: hard-wrapped at ~70 characters, a blank line between
# paragraphs, pages marked by `--- page N ---` and a form feed, a running head on every page after
# the first, a lone page number at the foot of page 3, and a sentence running over a page break.
REPORT = (
    "Contact of the Containership Example Star with the Harbour Bridge\n"
    "\n"
    "The containership Example Star, a Singapore-\n"
    "flagged vessel of 95,000 tons, left the fictional port of Eastmouth\n"
    "at 0044 and lost all electrical power shortly after.\n"
    "\n"
    "The pilots called for tugs at 0125. The vessel struck the\n"
    "--- page 2 ---\n"
    "Fictional Marine Board Report 24/01 — page 2\n"
    "southern pier of the bridge at 0129, and the central span fell\n"
    "into the river within seconds.\n"
    "\n"
    "Findings\n"
    "\n"
    "The board found a loose wire in a high-voltage switchboard. The\n"
    "loose wire was the probable cause of the first blackout.\n"
    "\n"
    "\fFictional Marine Board Report 24/01 — page 3\n"
    "The board also examined the flushing pump, which had been used as\n"
    "a fuel supply pump for two years. The loose wire was found by a con-\n"
    "tainer crane electrician.\n"
    "3\n"
    "\n"
    "--- Page 10 ---\n"
    "Fictional Marine Board Report 24/01 — page 10\n"
    "The board recommends that operators survey their switchboards.\n"
    "\n"
    "The loose wire was the probable cause of the first blackout.\n"
)
DUPLICATE = "The loose wire was the probable cause of the first blackout."


def shown(text: str, document) -> list[tuple]:
    return [(p.number, p.kind, p.page, p.display(text)) for p in document.paragraphs]


def test_a_hard_wrapped_paged_document_has_paragraphs_pages_and_furniture():
    document = structure(REPORT)
    assert shown(REPORT, document) == [
        (None, "heading", 1, "Contact of the Containership Example Star with the Harbour Bridge"),
        (1, "paragraph", 1, "The containership Example Star, a Singapore-flagged vessel of 95,000 "
                            "tons, left the fictional port of Eastmouth at 0044 and lost all "
                            "electrical power shortly after."),
        (2, "paragraph", 1, "The pilots called for tugs at 0125. The vessel struck the southern "
                            "pier of the bridge at 0129, and the central span fell into the river "
                            "within seconds."),
        (None, "heading", 2, "Findings"),
        (3, "paragraph", 2, "The board found a loose wire in a high-voltage switchboard. The "
                            "loose wire was the probable cause of the first blackout."),
        (4, "paragraph", 3, "The board also examined the flushing pump, which had been used as a "
                            "fuel supply pump for two years. The loose wire was found by a "
                            "con-tainer crane electrician."),
        (5, "paragraph", 10, "The board recommends that operators survey their switchboards."),
        (6, "paragraph", 10, DUPLICATE),
    ]
    assert [p.heading for p in document.paragraphs if p.kind == "heading"] == [1, 2]
    assert [(p.number, REPORT[p.start:p.start + 11]) for p in document.pages] == [
        (1, "Contact of "), (2, "\nFictional "), (3, "Fictional M"), (10, "\nFictional ")]
    assert [REPORT[slice(*p.marker)] for p in document.pages[1:]] == [
        "--- page 2 ---", "\f", "--- Page 10 ---"]
    assert document.paged
    assert [REPORT[a:b] for a, b in document.furniture] == [
        "Fictional Marine Board Report 24/01 — page 2",
        "Fictional Marine Board Report 24/01 — page 3", "3",
        "Fictional Marine Board Report 24/01 — page 10"]
    # The paragraph running over the page break leaves the marker and running head out of its
    # lines, though they lie between its start and end.
    running = document.paragraphs[2]
    assert [REPORT[a:b] for a, b in running.lines] == [
        "The pilots called for tugs at 0125. The vessel struck the",
        "southern pier of the bridge at 0129, and the central span fell",
        "into the river within seconds."]
    assert document.text_ranges(running.start, running.end) == [
        (running.lines[0][0], document.pages[1].marker[0]),
        (document.pages[1].start, document.furniture[0][0]),
        (document.furniture[0][1], running.end)]


def test_a_running_head_needs_three_pages_and_a_third_of_them():
    body = ["The first page's text.", "The second page's.", "The third.", "The fourth."]
    pages = [f"Running head {n}\n{body[n - 1]}" for n in range(1, 3)]
    document = structure("\f".join(pages))
    assert document.furniture == ()  # on only 2 pages: text
    pages = [f"Running head {n}\n{body[n - 1]}" for n in range(1, 4)]
    text = "\f".join(pages)
    document = structure(text)
    assert [text[a:b] for a, b in document.furniture] == [
        "Running head 1", "Running head 2", "Running head 3"]
    assert [p.number for p in document.pages] == [1, 2, 3]


def test_blank_lines_around_furniture_do_not_end_a_paragraph_running_over_a_page():
    head = "Example Board — Interim Report"
    text = (f"The first page ends with a sentence.\n\n1\n\f{head}\n\n2. Heading\n\n"
            f"A sentence that runs\n\n2\n\f{head}\n\non over the page.\n\n3\n\f{head}\n\n"
            "Last words.\n\n4\n\f")
    document = structure(text)
    assert [(p.number, p.page, p.display(text)) for p in document.paragraphs] == [
        (1, 1, "The first page ends with a sentence."), (None, 2, "2. Heading"),
        (2, 2, "A sentence that runs on over the page."), (3, 4, "Last words.")]
    assert [text[a:b] for a, b in document.furniture] == ["1", head, "2", head, "3", head, "4"]


def test_form_feeds_and_markers_number_pages():
    text = "--- page 52 ---\nOne.\f\n--- PAGE  53 ---\nTwo.\fThree.\f"
    document = structure(text)
    assert [(p.number, p.page, p.display(text)) for p in document.paragraphs] == [
        (1, 52, "One."), (2, 53, "Two."), (3, 54, "Three.")]
    assert [p.number for p in document.pages] == [52, 53, 54]  # no empty page after the last \f
    assert not structure("One line.\nAnother line.").paged


def test_one_paragraph_per_line_unless_blank_lines_separate_wrapped_lines():
    long = "A sentence long enough that nobody would hard-wrap a line of it here, " * 2
    text = f"Title\n{long}one.\n{long}two.\n\nThree: short lines,\nwrapped by hand,\nend here.\n"
    document = structure(text)
    # A blank line: the document is wrapped; but a block of long lines was not wrapped.
    assert [(p.number, p.display(text)[-30:]) for p in document.paragraphs] == [
        (None, "Title"), (1, "hard-wrap a line of it here, one."[-30:]),
        (2, "hard-wrap a line of it here, two."[-30:]),
        (3, "Three: short lines, wrapped by hand, end here."[-30:])]


def test_a_line_end_hyphen_folds():
    folded = fold_document(REPORT)
    for typed in ("a Singapore-flagged vessel", "a Singapore- flagged vessel",
                  "a Singapore-\nflagged vessel"):
        found = find_all(typed, REPORT, folded=folded)
        assert [(o.paragraph, passage(o, folded)) for o in found] == [
            (1, "a Singapore-flagged vessel")]
    assert find_all("a Singaporeflagged vessel", REPORT, folded=folded) == []
    assert missing_hint("a Singaporeflagged vessel", folded) == (
        'document has "a Singapore-flagged vessel"; quote has "a Singaporeflagged vessel" '
        '(closest passage in the document: "a Singapore-flagged vessel")')
    # A hyphen is never dropped: "con-\ntainer" is found as written, not as "container".
    assert len(find_all("found by a con-tainer crane", REPORT, folded=folded)) == 1
    assert find_all("found by a container crane", REPORT, folded=folded) == []


def test_a_quote_runs_across_a_page_break_and_its_running_head():
    folded = fold_document(REPORT)
    found = find_all("The vessel struck the southern pier of the bridge", REPORT, folded=folded)
    assert len(found) == 1
    occurrence = found[0]
    assert (occurrence.paragraph, occurrence.page, occurrence.pages) == (2, 1, (1, 2))
    assert passage(occurrence, folded) == "The vessel struck the southern pier of the bridge"
    assert REPORT[slice(*occurrence.spans[0])].startswith("The vessel struck the\n--- page 2 ---")
    # The running head is not text: a quote cannot take words from it.
    assert find_all("Report 24/01 — page 2 southern pier", REPORT, folded=folded) == []
    # A page locator naming either page the quote touches fits.
    for locator in ("page 1", "p. 2", "pp. 1–2"):
        assert place(found, locator, folded.structure).message == ""


def test_an_elided_quote_finds_each_part_in_one_paragraph_or_the_next():
    folded = fold_document(REPORT)
    same = find_all("The pilots called for tugs … the central span fell", REPORT, folded=folded)
    assert len(same) == 1 and len(same[0].spans) == 2
    assert [REPORT[a:b] for a, b in same[0].spans] == ["The pilots called for tugs",
                                                       "the central span fell"]
    assert passage(same[0], folded) == "The pilots called for tugs … the central span fell"
    following = find_all("The board found a loose wire...The board also examined the flushing "
                         "pump", REPORT, folded=folded)
    assert [(o.paragraph, o.paragraphs, o.pages) for o in following] == [(3, (3, 4), (2, 3))]
    assert [REPORT[a:b] for a, b in following[0].spans] == [
        "The board found a loose wire", "The board also examined the flushing pump"]
    # Out of order, or a part two paragraphs or more after the one before it: not found.
    assert find_all("the central span fell … The pilots called", REPORT, folded=folded) == []
    far = "The containership Example Star … The board recommends"
    assert find_all(far, REPORT, folded=folded) == []
    assert missing_hint(far, folded) == (
        "every part of the elided quote occurs, but not in order each in the same paragraph as "
        "the part before it or the next; cite the passages separately")
    assert missing_hint("The pilots called for tugs … the central span rose", folded) == (
        'part 2 of the elided quote ("the central span rose") does not occur: document has '
        '"span fell"; quote has "span rose" (closest passage in the document: "the central '
        'span fell")')


def test_locators_are_read_wherever_they_sit_in_the_text():
    assert str(parse_locator("page 53, paragraph 2")) == "page 53, paragraph 2"
    assert str(parse_locator("pp. 52–53")) == "pages 52–53"
    assert str(parse_locator("para. 4")) == "paragraph 4"
    assert str(parse_locator("¶ 4")) == "paragraph 4"
    assert str(parse_locator("PDF page 80")) == "PDF page 80"
    for unchecked in ("headline", "subheading 3", "timestamp 01:12", ""):
        assert not parse_locator(unchecked)


def test_a_locator_picks_among_a_duplicated_passage():
    folded = fold_document(REPORT)
    found = find_all(DUPLICATE, REPORT, folded=folded)
    assert [o.where(True) for o in found] == ["paragraph 3 (page 2)", "paragraph 6 (page 10)"]
    for locator in ("page 10", "paragraph 6", "PDF page 4", "page 10, paragraph 2"):
        placed = place(found, locator, folded.structure)
        assert (placed.occurrence, placed.message) == (found[1], ""), locator
    placed = place(found, "", folded.structure)
    assert (placed.occurrence, placed.message, placed.hint) == (
        found[0], "the quote occurs 2 times: paragraph 3 (page 2), paragraph 6 (page 10)",
        "add a locator that picks one: 'page 2' or 'page 10'")
    placed = place(found, "paragraph 4", folded.structure)
    assert (placed.message, placed.hint) == (
        "locator says paragraph 4, but the quote occurs 2 times: paragraph 3 (page 2), "
        "paragraph 6 (page 10)", "change the locator to 'paragraph 3' or 'paragraph 6'")


# --- through the build, on a copy of the minimal fixture -------------------------------------

HARBOUR_PAGED = (
    "Harbour report\n"
    "The harbour authority said about 40 ships docked in “late spring”, according to port "
    "officials.\n"
    "Officials’ figures were disputed: the union counted 35 ships.\n"
    "--- page 2 ---\n"
    "Appendix\n"
    "At the second count the union counted 35 ships again.\n"
)


def messages(err: str) -> list[str]:
    return [line for line in err.splitlines() if re.match(r"\d+\. |    hint: ", line)]


def resolved(briefing):
    diagnostics = Diagnostics()
    from factsheet.validate import validate
    return resolve(validate(load_content(briefing.content, diagnostics), diagnostics),
                   diagnostics)


def test_a_locator_that_disagrees_is_a_warning_naming_where_the_quote_is(briefing, capsys):
    briefing.edit(FACTS, "locator: paragraph 1", "locator: paragraph 2")
    code, out, err = briefing.run("check", capsys=capsys)
    assert code == 0
    assert messages(err) == [
        "1. content/facts/ships.yaml:11:16: warning [locator]: quote of fact 'ships-docked': "
        "locator says paragraph 2, but the quote is in paragraph 1",
        "    hint: change the locator to 'paragraph 1'"]
    assert out.startswith("Checked: no errors, 1 warning,")


def test_a_duplicated_passage_is_picked_by_its_locator(briefing, capsys):
    briefing.write("documents/harbour-report.txt", HARBOUR_PAGED)
    briefing.edit(FACTS, "      quote: the union counted 35 ships\n",
                  "      quote: the union counted 35 ships\n      locator: page 2\n")
    code, _, err = briefing.run("check", capsys=capsys)
    assert (code, messages(err)) == (0, [])
    site = resolved(briefing)
    text = HARBOUR_PAGED
    (span,) = [s for s in site.quote_spans["harbour-report"] if s.fact_id == "union-count"]
    assert span.start == text.index("the union counted 35 ships again")
    assert site.passages["quote-union-count-1"] == "the union counted 35 ships"
    document = site.structures["harbour-report"]
    assert [(p.number, p.page) for p in document.paragraphs] == [
        (None, 1), (1, 1), (2, 1), (None, 2), (3, 2)]


def test_an_ambiguous_duplicated_passage_is_a_warning_listing_the_places(briefing, capsys):
    briefing.write("documents/harbour-report.txt", HARBOUR_PAGED)
    code, out, err = briefing.run("check", capsys=capsys)
    assert code == 0 and out.startswith("Checked: no errors, 1 warning,")
    assert messages(err) == [
        "1. content/facts/ships.yaml:21:14: warning [quote]: quote of fact 'union-count': the "
        "quote occurs 2 times: paragraph 2 (page 1), paragraph 3 (page 2)",
        "    hint: add a locator that picks one: 'page 1' or 'page 2'"]
    code, _, err = briefing.run("check", "--strict", capsys=capsys)
    assert code == 1


def test_an_elided_quote_is_one_span_per_part_anchored_once(briefing, capsys):
    briefing.edit(FACTS, "quote: Officials' figures were disputed",
                  "quote: Officials' figures … the union counted")
    code, _, err = briefing.run("check", capsys=capsys)
    assert (code, messages(err)) == (0, [])
    site = resolved(briefing)
    spans = [s for s in site.quote_spans["harbour-report"] if s.fact_id == "figures-disputed"]
    text = (briefing.content / "documents/harbour-report.txt").read_text(encoding="utf-8")
    assert [(text[s.start:s.end], s.part, s.anchor) for s in spans] == [
        ("Officials’ figures", 1, "quote-figures-disputed-1"),
        ("the union counted", 2, "quote-figures-disputed-1-2")]
    assert site.passages["quote-figures-disputed-1"] == "Officials’ figures … the union counted"


def test_elided_parts_too_far_apart_are_not_found(briefing, capsys):
    briefing.edit(FACTS, "quote: Officials' figures were disputed",
                  "quote: Harbour report … the union counted")
    code, _, err = briefing.run("check", capsys=capsys)
    assert code == 1
    assert messages(err) == [
        "1. content/facts/ships.yaml:32:14: error [quote]: quote of fact 'figures-disputed' does "
        "not occur in 'harbour-report.txt', the archived text of source 'harbour-report'",
        "    hint: every part of the elided quote occurs, but not in order each in the same "
        "paragraph as the part before it or the next; cite the passages separately"]


def _fold_word_by_word(text: str, skip: tuple = ()) -> tuple[str, list[int]]:
    """quotes.fold as it was written first, a word at a time: the meaning fold keeps."""
    from factsheet.documents import hyphen_joins
    from factsheet.quotes import _FOLD
    text = text.translate(_FOLD)
    for start, end in skip:
        text = text[:start] + " " * (end - start) + text[end:]
    out, index, previous = [], [], ""
    for match in re.finditer(r"\S+", text):
        word, start = match.group(), match.start()
        if previous and not (len(previous) >= 2
                             and hyphen_joins(previous[-2], previous[-1], word[0])):
            out.append(" ")
            run = start - 1
            while run > 0 and text[run - 1].isspace():
                run -= 1
            index.append(run)
        out.append(word)
        index.extend(range(start, match.end()))
        previous = word
    return "".join(out), index


def test_folding_keeps_the_meaning_of_folding_word_by_word():
    """fold finds the few runs of white space that shift the text (with regular expressions);
    the folded text and each character's original offset are those of the plain algorithm, for
    every mix of letters, digits, dashes, quotes and white space of any kind."""
    import random
    from factsheet.quotes import fold
    pieces = ["a", "Zé", "1", "²", "½", "_", ".", "-", "\u2010", "\u2013", "\u2014", " ", "  ",
              "\n", "\t", "\u00a0", "\u2028", "\x85", "\u3000", "\u2019", "\u201c"]
    rng = random.Random(8)
    texts = [REPORT, *("".join(rng.choice(pieces) for _ in range(rng.randrange(14)))
                       for _ in range(20000))]
    for text in texts:
        skip = ()
        if text and rng.random() < 0.3:
            start = rng.randrange(len(text))
            skip = ((start, rng.randrange(start, len(text) + 1)),)
        folded, offsets = fold(text, skip)
        expected, index = _fold_word_by_word(text, skip)
        assert (folded, [offsets[at] for at in range(len(folded))]) == (expected, index), text
        assert len(offsets) == len(folded)
