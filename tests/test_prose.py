"""Prose parsed once: `parse_prose` (HTML, notes, citations, problems) and what a build makes of it.

Every case asserts the whole result: the exact HTML where it matters, every citation with its
line and column in the file, and every problem (so also how many).
"""

from __future__ import annotations

import re

import pytest

from factsheet.errors import Location
from factsheet.prose import Prose, parse_prose

START = Location("content/pages/p.md", 5, 1)  # the body starts on line 5 of its file
MALFORMED_HINT = "write [@fact-id] or [@first-id; @second-id], ids in lower case"


def parse(text: str):
    return parse_prose(text, START)


def cites(prose) -> list[tuple]:
    return [(c.fact_id, c.location.line, c.location.column) for c in prose.citations]


def notes(prose) -> list[tuple]:
    return [(n.number, n.fact_id, [(u.anchor, u.prefix, u.locator) for u in n.uses])
            for n in prose.notes]


def problems(prose) -> list[tuple]:
    return [(p.kind, p.location.line, p.location.column, p.message) for p in prose.problems]


def sup(number: int, use: int) -> str:
    return (f'<sup class="cite" id="cite-{number}-{use}"><a data-note="{number}" '
            f'href="#note-{number}">[{number}]</a></sup>')


# --- citations rendered ------------------------------------------------------------------

def test_a_citation_becomes_a_numbered_note_link():
    prose = parse("One [@a].")
    assert prose.html == f'<p>One <span class="cites">{sup(1, 1)}</span>.</p>'
    assert notes(prose) == [(1, "a", [("cite-1-1", "", "")])]
    assert cites(prose) == [("a", 5, 5)]
    assert problems(prose) == []


def test_a_group_cites_each_id_at_the_group():
    prose = parse("Both [@a; @b].")
    assert prose.html == f'<p>Both <span class="cites">{sup(1, 1)}{sup(2, 1)}</span>.</p>'
    assert notes(prose) == [(1, "a", [("cite-1-1", "", "")]), (2, "b", [("cite-2-1", "", "")])]
    assert cites(prose) == [("a", 5, 6), ("b", 5, 6)]
    assert problems(prose) == []


def test_prefixes_and_locators_go_to_the_note():
    prose = parse("See [see @a, para. 3] and [@b, p. 2; also @c] and [-@d].")
    assert notes(prose) == [(1, "a", [("cite-1-1", "see", "para. 3")]),
                            (2, "b", [("cite-2-1", "", "p. 2")]),
                            (3, "c", [("cite-3-1", "also", "")]),
                            (4, "d", [("cite-4-1", "", "")])]
    assert cites(prose) == [("a", 5, 5), ("b", 5, 27), ("c", 5, 27), ("d", 5, 51)]
    assert "see" not in prose.html.replace("<p>See", "")  # prefixes are not in the text
    assert problems(prose) == []


def test_notes_are_numbered_by_first_use_and_list_every_use():
    prose = parse("[@b] then [@a; @b]\n\nand [see @b, p. 4].")
    assert notes(prose) == [
        (1, "b", [("cite-1-1", "", ""), ("cite-1-2", "", ""), ("cite-1-3", "see", "p. 4")]),
        (2, "a", [("cite-2-1", "", "")])]
    assert cites(prose) == [("b", 5, 1), ("a", 5, 11), ("b", 5, 11), ("b", 7, 5)]
    assert prose.html.count('class="cite"') == 4


def test_a_group_may_be_wrapped_over_lines_even_in_a_quote_or_list():
    prose = parse("Text [see\n@a, p.\n  2] end.\n\n> quoted [@b;\n> @c]\n\n- item [@d;\n  @e]")
    assert notes(prose) == [(1, "a", [("cite-1-1", "see", "p. 2")]),
                            (2, "b", [("cite-2-1", "", "")]), (3, "c", [("cite-3-1", "", "")]),
                            (4, "d", [("cite-4-1", "", "")]), (5, "e", [("cite-5-1", "", "")])]
    assert cites(prose) == [("a", 5, 6), ("b", 9, 10), ("c", 9, 10), ("d", 12, 8), ("e", 12, 8)]
    assert "@" not in prose.html
    assert problems(prose) == []


