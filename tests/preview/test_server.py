"""The preview server, run as a user runs it (`python -W error build.py serve` on a free loopback port),
driven by real HTTP requests and by headless Chromium."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conftest import MINI, ROOT, run_cli, write_tree
from explainer import cli
from explainer import preview as explainer_preview
from explainer.model import Options
from explainer.preview import errorpage, server
from support import snapshot

WAIT = 15.0  # seconds: generous, for slow CI machines; tests never assert on timings


@dataclass
class Preview:
    """A running `build.py serve` subprocess and what it printed."""

    process: subprocess.Popen[str]
    root: Path
    url: str = ""  # http://127.0.0.1:PORT/mini/
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)
    readers: list[threading.Thread] = field(default_factory=list)

    @property
    def origin(self) -> str:
        parts = urllib.parse.urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    def request(self, path: str, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        """Send `path` exactly as given (no normalising of '..' by a client library)."""
        parts = urllib.parse.urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=WAIT)
        try:
            connection.putrequest(method, path, skip_host=True)
            connection.putheader("Host", (headers or {}).get("Host", parts.netloc))
            for name, value in (headers or {}).items():
                if name != "Host":
                    connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def get(self, relative: str) -> tuple[int, str]:
        status, _, body = self.request(urllib.parse.urlsplit(self.url).path + relative)
        return status, body

    def status(self) -> dict[str, Any]:
        _, _, body = self.request("/__explainer__/status")
        result: dict[str, Any] = json.loads(body)
        return result


def wait_until(check: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting until {what}")


def start(root: Path, *args: str) -> Preview:
    process = subprocess.Popen([sys.executable, "-W", "error", str(ROOT / "build.py"), "serve", "--port", "0", *args],
                               cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    preview = Preview(process, root)

    def pump(stream: Any, lines: list[str]) -> None:
        for line in stream:
            lines.append(line)

    assert process.stdout is not None and process.stderr is not None
    preview.readers = [threading.Thread(target=pump, args=(process.stdout, preview.out), daemon=True),
                       threading.Thread(target=pump, args=(process.stderr, preview.err), daemon=True)]
    for reader in preview.readers:
        reader.start()

    def serving() -> bool:
        assert process.poll() is None, "".join(preview.err)
        line = next((line for line in preview.out if line.startswith("Serving ")), None)
        if line is None:
            return False
        preview.url = line.split(" at ")[1].split()[0]
        return True

    wait_until(serving, "the server says where it serves")
    return preview


def stop(preview: Preview) -> int:
    process = preview.process
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=WAIT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise
    finally:
        for reader in preview.readers:
            reader.join(timeout=WAIT)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def preview(site_root: Path) -> Iterator[Preview]:
    write_tree(site_root, dict(MINI))
    running = start(site_root)
    try:
        yield running
    finally:
        stop(running)


def test_serves_the_site_under_its_base_path(preview: Preview) -> None:
    assert preview.url.startswith("http://127.0.0.1:") and preview.url.endswith("/mini/")
    status, headers, _ = preview.request("/")
    assert (status, headers["Location"]) == (302, "/mini/")
    status, headers, _ = preview.request("/mini")
    assert (status, headers["Location"]) == (302, "/mini/")
    status, home = preview.get("")
    assert status == 200 and "<title>Mini</title>" in home
    assert home.count('src="/__explainer__/reload.js"') == 1
    status, headers, _ = preview.request("/mini/intro")
    assert (status, headers["Location"]) == (301, "/mini/intro/")
    assert preview.get("intro/")[0] == 200
    status, body = preview.get("no-such-page/")
    assert status == 404 and body == (preview.root / "site/404.html").read_text(encoding="utf-8").replace(
        "</body>", body[body.index('<script src="/__explainer__/'):body.index("</body>")] + "</body>")
    status, _, body = preview.request("/elsewhere/")
    assert status == 404 and 'href="/mini/"' in body
    status, headers, body = preview.request("/mini/assets/style.css", method="HEAD")
    assert status == 200 and headers["Content-Type"].startswith("text/css") and body == ""
    assert int(headers["Content-Length"]) == (preview.root / "site/assets/style.css").stat().st_size
    assert headers["Etag"] == preview.request("/mini/assets/style.css")[1]["Etag"]  # HEAD's was the empty body's
    assert preview.request("/mini/assets/style.css", headers={"If-None-Match": headers["Etag"]})[0] == 304
    assert preview.status()["builds"] == 1
    # the built files on disk carry no reload script: they are the same as `build` writes
    assert "__explainer__" not in (preview.root / "site/index.html").read_text(encoding="utf-8")


def test_nothing_outside_the_built_site_is_served(preview: Preview, tmp_path: Path) -> None:
    (preview.root / "secret.txt").write_text("SECRET", encoding="utf-8")
    outside = tmp_path.parent / (tmp_path.name + "-outside")
    outside.mkdir()
    (outside / "index.html").write_text("SECRET", encoding="utf-8")
    os.symlink(outside, preview.root / "site" / "linked")
    os.symlink(preview.root / "secret.txt", preview.root / "site" / "leak.txt")
    attempts = ["/mini/../secret.txt", "/mini/%2e%2e/secret.txt", "/mini/%2E%2E%2Fsecret.txt", "/mini/..%2fsecret.txt",
                "/mini/..%5csecret.txt", "/mini/..\\secret.txt", "//etc/passwd", "/mini//etc/passwd", "/mini/%2fetc%2fpasswd",
                "/mini/linked/", "/mini/linked/index.html", "/mini/leak.txt", "/mini/./index.html", "/mini/%00",
                "/mini/assets/", "/mini/../mini/../secret.txt", "/secret.txt", "/mini/%ff%fe/", "/mini/%c0%ae%c0%ae/secret.txt"]
    for attempt in attempts:
        status, _, body = preview.request(attempt)
        assert status in (403, 404), f"{attempt} gave {status}"
        assert "SECRET" not in body and "root:" not in body, attempt


def test_foreign_host_names_and_origins_are_refused(preview: Preview) -> None:
    assert preview.request("/mini/", headers={"Host": "attacker.example"})[0] == 403
    assert preview.request("/mini/", headers={"Host": "localhost:1"})[0] == 200
    status, _, _ = preview.request("/__explainer__/events", headers={"Origin": "http://attacker.example"})
    assert status == 403


class EventStream:
    """Reads the server's reload messages in a thread, counting them."""

    def __init__(self, preview: Preview) -> None:
        parts = urllib.parse.urlsplit(preview.url)
        self.connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
        self.connection.request("GET", "/__explainer__/events", headers={"Origin": preview.origin})
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        self.messages: list[str] = []  # reload messages (the site's generation)
        self.search: list[str] = []  # "search" events (a new search index)
        threading.Thread(target=self.read, daemon=True).start()
        wait_until(lambda: len(self.messages) == 1, "the event stream sends the current generation")

    def read(self) -> None:
        kind = "message"
        try:
            for raw in self.response:
                line = raw.decode("utf-8").strip()
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: "):
                    (self.search if kind == "search" else self.messages).append(line[6:])
                elif not line:
                    kind = "message"  # an event ends at a blank line
        except (OSError, ValueError, AttributeError, http.client.HTTPException):  # closed by close()
            return

    def close(self) -> None:
        if self.connection.sock is not None:  # wakes the reading thread, which holds the response's lock
            self.connection.sock.shutdown(socket.SHUT_RDWR)
        self.connection.close()


