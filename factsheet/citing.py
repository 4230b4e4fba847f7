"""Citing: the briefing's sources as CSL-JSON, and each fact as a citation a researcher can paste
(plain text and BibTeX).

Owns: the mapping of our source kinds to CSL item types, CSL dates from EDTF (only what the date
says: a plain year, month or day becomes `date-parts`, anything else its words as a `literal`),
BibTeX escaping, and the wording of a fact's citation. What a source does not give is left out,
never filled in: no publisher, no date, no author, no URL. Pure functions over the model; writes
nothing and imports no stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import PartialDate
from .model import Chain, Fact, Site, Source

# Our source kinds → CSL 1.0 item types. "document" (with the kind's name as `genre`) where CSL
# has no type of that meaning; a briefing's own kinds are documents too.
CSL_TYPES = {"article": "article-newspaper", "statement": "document", "report": "report",
             "interview": "interview", "dataset": "dataset", "book": "book",
             "webpage": "webpage", "transcript": "document", "press-release": "document",
             "speech": "speech", "filing": "document", "post": "post", "other": "document"}
_PLAIN_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?")


def kind_name(site: Site, kind: str) -> str:
    """A source kind in words: "press release"; a briefing's own kind by its name."""
    return site.config.source_kinds.get(kind) or kind.replace("-", " ")


def csl_date(date: PartialDate) -> dict:
    """A CSL date: `date-parts` for an exact year, month or day (a time of day is dropped), else
    the date in words as a `literal`, so that nothing uncertain or approximate looks exact."""
    plain = _PLAIN_DATE.fullmatch(date.machine)  # "" where the date is not exact
    if plain:
        return {"date-parts": [[int(part) for part in plain.groups() if part]]}
    return {"literal": date.text}


def csl_item(site: Site, source: Source) -> dict:
    """One source as a CSL-JSON item; a variable the source does not give is omitted."""
    kind = CSL_TYPES.get(source.kind, "document")
    item = {"id": source.id, "type": kind, "title": source.title}
    if kind == "document" and source.kind != "other":
        item["genre"] = kind_name(site, source.kind)
    if source.author:
        item["author"] = [{"literal": source.author}]  # as written: never split into names
    if source.publisher:
        item["publisher"] = source.publisher
    if source.published:
        item["issued"] = csl_date(source.published)
    if source.url:
        item["URL"] = source.url
    if source.accessed:
        item["accessed"] = csl_date(source.accessed)
    if source.language:
        item["language"] = source.language
    if source.notes:
        item["note"] = source.notes
    return item


def csl_items(site: Site) -> list[dict]:
    """Every source as CSL-JSON, ordered by id."""
    return [csl_item(site, site.sources[ident]) for ident in sorted(site.sources)]


# --- a fact as a citation ----------------------------------------------------------------------

@dataclass(frozen=True)
class FactCitation:
    text: str  # plain text, one paragraph
    bibtex: str  # one @misc entry, ending in a newline


def source_words(source: Source) -> str:
    """"Title (Publisher, 26 Mar 2030)"; only what the source gives."""
    known = [part for part in (source.publisher, source.published and source.published.text)
             if part]
    return source.title + (f" ({', '.join(known)})" if known else "")


def chain_words(site: Site, chain: Chain) -> str:
    """"Ukrainian intelligence sources, via Kyiv Post, via Title", as the fact page says it."""
    names = [site.entities[ident].name for ident in chain.entities]
    sources = [source_words(site.sources[ident]) for ident in chain.sources]
    relayed = sources[0] if len(sources) == 1 else ", ".join(sources[:-1]) + " and " + sources[-1]
    return ", via ".join(names + [relayed])


def cite_fact(site: Site, fact: Fact, address: str) -> FactCitation:
    """How to cite a fact: its claim, the briefing, the page's address (absolute under
    `base_url`, else its path within the site) and the chains and sources it rests on."""
    title = site.config.title
    rests_on = "; ".join(chain_words(site, chain) for chain in site.chains[fact.id])
    text = (f"{title}: “{fact.claim}” Fact {fact.id} ({fact.status}). {address}. "
            f"Rests on: {rests_on}.")
    absolute = address.startswith(("http://", "https://"))
    fields = [("title", "{" + bibtex_text(fact.claim) + "}"),
              ("howpublished", f"\\url{{{bibtex_url(address)}}}" if absolute
               else f"{bibtex_text(title)}, {bibtex_text(address)}")]
    if absolute:
        fields.append(("url", bibtex_url(address)))
    fields.append(("note", bibtex_text(f"Fact {fact.id} ({fact.status}) in {title}. "
                                       f"Rests on: {rests_on}.")))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return FactCitation(text, f"@misc{{{fact.id},\n{body}\n}}\n")


# --- BibTeX ------------------------------------------------------------------------------------

_BIBTEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
                    "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
                    "^": r"\textasciicircum{}"}
_BIBTEX_TABLE = str.maketrans(_BIBTEX_SPECIALS)


def bibtex_text(text: str) -> str:
    """Text for a BibTeX field: LaTeX's special characters escaped, braces always balanced;
    white space made single spaces (a field is one line). Other characters stay UTF-8."""
    return " ".join(text.split()).translate(_BIBTEX_TABLE)


def bibtex_url(url: str) -> str:
    """A URL for `url` and \\url{}: braces and backslashes percent-encoded, `%` and `#` escaped."""
    for char, code in (("{", "%7B"), ("}", "%7D"), ("\\", "%5C"), (" ", "%20")):
        url = url.replace(char, code)
    return url.replace("%", r"\%").replace("#", r"\#")
