"""How much of the bundled briefing `factsheet draft` finds on its own, and what it proposes
from the transcript fixture. For the issue note of issue 11; changes nothing in the repository.

    .venv/bin/python scripts/draft_coverage.py

1. Drafts from the bundled article in a copy of the briefing without its facts (and without
   what cites them), so that no sentence is skipped as quoted already; then, for each bundled
   fact, the proposals whose quotes overlap the fact's quote, or "none" and why; then the
   proposals that match no bundled fact, with a sample of five taken evenly through them.
2. The same for the transcript of tests/sites/briefing-transcript against its hand-made facts
   (facts/kirby.yaml, John Kirby on North Korean soldiers in Russia), and a sample of five of
   the new entities it proposes.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factsheet.drafting.command import Drafted, draft  # noqa: E402
from factsheet.errors import Diagnostics  # noqa: E402
from factsheet.loader import load_content  # noqa: E402
from factsheet.quotes import find_all, fold_document  # noqa: E402
from factsheet.validate import validate  # noqa: E402

ARTICLE = "000_4f4d7faab0ac3298.txt"
TRANSCRIPT_SITE = ROOT / "tests/sites/briefing-transcript/content"
TRANSCRIPT = "wh-press-briefing-2024-10-23.txt"
SAMPLE = 5


def short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def without_facts(content: Path) -> None:
    """The briefing less its facts, and less what cites them (pages, summary, key facts)."""
    for folder in ("facts", "pages"):
        shutil.rmtree(content / folder, ignore_errors=True)
    (content / "summary.md").unlink(missing_ok=True)
    site = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    site.pop("key_facts", None)
    (content / "site.yaml").write_text(yaml.safe_dump(site, allow_unicode=True), "utf-8")


def spans(quote: str, text: str, folded) -> list[tuple[int, int]]:
    return [span for occurrence in find_all(quote, text, folded=folded)
            for span in occurrence.spans]


def overlaps(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(x < y2 and y < x2 for x, x2 in a for y, y2 in b)


def sample(items: list, count: int = SAMPLE) -> list:
    """`count` items taken evenly from first to last."""
    if len(items) <= count:
        return items
    return [items[round(i * (len(items) - 1) / (count - 1))] for i in range(count)]


def counts(result: Drafted) -> str:
    return (f"  sentences read: {len(result.sentences)} ({result.headings} headings); "
            f"proposals: {len(result.proposals)}; nothing checkable: {len(result.unchecked)}; "
            f"new entities: {len(result.entities)}")


def proposal_line(proposal: dict) -> str:
    citation = proposal["citations"][0]
    return (f"    {proposal['id']} ({citation.get('locator', '')}): "
            f"\"{short(proposal['claim'])}\"")


def reason(sentence, result: Drafted, placed: list) -> str:
    """Why a sentence holding a bundled fact's quote gave no proposal that overlaps it."""
    said = f"its sentence ({sentence.locator}) \"{short(sentence.text, 60)}\""
    if sentence in result.unchecked:
        return said + (" is a heading, not proposed on its own" if sentence.is_heading else
                       " was judged to have nothing checkable")
    took = [p["id"] for p, where in placed if overlaps(where, [(sentence.start, sentence.end)])]
    if took:
        return (f"{said} was proposed as {', '.join(took)}, whose quote leaves out the passage "
                f"this fact quotes")
    return said + " gave no proposal"


def coverage(title: str, site: Path, document: str, work: Path, folder: str) -> Drafted:
    """Draft `document` in a copy of `site` without its facts; for each fact of the site, the
    proposals whose quotes overlap its quotes of the document (or "none" and why); then the
    proposals matching no fact, with a sample."""
    diagnostics = Diagnostics()
    content = validate(load_content(site, diagnostics), diagnostics)
    text = content.documents[document]
    folded = fold_document(text)
    cited = {s.id for s in content.sources if s.document == document}
    copy = Path(shutil.copytree(site, work / folder))
    without_facts(copy)
    result = draft(copy, document)
    print(f"{title}, drafted without its {len(content.facts)} facts:")
    print(counts(result))
    placed = [(p, [s for c in p["citations"] for s in spans(c["quote"], text, folded)])
              for p in result.proposals]
    matched: set[str] = set()
    print("  fact → proposal(s) whose quote overlaps its quote (noted where none has the fact's "
          "attribution and status):")
    for fact in content.facts:
        quoted = [s for c in fact.citations if c.source in cited
                  for s in spans(c.quote, text, folded)]
        overlapping = [p for p, where in placed if overlaps(quoted, where)]
        hits = [p["id"] for p in overlapping]
        matched.update(hits)
        if hits:
            agree = sum(tuple(p["attribution"]) == fact.attribution and p["status"] == fact.status
                        for p in overlapping)
            differs = "" if agree else " (attribution or status differs from the fact's)"
            print(f"    {fact.id} → {', '.join(hits)}{differs}")
            continue
        missed = [s for s in result.sentences if overlaps(quoted, [(s.start, s.end)])]
        why = "; ".join(reason(s, result, placed) for s in missed) or \
            "its quote overlaps no sentence of the document"
        print(f"    {fact.id} → none: {why}")
    unmatched = [p for p in result.proposals if p["id"] not in matched]
    print(f"  proposals matching no fact: {len(unmatched)}; a sample of "
          f"{min(SAMPLE, len(unmatched))}, evenly through the document:")
    for proposal in sample(unmatched):
        print(proposal_line(proposal))
    return result


def bundled(work: Path) -> None:
    coverage(f"Bundled article ({ARTICLE})", ROOT / "content", ARTICLE, work, "bundled")


def transcript(work: Path) -> None:
    result = coverage(f"Transcript ({TRANSCRIPT}, tests/sites/briefing-transcript)",
                      TRANSCRIPT_SITE, TRANSCRIPT, work, "transcript")
    print(f"  a sample of {SAMPLE} new entities: " + ", ".join(
        f"{e['id']} ({e.get('kind')})" for e in sample(result.entities)))


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="draft-coverage-") as folder:
        bundled(Path(folder))
        print()
        transcript(Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
