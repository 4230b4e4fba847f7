"""The multi-source fixture (tests/sites/multisource, content format v2, issue 6), built with
build.py's main and read back from the HTML: each feature its README maps to a fact or a file.

The fixture is built once per module (`site`); tests that change the content copy it again
(`multisource`). Pages are parsed with a small tree built on the stdlib html.parser.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SITES, Briefing, build_cli, tree_digest
from htmlcheck import broken_links

FIXTURE = SITES / "multisource" / "content"
REPORT = ("Contact of the containership Corvina Star with the Tamsin Bridge, Port Halvern, "
          "26 March 2030")
BRIEFING = "Press briefing on the collapse of the Tamsin Bridge"
PRESS_RELEASE = "Havarie der Corvina Star an der Tamsin-Brücke"
BLOG = "Tamsin Bridge collapse: live updates"


# --- a small element tree over html.parser ---------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: "Node | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list["Node | str"] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self, skip=lambda node: False) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif not skip(child):
                parts.append(child.text(skip))
        return "".join(parts)

    def words(self, skip=lambda node: False) -> str:
        """The text with runs of white space made one space."""
        return " ".join(self.text(skip).split())

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list["Node"]:
        return [n for n in self.iter()
                if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
                and all(n.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> "Node":
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'} class={cls!r} {attrs}> in <{self.tag}>"
        return found[0]

    def next_sibling(self) -> "Node":
        siblings = [c for c in self.parent.children if isinstance(c, Node)]
        return siblings[siblings.index(self) + 1]

    def ancestor(self, cls: str) -> "Node | None":
        node = self.parent
        while node is not None and cls not in node.classes:
            node = node.parent
        return node


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(path: Path) -> Node:
    builder = TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    return builder.root


# --- building the fixture --------------------------------------------------------------------

def run_build(briefing: Briefing, *args: str) -> tuple[int, str, str]:
    """build.py's main over the copy, with the argument list conftest.Briefing uses, from the
    copy's folder (so locations read content/…)."""
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(briefing.root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = build_cli.main([*args, "--content", str(briefing.content),
                                   "--output", str(briefing.output),
                                   "--templates", str(ROOT / "templates"),
                                   "--assets", str(ROOT / "assets")])
    finally:
        os.chdir(cwd)
    return code, out.getvalue(), err.getvalue()


def copy_fixture(folder: Path) -> Briefing:
    shutil.copytree(FIXTURE, folder / "content")
    return Briefing(folder)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture copied and built once: (briefing, exit code, stdout, stderr)."""
    briefing = copy_fixture(tmp_path_factory.mktemp("multisource"))
    code, out, err = run_build(briefing)
    return briefing, code, out, err


@pytest.fixture(scope="module")
def site(built) -> Path:
    briefing, code, out, err = built
    assert code == 0, out + err
    return briefing.output


@pytest.fixture
def multisource(tmp_path) -> Briefing:
    """A fresh copy that a test may change."""
    return copy_fixture(tmp_path)


def page(site: Path, relative: str) -> Node:
    return parse(site / relative)


def fact_meta(site: Path, fact: str) -> dict[str, Node]:
    """The fact page's <dl class="fact-meta">: {dt text: dd node}."""
    dl = page(site, f"facts/{fact}.html").find("dl", "fact-meta")
    return {dt.words(): dt.next_sibling() for dt in dl.find_all("dt")}


def chain_of(site: Path, fact: str) -> Node:
    return fact_meta(site, fact)["According to"].find("span", "chain")


def quantity_rows(site: Path, fact: str) -> list[tuple[str, str, str]]:
    table = page(site, f"facts/{fact}.html").find("table", "quantities")
    return [tuple(td.words() for td in tr.find_all("td")) for tr in table.find("tbody").find_all("tr")]


def link_targets(node: Node, base: str) -> list[str]:
    """The hrefs under node, made relative to the site's root from a page in folder base."""
    return [os.path.normpath(os.path.join(base, a.attrs["href"])) for a in node.find_all("a")]


def document_text(site: Path, source: str) -> Node:
    return page(site, f"sources/{source}.html").find("div", "document-text")


def positions(document: Node) -> dict[str, tuple[int | None, int | None]]:
    """{id: (paragraph number, page number)} for every id inside an archived text, in document
    order: the paragraph is the enclosing <p class="paragraph">, the page the last page break
    (block or inline) seen before the element."""
    where, page_number = {}, None
    for node in document.iter():
        if "page-break" in node.classes:
            page_number = int(node.attrs["id"].removeprefix("page-"))
        paragraph = node if "paragraph" in node.classes else node.ancestor("paragraph")
        number = int(paragraph.attrs["id"][1:]) if paragraph is not None else None
        if "id" in node.attrs:
            where[node.attrs["id"]] = (number, page_number)
    return where


def paragraph_words(paragraph: Node) -> str:
    """A numbered paragraph's text without its margin number."""
    return paragraph.words(skip=lambda n: "para-number" in n.classes)


def fixture_facts() -> dict[str, dict]:
    facts = {}
    for path in sorted((FIXTURE / "facts").glob("*.yaml")):
        for fact in yaml.safe_load(path.read_text(encoding="utf-8")):
            facts[fact["id"]] = fact
    return facts


# --- the build as a whole --------------------------------------------------------------------

WARNINGS = [
    "content/facts/warnings.yaml:11:11: warning [status]: fact 'rescue-within-twenty-minutes' "
    "is 'confirmed' but rests on 1 independent claimant: Halvern Coastguard",
    "content/facts/warnings.yaml:45:7: warning [converted]: conversion in fact "
    "'main-span-366-metres' does not hold: 366 metres is 1,201 feet, not 1,300 feet "
    "(which allows 1,250–1,350)",
    "content/facts/warnings.yaml:59:14: warning [quote]: quote of fact 'rudder-fixed-no-locator': "
    "the quote occurs 2 times: paragraph 4 (page 1), paragraph 16 (page 4)",
    "content/facts/warnings.yaml:77:16: warning [locator]: quote of fact 'tugs-eleven-minutes': "
    "locator says paragraph 6, but the quote is in paragraph 7 (page 2)",
]


def numbered_diagnostics(err: str) -> list[str]:
    return [re.sub(r"^\d+\. ", "", line) for line in err.splitlines() if re.match(r"\d+\. ", line)]


def test_the_fixture_builds_with_exactly_its_four_warnings(built):
    briefing, code, out, err = built
    assert code == 0, err
    assert numbered_diagnostics(err) == WARNINGS
    assert "error" not in err.replace("errors", "")
    assert out.startswith("Built 53 pages into ") and "with 4 warnings" in out


def test_the_warnings_carry_hints_that_name_the_fix(built):
    err = built[3]
    assert "hint: add a locator that picks one: 'page 1' or 'page 4'" in err
    assert "hint: change the locator to 'paragraph 7'" in err


def test_strict_fails_on_the_four_warnings(multisource):
    code, out, err = run_build(multisource, "check", "--strict")
    assert code == 1
    assert numbered_diagnostics(err) == WARNINGS
    assert "Failed under --strict: 0 errors, 4 warnings" in err


def test_without_the_warning_facts_and_their_page_the_strict_build_is_clean(multisource):
    (multisource.content / "facts" / "warnings.yaml").unlink()
    (multisource.content / "pages" / "warnings.md").unlink()
    code, out, err = run_build(multisource, "--strict")
    assert (code, err) == (0, "")
    assert "Built 48 pages" in out and "with 0 warnings" in out
    assert not (multisource.output / "facts" / "rudder-fixed-no-locator.html").exists()


def test_the_build_is_byte_identical_from_one_build_to_the_next(multisource):
    assert run_build(multisource)[0] == 0
    first = tree_digest(multisource.output)
    assert run_build(multisource)[0] == 0
    assert tree_digest(multisource.output) == first


def test_every_link_and_fragment_resolves(site):
    assert broken_links(site) == []


# --- attribution per citation ----------------------------------------------------------------

def test_two_citations_with_different_chains_each_show_their_own(site):
    chain = chain_of(site, "power-lost-before-collision")
    # the mayor, via the transcript; the report in its own voice: not "Anna Voss, via A; and B"
    assert chain.words() == f"Anna Voss, via {BRIEFING}; {REPORT} (in its own voice)"
    assert link_targets(chain, "facts") == ["entities/anna-voss.html",
                                            "sources/halvern-press-briefing.html",
                                            "sources/rsb-preliminary-report.html"]
    own_voice = chain.find_all("span", "own-voice")
    assert len(own_voice) == 1
    # "(in its own voice)" follows the report, the citation whose chain is empty
    assert chain.text().index(REPORT) < chain.text().index("(in its own voice)")
    assert chain.text().index(BRIEFING) < chain.text().index(REPORT)


def test_a_source_cited_three_times_is_named_once(site):
    chain = chain_of(site, "steering-lost-after-blackout")
    assert chain.words() == f"{REPORT} (in its own voice)"
    assert len(chain.find_all("cite")) == 1
    # the three citations are all on the page, each with its own page
    figures = page(site, "facts/steering-lost-after-blackout.html").find_all("figure", "citation")
    assert [f.find("figcaption").words().split(", ")[-1].split(".")[0] for f in figures] == \
        ["page 2", "page 3", "page 4"]


def test_several_sources_each_in_its_own_voice(site):
    chain = chain_of(site, "crew-and-pilots-aboard")
    assert chain.words() == f"{REPORT} and {PRESS_RELEASE} (each in its own voice)"
    assert chain.words().count("own voice") == 1


def test_a_chain_of_two_entities_before_the_source(site):
    chain = chain_of(site, "regional-losses-estimate")
    assert chain.words() == f"Halvern Chamber of Commerce, via Anna Voss, via {BRIEFING}"
    assert "own voice" not in chain.words()


def test_a_chain_of_one_entity_says_no_own_voice(site):
    assert chain_of(site, "four-missing-presumed-dead").words() == f"Anna Voss, via {BRIEFING}"
    assert chain_of(site, "seven-workers-on-bridge").words() == f"{BLOG} (in its own voice)"


def test_the_same_chains_on_the_timeline_and_in_the_notes_of_pages(site):
    chains = {}
    for path in sorted((site / "facts").glob("*.html")):
        if path.name != "index.html":
            chain = chain_of(site, path.stem)
            chains[path.stem] = (chain.words(), link_targets(chain, "facts"))
    seen_on_timeline = 0
    for item in page(site, "timeline.html").find("ol", "timeline").find_all("li"):
        fact = Path(item.find("p", "what").find("a").attrs["href"]).stem
        chain = item.find("p", "who").find("span", "chain")
        assert (chain.words(), link_targets(chain, ".")) == chains[fact], fact
        seen_on_timeline += 1
    assert seen_on_timeline == 22  # the 26 facts but the 4 with neither date nor as_of
    seen_in_notes = set()
    for relative in ("index.html", "pages/the-night.html", "pages/the-toll-and-the-town.html",
                     "pages/warnings.html"):
        base = os.path.dirname(relative) or "."
        for note in page(site, relative).find("section", "notes").find_all("li"):
            fact = Path(note.find("p", "note-claim").find("a").attrs["href"]).stem
            chain = note.find("p", "note-chain").find("span", "chain")
            assert (chain.words(), link_targets(chain, base)) == chains[fact], (relative, fact)
            seen_in_notes.add(fact)
    assert seen_in_notes == set(chains)  # every fact is cited on some page


# --- independent confirmation ----------------------------------------------------------------

def claimants(site: Path, fact: str) -> str:
    return fact_meta(site, fact)["Independent sources"].words()


def test_independent_sources_are_counted_and_named(site):
    assert claimants(site, "power-lost-before-collision") == \
        f"2 independent sources: Anna Voss; {REPORT}"
    assert claimants(site, "crew-and-pilots-aboard") == \
        f"2 independent sources: {REPORT}; {PRESS_RELEASE}"
    # the coastguard relayed by the mayor and by the Courier is one claimant, not two
    assert claimants(site, "rescue-within-twenty-minutes") == \
        "1 independent source: Halvern Coastguard"
    # the original claimant is the start of the chain, not the one who relays it
    assert claimants(site, "regional-losses-estimate") == \
        "1 independent source: Halvern Chamber of Commerce"
    assert claimants(site, "steering-lost-after-blackout") == f"1 independent source: {REPORT}"


def test_confirmed_with_two_independent_claimants_gives_no_warning(built):
    err = built[3]
    assert "power-lost-before-collision" not in err
    assert "crew-and-pilots-aboard" not in err


def test_a_second_independent_claimant_lifts_the_confirmation_warning(multisource):
    multisource.edit("facts/warnings.yaml", "      attribution: [halvern-coastguard]\n",
                     "      attribution: []\n")
    code, out, err = run_build(multisource, "check")
    assert code == 0
    assert "rescue-within-twenty-minutes" not in err
    assert len(numbered_diagnostics(err)) == 3


# --- as_of -----------------------------------------------------------------------------------

def test_as_of_is_shown_beside_the_date_on_the_fact_page(site):
    meta = fact_meta(site, "four-missing-presumed-dead")
    assert meta["Date"].find("span", "date").words() == "26 Mar 2030"
    assert meta["As of"].find("span", "date").words() == "27 Mar 2030"
    assert meta["As of"].find("time").attrs["datetime"] == "2030-03-27"
    only_as_of = fact_meta(site, "regional-losses-estimate")
    assert only_as_of["Date"].words() == "Not given by the source."
    assert only_as_of["As of"].find("span", "date").words() == "27 Mar 2030"
    assert "As of" not in fact_meta(site, "bow-struck-pier-17")


def timeline_items(site: Path) -> list[tuple[str, str]]:
    """(fact id, when) for each timeline item, in order."""
    items = page(site, "timeline.html").find("ol", "timeline").find_all("li")
    return [(Path(li.find("p", "what").find("a").attrs["href"]).stem, li.find("p", "when").words())
            for li in items]


def test_the_timeline_places_an_as_of_only_fact_by_its_as_of(site):
    items = timeline_items(site)
    order = [fact for fact, _ in items]
    assert dict(items)["regional-losses-estimate"] == "as of 27 Mar 2030"
    # after the facts of 27 March 2030, before the range that starts on 28 March
    assert order.index("mayor-says-six-not-seven") < order.index("regional-losses-estimate") \
        < order.index("ferry-provisional-dates")


def test_a_quantity_carries_its_own_as_of(site):
    assert quantity_rows(site, "vessels-waiting-channel-closed")[0][:2] == \
        ("vessels waiting in port", "21 vessels as of 27 Mar 2030, 09:00:00")
    rows = quantity_rows(site, "four-missing-presumed-dead")
    assert rows[0][1] == "6 road workers"  # the first quantity has no as_of
    assert rows[1][1] == "4 road workers as of 27 Mar 2030"


# --- quantities, numbers and conversions ------------------------------------------------------

def test_quantity_ranges_and_numbers_in_words(site):
    assert quantity_rows(site, "regional-losses-estimate")[0][1] == "4.3–5.2 billion US dollars"
    speed = quantity_rows(site, "speed-8-to-10-knots")
    assert [row[1] for row in speed] == ["8–10 knots", "15–18.5 km/h"]
    displacement = quantity_rows(site, "displacement-nearly-116000-tons")
    assert [row[1] for row in displacement] == ["nearly 116,000 tons", "nearly 256 million pounds"]
    span = quantity_rows(site, "main-span-366-metres")
    assert [row[1] for row in span] == ["366 metres", "1,300 feet"]


def test_a_conversion_with_an_ambiguous_unit_says_which_reading_fits(site):
    note = quantity_rows(site, "displacement-nearly-116000-tons")[1][2]
    assert note == "conversion given by the source; checked: it holds reading the units as metric tons"


def test_a_range_conversion_that_holds(site):
    assert quantity_rows(site, "speed-8-to-10-knots")[1][2] == \
        "conversion given by the source; checked: it holds"
    assert quantity_rows(site, "speed-8-to-10-knots")[0][2] == ""


def test_a_conversion_that_does_not_hold_shows_both_figures_and_the_computed_value(site, built):
    note = quantity_rows(site, "main-span-366-metres")[1][2]
    assert "checked: it does not hold" in note
    assert "366 metres is 1,201 feet, not 1,300 feet" in note
    failing = page(site, "facts/main-span-366-metres.html").find("strong", "conversion-fails")
    assert failing.words() == "checked: it does not hold"
    assert WARNINGS[1] in numbered_diagnostics(built[3])


def test_units_the_library_does_not_know_are_not_checked_and_not_an_error(built, site):
    err = built[3]
    for fact in ("regional-losses-estimate", "four-missing-presumed-dead",
                 "vessels-waiting-channel-closed", "steering-alarms-by-1-march"):
        assert fact not in err
        assert all("checked" not in row[2] for row in quantity_rows(site, fact)), fact


# --- dates -----------------------------------------------------------------------------------

DATES_IN_WORDS = {
    "bow-struck-pier-17": "26 Mar 2030, 01:29:09",                   # a time of day
    "final-report-second-half-2030": "second half of 2030",           # 2030-41, a semester
    "ferry-provisional-dates": "28 Mar – 10 Jun 2030 (uncertain)",    # shared qualifier once
    "new-bridge-this-decade": "2030s",                                # 203X
    "switchboard-overhaul-month-illegible": "the 3rd of an unknown month of 2029",  # 2029-XX-03
    "control-unit-replaced-2029-or-2030": "2029 or 2030",             # [2029,2030]
    "steering-alarms-by-1-march": "by 1 Mar 2030",                    # ../2030-03-01
    "vessels-waiting-channel-closed": "from 26 Mar 2030",             # 2030-03-26/..
}


@pytest.mark.parametrize("fact", sorted(DATES_IN_WORDS))
def test_each_edtf_form_of_the_fixture_renders_in_words(site, fact):
    expected = DATES_IN_WORDS[fact]
    assert fact_meta(site, fact)["Date"].find("span", "date").words() == expected
    # the same words on the timeline (before the date-note marker) and in the fact lists
    when = dict(timeline_items(site))[fact]
    assert when.removesuffix("*") == expected


def test_the_shared_qualifier_of_a_range_is_said_once(site):
    words = fact_meta(site, "ferry-provisional-dates")["Date"].find("span", "date").words()
    assert words.count("uncertain") == 1
    assert words.count("2030") == 1


RAW_EDTF = re.compile(r"\d{4}-\d\d|\d{3}X|X{2}|\[|\]|\{|\.\.|\?|~|%|/|\dT\d|season \d")


def test_no_date_anywhere_in_the_site_renders_as_raw_edtf(site):
    raw = []
    for path in sorted(site.rglob("*.html")):
        for date in parse(path).find_all("span", "date"):
            words = date.words(skip=lambda n: "inferred" in n.classes)
            if RAW_EDTF.search(words):
                raw.append(f"{path.relative_to(site)}: {words}")
    assert raw == []


def test_same_day_facts_are_in_time_order_on_the_timeline(site):
    order = [fact for fact, _ in timeline_items(site)]
    # their ids sort the other way round
    assert order.index("power-blackout-at-01-24-52") < order.index("port-anchor-ordered-01-28-30") \
        < order.index("bow-struck-pier-17")
    stamps = [t.attrs["datetime"] for t in page(site, "timeline.html").find("ol", "timeline")
              .find_all("time")]
    assert stamps == sorted(stamps)
    # the day-only facts of 26 March 2030 sit beside the timed ones: one run, no gap
    days = [i for i, (_, when) in enumerate(timeline_items(site)) if when.startswith("26 Mar 2030")]
    assert days == list(range(days[0], days[0] + len(days)))
    assert len(days) == 13


# --- kinds and languages ---------------------------------------------------------------------

def test_new_and_declared_entity_kinds_have_their_headings_on_the_entities_index(site):
    index = page(site, "entities/index.html")
    sections = {}
    for section in index.find_all("section"):
        heading = section.find("h2")
        sections[heading.words()] = [Path(a.attrs["href"]).stem for a in section.find_all("a")]
    assert sections["Vessels"] == ["corvina-star"]
    assert sections["Events"] == ["tamsin-bridge-collapse"]
    assert sections["Equipment and objects"] == ["corvina-star-steering-gear"]
    assert sections["Aircraft"] == ["rescue-31"]
    assert sections["Places"] == ["port-halvern", "tamsin-bridge"]  # no ship filed as a place
    assert sections["Publications"] == ["halvern-courier"]
    assert sections["People"] == ["anna-voss", "jonas-brandt"]
    assert page(site, "entities/corvina-star.html").find("p", "kicker").words() == "Vessel"
    assert page(site, "entities/rescue-31.html").find("p", "kicker").words() == "Aircraft"


def test_the_declared_kind_entity_is_linked_from_the_fact_it_is_about(site):
    about = fact_meta(site, "two-workers-rescued")["About"]
    assert "entities/rescue-31.html" in link_targets(about, "facts")


SOURCE_KINDS = {"halvern-press-briefing": "transcript", "rsb-preliminary-report": "report",
                "meridian-press-release": "press release", "halvern-courier-live-blog": "post"}


@pytest.mark.parametrize("source", sorted(SOURCE_KINDS))
def test_source_kinds_and_language_names(site, source):
    document = page(site, f"sources/{source}.html")
    assert document.find("p", "kicker").words() == f"Source · {SOURCE_KINDS[source]}"
    meta = document.find("dl", "source-meta")
    language = {dt.words(): dt.next_sibling().words() for dt in meta.find_all("dt")}["Language"]
    assert language == ("German" if source == "meridian-press-release" else "English")
    assert document.find("div", "document-text").attrs["lang"] == \
        ("de" if source == "meridian-press-release" else "en")


def test_the_sources_index_names_the_new_kinds(site):
    items = page(site, "sources/index.html").find("ul", "sources").find_all("li")
    kinds = {Path(li.find("a").attrs["href"]).stem: li.words().split(" · ")[1] for li in items}
    assert kinds == SOURCE_KINDS


def test_the_sources_index_counts_facts_in_the_singular_too(site):
    # templates/sources.html:10 writes "{{ … | length }} facts" whatever the count: the press
    # release, cited by one fact, reads "1 facts".
    items = page(site, "sources/index.html").find("ul", "sources").find_all("li")
    counts = {Path(li.find("a").attrs["href"]).stem: li.words().split(" · ")[-1] for li in items}
    assert counts["meridian-press-release"] == "1 fact"
    assert counts["rsb-preliminary-report"] == "15 facts"


# --- source pages: paragraphs, pages, furniture ----------------------------------------------

def source_blocks(source_file: str) -> list[str]:
    """The blank-line-separated blocks of a document, each joined into one line, page markers
    left out: what the source page should show as one <p> each."""
    text = (FIXTURE / "documents" / source_file).read_text(encoding="utf-8")
    blocks = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]
    return [b for b in blocks if not re.fullmatch(r"--- page \d+ ---", b)]


