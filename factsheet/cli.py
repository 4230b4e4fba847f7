"""Command line: the `factsheet` command (installed) and `build.py` (in a checkout) alike.

Owns: the subcommands (build, check, serve, new, schema, draft), their options, help and
examples; the default command (build, when none is given); how much is said (-q, -v) and in what
colour (report.py says it); exit statuses: 0 success, 1 content errors (or, for `new`, a folder
that is not empty; for `draft`, drafts there already), 2 usage errors. Everything else is the
package's: this module parses and calls (`draft` is factsheet/drafting/command.py's).
"""

from __future__ import annotations

import argparse
import shlex
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from . import __version__, report
from .pipeline import Paths, Result, internal_error
from .pipeline import build as pipeline_build

COMMANDS = ("build", "check", "serve", "new", "schema", "draft")

EXIT_STATUS = """\
exit status:
  0  success
  1  the content has errors, each listed with file:line:column (under --strict, warnings
     too); the output folder is left as it was. new: the folder is not empty. serve: the
     port cannot be used
  2  usage error: an unknown command or option, or a bad value"""


def port_number(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0 to 65535)")
    return int(text)


def value_options(parser: argparse.ArgumentParser) -> set[str]:
    """The long options of every command that take a value (`--content DIR`), read from the
    parser so that a new option is known here without being listed twice."""
    found = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                found |= value_options(command)
        elif action.nargs != 0:
            found.update(name for name in action.option_strings if name.startswith("--"))
    return found


def _takes_value(token: str, options: set[str]) -> bool:
    """`--content` (or an abbreviation argparse would accept, `--cont`) without `=value`."""
    return (token.startswith("--") and "=" not in token and len(token) > 2
            and any(option.startswith(token) for option in options))


def with_command(argv: list[str], parser: argparse.ArgumentParser | None = None) -> list[str]:
    """argv with its command first; `build` when none is given (`--strict` → `build --strict`).

    The first word that is not an option or an option's value is the command, wherever it is
    (`--content c check` → `check --content c`); an unknown word is left first for argparse to
    refuse as an invalid choice. --help and --version alone are the top level's. `parser`: the
    one that will read argv (made here when not given), which says which options take a value."""
    argv = list(argv)
    options = value_options(parser or make_parser())
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "--":
            break
        if token.startswith("-") and token != "-":
            index += 2 if _takes_value(token, options) else 1
            continue
        return [argv.pop(index), *argv]
    if any(token in ("-h", "--help", "--version") for token in argv):
        return argv
    return ["build", *argv]


class Formatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and epilogs as written (examples stay on their lines); wider option column."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30)


