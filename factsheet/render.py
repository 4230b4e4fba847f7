"""Render: a resolved `Site` → {output path: HTML bytes}. Writes nothing.

Owns: the Jinja environment (autoescape, StrictUndefined), Markdown with the citation extension
and sanitising of prose, and the small view helpers templates call. Each page is a
pure function of (site, page), which is what later lets an incremental build cache pages.

Templates and their context (every template also gets `site`, `page_path`, `url`, `lookup`,
`prose_page`, `social`: the page's OpenGraph fields, structured.social):

| output                  | template        | context |
|-------------------------|-----------------|---------|
| index.html              | home.html       | key_numbers, summary (safe HTML), notes |
| pages/<slug>.html       | page.html       | page, body (safe HTML), notes |
| facts/index.html        | facts.html      | — |
| facts/<id>.html         | fact.html       | fact |
| sources/index.html      | sources.html    | — |
| sources/<id>.html       | source.html     | source, blocks (archive.blocks: the document) |
| entities/index.html     | entities.html   | by_kind |
| entities/<id>.html      | entity.html     | entity |
| timeline.html           | timeline.html   | dated (the dated facts, in order) |
| search.html             | search.html     | — (the search box; the index is search.py's) |
| drafts.html             | drafts.html     | groups (drafts.by_source), entities |

drafts.html is made only when the site holds drafts (serve, build --drafts).

A source page's context also has `drafted`: whether a draft fact quotes its document (the legend).
"""

from __future__ import annotations

import functools
import hashlib
import operator
import os
from pathlib import Path
from typing import Callable, Hashable

import jinja2
from markupsafe import Markup

from . import drafts, feeds, parallel, splice, structured
from .archive import blocks
from .depends import (Rendered, Watched, carry, changes, lists_read_by, read_by, readers, reindex,
                      same_pages, still_valid)
from .citing import cite_fact, kind_name
from .datewords import FAR_FUTURE, FAR_PAST
from .errors import Diagnostics, Location, display_path
from .memo import Key, Memo, memoised
from .model import Fact, Page, Site, quote_anchor
from .numbers import format_quantity, format_value
from .packed import Files, Parts
from .urls import output_path, relative_url
from .vocabulary import ENTITY_KINDS, STATUSES


def figure_html(value, unit: str = "") -> Markup:
    """A figure with its unit ("<strong>8–10</strong> knots", "<strong>10</strong>%",
    "US$<strong>4.3 billion</strong>"): the number stands out, the unit sits where it is said."""
    number = format_value(value)
    text = format_quantity(value, unit)
    at = text.find(number)
    return Markup("{}<strong>{}</strong>{}").format(text[:at], number, text[at + len(number):])


@functools.lru_cache(maxsize=256)
def language_name(tag: str) -> str:
    """"en" → "English", "zh-Hant" → "Chinese (Traditional)"; an unknown tag as written."""
    import langcodes  # imported here: 0.1 s, and as much again for the names, that a briefing
    #                   whose sources give no language never pays
    try:
        language = langcodes.Language.get(tag)
    except (ValueError, LookupError):  # validated as BCP 47 in shape, but may still be odd
        return tag
    name = language.display_name() if language.is_valid() else ""
    return tag if not name or name.startswith("Unknown language") else name


