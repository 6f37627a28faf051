"""The PDF edition: the print edition (print/) printed to a PDF file by headless Chromium.

Chromium does not implement CSS's target-counter(), so the contents of the edition cannot
give the page each part starts on by themselves. The edition is printed once; the page of
every link target is read from the PDF (Chromium names each one in the catalog's /Dests);
the contents are given those numbers (a style added to the page: `.print-toc a[href="#x"]::after
{content: "12"}`) and the edition is printed again. The numbers sit at the end of lines that are
already there, so the pages come out the same; the numbers are checked against the second print.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..errors import ExplainerError
from ..model import Output, primary_language
from .write import replace_file, write_site

PROGRAMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
KNOWN_PATHS = ("/usr/bin/chromium",)
INSTALL_HINT = ("install Debian's Chromium and a Korean font with: sudo apt-get install chromium fonts-nanum "
                "(or name a Chromium or Chrome program with --chromium PATH)")
# Headless, with no network of its own and nothing learned from earlier runs.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-pdf-header-footer",
)
NO_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens there, so a request through it fails at once
TIMEOUT = 180  # seconds; a print edition of a few hundred pages takes well under a minute
EDITION = "print/index.html"
# Font packages that give a language's script on Debian, for the warning when none is installed.
FONT_PACKAGES = {"ko": "fonts-nanum", "ja": "fonts-noto-cjk", "zh": "fonts-noto-cjk"}
PAGE_RE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
OBJECT_RE = re.compile(rb"(?m)^(\d+) 0 obj\b")
REF_RE = re.compile(rb"(\d+) 0 R")
DEST_RE = re.compile(rb"/([^\s/\[\]<>()]+)\s*\[\s*(\d+) 0 R")
LINK_RE = re.compile(r'(<a\b[^>]*?\shref=)"([^"]*)"', re.IGNORECASE)  # a link as our templates and Markdown write it
PRINTS = 3  # the most times the edition is printed before its contents' page numbers hold
# Skia writes the time of printing into the document info; blanking it (same length, so
# every byte offset stays right) makes the same site give the same PDF.
DATE_RE = re.compile(rb"/(?:CreationDate|ModDate) \(D:[0-9Z+\-']*\)")
# The tagged PDF names a table's header cells by the page's node numbers, which differ from one
# run of Chromium to the next; numbered again in the order they first appear (the same number of
# digits: every offset stays right), the same site gives the same bytes.
NODE_RE = re.compile(rb"\(node(\d+)\)")


class PdfFailed(ExplainerError):
    """The PDF could not be made; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class PdfResult:
    """A written PDF: where, how many pages, how many bytes."""

    path: Path
    pages: int
    size: int


def find_chromium(explicit: str = "") -> str:
    """Return the Chromium program to run: the one named, else the first on PATH, else /usr/bin/chromium."""
    if explicit:
        found = shutil.which(explicit)
        if found is None:
            raise PdfFailed(f"--chromium {explicit}: no such program; {INSTALL_HINT}")
        return found
    for name in PROGRAMS:
        found = shutil.which(name)
        if found:
            return found
    for path in KNOWN_PATHS:
        if os.access(path, os.X_OK):
            return path
    raise PdfFailed(f"Chromium was not found (looked for {', '.join(PROGRAMS)} on PATH and at {', '.join(KNOWN_PATHS)}); "
                    f"{INSTALL_HINT}")