def rendered_blocks(document: Node) -> list[Node]:
    return [p for p in document.find_all("p") if p.classes & {"paragraph", "heading"}]


@pytest.mark.parametrize("source, source_file, paragraphs, headings", [
    ("halvern-press-briefing", "halvern-press-briefing.txt", 16, 4),
    ("meridian-press-release", "meridian-pressemitteilung.txt", 4, 4),
    ("halvern-courier-live-blog", "halvern-courier-live-blog.txt", 7, 1),
])
def test_a_wrapped_paragraph_is_one_p(site, source, source_file, paragraphs, headings):
    document = document_text(site, source)
    blocks = rendered_blocks(document)
    assert [paragraph_words(p) for p in blocks] == source_blocks(source_file)
    assert len([p for p in blocks if "paragraph" in p.classes]) == paragraphs
    assert len([p for p in blocks if "heading" in p.classes]) == headings


@pytest.mark.parametrize("source, count", [("halvern-press-briefing", 16),
                                           ("rsb-preliminary-report", 20),
                                           ("meridian-press-release", 4),
                                           ("halvern-courier-live-blog", 7)])
def test_paragraphs_are_numbered_in_the_margin_with_anchors(site, source, count):
    paragraphs = document_text(site, source).find_all("p", "paragraph")
    assert [p.attrs["id"] for p in paragraphs] == [f"p{n}" for n in range(1, count + 1)]
    for number, paragraph in enumerate(paragraphs, start=1):
        margin = paragraph.find("a", "para-number")
        assert (margin.attrs["href"], margin.words()) == (f"#p{number}", str(number))
        assert margin.attrs.get("aria-label") == f"Paragraph {number}"
    # headings are not numbered
    for heading in document_text(site, source).find_all("p", "heading"):
        assert "id" not in heading.attrs and not heading.find_all("a", "para-number")


