"""Search and reading comfort in headless Chromium: the search page over HTTP at the root and under
a sub-path, filters, keyboard only, axe on the search page, the plain message from file://, an
index cut into shards searched as one, and both colour schemes through axe. The index itself,
without a browser: tests/test_search.py and tests/test_search_shards.py."""

from __future__ import annotations

import collections
import html
import json
import re
from pathlib import Path

import pytest

from browser_support import (ROOT, SUB_PATH, WatchedPage, page_kinds, serious_violations,
                             start_server)
from factsheet import shards
from factsheet.pipeline import Paths, build
from test_search import BUNDLE, records

RESULT = "pagefind-results a"


def claims(site: Path) -> dict[str, str]:
    """{fact page path: claim} of a built site."""
    found = {}
    for path in sorted((site / "facts").glob("*.html")):
        if path.name != "index.html":
            found[f"facts/{path.name}"] = re.search(r"<h1>(.*?)</h1>", path.read_text(), re.S)[1]
    return found


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]{6,}", text)}


def stem(word: str) -> str:
    """A rough stem: Pagefind matches "aggression" with "aggressor", "territories" with
    "territory"; two words that begin alike are taken to match."""
    return word[:6]


def words_of_one_claim(site: Path, anywhere: bool = True) -> list[tuple[str, str]]:
    """(word, fact page) for words of six letters or more that one claim has and that no other
    record (`anywhere`), or else no other fact and no other record's title, has a word like:
    nothing else should rank above that fact, or above it among facts."""
    index = records(site)
    in_claims = collections.Counter(stem(w) for claim in claims(site).values()
                                    for w in words(claim))
    elsewhere = collections.Counter(
        stem(w) for r in index.values()
        for w in words(r["content"] if anywhere or r["filters"].get("type") == ["fact"] else "")
        | words(r["meta"].get("title", "")))
    return [(w, path) for path, claim in claims(site).items() for w in sorted(words(claim))
            if in_claims[stem(w)] == 1 and elsewhere[stem(w)] == 1]


def common_word(site: Path) -> str:
    """A word (four letters or more) in records of more than one type, and in the most records."""
    counts, types = collections.Counter(), collections.defaultdict(set)
    for record in records(site).values():
        for word in {w.lower() for w in re.findall(r"[^\W\d_]{4,}", record["content"])}:
            counts[word] += 1
            types[word].update(record["filters"]["type"])
    return max(sorted(w for w in counts if len(types[w]) > 1), key=counts.__getitem__)


def search(page, base: str, query: str) -> None:
    page.goto(base + "search.html?q=" + query)
    page.wait_for_selector(RESULT)


def result_count(page) -> int:
    page.wait_for_function("/\\d+ results? for/.test(document.querySelector('pagefind-summary')"
                           ".textContent)")
    return int(re.search(r"(\d+) results? for", page.inner_text("pagefind-summary"))[1])


@pytest.mark.parametrize("where", ["root", "sub-path"])
def test_a_word_of_one_claim_finds_that_fact_first(page, bundled_site, site_urls, where):
    """A word no other record has: that fact is the first result. A word other pages or
    documents may have, but no other fact: it is the first fact. (The bundled briefing has words
    of both kinds; a small briefing whose pages retell every claim may have only the second.)"""
    unique, among_facts = words_of_one_claim(bundled_site), words_of_one_claim(bundled_site, False)
    assert unique or among_facts, "no word of the briefing is used by one claim only"
    base = site_urls[where]
    for word, fact in unique[:3] + among_facts[:2]:
        search(page, base, word)
        if (word, fact) not in unique:
            only_facts = page.locator("pagefind-filter-pane input[name='type'][value='fact']")
            if only_facts.count():
                only_facts.check()
                page.wait_for_function("[...document.querySelectorAll('pagefind-results a')]"
                                       ".every(a => a.getAttribute('href').includes('/facts/'))")
        first = page.locator(RESULT).first
        href = first.get_attribute("href")
        # an address from the host's root, under the sub-path too: the site is found where it is
        assert href == "/" + base.split("/", 3)[3] + fact, (word, href)
        assert page.locator("pagefind-input input").input_value() == word
    page.locator(RESULT).first.click()
    page.wait_for_url(base + fact)
    assert page.locator("main h1").inner_text() == html.unescape(claims(bundled_site)[fact])
    assert page.problems == []


FOLDERS = {"fact": "/facts/", "page": "/pages/", "source": "/sources/", "entity": "/entities/"}


def hrefs(page) -> list[str]:
    return page.locator(RESULT).evaluate_all("links => links.map(a => a.getAttribute('href'))")


