"""Issue 10: the Atom feed of added and corrected facts, sitemap.xml and robots.txt (feeds.py),
and the `added` and `corrections` fields they are built from.

The multi-source fixture gives four facts an `added` day or corrections (one corrected with no
`added`, one added and never corrected, one corrected twice, given out of order); the tests copy
it and give the copy a base_url, since the feed, the sitemap and robots.txt need absolute URLs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from bundled import bundled_only
from conftest import ROOT, SITES, Briefing
from factsheet.pipeline import NO_BASE_URL

BASE = "https://tamsin-bridge.example/briefing/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})\Z")
# The fixture's dated facts, newest change first: (id, published or None, updated).
DATED = [("bow-struck-pier-17", None, "2030-04-25"),
         ("seven-workers-on-bridge", "2030-03-26", "2030-03-30"),
         ("four-missing-presumed-dead", "2030-03-27", "2030-03-29"),
         ("two-workers-rescued", "2030-03-27", "2030-03-27")]


def copy_of(tmp_path: Path, site: str = "multisource", base_url: str | None = BASE) -> Briefing:
    source = ROOT / "content" if site == "bundled" else SITES / site / "content"
    shutil.copytree(source, tmp_path / "content")
    briefing = Briefing(tmp_path)
    if base_url:
        briefing.edit("site.yaml", "language: en\n", f"language: en\nbase_url: {base_url}\n")
    return briefing


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The multi-source fixture with a base_url, built once: its site/ folder."""
    from factsheet.pipeline import Paths, build
    root = tmp_path_factory.mktemp("feeds")
    briefing = copy_of(root)
    result = build(Paths(briefing.content, ROOT / "templates", ROOT / "assets", briefing.output))
    assert result.ok, "\n".join(d.format() for d in result.diagnostics.sorted())
    assert result.notes == []  # base_url given: nothing to say
    return briefing.output


# --- the Atom feed --------------------------------------------------------------------------

