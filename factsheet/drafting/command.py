"""`factsheet draft DOCUMENT --source ID`: fact entries proposed from an archived document.

Owns: the command's steps and what it says. Load and validate the briefing (a briefing with
errors is reported and nothing is drafted: proposals need its entities and facts read right);
find the document and the source that names it; cut the document into sentences; skip each
sentence an existing fact already quotes (naming the fact); hand the rest to the `Drafter`
(propose.py); write `facts/draft-<source>.yaml` and `entities/draft-<source>.yaml`, never over
an earlier draft unless `--force`; print a summary.

Exit status: 0 drafted (or nothing to propose); 1 the briefing has errors, no source names the
document, or drafts from this source exist already (nothing is written; `--force` replaces
them); 2 a bad value: a document or source that is not there, or several sources and no
`--source`. Every failure is one line, never a traceback.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import report
from ..errors import ERROR, Diagnostic, Diagnostics, display_path, suggest
from ..loader import load_content
from ..model import Content
from ..quotes import find_all, fold_document
from ..validate import validate
from .draftfile import draft_paths, render, write_new
from .sentences import Sentence, sentences

MAX_LISTED = 8  # candidates named in a message before "and N more"


class DraftError(Exception):
    """A reason not to draft, told as one line: where, what, and a hint. `status`: the exit
    status (1 the content, 2 a bad value on the command line)."""

    def __init__(self, where: str, what: str, hint: str = "", status: int = 1):
        super().__init__(f"{where}: {what}" + (f"; {hint}" if hint else ""))
        self.status = status


@dataclass
class Drafted:
    """What one run read, skipped and proposed."""

    document: str  # its name under documents/
    source: str
    sentences: list[Sentence] = field(default_factory=list)
    proposals: list[dict] = field(default_factory=list)
    covered: list[tuple[Sentence, tuple[str, ...]]] = field(default_factory=list)  # fact ids
    unchecked: list[Sentence] = field(default_factory=list)  # no checkable content
    entities: list[dict] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)

    @property
    def headings(self) -> int:
        return sum(s.is_heading for s in self.sentences)


def _listed(names: list[str]) -> str:
    shown = ", ".join(f"'{name}'" for name in names[:MAX_LISTED])
    more = len(names) - MAX_LISTED
    return f"{shown} and {more} more" if more > 0 else shown


# --- the briefing ------------------------------------------------------------------------

def read(root: Path) -> tuple[Content, list[Diagnostic]]:
    """The briefing, validated, and its errors (warnings do not stop a draft)."""
    if not root.is_dir():
        raise DraftError(display_path(root), "content folder not found",
                         "give the briefing's content folder with --content DIR", status=2)
    diagnostics = Diagnostics()
    content = validate(load_content(root, diagnostics), diagnostics)
    return content, [d for d in diagnostics.sorted() if d.severity == ERROR]


def stop_on(errors: list[Diagnostic], root: Path) -> None:
    """Nothing is drafted from a briefing with errors: they are listed, then one line why."""
    if not errors:
        return
    color = report.use_color(sys.stderr)
    print("".join(f"{n}. {report.diagnostic_text(d, color)}\n"
                  for n, d in enumerate(errors, start=1)), end="", file=sys.stderr)
    raise DraftError(display_path(root), f"the briefing has {report.plural(len(errors), 'error')}"
                     " (listed above), so nothing was drafted",
                     "fix them (`check` lists them too), then run draft again")


def _in(diagnostic: Diagnostic, files) -> bool:
    return Path(diagnostic.location.path).resolve() in {Path(f).resolve() for f in files}


def _draft_files(root: Path) -> list[Path]:
    """Every draft file of the briefing, from any source."""
    return [*root.glob("facts/draft-*.yaml"), *root.glob("entities/draft-*.yaml")]


def _without(content: Content, files: tuple[Path, ...]) -> Content:
    """The briefing less the records of the given files: drafts about to be replaced neither
    cover a sentence nor take an id."""
    gone = {path.resolve() for path in files}

    def kept(record) -> bool:
        return not record.location.path or Path(record.location.path).resolve() not in gone

    return dataclasses.replace(content, facts=tuple(f for f in content.facts if kept(f)),
                               entities=tuple(e for e in content.entities if kept(e)))


def find_document(root: Path, given: str, content: Content) -> str:
    """The document's name under documents/, from a bare name ("x.txt"), a name under
    documents/ ("2024/x.txt") or a path to the file."""
    names = sorted(content.documents)
    folder = (root / "documents").resolve()
    path = Path(given)
    if path.is_file():
        resolved = path.resolve()
        if resolved.is_relative_to(folder):
            return resolved.relative_to(folder).as_posix()
        raise DraftError(given, f"not in {display_path(root / 'documents')}/",
                         "archive the text there and name it in a source's `document:`", 2)
    if given in content.documents:
        return given
    by_name = [name for name in names if name.rsplit("/", 1)[-1] == path.name]
    if len(by_name) == 1:
        return by_name[0]
    hint = (suggest(path.name, [n.rsplit("/", 1)[-1] for n in names])
            or (f"the documents are {_listed(names)}" if names else
                "the briefing has no archived documents"))
    raise DraftError(display_path(root / "documents" / given), "no such document", hint, 2)


def find_source(given: str | None, document: str, content: Content) -> str:
    """The source to draft for: the one given (which must name the document), else the only
    source naming the document."""
    naming = sorted(s.id for s in content.sources if s.document == document)
    if given is not None:
        source = next((s for s in content.sources if s.id == given), None)
        if source is None:
            hint = suggest(given, [s.id for s in content.sources]) or (
                f"sources naming {document}: {_listed(naming)}" if naming else "")
            raise DraftError(f"--source {given}", "no such source", hint, 2)
        if source.document != document:
            says = f"its document is '{source.document}'" if source.document else \
                "it names no document"
            hint = (f"sources naming {document}: {_listed(naming)}" if naming else
                    f"add `document: {document}` to it")
            raise DraftError(f"--source {given}", f"source '{given}' does not name "
                             f"'{document}' ({says})", hint, 2)
        return given
    if len(naming) == 1:
        return naming[0]
    if not naming:
        raise DraftError(document, "no source names this document",
                         f"add a source with `document: {document}` under sources/, then "
                         f"run draft again")
    raise DraftError(document, f"{len(naming)} sources name this document: {_listed(naming)}",
                     "say which with --source ID", 2)


# --- what is quoted already ----------------------------------------------------------------

def quoted_spans(content: Content, document: str, text: str,
                 folded=None) -> list[tuple[int, int, str]]:
    """(start, end, fact id) of every passage of the document an existing fact quotes, through
    any source that names the document."""
    sources = {s.id for s in content.sources if s.document == document}
    folded = folded if folded is not None else fold_document(text)
    spans = []
    for fact in content.facts:
        for citation in fact.citations:
            if citation.source in sources and citation.quote:
                for occurrence in find_all(citation.quote, text, folded=folded):
                    spans += [(a, b, fact.id) for a, b in occurrence.spans]
    return spans


def covering(sentence: Sentence, spans: list[tuple[int, int, str]]) -> tuple[str, ...]:
    """Ids of the facts whose quotes overlap the sentence, in order of first mention."""
    ids = [fact for a, b, fact in spans if a < sentence.end and sentence.start < b]
    return tuple(dict.fromkeys(ids))


# --- the run -------------------------------------------------------------------------------

def _unique_ids(proposals: list[dict], entities: list[dict], content: Content) -> None:
    """Ids unique across the briefing and the drafts: a fact id taken gets "-2", "-3" …; an
    entity proposed under an id the briefing has already is the briefing's, and is dropped."""
    taken = {f.id for f in content.facts} | {e.id for e in content.entities} | \
        {s.id for s in content.sources} | set(content.invalid)
    kept = []
    for entity in entities:
        if entity.get("id") not in taken:
            taken.add(entity.get("id"))
            kept.append(entity)
    entities[:] = kept
    for proposal in proposals:
        ident, n = proposal.get("id"), 2
        while ident in taken:
            ident, n = f"{proposal['id']}-{n}", n + 1
        proposal["id"] = ident
        taken.add(ident)