class LayeredLoader(jinja2.FileSystemLoader):
    """Templates from several folders, the first that has a name wins (a briefing's overrides,
    then the built-in theme). A compiled template is stale when its file changed, or when a folder
    before its own gained a file of the same name (an override added while `serve` runs)."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        pieces = jinja2.loaders.split_template_path(template)
        earlier = []
        for folder in self.searchpath:
            candidate = os.path.normpath(os.path.join(folder, *pieces))
            if candidate == os.path.normpath(filename):
                break
            earlier.append(candidate)
        if not earlier:
            return source, filename, uptodate
        return source, filename, lambda: uptodate() and not any(map(os.path.isfile, earlier))


def template_environment(folders: tuple[str, ...] | str) -> jinja2.Environment:
    """One Jinja environment per list of template folders (searched in order), kept across
    builds: compiling the templates is most of a small build's time. A template whose file
    changed (or that an override now hides) since the last build is compiled again: asked once
    a build, not by Jinja's auto_reload each time a template is used (50,000 times in a build of
    10,000 facts, 19 µs each against 3)."""
    env = _environment(folders)
    for key, template in list(env.cache.items()):
        if not template.is_up_to_date:
            del env.cache[key]
    return env


@functools.lru_cache(maxsize=8)
def _environment(folders: tuple[str, ...] | str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=LayeredLoader([folders] if isinstance(folders, str) else list(folders)),
        autoescape=True, undefined=jinja2.StrictUndefined, auto_reload=False,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["figure"] = figure_html
    env.filters["language_name"] = language_name
    return env


class Renderer:
    def __init__(self, site: Site, templates: Path, diagnostics: Diagnostics,
                 watch: bool = False, memo: Memo | None = None):
        self.site = self.real_site = site  # self.site: a Watched view while a page renders
        self.memo = memo  # for pure steps kept from the last build (a source page's blocks)
        # With `watch`, what each page reads is noted (depends.py), for the next build to reuse
        # the pages whose reads did not change.
        self.reads: dict[str, frozenset] | None = {} if watch else None
        self.kept: Rendered | None = None  # while watching, what the next build may reuse
        self.changed: set = set()  # the parts of the site changed since the last build
        self.old_fragments: dict = {}  # the last build's fragments (fragment())
        self.fragments: dict = {}  # this build's
        # The notes of the prose pages (note()): the last build's, and this build's when it
        # renders only what changed (a full render keeps none: note())
        self.old_notes: dict = {}
        self.notes: dict | None = None
        self.splicer = splice.Splicer()  # the chunks of long lists (each()), this build's
        self.nested = 0  # how many fragments are being made: a list in one is shown inline
        self.page_context: dict = {}
        self.page_module = None
        # Of each source, made once a build for the passages of all its citations (and kept in
        # the memo from one build to the next while its text and quotes are the same):
        self.shown: dict[str, structured.Shown] = {}  # structured.shown_paragraphs
        self.spans: dict[str, dict] = {}  # citation_spans
        # Of each citation, made once a build: it is shown on its fact page and in the notes of
        # every page citing the fact (54,000 times for 18,000 citations at ten thousand facts).
        self.contexts: dict[tuple[str, int], tuple[str, str]] = {}  # structured.passage_context
        self.diagnostics = diagnostics
        self.page_by_slug = {page.slug: page for page in site.pages}
        self.env = template_environment(template_folders(templates))
        # What every template may call; passed with each render, never stored in the
        # shared environment, so two sites never see each other's data.
        self.helpers = {"site": site, "statuses": STATUSES.meanings,
                        "lookup": self.lookup, "prose_page": self.page,
                        "pages_citing": self.pages_citing,
                        "passage": self.passage, "print_url": self.print_url,
                        "quote_anchor": quote_anchor, "kind_name": self.kind_name,
                        "text_fragment": self.text_fragment, "json_ld": self.json_ld,
                        "has_feed": feeds.has_feed(site),
                        "search_filters": self.search_filters, "cite": self.cite,
                        "fragment": self.fragment, "each": self.each, "note": self.note,
                        "shows_drafts": drafts.shows_drafts(site)}

    # --- helpers templates call -------------------------------------------------------
    def lookup(self, ident: str):
        """A fact, source or entity by id (ids are unique across all three)."""
        site = self.site
        return site.facts.get(ident) or site.sources.get(ident) or site.entities[ident]

    def kind_name(self, kind: str) -> str:
        """A source kind as readers see it: "press release"; a briefing's own by its name."""
        return kind_name(self.site, kind)

    def print_url(self, kind: str, ident: str = "") -> str:
        """The address printed after a link on paper: absolute under `base_url` when the site
        has one, else the page's path within the site."""
        path = output_path(kind, ident)
        return structured.absolute(self.site, path) or path

    def cite(self, fact: Fact):
        """How to cite a fact (citing.FactCitation: plain text and BibTeX), at its address."""
        return cite_fact(self.site, fact, self.print_url("fact", fact.id))

    def search_filters(self, fact: Fact) -> list[tuple[str, str]]:
        """(filter, value) pairs of a fact's search record (search.py), each once, in order:
        its status, the sources and entities of its chains, the entities it is about, its tags
        and the years its date may fall in (every year of a span of at most ten; an open range
        by its known end)."""
        site = self.site
        pairs = [("status", fact.status)]
        for link in site.chains.get(fact.id, ()):
            pairs += [("source", site.sources[i].title) for i in link.sources]
            pairs += [("entity", site.entities[i].name) for i in link.entities]
        pairs += [("entity", site.entities[i].name) for i in fact.about]
        pairs += [("tag", tag) for tag in fact.tags]
        if fact.date:
            low, high = fact.date.lower[0], fact.date.upper[0]
            low, high = (high if fact.date.lower == FAR_PAST else low,
                         low if fact.date.upper == FAR_FUTURE else high)
            if 0 <= high - low < 10:
                pairs += [("year", str(year)) for year in range(low, high + 1)]
        return list(dict.fromkeys(pairs))

    def text_fragment(self, fact: Fact, number: int) -> str:
        """A link to a citation's passage in the source's original (its `url` with a text
        fragment), or "" where the source has no url."""
        site = self.site
        source = site.sources[fact.citations[number - 1].source]
        passage = self.passage(fact, number)
        spans = site.quote_spans.get(source.id, ())  # read here: a watched page notes it
        by_citation = _made_once(self.spans, source.id, lambda: memoised(
            self.memo, "citation spans", Key((source.id, spans), by=source.id),
            lambda: citation_spans(spans)))
        span, last = by_citation.get((fact.id, number), (None, None))
        context = ("", "")
        if source.url and span is not None and source.id in site.structures:
            # a passage whose first words the document has twice: the words around this one
            text, document = site.documents[source.id], site.structures[source.id]
            # of the text alone (its structure is read from it), kept from build to build
            shown = _made_once(self.shown, source.id, lambda: memoised(
                self.memo, "shown paragraphs", Key((source.id, text), by=source.id),
                lambda: structured.shown_paragraphs(text, document)))
            context = _made_once(self.contexts, (fact.id, number), lambda: (
                structured.passage_context(text, document, span.start, last.end, passage, shown)))
        return structured.text_fragment_url(source.url or "", passage, *context)

    def json_ld(self, fact: Fact | None = None) -> Markup:
        """The JSON-LD of a fact page (a schema.org Claim) or, without a fact, of the home page
        (the Dataset of the exports), safe inside <script type="application/ld+json">."""
        site = self.site
        data = structured.claim(site, fact) if fact is not None else structured.dataset(site)
        return structured.script_json(data)

    def passage(self, fact: Fact, number: int) -> str:
        """A citation's quote as the archived document words it, else as the fact gives it."""
        return self.site.passages.get(quote_anchor(fact.id, number),
                                      fact.citations[number - 1].quote)

    # --- pages ------------------------------------------------------------------------
    def pages(self) -> list[tuple[str, str, str]]:
        """(output path, kind, id) of every page of the site, in a stable order: the jobs
        (their context is made as each is rendered: job)."""
        site = self.site
        keys = [(kind, "") for kind in ("home", "timeline", "search", "fact", "source", "entity")]
        keys += [("page", page.slug) for page in site.pages]
        keys += [("fact", i) for i in site.facts]
        keys += [("source", i) for i in site.sources]
        keys += [("entity", i) for i in site.entities]
        if self.helpers["shows_drafts"]:
            keys.append(("drafts", ""))
        return [(output_path(kind, ident), kind, ident) for kind, ident in keys]

    def context(self, kind: str, ident: str) -> dict:
        """A page's own context (pages(), template_of): made from self.site, so that what it
        holds is noted as read by the page while watching."""
        site = self.site
        if kind == "home":  # (the slugs here: Jinja's map filter took half the page's time)
            return {"key_numbers": site.key_numbers,
                    "page_slugs": [page.slug for page in site.pages]}
        if kind == "timeline":
            return {"dated": [f for f in site.facts.values() if f.date or f.as_of]}
        if kind == "drafts":
            return {"groups": drafts.by_source(site), "entities": drafts.draft_entities(site)}
        if kind == "page":
            if isinstance(site, Watched):  # the page shows all of itself
                site.note(("pages", ident))
            return {"page": self.page_by_slug[ident]}
        if kind == "entity":
            return {"entity": site.entities[ident]} if ident else \
                {"by_kind": self.entities_by_kind()}
        if kind == "fact" and ident:
            return {"fact": site.facts[ident]}
        if kind == "source" and ident:
            drafts_shown = self.helpers["shows_drafts"]  # else no fact is a draft
            return {"source": site.sources[ident],
                    "blocks": self.blocks(ident) if ident in site.structures else [],
                    "drafted": drafts_shown and any(site.facts[f].draft
                                                    for f in site.facts_citing.get(ident, ()))}
        return {}  # search.html, facts.html, sources.html

    def blocks(self, source: str) -> list:
        """A source's archived text as its page shows it, quotes marked: a pure function of
        the text (its structure is read from it alone) and the quotes' spans."""
        text, spans = self.site.documents[source], tuple(self.site.quote_spans.get(source, ()))
        return memoised(self.memo, "blocks", Key((source, text, spans), by=source),
                        lambda: blocks(text, self.site.structures[source], spans))

    def entities_by_kind(self) -> list[tuple[str, str, list]]:
        """(heading, kind, entities): built-in kinds in vocabulary order, then the briefing's."""
        groups: dict[str, list] = {}
        for entity in self.site.entities.values():
            groups.setdefault(entity.kind, []).append(entity)
        headings = {**ENTITY_KINDS.headings, **self.site.config.entity_kinds}
        return [(heading, kind, groups[kind]) for kind, heading in headings.items()
                if kind in groups]

    def pages_citing(self, fact_id: str) -> list:
        """The pages citing a fact, in page order (cited_by is kept in that order)."""
        return [self.page(slug) for slug in self.site.cited_by.get(fact_id, ())]

    def page(self, slug: str) -> Page:
        """A prose page by its slug (while watching, each of its fields noted as read on its
        own: depends.WatchedRecord)."""
        if isinstance(self.site, Watched):
            return self.site.record("pages", self.page_by_slug[slug])
        return self.page_by_slug[slug]

    def prose(self, page: Page | None) -> tuple[Markup, tuple]:
        """A page's prose, parsed once by validate → (sanitised HTML, notes by first use)."""
        if page is None or page.prose is None:
            return Markup(""), ()
        return Markup(page.prose.html), page.prose.notes

    def fragment(self, macro: str, record) -> Markup:
        """A macro of _macros.html applied to one record (or id): a line that aggregate pages
        (the timeline, the facts index) repeat for every fact. While watching, the line is kept
        from the last build when the record and everything the line read are unchanged."""
        key = (macro, _id_of(record), self.folder())  # (its links are relative)
        old = self.old_fragments.get(key)
        if old is not None and (old[0] is record or old[0] == record) and self.still(old[2]):
            self.fragments[key] = old
            return old[1]
        html, reads = self.macro(macro, record)
        if isinstance(self.site, Watched):
            self.fragments[key] = (record, html, reads)
        return html

    def folder(self) -> str:
        """The folder of the page being rendered: its links are relative to it."""
        return self.page_context["page_path"].rpartition("/")[0]

    def still(self, reads: frozenset) -> bool:
        """Whether a piece of a page the last build made, which read `reads`, may be shown
        again: while watching, when none of them changed since (they are then noted as read by
        this page)."""
        if not isinstance(self.site, Watched) or not self.changed.isdisjoint(reads):
            return False
        self.site.note_all(reads)
        return True

    def macro(self, macro: str, record) -> tuple[Markup, frozenset]:
        """A macro of _macros.html applied to `record` → (its HTML, what it read: reading())."""
        if self.page_module is None:  # one per page: its macros see the page's context
            self.page_module = self.env.get_template("_macros.html").make_module(
                self.page_context)
        module = self.page_module
        return self.reading(lambda: Markup(getattr(module, macro)(record)))

    def note(self, note) -> Markup:
        """A note of a prose page (prose.Note) as the macro note_item shows it. While watching,
        kept from the last build when that build rendered the page (the same note, in the same
        folder) and nothing the note read changed since: a page rendered again because one of
        the facts it cites changed makes that fact's note again, not its twenty others. Only
        the notes of the few pages the last build rendered are kept (those of every page would
        be tens of MB): the second save of a fact is the one that gains."""
        key = (note, self.folder())
        old = self.old_notes.get(key)
        made = old if old is not None and self.still(old[1]) else self.macro("note_item", note)
        if self.notes is not None:
            self.notes[key] = made
        return made[0]

    def each(self, macro: str, records) -> Markup:
        """A macro of _macros.html applied to each record's id, joined: a list of lines
        (fragment) that a page shows as it is. A long list is made of chunks (splice.py), each
        kept from the last build while nothing its lines read changed, and spliced into the
        page's bytes. Records or ids: a theme's template may still loop over the records."""
        ids = _ids_of(records)
        folder = self.folder()
        cut = splice.chunks(ids)
        if len(cut) < 2 or self.nested:  # a chunk is kept whole: no placeholder may be in it
            return self.lines(macro, ids)[0]
        # A chunk's reads are kept with the chunk, not noted as the page's: a page is rendered
        # again when its own reads or one of its chunks' changed (depends.lists_read_by), and
        # the reads of a list's unchanged chunks (a part for every fact) are not joined again.
        made = [self.splicer.chunk((macro, folder, part),
                                   lambda part=part: self.lines(macro, part, page_reads=False))
                for part in cut]
        return self.splicer.placeholder(made)

    def lines(self, macro: str, ids, page_reads: bool = True) -> tuple[Markup, frozenset]:
        """The fragments of `ids`, joined, and what they read of the site (while watching)."""
        return self.reading(lambda: Markup("".join([self.fragment(macro, i) for i in ids])),
                            page_reads)

    def reading(self, make: Callable, page_reads: bool = True):
        """make() → (its result, what it read of the site: while watching, told apart from the
        page's reads, and noted as the page's too unless not `page_reads`; else nothing)."""
        watched = self.site if isinstance(self.site, Watched) else None
        outer = watched.swap(set()) if watched is not None else None
        self.nested += 1
        try:
            made = make()
        finally:
            self.nested -= 1
            reads = frozenset(watched.swap(outer)) if watched is not None else frozenset()
        if watched is not None and page_reads:
            watched.note_all(reads)
        return made, reads

    def render_page(self, path: str, kind: str, ident: str) -> bytes | Parts:
        """A page of the site (pages()) rendered: its template with its context."""
        return self.render_one(path, template_of(kind, ident), self.context(kind, ident))

    def render_one(self, path: str, template: str, context: dict) -> bytes | Parts:
        """A template rendered as the page at `path` with `context` and what every template
        gets: the page's bytes, or its parts when it shows a long list (each())."""
        self.splicer.start_page(path)
        url = self.url_maker(path)
        context = {**self.helpers, "page_path": path, "url": url, **context, "site": self.site}
        self.page_context, self.page_module = context, None
        context["social"] = structured.social(self.site, path, template, context)
        if template == "page.html":
            context["body"], context["notes"] = self.prose(context["page"])
        elif template == "home.html":
            context["summary"], context["notes"] = self.prose(self.site.summary)
        return self.splicer.assemble(self.env.get_template(template).render(context))

    def render_watched(self, path: str, kind: str, ident: str) -> bytes | Parts:
        """render_page, noting in self.reads what the page (its context too) read of the site."""
        seen: set = set()
        self.site = Watched(self.real_site, seen)
        try:
            return self.render_page(path, kind, ident)
        finally:
            self.site = self.real_site
            self.reads[path] = frozenset(seen)

    def constants(self) -> list:
        """What every template is given besides the site and functions (has_feed …): when one
        changes, no page of an earlier build is reused."""
        return sorted((name, value) for name, value in self.helpers.items()
                      if name != "site" and not callable(value))

    def url_maker(self, from_path: str) -> Callable:
        def url(kind: str, ident: str = "", fragment: str = "") -> str:
            target = output_path(kind, ident) + (f"#{fragment}" if fragment else "")
            return relative_url(from_path, target)
        return url

    def template_file(self, name: str) -> str:
        """Where a template named in an error is: the first folder that has it, else the last
        (the built-in theme's) + name."""
        folders = self.env.loader.searchpath
        found = next((f for f in folders if Path(f, name).is_file()), folders[-1])
        return str(Path(found, name))

    def render_all(self, previous: Rendered | None = None) -> Files:
        """Every page; with `previous` (and watching), only the new ones and those that read a
        part of the site changed since, found through the index of what each page read
        (depends.readers), the others kept as they are."""
        if self.reads is None:
            return self.render_some(self.pages()) or Files()
        theme, constants = self.theme(), self.constants()
        if not still_valid(previous, theme, constants):
            all_jobs = self.pages()
            output = self.render_some(all_jobs)
            if output is not None:
                self.kept = Rendered(self.real_site, theme, constants, all_jobs, output,
                                     self.reads, {}, self.splicer.new, _lists(self.splicer),
                                     readers=readers(self.reads), positions=_positions(all_jobs))
                carry(self.kept.fragments, self.kept.fragment_readers, set(), self.fragments,
                      _fragment_reads)
            return output or Files()
        self.changed = changes(self.memo.carried, previous.site, self.real_site)
        self.old_fragments = previous.fragments
        self.old_notes, self.notes = previous.notes, {}
        self.splicer = splice.Splicer(previous.chunks, self.changed)
        again = read_by(previous.readers, self.changed) | lists_read_by(
            previous.lists, previous.chunks, self.changed)
        moved = not same_pages(previous.site, self.real_site, self.changed)
        if not moved:  # the same jobs: those whose reads changed, in order
            all_jobs, positions = previous.jobs, previous.positions
            jobs = [all_jobs[at] for at in sorted(map(positions.__getitem__, again))]
            self.reads = dict(previous.reads)
        else:  # pages added, removed or moved: the new ones too
            all_jobs = self.pages()
            positions = _positions(all_jobs)
            jobs = [job for job in all_jobs if job[0] in again or job[0] not in previous.pages]
            self.reads = {path: previous.reads[path] for path in positions
                          if path in previous.reads}
        made = self.render_some(jobs)
        if made is None:
            return Files()
        output = Files()
        output.update(previous.pages)  # as they are held (packed.py): not inflated
        output.update(made)
        # The last build's index, brought up to date: changed only once this build's pages
        # are all made, so a build that fails leaves `previous` whole for the next one.
        index = previous.readers
        if moved:
            output = _in_order(all_jobs, output)
            for path in previous.reads.keys() - positions.keys():
                reindex(index, path, previous.reads[path], frozenset())
        for path, _, _ in jobs:
            reindex(index, path, previous.reads.get(path, frozenset()), self.reads[path])
        # The lines of every build kept while nothing they read changed; the chunks of the pages
        # rendered again as they were made, and of the others as they were kept.
        carry(previous.fragments, previous.fragment_readers, self.changed, self.fragments,
              _fragment_reads)
        lists = {path: keys for path, keys in previous.lists.items()
                 if path in positions and path not in made}
        chunks = {key: previous.chunks[key] for keys in lists.values() for key in keys}
        chunks.update(self.splicer.new)
        lists.update(_lists(self.splicer))
        self.kept = Rendered(self.real_site, theme, constants, all_jobs, output, self.reads,
                             previous.fragments, chunks, lists, previous.fragment_readers,
                             index, positions, self.notes)
        return output

    def render_some(self, jobs: list) -> Files | None:
        """The pages of `jobs`, in one process or several; None when one failed (its problems
        are in the diagnostics)."""
        processes = parallel.workers(len(jobs))
        if processes < 2 and parallel.HAND_ON is None:  # (else in shares, each handed on)
            output, failed = self.render_jobs(jobs)
            problems = failed[1] if failed else []
        else:
            output, problems = self.render_parallel(jobs, processes)
        for problem in problems:
            self.diagnostics.add(problem)
        return None if problems else output

    def theme(self) -> str:
        """A digest of every template file, first folder first: when one changes (or an
        override is added), no page of an earlier build is reused."""
        digest = hashlib.sha256()
        for folder in self.env.loader.searchpath:
            for path in sorted(Path(folder).rglob("*")):
                if path.is_file():
                    digest.update(f"{path}\0".encode())
                    digest.update(path.read_bytes())
        return digest.hexdigest()

    def compile_templates(self) -> None:
        """Every template compiled now, before the render workers fork: they inherit the code
        instead of each compiling its own copy (10k facts: the process tree's peak 7 MiB lower).
        One that does not compile is left for the page that uses it to report."""
        for name in self.env.list_templates(filter_func=lambda name: name.endswith(".html")):
            try:
                self.env.get_template(name)
            except jinja2.TemplateError:
                pass

    def render_parallel(self, jobs: list, processes: int) -> tuple[Files, list]:
        """The jobs rendered by `processes` processes (parallel.py), merged as a serial build
        would make them: the pages in the jobs' order, what each read, the lines and chunks
        made, and the first failure's diagnostics."""
        self.compile_templates()
        parts = parallel.render_shares(functools.partial(self.render_share, jobs), len(jobs),
                                       processes)
        if self.reads is not None:
            self.reads.update(parallel.merged_reads(parts))
            for part in parts:  # the lines and chunks made, for the next build to reuse
                self.fragments.update(part.fragments)
                self.splicer.new.update(part.chunks)
                self.splicer.used.update(part.used)
        # Same order as a serial build: publishing and any later step see no difference.
        return _in_order(jobs, *(part.pages for part in parts)), parallel.first_failure(parts)

    def render_share(self, jobs: list, index: int, count: int) -> parallel.Share:
        """Every `count`-th job starting at `index`, and while watching what those pages read
        and the lines and chunks made (noted apart from what was noted before)."""
        noted = self.reads, self.fragments, self.splicer.new, self.splicer.used
        if self.reads is not None:
            self.reads, self.fragments, self.splicer.new, self.splicer.used = {}, {}, {}, {}
        try:
            output, failed = self.render_jobs(jobs[index::count], range(index, len(jobs), count))
            if self.reads is None:
                return parallel.Share(output, failed)
            return parallel.Share(output, failed, self.reads, self.fragments, self.splicer.new,
                                  self.splicer.used)
        finally:
            self.reads, self.fragments, self.splicer.new, self.splicer.used = noted

    def render_jobs(self, jobs, positions=None) -> tuple[Files, tuple]:
        """Render the jobs in order, stopping at the first template error → (pages, () or
        (the failing job's position among all jobs, [its diagnostics]))."""
        output = Files()
        problems = Diagnostics()
        positions = positions or range(len(jobs))
        for position, (path, kind, ident) in zip(positions, jobs):
            template = template_of(kind, ident)
            try:
                if self.reads is None:
                    output[path] = self.render_page(path, kind, ident)
                else:
                    output[path] = self.render_watched(path, kind, ident)
            except jinja2.TemplateSyntaxError as exc:
                where = display_path(exc.filename or self.template_file(exc.name or template))
                problems.error(Location(where, exc.lineno or 0, 1),
                               f"template syntax error: {exc.message}", key="template")
                break
            except jinja2.TemplateNotFound as exc:
                where = _template_location(exc, self.template_file(template))
                folders = ", ".join(display_path(f) for f in self.env.loader.searchpath)
                problems.error(where, f"template '{exc.name}' not found (looked in "
                                      f"{folders}) while rendering '{path}'", key="template")
                break
            except (jinja2.TemplateError, LookupError, TypeError, ValueError) as exc:
                where = _template_location(exc, self.template_file(template))
                problems.error(where, f"template error while rendering '{path}': {exc}",
                               key="template", hint=getattr(exc, "hint", ""))
                break
        return output, (position, problems.items) if problems.items else ()


