"""Each content error, from a copy of the minimal site broken in exactly one way.

Every case asserts the message with its file:line:column, and that the previous site/ is left
byte for byte as it was.
"""

from __future__ import annotations

import pytest

from conftest import tree_digest
from factsheet.errors import Diagnostics
from factsheet.loader import load_content
from factsheet.validate import validate

FACTS = "facts/ships.yaml"

# (case id, file under content/, text to replace, replacement, location, message parts)
CASES = [
    ("yaml-syntax", FACTS, "  status: stated\n", "  status: [stated\n",
     "content/facts/ships.yaml:4:", ["YAML syntax error"]),
    ("duplicate-key", FACTS, "  status: stated\n", "  status: stated\n  status: claimed\n",
     "content/facts/ships.yaml:4:3", ["duplicate key 'status'", "see content/facts/ships.yaml:3:3",
                                      "silently keep only the last"]),
    ("duplicate-id", "entities/all.yaml", "- id: dock-union\n",
     "- id: union-count\n  name: Union count\n  kind: group\n- id: dock-union\n",
     "content/facts/ships.yaml:14:7", ["duplicate id 'union-count'",
                                       "see content/entities/all.yaml:8:7"]),
    ("missing-field", FACTS, "  status: claimed\n", "",
     "content/facts/ships.yaml:14:3", ["fact 'union-count' has no 'status'", "add 'status:'"]),
    ("unknown-field", FACTS, "  contradicts: [ships-docked]", "  contradict: [ships-docked]",
     "content/facts/ships.yaml:22:3", ["unknown key 'contradict'",
                                       "did you mean 'contradicts'?"]),
    ("id-shape", FACTS, "- id: figures-disputed", "- id: Figures_Disputed",
     "content/facts/ships.yaml:25:7", ["expected an id matching [a-z0-9][a-z0-9-]*",
                                       "try 'figures-disputed'"]),
    ("dangling-citation-source", FACTS,
     "    - source: harbour-report\n      quote: the union", "    - source: harbour-reprt\n      quote: the union",
     "content/facts/ships.yaml:20:15", ["unknown source 'harbour-reprt'",
                                        "did you mean 'harbour-report'?"]),
    ("dangling-attribution", FACTS, "[dock-union]", "[dock-unoin]",
     "content/facts/ships.yaml:18:17", ["fact 'union-count' refers to unknown entity 'dock-unoin'",
                                        "did you mean 'dock-union'?"]),
    ("dangling-about", FACTS, "about: [harbour-authority]", "about: [harbour-authorty]",
     "content/facts/ships.yaml:6:11", ["unknown entity 'harbour-authorty'",
                                       "did you mean 'harbour-authority'?"]),
    ("dangling-related", FACTS, "related: [union-count]", "related: [union-cont]",
     "content/facts/ships.yaml:29:13", ["unknown fact 'union-cont'", "did you mean 'union-count'?"]),
    ("dangling-contradicts", FACTS, "contradicts: [ships-docked]", "contradicts: [ships-dockd]",
     "content/facts/ships.yaml:22:17", ["unknown fact 'ships-dockd'",
                                        "did you mean 'ships-docked'?"]),
    ("dangling-prose-citation", "pages/overview.md", "[@union-count;", "[@union-cuont;",
     "content/pages/overview.md:6:", ["page 'overview' refers to unknown fact 'union-cuont'",
                                      "did you mean 'union-count'?"]),
    ("dangling-summary-citation", "summary.md", "[@union-count]", "[@union-cont]",
     "content/summary.md:2:15", ["the summary refers to unknown fact 'union-cont'",
                                 "did you mean 'union-count'?"]),
    ("prose-cites-a-source", "pages/overview.md", "docked [@ships-docked]", "docked [@harbour-report]",
     "content/pages/overview.md:6:", ["unknown fact 'harbour-report'",
                                      "'harbour-report' is a source; 'citation' takes fact ids"]),
    ("malformed-prose-citation", "pages/overview.md", "docked [@ships-docked]",
     "docked [@Ships-Docked]", "content/pages/overview.md:6:", ["malformed citation '[@Ships-Docked]'"]),
    ("bad-date", FACTS, 'date: "2024-21"', 'date: "spring 2024"',
     "content/facts/ships.yaml:4:9", ["'date' of fact 'ships-docked': expected an EDTF date",
                                      "did you mean 2024-21?"]),
    ("quote-not-in-document", FACTS, "the union counted 35 ships", "the union counted 36 ships",
     "content/facts/ships.yaml:21:14", ["quote of fact 'union-count' does not occur in "
                                        "'harbour-report.txt'",
                                        "closest passage in the document"]),
    ("url-not-http", "sources/harbour-report.yaml", "language: en\n",
     "language: en\nurl: javascript:alert(1)\n",
     "content/sources/harbour-report.yaml:8:6", ["'url' of source 'harbour-report': expected an "
                                                 "http:// or https:// URL"]),
    ("missing-document", "sources/harbour-report.yaml", "document: harbour-report.txt",
     "document: harbour-reprot.txt", "content/sources/harbour-report.yaml:6:11",
     ["document 'harbour-reprot.txt' not found", "did you mean 'harbour-report.txt'?"]),
    ("wrong-vocabulary", FACTS, "status: claimed", "status: claim",
     "content/facts/ships.yaml:16:11", ["expected one of: reported, claimed",
                                        "did you mean 'claimed'?"]),
    ("yaml-alias", FACTS, "  about: [harbour-authority]",
     "  about: &who [harbour-authority]\n  tags: *who", "content/facts/ships.yaml:6:10",
     ["reused through a YAML anchor and alias"]),
    ("page-without-title", "pages/overview.md", "title: Overview\n", "",
     "content/pages/overview.md:2:1", ["page front matter has no 'title'"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_error_is_reported_with_location_and_site_is_untouched(briefing, capsys, case):
    _, relative, old, new, location, parts = case
    code, _, _ = briefing.run(capsys=capsys)
    assert code == 0
    before = tree_digest(briefing.output)

    briefing.edit(relative, old, new)
    code, out, err = briefing.run(capsys=capsys)

    assert code == 1
    lines = [line for line in err.splitlines() if location in line]
    assert lines, f"no diagnostic at {location}:\n{err}"
    for part in parts:
        assert part in err, f"{part!r} not in:\n{err}"
    assert "Traceback" not in err
    assert "left as it was" in err
    assert tree_digest(briefing.output) == before


def test_check_writes_nothing_and_reports_errors(briefing, capsys):
    briefing.edit(FACTS, "[dock-union]", "[dock-unoin]")
    code, _, err = briefing.run("check", capsys=capsys)
    assert code == 1
    assert "unknown entity 'dock-unoin'" in err
    assert not briefing.output.exists()


def test_every_error_of_a_build_is_reported_at_once(briefing, capsys):
    briefing.edit(FACTS, "[dock-union]", "[dock-unoin]")
    briefing.edit(FACTS, 'date: "2024-21"', 'date: "spring"')
    briefing.edit("pages/overview.md", "[@union-count;", "[@union-cuont;")
    code, _, err = briefing.run(capsys=capsys)
    assert code == 1
    assert "Failed: 3 errors" in err
    numbered = [line for line in err.splitlines() if line[:3] in ("1. ", "2. ", "3. ")]
    assert len(numbered) == 3


def test_unused_records_are_warnings_and_errors_under_strict(briefing, capsys):
    briefing.edit("entities/all.yaml", "- id: dock-union\n",
                  "- id: idle-entity\n  name: Idle\n  kind: group\n- id: dock-union\n")
    briefing.edit("pages/overview.md", " [@union-count; @figures-disputed]", " [@union-count]")
    code, out, err = briefing.run(capsys=capsys)
    assert code == 0
    assert "entity 'idle-entity' is referred to by no fact" in err
    assert "fact 'figures-disputed' is cited by no page" in err
    assert "with 2 warnings" in out

    code, _, err = briefing.run("--strict", capsys=capsys)
    assert code == 1
    assert "Failed under --strict: 0 errors, 2 warnings" in err
    assert "content/entities/all.yaml:8:3: warning [id]: entity 'idle-entity'" in err


def test_a_source_nothing_cites_is_a_warning(briefing, capsys):
    briefing.write("sources/spare.yaml", "id: spare\ntitle: Spare\nkind: other\n"
                                         "publisher: null\npublished: null\n")
    code, _, err = briefing.run(capsys=capsys)
    assert code == 0
    assert "content/sources/spare.yaml:1:1: warning [id]: source 'spare' is used by no fact" in err


def test_hints_are_printed_under_their_message(briefing, capsys):
    briefing.edit(FACTS, "[dock-union]", "[dock-unoin]")
    _, _, err = briefing.run(capsys=capsys)
    lines = err.splitlines()
    at = next(i for i, line in enumerate(lines) if "dock-unoin" in line)
    assert lines[at].split(". ", 1)[1].startswith("content/facts/ships.yaml:18:17: error [attribution]:")
    assert lines[at + 1].strip() == "hint: did you mean 'dock-union'?"


def test_template_errors_name_the_template_line_and_leave_site_untouched(briefing, capsys,
                                                                           tmp_path):
    import shutil
    from conftest import ROOT
    from build import main
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    args = ["--content", str(briefing.content), "--output", str(briefing.output),
            "--templates", str(templates), "--assets", str(ROOT / "assets")]
    assert main(args) == 0
    before = tree_digest(briefing.output)
    timeline = templates / "timeline.html"
    timeline.write_text(timeline.read_text().replace('{{ each("timeline_entry", dated) }}',
                                                     "{{ dated[0].clam }}"))
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "timeline.html:" in err and "'clam'" in err
    assert tree_digest(briefing.output) == before


def test_a_hint_names_an_id_given_in_a_file_read_after_its_own(briefing):
    """Without memo, validate checks each file in turn and lets go of its parsed YAML, before
    every id is known: a file whose check found a problem is checked again once they are, so that
    its hint names an id given only in a later file."""
    (briefing.content / "facts" / "aaa.yaml").write_text(
        "- id: early-fact\n  claim: A fact read first.\n  status: claimed\n"
        "  attribution: []\n  related: [Union_Count]\n  citations:\n"
        "    - source: harbour-report\n      quote: about 40 ships\n")
    diagnostics = Diagnostics()
    raw = load_content(briefing.content, diagnostics)
    validate(raw, diagnostics)
    assert raw.files == []  # handed over, each let go once checked
    [found] = [d for d in diagnostics.items if "Union_Count" in d.message]
    assert found.hint == "did you mean 'union-count'?"


def test_a_diagnostic_kept_hash_is_not_pickled_and_equal_ones_hash_alike():
    # the hash is worked out once per object (rebuilds add the same warnings again); a string's
    # hash differs between processes, so one read back from the cache works it out anew
    import pickle
    from factsheet.errors import Diagnostic, Diagnostics, Location
    warning = Diagnostic("warning", Location("facts/a.yaml", 3, 1), "fact 'a' is cited by no page")
    found = Diagnostics()
    found.add(warning)
    copy = pickle.loads(pickle.dumps(warning))
    assert "_hash" not in copy.__dict__ and copy == warning and hash(copy) == hash(warning)
    found.add(copy)
    found.add(Diagnostic("warning", Location("facts/a.yaml", 4, 1), warning.message))
    assert len(found.items) == 2
