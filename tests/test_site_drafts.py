"""Issue 11, drafts in the site: facts and entities marked `draft: true` are left out of `build`,
shown (with a DRAFT badge, a Drafts page and their passages marked in the archived text) by
`build --drafts` and `serve`; published prose or a reviewed fact resting on a draft is warned.

The fixture (tests/sites/drafts) is the minimal one with three draft facts and one draft entity.
Pages are read with the small html.parser tree of test_multisource.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SITES, Briefing, report, tree_digest
from htmlcheck import broken_links
from test_multisource import parse

from factsheet.pipeline import Paths, build

DRAFT_FACTS = ["crane-installed", "dredging-planned", "forty-ships"]
DRAFT_ENTITY = "harbour-master"
DRAFT_CLAIMS = ["A new crane was installed", "Dredging is to begin", "About 40 ships docked."]


def copy(tmp_path: Path) -> Briefing:
    shutil.copytree(SITES / "drafts" / "content", tmp_path / "content")
    return Briefing(tmp_path)


def built(briefing: Briefing, drafts: bool, strict: bool = True):
    result = build(Paths(briefing.content, ROOT / "templates", ROOT / "assets", briefing.output),
                   strict=strict, drafts=drafts, search_index=False)
    return result


def messages(result) -> list[str]:
    return [item.format() for item in result.diagnostics.sorted()]


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The fixture built as `build` does: drafts left out."""
    briefing = copy(tmp_path_factory.mktemp("published"))
    result = built(briefing, drafts=False)
    assert result.ok and not result.diagnostics.items, messages(result)
    assert result.drafts_left_out == 4
    return briefing.output


@pytest.fixture(scope="module")
def with_drafts(tmp_path_factory) -> Path:
    """The fixture built as `build --drafts` does."""
    briefing = copy(tmp_path_factory.mktemp("with-drafts"))
    result = built(briefing, drafts=True)
    assert result.ok and not result.diagnostics.items, messages(result)
    assert result.drafts_left_out == 0
    return briefing.output


def badges(node) -> list:
    return node.find_all("span", "draft-badge")


# --- build: drafts left out -----------------------------------------------------------------

def test_build_writes_no_page_for_a_draft(published):
    for fact_id in DRAFT_FACTS:
        assert not (published / "facts" / f"{fact_id}.html").exists()
    assert not (published / "entities" / f"{DRAFT_ENTITY}.html").exists()
    assert not (published / "drafts.html").exists()
    assert (published / "facts" / "ships-docked.html").exists()


def test_build_shows_no_draft_anywhere(published):
    """Not in the indexes, timeline, source or entity pages (so not in the search index either,
    which is made from these pages), no badge and no link to a Drafts page."""
    for page in published.rglob("*.html"):
        tree = parse(page)
        text = tree.text(skip=lambda node: "document-text" in node.classes)  # the archived text
        for claim in DRAFT_CLAIMS + ["Ana Ruiz"]:
            assert claim not in text, f"{claim!r} in {page}"
        assert not badges(tree), page
        assert not tree.find_all("mark", "draft"), page
        hrefs = [a.attrs.get("href", "") for a in tree.find_all("a")]
        assert not [href for href in hrefs if href.endswith("drafts.html")]
    assert broken_links(published) == []


def test_build_exports_and_feed_hold_no_draft(published):
    facts = json.loads((published / "data" / "facts.json").read_text(encoding="utf-8"))
    entities = json.loads((published / "data" / "entities.json").read_text(encoding="utf-8"))
    ids = json.dumps([facts, entities])
    for draft in DRAFT_FACTS + [DRAFT_ENTITY]:
        assert f'"{draft}"' not in ids
        assert draft not in (published / "data" / "facts.csv").read_text(encoding="utf-8")
    feed = (published / "feed.xml").read_text(encoding="utf-8")
    assert "ships-docked" in feed and "crane-installed" not in feed  # both have `added`
    assert "crane-installed" not in (published / "sitemap.xml").read_text(encoding="utf-8")


def test_the_summary_line_counts_the_drafts_left_out(tmp_path, capsys):
    briefing = copy(tmp_path)
    code, out, err = briefing.run("build", "--strict", capsys=capsys)
    assert code == 0, err
    assert "(4 drafts left out; build --drafts to include them)." in out
    code, out, err = briefing.run("build", "--strict", "--drafts", capsys=capsys)
    assert code == 0, err
    assert "left out" not in out
    code, out, _ = briefing.run("check", capsys=capsys)
    assert "(4 drafts left out; check --drafts to include them)." in out


def test_a_briefing_without_drafts_says_nothing_of_them(briefing, capsys):
    code, out, _ = briefing.run("build", capsys=capsys)
    assert code == 0 and "left out;" not in out and "--drafts" not in out


# --- build --drafts: drafts shown, marked ---------------------------------------------------

