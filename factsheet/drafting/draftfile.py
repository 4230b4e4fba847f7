"""Draft files: proposed facts and entities written as YAML an editor reads and edits by hand.

Owns: the file names (`facts/draft-<source>.yaml`, `entities/draft-<source>.yaml`), their header
comment, block-style YAML (one entry after another, long text folded), and writing without ever
replacing a file unless asked. Knows nothing of how the entries were proposed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

WIDTH = 80  # where long claims and quotes fold; a review reads them in an editor
LONG = 72  # text longer than this is written folded (`>-`), shorter text plainly

HEADER = """\
# Drafts: {what} from `factsheet draft {document} --source {source}`,
# each marked `draft: true`: proposed by a program from the archived text, not yet reviewed.
# Check each against its quote and fix what is wrong; accept an entry by removing its
# `draft: true` line, or delete it. Drafts are left out of `build`; `serve` and
# `build --drafts` show them.
"""


def draft_paths(content: Path, source: str) -> tuple[Path, Path]:
    """Where the drafts from one source go: (facts file, entities file)."""
    name = f"draft-{source}.yaml"
    return content / "facts" / name, content / "entities" / name


class _Dumper(yaml.SafeDumper):
    """Block style; long text folded at word boundaries; lists of ids kept on one line."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        # Items of a list under a key are indented, as the briefing's own files write them.
        return super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str):
    style = ">" if len(value) > LONG and "\n" not in value and value == value.strip() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _sequence(dumper: yaml.SafeDumper, value: list):
    # [armed-forces-of-ukraine, donetsk]: a short list of plain words reads best on one line.
    flow = bool(value) and all(isinstance(v, str) and v.replace("-", "").isalnum()
                               for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(list, _sequence)


def dump(entries: list[dict]) -> str:
    """The entries as block YAML, a blank line between them. Folded text is read back and
    compared: where folding would change a value, that file is written without folding."""
    for dumper in (_Dumper, yaml.SafeDumper):
        blocks = [yaml.dump([entry], Dumper=dumper, sort_keys=False, allow_unicode=True,
                            width=WIDTH, default_flow_style=False) for entry in entries]
        text = "\n".join(blocks)
        if yaml.safe_load(text or "[]") == (entries or None) or not entries:
            return text
    return text


def render(entries: list[dict], *, document: str, source: str, what: str) -> str:
    return HEADER.format(document=document, source=source, what=what) + "\n" + dump(entries)


def write_new(path: Path, text: str, *, replace: bool) -> None:
    """Write the file whole (a temporary file renamed into place). Without `replace`, a file
    that appeared meanwhile is never overwritten: FileExistsError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # fails if the path exists: no window for a race
            os.unlink(temporary)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
