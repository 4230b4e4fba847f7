"""Prose: a page's Markdown parsed once into a `Prose` value (HTML, notes, citations, problems).

Owns: Pandoc's citation syntax (`[@id]`, `[@a; @b]`, `[see @id, para. 3]`, `[-@id]` taken as
`[@id]`), bare `@id` mentions, the Python-Markdown extension that renders a page with its
citations as numbered note references, the sanitising of prose HTML (nh3), and the record of
what a page cites and where. Knows no facts, files or templates: `resolve` decides which ids
exist and which problems to report; templates render the notes.

A citation's text never meets a Markdown processor, so Markdown cannot disagree about it: it is
swapped for a placeholder before Markdown reads the page, and whatever Markdown does with the
placeholder decides what it is. In ordinary text it becomes a citation; in code it was never
one; anywhere else (raw HTML, an attribute, link text) it is put back as the text it was, and
reported, unless the sanitiser dropped it unseen (an HTML comment).

| name               | kind          | priority | does |
|--------------------|---------------|----------|------|
| `citation_mark`    | preprocessor  | 35       | each citation-like token → placeholder, with its line and column (before `normalize_whitespace` expands tabs) |
| `citation_code`    | preprocessor  | 24       | placeholders in fenced code (stashed by `fenced_code`, 25, before `html_block`, 20) → code |
| `citation`         | treeprocessor | 15       | after `inline` (20), in document order: placeholders in text → `<sup>` note links, numbered by first use; in `code`/`pre` → code; in link text → left |
| `sanitise`         | postprocessor | 10       | after `raw_html` (30): nh3, keeping `ALLOWED_TAGS`; notes which placeholders reached it |
| `citation_restore` | postprocessor | 5        | every placeholder left → its literal text (escaped); the problems |

A tree processor, not an inline processor, renders citations: Python-Markdown rescans a text
from its start after every inline match, which is quadratic in the citations of a paragraph.
For the same reason the block parser is given its blocks in a deque (`_Blocks`).
"""

from __future__ import annotations

import collections
import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

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
MALFORMED_HINT = "write [@fact-id] or [@first-id; @second-id], ids in lower case"


@dataclass(frozen=True)
class Use:
    """One place a note's fact is cited: the anchor the note links back to, and what the
    citation adds (`[see @id, para. 3]` → prefix "see", locator "para. 3")."""

    anchor: str
    prefix: str = ""
    locator: str = ""


@dataclass(frozen=True)
class Note:
    number: int
    fact_id: str
    uses: tuple[Use, ...]


@dataclass(frozen=True)
class Cite:
    """A fact id as a rendered citation cites it, at its group's opening bracket."""

    fact_id: str
    location: Location


@dataclass(frozen=True)
class Problem:
    kind: str  # MALFORMED, NOT_RENDERED, DROPPED, BARE or UNPARSABLE
    location: Location
    message: str
    hint: str = ""
    fact_id: str = ""  # BARE: the id mentioned, to report only when a fact has it

    @property
    def severity(self) -> str:
        return "warning" if self.kind == BARE else "error"


@dataclass(frozen=True)
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
    extension = ProseExtension(start)
    md = markdown.Markdown(extensions=[extension, "tables", "fenced_code", "sane_lists"])
    try:
        return extension.parse.result(md.convert(text))
    except RecursionError:
        why, hint = "it nests too deeply", "nest lists and block quotes fewer levels deep"
    except Exception as exc:  # noqa: BLE001 - a third-party parser's failure, reported
        why, hint = f"{type(exc).__name__}: {exc}", ""
    # Keep what the text cites, so that one unreadable page does not make its facts "uncited".
    cites = tuple(Cite(fact_id, token.location) for token in extension.parse.tokens
                  for fact_id, _, _ in token.items or ())
    return Prose("", (), cites, (Problem(UNPARSABLE, start, f"Markdown cannot render this text: "
                                                           f"{why}", hint),))


# --- syntax ------------------------------------------------------------------------------

OPEN, CLOSE = "\ue000", "\ue001"  # private-use: a placeholder is OPEN + number + CLOSE
PLACEHOLDER = re.compile(f"{OPEN}([0-9]+){CLOSE}")
_NEXT_PLACEHOLDER = re.compile(rf"\s*{OPEN}([0-9]+){CLOSE}")
# A group's characters: none that could open or close code, HTML, a table cell or a link.
_BODY = r"[^\[\]<>|`~\n\x00-\x08\x0b-\x1f\x7f]"
# A group may go on over a line break, unless the next line is blank or starts a block.
_CONTINUE = r"\n(?:[ \t]*>)*[ \t]*(?![-*+>#=|\s]|[0-9]+[.)])"
_LEAD = re.compile(r"(?:[ \t]*>)*[ \t]*")
TOKEN = re.compile(rf"""
    \\(?:\[[^\]\n]*\]?|.)                                # escaped: never a citation
  | (?P<group>\[{_BODY}*(?:{_CONTINUE}{_BODY}*)*\](?!\())   # [ … ], not a link's text
  | (?<![\w.@/:\\+=&?\#%~-])@(?P<bare>[a-z0-9][a-z0-9-]*+)(?![\w@-]|\.\w)  # not in a URL or e-mail
""", re.VERBOSE)
_KEY = re.compile(r"(?:^|[\s;])-?@")  # what makes a bracketed group citation-like
ITEM = re.compile(r"\s*(?:(?P<prefix>[^@;]*?[^@;\s])\s+)?-?@(?P<id>[a-z0-9][a-z0-9-]*+)"
                  r"(?:(?:\s*,|\s)\s*(?P<locator>[^@;]*?))?\s*")