def font_warning(language: str) -> str:
    """Return a warning when no installed font covers the site's language, or '' (also when fontconfig is absent)."""
    fc_list = shutil.which("fc-list")
    primary = primary_language(language)
    if fc_list is None or primary == "en":
        return ""
    try:
        found = subprocess.run([fc_list, f":lang={primary}", "family"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    if found.returncode != 0 or found.stdout.strip():
        return ""
    package = FONT_PACKAGES.get(primary, "fonts-noto")
    return (f"no installed font covers the language '{language}': its letters would print as empty boxes; "
            f"install one, e.g. sudo apt-get install {package}")


def count_pages(pdf: bytes) -> int:
    """Count the page objects of a PDF as Chromium writes it (no compressed object streams)."""
    return len(PAGE_RE.findall(pdf))


def write_pdf(outputs: Sequence[Output], pdf_path: Path, chromium: str, base_url: str) -> PdfResult:
    """Write the built site to a temporary folder and print its print edition to `pdf_path`.

    Chromium reads the edition from a server of our own on this machine's loopback address that
    serves that folder alone, not from file:// (a page read from a file may show any other file
    of the machine: a theme of a pull request's could print the builder's keys into the PDF). Its
    links to the site's other pages lead to the published site (`base_url`), not to the folder.
    """
    if not any(o.path == EDITION for o in outputs):
        raise PdfFailed(f"the site has no {EDITION}; a theme of its own must keep templates/print.html")
    with tempfile.TemporaryDirectory(prefix="explainer-pdf-") as tmp:
        folder = Path(tmp)
        write_site(outputs, folder / "site")
        edition = folder / "site" / EDITION
        html = published_links(edition.read_text(encoding="utf-8"), urljoin(base_url, EDITION))
        edition.write_text(html, encoding="utf-8")
        with served(folder / "site") as origin:
            address = f"{origin}/{EDITION}"
            data = _print(chromium, folder, address)
            for _ in range(PRINTS - 1):  # number the contents until a print keeps the pages it was numbered for
                pages = target_pages(data)
                if not pages:
                    break
                edition.write_text(numbered_contents(html, pages), encoding="utf-8")
                data = _print(chromium, folder, address)
                if target_pages(data) == pages:
                    break
    data = stable_nodes(DATE_RE.sub(lambda m: b" " * len(m.group()), data))
    _replace(pdf_path, data)
    return PdfResult(pdf_path, count_pages(data), len(data))


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """Serve `folder` alone on 127.0.0.1, on a free port, for the duration of the block; give its origin."""
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            return  # the command prints what it did, not each request

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            return  # Chromium hung up: nothing the PDF depends on

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, name="pdf server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def published_links(html: str, address: str) -> str:
    """The edition with each relative link (`<a href>`, not `#…`) made absolute from `address`, its published place."""
    def absolute(match: re.Match[str]) -> str:
        written = unescape(match.group(2))
        if written.startswith("#") or urlsplit(written).scheme or written.startswith("//"):
            return match.group(0)
        return f'{match.group(1)}"{escape(urljoin(address, written))}"'

    return LINK_RE.sub(absolute, html)


def _print(chromium: str, folder: Path, page: str) -> bytes:
    """Print one page of the written site, at its address, with headless Chromium; return the PDF's bytes."""
    printed = folder / "edition.pdf"
    printed.unlink(missing_ok=True)
    # every request but those to our server goes to a proxy that is not there: nothing the edition names (an address of
    # the machine's network, 169.254.169.254, where a hosting provider keeps its machines' secrets) reaches the PDF
    origin = urlsplit(page).netloc
    command = [chromium, *FLAGS, f"--proxy-server={NO_PROXY}", f"--proxy-bypass-list=<-loopback>;{origin}", f"--user-data-dir={folder / 'profile'}",
               f"--print-to-pdf={printed}", page]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise PdfFailed(f"{chromium} did not finish printing within {TIMEOUT} s") from exc
    except OSError as exc:
        raise PdfFailed(f"{chromium} could not be started ({exc.strerror}); {INSTALL_HINT}") from exc
    data = printed.read_bytes() if printed.is_file() else b""
    if result.returncode != 0 or not data.startswith(b"%PDF-"):
        raise PdfFailed(f"{chromium} did not write a PDF (exit status {result.returncode}): {_last_words(result.stderr)}")
    return data


def stable_nodes(pdf: bytes) -> bytes:
    """The PDF with the node numbers of its structure (NODE_RE) numbered 1, 2, 3 … by first appearance, each as long as before."""
    numbers: dict[bytes, int] = {}

    def renumbered(match: re.Match[bytes]) -> bytes:
        digits = match.group(1)
        number = numbers.setdefault(digits, len(numbers) + 1)
        again = str(number).zfill(len(digits)).encode()
        return b"(node" + again + b")" if len(again) == len(digits) else match.group()  # never longer: offsets hold
    return NODE_RE.sub(renumbered, pdf)


def target_pages(pdf: bytes) -> dict[str, int]:
    """Return the page (1-based) of each link target of a PDF as Chromium writes it: the catalog's /Dests, by name."""
    starts = [(int(m.group(1)), m.end()) for m in OBJECT_RE.finditer(pdf)]
    objects = {number: pdf[start:pdf.find(b"endobj", start)] for number, start in starts}
    catalog = next((body for body in objects.values() if re.search(rb"/Type\s*/Catalog\b", body)), b"")
    root = re.search(rb"/Pages\s+(\d+) 0 R", catalog)
    dests = re.search(rb"/Dests\s+(\d+) 0 R", catalog)
    if root is None or dests is None:
        return {}
    order: list[int] = []

    def walk(number: int, depth: int = 0) -> None:
        body = objects.get(number, b"")
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
        if kids is None or depth > 32:
            order.append(number)  # a page
            return
        for kid in REF_RE.findall(kids.group(1)):
            walk(int(kid), depth + 1)

    walk(int(root.group(1)))
    index = {number: position + 1 for position, number in enumerate(order)}
    return {name.decode("latin-1"): index[int(page)] for name, page in DEST_RE.findall(objects.get(int(dests.group(1)), b""))
            if int(page) in index}


def numbered_contents(html: str, pages: dict[str, int]) -> str:
    """Return the print edition with each contents entry given the page its target starts on (a style before </head>)."""
    rules = [".print-toc .leader { display: block; }"]
    for name, page in sorted(pages.items()):
        target = _pdf_name(name).replace("\\", "\\\\").replace('"', '\\"')
        rules.append(f'.print-toc a[href="#{target}"]::after {{ content: "{page}"; }}')
    style = "<style media=\"print\">\n" + "\n".join(rules) + "\n</style>\n"
    return html.replace("</head>", style + "</head>", 1)


def _pdf_name(name: str) -> str:
    """A PDF name as text: #xx escapes undone, UTF-8 decoded (Chromium writes 한 as #ED#95#9C)."""
    raw = re.sub(r"#([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), name)
    return raw.encode("latin-1").decode("utf-8", "replace")


def _replace(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all (a reader never sees half a PDF)."""
    if path.is_dir():
        raise PdfFailed(f"{path} is a folder; give --out a file name such as {path / 'print.pdf'}")
    try:
        replace_file(path, data, 0o644)
    except OSError as exc:
        raise PdfFailed(f"cannot write {path}: {exc.strerror}") from exc


def _last_words(stderr: str) -> str:
    """The lines of Chromium's error output that say something (not its D-Bus chatter)."""
    lines = [line for line in stderr.splitlines() if line.strip() and "dbus" not in line.lower()]
    return " / ".join(lines[-3:]) or "it printed nothing"
