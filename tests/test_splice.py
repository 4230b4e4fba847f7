"""Long lists spliced from chunks (factsheet/splice.py): where a list is cut, how a page is put
back together around its lists, and that an edit renders again only the chunk that shows it.
That a spliced site is byte for byte a fresh one is test_incremental's and test_cache's (their
lists are cut into chunks of about three)."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from conftest import ROOT, SITES
from factsheet import splice
from factsheet.errors import Diagnostics
from factsheet.loader import load_content
from factsheet.packed import Files, Parts
from factsheet.render import Renderer
from factsheet.resolve import resolve
from factsheet.validate import validate
from test_incremental import build_into, replace, workspace  # noqa: F401 - the fixture

IDS = [f"fact-{n}" for n in range(400)]


def test_a_list_is_cut_into_chunks_that_hold_it_in_order():
    cut = splice.chunks(IDS)
    assert [ident for part in cut for ident in part] == IDS
    assert 2 < len(cut) < len(IDS) / 10  # about one cut in CHUNK ids
    assert splice.chunks([]) == [] and splice.chunks(["one"]) == [("one",)]


@pytest.mark.parametrize("change", ["added", "removed", "moved"])
def test_one_id_added_removed_or_moved_changes_only_the_chunks_around_it(change):
    ids = list(IDS)
    if change == "added":
        ids.insert(200, "fact-new")
    elif change == "removed":
        del ids[200]
    else:
        ids.insert(50, ids.pop(300))
    before, after = set(splice.chunks(IDS)), set(splice.chunks(ids))
    # the chunk it left and the one it joined (a cut it makes or unmakes joins two into one)
    assert 1 <= len(after - before) <= 2 and len(before - after) <= 2


def test_a_page_is_assembled_around_its_lists_from_the_chunks_as_held():
    splicer = splice.Splicer()
    chunks = [splicer.chunk(("m", "", (str(n),)), lambda n=n: (f"<li>{n}</li>", frozenset()))
              for n in range(3)]
    html = f"<ul>{splicer.placeholder(chunks[:2])}</ul><ol>{splicer.placeholder(chunks[2:])}</ol>"
    page = splicer.assemble(html)
    assert isinstance(page, Parts)
    assert page[1:3] == (chunks[0].packed, chunks[1].packed)  # not deflated again
    files = Files()
    files["page.html"] = page
    assert files["page.html"] == b"<ul><li>0</li><li>1</li></ul><ol><li>2</li></ol>"
    assert splicer.assemble("<p>no list</p>") == b"<p>no list</p>"


def test_a_kept_chunk_is_made_again_when_what_it_read_changed():
    first = splice.Splicer()
    first.chunk(("m", "", ("a",)), lambda: ("old", frozenset({("facts", "a")})))
    kept = splice.Splicer(first.new, changed={("facts", "b")})
    assert zlib.decompress(kept.chunk(("m", "", ("a",)), lambda: ("new", frozenset())).packed) \
        == b"old"
    changed = splice.Splicer(first.new, changed={("facts", "a")})
    assert zlib.decompress(changed.chunk(("m", "", ("a",)), lambda: ("new", frozenset())).packed) \
        == b"new"


@pytest.mark.parametrize("misuse", ["twice", "left out", "filtered"])
def test_a_list_not_shown_once_as_it_is_is_an_error(misuse):
    splicer = splice.Splicer()
    token = splicer.placeholder([splicer.chunk(("m", "", ("a",)), lambda: ("x", frozenset()))])
    html = {"twice": token + token, "left out": "", "filtered": token.upper()}[misuse]
    with pytest.raises(ValueError, match="each()"):
        splicer.assemble(html)


def test_a_claim_edited_renders_again_only_the_chunks_that_show_it(workspace, monkeypatch):
    content, memo = workspace  # lists cut into chunks of about three
    made: list[tuple[str, list]] = []
    original = Renderer.lines

    def counting(self, macro, ids, page_reads=True):
        made.append((self.page_context["page_path"], list(ids)))
        return original(self, macro, ids, page_reads)
    monkeypatch.setattr(Renderer, "lines", counting)
    replace(content / "facts/collision.yaml", "Board reports that preliminary",
            "Board reports that the preliminary")
    build_into(content, Path("site"), memo)
    assert "the preliminary" in Path("site/timeline.html").read_text()
    for page in ("timeline.html", "facts/index.html"):
        chunks = [ids for path, ids in made if path == page]
        assert len(chunks) == 1 and "speed-8-to-10-knots" in chunks[0], (page, chunks)
        assert len(chunks[0]) < 15, (page, chunks)  # of 26 facts


def test_a_long_list_inside_a_line_of_another_is_shown_inline(tmp_path, monkeypatch):
    """A briefing's line that lists facts itself (each() inside each()): its list is kept within
    the outer chunk, so it is joined there, never left as a placeholder."""
    monkeypatch.setattr(splice, "CHUNK", 1)  # every id starts a chunk: every list is long
    diagnostics = Diagnostics()
    site = resolve(validate(load_content(SITES / "multisource/content", diagnostics),
                            diagnostics), diagnostics)
    first, second = list(site.facts)[:2]
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "_macros.html").write_text((ROOT / "templates/_macros.html").read_text() + (
        f'{{% macro nested_entry(id) %}}<li>{{{{ each("fact_entry", ["{first}", "{second}"]) }}}}'
        '</li>{% endmacro %}\n'))
    (templates / "nested.html").write_text('<ul>{{ each("nested_entry", ["a", "b", "c"]) }}</ul>')
    renderer = Renderer(site, (templates, ROOT / "templates"), diagnostics)
    page = renderer.render_one("nested.html", "nested.html", {})
    html = (page.inflate() if isinstance(page, Parts) else page).decode()
    assert "\x00" not in html and html.count(f"facts/{second}.html") == 3, html


def test_a_theme_that_filters_a_list_is_told_which_template_and_what_to_write(workspace):
    content, memo = workspace  # built once into site/; lists cut into chunks of about three
    before = Path("site/timeline.html").read_bytes()
    template = (ROOT / "templates/timeline.html").read_text(encoding="utf-8")
    Path("templates/timeline.html").write_text(template.replace(
        '{{ each("timeline_entry", dated) }}', '{{ each("timeline_entry", dated) | upper }}'))
    problems, ok = build_into(content, Path("site"), None)
    errors = [problem for problem in problems if " error " in problem.splitlines()[0]]
    assert not ok and len(errors) == 1, problems  # (the fixture's warnings besides)
    assert errors[0].startswith("templates/timeline.html: error [template]: ")
    assert "each() must be shown once" in errors[0]
    assert "hint: write {{ each(...) }} on its own where the list goes" in errors[0]
    assert Path("site/timeline.html").read_bytes() == before  # the site left as it was


def test_a_page_notes_its_own_reads_and_its_lists_chunks_hold_theirs(workspace):
    # the timeline's reads leave out the fact lines of its list (noted again at every render
    # they cost a part per fact): its chunks hold them, and render_all looks them up there
    _, memo = workspace
    kept = memo.carried["render"]
    own = kept.reads["timeline.html"]
    shown = set().union(*(kept.chunks[key].reads for key in kept.lists["timeline.html"]))
    facts = {part for part in shown if part[0] == "facts" and part[1] != "*"}
    assert len(facts) > 10 and not facts & own


def test_a_list_is_given_by_its_ids_whether_it_holds_records_or_ids():
    from types import SimpleNamespace
    from factsheet.render import _ids_of
    a, b = SimpleNamespace(id="a"), SimpleNamespace(id="b")
    assert _ids_of([a, b]) == _ids_of(("a", "b")) == _ids_of(iter([a, "b"])) == ["a", "b"]
    assert _ids_of(["a", b]) == ["a", "b"] and _ids_of([]) == []
