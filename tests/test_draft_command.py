"""`factsheet draft DOCUMENT --source ID`: which document and source, never overwriting earlier
drafts, the summary, sentences skipped because a fact quotes them already, and — the point of it
all — drafts that pass `check` as they are written. Always on copies under tmp_path.

The proposing itself is propose.py's (tested there); here a small stand-in with its interface
proposes, and for the end-to-end checks the real Drafter too."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from bundled import bundled_only

from factsheet import cli, report
from factsheet.drafting import command
from factsheet.drafting.draftfile import draft_paths
from factsheet.loader import load_content
from factsheet.errors import Diagnostics


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import draft_coverage  # noqa: E402 - a script of the repository, its set-up shared here
TRANSCRIPT_SITE = ROOT / "tests/sites/briefing-transcript/content"
TRANSCRIPT = "wh-press-briefing-2024-10-23.txt"
TRANSCRIPT_SOURCE = "wh-press-briefing-2024-10-23"
ARTICLE = "000_4f4d7faab0ac3298.txt"


class StandIn:
    """The Drafter's interface (propose.py), proposing a fact for each sentence with a digit in
    it, about one new entity, in the source's own voice."""

    def __init__(self, content, source_id: str):
        self.source, self.count = source_id, 0
        self.entity = "stand-in-thing"

    def propose(self, sentence):
        if sentence.is_heading or not re.search(r"\d", sentence.text):
            return None
        self.count += 1
        return {"id": f"proposed-{self.count}", "claim": sentence.text, "status": "reported",
                "attribution": [], "about": [self.entity],
                "citations": [{"source": self.source, "quote": sentence.text,
                               "locator": sentence.locator}]}

    def new_entities(self):
        return [{"id": self.entity, "name": "A thing", "kind": "object", "draft": True}]


DRAFTERS = [pytest.param(StandIn, id="stand-in"),
            pytest.param("real", id="propose.Drafter")]


def drafter_for(which):
    if which != "real":
        return which
    from factsheet.drafting.propose import Drafter
    return Drafter


def run(argv: list[str], capsys, drafter=StandIn) -> tuple[int, str, str]:
    """`factsheet draft …` as the command line runs it, with `drafter` proposing."""
    args = cli.parse_args(["draft", *argv])
    report.configure(verbosity=args.verbosity, color="never")
    status = command.run(args, "factsheet", drafter=drafter)
    out, err = capsys.readouterr()
    return status, out, err


def check(content: Path, capsys) -> tuple[int, str]:
    """`factsheet check --drafts`: the briefing with its drafts, as an editor reviews it."""
    status = cli.main(["check", "--drafts", "--content", str(content), "--color", "never"])
    out, err = capsys.readouterr()
    return status, out + err


@pytest.fixture
def transcript(tmp_path) -> Path:
    """A copy of the transcript fixture less its hand-made facts (facts/kirby.yaml), so that
    every sentence is drafted: the tests below are about drafting, not about skipping."""
    copy = Path(shutil.copytree(TRANSCRIPT_SITE, tmp_path / "transcript" / "content"))
    shutil.rmtree(copy / "facts")
    return copy


@pytest.fixture
def bundled(tmp_path) -> Path:
    """A copy of the bundled example briefing (tests using it are `bundled_only`)."""
    return Path(shutil.copytree(ROOT / "content", tmp_path / "bundled" / "content"))


def without_facts(content: Path) -> Path:
    """The briefing less its facts, and less what cites them (as scripts/draft_coverage.py
    drafts it)."""
    draft_coverage.without_facts(content)
    return content


# --- which document, which source ------------------------------------------------------------

@pytest.mark.parametrize("given", ["bare", "relative", "absolute"])
def test_the_document_by_its_name_or_a_path(transcript, given, capsys, monkeypatch):
    monkeypatch.chdir(transcript.parent)
    document = {"bare": TRANSCRIPT, "relative": f"content/documents/{TRANSCRIPT}",
                "absolute": str(transcript / "documents" / TRANSCRIPT)}[given]
    status, out, err = run([document, "--content", "content"], capsys)
    assert (status, err) == (0, "")
    assert out.startswith(f"Drafted from {TRANSCRIPT} (source {TRANSCRIPT_SOURCE}):")
    assert (transcript / "facts" / f"draft-{TRANSCRIPT_SOURCE}.yaml").is_file()


