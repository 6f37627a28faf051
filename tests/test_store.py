"""Sealed cache files: trusted only under this user's key, which lives outside every project."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from explainer import store
from explainer.store import Unusable, key_path, read_sealed, seal, unseal, user_key, write_sealed


def test_the_key_is_made_once_0600_under_xdg_cache_home(user_cache_home: Path) -> None:
    key = user_key()
    assert key_path() == user_cache_home / "explainer" / "key"
    assert stat.S_IMODE(key_path().stat().st_mode) == 0o600 and len(key) == 32 and user_key() == key


def test_sealed_bytes_open_only_under_their_key_and_kind() -> None:
    sealed = seal("record", b"payload", b"k" * 32)
    assert unseal("record", sealed, b"k" * 32) == b"payload"
    for kind, key, data in (("record", b"x" * 32, sealed), ("stages", b"k" * 32, sealed), ("record", b"k" * 32, sealed[:-1])):
        with pytest.raises(Unusable):
            unseal(kind, data, key)


def test_a_written_file_reads_back_and_is_private(tmp_path: Path) -> None:
    assert write_sealed(tmp_path / "c" / "record", "record", b"{}") is None
    assert read_sealed(tmp_path / "c" / "record", "record") == b"{}"
    assert stat.S_IMODE((tmp_path / "c" / "record").stat().st_mode) == 0o600
    with pytest.raises(Unusable, match="none yet"):
        read_sealed(tmp_path / "missing", "record")


def test_an_output_folder_is_gone_only_when_the_system_says_nothing_is_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    there = tmp_path / "site"
    there.mkdir()
    assert store.gone(os.fsencode(tmp_path / "nothing")) and store.gone(os.fsencode(tmp_path / "site" / "x" / "y"))
    assert not store.gone(os.fsencode(there)) and not store.gone(b"/a\x00b")  # a NUL: nothing said, nothing removed

    def refused(path: object) -> None:
        raise PermissionError(13, "Permission denied")  # a folder not readable, a drive not mounted: not known gone

    monkeypatch.setattr(store.os, "lstat", refused)
    assert not store.gone(os.fsencode(tmp_path / "nothing"))


def test_a_cache_folder_s_note_is_read_within_bounds_and_never_through_a_link(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    assert store.read_output(folder) is None  # no note
    (folder / store.OUTPUT).write_bytes(b"/x" * store.PATH_BYTES)
    assert store.read_output(folder) is None  # past the bound: not a path of ours
    (folder / store.OUTPUT).unlink()
    target = tmp_path / "elsewhere"
    target.write_bytes(b"/some/where")
    (folder / store.OUTPUT).symlink_to(target)
    assert store.read_output(folder) is None
    (folder / store.OUTPUT).unlink()
    (folder / store.OUTPUT).mkdir()
    assert store.read_output(folder) is None
    (folder / store.OUTPUT).rmdir()
    (folder / store.OUTPUT).write_bytes(b"/some/where")
    assert store.read_output(folder) == b"/some/where"
