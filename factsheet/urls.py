"""URLs: where each kind of page lives in site/, and how one output file links to another.

Owns the site's layout of paths, which render (every link), structured data and feeds (absolute
addresses), exports (each record's page) and serve (the page to open) all follow. Knows nothing
of records or templates, so every stage can ask it without importing a higher one.
"""

from __future__ import annotations


def output_path(kind: str, ident: str = "") -> str:
    """Where each kind of page lives in site/, as a '/'-separated path."""
    if kind == "home":
        return "index.html"
    if kind == "timeline":
        return "timeline.html"
    if kind == "search":
        return "search.html"
    if kind == "drafts":
        return "drafts.html"
    if kind == "asset":
        return f"assets/{ident}"
    if kind == "file":  # a file at the top of site/ by its name (feed.xml)
        return ident
    if kind == "data":  # the data exports (exports.py): data/facts.json …
        return f"data/{ident}"
    folder = {"page": "pages", "fact": "facts", "source": "sources", "entity": "entities"}[kind]
    return f"{folder}/{ident or 'index'}.html"


def relative_url(from_path: str, to_path: str) -> str:
    """A link from one output file to another that works under any host and sub-path."""
    # Output paths are normalised '/'-paths (see output_path), so plain list work suffices;
    # posixpath.relpath costs two abspath calls per link, tens of thousands per build.
    target, _, fragment = to_path.partition("#")
    here, there = from_path.split("/")[:-1], target.split("/")
    shared = 0
    while shared < len(here) and shared < len(there) - 1 and here[shared] == there[shared]:
        shared += 1
    rel = "../" * (len(here) - shared) + "/".join(there[shared:])
    return rel + ("#" + fragment if fragment else "")