def test_an_unknown_document_is_one_line_with_did_you_mean(transcript, capsys):
    status, out, err = run(["wh-press-briefing-2024-10-32.txt", "--content", str(transcript)],
                           capsys)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "no such document; did you mean 'wh-press-briefing-2024-10-23.txt'?" in err
    assert not (transcript / "facts").exists()


def test_a_file_outside_the_documents_folder_is_refused(transcript, tmp_path, capsys):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("Some text. 12 ships.\n", encoding="utf-8")
    status, _, err = run([str(outside), "--content", str(transcript)], capsys)
    assert status == 2 and "not in" in err and "documents/" in err


def test_source_omitted_with_one_candidate_takes_it(transcript, capsys):
    status, out, _ = run([TRANSCRIPT, "--content", str(transcript)], capsys)
    assert status == 0 and f"(source {TRANSCRIPT_SOURCE})" in out


def test_source_omitted_with_no_candidate(transcript, capsys):
    (transcript / "sources" / f"{TRANSCRIPT_SOURCE}.yaml").unlink()
    status, out, err = run([TRANSCRIPT, "--content", str(transcript)], capsys)
    assert status == 1 and out == ""
    assert f"{TRANSCRIPT}: no source names this document; add a source with `document: " \
           f"{TRANSCRIPT}`" in err


def second_source(content: Path, ident: str = "second-copy") -> None:
    (content / "sources" / f"{ident}.yaml").write_text(
        f"id: {ident}\ntitle: The same transcript again\nkind: transcript\npublisher: null\n"
        f"published: null\ndocument: {TRANSCRIPT}\n", encoding="utf-8")


def test_source_omitted_with_several_candidates_lists_them(transcript, capsys):
    second_source(transcript)
    status, out, err = run([TRANSCRIPT, "--content", str(transcript)], capsys)
    assert status == 2 and out == ""
    assert (f"2 sources name this document: 'second-copy', '{TRANSCRIPT_SOURCE}'; say which "
            f"with --source ID") in err
    status, out, _ = run([TRANSCRIPT, "--source", "second-copy", "--content", str(transcript)],
                         capsys)
    assert status == 0 and "(source second-copy)" in out
    assert (transcript / "facts" / "draft-second-copy.yaml").is_file()


def test_a_source_that_is_not_there_or_names_another_document(transcript, capsys):
    status, _, err = run([TRANSCRIPT, "--source", "wh-press-briefing", "--content",
                          str(transcript)], capsys)
    assert status == 2 and f"no such source; did you mean '{TRANSCRIPT_SOURCE}'?" in err
    (transcript / "documents" / "other.txt").write_text("Another text. 5 ships.\n", "utf-8")
    status, _, err = run(["other.txt", "--source", TRANSCRIPT_SOURCE, "--content",
                          str(transcript)], capsys)
    assert status == 2
    assert (f"source '{TRANSCRIPT_SOURCE}' does not name 'other.txt' (its document is "
            f"'{TRANSCRIPT}')") in err


def test_a_missing_content_folder_is_one_line(tmp_path, capsys):
    status, _, err = run([TRANSCRIPT, "--content", str(tmp_path / "nope")], capsys)
    assert status == 2 and "content folder not found" in err and err.count("\n") == 1


# --- never overwriting -------------------------------------------------------------------------

