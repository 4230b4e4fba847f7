"""Load: content folder → raw records that remember where each key and value came from.

Owns: reading files, safe YAML parsing with locations, duplicate-key detection, front matter.
Knows nothing of what the records mean (that is `validate`) and renders nothing.

YAML is parsed with PyYAML's *safe* loader, extended so that every mapping remembers the
line and column of each key and value. Plain PyYAML keeps the last of two duplicate keys without
a word; here a duplicate is a diagnostic. Dates are left as strings (EDTF is parsed later), and
anchors/aliases are refused: content never needs them, and they are the way to a "billion laughs".
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Diagnostics, Location

KINDS = ("sources", "entities", "facts")
# libyaml's parser where PyYAML was built with it (several times faster); same results either way.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlMap(dict):
    """A YAML mapping that knows where it, each key and each value start."""

    location: Location
    key_locations: dict
    value_locations: dict

    def key_location(self, key: str) -> Location:
        return self.key_locations.get(key, self.location)

    def value_location(self, key: str) -> Location:
        return self.value_locations.get(key, self.location)


class YamlList(list):
    """A YAML sequence that knows where it and each item start."""

    location: Location
    item_locations: list


@dataclass
class RawPage:
    path: str
    slug: str
    front: YamlMap
    body: str
    body_line: int  # line of the file on which the Markdown body starts


@dataclass
class RawEntry:
    """One mapping from sources/, entities/ or facts/."""

    kind: str  # "sources" | "entities" | "facts"
    data: YamlMap


@dataclass
class RawContent:
    root: Path
    site: YamlMap | None = None
    site_path: str = ""
    entries: list[RawEntry] = field(default_factory=list)
    pages: list[RawPage] = field(default_factory=list)
    summary: str = ""  # content/summary.md: Markdown for the home page, no front matter
    summary_path: str = ""
    # documents/<name> → text; names use "/" whatever the platform.
    documents: dict[str, str] = field(default_factory=dict)
    # document name → file path shown in messages
    document_paths: dict[str, str] = field(default_factory=dict)


def display_path(path: Path) -> str:
    """A path as messages show it: relative to the working directory when that is shorter."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return rel if not rel.startswith("..") else str(path)


def _make_loader(path: str, diagnostics: Diagnostics, line_offset: int):
    def loc(mark) -> Location:
        return Location(path, mark.line + 1 + line_offset, mark.column + 1)

    def value_location(key_node, value_node) -> Location:
        """Where a value's text starts. A block scalar ('|' or '>') starts on the line after its
        indicator; its indentation is not kept by the parser, so the column assumes the usual
        two spaces past the key."""
        if isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">"):
            return Location(path, value_node.start_mark.line + 2 + line_offset,
                            key_node.start_mark.column + 3)
        return loc(value_node.start_mark)

    class Loader(_BASE_LOADER):
        def construct_object(self, node, deep=False):
            # An alias is the same node met a second time: refuse it, whichever parser made it.
            if node in self.constructed_objects or node in self.recursive_objects:
                diagnostics.error(loc(node.start_mark),
                                  "this value is reused through a YAML anchor and alias "
                                  "('&name' … '*name'), which content does not allow",
                                  hint="write the value out in full where it is reused")
                return None
            return super().construct_object(node, deep)

        def construct_yaml_map(self, node):
            data = YamlMap()
            data.location = loc(node.start_mark)
            data.key_locations = {}
            data.value_locations = {}
            yield data
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, str):
                    diagnostics.error(loc(key_node.start_mark),
                                      f"mapping keys must be text, found {key!r}")
                    continue
                if key in data:
                    diagnostics.error(loc(key_node.start_mark),
                                      f"duplicate key '{key}' in one mapping", key=key,
                                      hint="YAML would silently keep only the last one; "
                                           "remove or merge the duplicates",
                                      related=data.key_locations[key])
                    continue
                data[key] = self.construct_object(value_node, deep=True)
                data.key_locations[key] = loc(key_node.start_mark)
                data.value_locations[key] = value_location(key_node, value_node)

        def construct_yaml_seq(self, node):
            data = YamlList()
            data.location = loc(node.start_mark)
            data.item_locations = [loc(child.start_mark) for child in node.value]
            yield data
            data.extend(self.construct_object(child, deep=True) for child in node.value)

    Loader.add_constructor("tag:yaml.org,2002:map", Loader.construct_yaml_map)
    Loader.add_constructor("tag:yaml.org,2002:seq", Loader.construct_yaml_seq)
    # EDTF is parsed later; YAML's own timestamps would turn "2024-10-03" into a date object.
    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def parse_yaml(text: str, path: str, diagnostics: Diagnostics, line_offset: int = 0):
    """Parse one YAML document; on a syntax error record it and return None."""
    loader = _make_loader(path, diagnostics, line_offset)(text)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(path, mark.line + 1 + line_offset, mark.column + 1) if mark \
            else Location(path)
        problem = exc.problem or exc.context or "invalid YAML"
        diagnostics.error(where, f"YAML syntax error: {problem}",
                          hint="check indentation, and quote values containing ': ' or '#'")
    except yaml.YAMLError as exc:
        diagnostics.error(Location(path), f"YAML error: {exc}")
    except RecursionError:
        diagnostics.error(Location(path), "YAML nesting is too deep")
    finally:
        loader.dispose()
    return None