def make_parser(prog: str = "factsheet") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, formatter_class=Formatter,
        description="Turn YAML facts, sources, entities, archived documents and Markdown pages "
                    "into a static, citation-heavy briefing site.",
        epilog=f"""\
With no command, build is run: `{prog} --strict` is `{prog} build --strict`.
Every command has its own --help with examples, e.g. `{prog} serve --help`.

options of build, check and serve (given after the command):
  --content DIR    the briefing's content folder (default: content)
  --output DIR     where the site is written (default: site)
  --templates DIR  --assets DIR   the briefing's own templates and assets, over the built-in ones
  --strict         warnings fail the build too
  --drafts         (build, check) include drafts, marked; serve always does
  --no-cache       build and serve: neither read nor write the cache beside the output
  -q, -v           errors only / stage timings as well
  --color WHEN     auto (default), always or never; NO_COLOR=1 also turns colour off
serve also takes --host, --port and --open.

examples:
  {prog} new my-briefing        start a briefing: my-briefing/content/ and a README
  cd my-briefing && {prog} build --strict
  {prog} check                  check content/, write nothing
  {prog} serve --port 8001      preview with live reload on http://127.0.0.1:8001/
  {prog} draft report.txt       propose facts from content/documents/report.txt, for review

{EXIT_STATUS}
The content format: docs/content-format.md.""")
    parser.add_argument("--version", action="version", version=f"factsheet {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    def talk(verbose: str) -> argparse.ArgumentParser:
        """-q, -v and --color, with what -v adds for the command."""
        options = argparse.ArgumentParser(add_help=False)
        how_much = options.add_mutually_exclusive_group()
        how_much.add_argument("-q", "--quiet", action="store_const", dest="verbosity",
                              const=report.QUIET, default=report.NORMAL,
                              help="print errors only: nothing at all on success")
        how_much.add_argument("-v", "--verbose", action="store_const", dest="verbosity",
                              const=report.VERBOSE, help=verbose)
        options.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                             metavar="WHEN",
                             help="colour: auto (on a terminal, unless NO_COLOR is set), "
                                  "always or never (default: auto)")
        return options

    timed = talk("also print where the templates and assets come from, and how long each "
                 "stage took (load, validate, resolve, render, write, search), and how the "
                 "cache was used")
    briefing = argparse.ArgumentParser(add_help=False)
    where = briefing.add_argument_group("briefing")
    where.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                       help="the briefing's content folder (default: content)")
    where.add_argument("--output", type=Path, default=Path("site"), metavar="DIR",
                       help="where the site is written, replaced as a whole (default: site)")
    where.add_argument("--templates", type=Path, metavar="DIR",
                       help="templates of the briefing's own, each replacing the built-in one "
                            "of its name (default: templates/ beside the content folder, if "
                            "any)")
    where.add_argument("--assets", type=Path, metavar="DIR",
                       help="assets of the briefing's own, copied to <output>/assets over the "
                            "built-in ones (default: assets/ beside the content folder, if any)")
    where.add_argument("--base-url", type=site_address, metavar="URL",
                       help="the address the site is published at, for feed.xml, sitemap.xml, "
                            "robots.txt and canonical links (default: site.yaml's base_url); "
                            "a publishing workflow passes the address it deploys to")
    where.add_argument("--strict", action="store_true",
                       help="treat warnings (unused facts, sources, entities, a conversion that "
                            "does not hold …) as errors")

    cached = argparse.ArgumentParser(add_help=False)
    cached.add_argument("--no-cache", dest="cache", action="store_false",
                        help="neither read nor write the cache of earlier builds (kept in "
                             ".factsheet-cache/ beside the output folder): build from scratch")

    def command(name: str, parents: list, summary: str, description: str,
                examples: str) -> argparse.ArgumentParser:
        return commands.add_parser(
            name, parents=parents, help=summary, formatter_class=Formatter,
            description="\n".join(textwrap.fill(paragraph, 88)
                                  for paragraph in description.format(prog=prog).split("\n")),
            epilog=f"examples:\n{examples.format(prog=prog)}\n\n{EXIT_STATUS}")

    # Drafts (facts and entities marked `draft: true`) are left out of build and check unless
    # asked for; serve always shows them.
    drafts = argparse.ArgumentParser(add_help=False)
    drafts.add_argument("--drafts", action="store_true",
                        help="include drafts (facts and entities marked 'draft: true', not yet "
                             "reviewed), each with a DRAFT badge, and a Drafts page")
    command("build", [briefing, drafts, cached, timed],
            "check, then write the site (the default command)",
            "Check the briefing and, when it has no errors, replace the output folder with the "
            "site.\nA failed build leaves the previous output folder exactly as it was. What a "
            "build did is kept beside the output (.factsheet-cache/), so the next one redoes only "
            "what changed, and nothing when nothing did.", """\
  {prog} build                     content/ → site/ (the same as `{prog}`)
  {prog} build --strict            warnings fail the build too
  {prog} build --drafts            also the drafts, marked, for an editor to review
  {prog} build --content ~/b/content --output /tmp/site
  {prog} build -v                  also print each stage's time
  {prog} build -q && rsync -a site/ host:/var/www/briefing/""")
    command("check", [briefing, drafts, timed], "check only; write nothing",
            "Check the briefing as build does, and write nothing.", """\
  {prog} check                     check content/
  {prog} check --strict            fail on warnings too
  {prog} check -q --color never    errors only, plain text (for CI logs)""")
    serve = command(
        "serve", [briefing, cached, timed], "build, serve on 127.0.0.1 and rebuild on every save",
        "Build, serve the output folder with live reload, and rebuild on every change to the "
        "content, templates or assets.\nA bad edit never stops the server: the browser shows "
        "the problems until the file is fixed.", """\
  {prog} serve                     http://127.0.0.1:8000/
  {prog} serve --port 8001 --open  another port; open the browser
  {prog} serve --host 0.0.0.0      reachable from other machines (use with care)""")
    network = serve.add_argument_group("server")
    network.add_argument("--host", default="127.0.0.1",
                         help="address to bind (default: 127.0.0.1, loopback only)")
    network.add_argument("--port", type=port_number, default=8000, help="port (default: 8000)")
    network.add_argument("--open", action="store_true",
                         help="open the site in the web browser once it is served")

    new = command(
        "new", [talk("also list the files written")], "start a new briefing in a new or empty folder",
        "Write a small, valid, documented starter briefing into DIR: DIR/content/ (site.yaml, "
        "summary.md, one source with a short archived article — fictional, and said to be — "
        "two entities, three facts and one page) and DIR/README.md, the next steps.\nDIR is "
        "the briefing's folder: from it, `{prog} build` works with the default paths. DIR is "
        "created if missing; a folder that has anything in it is refused (exit 1).",
        """\
  {prog} new my-briefing
  cd my-briefing && {prog} build --strict && {prog} serve""")
    new.add_argument("folder", type=Path, metavar="DIR",
                     help="the new briefing's folder (created if missing; must be empty)")

    command("schema", [talk("no more than without it")], "regenerate schemas/*.json and the docs' field tables",
            "Regenerate schemas/*.json and the field tables of docs/content-format.md from "
            "factsheet/schema.py, in the repository this package is in (a source checkout, "
            "not an installed copy).", """\
  {prog} schema                    after changing factsheet/schema.py or vocabulary.py""")

    draft = command(
        "draft", [talk("also list the sentences skipped as having nothing checkable")],
        "propose facts from an archived document, for an editor to review",
        "Read DOCUMENT (a file under the content folder's documents/) sentence by sentence and "
        "propose a fact for each sentence with something checkable in it (a number, a date, a "
        "named entity, a reporting verb), quoting it verbatim with its locator. Sentences an "
        "existing fact already quotes are skipped, and named.\nThe proposals go to a new file, "
        "facts/draft-SOURCE.yaml (new entities to entities/draft-SOURCE.yaml), every entry "
        "marked `draft: true`: left out of build until an editor removes that line. An earlier "
        "draft is never overwritten (exit 1) unless --force. The briefing is checked first; with "
        "errors nothing is drafted (exit 1). A document or source that is not there is exit 2.",
        """\
  {prog} draft report.txt                      the one source naming report.txt
  {prog} draft content/documents/report.txt --source agency-report
  {prog} draft report.txt --force              replace the drafts of an earlier run""")
    draft.add_argument("document", metavar="DOCUMENT",
                       help="the archived text: its name under documents/ or a path to it")
    draft.add_argument("--source", metavar="ID",
                       help="the source the facts cite (default: the one source whose "
                            "`document:` is DOCUMENT)")
    draft.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                       help="the briefing's content folder (default: content)")
    draft.add_argument("--force", action="store_true",
                       help="replace the drafts an earlier run wrote from this source")
    return parser


