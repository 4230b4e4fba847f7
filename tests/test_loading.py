"""Loading: what reading the briefing's files and parsing their YAML reports.

Each case breaks a copy of the minimal site in one way and asserts the exact numbered messages
(location, text, hint) — one mistake, one message — exit code 1, and that site/ is left byte for
byte as it was.
"""

from __future__ import annotations

import os
import shutil

import pytest

from conftest import report, tree_digest

FACTS = "facts/ships.yaml"
PAGE = "pages/overview.md"


@pytest.fixture
def built(briefing, capsys):
    """The briefing built once cleanly; call it after breaking the briefing → its messages,
    having checked the failed build's exit code, that it printed no traceback, and that
    site/ is unchanged."""
    assert briefing.run(capsys=capsys)[0] == 0
    before = tree_digest(briefing.output)

    def rebuild() -> list[tuple[str, str]]:
        code, out, err = briefing.run(capsys=capsys)
        assert code == 1, err
        assert "Traceback" not in out + err
        assert tree_digest(briefing.output) == before
        return report(err)
    return rebuild


# --- empty or null where a mapping is required --------------------------------------------

@pytest.mark.parametrize("text", ["", "# title: Harbour briefing\n", "null\n", "~\n", "---\n",
                                  "---\n...\n"])
def test_an_empty_site_yaml_is_an_error(briefing, built, text):
    briefing.write("site.yaml", text)
    assert built() == [
        ("content/site.yaml:1:1: error: site.yaml is empty: expected a mapping with 'title:' and "
         "'language:'", "write 'title: …' and 'language: …' lines")]


@pytest.mark.parametrize("text, found", [
    ("Harbour briefing\n", "'Harbour briefing'"),
    ("- title: Harbour briefing\n  language: en\n", "a list"),
])
def test_a_site_yaml_that_is_not_a_mapping_is_an_error(briefing, built, text, found):
    briefing.write("site.yaml", "# the briefing\n" + text)
    assert built() == [
        (f"content/site.yaml:2:1: error: expected a mapping with 'title:' and 'language:', "
         f"found {found}", "write 'title: …' and 'language: …' lines")]


@pytest.mark.parametrize("front", ["", "# title: Overview\n", "null\n", "~\n", "Overview\n",
                                   "- title: Overview\n"])
def test_a_page_with_empty_or_null_front_matter_is_kept_and_reported_once(briefing, built,
                                                                          front):
    briefing.edit(PAGE, "title: Overview\nsummary: How many ships docked.\norder: 1\n", front)
    # One message: the page still counts for its citations (no "cited by no page" follows).
    assert built() == [("content/pages/overview.md:2:1: error [title]: page front matter has "
                        "no 'title'", "add 'title:'")]


def test_a_scalar_at_the_top_of_a_facts_file_is_one_error(briefing, built):
    briefing.write("facts/stray.yaml", "# notes\nabout 40 ships docked\n")
    assert built() == [
        ("content/facts/stray.yaml:2:1: error: expected a mapping ('key: value' lines) or a list "
         "of them, found 'about 40 ships docked'",
         "write one entry as 'id: …' lines, or several as a list of '- id: …'")]


# --- folders that cannot be read ----------------------------------------------------------

def _refuse(monkeypatch, folder, *, enter_only=False):
    """Make `folder` unreadable as for a user without permission (the tests run as root):
    listing it fails, or with enter_only, listing works but nothing in it can be reached."""
    real_scandir = os.scandir
    target = os.path.realpath(folder)

    class Unreachable:
        def __init__(self, entry):
            self.name, self.path = entry.name, entry.path

        def is_symlink(self):
            return False

        def stat(self):
            raise PermissionError(13, "Permission denied")

    class Listing:
        def __init__(self, entries):
            self.entries = entries

        def __enter__(self):
            return iter(self.entries)

        def __exit__(self, *exc):
            return False

    def scandir(path="."):
        if os.path.realpath(path) != target:
            return real_scandir(path)
        if not enter_only:
            raise PermissionError(13, "Permission denied", str(path))
        with real_scandir(path) as listing:
            return Listing([Unreachable(entry) for entry in listing])
    monkeypatch.setattr(os, "scandir", scandir)


@pytest.mark.parametrize("folder", ["pages", "facts", "sources", "entities", "documents"])
def test_an_unreadable_folder_is_one_error_naming_it(briefing, built, monkeypatch, folder):
    _refuse(monkeypatch, briefing.content / folder)
    assert built() == [(f"content/{folder}/: error: cannot read folder content/{folder}/: "
                        "Permission denied", "check the folder's permissions")]