def page_ids(document: Node) -> list[str]:
    return [n.attrs["id"] for n in document.iter() if "page-break" in n.classes]


def test_pages_are_numbered_and_anchored(site):
    assert page_ids(document_text(site, "halvern-press-briefing")) == ["page-1", "page-2", "page-3"]
    assert page_ids(document_text(site, "rsb-preliminary-report")) == \
        ["page-1", "page-2", "page-3", "page-4", "page-5"]
    assert page_ids(document_text(site, "meridian-press-release")) == []
    for page_break in document_text(site, "halvern-press-briefing").find_all("p", "page-break"):
        number = page_break.attrs["id"].removeprefix("page-")
        assert page_break.words() == f"Page {number}"
        assert page_break.find("a").attrs["href"] == f"#page-{number}"


def test_the_transcript_paragraphs_sit_on_their_pages(site):
    where = positions(document_text(site, "halvern-press-briefing"))
    assert [where[f"p{n}"][1] for n in range(1, 17)] == [1] * 5 + [2] * 6 + [3] * 5


def test_running_heads_page_numbers_and_page_markers_are_not_text(site):
    report = document_text(site, "rsb-preliminary-report")
    text = report.text()
    assert "Preliminary Report RSB-30-07" not in text
    assert "\f" not in text
    blocks = rendered_blocks(report)
    assert not [p for p in blocks if re.fullmatch(r"\d+", paragraph_words(p))]
    assert [p.words() for p in report.find_all("p", "heading")] == \
        ["Summary", "1. Sequence of events", "2. The steering gear", "3. Findings",
         "4. Further work"]
    assert "--- page" not in document_text(site, "halvern-press-briefing").text()
    # the report's paragraphs sit on the pages its README gives
    where = positions(report)
    assert [where[f"p{n}"][1] for n in range(1, 21)] == \
        [1] * 5 + [2] * 5 + [3] * 5 + [4] * 2 + [5] * 3


