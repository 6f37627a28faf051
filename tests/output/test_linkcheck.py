"""The link checker: internal links and anchors resolve; broken ones are warnings naming page and line."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest

from conftest import ROOT, Run
from explainer.model import Output
from explainer.output import linkcheck
from explainer.output.linkcheck import check_links

BASE = "https://example.org/repo/"


def page(path: str, body: str) -> Output:
    return Output(path, f"<!doctype html>\n<html><body>\n{body}\n</body></html>\n".encode())


SITE = [
    page("index.html", '<a href="facts/">facts</a> <a href="facts/#fact-a">a</a> <link rel="stylesheet" href="assets/s.css">'),
    page("facts/index.html", '<article id="fact-a"></article> <a href="../">home</a> <a href="#fact-a">self</a> <a href="#top">up</a>'),
    page("404.html", '<a href="/repo/facts/#fact-a">absolute path</a> <a href="https://example.org/repo/">home</a>'),
    Output("assets/s.css", b"body{}"),
]


def messages(outputs: list[Output]) -> list[str]:
    problems = check_links(outputs, BASE)
    return [f"{p.path}: {p.message}" for p in problems]


def test_a_sound_site_has_no_problems() -> None:
    assert check_links(SITE, BASE) == []


@pytest.mark.parametrize(("href", "expected"), [
    ("nope/", "link 'nope/' leads to no page: the site has no nope/"),
    ("facts/#fact-b", "link 'facts/#fact-b' points to #fact-b, which facts/index.html does not have"),
    ("#missing", "link '#missing' points to #missing, which index.html does not have"),
    ("../elsewhere/", "link '../elsewhere/' leads above the site's root folder"),
    ("/facts/", "link '/facts/' root-relative link '/facts/' lies outside the site's base path /repo/"),
    ("https://example.org/repo/gone/", "link 'https://example.org/repo/gone/' leads to no page: the site has no gone/"),
    ("javascript:alert(1)", "link 'javascript:alert(1)' a javascript: URL is never followed"),
])
def test_broken_links_are_named_with_page_and_line(href: str, expected: str) -> None:
    outputs = [*SITE[1:], page("index.html", f'<p>\n<a href="{href}">x</a></p>')]
    problems = check_links(outputs, BASE)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.path == "site/index.html" and problem.severity == "warning"
    assert problem.message.startswith("line 4: " + expected), problem.message
    assert "fix the link in the template that writes it" in problem.hint


@pytest.mark.parametrize("href", [
    "https://example.org/other-site/", "https://elsewhere.example/repo/nope/", "mailto:a@example.org", "facts",
    "facts/index.html#fact-a", "./", "?q=1", "facts/?q=1#fact-a", "%66acts/",
])
def test_external_and_equivalent_links_pass(href: str) -> None:
    assert messages([*SITE[1:], page("index.html", f'<a href="{href}">x</a>')]) == []


def test_same_broken_link_on_many_pages_is_reported_once() -> None:
    outputs = [page(f"p{i}/index.html", '<a href="../gone/">x</a>') for i in range(3)] + [page("index.html", "")]
    problems = check_links(outputs, BASE)
    assert [p.message for p in problems] == ["line 3: link '../gone/' leads to no page: the site has no gone/ (also on 2 other pages)"]


def test_duplicate_ids_are_reported() -> None:
    outputs = [page("index.html", '<p id="x"></p>\n<p id="x"></p>')]
    assert messages(outputs) == ["site/index.html: line 4: id 'x' is used again (first on line 3); a link to it reaches only the first"]


def test_build_warns_and_strict_fails_without_touching_the_site(make_site: Callable[..., Run]) -> None:
    good = make_site()
    assert good.code == 0 and "warning" not in good.err, good.err
    before = good.page("intro/index.html")
    broken = {"content/pages/intro.md": "---\ntitle: Introduction\n---\nSee [the facts](/facts/#fact-skyy).\n"}
    warned = make_site(broken)
    assert warned.code == 0
    assert ("content/pages/intro.md:4: warning: link '/facts/#fact-skyy' points to #fact-skyy, which facts/ does not have"
            in warned.err.splitlines()), warned.err
    assert "       = fix: did you mean '#fact-sky'? link to a heading, fact or excerpt that is there" in warned.err.splitlines()
    assert warned.err.count("fact-skyy' points") == 1  # not again for the print edition, which shows the same text
    make_site()  # back to the good site
    failed = make_site(broken, "build", "--strict")
    assert failed.code == 1
    assert "content/pages/intro.md:4: error: link '/facts/#fact-skyy' points to #fact-skyy, which facts/ does not have" in failed.err
    assert "Build failed (links); site/ was left as it was." in failed.err
    assert failed.page("intro/index.html") == before
    checked = make_site(broken, "check")
    assert checked.code == 0 and "fact-skyy" in checked.err


def test_template_links_are_checked_too(make_site: Callable[..., Run]) -> None:
    footer = '<footer class="site-footer"><a href="{{ url(\'about/\') }}">About</a></footer>\n'
    run = make_site({"templates/footer.html": footer})
    assert run.code == 0
    pages = len(list(run.site.rglob("*.html")))
    assert re.search(rf"^site/index\.html: warning: line \d+: link 'about/' leads to no page: the site has no about/ "
                     rf"\(also on {pages - 1} other pages\)$", run.err, re.MULTILINE), run.err
    assert "1 warning." in run.err


class Oracle(HTMLParser):
    """The ids and links of one page as the standard library's HTML parser reads them."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page, self.found = page, linkcheck.ParsedPage(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.found.ids.setdefault(value, []).append(line)
            elif name in linkcheck.LINK_ATTRIBUTES.get(tag, ()):
                self.found.add(line, tag, value)


