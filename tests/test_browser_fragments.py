"""Issue 10 in a real browser: each quote's "Find it in the original" link (the source's `url`
with a text fragment, `#:~:text=…`) lands a reader on the quoted passage in Chromium.

The multi-source fixture's sources have no `url`, so a copy gives each one an address on an
example domain, and adds two facts: one whose quote holds what a text directive must
percent-encode (comma, '-', '&', '%', straight and curly quotes, an en dash, non-ASCII letters),
one whose quote is a whole long paragraph in German (given by its first and last words,
`text=start,end`). No request leaves the machine: Playwright's `page.route` answers for each
source's address with a stand-in of its original, the archived document as simple HTML (a
heading or paragraph per block, as factsheet/documents.py reads it) after 200 filler paragraphs,
so that the passage is far below the fold.

The links are read from the built fact pages, never written here, and so is where each one must
land: the archived copy's mark of the same citation (`See it in the archived text`) says which
paragraph holds the passage, which matters for a passage the document gives twice.

What Chromium 156 (Debian, headless) does, found with these tests:
- `page.goto(url#:~:text=…)` applies the text fragment: a navigation from the browser (the
  address bar, or DevTools' Page.navigate that Playwright uses) needs no user activation.
- A reader's click on the link from a fact page (`page.click`, a real user activation) does too,
  across origins (the site on 127.0.0.1, the original on https://….example).
- Chromium centres the first match in the viewport (and strips `:~:text=…` from
  `location.href`); the range is highlighted with `::target-text`. `document.fragmentDirective`
  exists (a FragmentDirective), and `CSS.supports("selector(::target-text)")` is true.
- A directive that matches nothing, or a navigation to the address alone, leaves the page at the
  top.
- Of a passage the page has twice, Chromium takes the first occurrence: the report's
  "the loss of electrical power left the rudder fixed …" (pages 1 and 4), cited on page 4, landed
  on page 1 until the link carried the words before it (`text=Board%20finds%20that-,the…`,
  structured.passage_context).
"""

from __future__ import annotations

import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browser_support import ROOT, start_server
from conftest import SITES, Briefing
from factsheet.documents import structure
from factsheet.pipeline import Paths, build

FILLER = 200  # paragraphs before the document's text in a stand-in original: below the fold
AFTER = 60  # and after it, so that the browser can centre the last paragraphs too

# Added to the copy: a live-blog entry (appended, so that no locator moves) and two facts.
BLOG_ENTRY = """
06:10 A resident of Harbour Road & Quay Street, Zoë Brandt-Okafor,
told the Courier the bridge was “gone – simply gone”, and that 100% of
the "night shift" had been on it.
"""
ENCODED_QUOTE = ("A resident of Harbour Road & Quay Street, Zoë Brandt-Okafor, told the Courier the bridge was “gone – simply gone”, "
                 "and that 100% of the \"night shift\" had been on it.")
LONG_QUOTE = ("Die Meridian Linien GmbH bestätigt, dass ihr Containerschiff Corvina Star in der "
              "Nacht zum 26. März 2030 in Port Halvern gegen einen Pfeiler der Tamsin-Brücke "
              "gestoßen ist. An Bord befanden sich 22 Besatzungsmitglieder und zwei Lotsen. "
              "Niemand an Bord wurde verletzt.")
FACTS = f"""
- id: resident-says-gone
  claim: A resident told the Halvern Courier the bridge was gone.
  status: reported
  date: "2030-03-26"
  about: [tamsin-bridge-collapse]
  attribution: []
  citations:
    - source: halvern-courier-live-blog
      quote: '{ENCODED_QUOTE.replace("'", "''")}'
- id: operator-confirms-contact
  claim: Meridian Linien confirmed that the Corvina Star struck a pier of the Tamsin Bridge.
  status: stated
  date: "2030-03-26"
  about: [corvina-star]
  attribution: []
  citations:
    - source: meridian-press-release
      quote: '{LONG_QUOTE}'
"""


def original_url(source_id: str) -> str:
    return f"https://{source_id}.example/original"


@pytest.fixture(scope="module")
def fragment_site(tmp_path_factory) -> Path:
    """A copy of the multi-source fixture whose sources all have a url, built."""
    root = tmp_path_factory.mktemp("fragments")
    shutil.copytree(SITES / "multisource" / "content", root / "content")
    briefing = Briefing(root)
    for path in sorted((briefing.content / "sources").glob("*.yaml")):
        briefing.edit(f"sources/{path.name}", "url: null", f'url: "{original_url(path.stem)}"')
    blog = briefing.content / "documents" / "halvern-courier-live-blog.txt"
    blog.write_text(blog.read_text(encoding="utf-8").rstrip("\n") + "\n" + BLOG_ENTRY,
                    encoding="utf-8")
    briefing.write("facts/fragments.yaml", FACTS)
    result = build(Paths(briefing.content, ROOT / "templates", ROOT / "assets", briefing.output))
    assert result.ok and not result.diagnostics.errors, \
        "\n".join(d.format() for d in result.diagnostics.sorted())
    return briefing.output