def choose(page, name: str, value: str, count_before: int) -> None:
    """Tick one value of a filter and wait for the results to change."""
    page.locator(f"pagefind-filter-pane input[name='{name}'][value='{value}']").check()
    page.wait_for_function(f"!document.querySelector('pagefind-summary').textContent"
                           f".includes('{count_before} result')")


def test_a_filter_narrows_the_results(page, bundled_site, site_urls):
    search(page, site_urls["root"], common_word(bundled_site))
    everything = result_count(page)
    pane = page.locator("pagefind-filter-pane")
    assert pane.locator("details[data-filter-name='type']").get_attribute("open") is not None
    offered = pane.locator("input[name='type']").evaluate_all(
        "boxes => boxes.map(box => [box.value, +box.parentElement.querySelector("
        "'.pf-filter-checkbox-count').textContent])")
    kind, count = min(offered, key=lambda option: (option[1], option[0]))
    assert len(offered) > 1 and count < everything, offered
    choose(page, "type", kind, everything)
    assert result_count(page) == count
    assert all(h.startswith(FOLDERS[kind]) for h in hrefs(page)), hrefs(page)
    # and, among facts, their status
    page.locator(f"pagefind-filter-pane input[name='type'][value='{kind}']").uncheck()
    page.wait_for_function(f"document.querySelector('pagefind-summary').textContent"
                           f".includes('{everything} result')")
    choose(page, "type", "fact", everything)
    facts = result_count(page)
    status = pane.locator("details[data-filter-name='status']")
    status.locator("summary").click()
    status_value = status.locator("input").first.get_attribute("value")
    if status.locator("input").count() > 1:
        choose(page, "status", status_value, facts)
    else:
        status.locator("input").first.check()
    assert 0 < result_count(page) <= facts
    assert all(h.startswith("/facts/") for h in hrefs(page)), hrefs(page)
    assert page.problems == []


def test_keyboard_only_from_the_header_box_to_a_result(page, bundled_site, site_urls):
    word, _ = (words_of_one_claim(bundled_site) + words_of_one_claim(bundled_site, False))[0]
    base = site_urls["sub-path"]
    page.goto(base + page_kinds(bundled_site)["source"])
    for _ in range(30):  # Tab through the skip link, the brand and the sections to the box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-q":
            break
    else:
        pytest.fail("Tab never reached the header's search box")
    page.keyboard.type(word)
    page.keyboard.press("Enter")  # a plain GET form: search.html?q=…
    page.wait_for_url(re.compile(r"search\.html\?q="))
    page.wait_for_selector(RESULT)
    assert page.evaluate("document.activeElement.matches('pagefind-input input')")
    page.keyboard.press("ArrowDown")  # from the box to the first result
    first = hrefs(page)[0]
    assert page.evaluate("document.activeElement.getAttribute('href')") == first
    page.keyboard.press("Enter")
    page.wait_for_url(base.split("/" + SUB_PATH)[0] + first)
    assert page.locator("main h1").count() == 1
    # and on the search page itself: Tab reaches the box from the top of the page
    page.goto(base + "search.html")
    page.wait_for_selector("pagefind-input input")
    page.evaluate("document.activeElement.blur()")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('pagefind-input input')"):
            break
    else:
        pytest.fail("Tab never reached the search page's box")
    page.keyboard.type(word)
    page.wait_for_selector(RESULT)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") == hrefs(page)[0]
    assert page.problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_search_page_passes_axe_with_results_and_filters_open(browser, bundled_site, site_urls,
                                                                  scheme):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, color_scheme=scheme)
    page = WatchedPage(context.new_page())
    search(page, site_urls["root"], common_word(bundled_site))
    page.eval_on_selector_all("pagefind-filter-pane details",
                              "groups => groups.forEach(group => { group.open = true; })")
    page.wait_for_selector("pagefind-filter-pane input[name='status']")
    found = serious_violations(page)
    context.close()
    assert found == []
    assert page.problems == []