def test_columns_count_a_tab_as_one_character():
    assert cites(parse("x\t[@a]\n\ty [@b]")) == [("a", 5, 3), ("b", 6, 4)]


def test_citations_in_emphasis_headings_and_tables_are_rendered():
    prose = parse("## Head [@a]\n\n*so [@b]*\n\n| x |\n|---|\n| [@c] |")
    assert [n.fact_id for n in prose.notes] == ["a", "b", "c"]
    assert problems(prose) == []


def test_escaped_brackets_and_backticks():
    prose = parse(r"Not \[@a] but \`[@b]\`.")
    assert cites(prose) == [("b", 5, 17)]
    assert "[@a]" in prose.html and prose.html.count("`") == 2
    assert problems(prose) == []


# --- code is never a citation ------------------------------------------------------------

@pytest.mark.parametrize("text, shown", [
    ("Write `[@a]` or `[see @a, p. 2]` or `@a`.", "<code>[@a]</code>"),
    ("Example:\n\n    [@a] and @a\n", "<pre><code>[@a] and @a\n</code></pre>"),
    ("```\n[@a]\n```", "<pre><code>[@a]\n</code></pre>"),
    ("~~~\n[@a; @b]\n~~~", "<pre><code>[@a; @b]\n</code></pre>"),
    ("````\n```\n[@a]\n```\n````", "<pre><code>```\n[@a]\n```\n</code></pre>"),
    ("```\nx = [a,\n     @decorator]\n```", "<pre><code>x = [a,\n     @decorator]\n</code></pre>"),
])
def test_citations_in_code_are_shown_as_written_and_not_counted(text, shown):
    prose = parse(text)
    assert shown in prose.html
    assert (notes(prose), cites(prose), problems(prose)) == ([], [], [])


def test_a_stray_backtick_does_not_hide_later_citations():
    prose = parse("A stray ` backtick.\n\nThen [@a] and `code`.")
    assert cites(prose) == [("a", 7, 6)]
    assert problems(prose) == []


# --- raw HTML, attributes, comments, links ----------------------------------------------

def test_a_citation_in_an_html_comment_is_neither_counted_nor_reported():
    prose = parse("<!-- TODO [@later] -->\n\nText [@a] <!-- and [@b] -->.")
    assert cites(prose) == [("a", 7, 6)]
    assert "later" not in prose.html and "<!--" not in prose.html
    assert problems(prose) == []


def test_a_citation_in_a_raw_html_block_is_reported_not_rendered():
    prose = parse("<div>\nAs said [@a].\n</div>")
    assert cites(prose) == []
    assert "As said [@a]." in prose.html
    assert problems(prose) == [
        ("not rendered", 6, 9, "citation '[@a]' would be published as plain text")]


def test_citations_in_attributes_link_text_and_image_text_are_reported():
    prose = parse('<span title="[@a]">x</span> [see [@b]](https://e.org) ![pic [@c]](x.png)')
    assert cites(prose) == []
    assert 'title="[@a]"' in prose.html and ">see [@b]</a>" in prose.html
    assert 'alt="pic [@c]"' in prose.html
    assert problems(prose) == [
        ("not rendered", 5, 14, "citation '[@a]' would be published as plain text"),
        ("not rendered", 5, 34, "citation '[@b]' would be published as plain text"),
        ("not rendered", 5, 61, "citation '[@c]' would be published as plain text")]


def test_a_footnote_definition_holding_only_a_citation_is_reported_as_dropped():
    prose = parse("Text.\n\n[^1]: [@a]\n")
    assert cites(prose) == [] and "[@a]" not in prose.html
    assert problems(prose) == [("dropped", 7, 7, "citation '[@a]' is dropped from the page")]
    assert "footnotes are not supported" in prose.problems[0].hint


