"""Dependency notes for incremental rendering (factsheet/depends.py)."""

from __future__ import annotations

import dataclasses

from factsheet.depends import COUNT, WHOLE, Watched, changed_parts


@dataclasses.dataclass(frozen=True)
class Page:
    slug: str
    title: str


@dataclasses.dataclass(frozen=True)
class Site:
    config: str
    facts: dict
    pages: tuple
    home_citations: tuple


SITE = Site("config", {"a": 1, "b": 2}, (Page("p", "P"), Page("q", "Q")), ("a",))


def test_reads_are_noted_by_key_and_iteration_as_the_whole():
    seen: set = set()
    site = Watched(SITE, seen)
    assert site.facts["a"] == 1 and site.facts.get("zz") is None and "b" in site.facts
    assert site.config == "config"
    assert seen == {("facts", "a"), ("facts", "zz"), ("facts", "b"), ("config", None)}
    seen.clear()
    assert list(site.facts.values()) == [1, 2] and len(site.facts) == 2
    assert [p.slug for p in site.pages] == ["p", "q"]
    assert "a" in site.home_citations
    assert seen == {("facts", WHOLE), ("facts", COUNT), ("pages", WHOLE),
                    ("home_citations", None)}


def test_a_mapping_counted_or_tested_is_noted_by_its_size_alone():
    seen: set = set()
    site = Watched(SITE, seen)
    assert len(site.facts) == 2 and site.facts
    assert seen == {("facts", COUNT)}


def test_a_record_handed_to_a_page_notes_each_field_read():
    seen: set = set()
    site = Watched(SITE, seen)
    page = site.record("pages", SITE.pages[0])
    assert page.title == "P" and seen == {("pages", ("p", "title"))}


def test_changes_are_found_per_key_and_a_changed_value_changes_the_whole():
    new = dataclasses.replace(SITE, facts={"a": 1, "b": 3})
    assert changed_parts(SITE, new) == {("facts", "b"), ("facts", WHOLE)}
    added = dataclasses.replace(SITE, facts={"a": 1, "b": 2, "c": 0})
    assert changed_parts(SITE, added) == {("facts", "c"), ("facts", WHOLE), ("facts", COUNT)}
    reordered = dataclasses.replace(SITE, facts={"b": 2, "a": 1})
    assert changed_parts(SITE, reordered) == {("facts", WHOLE)}
    assert changed_parts(SITE, SITE) == set()


def test_pages_are_compared_one_by_one_by_slug_and_field_by_field():
    retitled = dataclasses.replace(SITE, pages=(Page("p", "P2"), Page("q", "Q")))
    assert changed_parts(SITE, retitled) == {("pages", "p"), ("pages", ("p", "title")),
                                             ("pages", WHOLE)}
    none = dataclasses.replace(SITE, pages=())
    assert changed_parts(none, SITE) == {
        ("pages", "p"), ("pages", "q"), ("pages", WHOLE), ("pages", COUNT), *(
            ("pages", (slug, field)) for slug in "pq" for field in ("slug", "title"))}
    other = dataclasses.replace(SITE, home_citations=())
    assert changed_parts(SITE, other) == {("home_citations", None)}


def test_a_page_is_read_again_through_a_chunk_of_its_lists_that_read_a_changed_part():
    from factsheet.depends import lists_read_by
    from factsheet.splice import Chunk
    chunks = {("m", "", ("a", "b")): Chunk(frozenset({("facts", "a"), ("facts", "b")}), b""),
              ("m", "", ("c",)): Chunk(frozenset({("facts", "c")}), b"")}
    lists = {"timeline.html": (("m", "", ("a", "b")), ("m", "", ("c",))),
             "short.html": (("m", "", ("c",)),)}
    assert lists_read_by(lists, chunks, {("facts", "b")}) == {"timeline.html"}
    assert lists_read_by(lists, chunks, {("facts", "c")}) == {"timeline.html", "short.html"}
    assert lists_read_by(lists, chunks, {("facts", "z"), ("pages", WHOLE)}) == set()
