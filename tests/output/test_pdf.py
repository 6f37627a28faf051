"""`python build.py pdf`: the print edition printed by headless Chromium, with its Hangul intact."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, Run, run_cli
from explainer.content.load import load_site
from explainer.model import Options, Site
from explainer.output import pdf
from explainer.text.markdown import plain_text
from tools import CHROMIUM, require


@dataclass(frozen=True)
class Printed:
    """The flagship printed once for the module: the run, the PDF and its text."""

    run: Run
    path: Path
    text: str


def squeeze(text: str) -> str:
    """Drop all whitespace and word joiners: PDF text breaks lines (and pages) wherever the layout did, and
    the text carries the invisible joiner that keeps a middle dot from starting a line (text/typeset.py)."""
    return re.sub(r"[\s\u2060]+", "", text)


@pytest.fixture(scope="module")
def flagship_site() -> Site:
    site, _ = load_site(Options(content_dir=ROOT / "content"))
    assert site is not None
    return site


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    require(CHROMIUM)
    pdftotext = require("pdftotext")
    out = tmp_path_factory.mktemp("pdf") / "flagship.pdf"
    run = run_cli(ROOT, "pdf", "--out", str(out))
    assert run.code == 0, run.err
    # -raw: the text in the order Chromium wrote it (the document's), not as pdftotext reads columns,
    # where the glossary's two columns interleave line by line
    text = subprocess.run([pdftotext, "-raw", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True, check=True).stdout
    return Printed(run, out, text)


def test_pdf_has_pages_and_reports_them(printed: Printed) -> None:
    pdfinfo = require("pdfinfo")
    info = subprocess.run([pdfinfo, str(printed.path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert pages > 1
    assert re.search(r"Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)", info), info
    size = printed.path.stat().st_size
    assert printed.run.out == f"Wrote {printed.path}: {pages} pages, {size / 1024:.0f} KiB, in " + printed.run.out.split(" in ")[-1]
    assert pdf.count_pages(printed.path.read_bytes()) == pages
    assert "CreationDate" not in info  # the time of printing is blanked: same site, same PDF


def test_pdf_text_holds_the_korean_claims_and_definitions(printed: Printed, flagship_site: Site) -> None:
    text = squeeze(printed.text)
    claims = [plain_text(fact.claim) for fact in flagship_site.facts if not fact.claim.refs]
    assert len(claims) >= 10
    missing = [claim for claim in claims if squeeze(claim) not in text]
    assert missing == []
    for term in flagship_site.terms:
        assert squeeze(term.short) in text, term.id
    assert squeeze(flagship_site.config.title) in text


def pages_of(path: Path) -> list[str]:
    """The text of each page of a PDF, laid out as on the page."""
    text = subprocess.run([require("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def test_the_contents_give_the_page_each_part_starts_on(printed: Printed, flagship_site: Site) -> None:
    pages = pages_of(printed.path)
    labels = flagship_site.config.labels
    parts = [labels["introduction"], *(page.title for page in flagship_site.pages), labels["facts"],
             *(group.title for group in flagship_site.groups), labels["glossary"], labels["sources"]]
    contents = "\n".join(pages[:2])
    problems = []
    for title in parts:
        entry = re.search(rf"^\s*{re.escape(title)}\s+(\d+)\s*$", contents, re.MULTILINE)
        if entry is None:
            problems.append(f"the contents give no page for {title!r}")
            continue
        number = int(entry.group(1))
        # the part's heading is a line of its own on that page
        if not 1 <= number <= len(pages) or not re.search(rf"^\s*{re.escape(title)}\s*$", pages[number - 1], re.MULTILINE):
            problems.append(f"{title!r} is not on page {number}, where the contents send the reader")
    assert not problems, "\n".join(problems)


def test_no_page_but_the_last_is_left_mostly_empty(printed: Printed) -> None:
    bbox = subprocess.run([require("pdftotext"), "-bbox", str(printed.path), "-"], capture_output=True, text=True, check=True).stdout
    fills = []
    for height, body in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', bbox, re.DOTALL):
        page = float(height)
        top, bottom = 0.07 * page, 0.93 * page  # the text area, within the margins; the page number below it
        lowest = [float(y) for y in re.findall(r'yMax="([\d.]+)"', body) if float(y) < bottom]
        fills.append((max(lowest) - top) / (bottom - top) if lowest else 0.0)
    assert len(fills) == pdf.count_pages(printed.path.read_bytes())
    thin = [(number, round(fill, 2)) for number, fill in enumerate(fills[:-1], start=1) if fill < 1 / 3]
    assert not thin, f"pages less than a third full (page, fill): {thin}"


def test_pdf_embeds_a_font_that_has_hangul(printed: Printed) -> None:
    fc_list = require("fc-list")
    families = subprocess.run([fc_list, ":lang=ko", "family"], capture_output=True, text=True, check=True).stdout
    korean = {name.replace(" ", "") for line in families.splitlines() for name in line.split(",") if name.isascii() and name.strip()}
    assert korean, "no Korean font installed (fonts-nanum)"
    fonts = subprocess.run([require("pdffonts"), str(printed.path)], capture_output=True, text=True, check=True).stdout
    embedded = [line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if line.strip()]
    assert any(font.startswith(family) for font in embedded for family in korean), (embedded, korean)


def test_same_site_gives_the_same_pages_and_text(printed: Printed, tmp_path: Path) -> None:
    # Not byte for byte: on a busy machine Chromium may place a line a fraction of a point
    # differently (seen: 10468.59 against 10469); pages and words are the same.
    again = run_cli(ROOT, "pdf", "--out", str(tmp_path / "again.pdf"), "--quiet")
    assert again.code == 0, again.err
    text = [subprocess.run([require("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
            for path in (printed.path, tmp_path / "again.pdf")]
    assert text[0] == text[1]
    assert pdf.count_pages((tmp_path / "again.pdf").read_bytes()) == pdf.count_pages(printed.path.read_bytes())
    # the structure's node numbers, which Chromium numbers anew each run, are the same (numbered by first appearance)
    nodes = [re.findall(rb"\(node\d+\)", path.read_bytes()) for path in (printed.path, tmp_path / "again.pdf")]
    assert nodes[0] and nodes[0] == nodes[1]


def test_node_numbers_are_numbered_by_first_appearance_and_keep_their_length() -> None:
    written = b"<</ID (node00000833)>> <</Headers [(node00000835)]>> <</ID (node00000835)>> <</Headers [(node00000833)]>> (node7)"
    assert pdf.stable_nodes(written) == \
        b"<</ID (node00000001)>> <</Headers [(node00000002)]>> <</ID (node00000002)>> <</Headers [(node00000001)]>> (node3)"
    assert len(pdf.stable_nodes(written)) == len(written)


# -- failures: each says what to do, none shows a traceback ------------------------------------------


def fake_chromium(folder: Path, script: str) -> Path:
    program = folder / "fake-chromium"
    program.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    program.chmod(0o755)
    return program


def test_missing_chromium_says_how_to_install_it(make_site: Callable[..., Run], monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(pdf, "KNOWN_PATHS", (str(tmp_path / "no-chromium"),))
    run = make_site({}, "pdf")
    assert run.code == 1
    assert run.err.startswith("error: Chromium was not found (looked for chromium, chromium-browser, google-chrome")
    assert "sudo apt-get install chromium fonts-nanum" in run.err
    assert "Traceback" not in run.err and not (run.root / "print.pdf").exists()


def test_chromium_that_fails_is_reported_with_its_words(make_site: Callable[..., Run], tmp_path: Path) -> None:
    program = fake_chromium(tmp_path, "echo '[1:2:ERROR:dbus/bus.cc:405] Failed to connect to the bus' >&2\necho 'cannot open display' >&2\nexit 5\n")
    run = make_site({}, "pdf", "--chromium", str(program))
    assert run.code == 1
    assert f"error: {program} did not write a PDF (exit status 5): cannot open display" in run.err
    assert "Traceback" not in run.err and not (run.root / "print.pdf").exists()


def test_pdf_out_must_be_a_file_and_content_errors_stop_it(make_site: Callable[..., Run], tmp_path: Path) -> None:
    program = fake_chromium(tmp_path, 'for a in "$@"; do case "$a" in --print-to-pdf=*) printf "%%PDF-1.4\\n" > "${a#*=}";; esac; done\n')
    folder = make_site({}, "pdf", "--chromium", str(program), "--out", "content")
    assert folder.code == 1 and "error: content is a folder; give --out a file name such as content/print.pdf" in folder.err
    written = make_site({}, "pdf", "--chromium", str(program), "--out", "out/edition.pdf")
    assert written.code == 0, written.err
    assert (written.root / "out" / "edition.pdf").read_bytes() == b"%PDF-1.4\n"
    broken = make_site({"content/glossary/sky.yaml": "term: [\n"}, "pdf", "--chromium", str(program))
    assert broken.code == 1
    assert broken.err.rstrip().endswith("Build failed (check); no PDF was written.")


def test_links_in_the_pdf_lead_to_the_published_site(printed: Printed) -> None:
    """They led to the temporary folder the edition was printed from (file:///tmp/explainer-pdf-…/site/facts.json)."""
    links = set(re.findall(rb"/URI \(([^)]*)\)", printed.path.read_bytes()))
    assert links and all(link.startswith(b"https://explainer.github.io/ai-alliance/") for link in links), links
    assert {b"https://explainer.github.io/ai-alliance/facts.json", b"https://explainer.github.io/ai-alliance/glossary.json"} <= links


def test_the_edition_shows_no_file_of_the_machine(make_site: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory) -> None:
    """A theme of a pull request's once printed the builder's files: the edition was read from file://, which may show any."""
    require(CHROMIUM)
    pdftotext = require("pdftotext")
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.txt"
    secret.write_text("SECRET-TOKEN-12345\n", encoding="utf-8")
    embeds = (f'<iframe src="{secret.as_uri()}" width="600" height="200"></iframe>'
              f'<object data="{secret.as_uri()}" width="600" height="200"></object><img src="{secret.as_uri()}" alt="">')
    edition = (ROOT / "templates" / "print.html").read_text(encoding="utf-8").replace('<header class="print-cover">',
                                                                                       embeds + '<header class="print-cover">')
    root = make_site({"templates/print.html": edition}).root
    out = root / "edition.pdf"
    run = run_cli(root, "pdf", "--out", str(out))
    assert run.code == 0, run.err
    text = subprocess.run([pdftotext, "-raw", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Mini" in text and "SECRET-TOKEN" not in text


@pytest.mark.parametrize(("written", "published"), [
    ('<a href="../facts.json">', '<a href="https://example.org/mini/facts.json">'),
    ('<a class="x" href="../glossary/sky/#top">', '<a class="x" href="https://example.org/mini/glossary/sky/#top">'),
    ('<a href="#part-facts">', '<a href="#part-facts">'),
    ('<a href="https://example.com/a?b=1&amp;c=2">', '<a href="https://example.com/a?b=1&amp;c=2">'),
    ('<a href="mailto:x@example.org">', '<a href="mailto:x@example.org">'),
    ('<a href="../a%20b/?q=1&amp;r=2">', '<a href="https://example.org/mini/a%20b/?q=1&amp;r=2">'),
    ('<link href="../assets/style.css">', '<link href="../assets/style.css">'),  # what the page loads stays on the server
])
def test_relative_links_are_made_absolute_from_the_edition_s_published_place(written: str, published: str) -> None:
    assert pdf.published_links(written, "https://example.org/mini/print/index.html") == published


def test_the_edition_reaches_no_other_server(make_site: Callable[..., Run]) -> None:
    """Only the server of the edition's own folder: not another port of the machine (nor 169.254.169.254, a cloud's)."""
    import http.server
    import threading

    require(CHROMIUM)
    pdftotext = require("pdftotext")

    class Secret(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"INTERNAL-SECRET-67890"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Secret)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        embeds = f'<iframe src="http://127.0.0.1:{server.server_address[1]}/" width="600" height="200"></iframe>'
        edition = (ROOT / "templates" / "print.html").read_text(encoding="utf-8").replace('<header class="print-cover">',
                                                                                           embeds + '<header class="print-cover">')
        root = make_site({"templates/print.html": edition}).root
        run = run_cli(root, "pdf", "--out", str(root / "edition.pdf"))
    finally:
        server.shutdown()
        server.server_close()
    assert run.code == 0, run.err
    text = subprocess.run([pdftotext, "-raw", "-enc", "UTF-8", str(root / "edition.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Mini" in text and "INTERNAL-SECRET" not in text
