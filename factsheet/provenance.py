"""Provenance: who stands behind a fact, read off the attribution chain of each citation.

Owns: grouping a fact's citations into chains ("Pete Buttigieg, via *Press Briefing*"; a source
cited several times with one chain is named once) and counting the independent original
claimants behind it — two outlets relaying the same intelligence source are one claimant, not
two. Pure functions over the model; imports nothing else of ours.
"""

from __future__ import annotations

from .model import Chain, Citation, Fact


def chain_of(fact: Fact, citation: Citation) -> tuple[str, ...]:
    """A citation's own chain where it gives one, else the fact's."""
    return citation.attribution if citation.attribution is not None else fact.attribution


def chains(fact: Fact) -> tuple[Chain, ...]:
    """The fact's distinct chains in order of first citation, each with the sources relaying it."""
    grouped: dict[tuple[str, ...], list[str]] = {}
    for citation in fact.citations:
        sources = grouped.setdefault(chain_of(fact, citation), [])
        if citation.source not in sources:
            sources.append(citation.source)
    return tuple(Chain(entities, tuple(sources)) for entities, sources in grouped.items())


def claimants(fact_chains: tuple[Chain, ...]) -> tuple[str, ...]:
    """The independent original claimants: the first entity of each chain, or each source that
    speaks in its own voice; each once, in order of first citation."""
    found: list[str] = []
    for chain in fact_chains:
        for claimant in (chain.entities[:1] or chain.sources):
            if claimant not in found:
                found.append(claimant)
    return tuple(found)


def attributed_entities(fact: Fact) -> tuple[str, ...]:
    """Every entity named in any of the fact's chains, each once."""
    seen: dict[str, None] = {}
    for citation in fact.citations:
        seen.update(dict.fromkeys(chain_of(fact, citation)))
    seen.update(dict.fromkeys(fact.attribution))
    return tuple(seen)
