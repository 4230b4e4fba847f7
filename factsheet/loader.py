"""Load: content folder → raw records that remember where each key and value came from.

Owns: reading files (only from inside the content folder, skipping hidden and editor files),
safe YAML parsing with locations, duplicate-key detection, front matter, and turning every
failure of the YAML parser into one located message. Knows nothing of what the records mean
(that is `validate`) and renders nothing.

YAML is parsed with PyYAML's *safe* loader, extended so that every mapping remembers the
line and column of each key and value. Plain PyYAML keeps the last of two duplicate keys without
a word; here a duplicate is a diagnostic. Dates are left as strings (EDTF is parsed later);
anchors/aliases are refused (content never needs them, and they are the way to a "billion
laughs"), and so is any explicit tag beyond text, numbers, true/false, null, lists and mappings.
A value the loader has reported is left out of its mapping (and named in `YamlMap.dropped`) so
that later stages do not report the same mistake again.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import Diagnostics, Location

KINDS = ("sources", "entities", "facts")
FOLDERS = (*KINDS, "pages", "documents")
# libyaml's parser where PyYAML was built with it (several times faster); same results either way.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Content needs a handful of levels; PyYAML's constructor recurses, so stop long before Python does.
MAX_DEPTH = 100


class YamlMap(dict):
    """A YAML mapping that knows where it, each key and each value start."""

    location: Location
    key_locations: dict
    value_locations: dict
    # key → where its value was: values the loader already reported (a bad tag, an alias) and
    # left out. A validator treats these keys as present but invalid, not as missing.
    dropped: dict

    def key_location(self, key: str) -> Location:
        return self.key_locations.get(key, self.location)

    def value_location(self, key: str) -> Location:
        return self.value_locations.get(key, self.location)


class YamlList(list):
    """A YAML sequence that knows where it and each item start."""

    location: Location
    item_locations: list


def _empty_map(location: Location) -> YamlMap:
    data = YamlMap()
    data.location, data.key_locations, data.value_locations, data.dropped = location, {}, {}, {}
    return data


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
    # (kind, path, text) of each sources/entities/facts file whose YAML failed (already
    # reported): validate finds the ids in it, so references to them are not reported again.
    unparsed: list[tuple[str, str, str]] = field(default_factory=list)


def display_path(path: Path) -> str:
    """A path as messages show it: relative to the working directory when that is shorter."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return rel if not rel.startswith("..") else str(path)


# --- YAML ---------------------------------------------------------------------------------

class _Reported:
    """The value of something already reported: left out of its mapping or list."""

    def __repr__(self) -> str:
        return "REPORTED"


REPORTED = _Reported()

_YAML_TAG = "tag:yaml.org,2002:"
# The tags content may use, and what a value carrying each must be.
_STANDARD_TAGS = {_YAML_TAG + name: what for name, what in (
    ("str", "text"), ("int", "a valid integer"), ("float", "a valid number"),
    ("bool", "true or false"), ("null", "null"), ("seq", "a list"), ("map", "a mapping"))}
_NODE_OF_TAG = {_YAML_TAG + "seq": SequenceNode, _YAML_TAG + "map": MappingNode}
# YAML's own line breaks (libyaml counts lines with these).
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_THOUSANDS = re.compile(r"[-+]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")


def _plain(node) -> bool:
    """An unquoted scalar (libyaml marks its style '', PyYAML's own parser None)."""
    return isinstance(node, ScalarNode) and not node.style


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML_TAG):] if tag.startswith(_YAML_TAG) else tag


def _shown(node) -> str:
    """A node's text for a message, cut short."""
    if isinstance(node, SequenceNode):
        return "[…]"
    if isinstance(node, MappingNode):
        return "{…}"
    return node.value if len(node.value) <= 40 else node.value[:39] + "…"