def site_address(value: str) -> str:
    """--base-url: the same check as site.yaml's base_url (schema.Url)."""
    from .schema import Invalid, Url  # here: the schema reads dates and numbers too, which a
    #                                   build that finds nothing changed never needs
    try:
        return Url().check(value, None)
    except Invalid:
        raise argparse.ArgumentTypeError(f"expected {Url.expected}, such as "
                                         "https://example.org/briefing/") from None


def parse_args(argv: list[str], prog: str = "factsheet") -> argparse.Namespace:
    parser = make_parser(prog)
    return parser.parse_args(with_command(argv, parser))


def write_schema_files(root: Path, prog: str = "factsheet") -> int:
    """The files generated from the schema, rewritten in the repository at root."""
    from .docs import generate
    doc = root / "docs/content-format.md"
    if not doc.is_file():
        print(f"{prog} schema: error: {doc} not found; `schema` regenerates the files of a source "
              f"checkout of factsheet, not of an installed copy", file=sys.stderr)
        return 2
    files = generate(doc.read_text(encoding="utf-8"))
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    if report.SETTINGS.verbosity > report.QUIET:
        print(f"Wrote {len(files)} files: " + ", ".join(sorted(files)))
    return 0


def new_briefing(folder: Path, invocation: str, prog: str) -> int:
    from .scaffold import ScaffoldError, new_briefing as write_starter
    try:
        written = write_starter(folder)
    except ScaffoldError as exc:
        error = report.paint("error", f"{report.BOLD};{report.RED}",
                             report.use_color(sys.stderr))
        print(f"{prog} new: {error}: {exc}", file=sys.stderr)
        return 1
    if report.SETTINGS.verbosity >= report.VERBOSE:
        print("".join(f"  {folder / name}\n" for name in written), end="")
    if report.SETTINGS.verbosity > report.QUIET:
        print(f"Created a starter briefing in {folder}/ ({len(written)} files; its article is "
              f"fictional).\nNext: cd {shlex.quote(str(folder))} && {invocation} build --strict, "
              f"then read {folder}/README.md.")
    return 0