def test_a_paragraph_running_over_a_page_break_is_one_paragraph_with_the_page_marked_inside(site):
    report = document_text(site, "rsb-preliminary-report")
    paragraph = report.find("p", "paragraph", id="p15")
    marker = paragraph.find(cls="page-break")
    assert marker.attrs["id"] == "page-4" and "inline" in marker.classes
    assert marker.words() == "[page 4]"
    assert paragraph.words(skip=lambda n: bool(n.classes & {"para-number", "page-break"})) == (
        "The voyage data recorder shows that the pilot ordered the port anchor dropped at "
        "01:28:30, but the anchor had not yet taken hold when the bow struck the pier.")
    assert report.find("p", "paragraph", id="p16").words().startswith("16The Board finds that")


def test_a_line_end_hyphenation_is_joined_in_the_text(site):
    paragraph = document_text(site, "rsb-preliminary-report").find("p", "paragraph", id="p3")
    assert "the Kestria-flagged containership" in paragraph_words(paragraph)


# --- quotes: highlights, repeats, locators ----------------------------------------------------

def marks_of(document: Node, fact: str) -> list[Node]:
    return [m for m in document.find_all("mark")
            if Path(m.find("a").attrs["href"]).stem == fact]


SOURCE_FOR = {"rsb-preliminary-report", "halvern-press-briefing", "meridian-press-release",
              "halvern-courier-live-blog"}


