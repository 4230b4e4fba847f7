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

from factsheet.pipeline import Paths, build, internal_error
from factsheet.report import print_report


def port_number(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0 to 65535)")
    return int(text)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Turn YAML facts, sources, entities, archived documents and Markdown pages "
                    "into a static, citation-heavy briefing site.",
        epilog="Exit status: 0 on success, 1 when the content has errors (every error is "
               "listed with file:line:column), 2 on a usage error. A failed build leaves the "
               "previous output folder untouched. See docs/content-format.md for the format.")
    parser.add_argument("command", nargs="?", default="build",
                        choices=("build", "check", "serve", "schema"),
                        help="build (default): check, then write the site; check: validate only, "
                             "write nothing; serve: build and serve with live reload; schema: "
                             "regenerate schemas/*.json and the field tables of "
                             "docs/content-format.md from factsheet/schema.py")
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                        help="the briefing's content folder (default: content)")
    parser.add_argument("--templates", type=Path, metavar="DIR",
                        help="Jinja templates (default: the templates/ beside build.py)")
    parser.add_argument("--assets", type=Path, metavar="DIR",
                        help="static files copied to <output>/assets (default: the assets/ "
                             "beside build.py)")
    parser.add_argument("--output", type=Path, default=Path("site"), metavar="DIR",
                        help="where the site is written (default: site); replaced as a whole")
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings (unused facts, sources, entities) as errors")
    parser.add_argument("--host", default="127.0.0.1",
                        help="serve: address to bind (default: 127.0.0.1, loopback only)")
    parser.add_argument("--port", type=port_number, default=8000,
                        help="serve: port (default: 8000)")
    return parser.parse_args(argv)


def write_schema_files(root: Path) -> int:
    """The files generated from the schema, rewritten in the repository beside this file."""
    from factsheet.docs import generate
    files = generate((root / "docs/content-format.md").read_text(encoding="utf-8"))
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    print(f"Wrote {len(files)} files: " + ", ".join(sorted(files)))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    tool = Paths()  # templates and assets default to the ones beside this file, from any folder
    paths = Paths(args.content, args.templates or tool.templates, args.assets or tool.assets,
                  args.output)
    if args.command == "schema":
        return write_schema_files(Path(__file__).resolve().parent)
    if args.command == "serve":
        from factsheet.serve import serve
        return serve(paths, strict=args.strict, host=args.host, port=args.port)
    try:
        result = build(paths, strict=args.strict, write=args.command == "build")
    except Exception as exc:  # a bug, not a content error: reported as one, not as a traceback
        result = internal_error(exc, args.content)
    print_report(result, command=args.command, output=args.output)
    return 0 if result.ok else 1


if __name__ == "__main__":
    # A message quoting content the terminal cannot encode is shown escaped, not as a traceback.
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(errors="backslashreplace")
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        sys.exit(130)