def test_edits_rebuild_a_burst_once_and_errors_show_until_fixed(preview: Preview, site_root: Path) -> None:
    stream = EventStream(preview)
    try:
        intro = (site_root / "content/pages/intro.md").read_text(encoding="utf-8")
        (site_root / "content/pages/intro.md").write_text(intro + "\nA freshly edited line.\n", encoding="utf-8")
        wait_until(lambda: "A freshly edited line." in preview.get("intro/")[1], "the edit is served")
        wait_until(lambda: len(stream.messages) == 2, "one reload message")
        assert preview.status()["builds"] == 2
        # once edits pause the search index follows: an event of its own, and no second reload
        wait_until(lambda: len(stream.search) >= 2 and stream.search[-1] != stream.search[0], "the search event")
        assert len(stream.messages) == 2

        # a burst of 20 writes (an editor saving many files, a checkout): one rebuild per burst the watcher
        # reports (tests/preview/test_watch.py shows writes close together make one burst), one reload each
        before = preview.status()
        messages = len(stream.messages)
        for number in range(20):
            write_tree(site_root, {f"content/pages/burst-{number:02d}.md": f"---\ntitle: Burst {number}\n---\n\nBurst page {number}.\n"})
        wait_until(lambda: preview.get("burst-19/")[0] == 200 and not preview.status()["busy"], "the burst is rebuilt")
        after = preview.status()
        rebuilds = after["builds"] - before["builds"]
        assert rebuilds == after["bursts"] - before["bursts"] >= 1
        wait_until(lambda: len(stream.messages) == messages + rebuilds, "one reload message per rebuild")
        assert all(preview.get(f"burst-{number:02d}/")[0] == 200 for number in range(20))
        assert sum("Rebuild" in line for line in preview.out) == 1 + rebuilds

        # a broken file: the terminal prints the report `build` prints; every page shows it, escaped
        before = snapshot(site_root / "site")
        good_term = (site_root / "content/glossary/sky.yaml").read_text(encoding="utf-8")
        write_tree(site_root, {"content/glossary/sky.yaml": "term: sky\nshort: <script>alert(1)</script>: here\n"})
        wait_until(lambda: preview.get("intro/")[0] == 500, "the error page is served")
        status, page = preview.get("intro/")
        assert status == 500 and "Build failed" in page and "content/glossary/sky.yaml:2: error: YAML syntax error" in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
        assert preview.get("assets/style.css")[0] == 200  # assets of the last good site still load
        assert snapshot(site_root / "site") == before
        checked = run_cli(site_root, "check")
        assert checked.code == 1
        report = checked.err[:checked.err.index("Check failed; nothing")]  # the report, then its closing line
        assert report.startswith("content/glossary/sky.yaml:2: error: YAML syntax error")
        wait_until(lambda: report in "".join(preview.err), "the terminal shows the same report as build")
        assert preview.process.poll() is None

        write_tree(site_root, {"content/glossary/sky.yaml": good_term})
        wait_until(lambda: preview.get("intro/")[0] == 200, "the site is back")
        assert "A freshly edited line." in preview.get("intro/")[1]
        assert preview.status()["ok"] is True
    finally:
        stream.close()


