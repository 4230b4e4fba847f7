"""Prose: a page's Markdown parsed once into a `Prose` value (HTML, notes, citations, problems).

Owns: the Python-Markdown extension that renders prose with its citations as numbered note
references, the sanitising of prose HTML (nh3), and what a text cites, where, and what is wrong
with its citations. The syntax is `citations.py`. Knows no facts, files or templates: `resolve`
decides which ids exist and reports the problems; templates show the notes.

Each citation-like token is swapped for a placeholder before Markdown reads the text, so
Markdown never parses a citation; where Markdown puts the placeholder decides what it was:

| name               | kind          | priority | does |
|--------------------|---------------|----------|------|
| `citation_mark`    | preprocessor  | 35       | tokens → placeholders, with line and column, before `normalize_whitespace` (30) expands tabs |
| `citation_code`    | preprocessor  | 24       | placeholders in fenced code (stashed by `fenced_code`, 25) → code |
| `citation`         | treeprocessor | 15       | after `inline` (20), in document order: in text → citation, numbered; in `code`/`pre` → code; in link text → left |
| `sanitise`         | postprocessor | 10       | after `raw_html` (30): nh3 with `ALLOWED_TAGS`; notes the placeholders it gets |
| `citation_restore` | postprocessor | 5        | citation markers → note links; every other placeholder → its text, escaped |

A placeholder left at the end (raw HTML, an attribute, link text) was published as text: a
problem. One the sanitiser removed (an HTML comment) was never shown: none. One Markdown dropped
(a link reference definition such as `[^1]: [@id]`): a problem.

Citations are found by a tree processor, not an inline processor: Python-Markdown rescans a
text from its start after each inline match, quadratic in the citations of a paragraph; their
markup (ours, numbers only) is put in after sanitising. For the same reason the block parser
gets its blocks in a deque (`_Blocks`).
"""

from __future__ import annotations

import collections
import re
import threading
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .citations import CITED, CLOSE, OPEN, PLACEHOLDER, Marks, Token
from .errors import Location

# What prose may keep after sanitising: Markdown's own output plus the citation markup.
ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del",
                "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr",
                "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
                "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
                "tr", "ul"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "data-note"}, "abbr": {"title"},
                      "img": {"src", "alt", "title", "width", "height"},
                      "th": {"align", "scope"}, "td": {"align"}, "ol": {"start"},
                      "sup": {"id", "class"}, "span": {"class"}, "code": {"class"},
                      **{f"h{n}": {"id"} for n in range(2, 7)}}
URL_SCHEMES = {"http", "https", "mailto"}

MALFORMED, NOT_RENDERED, DROPPED, BARE, UNPARSABLE = (
    "malformed", "not rendered", "dropped", "bare", "unparsable")
_NEXT = re.compile(r"\s*" + PLACEHOLDER.pattern)  # the next line of a group over lines
_CITED = re.compile(f"{CITED}([0-9]+){CLOSE}")  # a rendered citation, by token index
MALFORMED_HINT = "write [@fact-id] or [@first-id; @second-id], ids in lower case"
NOT_RENDERED_HINT = ("citations work in Markdown text, not in raw HTML, attributes or link "
                     "text; move it out, or put it in `code` to show it as written")
DROPPED_HINT = ("Markdown takes a line '[label]: …' for a link reference definition and shows "
                "nothing; footnotes are not supported, so cite in the text")


@dataclass(frozen=True, slots=True)
class Use:
    """One place a note's fact is cited: the anchor the note links back to, and what the
    citation adds (`[see @id, para. 3]` → prefix "see", locator "para. 3")."""

    anchor: str
    prefix: str = ""
    locator: str = ""


@dataclass(frozen=True, slots=True)
class Note:
    number: int
    fact_id: str
    uses: tuple[Use, ...]


@dataclass(frozen=True, slots=True)
class Cite:
    """A fact id as a rendered citation cites it, located at its group's opening bracket."""

    fact_id: str
    location: Location


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str  # MALFORMED, NOT_RENDERED, DROPPED, BARE or UNPARSABLE
    location: Location
    message: str
    hint: str = ""
    fact_id: str = ""  # BARE: the id mentioned, reported only if a fact has it

    @property
    def severity(self) -> str:
        return "warning" if self.kind == BARE else "error"

    @property
    def key(self) -> str:
        return "" if self.kind == UNPARSABLE else "citation"


@dataclass(frozen=True, slots=True)
class Prose:
    html: str  # sanitised
    notes: tuple[Note, ...] = ()  # in order of first use
    citations: tuple[Cite, ...] = ()  # in the order written
    problems: tuple[Problem, ...] = ()


