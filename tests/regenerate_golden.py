"""Rebuild tests/sites/minimal/expected/ from the current templates: python tests/regenerate_golden.py

The golden output is the HTML pages only. Assets are copied as they are, and the search bundle
(site/pagefind/: Pagefind's index and scripts, binary and versioned with the pagefind package) is
checked by tests/test_search.py instead: its shape, and identical bytes from build to build."""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factsheet.pipeline import Paths, build  # noqa: E402

site = ROOT / "tests" / "sites" / "minimal"
expected = site / "expected"
scratch = site / ".expected-new"
result = build(Paths(site / "content", ROOT / "templates", ROOT / "assets", scratch))
if not result.ok:
    sys.exit("\n".join(d.format() for d in result.diagnostics.sorted()))
shutil.rmtree(expected, ignore_errors=True)
expected.mkdir()
for page in sorted(scratch.rglob("*.html")):
    target = expected / page.relative_to(scratch)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(page, target)
shutil.rmtree(scratch)
print(f"wrote {len(list(expected.rglob('*.html')))} pages to {expected.relative_to(ROOT)}")
