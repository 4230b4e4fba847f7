"""Located YAML: safe parsing that remembers where every key and value starts.

Owns: PyYAML's *safe* loader, extended so that every mapping remembers the line and column of
each key and value (`YamlMap`, `YamlList`), duplicate-key detection, and turning every failure
of the YAML parser into one located message. Reads no files (that is `loader`) and knows nothing
of what the records mean (that is `validate`).

Plain PyYAML keeps the last of two duplicate keys without a word; here a duplicate is a
diagnostic. Dates are left as strings (EDTF is parsed later); anchors/aliases are refused
(content never needs them, and they are the way to a "billion laughs"), and so is any explicit
tag beyond text, numbers, true/false, null, lists and mappings. A value already reported is left
out of its mapping (and named in `YamlMap.dropped`) so that later stages do not report the same
mistake again.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import Diagnostics, Location

# libyaml's parser where PyYAML was built with it (several times faster); same results either way.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Content needs a handful of levels; building a value recurses, so stop long before Python does.
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


def empty_map(location: Location) -> YamlMap:
    data = YamlMap()
    data.location, data.key_locations, data.value_locations, data.dropped = location, {}, {}, {}
    return data


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
_STR, _SEQ, _MAP = _YAML_TAG + "str", _YAML_TAG + "seq", _YAML_TAG + "map"
_NODE_OF_TAG = {_SEQ: SequenceNode, _MAP: MappingNode}
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


class _TooDeep(Exception):
    def __init__(self, node):
        super().__init__("nesting too deep")
        self.node = node


# One int object for each line number, however many locations name it (a key's and its
# value's, in every file): else 1.2 million ints of 28 bytes at 100,000 facts, held to the end.
_held = functools.lru_cache(maxsize=1 << 16)(int)


@dataclass(frozen=True)
class _Place:
    """A YAML text and where it sits in its file: turns the parser's marks into locations."""

    text: str
    path: str
    line_offset: int  # lines of the file before the text (front matter's '---')

    def loc(self, mark) -> Location:
        return Location(self.path, _held(mark.line + 1 + self.line_offset), mark.column + 1)

    def loc_at(self, index: int) -> Location:
        line, column = _line_column(self.text, index)
        return Location(self.path, line + self.line_offset, column)