def _line_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of text[index], counting lines as YAML does."""
    breaks = list(_BREAK.finditer(text, 0, index))
    return len(breaks) + 1, index - (breaks[-1].end() if breaks else 0) + 1


@dataclass(frozen=True)
class RootShape:
    """What the top of a YAML file must be."""

    expected: str
    nodes: tuple
    hint: str


ENTRIES_ROOT = RootShape("a mapping ('key: value' lines) or a list of them",
                         (MappingNode, SequenceNode),
                         "write one entry as 'id: …' lines, or several as a list of '- id: …'")
SITE_ROOT = RootShape("a mapping with 'title:' and 'language:'", (MappingNode,),
                      "write 'title: …' and 'language: …' lines")


class _Loader(_BASE_LOADER):
    """The safe loader, building YamlMap/YamlList and reporting instead of raising."""

    def __init__(self, text: str, path: str, diagnostics: Diagnostics, line_offset: int):
        super().__init__(text)
        self.text, self.path, self.diagnostics, self.line_offset = \
            text, path, diagnostics, line_offset

    def loc(self, mark) -> Location:
        return Location(self.path, mark.line + 1 + self.line_offset, mark.column + 1)

    def loc_at(self, index: int) -> Location:
        line, column = _line_column(self.text, index)
        return Location(self.path, line + self.line_offset, column)

    def value_location(self, key_node, value_node) -> Location:
        """Where a value's text starts. A block scalar ('|' or '>') starts on the line after its
        indicator; its indentation is not kept by the parser, so the column assumes the usual
        two spaces past the key."""
        if isinstance(value_node, ScalarNode) and value_node.style in ("|", ">"):
            return Location(self.path, value_node.start_mark.line + 2 + self.line_offset,
                            key_node.start_mark.column + 3)
        return self.loc(value_node.start_mark)

    def construct_object(self, node, deep=False):
        # An alias is the same node met a second time: refuse it, whichever parser made it.
        if node in self.constructed_objects or node in self.recursive_objects:
            self.diagnostics.error(self.loc(node.start_mark),
                                   "this value is reused through a YAML anchor and alias "
                                   "('&name' … '*name'), which content does not allow",
                                   hint="write the value out in full where it is reused")
            return REPORTED
        problem = self.tag_problem(node)
        if problem is None:
            deep_before = self.deep_construct
            try:
                return super().construct_object(node, deep)
            except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError):
                # PyYAML's scalar constructors raise these for a value its tag cannot hold
                # ('!!int abc', a 5,000-digit number); undo what the failed call left behind.
                self.deep_construct = deep_before
                self.recursive_objects.pop(node, None)
                problem = self.value_problem(node)
        message, hint = problem
        self.diagnostics.error(self.loc(node.start_mark), message, hint=hint)
        return REPORTED

    def tag_problem(self, node) -> tuple[str, str] | None:
        """(message, hint) when the node's tag is not one content may use, or cannot hold it."""
        if node.tag not in _STANDARD_TAGS:
            short = _short_tag(node.tag)
            hint = "remove it: content holds text, numbers, true/false, null, lists and mappings"
            if short == "!!timestamp":
                hint = "remove it: dates are written as text, e.g. date: \"2024-10-03\""
            return f"the YAML tag '{short}' is not allowed", hint
        if not isinstance(node, _NODE_OF_TAG.get(node.tag, ScalarNode)):
            return self.value_problem(node)
        return None

    def value_problem(self, node) -> tuple[str, str]:
        short, what = _short_tag(node.tag), _STANDARD_TAGS[node.tag]
        explicit = not _plain(node) or \
            self.resolve(ScalarNode, node.value, (True, False)) != node.tag
        if explicit:
            return (f"'{short} {_shown(node)}' is not {what}",
                    f"remove the '{short}' tag or fix the value")
        digits = sum(ch.isdigit() for ch in node.value)
        if digits > 4300:  # Python's limit on converting text to int
            return (f"'{_shown(node)}' has {digits} digits, more than a number may have (4300)",
                    "quote it to keep it as text")
        return (f"'{_shown(node)}' looks like a number but is not one",
                "quote it to keep it as text, or fix the number")

    def construct_yaml_map(self, node):
        data = _empty_map(self.loc(node.start_mark))
        yield data
        cut = self.cut_by_commas(node) if node.flow_style else set()
        for key_node, value_node in node.value:
            if key_node in cut:
                continue
            key = self.construct_object(key_node, deep=True)
            if key is REPORTED:
                continue
            if not isinstance(key, str):
                self.diagnostics.error(self.loc(key_node.start_mark),
                                       f"mapping keys must be text, found {key!r}")
                continue
            if key in data.key_locations:
                self.diagnostics.error(self.loc(key_node.start_mark),
                                       f"duplicate key '{key}' in one mapping", key=key,
                                       hint="YAML would silently keep only the last one; "
                                            "remove or merge the duplicates",
                                       related=data.key_locations[key])
                continue
            data.key_locations[key] = self.loc(key_node.start_mark)
            value = self.construct_object(value_node, deep=True)
            if value is REPORTED:
                data.dropped[key] = self.value_location(key_node, value_node)
                continue
            data[key] = value
            data.value_locations[key] = self.value_location(key_node, value_node)

    def construct_yaml_seq(self, node):
        data = YamlList()
        data.location = self.loc(node.start_mark)
        data.item_locations = []
        yield data
        for child in node.value:
            item = self.construct_object(child, deep=True)
            if item is not REPORTED:
                data.append(item)
                data.item_locations.append(self.loc(child.start_mark))

    # In a {…} mapping a comma ends an unquoted value: "{label: build, then open}" is read as
    # label "build" and a key "then open" with no value. Report each such cut once, and leave
    # the stray keys out so that they are not also reported as unknown keys.

    def lacks_colon(self, key_node, value_node) -> bool:
        """A key written without ':' (its value is the parser's empty stand-in)."""
        return (_plain(value_node) and value_node.tag == _YAML_TAG + "null"
                and value_node.value == ""
                and ":" not in self.text[key_node.end_mark.index:value_node.start_mark.index])

    def cut_by_commas(self, node) -> set:
        runs = []  # (the pair written 'key: value' before the stray keys, or None; [key nodes])
        previous, run = None, None
        for key_node, value_node in node.value:
            if not self.lacks_colon(key_node, value_node):
                previous, run = (key_node, value_node), None
                continue
            if run is None:
                run = (previous, [])
                runs.append(run)
            run[1].append(key_node)
        for owner, keys in runs:
            self.report_cut(owner, keys)
        return {key for _, keys in runs for key in keys}

    def report_cut(self, owner, keys) -> None:
        owner_key, owner_value = owner or (None, None)
        if not (_plain(owner_value) and owner_value.value and isinstance(owner_key, ScalarNode)):
            self.diagnostics.error(self.loc(keys[0].start_mark),
                                   f"'{_shown(keys[0])}' in a {{…}} mapping has no ':' and "
                                   "no value",
                                   hint="write each item as 'key: value', with commas between")
            return
        name, cut = owner_key.value, owner_value.value
        whole = " ".join(self.text[owner_value.start_mark.index:keys[-1].end_mark.index].split())
        if _THOUSANDS.fullmatch(whole):
            hint = f"write {whole.replace(',', '')} (no thousands separator)"
        else:
            escaped = whole.replace("\\", "\\\\").replace('"', '\\"')
            hint = f'quote the value: {name}: "{escaped}"'
        comma = self.text.find(",", owner_value.end_mark.index)
        self.diagnostics.error(self.loc_at(comma),
                               "a comma in an unquoted value of a {…} mapping ends the value: "
                               f"'{name}: {whole}' is read as '{name}: {cut}'",
                               key=name, hint=hint)