def oracle(path: str, html: str) -> linkcheck.ParsedPage:
    """What the standard library's parser finds in a page."""
    reader = Oracle(path)
    reader.feed(html)
    reader.close()
    return reader.found


def test_the_scan_reads_what_an_html_parser_reads() -> None:
    """parse_page agrees with the standard library's HTML parser on every page of two real builds."""
    from explainer.model import Options
    from explainer.pipeline import make

    tricky = ('<!-- <a href="x"> --><p id=a title=\'a>b\'>x</p>\n<script>if (a<b) { "<a href=\\"no\\">" }</script>\n'
              '<A HREF="../y/?a=1&amp;b=2" id="q">y</A><img src=z.png alt="">\n<style>a[href="no"]{}</style><a name=n href=#a>')
    pages = [("tricky.html", tricky)]
    for content in (ROOT / "content", ROOT / "examples" / "english" / "content"):
        outputs = make(Options(content), search=False).outputs
        pages += [(o.path, o.content.decode("utf-8")) for o in outputs if o.path.endswith(".html")]
    for path, html in pages:
        scanned = linkcheck.parse_page(path, html)
        expected = oracle(path, html)
        assert scanned.ids == expected.ids, path
        assert scanned.links == expected.links, path


@pytest.mark.parametrize("html", [
    pytest.param("<p id=\"a\" class='b'>\n<a href='../x/' id=c>x</a><a href=y/>y</a>", id="quoting"),
    pytest.param("<p ID = 'a'\n   Title=\"x\">\n<a\nhref\n=\n\"x/\">x</a>", id="spaces-and-lines-inside-tags"),
    pytest.param("<p title='a > b' id=x><a title=\"<a href=no>\" href=yes>", id="markup-inside-quoted-values"),
    pytest.param("<p id=''>a</p><a href=\"\">b</a><p id>c</p><a id href=z>z</a><p data-id=d other=\"id=e\">", id="empty-and-look-alike"),
    pytest.param("<!-- <a href=no> -->\n<!--\n<p id=no>\n--><a href=yes>", id="comments"),
    pytest.param("<script>x = '<a href=\"no\">'</SCRIPT>\n<style>/* <p id=no> */</style><p id=yes>", id="script-and-style"),
    pytest.param("<script>s = '<a x=\"'</script><a href=\"y\" id=z><p title='\">", id="quote-in-script-reaches-past-its-end"),
    pytest.param("<DIV ID=Up><A HREF=Up/ NAME=n>x</A><IMG SRC=p.png><Video Poster=v.jpg src=v.mp4>", id="upper-case"),
    pytest.param("<a href='?a=1&amp;b=2&#x41;&#66;&lt;' id='&quot;q&quot;'>", id="entities"),
    pytest.param("<p name=n><a name=m><object data=o.svg><form action=f/><link href=s.css><span href=no src=no>",
                 id="names-by-tag"),
    pytest.param("<p id=a><p id=a>\n\n<p id=a>", id="repeated-ids"),
])
def test_odd_markup_is_read_as_an_html_parser_reads_it(html: str) -> None:
    page = f"<!doctype html>\n<html><body>\n{html}\n</body></html>\n"
    scanned = linkcheck.parse_page("p/index.html", page)
    expected = oracle("p/index.html", page)
    assert (scanned.ids, scanned.links) == (expected.ids, expected.links)
    assert scanned.ids or scanned.links  # every case has something to find


TWO = {
    "content/pages/two-budgets.md": "---\ntitle: Two budgets\n---\n\n## Costs\n\nText.\n",
    "content/pages/intro.md": "---\ntitle: Introduction\n---\n\nLook at the sky.\n\n{link}\n",
}