def test_every_locator_agrees_with_where_its_quote_is_highlighted(site):
    """For every citation of the fixture, the fact page's "See it in the archived text" anchor
    sits in the paragraph or on the page its locator names (the one warning case apart, whose
    highlight is where the quote really is)."""
    documents = {s: document_text(site, s) for s in SOURCE_FOR}
    where = {s: positions(d) for s, d in documents.items()}
    checked = 0
    for fact_id, fact in fixture_facts().items():
        checks = page(site, f"facts/{fact_id}.html").find_all("a", "check")
        assert len(checks) == len(fact["citations"]), fact_id
        for number, (citation, check) in enumerate(zip(fact["citations"], checks), start=1):
            source = citation["source"]
            href = check.attrs["href"]
            assert href == f"../sources/{source}.html#quote-{fact_id}-{number}"
            paragraph, page_number = where[source][href.split("#")[1]]
            locator = citation.get("locator")
            if fact_id == "tugs-eleven-minutes":
                assert (paragraph, page_number) == (7, 2)  # as the warning says, not paragraph 6
            elif locator and locator.startswith("paragraph "):
                assert paragraph == int(locator.split()[1]), (fact_id, locator)
            elif locator and locator.startswith("page "):
                assert page_number == int(locator.split()[1]), (fact_id, locator)
            checked += 1
    assert checked == 31


