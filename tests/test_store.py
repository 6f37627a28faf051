"""Sealed cache files: trusted only under this user's key, which lives outside every project."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

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
