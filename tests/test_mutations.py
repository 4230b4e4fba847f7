"""Property-based test of issue #7's "Hostile input": the bundled briefing, mutated.

Each example changes one file of a fresh copy of content/ (the categories, and the issue items
each stands for, are tabled in `mutations.py`) and builds it with `build.main` into a `site/`
that already holds the unmutated build. Whatever the mutation, the build must:

- return, not raise, within a time limit, with no "Traceback" on stdout or stderr and no
  "internal error" (an exception caught at a stage boundary is still a bug);
- exit 1 when the input is certainly invalid, 0 when it is certainly valid, 0 or 1 otherwise,
  and report at least one error exactly when it exits 1;
- locate every message: each numbered line reads `N. <path>[:line:col]: error|warning`, the path
  inside content/ (or templates/ or the output folder), at most one `    hint:` line follows, and
  no other line appears; no message holds a raw control character or a temporary path; where
  the mutation calls for it (invalid UTF-8, control characters, nesting, tags), every error in
  the mutated file carries a line and column;
- leave site/ byte-identical when it fails, write nothing beside site/ and nothing into content/,
  and never publish or print /etc/passwd;
- for citation mutations that build, show no citation as literal text (rendered or reported).

Each build runs in a forked child (`main` in-process, with its imports already loaded), so a
hang (EDTF exponent years) or a crash is reported as such instead of stopping the test run.
200 examples by default, FACTSHEET_MUTATIONS=2000 for more; FACTSHEET_MUTATION_SECONDS sets the
per-build time limit (default 15 s: the bundled briefing builds in 0.2 s).
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import re
import select
import shutil
import signal
import sys
import time
import traceback
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import build as build_cli
import mutations as m
from conftest import ROOT, tree_digest
from mutations import EITHER, INVALID, VALID, Mutation

EXAMPLES = int(os.environ.get("FACTSHEET_MUTATIONS", "200"))
TIME_LIMIT = float(os.environ.get("FACTSHEET_MUTATION_SECONDS", "15"))
MARKER = ".factsheet-output"  # write.py's mark on a folder it made
PASSWD = b"root:x:0:0"


# --- running one build ----------------------------------------------------------------------

@dataclass
class Outcome:
    code: object = None
    out: str = ""
    err: str = ""
    raised: str | None = None  # the traceback, if main raised
    timed_out: bool = False
    died: int | None = None  # the signal that killed the child, or its exit status
    seconds: float = 0.0

    def describe(self) -> str:
        def clip(text: str) -> str:
            lines = [line if len(line) <= 300 else line[:300] + f"… ({len(line)} chars)"
                     for line in text.splitlines()]
            if len(lines) > 40:
                lines = lines[:30] + [f"… {len(lines) - 40} more lines …"] + lines[-10:]
            return "\n".join(lines)
        return (f"exit {self.code!r} after {self.seconds:.2f} s\n--- stderr ---\n{clip(self.err)}"
                f"\n--- stdout ---\n{clip(self.out)}")


def run_build(root: Path, time_limit: float = TIME_LIMIT) -> Outcome:
    """`build.main([...])` for root/content → root/site, run in a forked child with cwd root."""
    argv = ["--content", str(root / "content"), "--output", str(root / "site"),
            "--templates", str(ROOT / "templates"), "--assets", str(ROOT / "assets")]
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: run main, send back what it returned and printed
        try:
            os.close(read_end)
            os.chdir(root)
            sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
            code, raised = None, None
            try:
                code = build_cli.main(argv)
            except BaseException:  # noqa: B036 - SystemExit too: main must return
                raised = traceback.format_exc()
            payload = pickle.dumps((code, sys.stdout.getvalue(), sys.stderr.getvalue(), raised))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(0)
    os.close(write_end)
    outcome = Outcome()
    chunks = []
    deadline = started + time_limit
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                outcome.timed_out = True
                os.kill(pid, signal.SIGKILL)
                break
            ready, _, _ = select.select([read_end], [], [], left)
            if ready:
                chunk = os.read(read_end, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_end)
        _, status = os.waitpid(pid, 0)
    outcome.seconds = time.monotonic() - started
    if outcome.timed_out:
        return outcome
    if not chunks:
        outcome.died = os.waitstatus_to_exitcode(status)
        return outcome
    outcome.code, outcome.out, outcome.err, outcome.raised = pickle.loads(b"".join(chunks))
    return outcome


# --- a briefing to mutate -------------------------------------------------------------------

def remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def listing(folder: Path) -> dict[str, str]:
    """Every entry under folder, links not followed: {relative path: kind and digest}."""
    found = {}
    for top, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(top, name)
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[rel] = "link " + os.readlink(path)
            elif path.is_dir():
                found[rel] = "folder"
            else:
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


class Workspace:
    """root/content (reset from the pristine snapshot for every example) and root/site."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.site = root / "site"

    def reset(self) -> None:
        for entry in self.root.iterdir():
            if entry.name != "site":
                remove(entry)
        for relative, data in m.PRISTINE.items():
            path = self.content / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if not (self.site / MARKER).is_file():  # a killed build may have left it half-swapped
            remove(self.site)
            outcome = run_build(self.root, time_limit=120)
            assert outcome.code == 0, f"the unmutated briefing does not build:\n{outcome.describe()}"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Workspace:
    space = Workspace(tmp_path_factory.mktemp("mutations"))
    space.reset()
    return space