def test_a_duplicated_passage_is_highlighted_where_its_locator_points(site):
    report = document_text(site, "rsb-preliminary-report")
    where = positions(report)
    assert where["quote-rudder-fixed-10-starboard-1"] == (16, 4)
    marks = marks_of(report, "rudder-fixed-10-starboard")
    assert [m.words() for m in marks] == \
        ["the loss of electrical power left the rudder fixed at 10 degrees to starboard"]
    assert marks[0].ancestor("paragraph").attrs["id"] == "p16"
    # not also at the first occurrence, on page 1
    first = report.find("p", "paragraph", id="p4")
    assert not [m for m in first.find_all("mark")
                if "rudder-fixed-10-starboard" in m.find("a").attrs["href"]]


def test_the_ambiguous_quote_is_still_highlighted_once(site):
    marks = marks_of(document_text(site, "rsb-preliminary-report"), "rudder-fixed-no-locator")
    assert len(marks) == 1


def test_a_quote_across_a_line_end_hyphenation_is_highlighted(site):
    report = document_text(site, "rsb-preliminary-report")
    marks = marks_of(report, "corvina-star-kestria-flagged")
    assert [m.words() for m in marks] == [
        "the Kestria-flagged containership Corvina Star, operated by Meridian Linien GmbH of Brenholt"]
    assert positions(report)["quote-corvina-star-kestria-flagged-1"] == (3, 1)