def sanitise(text: str) -> str:
    """Strip scripts, event handlers, styles, comments and non-http(s) URLs from prose HTML."""
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel=None,
                     clean_content_tags={"script", "style"})


def parse_prose(text: str, start: Location) -> Prose:
    """Markdown → Prose. `start` is where the text begins in its file (a page's body line)."""
    md, extension = _taken_converter(start)
    try:
        prose = extension.parse.result(md.convert(text))
    except RecursionError:
        why, hint = "it nests too deeply", "nest lists and block quotes fewer levels deep"
    except Exception as exc:  # noqa: BLE001 - a third-party parser's failure, reported
        why, hint = f"{type(exc).__name__}: {exc}", ("simplify this page's Markdown (tables, "
                                                      "nested lists, raw HTML) until it builds, "
                                                      "and report the text that fails")
    else:
        # Given back only now: one that stopped mid-way (an error, Ctrl-C) may hold that
        # text's state, and the next text gets a new one.
        _CONVERTER.made = md, extension
        return prose
    # Keep what the text cites, so that one unreadable page does not make its facts "uncited".
    cites = tuple(Cite(fact_id, token.location) for token in extension.parse.tokens
                  for fact_id, _, _ in token.items or ())
    return Prose("", (), cites, (Problem(UNPARSABLE, start,
                                         f"Markdown cannot render this text: {why}", hint),))


# One converter a thread, made once and reset for each text: making one (its processors,
# patterns and registries) cost as much as converting a page of 800 words, a second of a
# build's CPU at a thousand prose pages.
_CONVERTER = threading.local()


def _taken_converter(start: Location) -> tuple[markdown.Markdown, ProseExtension]:
    """This thread's converter (made if it has none), reset (its extensions' state too) for a
    text at `start`, and taken until parse_prose gives it back."""
    made, _CONVERTER.made = getattr(_CONVERTER, "made", None), None
    if made is None:
        extension = ProseExtension(start)
        # Instances, not names: a name makes Markdown list every installed package's entry
        # points first (importlib.metadata, 30 ms a process) to see whether another claims it.
        made = (markdown.Markdown(extensions=[
            extension, TableExtension(), FencedCodeExtension(), SaneListExtension()]), extension)
    md, extension = made
    extension.start = start
    md.reset()  # (the extension's too: a new _Parse from `start`)
    return made


@dataclass
class _Parse(Marks):
    """One conversion's state, shared by the processors."""

    notes: dict[str, tuple[int, list[Use]]] = field(default_factory=dict)  # id → number, uses
    cites: list[Cite] = field(default_factory=list)
    markup: dict[int, str] = field(default_factory=dict)  # token index → its citation HTML
    before_sanitise: set[int] = field(default_factory=set)
    after_sanitise: set[int] = field(default_factory=set)

    def cite(self, token: Token, index: int) -> str:
        """Number a group's citations → the marker that its markup will replace."""
        token.where = "cited"
        html = []
        for fact_id, prefix, locator in token.items:
            number, uses = self.notes.setdefault(fact_id, (len(self.notes) + 1, []))
            anchor = f"cite-{number}-{len(uses) + 1}"
            uses.append(Use(anchor, prefix, locator))
            self.cites.append(Cite(fact_id, token.location))
            html.append(f'<sup class="cite" id="{anchor}"><a data-note="{number}" '
                        f'href="#note-{number}">[{number}]</a></sup>')
        self.markup[index] = f'<span class="cites">{"".join(html)}</span>'
        return f"{CITED}{index}{CLOSE}"

    def mark_code(self, text: str) -> None:
        for match in PLACEHOLDER.finditer(text):
            self.token(int(match[1])).where = "code"

    def result(self, html_text: str) -> Prose:
        notes = tuple(Note(number, fact_id, tuple(uses))
                      for fact_id, (number, uses) in self.notes.items())
        cites = sorted(self.cites, key=lambda c: (c.location.line, c.location.column))
        return Prose(html_text, notes, tuple(cites), tuple(filter(None, map(self.problem,
                                                                            self.tokens))))

    def problem(self, token: Token) -> Problem | None:
        """What is wrong with a token, from where Markdown and the sanitiser put it."""
        if token.where in ("cited", "code") or (token.bare and token.where != "text"):
            return None
        if token.bare:
            return Problem(BARE, token.location, f"bare '@{token.bare}' is not a citation",
                           f"did you mean [@{token.bare}]?", token.bare)
        numbers = range(token.first, token.first + token.count)
        if token.where != "text" and not self.after_sanitise.intersection(numbers):
            if self.before_sanitise.intersection(numbers):
                return None  # in an HTML comment, or an element the sanitiser drops: unseen
            return Problem(DROPPED, token.location,
                           f"citation '{token.text}' is dropped from the page", DROPPED_HINT)
        if token.items is None:
            return Problem(MALFORMED, token.location, f"malformed citation '{token.text}'",
                           MALFORMED_HINT)
        return Problem(NOT_RENDERED, token.location,
                       f"citation '{token.text}' would be published as plain text",
                       NOT_RENDERED_HINT)


