"""One mistake, one message: the exact set of messages a slip produces, root causes first.

Each case breaks a copy of the minimal site in one way and asserts every numbered message of the
report (location, severity, key, text) and its hint — so a cascade of follow-on errors fails the
test as surely as a missing message does.
"""

from __future__ import annotations


import pytest

from conftest import report, tree_digest

FACTS = "facts/ships.yaml"
SOURCE = "sources/harbour-report.yaml"
ENTITIES = "entities/all.yaml"


def broken(briefing, capsys, *args):
    """Build once cleanly, apply nothing more, build again: (code, messages, summary line).
    The caller breaks the briefing between the two with `briefing.edit`."""
    code, _, err = briefing.run(*args, capsys=capsys)
    return code, report(err), err.strip().splitlines()[-1] if err.strip() else ""


CASES = [
    # (case id, file, old, new, [(message, hint)])
    ("bad-date-in-source-no-cascade", SOURCE, "published: null", "published: 2024-10-8",
     [("content/sources/harbour-report.yaml:5:12: error [published]: 'published' of source "
       "'harbour-report': expected an EDTF date, found '2024-10-8'", "did you mean 2024-10-08?")]),
    ("missing-status-no-cascade", FACTS, "  status: claimed\n", "",
     [("content/facts/ships.yaml:14:3: error [status]: fact 'union-count' has no 'status'",
       "add 'status:'")]),
    ("misspelt-required-key-said-once", FACTS, "  status: claimed\n", "  statsu: claimed\n",
     [("content/facts/ships.yaml:16:3: error [statsu]: unknown key 'statsu' in fact "
       "'union-count'", "did you mean 'status'?")]),
    ("attribution-null-is-not-own-voice", FACTS, "attribution: [dock-union]",
     "attribution: null",
     [("content/facts/ships.yaml:18:16: error [attribution]: 'attribution' of fact "
       "'union-count' is empty", "give entity ids from the original claimant outward, or [] "
       "where the source says it in its own voice; or give each citation its own")]),
    ("unconfirmed-is-not-confirmed", FACTS, "status: claimed", "status: unconfirmed",
     [("content/facts/ships.yaml:16:11: error [status]: 'status' of fact 'union-count': expected "
       "one of: reported, claimed, stated, confirmed, disputed, denied, found 'unconfirmed'",
       "'unconfirmed' is not a status; perhaps 'reported' (relayed by an outlet from its sources; "
       "not independently confirmed) or 'claimed' (asserted by a party with a stake in it)")]),
    ("qualifier-synonym", FACTS, "qualifier: about", "qualifier: approximately",
     [("content/facts/ships.yaml:13:30: error [qualifier]: 'qualifier' of quantity 1 of fact 'ships-docked': expected one "
       "of: exactly, about, nearly, more than, at least, fewer than, at most, up to, found "
       "'approximately'",
       "'approximately' is not a qualifier; perhaps 'about' (an approximate figure (about, "
       "around, roughly))")]),
    ("bad-id-in-list-hints-a-real-fact", FACTS, "contradicts: [ships-docked]",
     "contradicts: [ships-dockeD]",
     [("content/facts/ships.yaml:22:17: error [contradicts]: 'contradicts' of fact "
       "'union-count': expected a fact id matching [a-z0-9][a-z0-9-]*, found 'ships-dockeD'",
       "did you mean 'ships-docked'?")]),
    ("thousands-separator", FACTS, "{value: 35, unit", "{value: \"35,000\", unit",
     [("content/facts/ships.yaml:24:15: error [value]: 'value' of quantity 1 of fact 'union-count': expected a number, "
       "found '35,000'", "write 35000 (no thousands separator)")]),
    ("bad-id-shape-keeps-id-known", FACTS, "- id: figures-disputed", "- id: Figures_Disputed",
     [("content/facts/ships.yaml:25:7: error [id]: 'id' of fact: expected an id matching "
       "[a-z0-9][a-z0-9-]*, found 'Figures_Disputed'", "try 'figures-disputed'")]),
    ("id-too-long", FACTS, "  claim: The union counted", "  related: [" + "f" * 251 + "]\n"
     "  claim: The union counted",
     [(f"content/facts/ships.yaml:15:13: error [related]: 'related' of fact 'union-count': "
       f"expected an id of at most 100 characters, found '{'f' * 56}…'",
       "shorten it; an id names a file of the site")]),
    ("quote-one-word-off", FACTS, "the union counted 35 ships", "a union counted 35 ships",
     [("content/facts/ships.yaml:21:14: error [quote]: quote of fact 'union-count' does not "
       "occur in 'harbour-report.txt', the archived text of source 'harbour-report'",
       "document has \"the union\"; quote has \"a union\" (closest passage in the document: "
       "\"the union counted 35 ships\")")]),
    ("quote-one-comma-off", FACTS, "Officials' figures were disputed",
     "Officials' figures, were disputed",
     [("content/facts/ships.yaml:32:14: error [quote]: quote of fact 'figures-disputed' does not "
       "occur in 'harbour-report.txt', the archived text of source 'harbour-report'",
       "document has \"figures were\"; quote has \"figures, were\" (closest passage in the "
       "document: \"Officials’ figures were disputed\")")]),
    ("quote-missing-curly-quotes", FACTS, 'docked in "late spring"', "docked in late spring",
     [("content/facts/ships.yaml:10:14: error [quote]: quote of fact 'ships-docked' does not "
       "occur in 'harbour-report.txt', the archived text of source 'harbour-report'",
       "document has \"in “late\" (curly quotes); quote has \"in late\" (closest passage in the "
       "document: \"The harbour authority said about 40 ships docked in “late spring\")")]),
    ("document-not-found-at-its-key", SOURCE, "document: harbour-report.txt",
     "document: harbour-reprot.txt",
     [("content/sources/harbour-report.yaml:6:11: error [document]: source 'harbour-report': "
       "document 'harbour-reprot.txt' not found under content/documents/",
       "did you mean 'harbour-report.txt'?")]),
    ("key-fact-unknown-at-its-item", "site.yaml", "licence:", "key_facts: [ships-docked, nope]\n"
     "licence:",
     [("content/site.yaml:4:27: error [key_facts]: site.yaml refers to unknown fact 'nope'",
       "no fact has that id")]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_one_mistake_gives_exactly_its_message(briefing, capsys, case):
    _, relative, old, new, expected = case
    assert briefing.run(capsys=capsys)[0] == 0
    before = tree_digest(briefing.output)
    briefing.edit(relative, old, new)
    code, messages, _ = broken(briefing, capsys)
    assert code == 1
    assert messages == expected
    assert tree_digest(briefing.output) == before


def test_a_syntax_error_keeps_the_files_ids_known(briefing, capsys):
    """A tab makes the whole facts file unreadable; its ids stay known, so pages citing them
    get no follow-on "unknown fact" and the entities it named no "unused" warning."""
    briefing.edit(FACTS, "  status: stated\n", "\tstatus: stated\n")
    code, messages, _ = broken(briefing, capsys)
    assert code == 1
    assert len(messages) == 1, messages
    assert messages[0][0].startswith("content/facts/ships.yaml:3:1: error")


def test_root_causes_come_first(briefing, capsys):
    """A source's error is listed before a fact's, though facts/ sorts before sources/."""
    briefing.edit(SOURCE, "kind: report", "kind: reportt")
    briefing.edit(FACTS, "about: [harbour-authority]", "about: [harbour-authorty]")
    code, messages, _ = broken(briefing, capsys)
    assert code == 1
    assert [m[0].split(": ")[0] for m in messages] == ["content/sources/harbour-report.yaml:3:7",
                                                      "content/facts/ships.yaml:6:11"]


def test_strict_keeps_warnings_as_warnings(briefing, capsys):
    briefing.edit("pages/overview.md", "[@union-count; @figures-disputed]", "[@union-count]")
    code, messages, summary = broken(briefing, capsys, "--strict")
    assert code == 1
    assert messages == [("content/facts/ships.yaml:25:3: warning [id]: fact 'figures-disputed' "
                         "is cited by no page", "cite it in prose as [@figures-disputed]")]
    assert summary.startswith("Failed under --strict: 0 errors, 1 warning;")
    code, messages, _ = broken(briefing, capsys)
    assert code == 0 and len(messages) == 1


def test_control_characters_in_messages_are_escaped(briefing, capsys):
    briefing.edit(FACTS, "  status: stated\n", "  status: stated\n  \"x\\e[31m\\nFAKE.yaml:1:1: "
                  "error\": 1\n")
    code, _, err = briefing.run(capsys=capsys)
    assert code == 1
    assert "\x1b" not in err
    assert "\nFAKE.yaml" not in err
    assert "unknown key 'x\\x1b[31m\\nFAKE.yaml:1:1: error'" in err
