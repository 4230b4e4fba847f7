"""Save-to-screen latency of `build.py serve`: the time from writing a fact file to the open
page in headless Chromium showing the new text, over repeated edits.

    .venv/bin/python benchmarks/live_reload_latency.py [--edits 20] [--content content]

Prints each edit's latency, then the median and the worst. A benchmark, not a test: figures vary
with the machine, so nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from browser_support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from test_browser_serve import LivePage, Served, first_fact, free_port, with_claim  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        shutil.copytree(args.content, work / "content")
        for folder in ("templates", "assets"):
            shutil.copytree(ROOT / folder, work / folder)
        facts = len(list((work / "content" / "facts").glob("*.yaml")))
        path, fact_id = first_fact(work / "content")
        original = path.read_text()
        server = Served(work, free_port())
        latencies = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                live = LivePage(page, server.url + f"facts/{fact_id}.html")
                for edit in range(1, args.edits + 1):
                    text = f"Benchmark edit {edit}."
                    page.wait_for_load_state("load")  # not part of the latency: the page is idle
                    started = time.perf_counter()
                    path.write_text(with_claim(original, text))
                    page.wait_for_function(
                        "t => document.querySelector('main h1') && "
                        "document.querySelector('main h1').textContent === t",
                        arg=text, timeout=30000, polling=10)
                    latencies.append(time.perf_counter() - started)
                    print(f"edit {edit:3d}: {latencies[-1] * 1000:7.0f} ms", flush=True)
                browser.close()
        finally:
            server.stop()
    print(f"\n{len(latencies)} edits of {path.name} ({facts} fact files), page facts/{fact_id}.html")
    print(f"median {statistics.median(latencies) * 1000:.0f} ms, "
          f"worst {max(latencies) * 1000:.0f} ms, best {min(latencies) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
