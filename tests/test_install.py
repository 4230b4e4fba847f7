"""`pip install .` and `pip install -e .` into a fresh virtual environment give the `factsheet`
command: --version, `new`, and a strict build of the starter from its own folder, with the theme
that ships inside the package.

Offline: the new environment gets the project's dependencies from the test run's own
environment (a .pth line), and pip installs only this package (--no-deps, --no-index, no build
isolation), so the test needs no network and no download.
"""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT
from factsheet import __version__

SOURCE = ("factsheet", "templates", "assets", "pyproject.toml", "README.md")


def fresh_environment(folder: Path) -> Path:
    """A new virtual environment whose only extra is a path to this run's dependencies."""
    venv.EnvBuilder(with_pip=False).create(folder)
    purelib = next(folder.glob("lib/python*/site-packages"))
    (purelib / "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return folder / "bin"


def pip_install(bin_folder: Path, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(bin_folder / "python"),
                           "install", "--quiet", "--no-deps", "--no-index",
                           "--no-build-isolation", "--disable-pip-version-check", *args],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def copy_of_the_project(folder: Path) -> Path:
    """The files a package is built from, away from the checkout (pip builds in the tree)."""
    for name in SOURCE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, folder / name)
    return folder


@pytest.mark.parametrize("editable", [False, True], ids=["install", "editable"])
def test_the_installed_command_starts_and_builds_a_briefing(tmp_path, editable):
    project = copy_of_the_project(tmp_path / "project")
    bin_folder = fresh_environment(tmp_path / "env")
    pip_install(bin_folder, *(["-e"] if editable else []), str(project))
    factsheet = str(bin_folder / "factsheet")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    version = subprocess.run([factsheet, "--version"], cwd=elsewhere, capture_output=True,
                             text=True, timeout=120)
    assert version.returncode == 0 and __version__ in version.stdout

    made = subprocess.run([factsheet, "new", "brief"], cwd=elsewhere, capture_output=True,
                          text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    built = subprocess.run([factsheet, "build", "--strict"], cwd=elsewhere / "brief",
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    site_folder = elsewhere / "brief" / "site"
    assert (site_folder / "index.html").is_file()
    # the theme came from the installed package (or, editable, the project copy), not the checkout
    assert (site_folder / "assets/style.css").read_bytes() == \
        (project / "assets/style.css").read_bytes()
    where = subprocess.run([str(bin_folder / "python"), "-c",
                            "import factsheet; print(factsheet.__file__)"],
                           cwd=elsewhere, capture_output=True, text=True, timeout=60)
    installed_in = Path(where.stdout.strip()).resolve()
    expected = project if editable else tmp_path / "env"
    assert expected.resolve() in installed_in.parents, installed_in
