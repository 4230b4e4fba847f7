"""exchange.replace: a new file in the place of an old one, atomically, with or without
renameat2(RENAME_EXCHANGE)."""

from __future__ import annotations

import os

import pytest

from factsheet import exchange


def old_and_new(tmp_path):
    target, fresh = tmp_path / "page.html", tmp_path / ".page.html.new-1"
    target.write_bytes(b"old")
    fresh.write_bytes(b"new")
    return target, fresh


@pytest.mark.parametrize("exchanged", [True, False])
def test_the_new_file_takes_the_old_ones_place_and_a_reader_keeps_the_old(tmp_path, monkeypatch,
                                                                           exchanged):
    if not exchanged:  # a system without the exchange: os.replace
        monkeypatch.setattr(exchange, "_renameat2", False)
    elif not exchange._exchange_call():
        pytest.skip("no renameat2 here")
    target, fresh = old_and_new(tmp_path)
    with open(target, "rb") as reader:  # opened before: still the old file's bytes
        exchange.replace(fresh, target)
        assert reader.read() == b"old"
    assert target.read_bytes() == b"new"
    assert sorted(os.listdir(tmp_path)) == ["page.html"]  # the old file unlinked


def test_where_the_exchange_works_the_old_file_is_not_replaced_by_a_rename(tmp_path,
                                                                          monkeypatch):
    if not exchange._exchange_call():
        pytest.skip("no renameat2 here")
    target, fresh = old_and_new(tmp_path)
    monkeypatch.setattr(os, "replace", lambda *a: pytest.fail("renamed over the old file"))
    exchange.replace(fresh, target)
    assert target.read_bytes() == b"new" and not fresh.exists()


def test_without_an_old_file_the_new_one_is_renamed(tmp_path):
    fresh = tmp_path / ".page.html.new-1"
    fresh.write_bytes(b"new")
    exchange.replace(fresh, tmp_path / "page.html")
    assert sorted(os.listdir(tmp_path)) == ["page.html"]
    assert (tmp_path / "page.html").read_bytes() == b"new"


def test_a_failure_is_the_renames_own(tmp_path):
    with pytest.raises(FileNotFoundError):  # no new file: nothing moved, as os.replace says
        exchange.replace(tmp_path / "missing", tmp_path / "page.html")


def test_a_folder_in_the_old_files_place_is_refused_as_os_replace_refuses_it(tmp_path):
    target, fresh = tmp_path / "page.html", tmp_path / ".page.html.new-1"
    target.mkdir()
    fresh.write_bytes(b"new")
    with pytest.raises(IsADirectoryError):
        exchange.replace(fresh, target)
    assert target.is_dir() and fresh.read_bytes() == b"new"  # nothing moved