@pytest.mark.parametrize(("link", "expected"), [
    ("[two](../two-budget/)", ["content/pages/intro.md:7: warning: link '../two-budget/' leads to no page",
                               "       = fix: did you mean 'two-budgets'? link a page by its file, [words](other-page.md), or the "
                               "site's own parts from its root, [words](/facts/); [[fact:…]], [[term:…]] and [[cite:…]] "
                               "references always resolve"]),
    ("[two](/two-budget/)", ["content/pages/intro.md:7: warning: link '/two-budget/' leads to no page"]),
    ("[two](two-budget.md)", ["content/pages/intro.md:7: warning: link 'two-budget.md' leads to no page",
                              "       = fix: did you mean 'two-budgets.md'? a page is linked by its file in content/pages/: "
                              "[words](other-page.md)"]),
    ("See\n[the facts](/facts/#fact-skyy) now.", ["content/pages/intro.md:8: warning: link '/facts/#fact-skyy' points to "
                                                   "#fact-skyy, which facts/ does not have"]),
])
def test_broken_content_links_are_reported_at_their_source_line(make_site: Callable[..., Run], link: str, expected: list[str]) -> None:
    run = make_site({**TWO, "content/pages/intro.md": TWO["content/pages/intro.md"].format(link=link)})
    lines = run.err.splitlines()
    for line in expected:
        assert line in lines, run.err
    assert "site/" not in run.err  # never the built file
    assert run.err.count("warning:") == 1, run.err


@pytest.mark.parametrize(("link", "href"), [
    ("[two](two-budgets.md)", "../two-budgets/"),
    ("[two](two-budgets.md#top)", "../two-budgets/#top"),
    ("[two](./two-budgets.md)", "../two-budgets/"),
    ("[two](/pages/two-budgets.md)", "../two-budgets/"),
    ("[two](../two-budgets/)", "../two-budgets/"),
    ("[two](/two-budgets/)", "../two-budgets/"),
])
def test_links_to_a_pages_markdown_file_lead_to_the_page(make_site: Callable[..., Run], link: str, href: str) -> None:
    two = TWO["content/pages/two-budgets.md"].replace("## Costs", "<h2 id=\"costs\">Costs</h2>")
    run = make_site({"content/pages/two-budgets.md": two, "content/pages/intro.md": TWO["content/pages/intro.md"].format(link=link)},
                    "build", "--strict")
    assert run.code == 0, run.err
    assert f'<a href="{href}">two</a>' in run.page("intro/index.html")
    printed = run.page("print/index.html")
    assert '<a href="#page-two-budgets">two</a>' in printed  # in the print edition, to the page further down


def test_the_resolver_reads_each_url_once_and_agrees_with_the_long_way() -> None:
    """The resolver reads a URL once and joins it to each page's folder by counting its '../': for every mix of
    segments a URL or a page can have ('.', '..', empty ones, escapes, fragments, other hosts), over many pages
    sharing one resolver, it answers as working each link out afresh does."""
    rng = random.Random(14)
    pieces = ["..", ".", "", "a", "b", "%2e%2e", "c%20d", "index.html", "x.css", "한글"]
    starts = ["", "/repo/", "/", "//example.org/repo/", "https://example.org/repo/", "https://EXAMPLE.org/repo/",
              "https://example.org/other/", "http://elsewhere.org/", "javascript:", "mailto:", "  ", "/repo/../"]
    folders = ["", "a", "a/b", "a/b/c", "한글/x", "a/./b", "a//b", "a/../b", "%61/b", "./a"]
    resolver = linkcheck.Resolver(BASE)
    urls = []
    for _ in range(3000):
        path = "/".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
        fragment = rng.choice(["", "#", "#top", "#x%20y", "#한"])
        urls.append(rng.choice(starts) + path + fragment)
    for number in range(20000):
        url = urls[number % 700] if number % 2 else rng.choice(urls)  # many links repeat a URL, as on a site
        folder = rng.choice(folders)
        page = f"{folder}/index.html" if folder else "index.html"
        assert resolver.resolve(page, url) == resolver.resolve_anew(page, url), (page, url)


@pytest.mark.parametrize("href", ["//[x", "http://[::1", "https://[example.org/repo/"])
def test_what_no_browser_reads_as_a_url_is_a_broken_link_not_a_crash(href: str) -> None:
    # urlsplit raises on these (a bracket that opens no IPv6 address): a template may write them
    problems = messages([page("index.html", f'<a href="{href}">x</a>')])
    assert problems == [f"site/index.html: line 3: link {href!r} is not a URL a browser can follow"]
