"""Structured data: what machines read about a page, as pure functions of the resolved `Site`.

Owns: the OpenGraph and Twitter card fields of every page (`social`), the schema.org JSON-LD of a
fact (`claim`: a Claim with its appearances and claimants) and of the home page (`dataset`: the
data exports as a Dataset), JSON made safe inside `<script>` (`script_json`), and links into a
source's original at the quoted passage (`text_fragment_url`, W3C URL Fragment Text Directives).

Nothing here is invented: a property the data does not give is left out (no `datePublished` for a
source with no known date of publication, no `url` without `base_url`). Absolute URLs exist only
under `base_url`; without it, `@id`, `url` and `og:url` are simply absent.
"""

from __future__ import annotations

import functools
import json
import string
from dataclasses import dataclass
from urllib.parse import quote, unquote

from markupsafe import Markup

from .documents import Document, Paragraph
from .model import Chain, Fact, Site, Source
from .urls import output_path

SCHEMA_ORG = "https://schema.org"

# The data exports the home page's Dataset describes: (path in site/, media type, what it holds).
EXPORTS = (
    ("data/facts.json", "application/json", "every fact, with its citations and chains"),
    ("data/facts.csv", "text/csv", "every fact, one row each"),
    ("data/sources.json", "application/json", "every source"),
    ("data/entities.json", "application/json", "every entity"),
    ("data/sources.csl.json", "application/vnd.citationstyles.csl+json",
     "every source as CSL JSON, for reference managers"),
)

# An entity as the author of a claim (schema.org `author` expects a Person or an Organization).
# Kinds that cannot author anything (a place, a vessel, an event) are left out, not forced in.
AGENT_TYPES = {"person": "Person", "organisation": "Organization", "publication": "Organization",
               "group": "Organization", "state": "GovernmentOrganization"}

DESCRIPTION_LIMIT = 300  # characters of an og:description before it is cut at a word


def absolute(site: Site, path: str) -> str:
    """The published address of a path in site/, or "" when the site has no base_url."""
    base = site.config.base_url
    return uri(f"{base.rstrip('/')}/{path}") if base else ""


def uri(url: str) -> str:
    """An address as a URI: spaces, controls and non-ASCII characters percent-encoded (a
    base_url is checked for its scheme and host only). Idempotent."""
    return "".join(char if 0x20 < ord(char) < 0x7F else quote(char, safe="") for char in url)


# --- text fragments -------------------------------------------------------------------------

# Characters a text directive may hold as they are (URL Fragment Text Directives, §3.3.1
# "Syntax": alphanumerics and !$'()*+./:;=?@_~). Everything else is percent-encoded as UTF-8,
# which covers the three the syntax itself uses: '-', '&' and ','.
TEXT_SAFE = frozenset(string.ascii_letters + string.digits + "!$'()*+./:;=?@_~")
# The same for urllib's quote, which always keeps letters, digits and "_.-~" ('-' is then encoded
# by hand): a character at a time in Python took a second of a 10k build.
_QUOTE_SAFE = "".join(sorted(TEXT_SAFE - set(string.ascii_letters + string.digits + "_.-~")))
LONG_PASSAGE_CHARS = 300  # a longer passage is given by its first and last words
LONG_PASSAGE_WORDS = 40
EDGE_WORDS = 6  # words at each end of a long passage (textStart, textEnd)
ELLIPSIS = " … "  # how an elided quote's parts are joined (quotes.passage)


def encode_text(text: str) -> str:
    """One text directive parameter, percent-encoded: "Kestria-flagged, 22" →
    "Kestria%2Dflagged%2C%2022"."""
    return quote(text, safe=_QUOTE_SAFE).replace("-", "%2D")


