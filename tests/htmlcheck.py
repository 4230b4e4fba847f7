"""Small HTML readers for structural tests: links, ids and text of a built site."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class PageReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []  # href and src values
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.append(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                self.links.append(attributes[name])

    def handle_data(self, data):
        self.text.append(data)


def read_page(path: Path) -> PageReader:
    reader = PageReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


def broken_links(site: Path) -> list[str]:
    """Every relative link or fragment in site/ that points at no file or no id."""
    pages = {p.relative_to(site).as_posix(): read_page(p) for p in site.rglob("*.html")}
    problems = []
    for name, page in sorted(pages.items()):
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(parts.path))) \
                if parts.path else name
            if target.startswith(".."):
                problems.append(f"{name}: {link} leaves the site")
            elif not (site / target).is_file():
                problems.append(f"{name}: {link} → missing file {target}")
            elif parts.fragment and target in pages and parts.fragment not in pages[target].ids:
                problems.append(f"{name}: {link} → no id '{parts.fragment}' in {target}")
    return problems