def test_from_disk_the_search_page_says_so_and_links_to_the_facts(page, bundled_site, site_urls):
    page.goto(site_urls["file"] + page_kinds(bundled_site)["fact"])
    page.locator("#site-search-q").fill("two words")
    page.locator("#site-search-q").press("Enter")  # the header's form still goes to the page
    page.wait_for_url(re.compile(r"search\.html\?q=two\+words$"))
    page.wait_for_load_state("load")
    message = page.locator("#search-from-disk")
    assert message.is_visible()
    assert "served over HTTP" in message.inner_text()
    assert message.locator("a").first.get_attribute("href") == "facts/index.html"
    assert not page.locator("#search-app").is_visible()
    page.wait_for_timeout(300)  # nothing late: no request for the index, no error
    assert page.problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_both_colour_schemes_pass_axe(browser, bundled_site, site_urls, scheme):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, color_scheme=scheme)
    page = WatchedPage(context.new_page())
    kinds = page_kinds(bundled_site)
    found = []
    for path in ("index.html", kinds["prose"], kinds["fact"], kinds["source"], kinds["entity"],
                 "timeline.html", "search.html"):
        page.goto(site_urls["root"] + path)
        page.wait_for_load_state("load")
        found += [f"{path}: {v}" for v in serious_violations(page)]
        found += [f"{path}: {problem}" for problem in page.problems]
        page.problems.clear()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    context.close()
    assert found == []
    # the scheme is the reader's: a dark page in the dark scheme, a light one otherwise
    red, green, blue = map(int, re.findall(r"\d+", background)[:3])
    assert (red + green + blue < 150) == (scheme == "dark"), background


def test_print_stays_light_in_the_dark_scheme(browser, bundled_site, site_urls):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(site_urls["root"] + page_kinds(bundled_site)["fact"])
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.emulate_media(media="print", color_scheme="dark")
    printed = page.evaluate("[getComputedStyle(document.body).backgroundColor, "
                            "getComputedStyle(document.body).color]")
    hidden = page.locator(".site-search").evaluate("el => getComputedStyle(el).display")
    context.close()
    assert dark != "rgb(255, 255, 255)"
    assert printed == ["rgb(255, 255, 255)", "rgb(27, 31, 36)"]  # white paper, the light ink
    assert hidden == "none"


@pytest.fixture(scope="module")
def sharded_urls(bundled_site, tmp_path_factory):
    """{"site": the bundled briefing with its index cut into shards of a quarter of its pages'
    bytes, "sub-path": the base URL serving it under /briefing/}."""
    www = tmp_path_factory.mktemp("sharded")
    pages = sum(page.size for page in shards.site_pages(bundled_site, BUNDLE) if page.body)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shards, "SHARD_BYTES", pages // 4)
        assert build(Paths(ROOT / "content", ROOT / "templates", ROOT / "assets",
                           www / SUB_PATH)).ok
    server = start_server(www)
    yield {"site": www / SUB_PATH,
           "sub-path": f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"}
    server.shutdown()


def filter_counts(page, name: str) -> dict[str, int]:
    return dict(page.locator(f"pagefind-filter-pane input[name='{name}']").evaluate_all(
        "boxes => boxes.map(box => [box.value, +box.parentElement.querySelector("
        "'.pf-filter-checkbox-count').textContent])"))


def test_an_index_cut_into_shards_is_searched_and_filtered_as_one(page, bundled_site, site_urls,
                                                                 sharded_urls):
    listed = json.loads((sharded_urls["site"] / BUNDLE / shards.MANIFEST).read_text())["shards"]
    assert len(listed) >= 2
    assert records(sharded_urls["site"]) == records(bundled_site)
    word, fact = (words_of_one_claim(bundled_site) or [("", "")])[0]
    common = common_word(bundled_site)
    found = {}
    for base in (site_urls["root"], sharded_urls["sub-path"]):
        search(page, base, common)
        count = result_count(page)
        page.eval_on_selector_all("pagefind-filter-pane details",
                                  "groups => groups.forEach(group => { group.open = true; })")
        page.wait_for_selector("pagefind-filter-pane input[name='status']")
        counts = {name: filter_counts(page, name) for name in ("type", "status", "year")}
        choose(page, "type", "fact", count)
        facts = result_count(page)
        assert all("/facts/" in h for h in hrefs(page)), hrefs(page)
        first = ""
        if word:
            search(page, base, word)
            first = page.locator(RESULT).first.get_attribute("href")
        found[base] = (count, counts, facts, first.rsplit("/", 2)[-2:] if first else [])
    one, cut = found.values()
    assert one == cut and one[0] > 1 and one[2] < one[0]  # the same results, the same filters
    assert page.problems == []


def test_the_multisource_fixture_is_searchable_with_its_own_filters(page, multisource_urls):
    search(page, multisource_urls["root"], "the")
    names = page.locator("pagefind-filter-pane details").evaluate_all(
        "groups => groups.map(g => g.dataset.filterName)")
    assert {"type", "status", "source", "entity", "year"} <= set(names), names
    assert page.problems == []