_Loader.add_constructor(_YAML_TAG + "map", _Loader.construct_yaml_map)
_Loader.add_constructor(_YAML_TAG + "seq", _Loader.construct_yaml_seq)
# Only text, numbers, true/false and null are recognised untagged. EDTF is parsed later (YAML's
# timestamps would turn "2024-10-03" into a date object); '<<' and '=' stay plain keys.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag in _STANDARD_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _too_deep(node):
    """The first list or mapping (in document order) nested more than MAX_DEPTH deep, or None.
    Iterative, and each node visited once, so neither depth nor aliases can make it costly."""
    stack, seen = [(node, 1)], set()
    while stack:
        node, depth = stack.pop()
        if id(node) in seen or isinstance(node, ScalarNode):
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            return node
        children = node.value if isinstance(node, SequenceNode) else \
            [child for pair in node.value for child in pair]
        stack.extend((child, depth + 1) for child in reversed(children))
    return None


def _too_deep_mark(text: str):
    """Where nesting first passes MAX_DEPTH, found from parser events (which do not recurse):
    for when the parser itself gave up on the depth. PyYAML's own parser, as libyaml's scans
    far ahead in a line of brackets and stops at its own limit first."""
    parser = yaml.SafeLoader(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    finally:
        parser.dispose()
    return None


def parse_yaml(text: str, path: str, diagnostics: Diagnostics, line_offset: int = 0,
               shape: RootShape | None = ENTRIES_ROOT):
    """Parse one YAML document → its data; None when it holds nothing (empty, only comments,
    null); REPORTED when it had an error, already recorded. `shape`, when given, is what the
    document must be."""
    loader = _Loader(text, path, diagnostics, line_offset)
    try:
        node = loader.get_single_node()
        if node is None or (isinstance(node, ScalarNode) and node.tag == _YAML_TAG + "null"):
            return None
        deep = _too_deep(node)
        if deep is not None:
            _report_too_deep(loader.loc(deep.start_mark), diagnostics)
            return REPORTED
        if shape is not None and not isinstance(node, shape.nodes):
            found = "a list" if isinstance(node, SequenceNode) else f"'{_shown(node)}'"
            diagnostics.error(loader.loc(node.start_mark),
                              f"expected {shape.expected}, found {found}", hint=shape.hint)
            return REPORTED
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        _report_yaml_error(exc, loader)
    except RecursionError:
        mark = _too_deep_mark(text)
        _report_too_deep(loader.loc(mark) if mark else Location(path, 1 + line_offset, 1),
                         diagnostics)
    except Exception as exc:  # noqa: BLE001 - a parser's surprise is a message, never a traceback
        diagnostics.error(Location(path, 1 + line_offset, 1),
                          f"YAML could not be read ({type(exc).__name__}: {exc})")
    finally:
        loader.dispose()
    return REPORTED


def _report_too_deep(where: Location, diagnostics: Diagnostics) -> None:
    diagnostics.error(where, f"YAML nesting is too deep: more than {MAX_DEPTH} levels of lists "
                             "and mappings",
                      hint="content needs a few levels; look for unclosed '[' or '{'")


def _report_yaml_error(exc: yaml.YAMLError, loader: _Loader) -> None:
    """One located message for a YAML parser error, with the most likely cause as its hint."""
    error, text = loader.diagnostics.error, loader.text
    if isinstance(exc, yaml.reader.ReaderError):
        # libyaml counts the position in bytes of UTF-8, PyYAML's own reader in characters.
        index = exc.position
        if _BASE_LOADER is not yaml.SafeLoader:
            index = len(text.encode("utf-8")[:index].decode("utf-8", errors="ignore"))
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        what = "control character" if isinstance(exc.character, int) and \
            (exc.character < 0x20 or 0x7F <= exc.character <= 0x9F) else "character"
        error(loader.loc_at(index), f"YAML cannot contain the {what} {char}",
              hint="delete it (most editors do not show it)")
        return
    problem_mark = getattr(exc, "problem_mark", None)
    mark = problem_mark or getattr(exc, "context_mark", None)
    if mark is None:
        error(Location(loader.path, 1 + loader.line_offset, 1), f"YAML error: {exc}")
        return
    problem, context = exc.problem or "", exc.context or ""
    at_end = problem_mark is not None and not text[problem_mark.index:].strip()
    if "maximum nesting depth" in problem:
        deep = _too_deep_mark(text)
        _report_too_deep(loader.loc(deep or mark), loader.diagnostics)
    elif "quoted scalar" in context and exc.context_mark and \
            problem in ("found unexpected end of stream", "found unexpected document indicator"):
        error(loader.loc(exc.context_mark), "this quote is never closed", hint="close the quote")
    elif context.startswith("while parsing a flow") and exc.context_mark and at_end:
        opened = "{" if "mapping" in context else "["
        closer = "}" if opened == "{" else "]"
        error(loader.loc(exc.context_mark), f"this '{opened}' is never closed",
              hint=f"close it with '{closer}'")
    elif (tab := _indent_tab(text, mark.line, "tab" in problem)) is not None:
        line, column = tab
        error(Location(loader.path, line + 1 + loader.line_offset, column + 1),
              f"indent with spaces; a tab is at column {column + 1}",
              hint="YAML does not allow tabs for indentation; replace it with spaces")
    elif context == "while parsing a flow mapping":
        error(loader.loc(mark), f"YAML syntax error: {problem}",
              hint="in a {…} mapping, ': ' and ',' end an unquoted value; "
                   "quote the value: label: \"…\"")
    else:
        error(loader.loc(mark), f"YAML syntax error: {problem or context or 'invalid YAML'}",
              hint="check indentation, and quote values containing ': ' or '#'")


def _indent_tab(text: str, line: int, search_back: bool) -> tuple[int, int] | None:
    """(0-based line, column) of a tab in the indentation of the given line — or, when the
    parser's message speaks of a tab, of the nearest line above — else None."""
    lines = _BREAK.split(text)
    for number in range(min(line, len(lines) - 1), -1 if search_back else line - 1, -1):
        indent = re.match(r"[ \t]*", lines[number]).group()
        if "\t" in indent:
            return number, indent.index("\t")
    return None


# --- files --------------------------------------------------------------------------------

def _ignored(name: str) -> bool:
    """Hidden and editor files (.DS_Store, .#x, x~, x.swp, #x#), which are never content."""
    return (name.startswith(".") or name.endswith(("~", ".swp", ".swo", ".tmp"))
            or (len(name) > 1 and name.startswith("#") and name.endswith("#")))


def read_text(path: Path, diagnostics: Diagnostics) -> str | None:
    """A file's text (UTF-8, a BOM dropped, line ends made '\\n'), or None after a message."""
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        diagnostics.error(Location(shown), f"cannot read file: {exc.strerror or exc}")
        return None
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = _newlines(data[:exc.start].decode("utf-8"))  # valid up to the first bad byte
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        diagnostics.error(Location(shown, line, column),
                          f"file is not valid UTF-8 (byte 0x{data[exc.start]:02X})",
                          hint="save the file as UTF-8")
        return None
    return _newlines(text)


def _newlines(text: str) -> str:
    """Line ends as Python's text mode reads them."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _Unreadable(Exception):
    def __init__(self, folder: Path, reason: str):
        super().__init__(reason)
        self.folder, self.reason = folder, reason


def _list_files(folder: Path, suffixes: tuple[str, ...], recursive: bool, inside: Path,
                diagnostics: Diagnostics) -> list[Path]:
    """Regular files under folder with one of suffixes (any when empty), sorted; hidden and
    editor files skipped. A link leading outside the content folder (`inside`) is refused with
    an error, so content cannot make a build read, and publish, the builder's own files.
    Raises _Unreadable for a folder that cannot be listed or entered."""
    if not folder.is_dir():
        return []
    if not _inside(folder, inside, diagnostics):
        return []
    found, pending, seen = [], [folder], set()
    while pending:
        current = pending.pop()
        if current.resolve() in seen:  # a link back to a folder already read
            continue
        seen.add(current.resolve())
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            raise _Unreadable(current, exc.strerror or str(exc)) from None
        for entry in entries:
            path = Path(entry.path)
            wanted = not suffixes or path.suffix in suffixes
            if _ignored(entry.name) or (entry.is_symlink() and (wanted or recursive)
                                        and not _inside(path, inside, diagnostics)):
                continue
            try:
                mode = entry.stat().st_mode  # follows links
            except PermissionError as exc:  # the folder can be listed but not entered
                raise _Unreadable(current, exc.strerror or str(exc)) from None
            except OSError:  # a broken link
                continue
            if stat.S_ISDIR(mode) and recursive:
                pending.append(path)
            elif stat.S_ISREG(mode) and wanted:
                found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _inside(path: Path, inside: Path, diagnostics: Diagnostics) -> bool:
    """Whether a file named by the format (site.yaml, summary.md) really lies in the content
    folder; a link leading out is refused with an error."""
    if path.resolve().is_relative_to(inside):
        return True
    diagnostics.error(Location(display_path(path)),
                      "refused: this link leads outside the content folder",
                      hint="copy the file into the content folder instead")
    return False


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


# --- content ------------------------------------------------------------------------------

def _load_entries(kind: str, path: Path, raw: RawContent, diagnostics: Diagnostics) -> None:
    shown = display_path(path)
    text = read_text(path, diagnostics)
    if text is None:
        return
    data = parse_yaml(text, shown, diagnostics)
    if data is REPORTED:
        raw.unparsed.append((kind, shown, text))
        return
    if data is None:
        diagnostics.warning(Location(shown), "file is empty")
        return
    what = "entity" if kind == "entities" else kind[:-1]
    items = data if isinstance(data, YamlList) else [data]
    for index, item in enumerate(items):
        if isinstance(item, YamlMap):
            raw.entries.append(RawEntry(kind, item))
        else:
            where = data.item_locations[index] if isinstance(data, YamlList) else data.location
            diagnostics.error(where, f"expected a mapping of keys (one {what}), "
                                     f"found {type(item).__name__}",
                              hint="each entry is a mapping such as 'id: ...'; "
                                   "a file holds one entry or a list of them")


def _load_site(root: Path, inside: Path, raw: RawContent, diagnostics: Diagnostics) -> None:
    site_path = root / "site.yaml"
    raw.site_path = display_path(site_path)
    if not site_path.is_file():
        diagnostics.error(Location(raw.site_path), "site.yaml not found",
                          hint="create it with at least 'title:' and 'language:'")
        return
    if not _inside(site_path, inside, diagnostics):
        return
    text = read_text(site_path, diagnostics)
    if text is None:
        return
    site = parse_yaml(text, raw.site_path, diagnostics, shape=SITE_ROOT)
    if site is None:
        # Only comments, 'null' or '---': building would publish a site of assets alone.
        diagnostics.error(Location(raw.site_path, 1, 1),
                          "site.yaml is empty: expected a mapping with 'title:' and 'language:'",
                          hint="write 'title: …' and 'language: …' lines")
    elif site is not REPORTED:
        raw.site = site


def _load_page(path: Path, raw: RawContent, diagnostics: Diagnostics) -> None:
    shown = display_path(path)
    text = read_text(path, diagnostics)
    if text is None:
        return
    front_text, body, body_line = split_front_matter(text, shown, diagnostics)
    if front_text is None:
        return
    front = parse_yaml(front_text, shown, diagnostics, line_offset=1, shape=None)
    if front is REPORTED:
        return
    if not isinstance(front, YamlMap):
        # Empty, null, or not 'key: value' lines: an empty mapping, so that the validator
        # reports the missing title once and the page's citations still count.
        front = _empty_map(Location(shown, 2, 1))
    raw.pages.append(RawPage(shown, path.stem, front, body, body_line))


def load_content(root: Path, diagnostics: Diagnostics) -> RawContent:
    raw = RawContent(root=root)
    if not root.is_dir():
        diagnostics.error(Location(display_path(root)), "content folder not found",
                          hint="run from the briefing's folder or pass --content PATH")
        return raw
    inside = root.resolve()
    # List every folder first: if one cannot be read, checking the rest would only report
    # references to what it holds, so that one error is the whole report.
    listed, unreadable = {}, False
    for name, suffixes, recursive in (*((kind, (".yaml", ".yml"), True) for kind in KINDS),
                                      ("pages", (".md",), False), ("documents", (), True)):
        try:
            listed[name] = _list_files(root / name, suffixes, recursive, inside, diagnostics)
        except _Unreadable as exc:
            folder = display_path(exc.folder) + "/"
            diagnostics.error(Location(folder), f"cannot read folder {folder}: {exc.reason}",
                              hint="check the folder's permissions")
            unreadable = True
    if unreadable:
        return raw

    _load_site(root, inside, raw, diagnostics)
    for kind in KINDS:
        for path in listed[kind]:
            _load_entries(kind, path, raw, diagnostics)

    summary_path = root / "summary.md"
    if summary_path.is_file() and _inside(summary_path, inside, diagnostics):
        text = read_text(summary_path, diagnostics)
        if text is not None:
            raw.summary, raw.summary_path = text, display_path(summary_path)

    # A page's slug is its file name, so pages live in pages/ itself, not below it.
    for path in listed["pages"]:
        _load_page(path, raw, diagnostics)

    documents_dir = root / "documents"
    for path in listed["documents"]:
        name = path.relative_to(documents_dir).as_posix()
        text = read_text(path, diagnostics)
        if text is not None:
            raw.documents[name] = text
            raw.document_paths[name] = display_path(path)
    return raw