# The template of each kind of page (output_path), and of the index of a kind of record.
TEMPLATES = {"home": "home.html", "timeline": "timeline.html", "search": "search.html",
             "drafts": "drafts.html", "page": "page.html", "fact": "fact.html",
             "source": "source.html", "entity": "entity.html"}
INDEX_TEMPLATES = {"fact": "facts.html", "source": "sources.html", "entity": "entities.html"}


def template_of(kind: str, ident: str) -> str:
    return INDEX_TEMPLATES[kind] if not ident and kind in INDEX_TEMPLATES else TEMPLATES[kind]


def _id_of(record) -> str:
    """A record's id; an id as it is (templates hand fragment() and each() either)."""
    return record if isinstance(record, str) else record.id


def _ids_of(records) -> list[str]:
    """_id_of of each record: in C where all are records (the built-in templates hand each()
    the ten thousand facts of the timeline and of the facts index), else one by one."""
    records = records if isinstance(records, (list, tuple)) else list(records)
    try:
        return list(map(_ID, records))
    except AttributeError:  # ids among them
        return list(map(_id_of, records))


_ID = operator.attrgetter("id")


def _fragment_reads(fragment: tuple) -> frozenset:
    """What a line (Renderer.fragment: record, HTML, reads) read of the site."""
    return fragment[2]


