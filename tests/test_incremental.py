"""A build that reuses an earlier build's work (serve's Memo) is the same build: after every kind of
edit — a fact, a source, an entity, a document, a page, added, removed, renamed, broken and
fixed — the site written and the problems reported are exactly those of a fresh build."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SITES, tree_digest
from factsheet import resolve, splice, stamps, write
from factsheet.memo import Memo
from factsheet.pipeline import Paths, build
from factsheet.render import Renderer


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def first_line_with(path: Path, prefix: str) -> str:
    return next(line for line in path.read_text().splitlines() if line.strip().startswith(prefix))


ADDED_FACT = """\
- id: rescue-lift-added
  claim: The coastguard says Rescue 31 lifted both people from the water.
  status: claimed
  citations:
    - source: halvern-press-briefing
      quote: Rescue 31 lifted both of them from the water
      attribution: [halvern-coastguard, anna-voss]
"""

ADDED_ENTITY = """\
- id: harbour-pilot
  name: The harbour pilot
  kind: person
  description: A pilot of the port of Halvern, named in no source yet.
"""

ADDED_SOURCE = """\
id: harbour-notice
title: Notice to mariners
kind: report
publisher: null
published: null
document: harbour-notice.txt
language: en
notes: Fictional, added by a test and cited by no fact.
"""


def rename_document(c: Path) -> None:
    (c / "documents/meridian-pressemitteilung.txt").rename(c / "documents/meridian-release.txt")
    replace(c / "sources/meridian-press-release.yaml", "document: meridian-pressemitteilung.txt",
            "document: meridian-release.txt")

# Related to a fact of the fixture that no other fact is related to.
RELATED = "  related: [new-bridge-this-decade]\n"

# Linked both ways to facts of the fixture: removing it changes their lists of links.
LINKED_FACT = ADDED_FACT + """\
  related: [two-workers-rescued]
  contradicts: [seven-workers-on-bridge]
  about: [corvina-star]
"""

# Cited four times: one more citation than any fact of the fixture, so facts.csv gains columns.
MOST_CITED_FACT = ADDED_FACT + "".join(f"""\
    - source: halvern-press-briefing
      quote: Rescue 31 lifted both of them from the water
      attribution: [halvern-coastguard{who}]
      locator: {where}
""" for where, who in (("paragraph 13", ", anna-voss"), ("page 3", ""), ("paragraph 2", "")))

# A citation of another source than ADDED_FACT's, with a quote of its document.
SECOND_CITATION = """\
    - source: rsb-preliminary-report
      quote: On departure the vessel displaced nearly 116,000 tons (256 million pounds).
      attribution: []
      locator: page 1