class CitationReader(HTMLParser):
    """Per citation figure of a fact page: (archived copy link, original link); on a source
    page: which paragraph (its id) holds each quote anchor."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.citations: list[dict[str, str]] = []
        self.holder: dict[str, str] = {}  # quote anchor id → id of the paragraph holding it
        self._figure = False
        self._paragraph = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "figure" and "citation" in classes:
            self._figure = True
            self.citations.append({})
        elif tag == "a" and self._figure and ("check" in classes or "original" in classes):
            self.citations[-1]["check" if "check" in classes else "original"] = attributes["href"]
        elif tag == "p" and "paragraph" in classes:
            self._paragraph = attributes["id"]
        elif tag == "span" and (attributes.get("id") or "").startswith("quote-") \
                and self._paragraph:
            self.holder[attributes["id"]] = self._paragraph

    def handle_endtag(self, tag):
        if tag == "figure":
            self._figure = False
        elif tag == "p":
            self._paragraph = ""


def read(path: Path) -> CitationReader:
    reader = CitationReader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader


def original_links(site: Path) -> list[dict[str, str]]:
    """Every "Find it in the original" link of the fact pages: {fact, href, paragraph}, where
    paragraph is the id ("p16") of the archived copy's paragraph that holds the passage."""
    links = []
    for path in sorted((site / "facts").glob("*.html")):
        for citation in read(path).citations:
            if "original" not in citation:
                continue
            check = urlsplit(citation["check"])
            source_page = (path.parent / check.path).resolve()
            holder = read(source_page).holder[check.fragment]
            links.append({"fact": path.stem, "href": citation["original"], "paragraph": holder})
    return links


def stand_in(site_content: Path, source_id: str) -> str:
    """The source's original as a web page: its archived document's headings and paragraphs
    (paragraphs carry the archive's numbers as ids, p1 …), after FILLER paragraphs."""
    meta = (site_content / "sources" / f"{source_id}.yaml").read_text(encoding="utf-8")
    document = re.search(r"^document: (\S+)$", meta, re.M)[1]
    text = (site_content / "documents" / document).read_text(encoding="utf-8")
    blocks = [f"<p>Filler paragraph {n} of the stand-in page, before its text.</p>"
              for n in range(1, FILLER + 1)]
    for paragraph in structure(text).paragraphs:
        shown = html.escape(paragraph.display(text))
        blocks.append(f"<h2>{shown}</h2>" if paragraph.number is None else
                      f'<p id="p{paragraph.number}">{shown}</p>')
    blocks += [f"<p>Filler paragraph {n} of the stand-in page, after its text.</p>"
               for n in range(1, AFTER + 1)]
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{source_id}</title></head><body>\n" + "\n".join(blocks) + "\n</body></html>")


def serve_originals(page, site: Path) -> None:
    """Answer every source's url with its stand-in original."""
    content = site.parent / "content"
    for path in sorted((content / "sources").glob("*.yaml")):
        page.route(original_url(path.stem), answer(stand_in(content, path.stem)))


def answer(body: str):
    def handler(route) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)
    return handler


# Where the element is, as the reader sees it: in the viewport, and the nearest to its middle of
# all the paragraphs that hold the passage's first words (a passage may occur twice).
LANDED = """([id, words]) => {
    const target = document.getElementById(id);
    const box = target.getBoundingClientRect();
    if (box.bottom <= 0 || box.top >= innerHeight) return false;
    const flat = s => s.replace(/\\s+/g, " ").toLowerCase();
    const middle = e => { const b = e.getBoundingClientRect(); return Math.abs((b.top + b.bottom) / 2 - innerHeight / 2); };
    const holders = [...document.querySelectorAll("p[id]")].filter(
        p => flat(p.textContent).includes(flat(words)));
    return holders.length > 0 && holders.sort((a, b) => middle(a) - middle(b))[0] === target;
}"""
IN_VIEW = """id => { const box = document.getElementById(id).getBoundingClientRect();
    return box.bottom > 0 && box.top < innerHeight; }"""


