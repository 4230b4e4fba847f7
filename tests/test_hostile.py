"""Hostile input: nothing runs script in a reader's browser, writes outside site/, or ends in a
Python traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT

FACTS = "facts/ships.yaml"


def test_text_from_content_is_escaped(briefing, capsys):
    briefing.edit(FACTS, "claim: The union counted 35 ships.",
                  "claim: \"The union <script>alert(1)</script> counted 35 ships.\"")
    briefing.edit("entities/all.yaml", "name: Dock union", "name: \"<img src=x onerror=alert(1)>\"")
    assert briefing.run(capsys=capsys)[0] == 0
    for page in ("facts/union-count.html", "entities/dock-union.html", "pages/overview.html",
                 "timeline.html"):
        html = (briefing.output / page).read_text()
        assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (briefing.output / "facts/union-count.html").read_text()


@pytest.mark.parametrize("prose, forbidden", [
    ("<script>alert(1)</script>", "<script>alert"),
    ('<img src="x.png" onerror="alert(1)">', "onerror"),
    ("[click](javascript:alert(1))", "javascript:"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<iframe src="https://example.org"></iframe>', "<iframe"),
    ('<div style="background:url(javascript:alert(1))">x</div>', "style="),
    ('<svg><script>alert(1)</script></svg>', "<svg"),
])
def test_raw_html_in_prose_is_sanitised(briefing, capsys, prose, forbidden):
    briefing.edit("pages/overview.md", "## Again", f"{prose}\n\n## Again")
    assert briefing.run(capsys=capsys)[0] == 0
    html = (briefing.output / "pages/overview.html").read_text()
    body = html[html.index('<div class="prose">'):html.index('<section class="notes"')]
    assert forbidden not in body
    assert "<script" not in body


def test_document_path_cannot_leave_the_documents_folder(briefing, capsys):
    briefing.edit("sources/harbour-report.yaml", "document: harbour-report.txt",
                  "document: ../../../../etc/passwd")
    code, _, err = briefing.run(capsys=capsys)
    assert code == 1
    assert "document '../../../../etc/passwd' not found under content/documents/" in err


def test_python_tags_in_yaml_are_refused(briefing, capsys):
    briefing.write("facts/evil.yaml", "- !!python/object/apply:os.system ['touch pwned']\n")
    code, _, err = briefing.run(capsys=capsys)
    assert code == 1
    assert "content/facts/evil.yaml:1:3: error: the YAML tag '!!python/object/apply:os.system' " \
           "is not allowed" in err
    assert not (briefing.root / "pwned").exists()


def test_deep_nesting_and_bad_encoding_are_errors_not_tracebacks(briefing, capsys):
    briefing.write("facts/deep.yaml", "[" * 5000 + "]" * 5000 + "\n")
    (briefing.content / "entities/latin1.yaml").write_bytes(b"- id: caf\xe9\n  name: x\n  kind: group\n")
    code, _, err = briefing.run(capsys=capsys)
    assert code == 1
    assert "content/facts/deep.yaml" in err
    assert "content/entities/latin1.yaml:1:10: error: file is not valid UTF-8 (byte 0xE9)" in err


def test_symlinked_assets_are_not_copied(briefing, capsys, tmp_path):
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "style.css").write_text("body{}")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    os.symlink(secret, assets / "leak.txt")
    from build import main
    assert main(["--content", str(briefing.content), "--output", str(briefing.output),
                 "--templates", str(ROOT / "templates"), "--assets", str(assets)]) == 0
    assert not (briefing.output / "assets" / "leak.txt").exists()


def test_a_folder_not_made_by_build_is_never_replaced(briefing, capsys):
    briefing.output.mkdir()
    (briefing.output / "precious.txt").write_text("keep me")
    code, _, err = briefing.run(capsys=capsys)
    assert code == 1
    assert "was not made by factsheet; refusing to replace it" in err
    assert (briefing.output / "precious.txt").read_text() == "keep me"


def test_command_line_errors_exit_cleanly(briefing, tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=briefing.root,
                              capture_output=True, text=True, timeout=60)
    missing = run("--content", "nowhere")
    assert missing.returncode == 1 and "nowhere: error: content folder not found" in missing.stderr
    usage = run("publish")
    assert usage.returncode == 2 and "invalid choice: 'publish'" in usage.stderr
    for result in (missing, usage):
        assert "Traceback" not in result.stderr
    helped = run("--help")
    for word in ("check", "serve", "--strict", "--content", "--output", "--port"):
        assert word in helped.stdout


def test_links_out_of_the_content_folder_are_not_read(briefing, capsys, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("The harbour authority said about 40 ships docked, and a secret.")
    os.symlink(secret, briefing.content / "documents" / "leak.txt")
    code, _, err = briefing.run(capsys=capsys)
    assert code == 1
    assert "content/documents/leak.txt: error: refused: this link leads outside the content " \
           "folder" in err
    assert not any("secret" in p.read_text() for p in briefing.output.rglob("*.html"))


def test_an_id_that_would_overwrite_an_index_page_is_refused(briefing, capsys):
    briefing.edit("facts/ships.yaml", "- id: figures-disputed", "- id: index")
    code, _, err = briefing.run(capsys=capsys)
    assert code == 1
    assert "content/facts/ships.yaml:25:7: error [id]: 'id' of fact 'index': expected an id other than 'index'" in err
