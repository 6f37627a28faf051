"""A corpus of XSS payloads in every field that reaches HTML, built, read back, and loaded in Chromium:
no dialog ever opens, no element carries a handler, no script but ours, no javascript: link.

Markdown fields get markup and link vectors (raw HTML the sanitiser must clean, links it must not
make, the sanitiser's own markers); plain fields get context breakouts (quotes, `</title>`,
`</script>`); whatever reaches JSON-LD gets `</script>` too. In the browser every page is loaded,
then every element is sent the events inline handlers listen for, with a dialog handler that
records any alert, confirm or prompt.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from conftest import MINI, write_tree
from siteserver import ServedSite, serve_site

from .harness import DESKTOP, Built, View, Views, build_site, report, site_pages

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

# Breakouts for plain text: every context a value can land in (element text, a quoted or unquoted
# attribute, <title>, a <script> of JSON-LD), and the sanitiser's markers.
PLAIN = [
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(2)>",
    "</script><script>alert(3)</script>",
    '" autofocus onfocus="alert(4)" x="',
    "' autofocus onfocus='alert(5)' x='",
    "</title><script>alert(6)</script>",
    "x onmouseover=alert(7) y",
    "\ue0000\ue001 \ue000999\ue001 \ue001\ue000",
    "javascript:alert(8)",
    "<!-- --!> <![CDATA[ ]]> \u2028\u2029 &lt;script&gt;alert(9)&lt;/script&gt;",
]
# Markup and link vectors for Markdown: raw HTML for nh3, links for markdown-it, and our own syntax around them.
MARKUP = [
    '<img src="x.png" alt="\ue0000\ue001">',
    '" onerror="alert(11)" x=" <img src="x.png" alt="\ue0000\ue001">',
    '" autofocus onfocus="alert(12)" x=" <input alt="\ue0000\ue001"><b title="\ue000999\ue001">b</b>',
    "[a](javascript:alert(13)) [b](JaVaScRiPt:alert(14)) [c](vbscript:msgbox) [d](data:text/html,<script>alert(15)</script>)",
    '<a href="javascript:alert(16)">e</a> <a href="jav&#x09;ascript:alert(17)">f</a> <a href=" javascript:alert(18)">g</a>',
    "<javascript:alert(19)> <https://example.org/\"onmouseover=\"alert(20)>",
    '<svg><script>alert(21)</script></svg> <iframe src="javascript:alert(22)"></iframe> <object data="x"></object>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(23)></style></mglyph></table></mtext></math>",
    '<details open ontoggle="alert(24)">h</details> <style>*{background:url("javascript:alert(25)")}</style>',
    '![i](x" onerror="alert(26)) ![j](javascript:alert(27))',
    '[[term:sky|" autofocus onfocus="alert(28)" x="]] and [[fact:sky|\'><svg onload=alert(29)>]]',
    '<div title="\n\nA paragraph " onmouseover="alert(30)" x=" with [[term:sky]] and "quotes" <i class="z">i</i>',
    "<img src=x onerror=alert(31)//",
]
EVERYTHING = " ".join(PLAIN)
BLOCK = "\n\n".join(MARKUP + PLAIN)
INLINE = " ".join(line.replace("\n", " ") for line in MARKUP + PLAIN)


def quoted(text: str) -> str:
    """A YAML double-quoted scalar holding `text` exactly (JSON's escapes are YAML's)."""
    return json.dumps(text)


def hostile_site() -> dict[str, str]:
    """MINI with a payload in every field that reaches HTML."""
    return {
        **MINI,
        "content/site.yaml": (
            f"title: {quoted('Mini ' + EVERYTHING)}\ndescription: {quoted(EVERYTHING)}\nlanguage: en\n"
            f"base_url: https://example.org/mini/\ncopyright: {quoted(EVERYTHING)}\nauthor: {quoted(EVERYTHING)}\n"
            f"publisher: {quoted(EVERYTHING)}\nlocale: {quoted(EVERYTHING)}\nintro: {quoted(BLOCK)}\n"
            "labels:\n" + "".join(f"  {name}: {quoted(name + ' ' + EVERYTHING)}\n"
                                  for name in ("facts", "glossary", "sources", "fact_card", "search_unavailable", "print_edition"))
        ),
        "content/sources/paper.yaml": (
            f"title: {quoted(EVERYTHING)}\noutlet: {quoted(EVERYTHING)}\nauthor: {quoted(EVERYTHING)}\npublished: 2023-12\n"
            f"published_note: {quoted(EVERYTHING)}\nlanguage: en\n"
            f"url: 'https://example.org/\"><script>alert(40)</script>'\nnote: {quoted(INLINE)}\nexcerpts:\n"
            f"  - id: one\n    text: {quoted('The sky is blue on clear days. ' + EVERYTHING)}\n    note: {quoted(INLINE)}\n"
            f"  - id: two\n    text: {quoted('Grass is green.')}\n"
        ),
        "content/sources/other.yaml": (
            f"outlet: {quoted(EVERYTHING)}\nlanguage: en\nexcerpts:\n  - id: one\n    text: {quoted('Grass is green. ' + EVERYTHING)}\n"
        ),
        "content/facts/nature.yaml": (
            f"title: {quoted(EVERYTHING)}\nintro: {quoted(INLINE)}\nfacts:\n"
            f"  - id: sky\n    claim: {quoted('The sky looks blue. ' + INLINE)}\n    when: 2023-12\n    evidence: [paper#one]\n"
            f"    tags: [{quoted(EVERYTHING)}]\n    note: {quoted(INLINE)}\n"
            f"  - id: grass\n    claim: {quoted(INLINE)}\n    evidence: [paper#two, other#one]\n    disagreement: {quoted(INLINE)}\n"
        ),
        "content/glossary/sky.yaml": (
            f"term: sky\nen: {quoted(EVERYTHING)}\nshort: {quoted(EVERYTHING)}\n"
            f"aliases: [{quoted(PLAIN[0])}, {quoted(PLAIN[2])}]\nbody: {quoted(BLOCK)}\nevidence: [paper#one]\n"
        ),
        "content/glossary/payload.yaml": f"term: {quoted(PLAIN[1] + ' ' + PLAIN[3])}\nshort: {quoted(EVERYTHING)}\n",
        "content/pages/intro.md": (
            f"---\ntitle: {quoted(EVERYTHING)}\nsummary: {quoted(EVERYTHING)}\n---\n\n{BLOCK}\n\n[[fact:sky]]\n\n[[quote:paper#one]]\n\n"
            f"[[timeline]]\n\nA [[cite:paper#one]] and [[quote:paper#one]] inline.\n"
        ),
        "content/pages/plain.md": f"---\ntitle: Plain\n---\n\n{BLOCK}\n",
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("hostile")
    write_tree(root, hostile_site())
    return build_site(root / "content", root / "site")


@pytest.fixture(scope="module")
def hostile_served(hostile: Built) -> Iterator[ServedSite]:
    with serve_site(hostile.folder, hostile.base_path) as site:
        yield site


OURS = {"assets/explainer.js", "assets/search.js"}
DANGEROUS = ("iframe", "object", "embed", "svg:not(.icon)", "math", "style", "textarea", "base", "meta[http-equiv]", "link[rel=import]",
             "form:not(.site-search)", "input:not(#site-search)")  # the theme's own search form is the one form


ICON = {"class", "aria-hidden", "focusable", "viewbox", "width", "height"}


def problems_in(path: Path, root: Path) -> list[str]:
    """What a page holds that no payload may produce: handlers, scripts not ours, script URLs, dangerous elements."""
    html = path.read_text(encoding="utf-8")
    doc = BeautifulSoup(html, "html.parser")
    found = []
    for element in doc.find_all(True):
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"<{element.name} {name}=…>")
            if name.lower() in ("href", "src", "action", "formaction", "data", "srcset") and \
                    re.match(r"\s*(javascript|vbscript|data)\s*:", text, re.IGNORECASE):
                found.append(f"<{element.name} {name}={text[:40]}>")
    for script in doc.find_all("script"):
        if script.get("type") == "application/ld+json":
            raw = script.string or ""
            json.loads(raw)  # well-formed: nothing broke out of it
            if "</" in raw or "<!--" in raw:
                found.append("JSON-LD holding '</' or '<!--'")
        elif not any(str(script.get("src", "")).endswith(asset) for asset in OURS) or script.string:
            found.append(f"a script not ours: {str(script)[:60]}")
    for selector in DANGEROUS:
        found += [f"a <{selector}> element" for _ in doc.select(selector)]
    for icon in doc.select("svg.icon"):  # the theme's icons (macros.html): shapes and nothing else
        if set(icon.attrs) != ICON or any(shape.name not in ("path", "circle") or set(shape.attrs) - {"d", "cx", "cy", "r"}
                                          for shape in icon.find_all(True)):
            found.append(f"an icon that is not the theme's: {str(icon)[:60]}")
    if re.search("\ue000[0-9a-f]{32}:", html):
        found.append("a marker of the sanitiser left in the page")
    return [f"{path.relative_to(root)}: {problem}" for problem in found]


def test_the_payloads_reach_the_pages_as_text(hostile: Built) -> None:
    intro = (hostile.folder / "intro" / "index.html").read_text(encoding="utf-8")
    assert "&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;" in intro  # shown, as text
    assert "&quot; autofocus onfocus=&quot;alert(4)&quot; x=&quot;" in intro
    term = (hostile.folder / "glossary" / "sky" / "index.html").read_text(encoding="utf-8")
    ld = BeautifulSoup(term, "html.parser").find("script", type="application/ld+json")
    assert ld is not None and "</script><script>alert(3)</script>" in json.dumps(json.loads(ld.string or ""), ensure_ascii=False)


def test_no_page_holds_a_handler_a_foreign_script_or_a_script_link(hostile: Built) -> None:
    pages = sorted(hostile.folder.rglob("*.html"))
    assert len(pages) >= 10
    found = [problem for page in pages for problem in problems_in(page, hostile.folder)]
    assert not found, "\n".join(found)


def test_no_dialog_opens_in_chromium_on_any_page(browser: Browser, hostile: Built, hostile_served: ServedSite) -> None:
    views = Views(browser, hostile_served)
    dialogs: list[str] = []
    try:
        tab = views.tab(View(DESKTOP))

        def opened(dialog: object) -> None:
            dialogs.append(f"{tab.page.url}: {dialog.type} {dialog.message!r}")  # type: ignore[attr-defined]
            dialog.dismiss()  # type: ignore[attr-defined]

        tab.page.on("dialog", opened)
        problems: dict[str, list[str]] = {}
        for path in site_pages(hostile.folder):
            page = tab.visit(path)
            page.wait_for_load_state("networkidle")
            # every event an inline handler of the corpus listens for, sent to every element
            page.evaluate("""() => { for (const element of document.querySelectorAll('*')) {
                for (const kind of ['mouseover', 'focus', 'error', 'load', 'toggle', 'click']) {
                    if (kind === 'click' && element.closest('a, button, form')) continue;  // would leave the page
                    element.dispatchEvent(new Event(kind));
                } } }""")
            page.wait_for_timeout(50)
            outside = [problem for problem in tab.log.problems() if "outside the site" in problem]
            if outside:
                problems[path] = outside
        assert not dialogs, "\n".join(dialogs)
        assert not problems, report(problems)
    finally:
        views.close()