def test_a_folder_that_can_be_listed_but_not_entered_is_one_error(briefing, built, monkeypatch):
    briefing.write("facts/more.yaml", "[]\n")
    _refuse(monkeypatch, briefing.content / "facts", enter_only=True)
    assert built() == [("content/facts/: error: cannot read folder content/facts/: "
                        "Permission denied", "check the folder's permissions")]


# --- files from outside the briefing ------------------------------------------------------

@pytest.mark.parametrize("relative", ["site.yaml", "summary.md", "facts/ships.yaml",
                                      "sources/harbour-report.yaml", "entities/all.yaml",
                                      "entities/more.yaml", "pages/overview.md",
                                      "documents/harbour-report.txt", "documents/more.txt"])
def test_a_link_to_a_file_outside_the_briefing_is_refused(briefing, capsys, relative):
    """Refused, not skipped: a skipped file would silently lose content. Nothing else is
    loaded, so the references to what the file would hold are not reported as well."""
    assert briefing.run(capsys=capsys)[0] == 0
    before = tree_digest(briefing.output)
    link = briefing.content / relative
    if link.exists():
        link.unlink()
    os.symlink("/etc/passwd", link)
    code, out, err = briefing.run(capsys=capsys)
    assert code == 1
    assert report(err) == [(f"content/{relative}: error: refused: this link leads outside the "
                            "content folder", "copy the file into the content folder instead")]
    assert "root:" not in out + err
    assert tree_digest(briefing.output) == before


@pytest.mark.parametrize("relative", ["entities/more", "pages"])
def test_a_link_to_a_folder_outside_the_briefing_is_refused(briefing, built, tmp_path,
                                                            relative):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "spare.yaml").write_text("id: spare\nname: Spare\nkind: group\n")
    (outside / "spare.md").write_text("---\ntitle: Spare\n---\nSpare.\n")
    link = briefing.content / relative
    if link.exists():
        shutil.rmtree(link)
    os.symlink(outside, link)
    assert built() == [(f"content/{relative}: error: refused: this link leads outside the "
                        "content folder", "copy the file into the content folder instead")]


# --- hidden and editor files --------------------------------------------------------------

@pytest.mark.parametrize("name", [".DS_Store", ".ships.yaml.swp", "ships.yaml~", "#ships.yaml#",
                                  ".#ships.yaml", "ships.yaml.swo", "ships.yaml.tmp"])
def test_hidden_and_editor_files_are_ignored(briefing, capsys, name):
    junk = b"\x00\x05Bud1\xff\xfe- id: [broken\n"
    for folder in ("documents", "facts", "pages", "sources", "entities"):
        (briefing.content / folder / name).write_bytes(junk)
    (briefing.content / "facts" / ".hidden").mkdir()
    (briefing.content / "facts" / ".hidden" / "more.yaml").write_bytes(junk)
    code, out, err = briefing.run(capsys=capsys)
    assert (code, err) == (0, "")


# --- YAML tags and values PyYAML cannot construct -----------------------------------------

NOTE = "  date_note: The year is not stated; inferred for the fixture.\n"


@pytest.mark.parametrize("value, message, hint", [
    ("!!int abc", "'!!int abc' is not a valid integer", "remove the '!!int' tag or fix the value"),
    ("!!float abc", "'!!float abc' is not a valid number",
     "remove the '!!float' tag or fix the value"),
    ("!!bool abc", "'!!bool abc' is not true or false", "remove the '!!bool' tag or fix the value"),
    ("!!int 0x", "'!!int 0x' is not a valid integer", "remove the '!!int' tag or fix the value"),
    ("!!int", "'!!int ' is not a valid integer", "remove the '!!int' tag or fix the value"),
    ("!!map a", "'!!map a' is not a mapping", "remove the '!!map' tag or fix the value"),
    ("!!seq x", "'!!seq x' is not a list", "remove the '!!seq' tag or fix the value"),
    ("!!int [1, 2]", "'!!int […]' is not a valid integer",
     "remove the '!!int' tag or fix the value"),
    ("!!timestamp abc", "the YAML tag '!!timestamp' is not allowed",
     "remove it: dates are written as text, e.g. date: \"2024-10-03\""),
    ("!!timestamp 2024-13-45", "the YAML tag '!!timestamp' is not allowed",
     "remove it: dates are written as text, e.g. date: \"2024-10-03\""),
    ("!!binary aGVsbG8=", "the YAML tag '!!binary' is not allowed",
     "remove it: content holds text, numbers, true/false, null, lists and mappings"),
    ("!!set {a, b}", "the YAML tag '!!set' is not allowed",
     "remove it: content holds text, numbers, true/false, null, lists and mappings"),
    ("!local x", "the YAML tag '!local' is not allowed",
     "remove it: content holds text, numbers, true/false, null, lists and mappings"),
    ("!!python/object/apply:os.system ['touch pwned']",
     "the YAML tag '!!python/object/apply:os.system' is not allowed",
     "remove it: content holds text, numbers, true/false, null, lists and mappings"),
    ("9" * 4301, "'" + "9" * 39 + "…' has 4301 digits, more than a number may have (4300)",
     "quote it to keep it as text"),
    ("0x_", "'0x_' looks like a number but is not one",
     "quote it to keep it as text, or fix the number"),
])
def test_a_value_yaml_cannot_construct_is_one_located_error(briefing, built, value, message,
                                                            hint):
    briefing.edit(FACTS, NOTE, f"  date_note: {value}\n")
    assert built() == [(f"content/facts/ships.yaml:5:14: error: {message}", hint)]
    assert not (briefing.root / "pwned").exists()


