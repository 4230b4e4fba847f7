"""Pages the preview server makes itself: the error page of a failed build, a 404 page, and the
read-only view of a file a problem is in. Self-contained (no assets of the site needed).

`state` is the server's Preview: `viewable(name)` says whether a file may be shown, and
`fact_page(location)` which published fact page a problem's place belongs to.
"""

from __future__ import annotations

import html
import urllib.parse
from pathlib import Path
from typing import Protocol

from .errors import Diagnostic, Diagnostics, Location
from .pipeline import Result
from .report import failure, plural

SOURCE_URL = "/__factsheet__/source"  # the file view the error page links to; never in site/
LAST_GOOD = "last-good"  # a page's query: served as published, not as the error page
SOURCE_LIMIT = 4 * 1024 * 1024  # a file larger than this is not shown


class Viewer(Protocol):
    """What the pages ask of the server (serve.Preview)."""

    def viewable(self, name: str) -> Path | None: ...

    def fact_page(self, location: Location) -> str | None: ...

STYLE = """
body { font: 1rem/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem;
       color: #1b1f24; }
h1 { color: #7a1f1f; }
a { color: #0b4f8a; }
pre { white-space: pre-wrap; background: #fff4f4; border-left: 4px solid #7a1f1f;
      padding: .5rem .75rem; margin: 0; }
.problems > li { margin-bottom: 1rem; }
.where { margin: .25rem 0 0; font-size: .9rem; }
.source { border-collapse: collapse; font: .9rem/1.4 ui-monospace, monospace; width: 100%; }
.source td { vertical-align: top; padding: 0 .5rem; white-space: pre-wrap; }
.source td.n { text-align: right; color: #57606a; user-select: none; width: 1%; }
.source tr:target, .source tr.at { background: #fff1b8; }
.source tr { scroll-margin-top: 30vh; }  /* the marked line with the lines before it */
"""


def server_page(title: str, heading_id: str, body: str) -> bytes:
    """A small self-contained page of the server's own (no assets of the site needed)."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<h1 id="{heading_id}">{html.escape(title)}</h1>
{body}
</main>
</body>
</html>
""".encode("utf-8")


def source_link(location: Location, state: Viewer | None) -> str:
    """A link to the source view at a problem's place, when the file is one it may show."""
    if state is None or state.viewable(location.path) is None:
        return ""
    query = {"file": location.path, **({"line": str(location.line)} if location.line else {})}
    href = f"{SOURCE_URL}?{urllib.parse.urlencode(query)}" + \
        (f"#L{location.line}" if location.line else "")
    return f'<a href="{html.escape(href)}">{html.escape(str(location))}</a>'


def problem_item(number: int, diagnostic: Diagnostic, state: Viewer | None) -> str:
    links = [source_link(diagnostic.location, state)]
    if diagnostic.related is not None:
        links.append(source_link(diagnostic.related, state))
    links = [link for link in links if link]
    page = state.fact_page(diagnostic.location) if state is not None else None
    if page is not None:
        href = f"/{urllib.parse.quote(page)}?{LAST_GOOD}"
        links.append(f'<a href="{html.escape(href)}">the fact\'s current page</a>')
    shown = f"Show {' and '.join(links)} · " if links else ""
    return (f'<li id="problem-{number}"><pre>{html.escape(diagnostic.format())}</pre>'
            f'<p class="where">{shown}<a href="#problem-{number}">link to this problem</a></p>'
            f"</li>")


def error_page(diagnostics: Diagnostics, state: Viewer | None = None,
               strict: bool = False) -> bytes:
    """A self-contained page listing every problem, as `check` prints them, each with a link to
    its file at its line (when the source view may show that file) and an anchor of its own."""
    items = "\n".join(problem_item(number, d, state)
                      for number, d in enumerate(diagnostics.sorted(), start=1))
    why, counts = failure(Result(diagnostics, strict))
    title = f"Build failed{why}: " + (counts if why else plural(len(diagnostics.errors), "error"))
    return server_page(title, "build-failed", f"""
<p>Fix the files below and save: this page reloads by itself. The published <code>site/</code>
is unchanged.</p>
<ol class="problems">
{items}
</ol>""")


def not_found_page(url_path: str, failing: bool) -> bytes:
    more = ("<p>The build is failing: the home page lists the problems.</p>" if failing else "")
    return server_page("Page not found", "not-found", f"""
<p>There is no page at <code>{html.escape(url_path)}</code> in the site.</p>
{more}
<p><a href="/">Go to the home page</a></p>""")


def source_page(path: Path, name: str, line: int) -> bytes:
    """The file a problem is in, every line numbered and linkable (#L12), `line` marked."""
    with path.open("rb") as handle:
        data = handle.read(SOURCE_LIMIT + 1)
    if len(data) > SOURCE_LIMIT:
        body = (f"<p>The file is larger than {SOURCE_LIMIT // (1024 * 1024)} MB: open it in an "
                f"editor.</p>")
    else:
        rows = "\n".join(
            f'<tr id="L{n}"{" class=at" if n == line else ""}><td class="n">'
            f'<a href="#L{n}">{n}</a></td><td>{html.escape(text)}</td></tr>'
            for n, text in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1))
        body = f'<table class="source">\n{rows}\n</table>'
    where = f", line {line}" if line else ""
    return server_page(f"{name}{where}", "source", f"""
<p><a href="/">Back to the site (or the problems)</a> · read-only; edit the file in your
editor.</p>
{body}""")
