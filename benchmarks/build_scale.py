"""Full-build time and peak memory for a synthetic briefing of N facts.

    .venv/bin/python benchmarks/build_scale.py [--facts 10000] [--repeat 3]

Generates a briefing (one archived document of N sentences, one fact quoting each, entities,
ten prose pages citing every fact) in a temporary folder, then times `check` and `build`.
A benchmark, not a test: it prints figures and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factsheet.pipeline import Paths, build  # noqa: E402


def generate(content: Path, facts: int) -> None:
    for folder in ("sources", "entities", "facts", "pages", "documents"):
        (content / folder).mkdir(parents=True)
    (content / "site.yaml").write_text("title: Scale test\nlanguage: en\n")
    sentences = [f"Observer {n % 50} reported that depot {n} held about {n * 7} “crates”."
                 for n in range(facts)]
    (content / "documents" / "log.txt").write_text("\n".join(sentences) + "\n")
    (content / "sources" / "log.yaml").write_text(
        "id: log\ntitle: Depot log\nkind: dataset\npublisher: null\npublished: null\n"
        "document: log.txt\n")
    (content / "entities" / "observers.yaml").write_text("".join(
        f"- id: observer-{n}\n  name: Observer {n}\n  kind: person\n" for n in range(50)))
    per_file = 500
    for first in range(0, facts, per_file):
        entries = []
        for n in range(first, min(first + per_file, facts)):
            entries.append(
                f"- id: depot-{n}\n  claim: Depot {n} held about {n * 7} crates.\n"
                f"  status: reported\n  date: \"{2000 + n % 25}-{n % 12 + 1:02d}\"\n"
                f"  attribution: [observer-{n % 50}]\n  about: [observer-{n % 50}]\n"
                f"  citations:\n    - source: log\n      quote: depot {n} held about {n * 7} \"crates\"\n"
                f"  quantities:\n    - {{value: {n * 7}, qualifier: about, unit: crates, label: crates}}\n"
                + (f"  related: [depot-{n - 1}]\n" if n else ""))
        (content / "facts" / f"batch-{first // per_file:03d}.yaml").write_text("".join(entries))
    pages = 10
    for page in range(pages):
        cites = " ".join(f"Depot {n} [@depot-{n}]." for n in range(page, facts, pages))
        (content / "pages" / f"part-{page}.md").write_text(
            f"---\ntitle: Part {page}\norder: {page}\n---\n{cites}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        generate(work / "content", args.facts)
        paths = Paths(work / "content", ROOT / "templates", ROOT / "assets", work / "site")
        for command, write in (("check", False), ("build", True)):
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                result = build(paths, write=write)
                times.append(time.perf_counter() - started)
                assert result.ok, [d.format() for d in result.diagnostics.errors[:5]]
            print(f"{command:5s} {args.facts} facts: median {statistics.median(times):.2f} s, "
                  f"worst {max(times):.2f} s over {args.repeat} runs; "
                  f"{len(result.files)} pages")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS of this process): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