def test_a_tag_inside_a_list_drops_only_that_item(briefing, built):
    briefing.edit("entities/all.yaml", "aliases: [the authority]",
                  "aliases: [the authority, !!int many]")
    assert built() == [("content/entities/all.yaml:7:28: error: '!!int many' is not a valid "
                        "integer", "remove the '!!int' tag or fix the value")]


# --- commas in {…} mappings ---------------------------------------------------------------

@pytest.mark.parametrize("old, new, location, message, hint", [
    ("{value: 40, qualifier", "{value: 1,200, qualifier", "13:16",
     "'value: 1,200' is read as 'value: 1'", "write 1200 (no thousands separator)"),
    ("{value: 40, qualifier", "{value: 1,200,000.5, qualifier", "13:16",
     "'value: 1,200,000.5' is read as 'value: 1'", "write 1200000.5 (no thousands separator)"),
    ("label: ships docked}", "label: time taken to build, then open, the bridge}", "13:76",
     "'label: time taken to build, then open, the bridge' is read as 'label: time taken to "
     "build'", "quote the value: label: \"time taken to build, then open, the bridge\""),
    ("label: ships docked}", "label: ships \"docked\", or so}", "13:71",
     "'label: ships \"docked\", or so' is read as 'label: ships \"docked\"'",
     "quote the value: label: \"ships \\\"docked\\\", or so\""),
])
def test_a_comma_in_an_unquoted_flow_value_is_one_error(briefing, built, old, new, location,
                                                        message, hint):
    briefing.edit(FACTS, old, new)
    key = message[1:message.index(":")]
    assert built() == [(f"content/facts/ships.yaml:{location}: error [{key}]: a comma in an "
                        f"unquoted value of a {{…}} mapping ends the value: {message}", hint)]


def test_a_key_without_a_value_in_a_flow_mapping_is_one_error(briefing, built):
    briefing.edit(FACTS, "{value: 40, qualifier: about,", "{value: 40, about,")
    assert built() == [("content/facts/ships.yaml:13:19: error: 'about' in a {…} mapping has no "
                        "':' and no value", "write each item as 'key: value', with commas between")]


def test_a_colon_in_an_unquoted_flow_value_is_located_with_a_quoting_hint(briefing, built):
    briefing.edit(FACTS, "label: ships docked}", "label: ships: docked}")
    assert built() == [("content/facts/ships.yaml:13:62: error: YAML syntax error: did not find "
                        "expected ',' or '}'", "in a {…} mapping, ': ' and ',' end an unquoted "
                                               "value; quote the value: label: \"…\"")]


# --- syntax errors located where the mistake is -------------------------------------------

@pytest.mark.parametrize("old, new, location, message", [
    # closed by the next quote further down, so the parser stumbles two lines later
    ("claim: The union counted 35 ships.", "claim: \"The union counted 35 ships.", "15:10",
     "this quote is not closed on its line; it runs on to line 17"),
    ("quote: Officials' figures were disputed", "quote: \"Officials' figures were disputed",
     "32:14", "this quote is never closed"),
    ("quote: Officials' figures were disputed", "quote: 'Officials figures were disputed",
     "32:14", "this quote is never closed"),
])
def test_an_unclosed_quote_or_bracket_is_reported_where_it_opened(briefing, built, old, new,
                                                                  location, message):
    briefing.edit(FACTS, old, new)
    assert built() == [(f"content/facts/ships.yaml:{location}: error: {message}",
                        "close the quote")]