def test_a_site_broken_from_the_start_shows_its_problems_then_the_site(site_root: Path) -> None:
    write_tree(site_root, {**MINI, "content/pages/intro.md": "---\ntitle: Introduction\n---\n\n[[fact:nope]]\n"})
    broken = start(site_root)
    try:
        status, page = broken.get("")
        assert status == 500 and "content/pages/intro.md:5: error: unknown fact &#x27;nope&#x27;" in page
        assert broken.status() == {**broken.status(), "builds": 1, "ok": False, "problems": 1}
        write_tree(site_root, {"content/pages/intro.md": MINI["content/pages/intro.md"]})
        wait_until(lambda: broken.get("")[0] == 200, "the site replaces the error page")
        assert "<title>Mini</title>" in broken.get("")[1]
    finally:
        assert stop(broken) == 0


def test_ctrl_c_stops_cleanly(preview: Preview) -> None:
    stream = EventStream(preview)  # an open page must not keep the server from stopping
    assert stop(preview) == 0  # it waits for the server's output to end
    stream.close()
    assert "Traceback" not in "".join(preview.err)
    assert preview.out[-1] == "Stopped.\n"


def test_ctrl_c_during_the_first_build_stops_cleanly(site_root: Path) -> None:
    files: dict[str, str | None] = dict(MINI)
    for number in range(300):  # a first build long enough to interrupt
        files[f"content/pages/p{number:03d}.md"] = f"---\ntitle: Page {number}\n---\n\n" + "Words under the sky. " * 200 + "\n"
    write_tree(site_root, files)
    process = subprocess.Popen([sys.executable, "-W", "error", str(ROOT / "build.py"), "serve", "--port", "0"],
                               cwd=site_root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline().startswith("Building content/"), "the first build has begun"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "Traceback" not in err and "Warning" not in err, err
    assert out.splitlines()[-1] == "Stopped."


def test_a_taken_port_is_reported_without_a_traceback(site_root: Path) -> None:
    write_tree(site_root, dict(MINI))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for host, shown in (("127.0.0.1", "127.0.0.1"), ("", "every interface")):
            result = subprocess.run([sys.executable, "-W", "error", str(ROOT / "build.py"), "serve", "--host", host, "--port", str(port)],
                                    cwd=site_root, capture_output=True, text=True, timeout=60, check=False)
            assert result.returncode == 1
            assert f"error: port {port} on {shown} is already in use; choose another with --port" in result.stderr
            assert "Traceback" not in result.stderr


def test_an_address_not_of_this_machine_is_reported_in_the_systems_words(site_root: Path) -> None:
    write_tree(site_root, dict(MINI))
    result = subprocess.run([sys.executable, "-W", "error", str(ROOT / "build.py"), "serve", "--host", "192.0.2.99", "--port", "8123"],
                            cwd=site_root, capture_output=True, text=True, timeout=60, check=False)  # 192.0.2.0/24: for documentation
    assert result.returncode == 1
    assert "error: cannot listen on 192.0.2.99:8123: Cannot assign requested address; check --host and --port" in result.stderr
    assert "Traceback" not in result.stderr and "attempting" not in result.stderr


def test_binding_beyond_loopback_warns(make_site: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, int]] = []
    monkeypatch.setattr(explainer_preview, "serve", lambda options, host, port, report, cache: calls.append((host, port)))
    run = make_site({}, "serve", "--host", "0.0.0.0", "--port", "8123")
    assert run.code == 0 and calls == [("0.0.0.0", 8123)]
    assert "warning: listening on 0.0.0.0: anyone who can reach this machine can read the preview" in run.err
    everywhere = make_site({}, "serve", "--host", "", "--port", "8123")
    assert "warning: listening on every interface: anyone who can reach" in everywhere.err and calls[-1] == ("", 8123)
    quiet = make_site({}, "serve")
    assert "warning" not in quiet.err and calls[-1] == ("127.0.0.1", 8000)
    assert cli.make_parser().parse_args(["serve"]).host == "127.0.0.1"
    assert explainer_preview.is_loopback("localhost") and explainer_preview.is_loopback("::1") and not explainer_preview.is_loopback("192.168.1.2")