@functools.lru_cache(maxsize=1 << 15)  # a passage is linked from its fact's page, its source's …
def text_directive(passage: str, prefix: str = "", suffix: str = "") -> str:
    """`text=…` for a passage: the whole passage when short; its first and last words
    (textStart,textEnd) when long or elided, so that the browser highlights the range from one
    to the other. `prefix` and `suffix` (the words just before or after the passage, for a
    passage whose first words the document has more than once) become `prefix-,` and `,-suffix`:
    the browser then takes the occurrence they surround, not the first one."""
    parts = [" ".join(part.split()) for part in passage.split(ELLIPSIS)]
    parts = [part for part in parts if part]
    if not parts:
        return ""
    whole = " ".join(parts)
    words = whole.split()
    if len(parts) == 1 and len(whole) <= LONG_PASSAGE_CHARS and len(words) <= LONG_PASSAGE_WORDS:
        terms = [encode_text(whole)]
    else:
        first, last = parts[0].split(), parts[-1].split()
        if len(parts) == 1:  # one long passage: its first and last words, never overlapping
            edge = min(EDGE_WORDS, len(words) // 2)
            first, last = words[:edge], words[-edge:]
        else:
            first, last = first[:EDGE_WORDS], last[-EDGE_WORDS:]
        terms = [encode_text(" ".join(first)), encode_text(" ".join(last))]
    prefix, suffix = " ".join(prefix.split()), " ".join(suffix.split())
    terms = ([encode_text(prefix) + "-"] if prefix else []) + terms + \
        (["-" + encode_text(suffix)] if suffix else [])
    return "text=" + ",".join(terms)


CONTEXT_WORDS = 3  # words of prefix (or suffix) that pick one of several occurrences


@functools.lru_cache(maxsize=1 << 15)
def text_start(passage: str) -> str:
    """The words the browser searches for first (textStart), white space folded."""
    # called as text_fragment_url calls it, so that the cache holds one entry for both
    directive = text_directive(passage, "", "").removeprefix("text=")
    return unquote(directive.split(",")[0])


@dataclass(frozen=True)
class Shown:
    """An archived document's paragraphs as shown (white space folded), casefolded: what
    passage_context searches, made once for every passage of a document."""

    paragraphs: tuple[Paragraph, ...]
    # Joined by a line break, which no passage's first words hold (they are words joined by a
    # space): one count over it is the sum of the paragraphs' counts, without a Python loop
    # (the 54,000 citations shown at ten thousand facts went through 1.1 million paragraphs).
    text: str


def shown_paragraphs(text: str, document: Document) -> Shown:
    """Each paragraph of an archived document with its text as shown (white space folded),
    casefolded: what passage_context searches."""
    return Shown(tuple(document.paragraphs),
                 "\n".join(" ".join(p.display(text).split()).casefold()
                           for p in document.paragraphs))


def passage_context(text: str, document: Document, start: int, end: int,
                    passage: str, shown: Shown | None = None) -> tuple[str, str]:
    """(prefix, suffix) for the passage at text[start:end] of an archived document: ("", "")
    when its first words occur once in the document as shown; else up to CONTEXT_WORDS words
    before it in its paragraph, or, at a paragraph's start, the words after it. `shown`:
    shown_paragraphs(text, document), made once for every passage of a document."""
    shown = shown_paragraphs(text, document) if shown is None else shown
    first = text_start(passage).casefold()
    if not first or shown.text.count(first) < 2:
        return "", ""
    paragraph = next((p for p in shown.paragraphs if p.start <= start < p.end), None)
    if paragraph is None:
        return "", ""
    before, after = _around(text, paragraph, start, end)
    if before:
        return " ".join(before.split()[-CONTEXT_WORDS:]), ""
    return "", " ".join(after.split()[:CONTEXT_WORDS])


def _around(text: str, paragraph: Paragraph, start: int, end: int) -> tuple[str, str]:
    """The paragraph's text as shown before `start` and after `end` (offsets into text)."""
    before, after = [], []
    separators = (*paragraph.separators(text), "")
    for (line_start, line_end), separator in zip(paragraph.lines, separators):
        if line_start < start:
            before += [text[line_start:min(line_end, start)], separator if line_end < start else ""]
        if line_end > end:
            after += [text[max(line_start, end):line_end], separator]
    return "".join(before), "".join(after)


def text_fragment_url(url: str, passage: str, prefix: str = "", suffix: str = "") -> str:
    """`url` with a text fragment that lands the reader on `passage` in the original; "" when
    there is nothing to point at. A URL with a fragment of its own keeps it (`#top:~:text=…`).
    `prefix` and `suffix` as for `text_directive`."""
    directive = text_directive(passage, prefix, suffix)
    if not url or not directive:
        return ""
    return url + (":~:" if "#" in url else "#:~:") + directive


# --- JSON inside HTML -----------------------------------------------------------------------

_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                   0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(data) -> Markup:
    """JSON for a `<script type="application/ld+json">` element: '<', '>' and '&' written as
    \\u003c, \\u003e, \\u0026, so no text in the data can close the element (`</script>`) or
    open a comment (`<!--`); the JSON still parses to the same values."""
    return Markup(indented_json(data).translate(_SCRIPT_ESCAPES))


def indented_json(data) -> str:
    """json.dumps(data, ensure_ascii=False, indent=1), the same text, made several times faster:
    with an indent the json module encodes in Python, a generator per level, which took a second
    of a ten-thousand-fact build (a fact page's JSON-LD). Data of other shapes than JSON-LD's
    (str keys; str, number, bool, None, list and dict values) is given to json.dumps."""
    out: list[str] = []
    try:
        _indent(data, "\n", out)
    except TypeError:
        return json.dumps(data, ensure_ascii=False, indent=1)
    return "".join(out)


def _indent(value, newline: str, out: list[str]) -> None:
    """Append `value` as indented JSON to `out`; `newline`: a line break and the indent of the
    level `value` is at."""
    if type(value) is str:
        out.append(_encode_string(value))
    elif type(value) is dict and value:
        inner = newline + " "
        separator = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError("not a str key")
            out.append(separator + _encode_string(key) + ": ")
            _indent(item, inner, out)
            separator = "," + inner
        out.append(newline + "}")
    elif type(value) is list and value:
        inner = newline + " "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _indent(item, inner, out)
            separator = "," + inner
        out.append(newline + "]")
    elif value is None or type(value) in (bool, int, float, dict, list):
        out.append(json.dumps(value))  # a number, true, false, null, {} or []
    else:
        raise TypeError("not JSON-LD's kind of data")


_encode_string = json.encoder.encode_basestring  # as json.dumps(ensure_ascii=False) writes one


# --- OpenGraph and Twitter cards ------------------------------------------------------------

def shorten(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def description(site: Site, template: str, context: dict) -> str:
    """What a page is about in one line: a fact's claim, a page's summary, an entity's
    description; else the briefing's subtitle, else its title."""
    found = ""
    if template == "fact.html":
        found = context["fact"].claim
    elif template == "page.html":
        found = context["page"].summary
    elif template == "entity.html":
        found = context["entity"].description
    return shorten(found or site.config.subtitle or site.config.title)


def social(site: Site, page_path: str, template: str, context: dict) -> dict:
    """The fields of a page's OpenGraph and Twitter card meta tags, besides its title (which
    the template has): description, type, site name and, under base_url, its address."""
    return {"description": description(site, template, context),
            "type": "website" if template == "home.html" else "article",
            "site_name": site.config.title,
            "url": absolute(site, page_path)}


# --- JSON-LD --------------------------------------------------------------------------------

def _date(date) -> str:
    """A date schema.org can take (ISO 8601), or "" where it has none exact enough."""
    return date.machine if date is not None else ""


def creative_work(site: Site, source: Source) -> dict:
    """A source as a schema.org CreativeWork: its title, and what the source record gives."""
    work = {"@type": "CreativeWork", "name": source.title}
    if source.url:
        work["url"] = source.url
    if _date(source.published):
        work["datePublished"] = _date(source.published)
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.language:
        work["inLanguage"] = source.language
    if source.archive_url:
        work["archivedAt"] = source.archive_url
    return work


def _agents(site: Site, chain: Chain) -> list[dict]:
    """Who a chain says made the claim: its original claimant, or, where the sources speak in
    their own voice, their publishers. [] where that is not a Person or an Organization."""
    if chain.entities:
        entity = site.entities[chain.entities[0]]
        kind = AGENT_TYPES.get(entity.kind)
        if kind is None:
            return []
        agent = {"@type": kind, "name": entity.name}
        if entity.wikidata:
            agent["sameAs"] = f"https://www.wikidata.org/wiki/{entity.wikidata}"
        return [agent]
    return [{"@type": "Organization", "name": site.sources[ident].publisher}
            for ident in chain.sources if site.sources[ident].publisher]


def first_appearance(site: Site, source_ids: list[str]) -> str:
    """The source that certainly published the claim first, or "": the only one cited, or one
    whose publication ended before any other's could have begun. Sources with no known date, or
    two on the same day, leave it unknown."""
    if len(source_ids) == 1:
        return source_ids[0]
    dates = {ident: site.sources[ident].published for ident in source_ids}
    if any(date is None for date in dates.values()):
        return ""
    for ident, date in dates.items():
        if all(date.upper < other.lower for other_id, other in dates.items()
               if other_id != ident):
            return ident
    return ""


def claim(site: Site, fact: Fact) -> dict:
    """A fact as a schema.org Claim: its text, each source it appears in, the first of them where
    the dates say so, its original claimants as authors, and its corrections."""
    data = {"@context": SCHEMA_ORG, "@type": "Claim"}
    url = absolute(site, output_path("fact", fact.id))
    if url:
        data["@id"] = url + "#claim"
        data["url"] = url
    data["text"] = fact.claim
    data["inLanguage"] = site.config.language
    sources = list(dict.fromkeys(citation.source for citation in fact.citations))
    data["appearance"] = [creative_work(site, site.sources[ident]) for ident in sources]
    first = first_appearance(site, sources)
    if first:
        data["firstAppearance"] = creative_work(site, site.sources[first])
    authors: list[dict] = []
    for chain in site.chains.get(fact.id, ()):
        authors += [agent for agent in _agents(site, chain) if agent not in authors]
    if authors:
        data["author"] = authors
    if fact.corrections:
        data["correction"] = [{"@type": "CorrectionComment", "text": correction.note,
                               "datePublished": correction.date.machine}
                              for correction in fact.corrections]
    return data




def dataset(site: Site) -> dict:
    """The briefing's data exports as a schema.org Dataset, each file a DataDownload by its
    path (absolute under base_url)."""
    config = site.config
    counts = (f"{len(site.facts)} facts, {len(site.sources)} sources and {len(site.entities)} "
              f"entities")
    data = {"@context": SCHEMA_ORG, "@type": "Dataset"}
    url = absolute(site, output_path("home"))
    if url:
        data["@id"] = url + "#dataset"
        data["url"] = url
    data["name"] = config.title
    data["description"] = (f"{config.subtitle} — " if config.subtitle else "") + \
        f"{counts} of the briefing “{config.title}”, each fact with its citations, quotes and " \
        f"attribution chains."
    data["inLanguage"] = config.language
    if config.licence:
        data["license"] = {"@type": "CreativeWork", "name": config.licence}
    data["distribution"] = [{"@type": "DataDownload", "name": path.rsplit("/", 1)[-1],
                             "description": what, "encodingFormat": media,
                             "contentUrl": absolute(site, path) or path}
                            for path, media, what in EXPORTS]
    return data