@pytest.mark.parametrize("opened, closer", [("[", "]"), ("{", "}")])
def test_a_bracket_left_open_at_the_end_is_reported_where_it_opened(briefing, built, opened,
                                                                    closer):
    briefing.write("entities/more.yaml", "- id: spare\n  name: Spare\n  kind: group\n"
                                         f"  aliases: {opened}the spare\n")
    assert built() == [(f"content/entities/more.yaml:4:12: error: this '{opened}' is never "
                        "closed", f"close it with '{closer}'")]


def test_a_bracket_left_open_midway_is_named_in_the_hint(briefing, built):
    briefing.edit(FACTS, "related: [union-count]", "related: [union-count")
    assert built() == [("content/facts/ships.yaml:30:12: error: YAML syntax error: did not find "
                        "expected ',' or ']'",
                        "check that the '[' at line 29, column 12 is closed with ']'")]


@pytest.mark.parametrize("old, new, location", [
    ("  status: stated\n", "\tstatus: stated\n", "3:1"),
    ("  status: stated\n", "  \tstatus: stated\n", "3:3"),
    ("    - source: harbour-report\n      quote: the union",
     "    - source: harbour-report\n    \t quote: the union", "21:5"),
])
def test_a_tab_in_indentation_is_named_with_its_column(briefing, built, old, new, location):
    briefing.edit(FACTS, old, new)
    column = location.split(":")[1]
    assert built() == [(f"content/facts/ships.yaml:{location}: error: indent with spaces; a tab "
                        f"is at column {column}",
                        "YAML does not allow tabs for indentation; replace it with spaces")]


@pytest.mark.parametrize("old, new, message, hint", [
    ("summary: How", "\tsummary: How", "3:1: error: indent with spaces; a tab is at column 1",
     "YAML does not allow tabs for indentation; replace it with spaces"),
    ("title: Overview", "title: \"Overview", "2:8: error: this quote is never closed",
     "close the quote"),
    ("title: Overview", "title: Over\x00view",
     "2:12: error: YAML cannot contain the control character U+0000",
     "delete it (most editors do not show it)"),
    ("order: 1", "order: !!int x", "4:8: error: '!!int x' is not a valid integer",
     "remove the '!!int' tag or fix the value"),
])
def test_front_matter_errors_are_located_in_the_page(briefing, built, old, new, message, hint):
    briefing.edit(PAGE, old, new)
    assert built() == [(f"content/pages/overview.md:{message}", hint)]


@pytest.mark.parametrize("character, code_point, what", [
    ("\x00", "U+0000", "control character"), ("\x1b", "U+001B", "control character"),
    ("\x7f", "U+007F", "control character"), ("\ufffe", "U+FFFE", "character"),
])
def test_a_control_character_in_yaml_is_one_located_line(briefing, built, character,
                                                         code_point, what):
    briefing.edit(FACTS, "claim: The union counted", f"claim: Thé union{character} counted")
    assert built() == [(f"content/facts/ships.yaml:15:19: error: YAML cannot contain the {what} "
                        f"{code_point}", "delete it (most editors do not show it)")]


def test_invalid_utf8_is_located_by_line_and_column(briefing, built):
    path = briefing.content / "entities/all.yaml"
    path.write_bytes(path.read_bytes().replace(b"name: Dock union", b"name: Dock \xe9union"))
    assert built() == [("content/entities/all.yaml:9:14: error: file is not valid UTF-8 "
                        "(byte 0xE9)", "save the file as UTF-8")]


@pytest.mark.parametrize("text, location", [
    ("[" * 5000 + "]" * 5000 + "\n", "1:101"),
    # a mapping, then lists each indented one step further: the 100th list is at depth 101
    ("x:\n" + "".join("  " * n + "- \n" for n in range(1, 200)), "101:201"),
    ("a: " + "{b: " * 150 + "c" + "}" * 150 + "\n", "1:400"),
])
def test_deep_nesting_is_located_where_it_passes_the_limit(briefing, built, text, location):
    briefing.write("facts/deep.yaml", text)
    assert built() == [(f"content/facts/deep.yaml:{location}: error: YAML nesting is too deep: "
                        "more than 100 levels of lists and mappings",
                        "content needs a few levels; look for unclosed '[' or '{'")]


def test_nesting_within_the_limit_loads(briefing, capsys):
    # the list of facts, a fact, then 98 mappings: 100 levels
    briefing.edit(FACTS, NOTE, NOTE + "  extra: " + "{a: " * 98 + "1" + "}" * 98 + "\n")
    assert briefing.run(capsys=capsys)[0] == 0