class _Loader(_BASE_LOADER):
    """The safe loader's parser, with its own construction: building YamlMap/YamlList and
    reporting instead of raising. Text, lists and mappings are built here directly, numbers,
    true/false and null by PyYAML's constructors: its generic construction (a generator and
    two bookkeeping dicts per node) cost twice what libyaml's parse does."""

    def __init__(self, place: _Place, diagnostics: Diagnostics):
        super().__init__(place.text)
        self.place, self.text, self.loc, self.loc_at = place, place.text, place.loc, place.loc_at
        self.diagnostics = diagnostics
        self.depth = 0  # lists and mappings around the one being built
        # The nodes built so far (or being built): one met again is an alias. Only a text with
        # an anchor ('&') can hold an alias; the others skip the bookkeeping.
        self.built = set() if "&" in place.text else None

    def value_location(self, key_node, value_node) -> Location:
        """Where a value's text starts. A block scalar ('|' or '>') starts on the line after its
        indicator; its indentation is not kept by the parser, so the column assumes the usual
        two spaces past the key."""
        if isinstance(value_node, ScalarNode) and value_node.style in ("|", ">"):
            return Location(self.place.path,
                            value_node.start_mark.line + 2 + self.place.line_offset,
                            key_node.start_mark.column + 3)
        return self.loc(value_node.start_mark)

    def resolve(self, kind, value, implicit):
        """The tag of an untagged node, as PyYAML's resolver finds it (this loader has no path
        or wildcard resolvers) without the list that one builds for every scalar: libyaml's
        parser asks for each node, a tenth of the parse."""
        if kind is ScalarNode:
            if implicit[0]:
                for tag, pattern in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    def build(self, node):
        """The value of a node, or REPORTED after a message."""
        built = self.built
        if built is not None:
            # An alias is the same node met a second time: refuse it, whichever parser made it.
            if node in built:
                self.diagnostics.error(self.loc(node.start_mark),
                                       "this value is reused through a YAML anchor and alias "
                                       "('&name' … '*name'), which content does not allow",
                                       hint="write the value out in full where it is reused")
                return REPORTED
        tag = node.tag
        if tag == _STR and isinstance(node, ScalarNode):
            value = node.value
        elif tag == _MAP and isinstance(node, MappingNode):
            if built is not None:
                built.add(node)
            return self.build_map(node)
        elif tag == _SEQ and isinstance(node, SequenceNode):
            if built is not None:
                built.add(node)
            return self.build_list(node)
        else:
            problem = self.tag_problem(node)
            if problem is None:  # a number, true/false or null
                try:
                    value = self.yaml_constructors[tag](self, node)
                except (ValueError, TypeError, KeyError, IndexError, AttributeError,
                        OverflowError):
                    # PyYAML's scalar constructors raise these for a value its tag cannot hold
                    # ('!!int abc', a 5,000-digit number).
                    problem = self.value_problem(node)
            if problem is not None:
                message, hint = problem
                self.diagnostics.error(self.loc(node.start_mark), message, hint=hint)
                return REPORTED
        if built is not None:
            built.add(node)
        return value

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

    def build_map(self, node) -> YamlMap:
        return self.nested(node, self.fill_map, empty_map(self.loc(node.start_mark)))

    def nested(self, node, fill, data):
        """fill(data, node) for a list or mapping, one level deeper: the building recurses, so
        stop long before Python's limit. (A plain call, not a context manager: one per node.)"""
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep(node)
            fill(data, node)
        finally:
            self.depth -= 1
        return data

    def fill_map(self, data: YamlMap, node) -> None:
        cut = self.cut_by_commas(node) if node.flow_style else set()
        for key_node, value_node in node.value:
            if key_node in cut:
                continue
            key = self.build(key_node)
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
            value = self.build(value_node)
            if value is REPORTED:
                data.dropped[key] = self.value_location(key_node, value_node)
                continue
            data[key] = value
            data.value_locations[key] = self.value_location(key_node, value_node)

    def build_list(self, node) -> YamlList:
        data = YamlList()
        data.location = self.loc(node.start_mark)
        data.item_locations = []
        return self.nested(node, self.fill_list, data)

    def fill_list(self, data: YamlList, node) -> None:
        for child in node.value:
            item = self.build(child)
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
        key_node, value_node = owner or (None, None)
        whole = ""  # the value as written, commas and all
        if _plain(value_node) and value_node.value and isinstance(key_node, ScalarNode):
            whole = " ".join(
                self.text[value_node.start_mark.index:keys[-1].end_mark.index].split())
        number = _THOUSANDS.fullmatch(whole)
        # A text cut short, or a number with thousands separators; not "{value: 40, about}".
        if not (number or whole and value_node.tag == _YAML_TAG + "str"):
            self.diagnostics.error(self.loc(keys[0].start_mark),
                                   f"'{_shown(keys[0])}' in a {{…}} mapping has no ':' and "
                                   "no value",
                                   hint="write each item as 'key: value', with commas between")
            return
        name = key_node.value
        if number:
            hint = f"write {whole.replace(',', '')} (no thousands separator)"
        else:
            escaped = whole.replace("\\", "\\\\").replace('"', '\\"')
            hint = f'quote the value: {name}: "{escaped}"'
        comma = self.text.find(",", value_node.end_mark.index)
        self.diagnostics.error(self.loc_at(comma),
                               "a comma in an unquoted value of a {…} mapping ends the value: "
                               f"'{name}: {whole}' is read as '{name}: {value_node.value}'",
                               key=name, hint=hint)


# Only text, numbers, true/false and null are recognised untagged. EDTF is parsed later (YAML's
# timestamps would turn "2024-10-03" into a date object); '<<' and '=' stay plain keys.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag in _STANDARD_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
assert None not in _Loader.yaml_implicit_resolvers and not _Loader.yaml_path_resolvers, \
    "_Loader.resolve knows no wildcard or path resolvers"


def _too_deep_mark(text: str):
    """Where nesting first passes MAX_DEPTH, found from parser events (which do not recurse):
    for when the parser itself gave up on the depth. PyYAML's own parser, as libyaml's scans
    far ahead in a line of brackets and stops at its own limit first."""
    parser, depth = None, 0
    try:
        parser = yaml.SafeLoader(text)
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
        if parser is not None:
            parser.dispose()
    return None


def parse_yaml(text: str, path: str, diagnostics: Diagnostics, line_offset: int = 0,
               shape: RootShape | None = ENTRIES_ROOT):
    """Parse one YAML document → its data; None when it holds nothing (empty, only comments,
    null); REPORTED when it had an error, already recorded. `shape`, when given, is what the
    document must be."""
    place = _Place(text, path, line_offset)
    loader = None
    try:
        loader = _Loader(place, diagnostics)  # PyYAML's own reader checks characters here
        node = loader.get_single_node()
        if node is None or (isinstance(node, ScalarNode) and node.tag == _YAML_TAG + "null"):
            return None
        if shape is not None and not isinstance(node, shape.nodes):
            found = "a list" if isinstance(node, SequenceNode) else f"'{_shown(node)}'"
            diagnostics.error(place.loc(node.start_mark),
                              f"expected {shape.expected}, found {found}", hint=shape.hint)
            return REPORTED
        return loader.build(node)
    except _TooDeep as exc:
        _report_too_deep(place.loc(exc.node.start_mark), diagnostics)
    except yaml.YAMLError as exc:
        _report_yaml_error(exc, place, diagnostics)
    except RecursionError:
        mark = _too_deep_mark(text)
        _report_too_deep(place.loc(mark) if mark else place.loc_at(0), diagnostics)
    except Exception as exc:  # noqa: BLE001 - a parser's surprise is a message, never a traceback
        diagnostics.error(place.loc_at(0),
                          f"YAML could not be read ({type(exc).__name__}: {exc})")
    finally:
        if loader is not None:
            loader.dispose()
    return REPORTED