def test_a_second_run_writes_nothing_and_force_replaces(transcript, capsys):
    facts, entities = draft_paths(transcript, TRANSCRIPT_SOURCE)
    assert run([TRANSCRIPT, "--content", str(transcript)], capsys)[0] == 0
    before = {path: path.read_bytes() for path in (facts, entities)}
    facts.write_text(facts.read_text("utf-8") + "# an editor's note\n", encoding="utf-8")
    edited = facts.read_bytes()

    status, out, err = run([TRANSCRIPT, "--content", str(transcript)], capsys)
    assert status == 1 and out == ""
    assert err.strip() == (
        f"factsheet draft: error: {facts}: drafts from source '{TRANSCRIPT_SOURCE}' exist "
        f"already, so nothing was written; review and accept or delete them, or run draft "
        f"again with --force to replace them")
    assert facts.read_bytes() == edited and entities.read_bytes() == before[entities]

    status, out, _ = run([TRANSCRIPT, "--force", "--content", str(transcript)], capsys)
    assert status == 0
    assert {path: path.read_bytes() for path in (facts, entities)} == before
    # The earlier drafts were left out while drafting again: no id became "-2".
    assert "proposed-1-2" not in facts.read_text("utf-8")


def test_force_replaces_a_broken_earlier_draft(transcript, capsys):
    facts, _ = draft_paths(transcript, TRANSCRIPT_SOURCE)
    facts.parent.mkdir()
    facts.write_text("- id: broken\n  claim: [unclosed\n", encoding="utf-8")
    status, _, err = run([TRANSCRIPT, "--content", str(transcript)], capsys)
    assert status == 1 and "exist already" in err
    status, _, err = run([TRANSCRIPT, "--force", "--content", str(transcript)], capsys)
    assert (status, err) == (0, "")
    assert "broken" not in facts.read_text("utf-8")


def test_a_briefing_with_errors_drafts_nothing(transcript, capsys):
    path = transcript / "entities" / "entities.yaml"
    path.write_text(path.read_text("utf-8").replace("kind: state", "kind: sttae", 1), "utf-8")
    status, out, err = run([TRANSCRIPT, "--content", str(transcript)], capsys)
    assert status == 1 and out == ""
    assert re.search(r"^1\. .*entities\.yaml:\d+:\d+: error \[kind\]", err, re.M)
    assert err.splitlines()[-1].endswith("the briefing has 1 error (listed above), so nothing "
                                         "was drafted; fix them (`check` lists them too), then "
                                         "run draft again")
    assert not (transcript / "facts").exists()


def test_a_drafter_that_fails_is_one_line_not_a_traceback(transcript, capsys):
    class Broken(StandIn):
        def propose(self, sentence):
            raise KeyError("oops")

    status, _, err = run([TRANSCRIPT, "--content", str(transcript)], capsys, drafter=Broken)
    assert status == 1 and "Traceback" not in err and err.count("\n") == 1
    assert "internal error while drafting: KeyError: 'oops'" in err


# --- the summary and what is quoted already ----------------------------------------------------

def test_the_summary_counts_what_was_read_skipped_and_proposed(transcript, capsys):
    status, out, _ = run([TRANSCRIPT, "--content", str(transcript)], capsys)
    facts, entities = draft_paths(transcript, TRANSCRIPT_SOURCE)
    proposed = yaml.safe_load(facts.read_text("utf-8"))
    lines = out.splitlines()
    read = int(re.search(r"sentences read: (\d+)", out).group(1))
    unchecked = int(re.search(r"nothing checkable: (\d+)", out).group(1))
    assert f"  proposed facts: {len(proposed)} → {facts}" in lines
    assert "  skipped, quoted already: 0" in lines
    assert f"  new entities: 1 → {entities}" in lines
    assert read == len(proposed) + unchecked  # every sentence is accounted for, once
    assert lines[-1].startswith("Review them: accept an entry by removing its `draft: true`")


def test_quiet_prints_nothing_on_success(transcript, capsys):
    assert run([TRANSCRIPT, "-q", "--content", str(transcript)], capsys) == (0, "", "")