class _Step:
    """A processor of the extension: reads the state of the conversion under way."""

    def __init__(self, md, extension: ProseExtension):
        super().__init__(md)
        self.extension = extension

    @property
    def parse(self) -> _Parse:
        return self.extension.parse


class MarkPreprocessor(_Step, Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return self.parse.mark("\n".join(lines)).split("\n")


class CodePreprocessor(_Step, Preprocessor):
    """Placeholders in fenced code blocks (already stashed as HTML) are code."""

    def run(self, lines: list[str]) -> list[str]:
        for block in self.md.htmlStash.rawHtmlBlocks:
            if isinstance(block, str):
                self.parse.mark_code(block)
        return lines


class CitationTreeprocessor(_Step, Treeprocessor):
    """Placeholders in ordinary text → citation markers, numbered in document order."""

    def run(self, root: etree.Element) -> None:
        self.visit(root, in_link=False)

    def visit(self, element: etree.Element, in_link: bool) -> None:
        if element.tag in ("code", "pre"):
            self.parse.mark_code("".join(element.itertext()))
            return
        in_link = in_link or element.tag == "a"
        if not in_link:
            element.text = self.cite_in(element.text)
        for child in element:
            self.visit(child, in_link)
            if not in_link:
                child.tail = self.cite_in(child.tail)

    def cite_in(self, text: str | None) -> str | None:
        """Each well-formed group that arrived whole → a marker for its markup. Malformed groups
        and bare mentions stay as placeholders, noted as seen in prose."""
        if not text or OPEN not in text:
            return text
        out, done, at = [], 0, 0
        while (match := PLACEHOLDER.search(text, at)) is not None:
            at = match.end()
            number = int(match[1])
            token = self.parse.token(number)
            end = self.whole(token, text, at) if number == token.first else None
            if end is None:
                continue  # part of a group that did not arrive whole: restored later
            if token.items is None:
                token.where = "text"
                continue
            out += [text[done:match.start()], self.parse.cite(token, self.parse.owner[number])]
            done = at = end
        out.append(text[done:])
        return "".join(out)

    @staticmethod
    def whole(token: Token, text: str, at: int) -> int | None:
        """Where the token ends if all its placeholders follow in this text, else None."""
        for number in range(token.first + 1, token.first + token.count):
            match = _NEXT.match(text, at)
            if match is None or int(match[1]) != number:
                return None
            at = match.end()
        return at


class SanitisePostprocessor(_Step, Postprocessor):
    def run(self, text: str) -> str:
        self.parse.before_sanitise = self.parse.placeholders(text)
        return sanitise(text)


class RestorePostprocessor(_Step, Postprocessor):
    """The last word: every placeholder still in the page is put back as what was written."""

    def run(self, text: str) -> str:
        parse = self.parse
        parse.after_sanitise = parse.placeholders(text)
        return parse.restore(_CITED.sub(lambda m: parse.markup[int(m[1])], text))


class _Blocks(collections.deque):
    """The blocks Python-Markdown's block parser has still to read. Its processors take them
    from the front (`blocks[0]`, `blocks.pop(0)`, `blocks.insert(0, rest)`), which on a list
    costs the length of the list each time: a million blank lines took half a minute."""

    def pop(self, index: int = -1):
        if index == 0:
            return self.popleft()
        value = self[index]
        del self[index]
        return value


class ProseExtension(Extension):
    def __init__(self, start: Location, **kwargs):
        self.start = start
        super().__init__(**kwargs)
        self.reset()

    def reset(self) -> None:
        self.parse = _Parse(self.start)

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's API
        md.registerExtension(self)
        parse_blocks = md.parser.parseBlocks
        md.parser.parseBlocks = lambda parent, blocks: parse_blocks(parent, _Blocks(blocks))
        md.preprocessors.register(MarkPreprocessor(md, self), "citation_mark", 35)
        md.preprocessors.register(CodePreprocessor(md, self), "citation_code", 24)
        md.treeprocessors.register(CitationTreeprocessor(md, self), "citation", 15)
        md.postprocessors.register(SanitisePostprocessor(md, self), "sanitise", 10)
        md.postprocessors.register(RestorePostprocessor(md, self), "citation_restore", 5)