def _report_too_deep(where: Location, diagnostics: Diagnostics) -> None:
    diagnostics.error(where, f"YAML nesting is too deep: more than {MAX_DEPTH} levels of lists "
                             "and mappings",
                      hint="content needs a few levels; look for unclosed '[' or '{'")


def _report_yaml_error(exc: yaml.YAMLError, place: _Place, diagnostics: Diagnostics) -> None:
    """One located message for a YAML parser error, with the most likely cause as its hint."""
    error, text = diagnostics.error, place.text
    if isinstance(exc, yaml.reader.ReaderError):
        # libyaml counts the position in bytes of UTF-8, PyYAML's own reader in characters.
        index = exc.position
        if _BASE_LOADER is not yaml.SafeLoader:
            index = len(text.encode("utf-8")[:index].decode("utf-8", errors="ignore"))
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        what = "control character" if isinstance(exc.character, int) and \
            (exc.character < 0x20 or 0x7F <= exc.character <= 0x9F) else "character"
        error(place.loc_at(index), f"YAML cannot contain the {what} {char}",
              hint="delete it (most editors do not show it)")
        return
    problem_mark = getattr(exc, "problem_mark", None)
    mark = problem_mark or getattr(exc, "context_mark", None)
    if mark is None:
        error(place.loc_at(0), f"YAML error: {exc}")
        return
    problem, context = exc.problem or "", exc.context or ""
    at_end = problem_mark is not None and not text[problem_mark.index:].strip()
    if "maximum nesting depth" in problem:
        deep = _too_deep_mark(text)
        _report_too_deep(place.loc(deep or mark), diagnostics)
    elif "quoted scalar" in context and exc.context_mark and \
            problem in ("found unexpected end of stream", "found unexpected document indicator"):
        error(place.loc(exc.context_mark), "this quote is never closed", hint="close the quote")
    elif (quote := _runaway_quote(text, mark)) is not None:
        error(place.loc(quote.start_mark),
              f"this quote is not closed on its line; it runs on to line "
              f"{quote.end_mark.line + 1 + place.line_offset}", hint="close the quote")
    elif context.startswith("while parsing a flow") and exc.context_mark and at_end:
        opened, closer = ("{", "}") if "mapping" in context else ("[", "]")
        error(place.loc(exc.context_mark), f"this '{opened}' is never closed",
              hint=f"close it with '{closer}'")
    elif context.startswith("while parsing a flow") and exc.context_mark and \
            exc.context_mark.line < mark.line:
        # Perhaps a bracket left open, perhaps a list rightly written over several lines.
        opened, closer = ("{", "}") if "mapping" in context else ("[", "]")
        opening = place.loc(exc.context_mark)
        error(place.loc(mark), f"YAML syntax error: {problem}",
              hint=f"check that the '{opened}' at line {opening.line}, column {opening.column} "
                   f"is closed with '{closer}'")
    elif (tab := _indent_tab(text, mark.line, "tab" in problem)) is not None:
        line, column = tab
        error(Location(place.path, line + 1 + place.line_offset, column + 1),
              f"indent with spaces; a tab is at column {column + 1}",
              hint="YAML does not allow tabs for indentation; replace it with spaces")
    elif context == "while parsing a flow mapping":
        error(place.loc(mark), f"YAML syntax error: {problem}",
              hint="in a {…} mapping, ': ' and ',' end an unquoted value; "
                   "quote the value: label: \"…\"")
    else:
        error(place.loc(mark), f"YAML syntax error: {problem or context or 'invalid YAML'}",
              hint="check indentation, and quote values containing ': ' or '#'")


def _runaway_quote(text: str, mark):
    """The quoted value that ends where the parser gave up, if it ran over several lines: a
    quote left open is closed by the next quote further down, and the error follows that."""
    scanner = None
    try:
        scanner = yaml.SafeLoader(text)  # PyYAML's own scanner: its tokens keep their marks
        while scanner.check_token():
            token = scanner.get_token()
            if token.start_mark.index >= mark.index:
                break
            if (isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
                    and token.start_mark.line < token.end_mark.line == mark.line):
                return token
    except yaml.YAMLError:
        pass
    finally:
        if scanner is not None:
            scanner.dispose()
    return None


def _indent_tab(text: str, line: int, search_back: bool) -> tuple[int, int] | None:
    """(0-based line, column) of a tab in the indentation of the given line — or, when the
    parser's message speaks of a tab, of the nearest line above — else None."""
    lines = _BREAK.split(text)
    for number in range(min(line, len(lines) - 1), -1 if search_back else line - 1, -1):
        indent = re.match(r"[ \t]*", lines[number]).group()
        if "\t" in indent:
            return number, indent.index("\t")
    return None