def read_text(path: Path, diagnostics: Diagnostics) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        diagnostics.error(Location(display_path(path)),
                          f"file is not valid UTF-8 (byte {exc.start})",
                          hint="save the file as UTF-8")
    except OSError as exc:
        diagnostics.error(Location(display_path(path)), f"cannot read file: {exc.strerror}")
    return None


def split_front_matter(text: str, path: str, diagnostics: Diagnostics):
    """Split '---' front matter from a Markdown body → (front text, body, body start line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        diagnostics.error(Location(path, 1, 1), "page has no front matter",
                          hint="start the file with '---', a 'title:' line, and '---'")
        return None, text, 1
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in ("---", "..."):
            return "".join(lines[1:number - 1]), "".join(lines[number:]), number + 1
    diagnostics.error(Location(path, 1, 1), "front matter is not closed",
                      hint="end the front matter with a line holding only '---'")
    return None, text, 1


def _files(folder: Path, pattern: str, root: Path, diagnostics: Diagnostics,
           recursive: bool = True) -> list[Path]:
    """Regular files under folder, sorted; a link leading outside the content folder is skipped
    with a warning, so content cannot make a build read (and publish) the builder's own files."""
    if not folder.is_dir():
        return []
    inside = root.resolve()
    found = []
    for path in (folder.rglob(pattern) if recursive else folder.glob(pattern)):
        if not path.is_file():
            continue
        if not path.resolve().is_relative_to(inside):
            diagnostics.warning(Location(display_path(path)),
                                "skipped: this link leads outside the content folder",
                                hint="copy the file into the content folder instead")
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _load_entries(kind: str, path: Path, raw: RawContent, diagnostics: Diagnostics) -> None:
    shown = display_path(path)
    text = read_text(path, diagnostics)
    if text is None:
        return
    data = parse_yaml(text, shown, diagnostics)
    if data is None:
        if text.strip():
            return  # a syntax error, already reported
        diagnostics.warning(Location(shown), "file is empty")
        return
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items):
        if isinstance(item, YamlMap):
            raw.entries.append(RawEntry(kind, item))
        else:
            where = data.item_locations[index] if isinstance(data, YamlList) else Location(shown, 1, 1)
            diagnostics.error(where, f"expected a mapping of keys (one {kind[:-1] if kind != 'entities' else 'entity'}),"
                                     f" found {type(item).__name__}",
                              hint="each entry is a mapping such as 'id: ...'; a file holds one entry or a list of them")


def load_content(root: Path, diagnostics: Diagnostics) -> RawContent:
    raw = RawContent(root=root)
    if not root.is_dir():
        diagnostics.error(Location(display_path(root)), "content folder not found",
                          hint="run from the briefing's folder or pass --content PATH")
        return raw

    site_path = root / "site.yaml"
    raw.site_path = display_path(site_path)
    if site_path.is_file():
        text = read_text(site_path, diagnostics)
        if text is not None:
            site = parse_yaml(text, raw.site_path, diagnostics)
            if isinstance(site, YamlMap):
                raw.site = site
            elif site is not None or not text.strip():
                diagnostics.error(Location(raw.site_path, 1, 1),
                                  "site.yaml must be a mapping of keys such as 'title:'")
    else:
        diagnostics.error(Location(raw.site_path), "site.yaml not found",
                          hint="create it with at least 'title:' and 'language:'")

    for kind in KINDS:
        for path in _files(root / kind, "*.y*ml", root, diagnostics):
            if path.suffix in (".yaml", ".yml"):  # the glob also admits .yxml and the like
                _load_entries(kind, path, raw, diagnostics)

    summary_path = root / "summary.md"
    if summary_path.is_file():
        text = read_text(summary_path, diagnostics)
        if text is not None:
            raw.summary, raw.summary_path = text, display_path(summary_path)

    pages_dir = root / "pages"
    if pages_dir.is_dir():
        # A page's slug is its file name, so pages live in pages/ itself, not below it.
        for path in _files(pages_dir, "*.md", root, diagnostics, recursive=False):
            shown = display_path(path)
            text = read_text(path, diagnostics)
            if text is None:
                continue
            front_text, body, body_line = split_front_matter(text, shown, diagnostics)
            if front_text is None:
                continue
            front = parse_yaml(front_text, shown, diagnostics, line_offset=1)
            if front is None and not front_text.strip():
                front = YamlMap()
                front.location, front.key_locations, front.value_locations = \
                    Location(shown, 1, 1), {}, {}
            if not isinstance(front, YamlMap):
                if front is not None:
                    diagnostics.error(Location(shown, 2, 1),
                                      "front matter must be a mapping of keys such as 'title:'")
                continue
            raw.pages.append(RawPage(shown, path.stem, front, body, body_line))

    documents_dir = root / "documents"
    if documents_dir.is_dir():
        for path in _files(documents_dir, "*", root, diagnostics):
            name = path.relative_to(documents_dir).as_posix()
            text = read_text(path, diagnostics)
            if text is not None:
                raw.documents[name] = text
                raw.document_paths[name] = display_path(path)
    return raw