def test_a_footnote_definition_with_text_shows_its_citation():
    prose = parse("[^1]: As the report says [@a].")
    assert cites(prose) == [("a", 5, 26)]
    assert prose.html.startswith("<p>[^1]: As the report says <span")
    assert problems(prose) == []


# --- bare mentions, e-mail addresses, malformed groups ----------------------------------

def test_bare_mentions_are_recorded_with_their_id():
    prose = parse("As @a said (and @b-c).\n@d")
    assert [(p.kind, p.location.line, p.location.column, p.message, p.hint, p.fact_id)
            for p in prose.problems] == [
        ("bare", 5, 4, "bare '@a' is not a citation", "did you mean [@a]?", "a"),
        ("bare", 5, 17, "bare '@b-c' is not a citation", "did you mean [@b-c]?", "b-c"),
        ("bare", 6, 1, "bare '@d' is not a citation", "did you mean [@d]?", "d")]
    assert prose.html == "<p>As @a said (and @b-c).\n@d</p>"
    assert prose.problems[0].severity == "warning"


@pytest.mark.parametrize("text", [
    "Write to press@a.org or [press@a.org](mailto:press@a.org).",
    "See https://example.org/@a and <https://example.org/@a>.",
    "Handles: @A, @a_b, @a.org, \\@a, [follow @a](https://example.org).",
])
def test_e_mail_addresses_urls_and_handles_are_not_mentions(text):
    prose = parse(text)
    assert (cites(prose), problems(prose)) == ([], [])


@pytest.mark.parametrize("group", ["[@Foo]", "[@a, @b]", "[@]", "[@a;]", "[see @a and @b]"])
def test_malformed_groups_are_reported_once(group):
    prose = parse(f"Text {group}.")
    assert cites(prose) == []
    assert problems(prose) == [("malformed", 5, 6, f"malformed citation '{group}'")]
    assert prose.problems[0].hint == MALFORMED_HINT
    assert f"Text {group}." in prose.html


def test_a_citation_start_that_never_closes_is_malformed():
    prose = parse("See [@a, cf. <b>x</b>] and [@b\x1b[31m] and\n[@c\n\nand `[@d` [@e](https://e.org)")
    assert cites(prose) == []
    assert [(p.kind, p.location.line, p.location.column, p.message) for p in prose.problems] == [
        ("malformed", 5, 5, "malformed citation '[@a, cf.'"),
        ("malformed", 5, 28, "malformed citation '[@b\x1b'"),
        ("malformed", 6, 1, "malformed citation '[@c'")]
    assert "<b>x</b>" in prose.html and '<a href="https://e.org">@e</a>' in prose.html


def test_brackets_that_are_not_citations_are_left_alone():
    prose = parse("A [link](https://e.org), [x] and [mail me@e.org] and [^1].")
    assert (cites(prose), problems(prose)) == ([], [])


# --- robustness --------------------------------------------------------------------------

def test_placeholder_characters_in_the_text_cannot_forge_a_citation():
    prose = parse("\ue0000\ue001 and \ue0020\ue001 [@a]")
    assert cites(prose) == [("a", 5, 13)]
    assert "\ufffd0\ufffd and \ufffd0\ufffd" in prose.html
    assert prose.html.count('class="cites"') == 1


def test_prose_html_is_sanitised():
    prose = parse('<script>alert(1)</script>\n\nText [@a] <img src="x" onerror="alert(1)">')
    assert "<script" not in prose.html and "onerror" not in prose.html
    assert cites(prose) == [("a", 7, 6)]


def test_an_empty_text_is_empty_prose():
    assert parse("") == parse("\n\n  \n") == Prose("")


def test_markdown_nesting_too_deep_is_a_located_problem_not_a_traceback():
    prose = parse("".join("    " * i + "- x [@a]\n" for i in range(400)))
    assert [(p.kind, p.location, p.message) for p in prose.problems] == [
        ("unparsable", START, "Markdown cannot render this text: it nests too deeply")]
    assert {c.fact_id for c in prose.citations} == {"a"}  # its facts are not "uncited"