def _fold(text: str) -> str:
    return " ".join(text.split())


def citation_items(group: str) -> tuple[tuple[str, str, str], ...] | None:
    """`[see @a, p. 2; @b]` → (("a", "see", "p. 2"), ("b", "", "")); None when malformed."""
    items = []
    for part in group[1:-1].split(";"):
        match = ITEM.fullmatch(part)
        if match is None:
            return None
        items.append((match["id"], _fold(match["prefix"] or ""), _fold(match["locator"] or "")))
    return tuple(items)


@dataclass
class Token:
    """A citation-like piece of the text: a bracketed group, or a bare `@id`."""

    text: str  # as written, white space folded
    location: Location
    first: int  # its first placeholder; a group over n lines has n, numbered on
    count: int
    items: tuple | None = None  # a well-formed group's (id, prefix, locator)s
    bare: str = ""  # a bare mention's id
    where: str = ""  # "cited", "text" (reached prose, not rendered) or "code"


@dataclass
class _Parse:
    """One conversion's state, shared by the processors."""

    start: Location
    tokens: list[Token] = field(default_factory=list)
    literals: list[str] = field(default_factory=list)  # placeholder number → text it replaced
    owner: list[int] = field(default_factory=list)  # placeholder number → token index
    notes: dict[str, tuple[int, list[Use]]] = field(default_factory=dict)  # fact id → number, uses
    cites: list[Cite] = field(default_factory=list)
    before_sanitise: set[int] = field(default_factory=set)
    after_sanitise: set[int] = field(default_factory=set)

    def token(self, placeholder: int) -> Token:
        return self.tokens[self.owner[placeholder]]

    def mark_code(self, text: str) -> None:
        for match in PLACEHOLDER.finditer(text):
            self.token(int(match[1])).where = "code"

    def result(self, html_text: str) -> Prose:
        notes = tuple(Note(number, fact_id, tuple(uses))
                      for fact_id, (number, uses) in self.notes.items())
        cites = tuple(sorted(self.cites, key=lambda c: (c.location.line, c.location.column)))
        return Prose(html_text, notes, cites, tuple(self.problems()))

    def problems(self):
        for token in self.tokens:
            numbers = range(token.first, token.first + token.count)
            if token.where in ("cited", "code") or (token.bare and token.where != "text"):
                continue
            if token.bare:
                yield Problem(BARE, token.location, f"bare '@{token.bare}' is not a citation",
                              f"did you mean [@{token.bare}]?", token.bare)
            elif token.where != "text" and not self.after_sanitise.intersection(numbers):
                if not self.before_sanitise.intersection(numbers):
                    yield Problem(DROPPED, token.location, f"citation '{token.text}' is dropped "
                                  "from the page", "a line '[label]: …' is a link reference "
                                  "definition, which Markdown does not show; footnotes are not "
                                  "supported, so cite in the text")
                # else: in an HTML comment or an element the sanitiser removes; never shown
            elif token.items is None:
                yield Problem(MALFORMED, token.location, f"malformed citation '{token.text}'",
                              MALFORMED_HINT)
            else:
                yield Problem(NOT_RENDERED, token.location, f"citation '{token.text}' would be "
                              "published as plain text", "citations are rendered in Markdown "
                              "text, not in raw HTML, attributes, link or image text; move it "
                              "out (in `code` it is shown as written)")


# --- processors --------------------------------------------------------------------------

class _Step:
    """A processor of the extension: reads the state of the conversion under way."""

    def __init__(self, md, extension: "ProseExtension"):
        super().__init__(md)
        self.extension = extension

    @property
    def parse(self) -> _Parse:
        return self.extension.parse


