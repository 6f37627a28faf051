"""Pages in folders (content/sections.py) as readers meet them: URLs, the section's page, reading order,
the navigation's sections, breadcrumbs; and what the theme shows of site.yaml's look (logo, social image)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from conftest import MINI, Run, write_tree

GUIDE = {
    "content/pages/intro.md": "---\ntitle: Introduction\norder: 1\n---\n\nRead [the ferry](guide/ferry.md) first.\n",
    "content/pages/guide/ferry.md": "---\ntitle: The ferry\norder: 2\n---\n\n## Times\n\nEvery quarter hour. [Back](../intro.md).\n",
    "content/pages/guide/cycling.md": "---\ntitle: Cycling & walking\norder: 3\n---\n\nAcross the old bridge.\n",
    "content/pages/closure.md": "---\ntitle: The closure\norder: 4\n---\n\nWhy it closes.\n",
}
SITE = MINI["content/site.yaml"] + "nav: [intro, guide, closure, facts]\n"


def test_pages_in_a_folder_are_a_section(make_site: Callable[..., Run]) -> None:
    run = make_site({**GUIDE, "content/site.yaml": SITE}, "build", "--strict")
    assert run.code == 0, run.err
    ferry = run.page("guide/ferry/index.html")
    assert '<a href="../../intro/">Back</a>' in ferry
    assert '<a href="../guide/ferry/">the ferry</a>' in run.page("intro/index.html")
    # the section without a page of its own gets one, titled after its folder, listing its pages in order
    section = run.page("guide/index.html")
    assert "<h1>Guide</h1>" in section
    assert section.index('<a href="ferry/">The ferry</a>') < section.index('<a href="cycling/">Cycling &amp; walking</a>')
    # reading order follows the tree: intro (1), the section (placed by its first page, 2), its pages, closure (4)
    assert '<a rel="next" href="../cycling/">' in ferry and '<a rel="prev" href="../">' in ferry
    assert '<a rel="prev" href="../guide/cycling/">' in run.page("closure/index.html")


def test_navigation_and_breadcrumbs_show_the_section(make_site: Callable[..., Run]) -> None:
    run = make_site({**GUIDE, "content/site.yaml": SITE}, "build", "--strict")
    assert run.code == 0, run.err
    ferry = run.page("guide/ferry/index.html")
    nav = ferry[ferry.index('<nav class="site-nav"'):ferry.index("</nav>", ferry.index('<nav class="site-nav"'))]
    assert '<a href="../" aria-current="true">Guide</a><ul class="nav-children">' in nav
    assert '<a href="./" aria-current="page">The ferry</a>' in nav and '<a href="../cycling/">Cycling &amp; walking</a>' in nav
    crumbs = re.search(r'<nav class="breadcrumb" aria-label="You are here"[^>]*>\s*<ol>(.*?)</ol>', ferry, re.DOTALL)
    assert crumbs is not None
    assert crumbs.group(1) == '<li><a href="../../">Mini</a></li><li><a href="../">Guide</a></li>'
    assert 'class="breadcrumb"' not in run.page("intro/index.html")  # a page at the top has none
    printed = run.page("print/index.html")
    assert 'id="page-guide/ferry"' in printed and '<a href="#page-guide/ferry">the ferry</a>' in printed


def test_a_folder_name_that_is_no_id_is_an_error(make_site: Callable[..., Run]) -> None:
    run = make_site({"content/pages/Ferry Guide/times.md": "---\ntitle: Times\n---\nText.\n"})
    assert run.code == 1
    lines = run.err.splitlines()
    assert "content/pages/Ferry Guide/times.md: error: the folder name 'Ferry Guide' is not a valid page id" in lines, run.err
    assert "       = fix: rename it using lowercase a-z, 0-9 and hyphens, e.g. my-section/" in lines


def test_pages_deeper_than_the_limit_are_named(make_site: Callable[..., Run]) -> None:
    run = make_site({"content/pages/a/b/c/d/e/deep.md": "---\ntitle: Deep\n---\nText.\n"})
    assert "content/pages/a/b/c/d/e: warning: ignored: pages are read at most 4 folders deep in pages/" in run.err.splitlines(), run.err


def _image(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (122, 31, 162)).save(out, "PNG")
    return out.getvalue()


def _write_files(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)


def test_logo_favicon_and_social_images_reach_the_pages(make_site: Callable[..., Run], site_root: Path) -> None:
    _write_files(site_root, {"content/files/logo.png": _image(96, 32), "content/files/card.png": _image(1200, 630),
                             "content/files/icon.svg": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><path d="M0 0h8v8z"/></svg>'})
    site = SITE + "logo: {file: files/logo.png, alt: Harbor Line}\nfavicon: files/icon.svg\n"
    own = GUIDE["content/pages/closure.md"].replace("order: 4\n", "order: 4\nimage: /files/card.png\n")
    run = make_site({**GUIDE, "content/site.yaml": site, "content/pages/closure.md": own}, "build", "--strict")
    assert run.code == 0, run.err
    intro = run.page("intro/index.html")
    assert ('<a class="site-title" href="../"><img class="site-logo" src="../files/logo.png" alt="Harbor Line" width="96" '
            'height="32">Mini</a>') in intro
    assert '<img class="site-logo" src="files/logo.png" alt="Harbor Line" width="96" height="32">Mini</h1>' in run.page("index.html")
    assert '<link rel="icon" href="../files/icon.svg" type="image/svg+xml">' in intro
    # every page a card of its own, drawn at build time; a page that names its own image shows that
    assert '<meta property="og:image" content="https://example.org/mini/cards/intro.png">' in intro
    assert '<meta property="og:image:width" content="1200">' in intro and '<meta name="twitter:card" content="summary_large_image">' in intro
    assert '<meta property="og:image:alt" content="Introduction">' in intro
    assert (run.site / "cards/intro.png").is_file() and (run.site / "cards/guide/ferry.png").is_file()
    closure = run.page("closure/index.html")
    assert '<meta property="og:image" content="https://example.org/mini/files/card.png">' in closure
    assert '<meta property="og:image:height" content="630">' in closure
    assert not (run.site / "cards/closure.png").exists()


def test_no_cards_means_no_preview_image(make_site: Callable[..., Run]) -> None:
    run = make_site({"content/site.yaml": MINI["content/site.yaml"] + "cards: false\n"}, "build", "--strict")
    assert run.code == 0, run.err
    page = run.page("intro/index.html")
    assert "og:image" not in page and '<meta name="twitter:card" content="summary">' in page
    assert not (run.site / "cards").exists()


def test_every_heading_and_link_of_a_page_is_recorded_with_its_line(tmp_path: Path) -> None:
    """What the renderer knows, it records: each link, image and heading id a page's Markdown makes, with file and line."""
    from explainer.model import Options
    from explainer.pipeline import make

    write_tree(tmp_path, {**MINI, **GUIDE, "content/site.yaml": SITE})
    outputs = {output.path: output for output in make(Options(tmp_path / "content"), search=False).outputs}
    records = [(r.kind, r.url, r.written, r.loc.path, r.loc.line) for r in outputs["guide/ferry/index.html"].links]
    assert ("anchor", "times", "times", "content/pages/guide/ferry.md", 6) in records
    assert ("link", "../../intro/", "../intro.md", "content/pages/guide/ferry.md", 8) in records