def test_a_draft_fact_page_has_the_badge_and_says_what_a_draft_is(with_drafts):
    page = parse(with_drafts / "facts" / "crane-installed.html")
    kicker = page.find("p", "kicker")
    assert [b.words() for b in badges(kicker)] == ["Draft"]
    assert "not yet reviewed" in page.find("p", "draft-note").words()
    reviewed = parse(with_drafts / "facts" / "ships-docked.html")
    assert not badges(reviewed) and not reviewed.find_all("p", "draft-note")


@pytest.mark.parametrize("page", ["facts/index.html", "timeline.html",
                                  "sources/harbour-report.html", "entities/harbour-authority.html"])
def test_lists_of_facts_mark_each_draft(with_drafts, page):
    tree = parse(with_drafts / page)
    for link in tree.find_all("a"):
        href = link.attrs.get("href", "")
        fact_id = Path(href).stem if "/facts/" in f"/{href}" or href.startswith("../facts/") \
            else None
        if fact_id is None or "#" in href or link.parent.tag == "mark":
            continue
        line = link.parent
        assert bool(badges(line)) == (fact_id in DRAFT_FACTS), (page, fact_id)


def test_the_entity_page_and_index_mark_a_draft_entity(with_drafts):
    page = parse(with_drafts / "entities" / f"{DRAFT_ENTITY}.html")
    assert badges(page.find("p", "kicker"))
    index = parse(with_drafts / "entities" / "index.html")
    item = next(a for a in index.find_all("a") if a.words() == "Ana Ruiz").parent
    assert badges(item)


def test_the_drafts_page_lists_drafts_by_source_in_paragraph_order(with_drafts):
    page = parse(with_drafts / "drafts.html")
    section = page.find("section", **{"aria-labelledby": "drafts-harbour-report"})
    items = section.find("ol", "drafts").find_all("li")
    claims = [item.find("p", "draft-claim").find("a").attrs["href"] for item in items]
    assert claims == ["facts/forty-ships.html", "facts/crane-installed.html",
                      "facts/dredging-planned.html"]
    first = items[0]
    assert first.find("blockquote").words() == "about 40 ships docked"
    where = first.find("p", "draft-where").find("a")
    assert where.attrs["href"] == "sources/harbour-report.html#quote-forty-ships-1"
    assert where.words() == "Paragraph 1 of the archived text"
    entities = page.find("section", **{"aria-labelledby": "draft-entities"})
    assert [a.words() for a in entities.find_all("a")] == ["Ana Ruiz"]
    assert broken_links(with_drafts) == []


def test_the_nav_links_the_drafts_page_when_drafts_are_shown(with_drafts):
    nav = parse(with_drafts / "index.html").find("nav")
    assert "drafts.html" in [a.attrs["href"] for a in nav.find_all("a")]


def test_the_archived_text_marks_drafted_passages_apart(with_drafts):
    page = parse(with_drafts / "sources" / "harbour-report.html")
    drafted = page.find("div", "document-text").find_all("mark", "draft")
    linked = {mark.find("a").attrs["href"] for mark in drafted}
    assert linked == {f"../facts/{f}.html" for f in DRAFT_FACTS}
    for mark in drafted:  # said in words too, not by colour alone
        assert mark.find("span", "visually-hidden").words() == "Draft:"
        assert mark.find("a").attrs["title"].startswith("Draft, not yet reviewed: ")
    reviewed = [m for m in page.find("div", "document-text").find_all("mark")
                if "draft" not in m.classes]
    assert {m.find("a").attrs["href"] for m in reviewed} == \
        {"../facts/ships-docked.html", "../facts/union-count.html",
         "../facts/figures-disputed.html"}
    legend = page.find("p", "explain")
    assert legend.find("mark", "draft").words() == "passage outlined with dashes"


# --- a draft that something published rests on ----------------------------------------------

CITING = "The crane is new [@crane-installed].\n"


@pytest.mark.parametrize("drafts", [False, True])
def test_prose_citing_a_draft_is_one_warning_with_its_location(tmp_path, drafts):
    briefing = copy(tmp_path)
    briefing.edit("pages/overview.md", "## Again\n", f"## Again\n\n{CITING}")
    result = built(briefing, drafts=drafts, strict=False)
    assert result.ok, messages(result)
    found = messages(result)
    assert len(found) == 1, found
    assert found[0].startswith(
        f"{briefing.content / 'pages/overview.md'}:10:18: warning [citation]: page 'overview' "
        "cites draft fact 'crane-installed': published prose must not rest on an unreviewed "
        "fact"), found
    page = parse(briefing.output / "pages" / "overview.html")
    notes = page.find("section", "notes")
    if drafts:
        assert badges(notes)
    else:  # the note says what became of it, and every link still lands
        assert "left out of this build" in notes.words()
        assert broken_links(briefing.output) == []


