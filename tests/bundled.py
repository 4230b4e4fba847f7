"""Whether content/ holds the bundled example briefing, and the skip mark for its own tests.

content/ holds the bundled example briefing until a user puts their own there, and the test
command must keep passing when they do. Tests of the example's own facts (what the seed article
says) carry `bundled_only` and are skipped, with `REASON`, once content/site.yaml no longer has
the marker `extra: {bundled_briefing: seed-article}`. The marker is an explicit line of the
bundled site.yaml, removed by whoever makes the briefing their own, rather than a guess from its
contents. Every other test that reads content/ must hold for any valid briefing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

CONTENT = Path(__file__).resolve().parent.parent / "content"
MARKER = ("bundled_briefing", "seed-article")
REASON = ("content/ is not the bundled example briefing (its site.yaml has no "
          "`extra: {bundled_briefing: seed-article}`): its own facts are not checked; the "
          "generic checks still run on content/")


def is_bundled(content: Path) -> bool:
    """Whether content/site.yaml carries the bundled example briefing's marker."""
    try:
        config = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return False
    extra = config.get("extra") if isinstance(config, dict) else None
    return isinstance(extra, dict) and extra.get(MARKER[0]) == MARKER[1]


bundled_only = pytest.mark.skipif(not is_bundled(CONTENT), reason=REASON)