def first_words(href: str) -> str:
    """The directive's textStart as the browser reads it (after a `prefix-,` if any)."""
    terms = href.split(":~:text=", 1)[1].split(",")
    return unquote(terms[1] if terms[0].endswith("-") else terms[0])


def lands(page, link: dict[str, str], timeout: float = 5000) -> bool:
    page.goto(link["href"])
    page.wait_for_load_state("load")
    try:
        page.wait_for_function(LANDED, arg=[link["paragraph"], first_words(link["href"])],
                               timeout=timeout)
    except Exception:  # playwright's TimeoutError: the page did not scroll there
        return False
    return True


def test_the_fixture_copy_has_every_kind_of_link(fragment_site):
    """What the landing test below covers: short passages (one term), long or elided ones
    (start,end), and every character that must be percent-encoded."""
    hrefs = {link["fact"]: link["href"] for link in original_links(fragment_site)}
    directives = [href.split("#:~:", 1)[1] for href in hrefs.values()]
    assert any("," not in d for d in directives) and any("," in d for d in directives)
    encoded = hrefs["resident-says-gone"].split("#:~:text=")[1]
    assert not re.search(r"[^A-Za-z0-9!$'()*+./:;=?@_~%]", encoded)  # all else percent-encoded
    for char in ", - & % \" “ ” – ë".split():
        assert "".join(f"%{b:02X}" for b in char.encode()) in encoded
    assert unquote(encoded) == ENCODED_QUOTE
    start, end = hrefs["operator-confirms-contact"].split("#:~:text=")[1].split(",")
    assert LONG_QUOTE.startswith(unquote(start)) and LONG_QUOTE.endswith(unquote(end))
    # an elided quote, across two paragraphs of the transcript: from its first part to its last
    assert "," in hrefs["mayor-says-six-not-seven"].split("#:~:")[1]
    # a passage the report has twice (pages 1 and 4), cited on page 4: the words before it there
    assert hrefs["rudder-fixed-10-starboard"].split("#:~:")[1].startswith(
        "text=Board%20finds%20that-,the%20loss%20of")


def test_every_original_link_lands_on_its_passage(page, fragment_site):
    serve_originals(page, fragment_site)
    links = original_links(fragment_site)
    assert len(links) >= 30 and {urlsplit(l["href"]).hostname for l in links} == \
        {urlsplit(original_url(p.stem)).hostname
         for p in (fragment_site.parent / "content" / "sources").glob("*.yaml")}
    missed = []
    for link in links:
        # without its fragment the address shows the top of the page: the passage is not in view
        page.goto(link["href"].split("#", 1)[0])
        page.wait_for_load_state("load")
        assert page.evaluate("scrollY") == 0
        assert not page.evaluate(IN_VIEW, link["paragraph"]), link
        if not lands(page, link):
            missed.append((link["fact"], link["paragraph"], link["href"],
                           page.evaluate("scrollY")))
    assert missed == []
    assert page.problems == []


def test_a_directive_that_matches_nothing_leaves_the_page_at_the_top(page, fragment_site):
    """The control: the scroll comes from the text found, not from any fragment."""
    serve_originals(page, fragment_site)
    link = next(l for l in original_links(fragment_site) if l["fact"] == "bow-struck-pier-17")
    wrong = dict(link, href=link["href"].replace("pier%2017", "pier%2018"))
    assert wrong["href"] != link["href"]
    assert not lands(page, wrong, timeout=1500)
    assert page.evaluate("scrollY") == 0


def test_a_reader_clicking_find_it_in_the_original_lands_on_the_passage(page, fragment_site):
    """The reader's way there: the fact page (served over HTTP), a click on the link (a user
    activation), a cross-origin navigation to the original."""
    serve_originals(page, fragment_site)
    server = start_server(fragment_site)
    try:
        for fact in ("resident-says-gone", "operator-confirms-contact"):
            link = next(l for l in original_links(fragment_site) if l["fact"] == fact)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/facts/{fact}.html")
            page.wait_for_load_state("load")
            with page.expect_navigation(url=link["href"].split("#", 1)[0] + "*"):
                page.click("figure.citation a.original")
            page.wait_for_function(LANDED, arg=[link["paragraph"], first_words(link["href"])],
                                   timeout=5000)
            assert page.evaluate("scrollY") > 0
            # Chromium strips the directive from the address it shows to scripts
            assert ":~:" not in page.evaluate("location.href")
            assert page.evaluate("""() => document.fragmentDirective instanceof FragmentDirective
                && CSS.supports("selector(::target-text)")""")
    finally:
        server.shutdown()
    assert page.problems == []
