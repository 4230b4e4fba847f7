"""Issue 10 in a real browser: the JSON-LD of a fact page and of the home page is one parseable
script element each, as Chromium reads the page (tests/test_structured.py checks the vocabulary)."""

from __future__ import annotations


def test_a_fact_page_and_the_home_page_carry_parseable_json_ld(page, multisource_urls):
    root = multisource_urls["root"]
    page.goto(root + "facts/seven-workers-on-bridge.html")
    page.wait_for_load_state("load")
    found = page.evaluate("""() => [...document.querySelectorAll(
        'script[type="application/ld+json"]')].map(s => JSON.parse(s.textContent))""")
    assert len(found) == 1
    claim = found[0]
    assert claim["@context"] == "https://schema.org" and claim["@type"] == "Claim"
    assert claim["text"] == page.locator("main h1").inner_text()
    assert [c["@type"] for c in claim["correction"]] == ["CorrectionComment"] * 2
    # the corrections the JSON-LD gives are the ones the reader sees
    assert page.locator(".corrections li").count() == 2
    page.goto(root + "index.html")
    dataset = page.evaluate("""() => JSON.parse(document.querySelector(
        'script[type="application/ld+json"]').textContent)""")
    assert dataset["@type"] == "Dataset" and dataset["distribution"]
    assert page.problems == []