def test_a_merge_key_is_a_plain_key(briefing, built):
    """'<<' is not YAML's merge here (content uses no anchors): an unknown key like any other."""
    briefing.edit(FACTS, NOTE, NOTE + "  <<: {notes: merged}\n")
    [(message, _)] = built()
    assert message == ("content/facts/ships.yaml:6:3: error [<<]: unknown key '<<' in fact "
                       "'ships-docked'")


# --- a file saved again, parsed item by item (rawrecords._items) --------------------------

ITEMS = """\
# facts about the ships
- id: first
  claim: "A quoted claim: with a colon"
  about: [a, b]
  extra:

# between two items
- id: second
  claim: |
    A block scalar
      indented more
  citations:
  - source: s
    quote: q
-   id: third
    claim: >-
      folded
      text
    notes:
- id: fourth
  claim: plain text
    running on
  empty:"""


def located(value):
    """A parsed value with where each of its parts sits, to compare two parses."""
    from factsheet.yamlfile import YamlList, YamlMap
    if isinstance(value, YamlMap):
        return (value.location, value.key_locations, value.value_locations, value.dropped,
                {key: located(item) for key, item in value.items()})
    if isinstance(value, YamlList):
        return value.item_locations, [located(item) for item in value]
    return value


@pytest.mark.parametrize("edit, kept", [
    (lambda text: text.replace("plain text", "plain text edited"), 3),  # an item changed
    (lambda text: text.replace("- id: second", "# a line above\n- id: second"), 0),  # moved
    (lambda text: text.replace("notes:\n", "notes: added\n"), 3),  # an empty value given
    (lambda text: text + "\n- id: fifth\n  claim: added\n", 3),  # an item added
    (lambda text: text.replace("# between two items\n", "\n\n"), 0),  # more lines
])
def test_a_file_parsed_item_by_item_is_as_parsed_whole(edit, kept):
    """The items of a list parsed alone, those as they were taken from the last parse, give
    the mappings and places that parsing the whole file gives."""
    from factsheet.errors import Diagnostics
    from factsheet.rawrecords import parse_entries
    before = parse_entries("facts", "f.yaml", ITEMS, Diagnostics())
    text = edit(ITEMS)
    found = Diagnostics()
    by_items = parse_entries("facts", "f.yaml", text, found, before=before)
    whole = parse_entries("facts", "f.yaml", text, Diagnostics())
    assert not found.items
    assert [located(data) for data in by_items.entries] == \
        [located(data) for data in whole.entries]
    # the items as they were, on the same lines, are taken as they were (not parsed again)
    assert sum(any(data is old for old in before.entries) for data in by_items.entries) == kept


@pytest.mark.parametrize("text, starts", [
    ("- a\n-\n-\tb\n--c\n -d\n- e", [0, 4, 6, 18]),  # an item's dash, then a space, a tab,
    ("# c\n\n- a\n  - b\n-", [5, 15]),  # a line break or the end
    ("- a\n---\n- b\n", None), ("- a\n...\n", None), ("%YAML 1.2\n- a\n", None),  # markers
    ("- a\n- b\n%TAG ! x\n", None), ("- a\x85- b\n", None), ("- a\u2028- b\n", None),
    ("- a\n- b\u2029\n", None), ("a: 1\n- b\n", None), ("a\n", None),  # breaks, no list
])
def test_the_items_of_a_list_are_found_by_where_they_start(text, starts):
    from factsheet.rawrecords import _item_spans
    spans = _item_spans(text)
    assert (spans if spans is None else [start for start, _, _ in spans]) == starts
    if spans is not None:  # each item runs to the next; the lines before it counted
        assert [end for _, end, _ in spans] == [*starts[1:], len(text)]
        assert [line for _, _, line in spans] == [text.count("\n", 0, at) for at in starts]


@pytest.mark.parametrize("text", [
    ITEMS.replace("claim: plain text", 'claim: "quoted over\n- two lines"'),  # not an item
    ITEMS.replace("- id: fourth", "- id: fourth\n  id: again"),  # a problem in an item
    "---\n" + ITEMS,  # a document marker
])
def test_a_file_not_parsed_item_by_item_reports_as_parsed_whole(text):
    from factsheet.errors import Diagnostics
    from factsheet.rawrecords import parse_entries
    before = parse_entries("facts", "f.yaml", ITEMS, Diagnostics())
    by_items, whole = Diagnostics(), Diagnostics()
    one = parse_entries("facts", "f.yaml", text, by_items, before=before)
    other = parse_entries("facts", "f.yaml", text, whole)
    assert [d.format() for d in by_items.items] == [d.format() for d in whole.items]
    assert (one.entries is None) == (other.entries is None)
    if one.entries is not None:
        assert [located(d) for d in one.entries] == [located(d) for d in other.entries]
