"""The cache on disk (factsheet/cache.py, pipeline.cached_build): a build that starts from what an
earlier process left is the same build — after every kind of edit the site written, search index
included, and the problems reported are exactly those of a build without the cache — and a cache
that cannot be trusted (damaged, of another type, of another code version) is ignored."""

from __future__ import annotations

import dataclasses
import os
import pickle
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SITES, tree_digest
from factsheet import cache, contentfiles, pipeline, splice, stamps
from factsheet.memo import Memo
from factsheet.pipeline import BuildRecord, Paths, build
from factsheet.render import Renderer
from factsheet.serve import Preview
from test_incremental import EDITS, MEANT_TO_FAIL, quotes_checked, replace

FOLDER = Path(".factsheet-cache/site")  # the cache of site/, beside it


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> Path:
    """content/ (the multisource fixture) and an empty templates/ in the current folder, built
    once into site/ with the cache."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(splice, "CHUNK", 3)  # the lists spliced from chunks, as test_incremental
    shutil.copytree(SITES / "multisource" / "content", "content")
    Path("templates").mkdir()
    assert cached_build().ok
    assert (FOLDER / "record.pickle").is_file() and (FOLDER / "state.pickle").is_file()
    return Path("content")


def paths(output: str = "site") -> Paths:
    return Paths(Path("content"), templates=Path("templates"), assets=ROOT / "assets",
                 output=Path(output))


def cached_build(search_index: bool = True) -> pipeline.Result:
    """A build as a new process makes it: nothing in memory, the cache on disk."""
    return build(paths(), cache=True, search_index=search_index)


def report(result) -> tuple[list[str], bool]:
    return [d.format() for d in result.diagnostics.sorted()], result.ok


def same_as_fresh(result, what: str = "", search_index: bool = True) -> None:
    """`result` (of site/) reports what a build without the cache reports, and site/ holds what
    it writes, byte for byte (the search index too, unless not `search_index`)."""
    shutil.rmtree("fresh", ignore_errors=True)
    fresh = build(paths("fresh"), search_index=search_index)
    assert report(result) == report(fresh), what
    if fresh.ok:
        site = tree_digest(Path("site"))
        if not search_index:
            site = {k: v for k, v in site.items() if not k.startswith("pagefind/")}
        assert site == tree_digest(Path("fresh")), what


def test_each_edit_builds_from_the_cache_as_a_fresh_build_would(workspace):
    failed = []
    for what, edit in EDITS:  # (the index of each edit's pages is the tests' below)
        edit(workspace)
        result = cached_build(search_index=False)
        same_as_fresh(result, what, search_index=False)
        assert "Cache:" in result.cache, what  # the cache was used, not ignored
        if not result.ok:
            failed.append(what)
    assert failed == MEANT_TO_FAIL


def test_a_new_process_checks_again_only_the_fact_edited(workspace, monkeypatch):
    # what resolve kept of each fact (links.py) is in the cache, and found again by identity
    checked = quotes_checked(monkeypatch)
    replace(workspace / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    same_as_fresh(cached_build())
    assert checked[0] == "corvina-star-kestria-flagged" and len(set(checked)) > 1  # (fresh's)
    checked.clear()
    replace(workspace / "facts/collision.yaml", "claim: Edited, ", "claim: Edited again, ")
    cached_build()
    assert checked == ["corvina-star-kestria-flagged"]


def test_a_rebuild_digests_the_inputs_as_a_first_build_does(workspace, monkeypatch):
    """The digest of the inputs, made by a process that builds again from the files' digests
    it kept (those whose stat did not change), is the one made by reading every file."""
    monkeypatch.setattr(stamps, "RACY_NS", 0)  # the fixture was copied just before its build
    memo = Memo()
    for what, edit in EDITS[:12]:
        edit(workspace)
        result = build(paths(), cache=True, memo=memo, search_index=False)
        assert result.inputs == cache.inputs_digest(paths().inputs()), what
    assert memo.carried["inputs"]  # (the digests were kept, so the edits above used them)


def test_the_digest_of_the_inputs_changes_with_any_file_and_only_then(tmp_path, monkeypatch):
    """Every file added, removed, renamed (within a folder or to another), edited, and a
    folder renamed, changes the digest; the same files give the same digest, kept or not."""
    monkeypatch.setattr(stamps, "RACY_NS", 0)  # (the files are written just before)
    times = iter(range(1, 100))

    def write(path: str, text: str) -> None:  # each write its own time (not one clock tick)
        (tmp_path / path).write_text(text)
        os.utime(tmp_path / path, ns=(0, next(times) * 1_000_000_000))
    (tmp_path / "a" / "sub").mkdir(parents=True)
    (tmp_path / "b").mkdir()
    write("a/one.yaml", "one")
    write("a/sub/two.yaml", "two")
    write("b/three.css", "three")
    folders = (tmp_path / "a", tmp_path / "b")
    kept: dict = {}
    seen = [cache.inputs_digest(folders, kept)]

    def changed(edit) -> None:
        edit()
        digest = cache.inputs_digest(folders, kept)
        assert digest == cache.inputs_digest(folders)  # kept, as a first build's
        assert digest not in seen
        seen.append(digest)
    assert cache.inputs_digest(folders, kept) == seen[0]  # nothing changed
    changed(lambda: write("a/sub/two.yaml", "Two"))  # the same size
    changed(lambda: write("a/sub/new.yaml", ""))
    changed(lambda: (tmp_path / "a/sub/new.yaml").rename(tmp_path / "a/sub/old.yaml"))
    changed(lambda: (tmp_path / "a/sub/old.yaml").rename(tmp_path / "a/old.yaml"))
    changed(lambda: (tmp_path / "a/old.yaml").rename(tmp_path / "b/old.yaml"))
    changed(lambda: (tmp_path / "a/sub").rename(tmp_path / "a/other"))
    changed(lambda: (tmp_path / "b/old.yaml").unlink())
    changed(lambda: write("b/three.css", "three, longer"))
    assert set(kept) == {str(tmp_path / path) for path in
                         ("a/one.yaml", "a/other/two.yaml", "b/three.css")}


def test_a_rebuild_lists_the_content_by_the_stats_its_digest_took(workspace, monkeypatch):
    """Each content file is stat'ed once a rebuild: the load lists the files by the very stats
    the digest of the inputs took (those it has; its own for any other), and builds what a
    fresh build does after each edit."""
    digested, listed = [], []
    digest = cache.inputs_digest
    monkeypatch.setattr(cache, "inputs_digest", lambda folders, kept=None, statuses=None: (
        digested.append(statuses), digest(folders, kept, statuses))[1])
    texts = contentfiles.Texts.__init__
    monkeypatch.setattr(contentfiles.Texts, "__init__", lambda self, stats, memo: (
        listed.append(stats), texts(self, stats, memo))[1])
    memo = Memo()
    for what, edit in EDITS:
        edit(workspace)
        digested.clear(), listed.clear()
        result = build(paths(), cache=True, memo=memo, search_index=False)
        same_as_fresh(result, what, search_index=False)
        if listed:  # (the build got as far as listing the content)
            ours, theirs = digested[0], listed[0]
            assert theirs and all(theirs[path] is ours[path] for path in theirs), what


def test_an_edit_publishes_with_a_new_index_and_keeps_the_unchanged_files(workspace):
    before = {p: p.stat().st_ino for p in Path("site").rglob("*") if p.is_file()}
    replace(workspace / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    result = cached_build()
    same_as_fresh(result)  # the index of the new pages
    after = {p: p.stat().st_ino for p in Path("site").rglob("*") if p.is_file()}
    kept = [p for p in after if before.get(p) == after[p]]
    assert Path("site/assets/style.css") in kept and Path("site/facts/index.html") not in kept
    assert len(kept) > len([p for p in after if not p.is_relative_to("site/pagefind")]) / 2


def test_the_state_is_saved_before_the_index_is_made_and_the_memo_let_go(workspace,
                                                                         monkeypatch):
    """A build's own memo (0.6 GB at 10,000 facts) is saved and let go before Pagefind runs,
    and the state so saved describes the output the new site becomes."""
    memos, seen = [], []

    class Kept(Memo):
        def __init__(self):
            super().__init__()
            memos.append(self)

    def index(staging, old=None):
        seen.append(((FOLDER / "state.pickle").is_file(), (FOLDER / "record.pickle").is_file(),
                     len(memos[0]), dict(memos[0].carried)))
        real_index(staging, old=old)
    real_index = pipeline.search.index
    monkeypatch.setattr(pipeline, "Memo", Kept)
    monkeypatch.setattr(pipeline.search, "index", index)
    shutil.rmtree(".factsheet-cache")
    assert cached_build().ok
    assert seen == [(True, False, 0, {})]  # the state there, no record yet, the memo empty
    assert (FOLDER / "record.pickle").is_file()
    replace(workspace / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    result = cached_build()
    assert "only what changed is written to site/" in result.cache  # the state's manifest held
    same_as_fresh(result)


def test_an_index_that_fails_after_the_state_is_saved_leaves_no_record(workspace, monkeypatch):
    before = tree_digest(Path("site"))
    replace(workspace / "facts/collision.yaml", "claim: ", "claim: Edited, ")

    def failing(staging, old=None):
        raise pipeline.search.SearchError("the indexer failed")
    with monkeypatch.context() as patched:
        patched.setattr(pipeline.search, "index", failing)
        result = cached_build()
    assert not result.ok and tree_digest(Path("site")) == before
    assert (FOLDER / "state.pickle").is_file() and not (FOLDER / "record.pickle").is_file()
    result = cached_build()  # the state's results reused, the site published whole
    assert "so it is written whole" in result.cache
    same_as_fresh(result)


def test_inputs_over_the_limit_keep_the_record_alone(workspace, monkeypatch):
    """Above pipeline.STATE_LIMIT a build from the cache builds as without it (what it would
    keep takes 55 times the inputs' size in memory), and keeps only its record: nothing
    changed still writes nothing."""
    monkeypatch.setattr(pipeline, "STATE_LIMIT", 1000)
    replace(workspace / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    result = cached_build()
    assert "more than the 0 MiB up to which a build keeps" in result.cache
    assert not (FOLDER / "state.pickle").exists() and (FOLDER / "record.pickle").is_file()
    same_as_fresh(result)
    files = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in Path("site").rglob("*")}
    again = cached_build()
    assert "nothing changed" in again.cache and report(again) == report(result)
    assert files == {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in Path("site").rglob("*")}


def test_nothing_changed_writes_nothing_and_gives_the_same_report(workspace, capsys):
    from conftest import build_cli
    argv = ["--content", "content", "--output", "site", "--templates", "templates"]
    assert build_cli.main(argv) == 0
    first = capsys.readouterr()
    files = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in Path("site").rglob("*")}
    assert build_cli.main(argv) == 0
    again = capsys.readouterr()
    assert files == {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in Path("site").rglob("*")}
    seconds = re.compile(r"in \d+\.\d\d s\.")
    assert seconds.sub("", again.out) == seconds.sub("", first.out)
    assert again.err == first.err and "warning" in again.err
    assert build_cli.main([*argv, "-v"]) == 0
    assert "Cache: nothing changed since the last build" in capsys.readouterr().err


def test_a_changed_output_is_written_again(workspace):
    page = Path("site/facts/index.html")
    page.write_text("changed by hand")
    result = cached_build()
    assert "site/ changed since" in result.cache
    same_as_fresh(result)


@pytest.mark.parametrize("stray", ["notes.txt", ".pagefind-new-123/left-behind.pf_index"])
def test_a_file_added_to_the_output_is_removed_as_without_the_cache(workspace, stray):
    Path("site", stray).parent.mkdir(parents=True, exist_ok=True)
    Path("site", stray).write_text("not the build's")
    result = cached_build()
    assert "site/ changed since" in result.cache
    same_as_fresh(result)


def test_strict_fails_from_the_cache_as_it_does_without(workspace):
    before = tree_digest(Path("site"))
    result = build(paths(), strict=True, cache=True)
    assert not result.ok and "nothing changed" in result.cache  # the warnings, under --strict
    assert report(result) == report(build(paths("fresh"), strict=True))
    assert tree_digest(Path("site")) == before


def damage(how: str) -> None:
    state = FOLDER / "state.pickle"
    if how == "truncated":
        state.write_bytes(state.read_bytes()[:len(state.read_bytes()) // 2])
    elif how == "garbage":
        state.write_bytes(os.urandom(4096))
    elif how == "altered":  # one byte of the payload: the digest no longer matches
        data = bytearray(state.read_bytes())
        data[-10] ^= 1
        state.write_bytes(bytes(data))
    elif how == "a pickle of something else":
        pipeline.cache_of(paths()).save("state", {"not": "a state"})
    elif how == "a bare pickle":
        state.write_bytes(pickle.dumps(["no header"]))
    elif how == "empty":
        state.write_bytes(b"")


@pytest.mark.parametrize("how", ["truncated", "garbage", "altered", "a pickle of something else",
                                 "a bare pickle", "empty"])
def test_a_damaged_cache_is_ignored(workspace, how):
    damage(how)
    replace(workspace / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    result = cached_build()
    assert result.cache.startswith("Cache not used (")
    same_as_fresh(result, how)
    result = cached_build()  # and the cache is whole again
    assert result.cache.startswith("Cache: nothing changed")


def test_a_damaged_record_is_ignored(workspace):
    (FOLDER / "record.pickle").write_bytes(b"factsheet cache 1\n{}\n00\n" + os.urandom(100))
    result = cached_build()
    assert "nothing changed" not in result.cache
    same_as_fresh(result)


def test_a_cache_of_another_code_version_is_ignored(workspace, monkeypatch):
    monkeypatch.setattr(cache, "_CODE_VERSION", "another version")
    replace(workspace / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    result = cached_build()
    assert "another version of factsheet" in result.cache
    same_as_fresh(result)


def test_a_cache_of_other_templates_reuses_no_page(workspace, monkeypatch):
    Path("templates/fact.html").write_text((ROOT / "templates/fact.html").read_text().replace(
        "</article>", "<p>Ours.</p></article>"))
    rendered = []
    original = Renderer.render_one

    def counting(self, path, template, context):
        rendered.append(path)
        return original(self, path, template, context)
    with monkeypatch.context() as patched:
        patched.setattr(Renderer, "render_one", counting)
        result = cached_build()
    assert "Cache:" in result.cache  # what was parsed is reused; no page is
    assert len(rendered) == result.pages
    same_as_fresh(result)
    assert "<p>Ours.</p>" in next(Path("site/facts").glob("*-*.html")).read_text()


def test_a_wrong_type_with_a_good_header_is_ignored(workspace):
    stored = pipeline.cache_of(paths())
    assert stored.save("record", ["a list, not a record"])
    assert stored.load("record", BuildRecord) is None
    assert stored.why == "it holds something else than expected"
    result = cached_build()
    assert "nothing changed" not in result.cache
    same_as_fresh(result)


def test_no_cache_neither_reads_nor_writes_it(tmp_path, monkeypatch, capsys):
    from conftest import build_cli
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SITES / "multisource" / "content", "content")

    def forbidden(*args, **kwargs):
        raise AssertionError("the cache was touched")
    for name in ("load", "save", "forget"):
        monkeypatch.setattr(cache.Cache, name, forbidden)
    assert build_cli.main(["--no-cache", "--content", "content", "--output", "site"]) == 0
    assert build_cli.main(["--no-cache", "--content", "content", "--output", "site"]) == 0
    assert not Path(".factsheet-cache").exists()
    assert "Cache" not in capsys.readouterr().err


def test_nothing_is_written_outside_the_outputs_parent(tmp_path, monkeypatch):
    from conftest import build_cli
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SITES / "multisource" / "content", "content")
    Path("out/there").mkdir(parents=True)
    before = sorted(p for p in Path(".").rglob("*") if not p.is_relative_to("out/there"))
    for _ in range(2):
        assert build_cli.main(["-q", "--content", "content", "--output", "out/there/site"]) == 0
        replace(Path("content/facts/collision.yaml"), "claim: ", "claim: Edited, ")
    after = sorted(p for p in Path(".").rglob("*") if not p.is_relative_to("out/there"))
    assert before == after
    assert sorted(p.name for p in Path("out/there").iterdir()) == [".factsheet-cache", "site"]
    assert sorted(p.name for p in Path("out/there/.factsheet-cache/site").iterdir()) == \
        ["record.pickle", "state.pickle"]
    assert not [p for p in Path("out/there/site").rglob("*") if "cache" in p.name]


def test_a_cache_that_cannot_be_written_is_not_an_error(workspace):
    shutil.rmtree(".factsheet-cache")
    Path(".factsheet-cache").write_text("a file where the cache folder would be")
    result = cached_build()
    assert result.ok and "Cache not saved" in result.cache
    same_as_fresh(result)


def test_serve_starts_from_the_cache_and_saves_it(workspace):
    """A preview in a new process: the first build finds nothing changed (nothing is written),
    and the first rebuild after a save redoes only what changed."""
    preview = Preview(paths(), strict=False, cache=True)
    preview.rebuild()
    assert preview.result.ok and preview.result.replayed is not None
    preview.wait_for_restore()
    assert len(preview.memo) and "published" in preview.memo.carried
    replace(workspace / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    preview.rebuild(["content/facts/collision.yaml"])
    assert preview.result.ok and preview.result.replayed is None
    shutil.rmtree("fresh", ignore_errors=True)
    fresh = build(paths("fresh"), search_index=False)
    assert report(preview.result) == report(fresh)
    pages = {k: v for k, v in tree_digest(Path("site")).items() if not k.startswith("pagefind/")}
    assert pages == tree_digest(Path("fresh"))
    preview.save()  # as when the server stops
    result = cached_build()  # (a Preview without a background indexer indexes as it builds)
    assert result.cache.startswith("Cache: nothing changed")
    same_as_fresh(result)


def test_a_build_after_a_preview_that_left_the_index_behind_indexes_again(workspace):
    memo = Memo()  # serve's way: the pages written, the index left to a background thread
    replace(workspace / "facts/collision.yaml", "claim: ", "claim: Edited, ")
    result = build(paths(), memo=memo, search_index=False, cache=True)
    assert "only what changed is written" in result.cache
    assert memo.carried["published"][2] is False  # the index is not of these pages
    pipeline.remember(paths(), memo, result)
    result = cached_build()
    assert not result.cache.startswith("Cache: nothing changed")
    same_as_fresh(result)  # the index too


@pytest.mark.parametrize("options", [{"base_url": "https://mirror.example/b/"}, {"drafts": True}])
def test_other_output_options_reuse_the_cache_but_never_replay_its_report(tmp_path, monkeypatch,
                                                                          options):
    # The drafts fixture has drafts and another base_url: either option changes the output.
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SITES / "drafts" / "content", "content")
    Path("templates").mkdir()
    assert build(paths(), cache=True, search_index=False).ok
    result = build(paths(), cache=True, search_index=False, **options)
    assert result.replayed is None and "reusing what it parsed" in result.cache
    shutil.rmtree("fresh", ignore_errors=True)
    fresh = build(paths("fresh"), search_index=False, **options)
    assert report(result) == report(fresh)
    site = {k: v for k, v in tree_digest(Path("site")).items() if not k.startswith("pagefind/")}
    assert site == tree_digest(Path("fresh"))
    # and back: the build without the option is made again, not replayed from the other
    result = build(paths(), cache=True, search_index=False)
    assert result.replayed is None


def test_drafts_shown_or_not_is_the_same_output_when_there_are_none(workspace):
    # serve shows drafts and build does not: with none in the content, serve starts from the
    # report of build's last build (test_serve_starts_from_the_cache_and_saves_it) and back.
    assert build(paths(), cache=True, drafts=True).replayed is not None


def test_memo_keys_read_back_by_another_process_find_their_results(tmp_path):
    # A key's hash is made anew where it is read: string hashes differ from process to process
    # (PYTHONHASHSEED), so a hash carried over would never match a key made there.
    import subprocess
    import sys
    from factsheet.memo import Key
    saved = tmp_path / "keys.pickle"
    saved.write_bytes(pickle.dumps({("step", Key(("a fact", ("its", "chain")))): "result"}))
    found = subprocess.run(
        [sys.executable, "-c", "import pickle, sys; from factsheet.memo import Key; "
         f"d = pickle.loads(open({str(saved)!r}, 'rb').read()); "
         "print(d.get(('step', Key(('a fact', ('its', 'chain'))))))"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "random"})
    assert found.stdout.strip() == "result", found.stderr


@dataclasses.dataclass(frozen=True, slots=True)
class _OneField:
    value: str


def test_records_are_saved_as_their_fields_and_read_back_whole(tmp_path):
    """cache._Pickler saves a dataclass with slots as the tuple of its fields: read back, each
    record equals what was saved, a record held twice is one object again, and a class with a
    state of its own (a Diagnostic, whose hash is not kept) is saved its own way."""
    from factsheet.dates import parse_date
    from factsheet.errors import Diagnostic, Location
    from factsheet.prose import Use
    where = Location("content/facts/a.yaml", 3, 5)
    date = parse_date("2024-06")
    problem = Diagnostic("warning", where, "a message", key="claim")
    hash(problem)  # (worked out once, kept in the object: never saved)
    value = {"where": where, "again": where, "date": date, "problem": problem,
             "use": Use("fact-1-1", locator="para. 3"), "one field": _OneField("alone")}
    stored = cache.Cache(tmp_path / "site", {"test": 1})
    assert stored.save("state", value)
    back = stored.load("state", dict)
    assert back == value and back["where"] is back["again"]
    assert type(back["where"]) is Location and back["where"].line == 3
    assert "_hash" not in back["problem"].__dict__