def _lists(splicer: splice.Splicer) -> dict[str, tuple]:
    """Each page rendered → the keys of the chunks of its long lists."""
    return {path: tuple(keys) for path, keys in splicer.used.items()}


def _made_once(cache: dict, key: Hashable, make: Callable):
    """cache[key], made by make() the first time it is asked for."""
    if key not in cache:
        cache[key] = make()
    return cache[key]


def citation_spans(spans) -> dict:
    """A source's quote spans by citation: (fact id, citation) → (the first span of its quote's
    first part or None, its last span)."""
    found: dict = {}
    for span in spans:
        first, _ = found.get((span.fact_id, span.citation), (None, None))
        if first is None and span.part == 1:
            first = span
        found[(span.fact_id, span.citation)] = (first, span)
    return found


def _positions(jobs: list) -> dict[str, int]:
    """Each job's output path → its place among the jobs."""
    return {path: at for at, (path, _, _) in enumerate(jobs)}


def _in_order(jobs: list, *found: Files) -> Files:
    """The pages of `jobs` that one of `found` holds (the first that does), in the jobs' order,
    as they are held (not inflated): publishing and any later step see the order of a serial
    build."""
    return Files.ordered([path for path, _, _ in jobs], *found)


def _template_location(exc: Exception, template_file: str) -> Location:
    """The template line a render error came from, read off the traceback Jinja rewrites."""
    tb = exc.__traceback__
    found = Location(display_path(template_file))
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html"):
            found = Location(display_path(filename), tb.tb_lineno, 1)
        tb = tb.tb_next
    return found


def template_folders(templates) -> tuple[str, ...]:
    """A folder or folders of templates (first match wins) as absolute paths: the cache key."""
    folders = [templates] if isinstance(templates, (str, os.PathLike)) else templates
    return tuple(str(Path(folder).absolute()) for folder in folders)


def render(site: Site, templates, diagnostics: Diagnostics,
           memo: Memo | None = None) -> Files:
    """`templates`: a folder, or folders searched in order (Paths.template_folders). With a
    `memo` (serve), pages the last build rendered are reused where nothing they read changed."""
    if memo is None:
        return Renderer(site, templates, diagnostics).render_all()
    renderer = Renderer(site, templates, diagnostics, watch=True, memo=memo)
    errors = len(diagnostics.errors)
    output = renderer.render_all(memo.carried.get("render"))
    if len(diagnostics.errors) == errors:
        memo.carried["render"] = renderer.kept
    return output
