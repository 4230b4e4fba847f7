"""Citation syntax: Pandoc's bracketed citations and bare `@id` mentions, found in raw Markdown.

Owns: what counts as citation-like (`[@id]`, `[@a; @b]`, `[see @id, para. 3]`, `[@a, p. 2; @b]`,
`[-@id]`, which means `[@id]` here as notes name no author, and a bare `@id` that is not part of
an e-mail address or URL), how a group splits into (id, prefix, locator) items, and `Marks`:
every such token of a text swapped for a placeholder, with its line and column in the file. It
does not know Markdown: `prose.py` decides, from where Markdown puts each placeholder, what the
token is (a citation in text, an example in code, literal text in raw HTML).

A placeholder is `\\ue000<n>\\ue001` (private-use characters, so Markdown leaves it alone). A group
written over several lines gets one placeholder per line, so that Markdown sees the same lines.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from .errors import Location

OPEN, CLOSE, CITED = "\ue000", "\ue001", "\ue002"  # CITED: prose's mark for a rendered one
PLACEHOLDER = re.compile(f"{OPEN}([0-9]+){CLOSE}")
# A group's characters: none that could open or close code, HTML, a table cell or a link.
_BODY = r"[^\[\]<>|`~\n\x00-\x08\x0b-\x1f\x7f]"
# A group may go on over a line break, unless the next line is blank or starts a block.
_CONTINUE = r"\n(?:[ \t]*>)*[ \t]*(?![-*+>#=|\s]|[0-9]+[.)])"
_LEAD = re.compile(r"(?:[ \t]*>)*[ \t]*")  # a continuation line's indent and quote marks
TOKEN = re.compile(rf"""
    \\(?:\[[^\]\n]*\]?|.)                                # escaped: never a citation
  | (?P<group>\[{_BODY}*(?:{_CONTINUE}{_BODY}*)*\](?!\())   # [ … ], not a link's text
  | (?P<broken>\[-?@[^\[\]\n<>|`~]*+(?:\](?!\()|(?!\])))    # '[@' that is no group: malformed
  | (?<![\w.@/:\\+=&?\#%~-])@(?P<bare>[a-z0-9][a-z0-9-]*+)(?![\w@-]|\.\w)  # not in a URL or e-mail
""", re.VERBOSE)
_KEY = re.compile(r"[\[\s;]-?@")  # what makes a bracketed group citation-like
ITEM = re.compile(r"\s*(?:(?P<prefix>[^@;]*?[^@;\s])\s+)?-?@(?P<id>[a-z0-9][a-z0-9-]*+)"
                  r"(?:(?:\s*,|\s)\s*(?P<locator>[^@;]*?))?\s*")


def fold(text: str) -> str:
    """White-space runs → one space (a group written over lines, shown in one)."""
    return " ".join(text.split())


def citation_items(group: str) -> tuple[tuple[str, str, str], ...] | None:
    """`[see @a, p. 2; @b]` → (("a", "see", "p. 2"), ("b", "", "")); None when malformed."""
    items = []
    for part in group[1:-1].split(";"):
        match = ITEM.fullmatch(part)
        if match is None:
            return None
        prefix, locator = match["prefix"] or "", match["locator"] or ""
        items.append((match["id"], prefix and fold(prefix), locator and fold(locator)))
    return tuple(items)


@dataclass(slots=True)
class Token:
    """A citation-like piece of a text: a bracketed group, or a bare `@id`."""

    text: str  # as written, white space folded
    location: Location
    first: int  # its first placeholder; a group over n lines has n, numbered on
    count: int
    items: tuple | None = None  # a well-formed group's (id, prefix, locator)s
    bare: str = ""  # a bare mention's id
    where: str = ""  # set by prose: "cited", "text" (reached prose, not cited) or "code"


@dataclass
class Marks:
    """The tokens of one text and the placeholders standing for them."""

    start: Location  # where the text begins in its file
    tokens: list[Token] = field(default_factory=list)
    literals: list[str] = field(default_factory=list)  # placeholder → the text it replaced
    owner: list[int] = field(default_factory=list)  # placeholder → index of its token

    def token(self, placeholder: int) -> Token:
        return self.tokens[self.owner[placeholder]]

    def placeholders(self, text: str) -> set[int]:
        return {int(number) for number in PLACEHOLDER.findall(text)}

    def restore(self, html_text: str) -> str:
        """Every placeholder in a piece of HTML → the text it replaced, escaped."""
        return PLACEHOLDER.sub(lambda m: html.escape(self.literals[int(m[1])]), html_text)

    def mark(self, text: str) -> str:
        """The text with every token replaced by placeholders, each token recorded."""
        text = re.sub(f"[{OPEN}{CLOSE}{CITED}]", "\ufffd", text)  # none but ours
        out: list[str] = []
        done = at = counted = line_start = 0
        line = 1
        while (match := TOKEN.search(text, at)) is not None:
            group = match["group"]
            if match.lastgroup is None:
                at = match.end()  # an escape
                continue
            if group and not _KEY.search(group):
                at = match.start() + 1  # brackets, not a citation: look inside
                continue
            line += text.count("\n", counted, match.start())
            line_start = text.rfind("\n", counted, match.start()) + 1 or line_start
            counted = match.start()
            out.append(text[done:match.start()])
            self._add(match, line, match.start() - line_start + 1, out)
            done = at = match.end()
        out.append(text[done:])
        return "".join(out)

    def _add(self, match: re.Match, line: int, column: int, out: list[str]) -> None:
        written, bare, start = match.group(), match["bare"] or "", self.start
        where = Location(start.path, start.line + line - 1,
                         column + (start.column - 1 if line == 1 else 0))
        first, pieces = len(self.literals), written.split("\n")
        for n, piece in enumerate(pieces):
            if n:  # a continuation line: its indent and '>'s stay Markdown's
                lead = _LEAD.match(piece).end()
                out.append("\n" + piece[:lead])
                pieces[n] = piece[lead:]
            out.append(f"{OPEN}{first + n}{CLOSE}")
        self.literals += pieces
        self.owner += [len(self.tokens)] * len(pieces)
        joined = " ".join(pieces)
        items = citation_items(joined) if match["group"] else None
        shown = written if match["group"] and len(pieces) == 1 else fold(joined)
        self.tokens.append(Token(shown, where, first,
                                 len(pieces), items, bare))
