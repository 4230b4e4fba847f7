"""The command line (factsheet/cli.py, run as build.py and as the installed `factsheet`):
subcommands with their own help and examples, the default command, --version, -q and -v, colour
only on a terminal, the progress line of a long build, exit statuses, and pyproject.toml."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

import build as build_cli
import factsheet
from conftest import ROOT
from factsheet import cli, report, theme

ESCAPE = "\x1b"
TIMEOUT = 120


@pytest.fixture(autouse=True)
def plain_settings():
    """main() sets report.SETTINGS from its options; each test starts from the defaults."""
    yield
    report.configure()


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """build.py as a user runs it, output piped."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=TIMEOUT,
                          env={**os.environ, **(env or {})})


def run_in_terminal(argv: list[str], cwd: Path, env: dict | None = None) -> tuple[int, str]:
    """A command run on a pseudo-terminal (stdout and stderr both): its exit status and all it
    wrote, as a terminal would receive it."""
    controller, terminal = pty.openpty()
    environment = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    environment.update({"TERM": "xterm-256color", **(env or {})})
    process = subprocess.Popen(argv, cwd=cwd, stdin=terminal, stdout=terminal, stderr=terminal,
                               env=environment, close_fds=True)
    os.close(terminal)
    received = b""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 1)
        if not ready:
            if process.poll() is not None:
                break
            continue
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the process has ended
            break
        if not chunk:
            break
        received += chunk
    os.close(controller)
    return process.wait(timeout=TIMEOUT), received.decode("utf-8", "replace")


def build_py(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "build.py"), *args]


def break_briefing(briefing) -> None:
    """An error: an unknown entity."""
    briefing.edit("facts/ships.yaml", "attribution: [dock-union]", "attribution: [dock-unoin]")


def add_warning(briefing) -> None:
    """A warning, told with errors too: a bare @id in prose."""
    briefing.edit("pages/overview.md", "## Again", "As @union-count shows.\n\n## Again")


# --- help and examples -------------------------------------------------------------------------

COMMAND_OPTIONS = {
    "build": ["--content", "--output", "--templates", "--assets", "--strict", "-q", "-v",
              "--color"],
    "check": ["--content", "--templates", "--assets", "--strict", "-q", "-v", "--color"],
    "serve": ["--content", "--output", "--strict", "--host", "--port", "--open", "-q"],
    "new": ["DIR", "-q", "-v", "--color"],
    "schema": ["-q"],
}