def test_a_bug_in_a_build_is_shown_and_the_server_goes_on(site_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(site_root, dict(MINI))
    running = server.Server(Options(site_root / "content", site_root / "site"), "127.0.0.1", 0, lambda event: None)

    def broken(links: bool = True, search: bool = True) -> None:
        raise ZeroDivisionError("<oops>")

    monkeypatch.setattr(running.rebuilder, "build", broken)
    outcome = running.build_once()
    assert isinstance(outcome, explainer_preview.Failed) and isinstance(outcome.error, ZeroDivisionError)
    page = errorpage.error_page(outcome.problems, outcome.stage, outcome.error, site_root / "site")
    assert "internal error: ZeroDivisionError: &lt;oops&gt;" in page and "<oops>" not in page
    assert "Run <code>explainer serve</code> again with <code>--debug</code>" in page
    from_script = errorpage.error_page(outcome.problems, outcome.stage, outcome.error, site_root / "site", "python build.py")
    assert "Run <code>python build.py serve</code> again with <code>--debug</code>" in from_script


def test_links_are_checked_once_edits_pause_and_strict_shows_them_in_the_browser(site_root: Path) -> None:
    broken_link = {"content/pages/intro.md": "---\ntitle: Introduction\n---\nSee [missing](/nope/).\n"}
    write_tree(site_root, {**MINI, **broken_link})
    running = start(site_root)
    try:
        wait_until(lambda: any("link '/nope/'" in line for line in running.err), "the link warning is printed")
        assert running.get("intro/")[0] == 200  # served before the check, and still served after it
    finally:
        stop(running)
    strict = start(site_root, "--strict")
    try:
        wait_until(lambda: any("Link check failed (--strict)" in line for line in strict.err), "the strict link failure")
        _, body = strict.get("intro/")
        assert "link &#x27;/nope/&#x27;" in body or "link '/nope/'" in body, body[:500]
    finally:
        stop(strict)


def test_the_search_index_follows_edits_once_they_pause(preview: Preview, site_root: Path) -> None:
    def served_entry() -> str:
        status, body = preview.get("pagefind/pagefind-entry.json")
        return body if status == 200 else ""

    wait_until(lambda: served_entry() != "", "the first search index is served")
    before = served_entry()
    intro = (site_root / "content/pages/intro.md").read_text(encoding="utf-8")
    (site_root / "content/pages/intro.md").write_text(intro + "\nZebras cross here.\n", encoding="utf-8")
    wait_until(lambda: "Zebras cross here." in preview.get("intro/")[1], "the edit is served")
    wait_until(lambda: served_entry() not in ("", before), "the search index follows the edit")
    assert not any("Search index not updated" in line for line in preview.err)


def test_a_failing_search_index_is_reported_and_the_pages_still_served(site_root: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    program = tmp_path / "pagefind"
    program.write_text("#!/bin/sh\necho 'Error: no space left on device' >&2\nexit 3\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(program))
    write_tree(site_root, dict(MINI))
    running = start(site_root)
    try:
        wait_until(lambda: any("Search index not updated" in line for line in running.err), "the search failure is reported")
        assert "Pagefind could not build the search index: Error: no space left on device" in "".join(running.err)
        assert "Traceback" not in "".join(running.err)
        assert running.get("intro/")[0] == 200 and running.status()["ok"] is True
    finally:
        stop(running)


# -- in the browser ------------------------------------------------------------------------------


@pytest.mark.browser
def test_the_browser_reloads_by_itself_once_per_burst_and_shows_errors(preview: Preview, site_root: Path,
                                                                        new_page: Callable[..., Any], tmp_path: Path) -> None:
    page = new_page()
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    page.goto(preview.url + "intro/")
    page.wait_for_function("() => document.title.startsWith('Introduction')")
    wait_until(lambda: preview.status()["builds"] == 1 and len(loads) == 1, "the page has loaded")
    wait_until(lambda: preview.status()["streams"] == 1, "the page's event stream is connected")

    before = preview.status()
    intro = (site_root / "content/pages/intro.md").read_text(encoding="utf-8")
    for number in range(20):  # one burst: 20 saves of the same page
        (site_root / "content/pages/intro.md").write_text(intro + f"\nSaved {number} times.\n", encoding="utf-8")
    page.wait_for_selector("text=Saved 19 times.", timeout=WAIT * 1000)
    wait_until(lambda: not preview.status()["busy"], "the server is idle")
    rebuilds = preview.status()["builds"] - before["builds"]
    assert rebuilds == preview.status()["bursts"] - before["bursts"]

    from playwright.sync_api import Error as PlaywrightError

    def generation() -> str | None:
        try:
            found: str | None = page.evaluate("() => document.querySelector('script[data-generation]')?.getAttribute('data-generation')")
        except PlaywrightError:  # between two documents
            return None
        return found

    wait_until(lambda: generation() == preview.status()["generation"], "the page is the last build's")
    # reloaded once a burst, not once a save; a reload that fetched a later build's page than the one announced
    # (a burst's second build written meanwhile) makes the next announcement's reload needless, and it is skipped
    assert 1 <= len(loads) - 1 <= rebuilds, (loads, rebuilds)

    good_term = (site_root / "content/glossary/sky.yaml").read_text(encoding="utf-8")
    write_tree(site_root, {"content/glossary/sky.yaml": "term: sky\nshort: <b>unclosed: here\n"})
    page.wait_for_selector("h1:has-text('Build failed')", timeout=WAIT * 1000)
    assert "content/glossary/sky.yaml:2: error:" in page.inner_text("ol.problems")
    assert "<b>unclosed" in page.inner_text("ol.problems")  # shown as text, not markup
    page.screenshot(path=str(tmp_path / "error-page.png"), full_page=True)

    write_tree(site_root, {"content/glossary/sky.yaml": good_term})
    page.wait_for_selector("text=Saved 19 times.", timeout=WAIT * 1000)
    assert page.title().startswith("Introduction")
    page.screenshot(path=str(tmp_path / "site-again.png"), full_page=True)
    if os.environ.get("EXPLAINER_SCREENSHOTS"):  # to look at them: EXPLAINER_SCREENSHOTS=/some/folder
        for name in ("error-page.png", "site-again.png"):
            shutil.copy(tmp_path / name, Path(os.environ["EXPLAINER_SCREENSHOTS"]) / name)


@pytest.mark.browser
def test_an_open_page_searches_the_new_index_once_it_is_written(preview: Preview, site_root: Path,
                                                                 new_page: Callable[..., Any]) -> None:
    page = new_page()
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    page.goto(preview.url + "intro/")
    wait_until(lambda: preview.get("pagefind/pagefind-entry.json")[0] == 200, "the first search index is written")
    page.fill("#site-search", "Zebras")
    page.wait_for_selector('#site-search-results[data-query="Zebras"]', state="attached", timeout=WAIT * 1000)
    assert page.locator("#site-search-results a").count() == 0  # the word is not in the site yet

    page.evaluate("() => { window.indexChanged = 0; window.addEventListener('explainer:search-index', () => window.indexChanged++); }")
    term = (site_root / "content/glossary/sky.yaml").read_text(encoding="utf-8")
    (site_root / "content/glossary/sky.yaml").write_text(term.replace("The sky holds", "Zebras graze under"), encoding="utf-8")
    # the term page changes, not the page open here; a rebuild reloads it all the same, then the index follows
    page.wait_for_function("() => window.indexChanged === undefined", timeout=WAIT * 1000)  # reloaded
    page.evaluate("() => { window.indexChanged = 0; window.addEventListener('explainer:search-index', () => window.indexChanged++); }")
    page.fill("#site-search", "Zebras")  # searched at once: the old index, before the new one is written
    page.wait_for_selector('#site-search-results[data-query="Zebras"]', state="attached", timeout=WAIT * 1000)
    page.wait_for_function("() => window.indexChanged >= 1", timeout=WAIT * 1000)
    # the open results follow the new index by themselves, with no reload and no error
    page.wait_for_function("() => [...document.querySelectorAll('#site-search-results a')].some(a => a.href.endsWith('/glossary/sky/'))",
                           timeout=WAIT * 1000)
    assert len(loads) == 2, loads
    assert "검색" not in page.inner_text(".search-summary")


def test_serve_builds_into_the_folder_out_names(site_root: Path) -> None:
    write_tree(site_root, dict(MINI))
    running = start(site_root, "--out", "public")
    try:
        assert any(line.startswith("Serving public/ at ") for line in running.out), running.out
        assert (site_root / "public/intro/index.html").is_file() and not (site_root / "site").exists()
        assert running.get("intro/")[0] == 200
    finally:
        stop(running)


def test_hostile_content_is_reported_at_once_and_the_server_recovers(preview: Preview, site_root: Path) -> None:
    # An alias bomb froze the server for good (the page got no answer, removing the bomb did not help,
    # MemoryError in the end); 1,000 levels of nesting and a 50 MB file were internal errors or minutes of work.
    good = (site_root / "content/glossary/sky.yaml").read_text(encoding="utf-8")
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{b}: &{b} [{','.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True))
    hostile = {
        "YAML aliases (*a) are not allowed in content": good + "x:\n" + "".join("  " + line + "\n" for line in bomb.splitlines()),
        "YAML nested more than 12 levels deep": good + "x: " + "[" * 1000 + "]" * 1000 + "\n",
        "a content file may have at most 512 KiB": good + "body: |\n" + "  words and more words\n" * 30_000,
    }
    for message, text in hostile.items():
        write_tree(site_root, {"content/glossary/sky.yaml": text})
        wait_until(lambda message=message: message in preview.get("intro/")[1], f"the page shows: {message}")
        write_tree(site_root, {"content/glossary/sky.yaml": good})
        wait_until(lambda: preview.get("intro/")[0] == 200, "the site is back")
    assert preview.process.poll() is None and preview.status()["ok"] is True


def test_a_build_into_the_folder_the_server_writes_is_refused(preview: Preview, site_root: Path) -> None:
    before = snapshot(site_root / "site")
    refused = run_cli(site_root, "build")
    assert refused.code == 2
    assert f"is being written by explainer serve (process {preview.process.pid})" in refused.err
    assert snapshot(site_root / "site") == before
    elsewhere = run_cli(site_root, "build", "--out", "public")
    assert elsewhere.code == 0, elsewhere.err


DOTS = ["..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e", "%c0%ae%c0%ae", "%ef%bc%8e%ef%bc%8e", "%u002e%u002e", "..%00", ".%00.",
        "....", "..;"]
SEPARATORS = ["/", "%2f", "%2F", "%5c", "\\", "%252f", "%c0%af", "//"]


def test_every_spelling_of_a_way_out_is_refused(preview: Preview) -> None:
    (preview.root / "secret.txt").write_text("SECRET", encoding="utf-8")
    attempts = [f"/mini/{dots}{separator}secret.txt" for dots in DOTS for separator in SEPARATORS]
    attempts += [f"/mini/assets/{dots}{separator}{dots}{separator}secret.txt" for dots in DOTS for separator in SEPARATORS[:4]]
    attempts += ["/mini/" + "../" * 12 + "etc/passwd", "/mini/%2fetc%2fpasswd", "/mini/file:///etc/passwd", "/mini/%00/../secret.txt"]
    assert len(attempts) >= 60
    for attempt in attempts:
        status, _, body = preview.request(attempt)
        assert status in (400, 403, 404), f"{attempt} gave {status}"
        assert "SECRET" not in body and "root:" not in body, attempt
    assert preview.request("/mini/")[0] == 200


def test_many_event_streams_requests_and_slow_clients_leave_the_server_answering(preview: Preview, site_root: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    parts = urllib.parse.urlsplit(preview.url)
    address = (parts.hostname or "", parts.port or 0)
    streams, slow = [], []
    try:
        for _ in range(200):  # open pages, each with its event stream, never reading it
            stream = socket.create_connection(address, timeout=WAIT)
            stream.sendall(f"GET /__explainer__/events HTTP/1.1\r\nHost: {parts.netloc}\r\nOrigin: {preview.origin}\r\n\r\n".encode())
            streams.append(stream)
        for _ in range(100):  # clients that send half a request and then nothing
            client = socket.create_connection(address, timeout=WAIT)
            client.sendall(f"GET /mini/ HTTP/1.1\r\nHost: {parts.netloc}\r\nUser-Agent: sl".encode())
            slow.append(client)
        with ThreadPoolExecutor(max_workers=50) as pool:  # 200 requests at once
            answers = list(pool.map(lambda number: preview.get(["", "intro/", "facts/", "assets/style.css"][number % 4])[0], range(200)))
        assert answers == [200] * 200
        assert preview.status()["streams"] >= 200
        intro = (site_root / "content/pages/intro.md").read_text(encoding="utf-8")
        (site_root / "content/pages/intro.md").write_text(intro + "\nWritten while 300 clients wait.\n", encoding="utf-8")
        wait_until(lambda: "Written while 300 clients wait." in preview.get("intro/")[1], "the edit is served")
        reloads = streams[-1].recv(65536).decode("utf-8", "replace")
        assert "HTTP/1.1 200" in reloads and "data: " in reloads
    finally:
        for connection in streams + slow:
            connection.close()
    wait_until(lambda: preview.status()["streams"] < 200, "closed streams are let go")
    assert preview.process.poll() is None


def test_requests_during_rebuilds_always_get_a_whole_page(preview: Preview, site_root: Path) -> None:
    stop = threading.Event()
    seen: list[tuple[str, int, bool]] = []

    def read() -> None:
        while not stop.is_set():
            for path in ("intro/", "", "glossary/sky/"):
                status, body = preview.get(path)
                seen.append((path, status, body.rstrip().endswith("</html>") and "<main" in body))

    readers = [threading.Thread(target=read, daemon=True) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        intro = (site_root / "content/pages/intro.md").read_text(encoding="utf-8")
        for number in range(30):
            write_tree(site_root, {"content/pages/intro.md": intro + f"\nEdit number {number}.\n",
                                   "content/glossary/sky.yaml": MINI["content/glossary/sky.yaml"] + f"en: Sky {number}\n"})
            wait_until(lambda number=number: f"Edit number {number}." in preview.get("intro/")[1], f"edit {number} is served")
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=WAIT)
    assert len(seen) >= 300
    broken = [entry for entry in seen if entry[1] != 200 or not entry[2]]
    assert not broken, broken[:5]


def test_a_templates_folder_made_after_serve_started_is_watched(preview: Preview, site_root: Path) -> None:
    assert not (site_root / "templates").exists()
    footer = '<footer class="site-footer"><p>A footer of our own.</p></footer>\n'
    write_tree(site_root, {"templates/footer.html": footer})
    wait_until(lambda: "A footer of our own." in preview.get("intro/")[1], "the new footer is served")
    write_tree(site_root, {"templates/footer.html": footer.replace("our own", "our own, edited")})
    wait_until(lambda: "A footer of our own, edited." in preview.get("intro/")[1], "an edit in the new folder is served")