def test_each_text_is_converted_afresh_though_the_converter_is_kept():
    # one Markdown converter is reset for each text (prose._taken_converter): nothing of one text
    # (its notes, its stashed HTML, a conversion that failed half-way) reaches the next
    text = "Intro [@b] and [@a].\n\n<div>raw</div>\n\n```\n[@c]\n```"
    first = parse(text)
    assert [note.fact_id for note in first.notes] == ["b", "a"]
    parse("Other [@a] [@z] <span>x</span>\n\n[ref]: https://example.org")
    assert parse(text) == first
    parse("".join("    " * i + "- x [@a]\n" for i in range(400)))  # fails mid-way
    assert parse(text) == first
    assert parse_prose(text, Location("pages/x.md", 9, 1)) != first  # placed where it begins


# --- through a build ---------------------------------------------------------------------

PAGE = "pages/overview.md"  # body starts on line 6


def messages(err: str) -> list[str]:
    """The numbered problems of a report, without their numbers."""
    return [re.sub(r"^\d+\. ", "", line) for line in err.splitlines() if re.match(r"\d+\. ", line)]


def test_build_counts_no_citation_in_code(briefing, capsys):
    briefing.edit(PAGE, "## Again", "Write `[@no-such-fact]`:\n\n    [@no-such-fact]\n\n"
                                    "<!-- TODO [@later] -->\n\n## Again")
    code, _, err = briefing.run("check", capsys=capsys)
    assert (code, messages(err)) == (0, [])


def test_build_warns_of_a_bare_known_id_and_strict_fails(briefing, capsys):
    briefing.edit(PAGE, "## Again", "Counted by @union-count, mailed to union@dock.org, "
                                    "not @nobody.\n\n## Again")
    expected = ["content/pages/overview.md:8:12: warning [citation]: bare '@union-count' is "
                "not a citation"]
    code, _, err = briefing.run("check", capsys=capsys)
    assert (code, messages(err)) == (0, expected)
    assert "    hint: did you mean [@union-count]?" in err.splitlines()
    code, _, err = briefing.run("check", "--strict", capsys=capsys)
    assert (code, messages(err)) == (1, expected)


def test_build_shows_prefix_and_locator_in_the_note(briefing, capsys):
    briefing.edit(PAGE, "As noted, about 40 ships [@ships-docked].",
                  "As noted, about 40 ships [see @ships-docked, p. 2].")
    code, _, err = briefing.run(capsys=capsys)
    assert (code, messages(err)) == (0, [])
    html = (briefing.output / "pages/overview.html").read_text()
    note = html[html.index('<li id="note-1">'):html.index("</li>", html.index('id="note-1"'))]
    assert '<a href="#cite-1-1" aria-label="Back to citation 1">a</a>' in note
    assert '<a href="#cite-1-2" aria-label="Back to citation 2">b</a>' in note
    assert '<p class="note-use">b: see …, p. 2</p>' in note
    assert note.count('class="note-use"') == 1


def test_build_reports_a_citation_after_a_stray_backtick(briefing, capsys):
    briefing.edit(PAGE, "## Again", "A stray ` backtick.\n\nThen [@no-such-fact].\n\n## Again")
    code, _, err = briefing.run("check", capsys=capsys)
    assert code == 1
    assert messages(err) == ["content/pages/overview.md:10:6: error [citation]: page 'overview' "
                             "refers to unknown fact 'no-such-fact'"]


def test_build_reports_a_citation_in_raw_html_once(briefing, capsys):
    briefing.edit(PAGE, "## Again", "<div>\nSee [@ships-docked].\n</div>\n\n## Again")
    code, _, err = briefing.run("check", capsys=capsys)
    assert code == 1
    assert messages(err) == ["content/pages/overview.md:9:5: error [citation]: citation "
                             "'[@ships-docked]' would be published as plain text"]
