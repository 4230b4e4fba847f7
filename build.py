#!/usr/bin/env python3
"""Build a citation-heavy briefing site from content/ into site/: the `factsheet` command, run
from a checkout without installing it.

  python build.py              check, then build site/ (the default command)
  python build.py check        check only; write nothing
  python build.py serve        build, serve site/ on 127.0.0.1 with live reload
  python build.py new DIR      start a new briefing in DIR
  python build.py --help       every command; `python build.py COMMAND --help` for each

This file only calls the package: the command line is factsheet/cli.py.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from factsheet import cli
from factsheet.pipeline import build  # the pipeline entry point main() runs; tests replace it


def main(argv: list[str] | None = None) -> int:
    here = shlex.join([sys.executable, str(Path(__file__).resolve())])
    return cli.main(argv, prog="build.py", invocation=here,
                    build=lambda *args, **kwargs: build(*args, **kwargs))


if __name__ == "__main__":
    sys.exit(main())
