"""Where a link or an image written in the content leads, decided the same way by the checks and the renderer.

A target is read as a reader of the files on GitHub would read it, from the file it is written in:

- `two-budgets.md`, `../pages/two-budgets.md#costs`: a page, by its Markdown file; it becomes the page's URL;
- `chart.png`, `../files/report.pdf`: a file of the content (an asset), published with the site;
- `/files/chart.png`, `/pages/intro.md`: the same, from the content folder;
- `/facts/`, `/glossary/x/`: a path of the site, from its root (`/assets/…` are the theme's files);
- `../facts/#fact-x`, `#costs`: a path of the site relative to the page the text belongs to (a page body
  to its page, a term's text to the term's page, a fact's to the facts page): it is made right
  wherever the text is shown (the print edition, a fact card on another page);
- anything with a scheme (`https:`, `mailto:`) or starting with `//`: outside the site, left alone.
"""

from __future__ import annotations

import difflib
import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ..model import Site

# Files a site publishes from its content: images (probed with Pillow), SVG drawings (checked), and other files as they are.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif")
VECTOR_SUFFIXES = (".svg",)
FILE_SUFFIXES = (".css", ".pdf", ".csv", ".tsv", ".txt", ".json", ".zip", ".xlsx", ".ods", ".docx", ".odt", ".pptx", ".odp", ".epub",
                 ".mp3", ".m4a", ".ogg", ".mp4", ".webm", ".woff2", ".woff", ".ttf", ".otf", ".ico")
ASSET_SUFFIXES = IMAGE_SUFFIXES + VECTOR_SUFFIXES + FILE_SUFFIXES


@dataclass(frozen=True, slots=True)
class Target:
    """Where a written link leads: outside the site, to a page, an asset, a site path, or to a file that is not there."""

    kind: str  # external, page, asset, site, missing (a page or file of the content that does not exist), outside
    path: str  # page and site: the site path ('facts/', 'intro/'); asset and missing: the path inside content/
    fragment: str = ""
    page: bool = False  # missing: it names a page (.md) rather than a file

    def site_path(self, fragment: bool = True) -> str:
        """The site path with its fragment, for page, asset and site targets."""
        return self.path + (f"#{self.fragment}" if fragment and self.fragment else "")


def home_of(content_path: str) -> str:
    """The site path of the page a content file's text belongs to: pages/x.md -> x/, glossary/t.yaml -> glossary/t/, …"""
    folder, _, name = content_path.partition("/")
    stem = posixpath.splitext(name)[0]
    if folder == "pages" and content_path.endswith(".md"):
        return content_path[len("pages/"):-len(".md")].removesuffix("/index") + "/"
    if folder in ("glossary", "sources") and name:
        return f"{folder}/{stem}/"
    if folder == "facts":
        return "facts/"
    return ""


def resolve(written: str, content_path: str, site: Site) -> Target:
    """Read a link or image target written in the content file at `content_path` (a path inside content/).

    Worked out once a build for each target and file: the check, the files a build publishes and the renderer all ask
    (a preview's rebuild at 1,000 pages asked 6,000 times, for every link of every page twice).
    """
    memo: dict[tuple[str, str], Target] | None = site.derived.get("targets")
    if memo is None:
        memo = site.derived["targets"] = {}
    found = memo.get((written, content_path))
    if found is None:
        found = memo[(written, content_path)] = _resolve(written, content_path, site)
    return found


def _resolve(written: str, content_path: str, site: Site) -> Target:
    """`resolve`, worked out."""
    url = written.strip()
    parts = urlsplit(url)
    if parts.scheme or url.startswith("//"):
        return Target("external", url)
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    if not path:
        return Target("site", home_of(content_path), fragment)
    rooted = path.startswith("/")
    inside = posixpath.normpath(path.lstrip("/") if rooted else posixpath.join(posixpath.dirname(content_path), path))
    suffix = posixpath.splitext(path)[1].lower()
    if suffix == ".md":
        slug = inside.removeprefix("pages/").removesuffix(".md").removesuffix("/index")
        if inside.startswith("pages/") and slug in site.page_by_slug:
            return Target("page", f"{slug}/", fragment)
        return Target("missing", inside, fragment, page=True)
    if inside in site.assets:
        return Target("asset", inside, fragment)
    if suffix in ASSET_SUFFIXES and not (rooted and path.startswith("/assets/")):
        return Target("missing", inside, fragment)
    if rooted:
        return Target("site", path[1:], fragment)
    joined = posixpath.normpath(posixpath.join(home_of(content_path) or ".", path))
    if joined == ".." or joined.startswith("../"):
        return Target("outside", path, fragment)
    folder = path.endswith("/") or posixpath.basename(path) in (".", "..")
    return Target("site", "" if joined == "." else joined + ("/" if folder else ""), fragment)


def suggest_page(target: Target, site: Site) -> str:
    """'did you mean …? ' naming the page whose file or URL is closest to a target that leads nowhere, or ''."""
    wanted = target.path.removeprefix("pages/").removesuffix(".md").strip("/")
    close = difflib.get_close_matches(wanted, sorted(site.page_by_slug), n=1, cutoff=0.6)
    if not close:
        return ""
    return f"did you mean '{close[0]}.md'? " if target.kind == "missing" else f"did you mean '{close[0]}'? "


def suggest_file(target: Target, site: Site) -> str:
    """'did you mean …? ' naming the asset whose path or name is closest to a missing file's, or ''."""
    by_name = {posixpath.basename(path): path for path in sorted(site.assets)}
    close = difflib.get_close_matches(target.path, sorted(site.assets), n=1, cutoff=0.6)
    if not close:
        named = difflib.get_close_matches(posixpath.basename(target.path), sorted(by_name), n=1, cutoff=0.6)
        close = [by_name[named[0]]] if named else []
    return f"did you mean content/{close[0]}? " if close else ""