class MarkPreprocessor(_Step, Preprocessor):
    """Citation-like tokens → placeholders; records each with its place in the file."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines).replace(OPEN, "\ufffd").replace(CLOSE, "\ufffd")
        out: list[str] = []
        done = at = counted = line_start = 0
        line = 1
        while (match := TOKEN.search(text, at)) is not None:
            group = match["group"]
            if not group and not match["bare"]:
                at = match.end()  # an escape
                continue
            if group and not _KEY.search(group):
                at = match.start() + 1  # brackets, not a citation: look inside
                continue
            line += text.count("\n", counted, match.start())
            line_start = text.rfind("\n", counted, match.start()) + 1 or line_start
            counted = at = match.start()
            out.append(text[done:match.start()])
            self.add(match.group(), line, match.start() - line_start + 1, out, match["bare"])
            done = at = match.end()
        out.append(text[done:])
        return "".join(out).split("\n")

    def add(self, written: str, line: int, column: int, out: list[str], bare: str) -> None:
        parse, start = self.parse, self.parse.start
        where = Location(start.path, start.line + line - 1,
                         column + (start.column - 1 if line == 1 else 0))
        segments = []
        for n, piece in enumerate(written.split("\n")):
            if n:  # a continuation line: its indent and '>'s stay Markdown's
                lead = _LEAD.match(piece).end()
                out.append("\n" + piece[:lead])
                piece = piece[lead:]
            out.append(f"{OPEN}{len(parse.literals)}{CLOSE}")
            parse.literals.append(piece)
            parse.owner.append(len(parse.tokens))
            segments.append(piece)
        joined = " ".join(segments)
        parse.tokens.append(Token(_fold(joined), where, len(parse.literals) - len(segments),
                                  len(segments), None if bare else citation_items(joined), bare))


class CodePreprocessor(_Step, Preprocessor):
    """Placeholders in fenced code blocks (already stashed as HTML) are code."""

    def run(self, lines: list[str]) -> list[str]:
        for block in self.md.htmlStash.rawHtmlBlocks:
            if isinstance(block, str):
                self.parse.mark_code(block)
        return lines


class CitationTreeprocessor(_Step, Treeprocessor):
    """Placeholders in ordinary text → citation markup, numbered in document order."""

    def run(self, root: etree.Element) -> None:
        self.visit(root, in_link=False)

    def visit(self, element: etree.Element, in_link: bool) -> None:
        if element.tag in ("code", "pre"):
            self.parse.mark_code("".join(element.itertext()))
            return
        in_link = in_link or element.tag == "a"
        children = list(element)
        element.text, made = self.split(element.text, in_link)
        out = list(made)
        for child in children:
            self.visit(child, in_link)
            child.tail, made = self.split(child.tail, in_link)
            out += [child, *made]
        if len(out) != len(children):
            element[:] = out

    def split(self, text: str | None, in_link: bool) -> tuple[str | None, list[etree.Element]]:
        """Text → (its text up to the first citation, [citations, each with the text after it
        as its tail]). Malformed groups and bare mentions stay as placeholders, noted."""
        if in_link or not text or OPEN not in text:
            return text, []
        made: list[etree.Element] = []
        pieces, start, at = [], 0, 0
        while (match := PLACEHOLDER.search(text, at)) is not None:
            at = match.end()
            number = int(match[1])
            token = self.parse.token(number)
            if number != token.first:
                continue  # the rest of a group that did not arrive whole: restored later
            end = self.whole(token, text, at)
            if token.items is None or end is None:
                if end is not None:
                    token.where = "text"  # a bare mention or malformed group, in prose
                continue
            pieces.append(text[start:match.start()])
            made.append(self.citation(token))
            start = at = end
        pieces.append(text[start:])
        for element, tail in zip(made, pieces[1:]):
            element.tail = tail
        return pieces[0], made

    @staticmethod
    def whole(token: Token, text: str, at: int) -> int | None:
        """Where the token ends if all its placeholders follow in this text, else None."""
        for number in range(token.first + 1, token.first + token.count):
            match = _NEXT_PLACEHOLDER.match(text, at)
            if match is None or int(match[1]) != number:
                return None
            at = match.end()
        return at

    def citation(self, token: Token) -> etree.Element:
        parse = self.parse
        token.where = "cited"
        group = etree.Element("span", {"class": "cites"})
        for fact_id, prefix, locator in token.items:
            number, uses = parse.notes.setdefault(fact_id, (len(parse.notes) + 1, []))
            anchor = f"cite-{number}-{len(uses) + 1}"
            uses.append(Use(anchor, prefix, locator))
            parse.cites.append(Cite(fact_id, token.location))
            sup = etree.SubElement(group, "sup", {"class": "cite", "id": anchor})
            link = etree.SubElement(sup, "a", {"href": f"#note-{number}",
                                               "data-note": str(number)})
            link.text = f"[{number}]"
        return group


class SanitisePostprocessor(_Step, Postprocessor):
    def run(self, text: str) -> str:
        self.parse.before_sanitise = {int(n) for n in PLACEHOLDER.findall(text)}
        return sanitise(text)


class RestorePostprocessor(_Step, Postprocessor):
    """The last word: every placeholder still in the page is put back as what was written."""

    def run(self, text: str) -> str:
        literals = self.parse.literals
        self.parse.after_sanitise = {int(n) for n in PLACEHOLDER.findall(text)}
        return PLACEHOLDER.sub(lambda m: html.escape(literals[int(m[1])]), text)


class _Blocks(collections.deque):
    """The blocks Python-Markdown's block parser has still to read. Its processors take them
    from the front (`blocks[0]`, `blocks.pop(0)`, `blocks.insert(0, rest)`), which on a list
    costs the length of the list each time: a page of a million blank lines took half a
    minute. A deque does the same in constant time."""

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


def makeExtension(**kwargs):  # noqa: N802 - Python-Markdown's convention
    return ProseExtension(**kwargs)
