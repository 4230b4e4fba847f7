"""The bundled briefing as a reader uses it, in headless Chromium."""

from __future__ import annotations

import re

import pytest

from browser_support import page_kinds, all_pages
from factsheet.dates import parse_date

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
        assert page.goto(href).ok, href
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


def test_a_fact_cited_twice_has_one_note_with_lettered_backlinks(page, bundled_site, site_urls):
    for path in sorted((bundled_site / "pages").glob("*.html")):
        page.goto(site_urls["root"] + path.relative_to(bundled_site).as_posix())
        numbers = page.eval_on_selector_all("sup.cite a", "els => els.map(e => e.dataset.note)")
        assert sorted(set(numbers), key=int) == [str(n) for n in range(1, len(set(numbers)) + 1)]
        first_use = list(dict.fromkeys(numbers))
        assert first_use == sorted(first_use, key=int)  # numbered in order of first use
        repeated = [n for n in set(numbers) if numbers.count(n) > 1]
        for number in repeated:
            letters = page.locator(f"#note-{number} .backrefs a").all_inner_texts()
            assert letters == [chr(ord("a") + i) for i in range(numbers.count(number))]
        if repeated:
            return
    pytest.fail("no prose page of the bundled briefing cites a fact twice")


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
    assert marks.count() >= 10
    background = page.locator(".document-text mark").first.evaluate(
        "el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    linked = set(page.eval_on_selector_all(".document-text mark a",
                                           "els => els.map(e => e.getAttribute('href'))"))
    citing = set(page.eval_on_selector_all("#facts-heading + ul a",
                                           "els => els.map(e => e.getAttribute('href'))"))
    assert linked <= citing
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


def test_timeline_is_in_date_order(page, bundled_site, site_urls):
    page.goto(site_urls["root"] + "timeline.html")
    links = page.eval_on_selector_all(".timeline .what a", "els => els.map(e => e.getAttribute('href'))")
    assert len(links) >= 5
    keys = []
    for href in links:
        fact = (bundled_site / href).read_text()
        edtf = re.search(r"EDTF <code>([^<]+)</code>", fact).group(1)
        keys.append(parse_date(edtf).sort_key)
    assert keys == sorted(keys)
    shown = page.locator(".timeline .when").all_inner_texts()
    assert any("summer" in s for s in shown) and any("–" in s for s in shown)


def test_entity_pages_list_their_facts(page, bundled_site, site_urls):
    page.goto(site_urls["root"] + "entities/index.html")
    entities = page.eval_on_selector_all("ul.entities a", "els => els.map(e => e.href)")
    assert len(entities) >= 10
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