def test_prose_citing_a_draft_fails_under_strict(tmp_path, capsys, monkeypatch):
    briefing = copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    briefing.edit("pages/overview.md", "## Again\n", f"## Again\n\n{CITING}")
    code, out, err = briefing.run("build", "--strict", capsys=capsys)
    assert code == 1
    assert [m for m, _ in report(err)] == [
        "content/pages/overview.md:10:18: warning [citation]: page 'overview' cites draft fact "
        "'crane-installed': published prose must not rest on an unreviewed fact"]
    assert "Failed under --strict: 0 errors, 1 warning" in err


@pytest.mark.parametrize("drafts", [False, True])
def test_a_reviewed_fact_related_to_a_draft_is_warned_and_the_link_dropped(tmp_path, drafts):
    briefing = copy(tmp_path)
    briefing.edit("facts/ships.yaml", "  related: [union-count]\n",
                  "  related: [union-count, crane-installed]\n")
    result = built(briefing, drafts=drafts, strict=False)
    found = messages(result)
    assert result.ok and len(found) == 1, found
    assert "warning [related]: fact 'figures-disputed' refers to draft fact 'crane-installed'" \
        in found[0]
    related = (briefing.output / "facts" / "figures-disputed.html").read_text(encoding="utf-8")
    assert ("crane-installed.html" in related) == drafts


def test_a_draft_entity_a_reviewed_fact_names_is_warned_and_kept(tmp_path):
    """Leaving it out would change who the published fact says said it."""
    briefing = copy(tmp_path)
    briefing.edit("facts/ships.yaml", "  attribution: [dock-union]\n",
                  "  attribution: [harbour-master, dock-union]\n")
    result = built(briefing, drafts=False, strict=False)
    found = messages(result)
    assert result.ok and len(found) == 1, found
    assert "warning [attribution]: fact 'union-count' refers to draft entity 'harbour-master'" \
        in found[0]
    assert result.drafts_left_out == 3
    page = parse(briefing.output / "entities" / "harbour-master.html")
    assert badges(page.find("p", "kicker"))  # still a draft, and says so


def test_a_reference_to_a_left_out_draft_of_the_wrong_kind_is_one_error(tmp_path):
    briefing = copy(tmp_path)
    briefing.edit("facts/ships.yaml", "  about: [harbour-authority]\n",
                  "  about: [harbour-authority, crane-installed]\n")
    result = built(briefing, drafts=False, strict=False)
    found = messages(result)
    assert len(found) == 1 and "error [about]" in found[0], found
    assert "'crane-installed' is a fact; 'about' takes entity ids" in found[0]


# --- serve: a draft reviewed or added while the preview runs --------------------------------

REVIEWS = [
    ("a draft fact reviewed", "facts/drafts.yaml", "  status: reported\n  draft: true\n",
     "  status: reported\n"),
    ("a reviewed fact made a draft", "facts/ships.yaml", "  status: claimed\n",
     "  status: claimed\n  draft: true\n"),
    ("the draft entity reviewed", "entities/all.yaml", "  draft: true\n", ""),
]


def test_a_memoised_drafts_build_after_each_review_is_a_fresh_build(tmp_path, monkeypatch):
    """serve rebuilds with a memo and drafts shown: after each edit its pages are those of a
    fresh build, down to the Drafts page and the nav that links it."""
    from factsheet.memo import Memo
    monkeypatch.chdir(tmp_path)
    briefing = copy(tmp_path)
    memo = Memo()

    def build_into(output: str, memo):
        paths = Paths(briefing.content, ROOT / "templates", ROOT / "assets", tmp_path / output)
        result = build(paths, memo=memo, drafts=True, search_index=False)
        return messages(result), result.ok

    build_into("site", memo)
    for what, relative, old, new in REVIEWS:
        briefing.edit(relative, old, new)
        reused = build_into("site", memo)
        shutil.rmtree(tmp_path / "fresh", ignore_errors=True)
        assert reused == build_into("fresh", None), what
        site = {p: d for p, d in tree_digest(tmp_path / "site").items() if p.endswith(".html")}
        fresh = {p: d for p, d in tree_digest(tmp_path / "fresh").items() if p.endswith(".html")}
        assert site == fresh, what
    briefing.edit("facts/drafts.yaml", "  draft: true\n", "")
    briefing.edit("facts/drafts.yaml", "  draft: true\n", "")
    briefing.edit("facts/ships.yaml", "  draft: true\n", "")
    build_into("site", memo)
    assert not (tmp_path / "site" / "drafts.html").exists()  # no draft left: no Drafts page


@pytest.mark.parametrize("drafts", [False, True])
def test_key_facts_naming_a_draft_is_one_warning(tmp_path, drafts):
    briefing = copy(tmp_path)
    briefing.edit("site.yaml", "language: en\n",
                  "language: en\nkey_facts: [ships-docked, forty-ships]\n")
    result = built(briefing, drafts=drafts, strict=False)
    found = messages(result)
    assert result.ok and len(found) == 1, found
    assert "warning [key_facts]: site.yaml refers to draft fact 'forty-ships'" in found[0]
    assert (briefing.output / "facts" / "forty-ships.html").exists() == drafts
