"""The briefing in content/ as a reader uses it, in headless Chromium.

Whatever briefing is in content/ (the `bundled_site` fixture builds it): every test here holds
for any valid one, so none reads the bundled example's own facts. What needs a particular kind
of content runs on a fixture that is sure to have it: a page citing one fact twice (the minimal
fixture) and dates given in words (the multi-source fixture).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import ROOT, all_pages, page_kinds, start_server
from bundled import CONTENT
from conftest import SITES
from factsheet.errors import Diagnostics
from factsheet.loader import load_content
from factsheet.pipeline import Paths, build
from factsheet.resolve import resolve
from factsheet.validate import validate

KINDS = ["home", "timeline", "prose", "fact index", "fact", "source index", "source",
         "entity index", "entity"]


@pytest.mark.parametrize("where", ["root", "sub-path", "file"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_page_kind_loads_cleanly(page, bundled_site, site_urls, where, kind):
    path = page_kinds(bundled_site)[kind]
    response = page.goto(site_urls[where] + path)
    assert response is None or response.ok  # file:// has no HTTP response
    page.wait_for_load_state("load")
    assert page.locator("main h1").count() == 1
    # the stylesheet applied: the masthead rule is the accent colour
    assert page.evaluate("getComputedStyle(document.querySelector('.masthead')).borderTopWidth") == "6px"
    assert page.problems == []


def test_every_internal_link_of_the_home_page_opens(page, site_urls):
    page.goto(site_urls["sub-path"] + "index.html")
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    internal = sorted({h.split("#")[0] for h in hrefs if h.startswith(site_urls["sub-path"])})
    assert len(internal) >= 5
    for href in internal:
        if href.endswith((".html", "/")):
            assert page.goto(href).ok, href
        else:  # a data file (CSV, JSON) is downloaded, not shown: fetched instead of opened
            assert page.request.get(href).ok, href
    assert page.problems == []


def prose_page(site, name=None):
    return name or page_kinds(site)["prose"]


def test_footnote_links_jump_to_notes_and_backlinks_jump_back(page, bundled_site, site_urls):
    page.goto(site_urls["root"] + prose_page(bundled_site))
    first = page.locator("sup.cite a").first
    number = first.get_attribute("data-note")
    first.click()
    assert page.url.endswith(f"#note-{number}")
    note = page.locator(f"#note-{number}")
    assert note.is_visible() and note.evaluate("el => el.matches(':target')")
    assert note.locator(".note-claim a").count() == 1
    # every backlink of every note goes back to a citation that carries the same number
    notes = page.locator(".notes li")
    for index in range(notes.count()):
        item = notes.nth(index)
        note_number = item.get_attribute("id").split("-")[1]
        links = item.locator(".backrefs a")
        assert links.count() >= 1
        for link_index in range(links.count()):
            links.nth(link_index).click()
            target = page.locator(":target")
            assert target.get_attribute("class") == "cite"
            assert target.locator("a").get_attribute("data-note") == note_number
            assert target.is_visible()


def check_note_numbers(page, url: str) -> list[str]:
    """Notes of the prose page at url numbered 1…n in order of first use, a note cited more
    than once with one lettered backlink per citation; the numbers cited more than once."""
    page.goto(url)
    numbers = page.eval_on_selector_all("sup.cite a", "els => els.map(e => e.dataset.note)")
    assert sorted(set(numbers), key=int) == [str(n) for n in range(1, len(set(numbers)) + 1)]
    first_use = list(dict.fromkeys(numbers))
    assert first_use == sorted(first_use, key=int)  # numbered in order of first use
    repeated = [n for n in first_use if numbers.count(n) > 1]
    for number in repeated:
        letters = page.locator(f"#note-{number} .backrefs a").all_inner_texts()
        assert letters == [chr(ord("a") + i) for i in range(numbers.count(number))]
    return repeated


def test_notes_are_numbered_in_order_of_first_use(page, bundled_site, site_urls):
    pages = sorted((bundled_site / "pages").glob("*.html"))
    assert pages, "a briefing has prose pages"
    for path in pages:
        check_note_numbers(page, site_urls["root"] + path.relative_to(bundled_site).as_posix())


@pytest.fixture(scope="module")
def minimal_url(tmp_path_factory):
    """The minimal fixture built and served: its overview page cites `ships-docked` twice."""
    output = tmp_path_factory.mktemp("minimal") / "site"
    result = build(Paths(SITES / "minimal" / "content", ROOT / "templates", ROOT / "assets",
                         output), strict=True)
    assert result.ok, "\n".join(d.format() for d in result.diagnostics.sorted())
    server = start_server(output)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_a_fact_cited_twice_has_one_note_with_lettered_backlinks(page, minimal_url):
    # content/ need not cite any fact twice; the minimal fixture does, on its overview page.
    assert check_note_numbers(page, minimal_url + "pages/overview.html") != []


def test_note_preview_on_hover_and_on_keyboard_focus(page, bundled_site, site_urls):
    page.goto(site_urls["root"] + prose_page(bundled_site))
    link = page.locator("sup.cite a").first
    number = link.get_attribute("data-note")
    claim = page.locator(f"#note-{number} .note-claim a").inner_text()
    url = page.url

    link.hover()
    preview = page.locator(".note-preview")
    assert preview.is_visible() and claim in preview.inner_text()
    preview.hover()  # moving onto the preview keeps it open, so its links can be followed
    page.wait_for_timeout(400)
    assert preview.is_visible()
    page.mouse.move(0, 0)
    preview.wait_for(state="detached", timeout=2000)

    link.focus()
    assert page.locator(".note-preview").is_visible()
    assert claim in page.locator(".note-preview").inner_text()
    assert link.get_attribute("aria-describedby") == "note-preview"
    page.keyboard.press("Escape")
    assert page.locator(".note-preview").count() == 0
    assert page.url == url  # the reader never left the paragraph


def test_notes_are_complete_without_javascript(browser, bundled_site, site_urls):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_urls["root"] + prose_page(bundled_site))
    notes = page.locator(".notes li")
    assert notes.count() == len(set(page.eval_on_selector_all(
        "sup.cite a", "els => els.map(e => e.dataset.note)")))
    for index in range(notes.count()):  # each note names its source without any script
        assert notes.nth(index).locator(".note-chain cite").count() >= 1
    context.close()


def test_source_page_highlights_each_quote_linked_to_its_fact(page, bundled_site, site_urls):
    source = page_kinds(bundled_site)["source"]
    page.goto(site_urls["root"] + source)
    marks = page.locator(".document-text mark a")
    assert marks.count() >= 1
    background = page.locator(".document-text mark").first.evaluate(
        "el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    linked = set(page.eval_on_selector_all(".document-text mark a",
                                           "els => els.map(e => e.getAttribute('href'))"))
    citing = set(page.eval_on_selector_all("#facts-heading + ul a",
                                           "els => els.map(e => e.getAttribute('href'))"))
    assert linked <= citing  # a marked quote links to a fact that cites this source
    mark = marks.first
    text, href = mark.inner_text(), mark.get_attribute("href")
    mark.click()
    assert page.url.endswith(href.split("/")[-1])
    assert page.locator("blockquote").count() >= 1
    # and back: the fact page's "see it in the archived text" lands on the highlighted passage
    page.locator("a.check").first.click()
    anchor = page.url.split("#")[1]
    assert page.locator(f"#{anchor}").count() == 1
    assert text.strip()


def dated_facts(content: Path) -> dict[str, tuple]:
    """{fact page's path: sort key} of every fact with a date, or only an `as_of` (placed by it)."""
    diagnostics = Diagnostics()
    site = resolve(validate(load_content(content, diagnostics), diagnostics), diagnostics)
    return {f"facts/{fact_id}.html": (fact.date or fact.as_of).sort_key
            for fact_id, fact in site.facts.items() if fact.date or fact.as_of}


def check_timeline(page, url: str, content: Path) -> list[str]:
    """The timeline at url lists every dated fact, in date order; the dates as shown."""
    page.goto(url + "timeline.html")
    links = page.eval_on_selector_all(".timeline .what a",
                                      "els => els.map(e => e.getAttribute('href'))")
    dated = dated_facts(content)
    assert sorted(links) == sorted(dated)
    keys = [dated[href] for href in links]
    assert keys == sorted(keys)
    return page.locator(".timeline .when").all_inner_texts()


def test_timeline_is_in_date_order(page, site_urls):
    check_timeline(page, site_urls["root"], CONTENT)


def test_timeline_shows_vague_dates_in_words_in_date_order(page, multisource_urls):
    # content/ need not have vague dates; the multi-source fixture has a semester, a decade and
    # ranges, and a fact placed by its `as_of` alone.
    shown = check_timeline(page, multisource_urls["root"], SITES / "multisource" / "content")
    assert any("second half of 2030" in s for s in shown) and any("2030s" in s for s in shown)
    assert any("–" in s for s in shown)


def test_entity_pages_list_their_facts(page, bundled_site, site_urls):
    page.goto(site_urls["root"] + "entities/index.html")
    entities = page.eval_on_selector_all("ul.entities a", "els => els.map(e => e.href)")
    # the index lists every entity's page
    assert len(entities) == len(list((bundled_site / "entities").glob("*.html"))) - 1
    for href in entities:
        page.goto(href)
        listed = page.locator("ul.facts li a").count()
        assert listed >= 1, f"{href} lists no fact"


def test_phone_width_has_no_horizontal_scroll_anywhere(browser, bundled_site, site_urls):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    wide = []
    for path in all_pages(bundled_site):
        page.goto(site_urls["root"] + path)
        if page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
            wide.append(path)
    context.close()
    assert wide == []


def test_print_stylesheet_hides_navigation_and_prints_link_urls(page, bundled_site, site_urls):
    page.goto(site_urls["root"] + prose_page(bundled_site))
    page.emulate_media(media="print")
    assert page.locator(".masthead nav").evaluate("el => getComputedStyle(el).display") == "none"
    note_link = page.locator(".notes .note-claim a").first
    after = note_link.evaluate("el => getComputedStyle(el, '::after').content")
    assert note_link.get_attribute("data-print") in after
    assert note_link.get_attribute("data-print").startswith("facts/")  # a path within the site
    assert page.locator(".notes").is_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="screen")
    assert page.locator(".masthead nav").is_visible()
