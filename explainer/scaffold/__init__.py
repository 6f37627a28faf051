"""`explainer new`: write a small, complete explainer into a folder of its own, then check it as a build would.

The files are in files/common/ (every site) and files/<language>/, kept as they will be written
(a name starting with `dot-` is written with a dot: files in a package are easier to ship that way).
These words are filled in: @TITLE@ (in Markdown), @TITLE_YAML@ (a YAML string), @BASE_URL@, @YEAR@,
@PROJECT@ (explainer's own address) and @REQUIREMENT@, the pip requirement the site's workflows
install explainer with.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .. import __version__
from ..content.schema import convert
from ..errors import ExplainerError
from ..model import Options
from ..pipeline import Made, make

LANGUAGES = ("en", "ko")
TITLES = {"en": "A sample explainer", "ko": "해설 사이트 예시"}
PROJECT = "https://github.com/explainer/ai-alliance"  # where explainer's source is published (pyproject's Source URL)
IGNORED = frozenset({".git"})  # a fresh clone of an empty repository counts as an empty folder
TOKEN = re.compile(r"@[A-Z_]+@")


@dataclass(frozen=True, slots=True)
class Requirement:
    """What the site's workflows install explainer with, and a sentence on how that was decided (said to the user)."""

    line: str
    why: str


@dataclass(frozen=True, slots=True)
class Started:
    """A new site: the files written, the files kept because they were there (--force), and its first check."""

    folder: Path
    written: tuple[str, ...]
    kept: tuple[str, ...]
    requirement: Requirement
    made: Made


def new_site(folder: Path, language: str, title: str = "", base_url: str = "", requirement: str = "",
             force: bool = False, program: str = "explainer") -> Started:
    """Write a new explainer into `folder` (refusing a non-empty one unless `force`) and check it under --strict."""
    if language not in LANGUAGES:
        raise ExplainerError(f"there is no starter site in '{language}'; choose one of: {', '.join(LANGUAGES)}")
    if base_url:
        _, wrong = convert(base_url, "url")
        if wrong:
            raise ExplainerError(f"--base-url {wrong}; give the address the site will have, e.g. https://user.github.io/repo/")
    found = existing(folder)
    if found and not force:
        shown = ", ".join(found[:5]) + (" …" if len(found) > 5 else "")
        raise ExplainerError(f"{folder}/ is not empty ({shown}); `new` writes only into a new or empty folder. "
                             "Choose another folder, or add --force to add only the files that are missing")
    pinned = Requirement(requirement.strip(), "As given with --requirement.") if requirement.strip() else install_requirement()
    if "\n" in pinned.line:
        raise ExplainerError("--requirement takes one line: a pip requirement such as 'explainer==0.1.0'")
    words = {"@TITLE@": title or TITLES[language], "@TITLE_YAML@": json.dumps(title or TITLES[language], ensure_ascii=False),
             "@BASE_URL@": base_url or default_base_url(folder), "@YEAR@": str(dt.date.today().year), "@REQUIREMENT@": pinned.line,
             "@PROJECT@": PROJECT}
    written, kept = write_files(folder, plan(language, words))
    made = make(Options(content_dir=folder / "content", strict=True, program=program), search=False)
    return Started(folder, written, kept, pinned, made)


def existing(folder: Path) -> list[str]:
    """The entries already in `folder` that make it not empty, by name (raises when it is a file)."""
    if folder.exists() and not folder.is_dir():
        raise ExplainerError(f"{folder} is a file, not a folder; give `new` the folder to create")
    if not folder.is_dir():
        return []
    return sorted(entry.name for entry in folder.iterdir() if entry.name not in IGNORED)


def default_base_url(folder: Path) -> str:
    """An address of the right shape, named after the folder: the Pages workflow passes the real one."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", folder.resolve().name).strip("-.").lower() or "explainer"
    return f"https://example.github.io/{name}/"


def plan(language: str, words: dict[str, str]) -> dict[str, str]:
    """Every file of the starter site in `language`, by its path in the site, with the words filled in."""
    root = resources.files(__package__).joinpath("files")
    files: dict[str, str] = {}
    for part in ("common", language):
        for relative, entry in walk(root.joinpath(part), ""):
            text = entry.read_text(encoding="utf-8")
            for token, value in words.items():
                text = text.replace(token, value)
            left = TOKEN.search(text)
            assert left is None, f"{relative}: {left.group()} is not filled in"  # a token misspelt in a file of ours
            files[relative] = text
    return dict(sorted(files.items()))


def walk(folder: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    """The files under a package folder, as (path in the site, entry); `dot-name` becomes `.name`."""
    found: list[tuple[str, Traversable]] = []
    for entry in folder.iterdir():
        name = "." + entry.name[4:] if entry.name.startswith("dot-") else entry.name
        if entry.is_dir():
            found += walk(entry, f"{prefix}{name}/")
        elif not name.endswith((".pyc", "~")):
            found.append((prefix + name, entry))
    return found


def write_files(folder: Path, files: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Write every file that is not there yet; return the paths written and the paths kept as they were."""
    written: list[str] = []
    kept: list[str] = []
    for relative, text in files.items():
        target = folder / relative
        if target.exists():
            kept.append(relative)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
        written.append(relative)
    return tuple(written), tuple(kept)


def install_requirement() -> Requirement:
    """The pip requirement that installs this same explainer on another machine (a CI runner).

    Installed from Git: that commit, pinned by its full hash. From a package index: this version.
    From a local folder or wheel, which a runner cannot reach: this version's release tag at PROJECT.
    """
    try:
        distribution = metadata.distribution("explainer")
        raw = distribution.read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        raw = ""
    else:
        if raw is None:
            return Requirement(f"explainer=={__version__}", f"That is this version, explainer {__version__}, as installed from a package index.")
    try:
        origin = json.loads(raw) if raw else {}
    except ValueError:
        origin = {}
    vcs = origin.get("vcs_info") or {}
    url = str(origin.get("url", ""))
    if vcs.get("vcs") == "git" and re.fullmatch(r"[0-9a-f]{40}", str(vcs.get("commit_id", ""))) and not url.startswith("file:"):
        asked = f" ({vcs['requested_revision']})" if vcs.get("requested_revision") else ""
        return Requirement(f"explainer @ git+{url}@{vcs['commit_id']}", f"That is the commit this explainer was installed from{asked}.")
    return Requirement(f"explainer @ git+{PROJECT}@v{__version__}",
                       f"That is the release tag of explainer {__version__}: this copy was installed from a local folder or "
                       "wheel, which GitHub's runners cannot reach. --requirement names another.")
