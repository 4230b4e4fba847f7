"""Shared fixtures: throwaway copies of the small fixture sites under tests/sites/."""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
sys.path.insert(0, str(ROOT))

import build as build_cli  # noqa: E402

pytest_plugins = ["browser_support"]  # browser fixtures: Playwright driving Debian's chromium


def tree_digest(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under folder: compares two trees byte for byte."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def report(err: str) -> list[tuple[str, str]]:
    """[(message line without its number, hint or "")] of a report on stderr."""
    found: list[tuple[str, str]] = []
    for line in err.splitlines():
        numbered = re.match(r"\d+\. (.*)", line)
        if numbered:
            found.append((numbered.group(1), ""))
        elif line.startswith("    hint: ") and found:
            found[-1] = (found[-1][0], line[len("    hint: "):])
    return found


class Briefing:
    """A copy of a fixture site in a temporary folder, built with the real templates."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.output = root / "site"

    def write(self, relative: str, text: str) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.content / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture edit: {old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def run(self, *args: str, capsys) -> tuple[int, str, str]:
        code = build_cli.main([*args, "--content", str(self.content), "--output", str(self.output),
                               "--templates", str(ROOT / "templates"),
                               "--assets", str(ROOT / "assets")])
        captured = capsys.readouterr()
        return code, captured.out, captured.err


@pytest.fixture
def briefing(tmp_path, monkeypatch) -> Briefing:
    """The minimal fixture site, copied so that a test may break it; cwd is its folder."""
    shutil.copytree(SITES / "minimal" / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return Briefing(tmp_path)
