"""What a build is handed and what it makes: the command line's Options, each file it produces (Output),
the links a page's Markdown made (LinkRecord), and places in the content (Loc).

The content model (model.py) re-exports them: every stage imports them from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Options:
    """What the command line decided: where to read, where to write (None: nowhere), how strict to be."""

    content_dir: Path
    out_dir: Path | None = None
    base_url: str = ""  # overrides site.yaml when set
    strict: bool = False
    archives: Path | None = None  # the archive folder ($EXPLAINER_ARCHIVES), overriding `archives:` in site.yaml
    program: str = "explainer"  # how the user runs explainer, for messages that name a command
    jobs: int = 0  # processes to build with: 0 decides by the site's size and the cores (workers.py), 1 is one process
    previous: Path | None = None  # the last published build's facts.json (--previous); None: the output folder's
    limits: tuple[tuple[str, int], ...] = ()  # the operator's --limit settings (limits.settings); none from the content

    @property
    def root(self) -> Path:
        """The folder holding content/: archives and a site's own templates/ are found from here."""
        return self.content_dir.parent


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the built site: its path inside the site, its bytes, and what produced it (for messages).

    A page also carries what its Markdown produced, recorded while rendering: every link and
    image, each with the URL it has in the page and where it was written (`links`).
    """

    path: str
    content: bytes
    origin: str = field(default="", compare=False)
    links: tuple[LinkRecord, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """A link, image or anchor of a page that its Markdown produced: its URL (or id) in the page, as written, and where."""

    url: str  # as it is in the page's HTML ('../two-budgets/', 'images/chart-….webp'); an anchor: its id
    written: str  # as the writer wrote it ('two-budgets.md'); the same as url for an anchor
    loc: Loc
    kind: str = "link"  # link, image (url: the fallback file; asset: the file shown) or anchor
    asset: str = ""  # an image: its path inside content/
    reported: bool = False  # it names a page or file of the content that is not there: the checks said so already


@dataclass(frozen=True, slots=True)
class Loc:
    """Where something was written: a file (as shown to the user) and a 1-based line."""

    path: str
    line: int
