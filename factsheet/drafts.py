"""Drafts: facts and entities marked `draft: true`, proposals not yet reviewed by an editor.

Owns: which drafts a build leaves out (`leave_out`, between validate and resolve) and, for a
build that shows them, the Drafts index grouped by source (`by_source`). Resolve warns where a
reviewed record or published prose rests on a draft; render marks drafts with a badge.

A draft entity that a reviewed fact names (`about`, `attribution`) is kept even when drafts are
left out, with resolve's warning: leaving it out would change who the published fact says
said it. A reviewed fact's `related` or `contradicts` link to a draft fact is only dropped.
Imports nothing of ours but the model.
"""

from __future__ import annotations

import dataclasses
import operator
from dataclasses import dataclass

from .model import Content, Entity, Fact, Site, quote_anchor


def named_entities(fact: Fact) -> set[str]:
    """Every entity id a fact names: what it is about and every link of its chains."""
    names = set(fact.about) | set(fact.attribution)
    for citation in fact.citations:
        names.update(citation.attribution or ())
    return names


def leave_out(content: Content) -> Content:
    """The content without its draft facts, and without the draft entities no reviewed fact
    names; what was left out is kept in `left_out`, so that references to it are told apart
    from references to ids that do not exist."""
    reviewed = [fact for fact in content.facts if not fact.draft]
    if len(reviewed) == len(content.facts) and not any(e.draft for e in content.entities):
        return content
    needed = set().union(*map(named_entities, reviewed))
    entities = [e for e in content.entities if not e.draft or e.id in needed]
    left_out = tuple(f for f in content.facts if f.draft) + \
        tuple(e for e in content.entities if e.draft and e.id not in needed)
    return dataclasses.replace(content, facts=tuple(reviewed), entities=tuple(entities),
                               left_out=left_out)


@dataclass(frozen=True)
class DraftPassage:
    """One citation of a draft fact, as the Drafts index lists it."""

    fact: Fact
    number: int  # 1-based position of the citation among the fact's citations
    anchor: str  # the passage's id on its source's page (model.quote_anchor)
    locator: str
    paragraph: int | None = None  # the paragraph of the archived text it is in, if placed


def by_source(site: Site) -> list[tuple[str, list[DraftPassage]]]:
    """(source id, its draft passages) for every source a draft fact cites, sources in the
    site's order, passages in the order of the document (a quote not placed in it last, by
    locator): the order an editor reviews them in, paragraph by paragraph."""
    start = {(span.fact_id, span.citation): span.start
             for spans in site.quote_spans.values() for span in spans if span.part == 1}
    groups: dict[str, list[DraftPassage]] = {}
    for fact in site.facts.values():
        if not fact.draft:
            continue
        for number, citation in enumerate(fact.citations, start=1):
            offset = start.get((fact.id, number))
            groups.setdefault(citation.source, []).append(
                DraftPassage(fact, number, quote_anchor(fact.id, number), citation.locator,
                             _paragraph(site.structures.get(citation.source), offset)))
    place = lambda p: (start.get((p.fact.id, p.number)) is None,  # noqa: E731
                       start.get((p.fact.id, p.number), 0), p.locator, p.fact.id, p.number)
    return [(source_id, sorted(groups[source_id], key=place))
            for source_id in site.sources if source_id in groups]


def _paragraph(document, offset: int | None) -> int | None:
    """The number of the paragraph holding `offset` in a document (documents.Document)."""
    if document is None or offset is None:
        return None
    index = document.paragraph_index(offset)
    return document.paragraphs[index].number if index is not None else None


def draft_entities(site: Site) -> list[Entity]:
    return [entity for entity in site.entities.values() if entity.draft]


def shows_drafts(site: Site) -> bool:
    """Whether the site holds any draft: then it has a Drafts page, linked from every page."""
    return any(map(_DRAFT, site.facts.values())) or any(map(_DRAFT, site.entities.values()))


_DRAFT = operator.attrgetter("draft")  # (looked at in C: every build asks of 10,000 facts)