# --- reading the report ---------------------------------------------------------------------

DIAGNOSTIC = re.compile(r"(\d+)\. (.+?)(?::(\d+):(\d+))?: (error|warning)\b")
SUMMARY = re.compile(r"(Failed|Built|Checked)\b")
LITERAL_CITATION = re.compile(r"\[[^\[\]<>]*@[A-Za-z0-9]")
HIDDEN_IN_HTML = re.compile(r"<pre\b.*?</pre>|<code\b.*?</code>|<!--.*?-->", re.DOTALL)


@dataclass
class Message:
    text: str
    path: str
    line: int | None
    severity: str
    hint: str = ""


@dataclass
class Report:
    messages: list[Message] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)  # lines that are neither message nor summary

    @property
    def errors(self) -> list[Message]:
        return [msg for msg in self.messages if msg.severity == "error"]


def read_report(outcome: Outcome) -> Report:
    report = Report()
    follows_message = False
    # Split on "\n" only: a "\r" or "\x0b" inside a message must not pass for a line end.
    lines = outcome.err.split("\n")
    for line in lines[:-1] if lines[-1] == "" else lines:
        match = DIAGNOSTIC.match(line)
        if match:
            report.messages.append(Message(line, match[2], match[3] and int(match[3]), match[5]))
            follows_message = True
        elif follows_message and line.startswith("    hint: "):
            report.messages[-1].hint = line
            follows_message = False
        elif SUMMARY.match(line):
            follows_message = False
        else:
            report.stray.append(line)
            follows_message = False
    report.stray += [line for line in outcome.out.splitlines() if not SUMMARY.match(line)]
    return report


def inside(path: Path, folder: Path) -> bool:
    return os.path.commonpath([os.path.normpath(path), os.path.normpath(folder)]) == \
        os.path.normpath(folder)


def where(ws: Workspace, shown_path: str) -> Path:
    """A path as a message printed it (relative to the build's working folder, ws.root)."""
    return Path(os.path.normpath(ws.root / shown_path))


def control_characters(text: str) -> list[str]:
    return sorted({repr(ch) for ch in text if unicodedata.category(ch) == "Cc" and ch != "\n"})


def clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} chars)"


# --- the properties -------------------------------------------------------------------------