@bundled_only
def test_sentences_quoted_by_the_bundled_facts_are_skipped_and_named(bundled, capsys):
    status, out, _ = run([ARTICLE, "--content", str(bundled)], capsys)
    assert status == 0
    raw = load_content(bundled, Diagnostics())
    fact_ids = {entry.data["id"] for entry in raw.entries if entry.kind == "facts"}
    named = set(re.findall(r"[a-z0-9-]+", " ".join(
        line.split(" — ", 1)[1] for line in out.splitlines() if " — fact" in line)))
    assert fact_ids <= named  # every bundled fact is named where it covers a sentence
    assert '    paragraph 2: "According to the "Kyiv Post," the attack occurred on October 3." ' \
           '— fact strike-date-october-3' in out.splitlines()
    assert "  proposed facts: 0" in out.splitlines()
    assert not draft_paths(bundled, "seed-article")[0].exists()  # nothing to propose, no file


def test_sentences_quoted_by_the_transcripts_facts_are_skipped_and_named(tmp_path, capsys):
    content = Path(shutil.copytree(TRANSCRIPT_SITE, tmp_path / "content"))
    status, out, _ = run([TRANSCRIPT, "--content", str(content)], capsys, drafter_for("real"))
    assert status == 0
    assert "  skipped, quoted already: 16" in out.splitlines()
    assert '    paragraph 16: "We assess that between early- to mid-October, North Korea moved ' \
           'at le…" — fact nk-moved-at-least-3000-soldiers' in out.splitlines()
    proposed = yaml.safe_load(draft_paths(content, TRANSCRIPT_SOURCE)[0].read_text("utf-8"))
    quotes = " ".join(c["quote"] for entry in proposed for c in entry["citations"])
    assert "at least 3,000 soldiers" not in quotes


# --- the drafts pass check --------------------------------------------------------------------

def assert_drafts_check(content: Path, source: str, capsys, quotes_exact: bool = True
                        ) -> list[dict]:
    """The drafts are there, each marked, and `check --drafts` passes with no error; with
    `quotes_exact`, no warning about a quote or locator either (each quote occurs where its
    locator says, once there)."""
    facts, entities = draft_paths(content, source)
    text = facts.read_text("utf-8")
    assert text.startswith("# Drafts: proposed facts from `factsheet draft ")
    proposed = yaml.safe_load(text)
    assert proposed and all(entry["draft"] is True for entry in proposed)
    if entities.exists():
        assert all(e["draft"] is True for e in yaml.safe_load(entities.read_text("utf-8")))
    status, said = check(content, capsys)
    assert status == 0, said
    assert not re.search(r"^\d+\. .*: error \[", said, re.M), said
    if quotes_exact:
        assert not re.search(r"warning \[(quote|locator)\]", said), said
    return proposed


@bundled_only
@pytest.mark.parametrize("which", DRAFTERS)
def test_every_proposal_from_the_bundled_article_passes_check(bundled, which, capsys):
    content = without_facts(bundled)
    status, out, _ = run([ARTICLE, "--content", str(content)], capsys, drafter_for(which))
    assert status == 0 and "skipped, quoted already: 0" in out
    assert_drafts_check(content, "seed-article", capsys, quotes_exact=which != "real")


@pytest.mark.parametrize("which", DRAFTERS)
def test_every_proposal_from_the_transcript_passes_check(transcript, which, capsys):
    status, _, _ = run([TRANSCRIPT, "--content", str(transcript)], capsys, drafter_for(which))
    assert status == 0
    # The real Drafter may add a heading as a second citation, and a heading that recurs
    # ("MS. JEAN-PIERRE:  I —") cannot be picked by a locator: a warning, not an error.
    proposed = assert_drafts_check(transcript, TRANSCRIPT_SOURCE, capsys,
                                   quotes_exact=which != "real")
    quotes = [c["quote"] for entry in proposed for c in entry["citations"]]
    assert any("at least 3,000 soldiers into eastern Russia" in quote for quote in quotes)


def test_drafts_are_left_out_of_a_plain_check(transcript, capsys):
    run([TRANSCRIPT, "--content", str(transcript)], capsys)
    status = cli.main(["check", "--content", str(transcript), "--color", "never"])
    out, _ = capsys.readouterr()
    assert status == 0 and "draft" in out
