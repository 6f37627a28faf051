"""The sanitiser and our own markup: author HTML cannot reach into ours, nor ours into an attribute.

Our parts are held out of the sanitiser by markers that carry a nonce drawn for each document:
content cannot forge one (or name a part that is not there), and a marker the author's HTML
puts inside a tag is dropped rather than filled in.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from explainer.model import DocLink, Loc
from explainer.text import markdown, markup


class LooseHooks:
    """Hooks whose text keeps quotes as they are: the sanitiser's design must hold even then."""

    def xref(self, kind: str, target: str, label: str, block: bool) -> str:
        return f'<a class="ours" href="../{kind}/{target}/" data-x="1">{label or target}</a>'

    def text(self, text: str, linkable: bool) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def section(self) -> None:
        pass

    def url(self, target: str) -> str:
        return "../" + target

    def label(self, name: str) -> str:
        return name


class Elements(HTMLParser):
    """Every start tag of a document with its attributes, as a browser's tokenizer sees them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def render(text: str) -> str:
    return markup.render(markdown.parse(text, Loc("page.md", 1)), LooseHooks())


def handlers(html: str) -> list[tuple[str, str]]:
    """Every event-handler attribute (on…) of every element."""
    return [(tag, name) for tag, attrs in Elements(html).tags for name in attrs if name.lower().startswith("on")]


FORGED = [
    # the page: a text part whose quotes would close an attribute a forged marker opened
    '" onerror="alert(1)" x=" <img src="x.png" alt="\ue0000\ue001">',
    '" autofocus onfocus="alert(1)" x=" <input alt="\ue0000\ue001"><b title="\ue0000\ue001">b</b>',
    '<b title="\ue000999\ue001">x</b>',  # a part that does not exist
    '<b title="\ue000-1\ue001">x</b> \ue0000\ue001 \ue000\ue001 \ue001\ue000',
    '<img alt="\ue000' + "0" * 32 + ':0\ue001"> "x" onload="alert(1)"',  # the marker's shape, without this document's nonce
]


@pytest.mark.parametrize("text", FORGED, ids=range(len(FORGED)))
def test_markers_written_in_content_are_only_text(text: str) -> None:
    html = render(text + "\n\nAnd [[term:x]].\n")
    assert handlers(html) == [], html
    assert "\ue000" in html or "\ue000" not in text  # the author's characters are kept, as text
    ours = [attrs for tag, attrs in Elements(html).tags if attrs.get("class") == "ours"]
    assert ours == [{"class": "ours", "href": "../term/x/", "data-x": "1"}], html


@pytest.mark.parametrize("opening", ['<div title="', "<div title='", '<p><img alt="', "<div title=", '<a href="https://x.org/'])
def test_our_parts_never_land_in_an_attribute_the_author_left_open(opening: str) -> None:
    # An HTML block ends at a blank line, leaving its attribute open over the paragraphs that follow (ours among them).
    html = render(f'{opening}\n\nA quote " onmouseover="alert(1)" x=" and [[term:x]] and [[fact:y|"y" onclick="z()"]].\n\n'
                  'more "text" <i class="z">i</i>\n')
    assert handlers(html) == [], html
    for tag, attrs in Elements(html).tags:
        for name, value in attrs.items():
            assert "class=\"ours\"" not in (value or "") and "<a" not in (value or ""), (tag, name, value)
    assert "\ue000" not in html and "\ue001" not in html  # no marker is left behind, filled or not


def test_the_nonce_never_reaches_the_output() -> None:
    text = "<b>raw</b> and [[term:x]] and text\n\n<i>more</i> [[fact:y]]\n"
    first, second = render(text), render(text)
    assert first == second
    assert "\ue000" not in first and "\ue001" not in first
    assert '<a class="ours" href="../term/x/" data-x="1">x</a>' in first


def test_text_reaching_html_has_its_quotes_escaped() -> None:
    from explainer.model import Term
    from explainer.text.glossary import Glossary, Linker

    term = Term("sky", 'the "sky"', "", (), "it's 'up'", None, (), (), True, Loc("t.yaml", 1), {})
    linker = Linker(Glossary.build((term,)), lambda term_id: f"../{term_id}/", lambda term_id: None)
    html = linker.text('x" onmouseover="alert(1)" \'y\' the "sky"', True)
    names = {name for _, attrs in Elements(html).tags for name in attrs}
    assert names == {"class", "href", "aria-describedby", "role", "id", "hidden"}, html
    text = re.sub(r"<[^>]*>", "", html)
    assert '"' not in text and "'" not in text, html
    assert "x&quot; onmouseover=&quot;alert(1)&quot; &#x27;y&#x27; the " in text
    assert "the &quot;sky&quot;" in text and "it&#x27;s &#x27;up&#x27;" in text


class ImageHooks(LooseHooks):
    """Hooks that show whether each image was given as a figure (a paragraph of its own) or inline."""

    def image(self, link: DocLink, path: str, figure: bool) -> str:
        return f'<img src="{link.target}" class="{"figure" if figure else "inline"}">'

    def link(self, link: DocLink, path: str) -> str:
        return link.target


@pytest.mark.parametrize(("text", "expected"), [
    ("![a](x.png)\n", ["figure"]),
    ("Text.\n\n![a](x.png)   \n\nMore.\n", ["figure"]),
    ("![a](x.png)\n![b](y.png)\n", ["inline", "inline"]),
    ("![a](x.png) and words\n", ["inline"]),
    ("Words ![a](x.png)\n", ["inline"]),
    ("*![a](x.png)*\n", ["inline"]),
    ("[![a](x.png)](https://example.org/)\n", ["inline"]),
    ("- ![a](x.png)\n", ["figure"]),  # an item of a tight list is a paragraph too
])
def test_an_image_alone_in_its_paragraph_is_a_figure(text: str, expected: list[str]) -> None:
    html = markup.render(markdown.parse(text, Loc("page.md", 1)), ImageHooks())
    assert re.findall(r'class="(figure|inline)"', html) == expected