def verify(ws: Workspace, mutation: Mutation) -> None:
    ws.reset()
    mutation.apply(ws.content)
    site_before = tree_digest(ws.site)
    content_before = listing(ws.content)
    outcome = run_build(ws.root)
    told = f"{mutation!r}\n{outcome.describe()}"

    # No traceback, no hang, no crash.
    assert outcome.raised is None, f"build.main raised:\n{outcome.raised}\n{told}"
    assert not outcome.timed_out, f"no result after {TIME_LIMIT:.0f} s (a hang)\n{told}"
    assert outcome.died is None, f"the build died ({outcome.died})\n{told}"
    assert "Traceback" not in outcome.out + outcome.err, f"a traceback was printed\n{told}"
    # The pipeline turns an exception escaping a stage into an "internal error" message: that
    # is a traceback politely told, still a bug.
    internal = [line for line in outcome.err.splitlines()
                if re.search(r": error \[internal\]:|internal error while", line)]
    assert not internal, f"an exception escaped a stage: {[clip(t, 300) for t in internal]}\n{told}"

    # The exit status says whether the input was valid.
    assert outcome.code in (0, 1), f"exit status {outcome.code!r}\n{told}"
    if mutation.expect == INVALID:
        assert outcome.code == 1, f"invalid input accepted\n{told}"
    if mutation.expect == VALID:
        assert outcome.code == 0, f"valid input refused\n{told}"

    # Every message located, on its own line, printable.
    report = read_report(outcome)
    assert not report.stray, (f"lines that are not located messages: "
                              f"{[clip(line) for line in report.stray[:5]]}\n{told}")
    assert bool(report.errors) == (outcome.code == 1), f"exit status and errors disagree\n{told}"
    allowed = (ws.content, ROOT / "templates", ws.site)
    outside = [msg.text for msg in report.messages
               if not any(inside(where(ws, msg.path), folder) for folder in allowed)]
    assert not outside, f"messages located outside content/: {[clip(t) for t in outside]}\n{told}"
    raw = control_characters(outcome.err + outcome.out)
    assert not raw, f"raw control characters {raw} in the report\n{told}"
    temporary = [msg.text for msg in report.messages if re.search(r"\.site-(new|old)-\d", msg.text)]
    assert not temporary, f"messages naming a temporary path: {[clip(t) for t in temporary]}\n{told}"
    if mutation.require_line:
        target = Path(os.path.normpath(ws.content / mutation.path))
        unlined = [msg.text for msg in report.errors
                   if where(ws, msg.path) == target and msg.line is None]
        assert not unlined, f"errors without line:column: {[clip(t) for t in unlined]}\n{told}"

    # A failed build changes nothing; no build writes beside site/ or into content/.
    if outcome.code != 0:
        assert tree_digest(ws.site) == site_before, f"a failed build changed site/\n{told}"
    beside = sorted(entry.name for entry in ws.root.iterdir())
    assert beside == ["content", "site"], f"left beside site/: {beside}\n{told}"
    assert listing(ws.content) == content_before, f"the build changed content/\n{told}"
    leaked = [p.relative_to(ws.site).as_posix() for p in ws.site.rglob("*")
              if p.is_file() and PASSWD in p.read_bytes()]
    assert not leaked and PASSWD.decode() not in outcome.out + outcome.err, \
        f"/etc/passwd published in {leaked} or printed\n{told}"

    # A citation is rendered or reported, never published as literal text.
    if mutation.citations_rendered and outcome.code == 0:
        literal = []
        for page in sorted(ws.site.glob("pages/*.html")) + [ws.site / "index.html"]:
            html = HIDDEN_IN_HTML.sub("", page.read_text(encoding="utf-8"))
            literal += [f"{page.name}: {hit}" for hit in LITERAL_CITATION.findall(html)]
        assert not literal, f"citations published as literal text: {literal[:5]}\n{told}"


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.large_base_example])
@given(mutation=m.mutations)
def test_a_mutated_briefing_fails_cleanly(workspace, mutation):
    verify(workspace, mutation)


# --- regressions: one concrete input per hostile-input item the property test reproduced -------

REGRESSIONS: list = []


@pytest.mark.parametrize("mutation", REGRESSIONS)
def test_hostile_input_regression(workspace, mutation):
    verify(workspace, mutation)


def test_the_unmutated_briefing_passes_every_property(workspace):
    verify(workspace, m.changed("none", "summary.md", "unchanged", VALID, m.PRISTINE["summary.md"],
                                citations_rendered=True))


def test_every_category_is_tabled_against_the_issue():
    table = m.__doc__
    for name in m.CATEGORIES:
        assert re.search(rf"^\| {re.escape(name)} +\|", table, re.MULTILINE), name
    items = {int(n) for row in re.findall(r"^\| [a-z].*\| ([\d, ]+) *\|$", table, re.MULTILINE)
             for n in row.split(",")}
    assert items >= {1, 2, 3, 4, 5, 6}, items