def test_the_feed_parses_as_atom_with_no_error(built):
    parsed = feedparser.parse((built / "feed.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "The Tamsin Bridge collapse"
    assert parsed.feed.id == BASE + "feed.xml"
    assert any(link.rel == "self" and link.href == BASE + "feed.xml" for link in parsed.feed.links)


def test_the_feed_lists_the_dated_facts_newest_first_and_no_other(built):
    parsed = feedparser.parse((built / "feed.xml").read_bytes())
    found = [(entry.id, entry.get("published"), entry.updated) for entry in parsed.entries]
    assert found == [(f"{BASE}facts/{ident}.html",
                      f"{published}T00:00:00Z" if published else None, f"{updated}T00:00:00Z")
                     for ident, published, updated in DATED]
    updated = [entry.updated_parsed for entry in parsed.entries]
    assert updated == sorted(updated, reverse=True)
    # the feed's own `updated` is the newest change in the data, never the time of the build
    assert parsed.feed.updated == "2030-04-25T00:00:00Z"
    for entry in parsed.entries:
        assert entry.link == entry.id  # the fact's page


def test_each_entry_carries_its_correction_notes_oldest_first(built):
    parsed = feedparser.parse((built / "feed.xml").read_bytes())
    entries = {entry.id.rsplit("/", 1)[1]: entry for entry in parsed.entries}
    twice = entries["seven-workers-on-bridge.html"]
    content = twice.content[0]
    assert content.type == "text/html"
    first = content.value.index("Correction, 28 Mar 2030:")
    second = content.value.index("Correction, 30 Mar 2030:")
    assert first < second
    assert "its live blog says seven" in content.value
    assert twice.title.startswith("Corrected: ")
    assert "Added to the briefing on 26 Mar 2030" in content.value
    # added and never corrected: no "Corrected" in its title, no correction in its content
    added = entries["two-workers-rescued.html"]
    assert not added.title.startswith("Corrected") and "Correction" not in added.content[0].value
    # corrected with no `added`: no `published`, and no day is made up for it
    corrected = entries["bow-struck-pier-17.html"]
    assert "published" not in corrected and "Added to" not in corrected.content[0].value
    assert "gave the time as 01:29:00" in corrected.summary + corrected.content[0].value


def test_the_feed_keeps_every_must_of_rfc_4287(built):
    """What RFC 4287 requires of a feed and its entries, checked on the XML itself (feedparser
    is lenient): one id, title and updated each; an author for the feed (so for every entry);
    an alternate link or content per entry; unique entry ids; RFC 3339 dates; valid
    `type` values."""
    root = ET.fromstring((built / "feed.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"

    def one(element, name):
        found = element.findall(f"{ATOM}{name}")
        assert len(found) == 1, f"{name}: {len(found)}"
        return found[0]

    for name in ("id", "title", "updated"):
        assert one(root, name).text
    assert one(one(root, "author"), "name").text
    assert RFC3339.match(one(root, "updated").text)
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        ids.append(one(entry, "id").text)
        assert one(entry, "title").text
        assert RFC3339.match(one(entry, "updated").text)
        for published in entry.findall(f"{ATOM}published"):
            assert RFC3339.match(published.text)
            assert published.text <= one(entry, "updated").text
        alternates = [link for link in entry.findall(f"{ATOM}link")
                      if link.get("rel", "alternate") == "alternate"]
        assert len(alternates) == 1 and alternates[0].get("href").startswith(BASE)
        for element in (one(entry, "content"), one(entry, "summary")):
            assert element.get("type") in ("text", "html", "xhtml")
    assert len(ids) == len(set(ids)) == len(DATED)
    for link in root.findall(f"{ATOM}link"):
        assert link.get("href").startswith("https://")


def test_the_feed_is_the_same_whenever_it_is_built(tmp_path, capsys):
    first = copy_of(tmp_path / "a")
    second = copy_of(tmp_path / "b")
    for briefing in (first, second):
        assert briefing.run(capsys=capsys)[0] == 0
    for name in ("feed.xml", "sitemap.xml", "robots.txt"):
        assert (first.output / name).read_bytes() == (second.output / name).read_bytes()


# --- sitemap.xml and robots.txt -------------------------------------------------------------

def test_the_sitemap_lists_every_page_once_by_its_absolute_address(built):
    root = ET.fromstring((built / "sitemap.xml").read_bytes())
    assert root.tag == f"{SITEMAP}urlset"
    locations = [url.find(f"{SITEMAP}loc").text for url in root.findall(f"{SITEMAP}url")]
    assert len(locations) == len(set(locations))
    pages = {p.relative_to(built).as_posix() for p in built.rglob("*.html")
             if "pagefind" not in p.parts}
    for location in locations:
        assert location.startswith(BASE), location
        assert (built / location[len(BASE):]).is_file(), location
    assert {location[len(BASE):] for location in locations} == pages
    lastmod = {url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod").text
               for url in root.findall(f"{SITEMAP}url") if url.find(f"{SITEMAP}lastmod") is not None}
    assert lastmod == {f"{BASE}facts/{ident}.html": updated for ident, _, updated in DATED}


def test_robots_txt_allows_everything_and_names_the_sitemap(built):
    text = (built / "robots.txt").read_text(encoding="utf-8")
    assert text.splitlines()[:2] == ["User-agent: *", "Disallow:"]
    assert f"Sitemap: {BASE}sitemap.xml" in text.splitlines()


def test_every_page_links_the_feed_relatively(built):
    for path in ("index.html", "facts/bow-struck-pier-17.html", "pages/the-night.html"):
        html = (built / path).read_text(encoding="utf-8")
        href = "../feed.xml" if "/" in path else "feed.xml"
        assert '<link rel="alternate" type="application/atom+xml"' in html
        assert f'href="{href}"' in html


# --- without base_url -----------------------------------------------------------------------

def test_without_base_url_nothing_is_written_and_the_build_says_so_once(tmp_path, capsys):
    briefing = copy_of(tmp_path, base_url=None)
    code, out, err = briefing.run(capsys=capsys)
    assert code == 0
    assert out.count(NO_BASE_URL) == 1 and NO_BASE_URL not in err
    assert out.splitlines()[-1] == NO_BASE_URL  # after the summary line
    assert "with 4 warnings" in out and "info" not in err  # not a warning, not in the list
    for name in ("feed.xml", "sitemap.xml", "robots.txt"):
        assert not (briefing.output / name).exists()
    assert "application/atom+xml" not in (briefing.output / "index.html").read_text()


def test_the_note_is_not_shown_under_quiet_nor_when_the_build_fails(tmp_path, capsys):
    briefing = copy_of(tmp_path, base_url=None)
    assert briefing.run("-q", capsys=capsys)[1:] == ("", "")
    briefing.edit("facts/collision.yaml", "status: stated", "status: statd")
    code, out, err = briefing.run(capsys=capsys)
    assert code == 1 and NO_BASE_URL not in out + err


def test_the_briefing_in_content_with_a_base_url_gets_a_sitemap_of_every_page(tmp_path, capsys):
    # Whatever briefing content/ holds: given a base_url, every page is in the sitemap.
    shutil.copytree(ROOT / "content", tmp_path / "content")
    briefing = Briefing(tmp_path)
    site_yaml = briefing.content / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    if not re.search(r"^base_url:", text, re.MULTILINE):
        site_yaml.write_text("base_url: https://example.org/briefing\n" + text, encoding="utf-8")
    code, out, err = briefing.run(capsys=capsys)
    assert code == 0, err
    assert NO_BASE_URL not in out
    root = ET.fromstring((briefing.output / "sitemap.xml").read_bytes())
    locations = [url.find(f"{SITEMAP}loc").text for url in root]
    base = re.search(r"^base_url: *(\S+)", site_yaml.read_text(encoding="utf-8"),
                     re.MULTILINE)[1].strip("\"'").rstrip("/") + "/"
    assert base + "index.html" in locations
    assert sorted(loc.removeprefix(base) for loc in locations) == sorted(
        p.relative_to(briefing.output).as_posix() for p in briefing.output.rglob("*.html")
        if "pagefind" not in p.parts)
    assert f"Sitemap: {base}sitemap.xml" in (briefing.output / "robots.txt").read_text()


def first_commit_day(fact_id: str) -> str | None:
    """The day the repository's history first holds `- id: <fact_id>` under content/facts/."""
    days = subprocess.run(["git", "log", "--reverse", "--format=%ad", "--date=short",
                           "-S", f"- id: {fact_id}\n", "--", "content/facts"],
                          cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return days[0] if days else None


@bundled_only
def test_the_bundled_briefing_published_with_base_url_has_a_feed_dated_by_its_history(
        tmp_path, capsys):
    # The seed article dates no fact's entry into the briefing; the repository's history does,
    # and `added` holds that day. --base-url (a publishing workflow's address) turns on the feed.
    briefing = copy_of(tmp_path, "bundled", base_url=None)
    code, out, err = briefing.run("--base-url", "https://example.org/briefing/", capsys=capsys)
    assert code == 0, err
    assert NO_BASE_URL not in out
    parsed = feedparser.parse((briefing.output / "feed.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    facts = sorted(p.stem for p in (briefing.output / "facts").glob("*.html") if p.stem != "index")
    entries = {entry.id.removeprefix("https://example.org/briefing/facts/").removesuffix(".html"):
               entry.published[:10] for entry in parsed.entries}
    assert sorted(entries) == facts  # every fact has its day
    for fact_id, day in entries.items():
        assert day == first_commit_day(fact_id), fact_id
    assert (briefing.output / "sitemap.xml").is_file() and (briefing.output / "robots.txt").is_file()


def test_base_url_on_the_command_line_replaces_site_yaml_s(tmp_path, capsys):
    briefing = copy_of(tmp_path)  # site.yaml gives BASE
    code, out, err = briefing.run("--base-url", "https://mirror.example/b", capsys=capsys)
    assert code == 0, err
    parsed = feedparser.parse((briefing.output / "feed.xml").read_bytes())
    assert parsed.feed.id == "https://mirror.example/b/feed.xml"
    assert "Sitemap: https://mirror.example/b/sitemap.xml" in (
        briefing.output / "robots.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("address", ["ftp://example.org/", "example.org/briefing", ""])
def test_a_base_url_that_is_not_an_http_address_is_refused_before_building(tmp_path, capsys,
                                                                           address):
    briefing = copy_of(tmp_path, base_url=None)
    with pytest.raises(SystemExit) as stop:
        briefing.run("--base-url", address, capsys=capsys)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "--base-url: expected an http:// or https:// URL" in err
    assert not briefing.output.exists()


# --- the fields -----------------------------------------------------------------------------

def test_corrections_are_shown_on_the_facts_page_dated_oldest_first(built):
    html = (built / "facts/seven-workers-on-bridge.html").read_text(encoding="utf-8")
    section = html[html.index('<section class="corrections"'):]
    section = section[:section.index("</section>")]
    assert '<h2 id="corrections-heading">Corrections</h2>' in section
    assert section.index("28 Mar 2030") < section.index("30 Mar 2030")
    assert '<time datetime="2030-03-28">' in section
    assert "its live blog says seven" in section
    assert "Added</dt>" in html
    plain = (built / "facts/power-lost-before-collision.html").read_text(encoding="utf-8")
    assert "corrections" not in plain and "Added</dt>" not in plain


@pytest.mark.parametrize("edit, message, hint", [
    ('added: "2024-10"', "expected an EDTF day such as \"2024-10-03\", not a month (Oct 2024)",
     "give the day the briefing changed"),
    ('added: "2024-10-03?"', "a day marked uncertain or approximate",
     'write the day alone, unqualified: "2024-10-03"'),
    ('added: "2024-10-03T10:00:00Z"', "not a day with a time",
     'write the day alone, unqualified: "2024-10-03"'),
    ('added: "October 3"', "expected an EDTF day", 'write the day as "2024-10-03"'),
    ('added: "2024-10-3"', "expected an EDTF day", "did you mean 2024-10-03?"),
    ('corrections:\n    - date: "2024-10-05"', "correction 1 of fact 'ships-docked' has no 'note'",
     "add 'note:'"),
    ('corrections:\n    - {date: "2024-10-05", note: Fixed., by: me}',
     "unknown key 'by' in correction 1 of fact 'ships-docked'", ""),
    ('corrections: "fixed on 5 October"', "'corrections': expected a list of one or more "
                                          "correction mappings", "write '- date: …'"),
    ('added: "2024-10-06"\n  corrections:\n    - {date: "2024-10-05", note: Fixed.}',
     "correction 1 of fact 'ships-docked' is dated 5 Oct 2024, before the fact was added "
     "(6 Oct 2024)", "a fact is corrected after it was added"),
])
def test_added_and_corrections_are_checked_like_every_field(briefing, capsys, edit, message,
                                                            hint):
    briefing.edit("facts/ships.yaml", "  status: stated\n", f"  status: stated\n  {edit}\n")
    code, _, err = briefing.run("check", capsys=capsys)
    assert code == 1
    lines = [line for line in err.splitlines() if re.match(r"\d+\. ", line)]
    assert len(lines) == 1, err
    assert re.match(r"1\. content/facts/ships\.yaml:\d+:\d+: error \[\w+\]: ", lines[0]), err
    assert message in lines[0], err
    assert hint in err


def test_a_valid_added_day_and_correction_build(briefing, capsys):
    briefing.edit("facts/ships.yaml", "  status: stated\n",
                  '  status: stated\n  added: "2024-10-03"\n  corrections:\n'
                  '    - {date: "2024-10-03", note: "Same day: a typo fixed."}\n')
    code, out, err = briefing.run(capsys=capsys)
    assert code == 0, err
    assert "a typo fixed" in (briefing.output / "facts/ships-docked.html").read_text()


def test_hostile_text_keeps_the_feed_well_formed(tmp_path, capsys):
    briefing = copy_of(tmp_path)
    hostile = 'Fixed ]]> </content><entry> & \\x01 <script>alert(1)</script>'
    briefing.edit("facts/collision.yaml", "      note: An earlier version of this fact gave the "
                  "time as 01:29:00; the Board's report gives 01:29:09.",
                  f'      note: "{hostile}"')
    code, _, err = briefing.run(capsys=capsys)
    assert code == 0, err
    parsed = feedparser.parse((briefing.output / "feed.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert len(parsed.entries) == len(DATED)
    content = parsed.entries[0].content[0].value
    assert "Fixed ]]&gt; &lt;/content&gt;&lt;entry&gt; &amp; \ufffd &lt;script&gt;" in content