def _as_draft(entry: dict) -> dict:
    entry = dict(entry)
    entry.pop("draft", None)
    entry["draft"] = True  # last, where an editor deletes it to accept the entry
    return entry


def draft(root: Path, document: str, source: str | None = None, *, force: bool = False,
          drafter: Callable | None = None) -> Drafted:
    """Draft facts from `document` of the briefing at `root` (see the module). `drafter`:
    the Drafter class (propose.py), or a stand-in with its interface."""
    content, errors = read(root)
    # Errors outside the drafts stop everything, before a missing source is blamed on them.
    drafts = _draft_files(root)
    stop_on([d for d in errors if not _in(d, drafts)], root)
    name = find_document(root, document, content)
    source = find_source(source, name, content)
    facts_file, entities_file = draft_paths(root, source)
    existing = [path for path in (facts_file, entities_file) if path.exists()]
    if existing and not force:
        raise DraftError(display_path(existing[0]), f"drafts from source '{source}' exist "
                         "already, so nothing was written",
                         "review and accept or delete them, or run draft again with --force "
                         "to replace them")
    # The drafts about to be replaced may be broken; other sources' drafts may not.
    stop_on([d for d in errors if _in(d, drafts) and not _in(d, existing)], root)
    content = _without(content, (facts_file, entities_file))

    if drafter is None:
        from .propose import Drafter as drafter  # noqa: N813 - the class, passed like one
    text = content.documents[name]
    result = Drafted(name, source, sentences=sentences(text))
    spans = quoted_spans(content, name, text)
    proposer = drafter(content, source)
    for sentence in result.sentences:
        facts = covering(sentence, spans)
        if facts:
            result.covered.append((sentence, facts))
            continue
        # A sentence may give two proposals (a speaker's clause and the rest, in the
        # document's own voice: `Drafter.propose_all`); a stand-in may offer `propose` only.
        every = getattr(proposer, "propose_all", None)
        proposals = every(sentence) if every else [p for p in [proposer.propose(sentence)] if p]
        if not proposals:
            result.unchecked.append(sentence)
            continue
        result.proposals.extend(_as_draft(proposal) for proposal in proposals)
    result.entities = [_as_draft(entity) for entity in proposer.new_entities()]
    _unique_ids(result.proposals, result.entities, content)

    for path, entries, what in ((facts_file, result.proposals, "proposed facts"),
                                (entities_file, result.entities, "proposed entities")):
        if entries:
            write_new(path, render(entries, document=name, source=source, what=what),
                      replace=force)
            result.written.append(path)
        elif force and path.exists():  # a replaced draft leaves no stale half behind
            path.unlink()
            result.removed.append(path)
    return result


