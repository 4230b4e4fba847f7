"""Feeds: the files that need absolute URLs, as pure functions of the resolved `Site`.

Owns: `feed.xml`, an Atom feed (RFC 4287) of the facts added or corrected, newest first, each
with its correction notes; `sitemap.xml` (sitemaps.org protocol 0.9) listing every page; and
`robots.txt` naming the sitemap. All three exist only when site.yaml gives `base_url`
(`feed_files` returns nothing otherwise; the build says so once, see pipeline.NO_BASE_URL).

Deterministic: every date comes from the data (`added`, `corrections`), never from the clock, and
a fact with neither is not in the feed. Atom wants a time of day, so a day is written as midnight
UTC; with no dated fact at all there is nothing to list and no feed is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from markupsafe import Markup, escape

from . import structured
from .urls import output_path
from .dates import PartialDate
from .model import Fact, Site

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_LIMIT = 50_000  # URLs in one sitemap file (sitemaps.org); more go in numbered files
FEED, SITEMAP_FILE, ROBOTS = "feed.xml", "sitemap.xml", "robots.txt"

# Characters XML 1.0 does not allow (C0 controls but tab and line ends, lone surrogates,
# U+FFFE/U+FFFF): a hostile claim must not make the feed malformed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def feed_files(site: Site, pages: Iterable[str]) -> dict[str, bytes]:
    """{path in site/: bytes} of feed.xml, sitemap.xml (and its parts) and robots.txt; {} when
    site.yaml has no base_url. `pages`: the output paths built (the .html ones are listed in the
    sitemap)."""
    if not site.config.base_url:
        return {}
    html = [path for path in pages if path.endswith(".html")]
    files = {}
    feed = atom_feed(site)
    if feed is not None:
        files[FEED] = feed
    files.update(sitemaps(site, html))
    files[ROBOTS] = robots(site)
    return files




# --- Atom -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """A fact in the feed: when it was added (if known) and its latest change."""

    fact: Fact
    published: PartialDate | None  # `added`
    updated: PartialDate  # the latest of `added` and the corrections
    corrected: bool  # the latest change is a correction


def has_feed(site: Site) -> bool:
    """Whether feed.xml is written (pages link to it only then)."""
    return bool(site.config.base_url) and any(f.added or f.corrections
                                                for f in site.facts.values())


def entries(site: Site) -> list[Entry]:
    """Facts with `added` or corrections, newest change first (ties by id)."""
    found = []
    for fact in sorted(site.facts.values(), key=lambda f: f.id):
        days = ([fact.added] if fact.added else []) + [c.date for c in fact.corrections]
        if not days:
            continue
        updated = max(days, key=lambda day: day.lower)
        corrected = bool(fact.corrections) and (fact.added is None or
                                                 updated.lower > fact.added.lower)
        found.append(Entry(fact, fact.added, updated, corrected))
    found.sort(key=lambda entry: entry.updated.lower, reverse=True)  # stable: ids stay in order
    return found


def atom_time(day: PartialDate) -> str:
    """An RFC 3339 date-time for an EDTF day ("2030-03-27" → "2030-03-27T00:00:00Z")."""
    return f"{day.machine}T00:00:00Z"


def _add(parent: ET.Element, tag: str, text: str = "", **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _text(v) for k, v in attributes.items()})
    if text:
        element.text = _text(text)
    return element


def entry_html(site: Site, entry: Entry) -> str:
    """An entry's content as HTML: the claim, its status, when it was added, every correction."""
    fact = entry.fact
    parts = [Markup("<p>{}</p>").format(fact.claim),
             Markup("<p>Status: {}.</p>").format(fact.status)]
    if fact.added:
        parts.append(Markup("<p>Added to the briefing on {}.</p>").format(fact.added.text))
    for correction in fact.corrections:
        parts.append(Markup("<p><strong>Correction, {}:</strong> {}</p>").format(
            correction.date.text, correction.note))
    return str(escape("").join(parts))


def atom_feed(site: Site) -> bytes | None:
    """The Atom feed of added and corrected facts, or None when no fact is dated so."""
    listed = entries(site)
    if not listed:
        return None
    config = site.config
    # Plain names with xmlns given as an attribute: ElementTree then writes no prefixes.
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": _text(config.language)})
    _add(feed, "title", config.title)
    if config.subtitle:
        _add(feed, "subtitle", config.subtitle)
    feed_url = structured.absolute(site, FEED)
    _add(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    _add(feed, "link", rel="alternate", type="text/html",
         href=structured.absolute(site, output_path("home")))
    _add(feed, "id", feed_url)
    _add(feed, "updated", atom_time(listed[0].updated))
    author = _add(feed, "author")
    _add(author, "name", config.title)
    if config.licence:
        _add(feed, "rights", config.licence)
    _add(feed, "generator", "factsheet")
    for entry in listed:
        fact = entry.fact
        page = structured.absolute(site, output_path("fact", fact.id))
        item = _add(feed, "entry")
        _add(item, "title", ("Corrected: " if entry.corrected else "") + fact.claim)
        _add(item, "link", rel="alternate", type="text/html", href=page)
        _add(item, "id", page)
        if entry.published is not None:
            _add(item, "published", atom_time(entry.published))
        _add(item, "updated", atom_time(entry.updated))
        _add(item, "category", term=fact.status)
        _add(item, "summary", fact.claim, type="text")
        _add(item, "content", entry_html(site, entry), type="html")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


# --- sitemap and robots.txt -----------------------------------------------------------------

def _lastmod(site: Site) -> dict[str, str]:
    """Output path → the day a fact page last changed, where the data says."""
    return {output_path("fact", entry.fact.id): entry.updated.machine
            for entry in entries(site)}


def _urlset(site: Site, paths: list[str], lastmod: dict[str, str]) -> bytes:
    urlset = ET.Element("urlset", {"xmlns": SITEMAP})
    for path in paths:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = structured.absolute(site, path)
        if path in lastmod:
            ET.SubElement(url, "lastmod").text = lastmod[path]
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def sitemaps(site: Site, pages: list[str]) -> dict[str, bytes]:
    """sitemap.xml listing every page; past 50,000 pages, sitemap.xml is an index of numbered
    sitemaps (sitemap-1.xml, …), as the protocol requires."""
    lastmod = _lastmod(site)
    if len(pages) <= SITEMAP_LIMIT:
        return {SITEMAP_FILE: _urlset(site, pages, lastmod)}
    files = {}
    index = ET.Element("sitemapindex", {"xmlns": SITEMAP})
    for number, start in enumerate(range(0, len(pages), SITEMAP_LIMIT), start=1):
        name = f"sitemap-{number}.xml"
        files[name] = _urlset(site, pages[start:start + SITEMAP_LIMIT], lastmod)
        ET.SubElement(ET.SubElement(index, "sitemap"), "loc").text = structured.absolute(site, name)
    ET.indent(index)
    files[SITEMAP_FILE] = ET.tostring(index, encoding="utf-8", xml_declaration=True) + b"\n"
    return files


def robots(site: Site) -> bytes:
    """Every page may be crawled; the sitemap is named. (Crawlers read robots.txt only at the
    root of a host: under a sub-path it is there for the host's own robots.txt to copy.)"""
    return (f"User-agent: *\nDisallow:\n\nSitemap: {structured.absolute(site, SITEMAP_FILE)}\n"
            .encode("utf-8"))