def test_a_quote_across_a_page_break_is_highlighted_on_both_pages(site):
    report = document_text(site, "rsb-preliminary-report")
    marks = marks_of(report, "port-anchor-ordered-01-28-30")
    assert len(marks) == 2
    assert " ".join(m.words() for m in marks) == (
        "The voyage data recorder shows that the pilot ordered the port anchor dropped at "
        "01:28:30, but the anchor had not yet taken hold when the bow struck the pier.")
    paragraph = report.find("p", "paragraph", id="p15")
    children = [c for c in paragraph.children if isinstance(c, Node)]
    marker = paragraph.find(cls="page-break")
    assert children.index(marks[0]) < children.index(marker) < children.index(marks[1])
    assert positions(report)["quote-port-anchor-ordered-01-28-30-1"] == (15, 3)


def test_an_elided_quote_is_highlighted_in_parts_and_shown_with_an_ellipsis(site):
    transcript = document_text(site, "halvern-press-briefing")
    where = positions(transcript)
    # within one paragraph: the sentence left out is not highlighted for this fact
    parts = marks_of(transcript, "four-missing-presumed-dead")
    assert [m.words() for m in parts] == [
        "Six road workers were on the bridge deck when it fell.",
        "Four are still missing, and as of this morning we presume that they are dead."]
    assert {m.ancestor("paragraph").attrs["id"] for m in parts} == {"p3"}
    assert where["quote-four-missing-presumed-dead-1"] == (3, 1)
    # across a paragraph and the next
    parts = marks_of(transcript, "mayor-says-six-not-seven")
    assert [m.ancestor("paragraph").attrs["id"] for m in parts] == ["p8", "p9"]
    assert [m.words() for m in parts] == [
        "our live blog reported that seven workers were on the bridge. Is that figure wrong?",
        "Yes. There were six. Our count comes from the contractor's shift list"]
    # the fact page shows the ellipsis
    quote = page(site, "facts/four-missing-presumed-dead.html").find("figure", "citation") \
        .find("blockquote").words()
    assert quote == ("Six road workers were on the bridge deck when it fell. … Four are still "
                     "missing, and as of this morning we presume that they are dead.")
    quote = page(site, "facts/mayor-says-six-not-seven.html").find("figure", "citation") \
        .find("blockquote").words()
    assert "Is that figure wrong? … Yes. There were six." in quote


