"""Prose citations: Pandoc's `[@fact-id]` / `[@a; @b]` syntax, as a scanner and a Markdown extension.

Owns: the citation syntax (one regular expression, used by both halves), `scan`, which finds
every citation in a Markdown text with its line and column, and `CitationExtension`, which turns
citations into numbered footnote references in order of first use. The extension is given a
`resolve` callable (fact id → true if citable) and a `href` callable (note number → link); it
knows no files, no site and no templates. The footnotes themselves are rendered by a template
from `CitationExtension.notes`.

Processors (registered by name, as Python-Markdown's own extensions do):

| name       | kind             | priority | does |
|------------|------------------|----------|------|
| `citation` | inline processor | 175      | `[@a; @b]` → `<sup><a>` per fact, recording first use |

Priority 175 runs before Python-Markdown's links (160), so `[@id]` is never taken for a link.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from typing import Callable

from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

CITE_ID = re.compile(r"@([a-z0-9][a-z0-9-]*)")
CITATION = re.compile(r"\[@[a-z0-9][a-z0-9-]*(?:\s*;\s*@[a-z0-9][a-z0-9-]*)*\]")
# Anything that starts like a citation, to catch malformed ones ("[@Foo]", "[@a, @b]").
CITATION_START = re.compile(r"\[@[^\]\n]*\]?")
_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)


def ids_in(match: re.Match) -> list[str]:
    return CITE_ID.findall(match.group(0))


@dataclass(frozen=True)
class Found:
    """One citation group as written in the prose."""

    ids: tuple[str, ...]  # empty when malformed
    text: str
    line: int  # 1-based, within the text scanned
    column: int


def _blank_code(text: str) -> str:
    """Replace code with spaces (keeping newlines) so citation-like text in code is skipped."""
    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))
    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, text))


def scan(text: str) -> list[Found]:
    """Every citation group in a Markdown text, in order, with its position."""
    found = []
    searchable = _blank_code(text)
    for match in CITATION_START.finditer(searchable):
        line = searchable.count("\n", 0, match.start()) + 1
        column = match.start() - (searchable.rfind("\n", 0, match.start()) + 1) + 1
        exact = CITATION.match(searchable, match.start())
        if exact:
            found.append(Found(tuple(ids_in(exact)), exact.group(0), line, column))
        else:
            found.append(Found((), match.group(0), line, column))
    return found


@dataclass
class Note:
    """One footnote: a fact, its number, and the anchor id of each place that cites it."""

    number: int
    fact_id: str
    backrefs: list[str] = field(default_factory=list)


class CitationProcessor(InlineProcessor):
    def __init__(self, extension: "CitationExtension"):
        super().__init__(CITATION.pattern)
        self.extension = extension

    def handleMatch(self, match, data):  # noqa: N802 - Python-Markdown's API
        ext = self.extension
        group = etree.Element("span", {"class": "cites"})
        for fact_id in ids_in(match):
            if not ext.resolve(fact_id):
                ext.unknown.append(fact_id)
                continue
            note = ext.note_for(fact_id)
            ref_id = f"cite-{note.number}-{len(note.backrefs) + 1}"
            note.backrefs.append(ref_id)
            sup = etree.SubElement(group, "sup", {"class": "cite", "id": ref_id})
            link = etree.SubElement(sup, "a", {"href": ext.href(note.number),
                                               "data-note": str(note.number)})
            link.text = f"[{note.number}]"
        return group, match.start(0), match.end(0)


class CitationExtension(Extension):
    def __init__(self, resolve: Callable[[str], bool],
                 href: Callable[[int], str] = lambda number: f"#note-{number}", **kwargs):
        self.resolve = resolve
        self.href = href
        super().__init__(**kwargs)
        self.reset()

    def reset(self) -> None:
        self.notes: list[Note] = []
        self.unknown: list[str] = []
        self._by_fact: dict[str, Note] = {}

    def note_for(self, fact_id: str) -> Note:
        if fact_id not in self._by_fact:
            self._by_fact[fact_id] = Note(len(self.notes) + 1, fact_id)
            self.notes.append(self._by_fact[fact_id])
        return self._by_fact[fact_id]

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's API
        md.registerExtension(self)
        md.inlinePatterns.register(CitationProcessor(self), "citation", 175)


def makeExtension(**kwargs):  # noqa: N802 - Python-Markdown's convention
    return CitationExtension(**kwargs)