"""

# Dated between two facts of collision.yaml: it joins a chunk in the middle of the lists.
DATED_FACT = ADDED_FACT.replace("  status: claimed\n",
                                "  status: claimed\n  date: \"2030-03-26T01:25:00\"\n")

# Each edit changes content/ in place; they run in this order, each on the result of the last.
EDITS = [
    ("a fact's claim", lambda c: replace(c / "facts/collision.yaml", "claim: ", "claim: Edited, ")),
    # the facts index and the timeline are spliced from chunks (splice.py): a fact that joins,
    # leaves or moves within them
    ("a dated fact added in the middle of the lists", lambda c: (
        c / "facts/added.yaml").write_text(DATED_FACT)),
    ("its date moved to the end", lambda c: replace(c / "facts/added.yaml", "2030-03-26T01:25",
                                                    "2030-04-29T01:25")),
    ("a fact's date moved to the start", lambda c: replace(
        c / "facts/aftermath.yaml", 'date: "2030-03-26"', 'date: "2030-03-01"')),
    ("that date back", lambda c: replace(c / "facts/aftermath.yaml", 'date: "2030-03-01"',
                                         'date: "2030-03-26"')),
    ("the fact in the middle removed", lambda c: (c / "facts/added.yaml").unlink()),
    ("a fact added", lambda c: (c / "facts/added.yaml").write_text(ADDED_FACT)),
    ("a fact file removed", lambda c: (c / "facts/added.yaml").unlink()),
    ("a broken key", lambda c: replace(c / "facts/steering.yaml", "status:", "statsu:")),
    ("the key fixed", lambda c: replace(c / "facts/steering.yaml", "statsu:", "status:")),
    ("an entity renamed", lambda c: replace(c / "entities/people.yaml", "name: ", "name: Dr ")),
    ("a source's title", lambda c: replace(c / "sources/rsb-preliminary-report.yaml",
                                           "title: ", "title: The ")),
    ("a document edited away from a quote", lambda c: (
        c / "documents/halvern-press-briefing.txt").write_text("Nothing of what was said.\n")),
    ("the document back", lambda c: shutil.copy2(
        SITES / "multisource/content/documents/halvern-press-briefing.txt",
        c / "documents/halvern-press-briefing.txt")),
    ("an entity added", lambda c: (c / "entities/added.yaml").write_text(ADDED_ENTITY)),
    ("the entity removed", lambda c: (c / "entities/added.yaml").unlink()),
    ("a source added", lambda c: ((c / "documents/harbour-notice.txt").write_text(
        "All vessels keep clear of the Tamsin Bridge.\n"),
        (c / "sources/added.yaml").write_text(ADDED_SOURCE))),
    ("the source removed", lambda c: ((c / "sources/added.yaml").unlink(),
                                      (c / "documents/harbour-notice.txt").unlink())),
    ("a document renamed", rename_document),
    ("a page edited", lambda c: replace(c / "pages/the-night.md", "\n\n", "\n\nA new paragraph.\n\n")),
    ("a page renamed", lambda c: (c / "pages/the-night.md").rename(c / "pages/that-night.md")),
    ("a citation broken", lambda c: replace(c / "pages/that-night.md", "[@", "[@missing-fact; @")),
    ("the citation fixed", lambda c: replace(c / "pages/that-night.md", "[@missing-fact; @", "[@")),
    ("the summary edited", lambda c: replace(c / "summary.md", "\n", "\nEdited summary line.\n")),
    ("site.yaml edited", lambda c: replace(c / "site.yaml", "title: ", "title: Edited ")),
    ("a template overridden", lambda c: Path("templates/fact.html").write_text(
        (ROOT / "templates/fact.html").read_text().replace("</article>", "<p>Ours.</p></article>"))),
    ("the override edited", lambda c: replace(Path("templates/fact.html"), "<p>Ours.</p>",
                                              "<p>Ours, edited.</p>")),
    ("the override removed", lambda c: Path("templates/fact.html").unlink()),
    # what each fact's exported line reads besides the fact (noted as it is made: listing.py)
    ("a fact with more citations than any", lambda c: (c / "facts/added.yaml").write_text(
        MOST_CITED_FACT)),
    ("that fact removed", lambda c: (c / "facts/added.yaml").unlink()),
    ("a relation added (the other fact's record lists it too)", lambda c: replace(
        c / "facts/collision.yaml", "  about: [corvina-star, meridian-linien]\n",
        "  about: [corvina-star, meridian-linien]\n  related: [steering-lost-after-blackout]\n")),
    ("a locator changed", lambda c: replace(c / "facts/steering.yaml", "locator: page 2",
                                            "locator: page 3")),
    ("a source's archived text dropped", lambda c: replace(
        c / "sources/halvern-press-briefing.yaml", "document: halvern-press-briefing.txt\n", "")),
    ("the archived text back", lambda c: shutil.copy2(
        SITES / "multisource/content/sources/halvern-press-briefing.yaml",
        c / "sources/halvern-press-briefing.yaml")),
    ("a fact given free-form extra data (a key the memo cannot hash)", lambda c: replace(
        c / "facts/collision.yaml", "  claim: ", "  extra: {desk: night}\n  claim: ")),
    # a date's problem is kept with its reading (validate._date_reader) and told again
    ("a date broken", lambda c: replace(c / "facts/aftermath.yaml", 'date: "2030-03-26"',
                                        'date: "26 March 2030"')),
    ("a page edited, the date still broken", lambda c: replace(
        c / "pages/that-night.md", "\n\n", "\n\nAnother paragraph.\n\n")),
    ("the date fixed", lambda c: replace(c / "facts/aftermath.yaml", 'date: "26 March 2030"',
                                         'date: "2030-03-26"')),
    # what a fact's kept checks (resolve.py) and a file's kept records (validate.py) read
    ("a line inserted above a file's facts (their places move, their values do not)",
     lambda c: replace(c / "facts/warnings.yaml", "- id: ", "# moved down a line\n- id: ")),
    ("the people removed (facts naming them name unknown ids)", lambda c: (
        c / "entities/people.yaml").rename("people.yaml")),
    ("a fact naming one added", lambda c: (c / "facts/added.yaml").write_text(ADDED_FACT)),
    ("a line inserted above its last key (where that key is moves, nothing else does)",
     lambda c: replace(c / "facts/added.yaml", "      attribution:",
                       "      # said twice\n      attribution:")),
    ("that fact removed again", lambda c: (c / "facts/added.yaml").unlink()),
    ("the people back", lambda c: Path("people.yaml").rename(c / "entities/people.yaml")),
    ("a kind site.yaml does not declare", lambda c: replace(
        c / "entities/things.yaml", "kind: vessel", "kind: barge")),
    ("the kind declared", lambda c: replace(c / "site.yaml", "  aircraft: Aircraft\n",
                                            "  aircraft: Aircraft\n  barge: Barges\n")),
    ("a base_url added", lambda c: replace(c / "site.yaml", "language: en",
                                           "base_url: https://example.org/tamsin/\nlanguage: en")),
    # what resolve keeps of each fact and puts into the site's lists (links.py)
    ("a fact's date changed (it moves on the timeline)", lambda c: replace(
        c / "facts/collision.yaml", 'date: "2030-03-26"', 'date: "2030-03-20"')),
    ("a fact dated after all the others", lambda c: replace(
        c / "facts/collision.yaml", 'date: "2030-03-20"', 'date: "2031-01-02"')),
    ("a quote shortened (its source's spans change)", lambda c: replace(
        c / "facts/collision.yaml", "quote: She carried 22 crew", "quote: carried 22 crew")),
    ("a fact linked both ways to others added", lambda c: (c / "facts/added.yaml").write_text(
        LINKED_FACT)),
    ("that fact removed (their links to it go)", lambda c: (c / "facts/added.yaml").unlink()),
    ("a fact's relation removed", lambda c: replace(
        c / "facts/aftermath.yaml", "  related: [four-missing-presumed-dead]\n", "")),
    ("a page's order changed (where it is among the pages citing a fact)", lambda c: replace(
        c / "pages/that-night.md", "order: 1\n", "order: 99\n")),
    ("a source's title edited and a citation broken at once (the build fails)", lambda c: (
        replace(c / "sources/rsb-preliminary-report.yaml", "title: ", "title: Edited "),
        replace(c / "pages/that-night.md", "[@", "[@missing-fact; @"))),
    ("the citation fixed (the title as edited)", lambda c: replace(
        c / "pages/that-night.md", "[@missing-fact; @", "[@")),
    # what validate keeps of each file and merges (validate._merged): ids across files
    ("a fact's id given again in another file", lambda c: (c / "facts/added.yaml").write_text(
        ADDED_FACT.replace("rescue-lift-added", "corvina-star-kestria-flagged"))),
    ("that file removed (the duplicate goes)", lambda c: (c / "facts/added.yaml").unlink()),
    # a malformed reference's hint names the closest id given (validate._Ids): an id given or
    # taken away in another file changes it, the file holding the reference unchanged
    ("a malformed reference to an entity no file gives", lambda c: replace(
        c / "facts/collision.yaml", "  about: [corvina-star, meridian-linien]\n",
        "  about: [corvina-star, meridian-linien, Harbour_Pilot]\n")),
    ("the entity it means added in another file (its hint names it)", lambda c: (
        c / "entities/added.yaml").write_text(ADDED_ENTITY)),
    ("that entity removed again", lambda c: (c / "entities/added.yaml").unlink()),
    ("the malformed reference removed", lambda c: replace(
        c / "facts/collision.yaml", ", Harbour_Pilot]", "]")),
    # what each page and exported line reads, kept in indexes from each part of the site to its
    # readers: a reader that starts reading a record, one removed and added again
    ("a fact added, citing one source", lambda c: (c / "facts/added.yaml").write_text(ADDED_FACT)),
    ("it cites a second source (its page and line read that one now)", lambda c: (
        c / "facts/added.yaml").write_text(ADDED_FACT + SECOND_CITATION)),
    ("that source's archived text dropped", lambda c: replace(
        c / "sources/rsb-preliminary-report.yaml", "document: rsb-preliminary-report.txt\n", "")),
    ("the fact removed", lambda c: (c / "facts/added.yaml").unlink()),
    ("the fact added again", lambda c: (c / "facts/added.yaml").write_text(
        ADDED_FACT + SECOND_CITATION)),
    ("the archived text back (read by the fact added again)", lambda c: shutil.copy2(
        SITES / "multisource/content/sources/rsb-preliminary-report.yaml",
        c / "sources/rsb-preliminary-report.yaml")),
    ("a template overridden again", lambda c: Path("templates/_macros.html").write_text(
        (ROOT / "templates/_macros.html").read_text().replace("</li>", " </li>"))),
    ("a fact's claim under it", lambda c: replace(c / "facts/collision.yaml", "claim: ",
                                                  "claim: Again, ")),
    ("that override removed", lambda c: Path("templates/_macros.html").unlink()),
    # the lines of long lists (render.Renderer.fragment) and their chunks outlive the builds
    # that show none of them: kept while nothing they read changes, dropped when something does
    ("a page edited (its build renders no timeline)", lambda c: replace(
        c / "pages/that-night.md", "\n\n", "\n\nA third paragraph.\n\n")),
    ("a fact's claim after it (the timeline's other lines as two builds ago)", lambda c: replace(
        c / "facts/collision.yaml", "claim: ", "claim: Once more, ")),
    ("related facts listed with their chains (lines no other list shows)", lambda c: Path(
        "templates/fact.html").write_text((ROOT / "templates/fact.html").read_text().replace(
            "fact_list(site.relations[fact.id])", "fact_list(site.relations[fact.id], chains=true)"))),
    ("a fact related to one no other fact is", lambda c: (c / "facts/added.yaml").write_text(
        ADDED_FACT + SECOND_CITATION + RELATED)),
    ("that relation removed and the other fact's claim edited (its line shown nowhere now)",
     lambda c: ((c / "facts/added.yaml").write_text(ADDED_FACT + SECOND_CITATION), replace(
         c / "facts/aftermath.yaml", "claim: Mayor Anna Voss promised", "claim: Anna Voss said"))),
    ("the relation back (its line shows the claim as edited)", lambda c: (
        c / "facts/added.yaml").write_text(ADDED_FACT + SECOND_CITATION + RELATED)),
    ("that override removed too", lambda c: Path("templates/fact.html").unlink()),
    # a fact page shows the titles of the pages citing it, and the home page their summaries:
    # each field of a page noted as read on its own (depends.WatchedRecord)
    ("a page's title edited (the fact pages citing it show it)", lambda c: replace(
        c / "pages/the-toll-and-the-town.md", "title: ", "title: Edited ")),
    ("its summary edited (the home page shows it)", lambda c: replace(
        c / "pages/the-toll-and-the-town.md", "summary: ", "summary: Edited, ")),
    # the home page's key numbers (Site.key_numbers): without key_facts, every fact's figures,
    # kept from the last build while the facts edited say none
    ("site.yaml's key facts removed (every fact's figures are key numbers)", lambda c: (
        c / "site.yaml").write_text((c / "site.yaml").read_text().partition("key_facts:")[0])),
    ("a claim edited (a fact saying no figure)", lambda c: replace(
        c / "facts/collision.yaml", "claim: ", "claim: Still, ")),
    ("a figure given to a fact that said none", lambda c: replace(
        c / "facts/warnings.yaml", "      locator: paragraph 6\n",
        "      locator: paragraph 6\n  quantities:\n    - {value: 2, unit: tugs, label: tugs}\n")),
    ("that figure changed", lambda c: replace(c / "facts/warnings.yaml", "{value: 2, unit: tugs",
                                              "{value: 3, unit: tugs")),
    ("the claim of a fact saying a figure edited", lambda c: replace(
        c / "facts/collision.yaml", "claim: According to the Board,", "claim: The Board says")),
    ("the figure taken away", lambda c: replace(
        c / "facts/warnings.yaml", "  quantities:\n    - {value: 3, unit: tugs, label: tugs}\n",
        "")),
    ("a fact added (the home page counts the facts)", lambda c: (
        c / "facts/added.yaml").write_text(ADDED_FACT)),
    ("a fact saying a figure moved to the end of the timeline", lambda c: replace(
        c / "facts/aftermath.yaml", 'date: "2030-03-26"', 'date: "2031-03-26"')),
    # the warnings for the facts no page cites (the fact added above), kept while the pages cite
    # the same facts (resolve._Resolver.uncited)
    ("a line inserted above the fact no page cites (its warning's place moves)", lambda c: (
        replace(c / "facts/added.yaml", "- id: ", "# moved down a line\n- id: "))),
    ("its claim edited", lambda c: replace(c / "facts/added.yaml", "claim: ", "claim: Edited, ")),
    ("a page cites it (its warning goes)", lambda c: replace(
        c / "pages/that-night.md", "\n\n", "\n\nBoth were lifted [@rescue-lift-added].\n\n")),
    ("the citation removed (its warning is back)", lambda c: replace(
        c / "pages/that-night.md", "\n\nBoth were lifted [@rescue-lift-added].\n\n", "\n\n")),
    # a page's record is the last build's while its file is (validate._pages): its problems too
    ("an unknown key in a page's front matter", lambda c: replace(
        c / "pages/that-night.md", "title: ", "colour: blue\ntitle: ")),
    ("a claim edited, that page as it was (its problem told again)", lambda c: replace(
        c / "facts/collision.yaml", "claim: ", "claim: Yet again, ")),
    ("the key removed", lambda c: replace(c / "pages/that-night.md", "colour: blue\n", "")),
]

# The edits after which the build fails, in order.
MEANT_TO_FAIL = ["a broken key", "a document edited away from a quote", "a citation broken",
                 "a date broken", "a page edited, the date still broken",
                 "the people removed (facts naming them name unknown ids)",
                 "a fact naming one added",
                 "a line inserted above its last key (where that key is moves, nothing else does)",
                 "that fact removed again", "a kind site.yaml does not declare",
                 "a source's title edited and a citation broken at once (the build fails)",
                 "a fact's id given again in another file",
                 "a malformed reference to an entity no file gives",
                 "the entity it means added in another file (its hint names it)",
                 "that entity removed again", "an unknown key in a page's front matter",
                 "a claim edited, that page as it was (its problem told again)"]


def pages(site: Path) -> dict[str, str]:
    return {path: digest for path, digest in tree_digest(site).items()
            if not path.startswith("pagefind/")}


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> tuple[Path, Memo]:
    """content/ (the multisource fixture) and an empty templates/ of the briefing's own in the
    current folder, built once into site/ with a fresh memo."""
    monkeypatch.chdir(tmp_path)
    # the fixture's lists are short: cut into chunks of about three, they are spliced (splice.py)
    monkeypatch.setattr(splice, "CHUNK", 3)
    shutil.copytree(SITES / "multisource" / "content", "content")
    Path("templates").mkdir()  # overrides of the built-in templates, added by some edits
    memo = Memo()
    build_into(Path("content"), Path("site"), memo)
    return Path("content"), memo


def build_into(content: Path, output: Path, memo: Memo | None, search_index: bool = True):
    paths = Paths(content, templates=Path("templates"), assets=ROOT / "assets", output=output)
    result = build(paths, memo=memo, search_index=search_index)
    return [d.format() for d in result.diagnostics.sorted()], result.ok


def test_each_edit_builds_as_a_fresh_build_would(workspace):
    content, memo = workspace
    failed = []
    for what, edit in EDITS:
        edit(content)
        reused = build_into(content, Path("reused"), memo)
        shutil.rmtree("fresh", ignore_errors=True)
        fresh = build_into(content, Path("fresh"), None)
        assert reused == fresh, what
        if fresh[1]:  # the same site, but for the search index (kept as serve began: write_site)
            assert pages(Path("reused")) == pages(Path("fresh")), what
        else:
            failed.append(what)
    # the failing builds are the edits meant to fail: their problems were compared too
    assert failed == MEANT_TO_FAIL


def test_the_memo_keeps_only_what_the_last_build_used(workspace):
    content, memo = workspace
    sizes = []
    for n in range(5):  # five different texts of one file: the older ones are dropped
        replace(content / "facts/collision.yaml", "claim: ", f"claim: {n} ")
        build_into(content, Path("site"), memo)
        sizes.append(len(memo))
    # (the first build also kept what resolve checked of every fact; links.py now keeps that;
    # the second takes the notes of the pages citing the fact from the first, except its own:
    # what only the others' notes used, the passages' text fragments, is not kept after it)
    assert sizes[1:] == sizes[1:2] * 4 and sizes[1] <= sizes[0]


def quotes_checked(monkeypatch) -> list[str]:
    """The facts whose quotes resolve checks from now on (links.py keeps the others')."""
    checked = []
    original = resolve._Resolver.quotes
    monkeypatch.setattr(resolve._Resolver, "quotes",
                        lambda self, fact, *rest: checked.append(fact.id) or
                        original(self, fact, *rest))
    return checked


def test_a_claim_edited_checks_that_fact_alone(workspace, monkeypatch):
    content, memo = workspace
    checked = quotes_checked(monkeypatch)
    replace(content / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    build_into(content, Path("site"), memo)
    assert checked == ["corvina-star-kestria-flagged"]


@pytest.mark.parametrize("what", ["yaml", "prose", "fold"])
def test_an_unchanged_file_is_not_parsed_again(workspace, monkeypatch, what):
    content, memo = workspace
    computed = []
    original = Memo.get

    def counting(self, step, key, compute):
        return original(self, step, key, lambda: computed.append(step) or compute())
    monkeypatch.setattr(Memo, "get", counting)
    replace(content / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    build_into(content, Path("site"), memo)
    assert computed.count("yaml") == 1  # the edited file alone
    assert computed.count(what) == (1 if what == "yaml" else 0)


def content_read(workspace, edit, monkeypatch) -> list[str]:
    """The content files a memoised build reads after `edit` (loader: the others' texts are
    kept from the last build, by their stat)."""
    content, memo = workspace
    edit(content)
    read: list[str] = []
    original = Path.read_bytes

    def counting(self):
        if self.is_relative_to(content):
            read.append(self.relative_to(content).as_posix())
        return original(self)
    monkeypatch.setattr(Path, "read_bytes", counting)
    build_into(content, Path("site"), memo)
    monkeypatch.setattr(Path, "read_bytes", original)
    return sorted(read)


ALWAYS_READ = ["site.yaml", "summary.md"]  # small, and not listed with the others


def test_a_rebuild_reads_only_the_files_saved_since(workspace, monkeypatch):
    monkeypatch.setattr(stamps, "RACY_NS", 0)  # the fixture was copied just before its build

    def burst(c: Path) -> None:  # several saves the watcher hands over at once
        replace(c / "facts/collision.yaml", "claim: ", "claim: Edited, ")
        replace(c / "pages/the-night.md", "\n\n", "\n\nA new paragraph.\n\n")
        with (c / "documents/halvern-press-briefing.txt").open("a") as document:
            document.write("A line added.\n")
    assert content_read(workspace, burst, monkeypatch) == sorted(
        ALWAYS_READ + ["facts/collision.yaml", "pages/the-night.md",
                       "documents/halvern-press-briefing.txt"])
    assert content_read(workspace, lambda c: None, monkeypatch) == ALWAYS_READ
    fresh = build_into(Path("content"), Path("fresh"), None)
    assert build_into(Path("content"), Path("site"), workspace[1]) == fresh
    assert pages(Path("site")) == pages(Path("fresh"))


def test_a_file_changed_just_before_it_was_read_is_read_again(workspace, monkeypatch):
    # its stat may be the same after a second change within the file system's clock tick
    assert "facts/collision.yaml" in content_read(workspace, lambda c: None, monkeypatch)


def rendered_after(workspace, edit, monkeypatch) -> list[str]:
    """The pages rendered again by a memoised build after `edit`."""
    content, memo = workspace
    edit(content)
    rendered: list[str] = []
    original = Renderer.render_one

    def counting(self, path, template, context):
        rendered.append(path)
        return original(self, path, template, context)
    monkeypatch.setattr(Renderer, "render_one", counting)
    build_into(content, Path("site"), memo)
    return rendered


def test_a_claim_edited_renders_only_the_pages_that_show_it(workspace, monkeypatch):
    rendered = rendered_after(workspace, lambda c: replace(c / "facts/collision.yaml", "claim: ",
                                                "claim: Edited, "), monkeypatch)
    first = next(line for line in (Path("content/facts/collision.yaml").read_text().splitlines())
                 if line.startswith("- id: "))[len("- id: "):]
    shown_on = [p.relative_to("site").as_posix() for p in Path("site").rglob("*.html")
                if "Edited, " in p.read_text()]
    assert sorted(rendered) == sorted(set(rendered))
    assert f"facts/{first}.html" in rendered
    # every page showing the new claim was rendered, and few others
    assert set(shown_on) <= set(rendered)
    assert len(rendered) < len(list(Path("site").rglob("*.html"))) / 2, rendered


def test_a_claim_edited_renders_no_home_page(workspace, monkeypatch):
    # the home page counts the facts and shows the key facts' figures: neither changed
    rendered = rendered_after(workspace, lambda c: replace(c / "facts/collision.yaml", "claim: ",
                                                "claim: Edited, "), monkeypatch)
    assert rendered and "index.html" not in rendered


def test_a_fact_added_renders_the_home_page_with_the_new_count(workspace, monkeypatch):
    def count() -> int:
        return int(re.search(r">(\d+) facts</a>", Path("site/index.html").read_text())[1])
    before = count()
    rendered = rendered_after(workspace, lambda c: (c / "facts/added.yaml").write_text(
        ADDED_FACT), monkeypatch)
    assert "index.html" in rendered and count() == before + 1


def test_the_warning_for_a_fact_no_page_cites_is_made_again_for_that_fact_alone(workspace,
                                                                                monkeypatch):
    content, memo = workspace
    (content / "facts/added.yaml").write_text(ADDED_FACT)
    build_into(content, Path("site"), memo)
    made = []
    original = resolve._Resolver.uncited_warning
    monkeypatch.setattr(resolve._Resolver, "uncited_warning",
                        lambda self, fact: made.append(fact.id) or original(self, fact))
    replace(content / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    assert "'rescue-lift-added' is cited by no page" in str(build_into(content, Path("site"), memo))
    assert made == []
    replace(content / "facts/added.yaml", "claim: ", "claim: Edited, ")
    assert "'rescue-lift-added' is cited by no page" in str(build_into(content, Path("site"), memo))
    assert made == ["rescue-lift-added"]


def test_a_claim_edited_twice_makes_that_facts_notes_alone_the_second_time(workspace,
                                                                            monkeypatch):
    # the pages citing the fact keep the notes of the other facts they cite from the build
    # before, which rendered them too (Renderer.note)
    content, memo = workspace
    made = []
    original = Renderer.macro
    monkeypatch.setattr(Renderer, "macro", lambda self, macro, record: (
        macro == "note_item" and made.append(record.fact_id), original(self, macro, record))[1])
    edited = first_line_with(content / "facts/collision.yaml", "- id: ")[len("- id: "):]
    replace(content / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    build_into(content, Path("site"), memo)
    assert edited in made and len(set(made)) > 1  # every note of those pages
    made.clear()
    replace(content / "facts/collision.yaml", "claim: ", "claim: Again, ")
    build_into(content, Path("site"), memo)
    shown_on = [path for path in Path("site/pages").glob("*.html") if "Again, " in path.read_text()]
    assert shown_on and made == [edited] * len(shown_on)
    # the notes kept are those pages' alone
    assert len(memo.carried["render"].notes) == sum(
        path.read_text().count('<li id="note-') for path in shown_on)


def test_a_claim_edited_after_a_page_makes_that_facts_lines_alone(workspace):
    # the page's build renders no list of every fact: their lines are kept all the same
    content, memo = workspace
    before = dict(memo.carried["render"].fragments)
    replace(content / "pages/the-night.md", "\n\n", "\n\nA new paragraph.\n\n")
    build_into(content, Path("site"), memo)
    replace(content / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    build_into(content, Path("site"), memo)
    first = first_line_with(content / "facts/collision.yaml", "- id: ")[len("- id: "):]
    after = memo.carried["render"].fragments
    made = {key for key, line in after.items() if before.get(key) is not line}
    assert made and {ident for _, ident, _ in made} == {first}, made


def test_a_page_body_edited_renders_no_fact_page(workspace, monkeypatch):
    # a fact page shows the title of each page citing it, not the page's text
    rendered = rendered_after(workspace, lambda c: replace(
        c / "pages/the-night.md", "\n\n", "\n\nA new paragraph.\n\n"), monkeypatch)
    assert "pages/the-night.html" in rendered
    assert not [path for path in rendered if path.startswith("facts/")], rendered


def test_a_claim_edited_keeps_the_maps_it_leaves_as_they_were(workspace):
    # a fact's chains, claimants and passages found again equal: the same maps, which
    # depends.changed_parts passes over without looking through them
    content, memo = workspace
    before = memo.carried["render"].site
    replace(content / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    build_into(content, Path("site"), memo)
    after = memo.carried["render"].site
    assert after.facts is not before.facts
    assert all(getattr(after, name) is getattr(before, name)
               for name in ("chains", "claimants", "passages", "conversions"))


def test_nothing_changed_renders_nothing(workspace, monkeypatch):
    assert rendered_after(workspace, lambda c: None, monkeypatch) == []


def test_a_memoised_build_writes_only_the_files_that_changed(workspace):
    content, memo = workspace
    before = {p: p.stat().st_ino for p in Path("site").rglob("*") if p.is_file()}
    replace(content / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    # as serve builds (its index is made in the background): with the index, a changed page
    # publishes the site whole with a new one (pipeline.write_site)
    build_into(content, Path("site"), memo, search_index=False)
    after = {p: p.stat().st_ino for p in Path("site").rglob("*") if p.is_file()}
    rewritten = sorted(p.as_posix() for p in after if after[p] != before.get(p))
    assert "site/facts/index.html" in rewritten
    assert 0 < len(rewritten) < len(after) / 4, rewritten
    assert not [p for p in Path("site").rglob("*.new-*")]  # no temporary file left


def long_files(memo: Memo) -> list[str]:
    """The files held as parts that the last write noted (write.Ledger): those it may copy."""
    return sorted(memo.carried["written"].written)


def test_a_long_file_is_written_from_the_unchanged_parts_of_the_last(workspace, monkeypatch):
    content, memo = workspace
    build_into(content, Path("site"), memo, search_index=False)  # now written as serve writes
    assert "facts/index.html" in long_files(memo)
    copied = []
    real = write.copy_range
    monkeypatch.setattr(write, "copy_range", lambda *a: copied.append(a) or real(*a))
    replace(content / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    build_into(content, Path("site"), memo, search_index=False)
    assert copied  # parts of the old facts index (and the like) copied, not inflated again
    build_into(content, Path("fresh"), None, search_index=False)
    assert pages(Path("site")) == pages(Path("fresh"))


def test_a_long_file_that_cannot_be_written_fails_the_rebuild_and_leaves_nothing_behind(
        workspace, monkeypatch):
    # the long files are written at once, each in a thread (write.update): one failing, the
    # others staged beside it are removed too, and the next build writes what is missing
    content, memo = workspace
    build_into(content, Path("site"), memo, search_index=False)
    assert len(long_files(memo)) > 1
    real = write.write_file

    def failing(target, path, *args):
        if path == "facts/index.html":
            raise OSError(28, "No space left on device")
        return real(target, path, *args)
    monkeypatch.setattr(write, "write_file", failing)
    replace(content / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    problems, ok = build_into(content, Path("site"), memo, search_index=False)
    assert not ok
    assert any("cannot write 'facts/index.html': No space left on device" in p for p in problems)
    assert not [path for path in Path("site").rglob("*") if ".new-" in path.name]
    monkeypatch.setattr(write, "write_file", real)
    assert build_into(content, Path("site"), memo, search_index=False)[1]
    build_into(content, Path("fresh"), None, search_index=False)
    assert pages(Path("site")) == pages(Path("fresh"))


@pytest.mark.parametrize("tamper", ["same size", "longer", "removed"])
def test_a_long_file_changed_behind_the_writes_back_is_not_copied_from(workspace, monkeypatch,
                                                                      tamper):
    content, memo = workspace
    build_into(content, Path("site"), memo, search_index=False)
    index = Path("site/facts/index.html")
    size = index.stat().st_size
    if tamper == "removed":
        index.unlink()
    else:
        index.write_bytes(b"x" * (size + (tamper == "longer")))
    replace(content / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    build_into(content, Path("site"), memo, search_index=False)
    build_into(content, Path("fresh"), None, search_index=False)
    assert pages(Path("site")) == pages(Path("fresh"))


def test_a_rebuild_says_which_files_it_wrote(workspace):
    content, memo = workspace
    paths = Paths(content, templates=Path("templates"), assets=ROOT / "assets",
                  output=Path("site"))
    build(paths, memo=memo, search_index=False)
    before = pages(Path("site"))
    replace(content / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    result = build(paths, memo=memo, search_index=False)
    after = pages(Path("site"))
    # what serve's log line counts: the files whose bytes changed, and those alone
    assert sorted(result.changed) == sorted(p for p in after if after[p] != before.get(p))
    assert "facts/index.html" in result.changed