@pytest.mark.parametrize("command", sorted(COMMAND_OPTIONS))
def test_each_command_has_its_own_help_with_options_examples_and_exit_statuses(command, capsys):
    with pytest.raises(SystemExit) as exited:
        build_cli.main([command, "--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith(f"usage: build.py {command} ")
    for option in COMMAND_OPTIONS[command]:
        assert re.search(rf"(^|\s|\[){re.escape(option)}\b", text), (option, text)
    examples = text.split("examples:\n", 1)[1]
    assert f"  build.py {command}" in examples.split("exit status:")[0]
    for status in ("0  success", "1  the content has errors", "2  usage error"):
        assert status in text


def test_the_top_level_help_lists_every_command_and_the_exit_statuses():
    done = run("--help", cwd=ROOT)
    assert done.returncode == 0 and done.stderr == ""
    for word in ("build", "check", "serve", "new", "schema", "--strict", "--content",
                 "--output", "--port", "--version", "examples:", "0  success",
                 "2  usage error"):
        assert word in done.stdout, word


def test_the_installed_name_is_used_in_help(capsys):
    with pytest.raises(SystemExit):
        cli.main(["new", "--help"])
    text = capsys.readouterr().out
    assert text.startswith("usage: factsheet new ") and "  factsheet new my-briefing" in text


def test_version():
    done = run("--version", cwd=ROOT)
    assert done.returncode == 0
    assert done.stdout == f"factsheet {factsheet.__version__}\n"
    assert re.fullmatch(r"\d+\.\d+\.\d+", factsheet.__version__)


# --- the default command and where the command goes --------------------------------------------

@pytest.mark.parametrize("argv, expected", [
    ([], ["build"]),
    (["--strict"], ["build", "--strict"]),
    (["check"], ["check"]),
    (["--content", "check", "check"], ["check", "--content", "check"]),  # a folder named check
    (["--content=c", "-q", "serve", "--port", "1"], ["serve", "--content=c", "-q", "--port", "1"]),
    (["--cont", "c", "check"], ["check", "--cont", "c"]),  # an abbreviation argparse accepts
    (["publish"], ["publish"]),  # left for argparse to refuse
    (["--help"], ["--help"]),
    (["--version"], ["--version"]),
])
def test_the_command_goes_first_and_build_is_the_default(argv, expected):
    assert cli.with_command(argv) == expected


def test_no_command_builds_and_options_may_come_before_the_command(briefing, capsys):
    code, out, err = briefing.run("--strict", capsys=capsys)
    assert (code, err) == (0, "") and out.startswith("Built ")
    code = build_cli.main(["--content", str(briefing.content), "--output",
                           str(briefing.root / "other"), "check"])
    assert code == 0 and not (briefing.root / "other").exists()
    assert capsys.readouterr().out.startswith("Checked: no errors")


def test_exit_statuses(briefing):
    assert run("--strict", cwd=briefing.root).returncode == 0
    for usage in (["publish"], ["build", "--nope"], ["-q", "-v"], ["--color", "sometimes"],
                  ["serve", "--port", "x"], ["new"]):
        done = run(*usage, cwd=briefing.root)
        assert done.returncode == 2, usage
        assert done.stderr.startswith("usage: build.py") and "Traceback" not in done.stderr
    add_warning(briefing)
    assert run(cwd=briefing.root).returncode == 0
    assert run("--strict", cwd=briefing.root).returncode == 1
    break_briefing(briefing)
    assert run("check", cwd=briefing.root).returncode == 1


# --- -q and -v ---------------------------------------------------------------------------------

def test_quiet_prints_nothing_on_success(briefing, capsys):
    add_warning(briefing)  # a warning is not an error: not told under -q
    assert briefing.run("-q", capsys=capsys) == (0, "", "")
    assert briefing.run("check", "-q", capsys=capsys) == (0, "", "")


def test_quiet_prints_only_errors_on_failure(briefing, capsys):
    add_warning(briefing)
    break_briefing(briefing)
    code, out, err = briefing.run("-q", capsys=capsys)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert re.fullmatch(r"1\. content/facts/ships\.yaml:\d+:\d+: error \[attribution\]: .*"
                        r"'dock-unoin'", lines[0])
    assert lines[1].startswith("    hint: ")
    assert lines[2].startswith("Failed: 1 error, ") and len(lines) == 3
    assert "warning [" not in err


def test_quiet_under_strict_tells_the_warnings_that_fail_the_build(briefing, capsys):
    add_warning(briefing)
    code, out, err = briefing.run("-q", "--strict", capsys=capsys)
    assert code == 1 and out == ""
    assert "warning [citation]: bare '@union-count'" in err
    assert err.splitlines()[-1].startswith("Failed under --strict: 0 errors, 1 warning")


def test_verbose_prints_the_time_of_each_stage(briefing, capsys):
    code, out, err = briefing.run("-v", capsys=capsys)
    assert code == 0 and out.startswith("Built ")
    assert re.search(r"^templates from \S+", err, re.M)
    stages = re.findall(r"^  (\w+) +(\d+\.\d{3}) s(?:  ([\d,]+ \w+))?$", err, re.M)
    assert [name for name, _, _ in stages] == ["cache", "load", "validate", "resolve", "render",
                                               "write", "search"]
    assert dict((name, what) for name, _, what in stages)["write"].endswith(" files")
    assert dict((name, what) for name, _, what in stages)["search"].endswith(" pages")
    code, _, err = briefing.run("check", "-v", capsys=capsys)
    assert [name for name in re.findall(r"^  (\w+) +\d", err, re.M)] == \
        ["load", "validate", "resolve", "render"]


def test_verbose_timings_follow_the_pipeline_hook():
    """The stages as the pipeline reports them: the time between two calls is a stage's."""
    clock = iter([10.0, 10.5, 11.0, 13.0, 13.25, 14.0])
    progress = report.Progress(io.StringIO(), clock=lambda: next(clock))
    for stage, count in (("load", 0), ("validate", 7), ("resolve", 7), ("render", 7),
                         ("write", 1500), ("done", 1500)):
        progress(stage, count)
    assert progress.durations() == [("load", 0, 0.5), ("validate", 7, 0.5),
                                    ("resolve", 7, 2.0), ("render", 7, 0.25),
                                    ("write", 1500, 0.75)]
    assert progress.table().splitlines() == [
        "Stages:", "  load        0.500 s", "  validate    0.500 s  7 records",
        "  resolve     2.000 s  7 records", "  render      0.250 s  7 records",
        "  write       0.750 s  1,500 files"]


# --- colour: on a terminal only ----------------------------------------------------------------

def test_piped_output_has_no_escape_codes(briefing):
    add_warning(briefing)
    break_briefing(briefing)
    for args in ([], ["-v"], ["check"], ["--strict"]):
        done = run(*args, cwd=briefing.root)
        assert done.returncode == 1 and "error [" in done.stderr
        assert ESCAPE not in done.stdout + done.stderr, args
    done = run("-v", cwd=briefing.root, env={"TERM": "xterm-256color"})
    assert ESCAPE not in done.stdout + done.stderr


def test_a_terminal_gets_colour(briefing):
    add_warning(briefing)
    break_briefing(briefing)
    code, text = run_in_terminal(build_py(), briefing.root)
    assert code == 1
    assert "\x1b[1;31merror\x1b[0m [attribution]" in text  # red errors
    assert "\x1b[1;33mwarning\x1b[0m [" in text  # yellow warnings
    assert re.search(r"\x1b\[1mcontent/facts/ships\.yaml:\d+:\d+\x1b\[0m: ", text)  # bold
    assert "\x1b[1;31mFailed\x1b[0m: 1 error" in text


def test_no_color_and_color_never_turn_colour_off_on_a_terminal(briefing):
    add_warning(briefing)
    break_briefing(briefing)
    for argv, env in ((build_py(), {"NO_COLOR": "1"}), (build_py("--color", "never"), {}),
                      (build_py(), {"TERM": "dumb"})):
        code, text = run_in_terminal(argv, briefing.root, env)
        assert code == 1 and "error [attribution]" in text
        assert ESCAPE not in text, (argv, env)


def test_color_always_colours_piped_output_even_with_no_color(briefing):
    break_briefing(briefing)
    done = run("--color", "always", cwd=briefing.root, env={"NO_COLOR": "1"})
    assert "\x1b[1;31merror\x1b[0m" in done.stderr


def test_a_successful_build_on_a_terminal(briefing):
    code, text = run_in_terminal(build_py(), briefing.root)
    assert code == 0 and "\x1b[32mBuilt " in text
    code, text = run_in_terminal(build_py("-q"), briefing.root)
    assert (code, text) == (0, "")


# --- the progress line ---------------------------------------------------------------------------

SLOW = """
import sys, time
sys.path.insert(0, {root!r})
from factsheet import cli, pipeline

def slow(paths, **options):
    told = options["progress"]
    def progress(stage, count):
        told(stage, count)
        if stage == "render":
            time.sleep(1.6)
    return pipeline.build(paths, **{{**options, "progress": progress}})

sys.exit(cli.main([*sys.argv[1:], "--no-cache"], build=slow))  # the stages of a whole build
"""


def test_a_build_over_a_second_shows_a_progress_line_on_a_terminal_only(briefing):
    script = briefing.root / "slow.py"
    script.write_text(SLOW.format(root=str(ROOT)))
    code, text = run_in_terminal([sys.executable, str(script)], briefing.root)
    assert code == 0
    drawn = re.findall(r"\rBuilding: ([^\r]*?) … (\d+) s", text)
    assert drawn and re.fullmatch(r"rendering \d+ records", drawn[0][0]), text
    assert all(re.fullmatch(r"rendering \d+ records|indexing \d+ pages for search", what)
               for what, _ in drawn), text  # the search index may come next
    assert ESCAPE not in text.split("\x1b[32mBuilt")[0]  # \r and spaces only, no escapes
    line = text[text.rindex("\rBuilding"):]
    assert re.match(r"\rBuilding: [^\r]*\r +\r\x1b\[32mBuilt \d+ pages", line)  # wiped
    for args in ([], ["-q"]):
        done = subprocess.run([sys.executable, str(script), *args], cwd=briefing.root,
                              capture_output=True, text=True, timeout=TIMEOUT)
        assert done.returncode == 0
        assert "\r" not in done.stdout + done.stderr and "Building" not in done.stderr
    code, text = run_in_terminal([sys.executable, str(script), "-q"], briefing.root)
    assert (code, text) == (0, "")  # -q: no progress line either


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_waits_for_its_delay_and_is_wiped():
    stream = Terminal()
    progress = report.Progress(stream, live=True, delay=0.05, interval=0.01)
    progress("load", 0)
    progress("validate", 12000)
    time.sleep(0.3)
    progress("done", 0)
    text = stream.getvalue()
    assert text.startswith("\rBuilding: validating 12,000 records … 0 s")
    assert re.fullmatch(r"(\r[^\r]+)+\r +\r", text)
    quick = Terminal()
    progress = report.Progress(quick, live=True, delay=5)
    progress("load", 0)
    progress("done", 0)
    assert quick.getvalue() == ""  # a build quicker than the delay shows nothing


def test_the_progress_line_is_live_only_on_a_terminal():
    assert report.Progress.for_terminal(Terminal()).live
    assert not report.Progress.for_terminal(io.StringIO()).live
    report.configure(verbosity=report.QUIET)
    assert not report.Progress.for_terminal(Terminal()).live


# --- pyproject.toml ----------------------------------------------------------------------------

def requirement_lines(path: Path) -> list[str]:
    return [line.split("#", 1)[0].strip() for line in path.read_text().splitlines()
            if line.split("#", 1)[0].strip() and not line.startswith("-")]


def test_pyproject_dependencies_agree_with_requirements_txt():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["dependencies"] == requirement_lines(ROOT / "requirements.txt")


def test_pyproject_entry_point_version_and_theme_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["project"]["name"] == "factsheet"
    assert config["project"]["scripts"] == {"factsheet": "factsheet.cli:main"}
    assert config["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "factsheet.__version__"}
    # The top-level templates/ and assets/ ship inside the package where theme.py looks first.
    mapped = config["tool"]["setuptools"]["package-dir"]
    package = Path(factsheet.__file__).resolve().parent
    for folder in ("templates", "assets"):
        name = next(key for key, value in mapped.items() if value == folder)
        assert package.joinpath(*name.split(".")[1:]) == theme.INSTALLED / folder
        assert name in config["tool"]["setuptools"]["packages"]
        assert config["tool"]["setuptools"]["package-data"][name] == ["**/*"]
    assert "starter/**/*" in config["tool"]["setuptools"]["package-data"]["factsheet"]


def test_a_build_that_raises_is_told_under_verbose_too(briefing, capsys, monkeypatch):
    def broken(paths, **options):
        raise RuntimeError("boom")
    monkeypatch.setattr(build_cli, "build", broken)
    code, out, err = briefing.run("-v", capsys=capsys)
    assert code == 1 and out == ""
    assert "error [internal]: internal error while building: RuntimeError: boom" in err
    assert "Traceback" not in err
