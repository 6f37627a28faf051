"""The test server itself: base path, index files, 404s, no escape from the site folder."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from siteserver import serve_site


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_serves_under_base_path_only(tmp_path: Path) -> None:
    (tmp_path / "site" / "a").mkdir(parents=True)
    (tmp_path / "site" / "index.html").write_text("home", encoding="utf-8")
    (tmp_path / "site" / "a" / "index.html").write_text("page a", encoding="utf-8")
    (tmp_path / "site" / "404.html").write_text("missing", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    with serve_site(tmp_path / "site", "/repo/") as served:
        assert fetch(served.url) == (200, b"home")
        assert fetch(served.url + "a/") == (200, b"page a")
        assert fetch(served.url + "nope/") == (404, b"missing")
        assert fetch(served.url.replace("/repo/", "/a/"))[0] == 404
        assert fetch(served.url + "../secret.txt")[0] == 404
        assert fetch(served.url + "%2e%2e/secret.txt")[0] == 404
        assert served.url.startswith("http://127.0.0.1:") and served.url.endswith("/repo/")
    assert [status for _, status in served.requests] == [200, 200, 404, 404, 404, 404]


def test_base_path_is_checked() -> None:
    with pytest.raises(ValueError), serve_site(Path("."), "repo"):
        pass