def run_build(args: argparse.Namespace, build: Callable[..., Result]) -> int:
    paths = Paths(content=args.content, templates=args.templates, assets=args.assets,
                  output=args.output)
    if args.verbosity >= report.VERBOSE:
        folders = {"templates": paths.template_folders(), "assets": paths.asset_folders()}
        print("; ".join(f"{kind} from " + ", then ".join(map(str, found))
                        for kind, found in folders.items()), file=sys.stderr)
    progress = report.Progress.for_terminal(
        sys.stderr, "Building" if args.command == "build" else "Checking")
    try:
        options = {"cache": True} if getattr(args, "cache", False) else {}
        result = build(paths, strict=args.strict, write=args.command == "build",
                       progress=progress, base_url=args.base_url, drafts=args.drafts,
                       **options)
    except Exception as exc:  # a bug, not a content error: reported as one, not as a traceback
        result = internal_error(exc, args.content)
    finally:
        progress.close()
    report.print_report(result, command=args.command, output=args.output, timings=progress)
    return 0 if result.ok else 1


def main(argv: list[str] | None = None, *, prog: str = "factsheet",
         invocation: str | None = None, build: Callable[..., Result] | None = None) -> int:
    """Run one command; returns the exit status (a usage error exits with 2, as argparse does).

    `prog` names the program in help and messages, `invocation` is the command shown to run
    next (default: prog), and `build` the pipeline entry point (build.py passes its own, so that
    a test may replace it there)."""
    if argv is None:  # the real command line: a message quoting content the terminal cannot
        argv = sys.argv[1:]  # encode is shown escaped, not as a traceback
        for stream in (sys.stdout, sys.stderr):
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(errors="backslashreplace")
    args = parse_args(argv, prog)
    report.configure(verbosity=args.verbosity, color=args.color)
    try:
        if args.command == "new":
            return new_briefing(args.folder, invocation or prog, prog)
        if args.command == "schema":
            return write_schema_files(Path(__file__).resolve().parent.parent, prog)
        if args.command == "draft":
            from .drafting.command import run as draft
            return draft(args, prog)
        if args.command == "serve":
            from .serve import serve
            return serve(Paths(content=args.content, templates=args.templates,
                               assets=args.assets, output=args.output),
                         strict=args.strict, base_url=args.base_url, host=args.host,
                         port=args.port, open_browser=args.open, cache=args.cache)
        return run_build(args, build or pipeline_build)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
