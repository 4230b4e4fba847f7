"""Issue 10: structured data (factsheet/structured.py) — JSON-LD on fact pages (a schema.org
Claim) and on the home page (a Dataset), OpenGraph and Twitter card meta on every page, and
text-fragment links from each quote to the passage in the source's original.

The JSON-LD is checked against an explicit table of the schema.org terms it uses
(tests/schemaorg_vocabulary.py): every type and property exists, each property is used on a type
of its domain, and each value is of its range.
"""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schemaorg_vocabulary as vocabulary
from conftest import ROOT, SITES, Briefing
from factsheet import structured
from factsheet.documents import structure
from factsheet.pipeline import Paths, build

BASE = "https://tamsin-bridge.example/briefing/"


class HeadReader(HTMLParser):
    """The JSON-LD scripts, every script element, the meta tags and links of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict] = []  # attributes of every <script>
        self.json_ld: list[str] = []  # the text of each application/ld+json script
        self.meta: dict[str, str] = {}  # name or property → content
        self.links: list[dict] = []
        self.anchors: list[dict] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
            self._in_ld = attributes.get("type") == "application/ld+json"
            if self._in_ld:
                self.json_ld.append("")
        elif tag == "meta" and ("name" in attributes or "property" in attributes):
            self.meta[attributes.get("property") or attributes["name"]] = attributes["content"]
        elif tag == "link":
            self.links.append(attributes)
        elif tag == "a":
            self.anchors.append(attributes)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data


def read(path: Path) -> HeadReader:
    reader = HeadReader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader


def copy_of(tmp_path: Path, base_url: str | None = BASE) -> Briefing:
    shutil.copytree(SITES / "multisource" / "content", tmp_path / "content")
    briefing = Briefing(tmp_path)
    if base_url:
        briefing.edit("site.yaml", "language: en\n", f"language: en\nbase_url: {base_url}\n")
    return briefing


def build_site(briefing: Briefing) -> Path:
    result = build(Paths(briefing.content, ROOT / "templates", ROOT / "assets", briefing.output))
    assert result.ok, "\n".join(d.format() for d in result.diagnostics.sorted())
    return briefing.output


@pytest.fixture(scope="module")
def with_base(tmp_path_factory) -> Path:
    return build_site(copy_of(tmp_path_factory.mktemp("with-base")))


@pytest.fixture(scope="module")
def without_base(tmp_path_factory) -> Path:
    return build_site(copy_of(tmp_path_factory.mktemp("without-base"), base_url=None))


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


# --- text fragments -------------------------------------------------------------------------

@pytest.mark.parametrize("passage, directive", [
    ("the bridge", "text=the%20bridge"),
    ("Kestria-flagged, 22 crew & two pilots", "text=Kestria%2Dflagged%2C%2022%20crew%20%26%20two%20pilots"),
    ("4.3–5.2 billion US dollars", "text=4.3%E2%80%935.2%20billion%20US%20dollars"),
    ("Tamsin-Brücke", "text=Tamsin%2DBr%C3%BCcke"),
    ("“late spring”", "text=%E2%80%9Clate%20spring%E2%80%9D"),
    ("100% #1 of 2", "text=100%25%20%231%20of%202"),
    ("it's (at most) 5*2 = 10; ok? yes! @ 1/2 $ + ~_.", "text=it's%20(at%20most)%205*2%20%3D%2010%3B"
     "%20ok%3F%20yes!%20%40%201%2F2%20%24%20%2B%20~_."),
    ("  spaced\n  out  ", "text=spaced%20out"),
])
def test_text_directives_percent_encode_what_the_syntax_uses(passage, directive):
    found = structured.text_directive(passage)
    # every character the spec does not allow as it is (and always '-', '&', ',') is encoded
    value = found.removeprefix("text=")
    assert not re.search(r"[^A-Za-z0-9!$'()*+./:;=?@_~%,]", value)
    assert "-" not in value and "&" not in value and " " not in value
    assert unquote(value) == " ".join(passage.split())
    assert found == directive.replace("%3D", "=").replace("%3B", ";").replace("%3F", "?") \
        .replace("%40", "@").replace("%2F", "/").replace("%24", "$").replace("%2B", "+")


def test_a_long_passage_is_given_by_its_first_and_last_words():
    words = [f"w{n}" for n in range(60)]
    found = structured.text_directive(" ".join(words))
    assert found == "text=w0%20w1%20w2%20w3%20w4%20w5,w54%20w55%20w56%20w57%20w58%20w59"
    long_text = "A " + "very " * 70 + "long sentence."
    assert len(long_text) > structured.LONG_PASSAGE_CHARS  # a long passage, by characters
    start, end = structured.text_directive(long_text).removeprefix("text=").split(",")
    assert unquote(start).startswith("A very") and unquote(end).endswith("long sentence.")


def test_an_elided_quote_runs_from_its_first_part_to_its_last():
    found = structured.text_directive("Six road workers were on the bridge deck when it fell. … "
                                      "Four are still missing, and as of this morning we presume "
                                      "that they are dead.")
    start, end = found.removeprefix("text=").split(",")
    assert unquote(start) == "Six road workers were on the"
    assert unquote(end) == "we presume that they are dead."


def test_context_words_pick_one_of_several_occurrences():
    # prefix-, and ,-suffix as the syntax has them, percent-encoded like the terms
    assert structured.text_directive("the rudder", prefix="finds that") == \
        "text=finds%20that-,the%20rudder"
    assert structured.text_directive("the rudder", suffix="fixed, at") == \
        "text=the%20rudder,-fixed%2C%20at"
    words = " ".join(f"w{n}" for n in range(60))
    assert structured.text_directive(words, prefix="a-b") == \
        "text=a%2Db-,w0%20w1%20w2%20w3%20w4%20w5,w54%20w55%20w56%20w57%20w58%20w59"


def test_a_passage_the_document_has_twice_gets_the_words_around_it():
    """tests/test_browser_fragments.py: without them Chromium lands on the first occurrence."""
    text = ("Summary\n\nThe Board finds that the loss of power left the\nrudder fixed.\n\n"
            "Later, the loss of power left the rudder fixed.\n\n"
            "the loss of power left the rudder fixed, and more.\n")
    document = structure(text)
    passage = "the loss of power left the rudder fixed"
    second = text.index(passage, text.index("Later"))
    assert structured.passage_context(text, document, second, second + len(passage),
                                      passage) == ("Later,", "")
    wrapped = text.index("the loss")  # across a line break: words as shown
    end = text.index("fixed") + len("fixed")
    assert structured.passage_context(text, document, wrapped, end, passage) == \
        ("Board finds that", "")
    at_start = text.rindex(passage)  # nothing before it in its paragraph: the words after
    assert structured.passage_context(text, document, at_start, at_start + len(passage),
                                      passage) == ("", ", and more.")
    once = "Summary"
    assert structured.passage_context(text, document, 0, 7, once) == ("", "")


def test_the_url_keeps_its_own_fragment_and_nothing_is_made_without_a_url():
    assert structured.text_fragment_url("https://a.example/p", "x y") == \
        "https://a.example/p#:~:text=x%20y"
    assert structured.text_fragment_url("https://a.example/p#top", "x") == \
        "https://a.example/p#top:~:text=x"
    assert structured.text_fragment_url("", "x") == ""
    assert structured.text_fragment_url("https://a.example/", " … ") == ""


def test_each_quote_links_to_its_passage_in_the_original_after_the_archived_copy(tmp_path):
    briefing = copy_of(tmp_path)
    url = "https://halvern-courier.example/live?day=2030-03-26&lang=en"
    briefing.edit("sources/halvern-courier-live-blog.yaml", "url: null", f'url: "{url}"')
    site = build_site(briefing)
    page = read(site / "facts/seven-workers-on-bridge.html")
    hrefs = [a.get("href", "") for a in page.anchors]
    original = [h for h in hrefs if h.startswith(url)]
    assert original == [url + "#:~:text=The%20Courier%20understands%20that%20seven%20road"
                              "%20workers%20were%20on%20the%20bridge%20when%20it%20fell."]
    archived = hrefs.index("../sources/halvern-courier-live-blog.html"
                           "#quote-seven-workers-on-bridge-1")
    assert archived < hrefs.index(original[0])  # the archived copy stays the primary link
    # a prose page's note quotes the passage too, and links it the same way
    note = read(site / "pages/the-toll-and-the-town.html")
    assert original[0] in [a.get("href") for a in note.anchors]
    # a source with no url gets no such link
    other = read(site / "facts/bow-struck-pier-17.html")
    assert not [a for a in other.anchors if ":~:text=" in a.get("href", "")]


# --- JSON in a script element ----------------------------------------------------------------

HOSTILE = "</script><script>alert(1)</script> <!-- & -->"


def test_script_json_cannot_close_its_element_and_parses_back():
    text = str(structured.script_json({"text": HOSTILE, "line": "a\u2028b"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text
    assert json.loads(text) == {"text": HOSTILE, "line": "a\u2028b"}


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=4), max_leaves=20)


@given(JSON_VALUES)
@settings(max_examples=300, deadline=None)
def test_indented_json_is_the_json_modules_text(value):
    """The fast encoder of the JSON-LD gives json.dumps's text, byte for byte, whatever the data
    (what it does not handle itself it hands to json.dumps)."""
    assert structured.indented_json(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_a_hostile_claim_stays_inside_the_json_ld(briefing, capsys):
    briefing.edit("facts/ships.yaml", "claim: About 40 ships docked in late spring, the harbour "
                  "authority said.", f"claim: '{HOSTILE} About 40 ships docked.'")
    briefing.edit("site.yaml", "language: en\n", "language: en\nbase_url: https://h.example/\n")
    code, _, err = briefing.run(capsys=capsys)
    assert code == 0, err
    hostile = read(briefing.output / "facts/ships-docked.html")
    plain = read(briefing.output / "facts/union-count.html")
    assert len(hostile.scripts) == len(plain.scripts)  # no script element was opened
    assert [s for s in hostile.scripts if "src" not in s] == [{"type": "application/ld+json"}]
    (claim,) = [json.loads(text) for text in hostile.json_ld]
    assert claim["text"] == f"{HOSTILE} About 40 ships docked."
    raw = (briefing.output / "facts/ships-docked.html").read_text(encoding="utf-8")
    assert raw.count("<script") == raw.count("</script>") == len(plain.scripts)
    assert "<!--" not in raw
    assert hostile.meta["og:description"].startswith("</script>")  # an attribute, escaped


# --- JSON-LD against the schema.org vocabulary ------------------------------------------------

def _json_ld(site: Path) -> dict[str, list]:
    return {p.relative_to(site).as_posix(): [json.loads(text) for text in read(p).json_ld]
            for p in pages(site)}


ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?)?)?\Z")


def _strings(node, key=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, k)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item, key)
    else:
        yield key, node


@pytest.mark.parametrize("site", ["with_base", "without_base"])
def test_every_json_ld_object_uses_schema_org_types_and_properties_as_defined(request, site):
    built = request.getfixturevalue(site)
    found = _json_ld(built)
    claims = {path: data for path, data in found.items() if path.startswith("facts/")
              and path != "facts/index.html"}
    assert claims and all(len(data) == 1 and data[0]["@type"] == "Claim"
                          for data in claims.values())
    assert [d["@type"] for d in found["index.html"]] == ["Dataset"]
    assert all(not data for path, data in found.items()
               if path not in claims and path != "index.html")
    for path, data in found.items():
        for item in data:
            assert item["@context"] == "https://schema.org"
            assert vocabulary.problems(item) == [], path
            for key, value in _strings(item):
                if key in ("url", "sameAs", "archivedAt", "@id"):
                    assert urlsplit(value).scheme == "https", (path, key, value)
                elif key == "contentUrl":
                    assert value.startswith(BASE) if site == "with_base" else \
                        value.startswith("data/"), value
                elif key == "datePublished":
                    assert ISO_DATE.match(value), (path, value)


def test_a_claim_gives_what_the_data_gives_and_nothing_more(with_base, without_base):
    claims = _json_ld(with_base)
    crew = claims["facts/crew-and-pilots-aboard.html"][0]
    assert crew["@id"] == BASE + "facts/crew-and-pilots-aboard.html#claim"
    assert crew["url"] == BASE + "facts/crew-and-pilots-aboard.html"
    assert [w["name"] for w in crew["appearance"]] == [
        "Contact of the containership Corvina Star with the Tamsin Bridge, Port Halvern, "
        "26 March 2030", "Havarie der Corvina Star an der Tamsin-Brücke"]
    # the press release (26 March) certainly came out before the report (24 April)
    assert crew["firstAppearance"]["name"] == "Havarie der Corvina Star an der Tamsin-Brücke"
    assert crew["firstAppearance"]["datePublished"] == "2030-03-26"
    # both sources speak in their own voice: their publishers are the authors
    assert [a["name"] for a in crew["author"]] == ["Riverside Safety Board", "Meridian Linien GmbH"]
    # the transcript has no known date of publication: no datePublished, and with another
    # source beside it no first appearance can be told
    power = claims["facts/power-lost-before-collision.html"][0]
    briefing_work = power["appearance"][0]
    assert briefing_work["name"] == "Press briefing on the collapse of the Tamsin Bridge"
    assert "datePublished" not in briefing_work and "url" not in briefing_work
    assert "firstAppearance" not in power
    assert {"@type": "Person", "name": "Anna Voss"} in power["author"]
    # a claimant that is not a person or organisation is not made an author
    corrected = claims["facts/seven-workers-on-bridge.html"][0]
    assert [c["datePublished"] for c in corrected["correction"]] == ["2030-03-28", "2030-03-30"]
    assert all(c["@type"] == "CorrectionComment" for c in corrected["correction"])
    assert "correction" not in crew
    # without base_url there is no absolute address to give
    plain = _json_ld(without_base)["facts/crew-and-pilots-aboard.html"][0]
    assert "@id" not in plain and "url" not in plain
    assert {k: v for k, v in crew.items() if k not in ("@id", "url")} == plain


def test_the_home_page_describes_the_exports_as_a_dataset(with_base, without_base):
    (dataset,) = _json_ld(with_base)["index.html"]
    assert dataset["name"] == "The Tamsin Bridge collapse"
    assert dataset["url"] == BASE + "index.html"
    assert [d["contentUrl"] for d in dataset["distribution"]] == [
        BASE + path for path, _, _ in structured.EXPORTS]
    assert {d["encodingFormat"] for d in dataset["distribution"]} == {
        "application/json", "text/csv", "application/vnd.citationstyles.csl+json"}
    assert dataset["license"]["name"].startswith("Fictional fixture text")
    (relative,) = _json_ld(without_base)["index.html"]
    assert [d["contentUrl"] for d in relative["distribution"]] == [
        "data/facts.json", "data/facts.csv", "data/sources.json", "data/entities.json",
        "data/sources.csl.json"]
    for download in relative["distribution"]:  # each names a file the build wrote (exports.py)
        assert (without_base / download["contentUrl"]).is_file(), download["contentUrl"]


def test_first_appearance_is_told_only_where_the_dates_decide_it(with_base):
    from factsheet.loader import load_content
    from factsheet.errors import Diagnostics
    from factsheet.resolve import resolve
    from factsheet.validate import validate
    diagnostics = Diagnostics()
    content = SITES / "multisource" / "content"
    site = resolve(validate(load_content(content, diagnostics), diagnostics), diagnostics)
    first = structured.first_appearance
    assert first(site, ["rsb-preliminary-report"]) == "rsb-preliminary-report"
    assert first(site, ["rsb-preliminary-report", "meridian-press-release"]) == \
        "meridian-press-release"
    # the same day: either may have come first
    assert first(site, ["halvern-courier-live-blog", "meridian-press-release"]) == ""
    # a source with no known date of publication
    assert first(site, ["halvern-press-briefing", "rsb-preliminary-report"]) == ""


# --- OpenGraph and Twitter cards --------------------------------------------------------------

def test_every_page_has_its_card_and_a_canonical_address_only_under_base_url(with_base,
                                                                             without_base):
    for site, absolute in ((with_base, True), (without_base, False)):
        for path in pages(site):
            page = read(path)
            relative = path.relative_to(site).as_posix()
            title = path.read_text(encoding="utf-8").split("<title>")[1].split(" · ")[0]
            assert page.meta["og:title"] == page.meta["twitter:title"] == unescape(title)
            assert page.meta["og:site_name"] == "The Tamsin Bridge collapse"
            assert page.meta["og:description"] == page.meta["description"] == \
                page.meta["twitter:description"] != ""
            assert page.meta["twitter:card"] == "summary"
            assert page.meta["og:type"] == ("website" if relative == "index.html" else "article")
            canonical = [link["href"] for link in page.links if link.get("rel") == "canonical"]
            if absolute:
                assert page.meta["og:url"] == BASE + relative == canonical[0]
            else:
                assert "og:url" not in page.meta and not canonical


def test_descriptions_come_from_the_claim_or_the_summary(without_base):
    fact = read(without_base / "facts/bow-struck-pier-17.html")
    assert fact.meta["og:description"] == ("According to the Board, the Corvina Star's bow "
                                           "struck pier 17 of the Tamsin Bridge at 01:29:09 on "
                                           "26 March 2030.")
    prose = read(without_base / "pages/the-night.html")
    assert prose.meta["og:description"] == ("What the Board's preliminary report, the mayor and "
                                            "the ship's operator say happened aboard the Corvina "
                                            "Star, minute by minute.")
    home = read(without_base / "index.html")
    assert home.meta["og:description"].startswith("A fictional multi-source briefing")
    long_text = "word " * 200
    assert len(structured.shorten(long_text)) <= structured.DESCRIPTION_LIMIT
    assert structured.shorten(long_text).endswith("word…")
