"""The English example site builds, uses its one template override, and matches its golden output."""

from __future__ import annotations

import difflib
from pathlib import Path

from golden import EXAMPLE, GOLDEN, build_example


def test_english_example_matches_golden_output(tmp_path: Path) -> None:
    built = build_example(tmp_path / "site")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(built) == sorted(expected), "file list differs; run `python tests/golden.py` if intended"
    for name, content in built.items():
        if content != expected[name]:
            diff = "\n".join(difflib.unified_diff(expected[name].decode().splitlines(), content.decode().splitlines(),
                                                  "golden/" + name, "built/" + name, lineterm="", n=2))
            raise AssertionError(f"{name} differs from the golden copy (refresh: python tests/golden.py):\n{diff[:4000]}")


def test_english_example_uses_its_footer_override(tmp_path: Path) -> None:
    build_example(tmp_path / "site")
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "examples/english/templates/footer.html" in html
    assert '<html lang="en">' in html


def test_english_example_commits_its_quote_lock() -> None:
    # Built in place (above), the example would rewrite a stale lock into the checkout; a current one stays untouched.
    from explainer.content.load import load_site
    from explainer.content.quotelock import format_lock
    from explainer.content.quotes import verify_quotes
    from explainer.model import Options

    options = Options(content_dir=EXAMPLE / "content")
    site, _ = load_site(options)
    assert site is not None
    checked = verify_quotes(site, options)
    assert checked.problems == () and checked.by_archive == sum(len(s.excerpts) for s in site.sources)
    assert format_lock(checked.lock) == (EXAMPLE / "content" / "quotes.lock").read_text(encoding="utf-8")