# --- telling it ----------------------------------------------------------------------------

def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def summary(result: Drafted, verbose: bool = False) -> str:
    """What the run did, for a person: counts, each sentence skipped as quoted already with
    its facts, where the files are, and what to do next."""
    files = {("facts" if "facts" == path.parent.name else "entities"): display_path(path)
             for path in result.written}
    headings = f" ({report.plural(result.headings, 'heading')})" if result.headings else ""
    lines = [f"Drafted from {result.document} (source {result.source}):",
             f"  sentences read: {len(result.sentences)}{headings}",
             f"  proposed facts: {len(result.proposals)}"
             + (f" → {files['facts']}" if "facts" in files else ""),
             f"  skipped, quoted already: {len(result.covered)}"]
    for sentence, facts in result.covered:
        lines.append(f"    {sentence.locator}: \"{_short(sentence.text)}\" — "
                     f"{'fact' if len(facts) == 1 else 'facts'} {', '.join(facts)}")
    headings = sum(s.is_heading for s in result.unchecked)
    of_them = f", {headings} of them headings" if headings else ""
    lines.append(f"  skipped, nothing checkable: {len(result.unchecked)} (no number, date, "
                 f"named entity or reporting verb{of_them})")
    if verbose:
        lines += [f"    {s.locator}: \"{_short(s.text)}\"" for s in result.unchecked]
    lines.append(f"  new entities: {len(result.entities)}"
                 + (f" → {files['entities']}" if "entities" in files else ""))
    for path in result.removed:
        lines.append(f"  removed the earlier {display_path(path)} (no entities proposed now)")
    lines.append("Review them: accept an entry by removing its `draft: true`, or delete it; "
                 "`check --drafts` checks them, `serve` shows them." if result.written else
                 "Nothing to propose, so no file was written.")
    return "\n".join(lines)


def run(args, prog: str = "factsheet", drafter: Callable | None = None) -> int:
    """The `draft` subcommand: argparse's namespace in, exit status out."""
    try:
        result = draft(args.content, args.document, args.source, force=args.force,
                       drafter=drafter)
    except DraftError as exc:
        error = report.paint("error", f"{report.BOLD};{report.RED}", report.use_color(sys.stderr))
        print(f"{prog} draft: {error}: {exc}", file=sys.stderr)
        return exc.status
    except Exception as exc:  # noqa: BLE001 - a bug, told in one line, never a traceback
        error = report.paint("error", f"{report.BOLD};{report.RED}", report.use_color(sys.stderr))
        print(f"{prog} draft: {error}: internal error while drafting: {type(exc).__name__}: "
              f"{exc}; a bug in the generator, not in the content: please report it with the "
              f"document that triggers it", file=sys.stderr)
        return 1
    if report.SETTINGS.verbosity > report.QUIET:
        print(summary(result, verbose=report.SETTINGS.verbosity >= report.VERBOSE))
    return 0