def test_every_highlight_links_to_the_fact_that_quotes_it(site):
    for source in SOURCE_FOR:
        for mark in document_text(site, source).find_all("mark"):
            fact = Path(mark.find("a").attrs["href"]).stem
            assert (site / "facts" / f"{fact}.html").is_file()


# --- prose -----------------------------------------------------------------------------------

def test_a_pandoc_citation_with_prefix_and_locator_shows_them_in_the_note(site):
    notes = page(site, "pages/the-night.html").find("section", "notes")
    by_fact = {Path(li.find("p", "note-claim").find("a").attrs["href"]).stem: li
               for li in notes.find_all("li")}
    assert by_fact["rudder-fixed-10-starboard"].find("p", "note-use").words() == "see …, p. 4"
    assert by_fact["bow-struck-pier-17"].find("p", "note-use").words() == "…, p. 2"
    assert not by_fact["power-lost-before-collision"].find_all("p", "note-use")


def test_notes_give_each_citation_its_quote_and_locator(site):
    notes = page(site, "pages/the-night.html").find("section", "notes")
    by_fact = {Path(li.find("p", "note-claim").find("a").attrs["href"]).stem: li
               for li in notes.find_all("li")}
    quotes = [q.words() for q in by_fact["power-lost-before-collision"].find_all("p", "note-quote")]
    assert quotes == [
        "“The ship lost all power a few minutes before it struck the bridge.” (paragraph 4)",
        "“About four minutes before the collision the vessel suffered a total loss of electrical "
        "power” (page 1)"]


# --- the home page's key numbers -------------------------------------------------------------

def test_key_facts_show_ranges_and_as_of(site):
    figures = [p.words() for p in page(site, "index.html").find("section", "key-numbers")
               .find_all("p", "figure")]
    assert "4.3–5.2 billion US dollars" in figures
    assert "8–10 knots" in figures
    assert "nearly 116,000 tons" in figures
    assert "21 vessels as of 27 Mar 2030, 09:00:00" in figures
    assert "4 road workers as of 27 Mar 2030" in figures
