#!/usr/bin/env python3
"""Build a citation-heavy briefing site from content/ into site/.

  python build.py              check, then build site/ (the default command)
  python build.py check        check only; write nothing
  python build.py serve        build, serve site/ on 127.0.0.1 with live reload

This file is the command line only: it parses options and calls the `factsheet` package.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from factsheet.pipeline import Paths, build
from factsheet.report import print_report


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Turn YAML facts, sources, entities, archived documents and Markdown pages "
                    "into a static, citation-heavy briefing site.",
        epilog="Exit status: 0 on success, 1 when the content has errors (every error is "
               "listed with file:line:column), 2 on a usage error. A failed build leaves the "
               "previous output folder untouched. See docs/content-format.md for the format.")
    parser.add_argument("command", nargs="?", default="build", choices=("build", "check", "serve"),
                        help="build (default): check, then write the site; check: validate only, "
                             "write nothing; serve: build and serve with live reload")
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                        help="the briefing's content folder (default: content)")
    parser.add_argument("--templates", type=Path, default=Path("templates"), metavar="DIR",
                        help="Jinja templates (default: templates)")
    parser.add_argument("--assets", type=Path, default=Path("assets"), metavar="DIR",
                        help="static files copied to <output>/assets (default: assets)")
    parser.add_argument("--output", type=Path, default=Path("site"), metavar="DIR",
                        help="where the site is written (default: site); replaced as a whole")
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings (unused facts, sources, entities) as errors")
    parser.add_argument("--host", default="127.0.0.1",
                        help="serve: address to bind (default: 127.0.0.1, loopback only)")
    parser.add_argument("--port", type=int, default=8000, help="serve: port (default: 8000)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    paths = Paths(args.content, args.templates, args.assets, args.output)
    if args.command == "serve":
        from factsheet.serve import serve
        return serve(paths, strict=args.strict, host=args.host, port=args.port)
    result = build(paths, strict=args.strict, write=args.command == "build")
    print_report(result, command=args.command, output=args.output)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
