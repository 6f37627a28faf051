"""Links to the quoted words themselves: URL text fragments (`#:~:text=`), as the WICG scroll-to-text-fragment spec has them.

A browser that knows them (Chromium, Firefox 131+, Safari 18.4+) scrolls to the words and marks
them; any other opens the page as an ordinary link. A short quotation is given whole; a long one by
its first and last words (`textStart,textEnd`), so the link survives small differences inside it
(a line break, a footnote mark, a link) and stays short. Matching is the browser's: case and runs of
whitespace do not matter, and the words must start and end at word boundaries.
"""

from __future__ import annotations

from urllib.parse import quote

EDGE_WORDS = 4  # a quotation of more than twice this many words is given by its first and last EDGE_WORDS words
# Characters a text directive may hold as they are (the spec's TextDirectiveExplicitChar, letters and digits aside);
# '-', '&' and ',' are the directive's own syntax and are always percent-encoded, like everything else.
SAFE = "!$'()*+./:;=?@_~"


def encode(text: str) -> str:
    """Percent-encode one part of a text directive (UTF-8), '-' included: Python's quote() leaves it as it is."""
    return quote(text, safe=SAFE).replace("-", "%2D")


def text_directive(words: str) -> str:
    """The text directive that finds `words` in a page: `text=start` or, for a long quotation, `text=start,end`."""
    spaced = words.split()
    if len(spaced) > 2 * EDGE_WORDS:
        start, end = " ".join(spaced[:EDGE_WORDS]), " ".join(spaced[-EDGE_WORDS:])
        return f"text={encode(start)},{encode(end)}"
    return f"text={encode(' '.join(spaced))}"


def link_to_words(url: str, words: str) -> str:
    """Return `url` with a text fragment that leads to `words` on that page (its own fragment, if any, kept)."""
    if not words.strip():
        return url
    base, hash_, fragment = url.partition("#")
    if ":~:" in fragment:  # the address already carries directives: add one
        return f"{url}&{text_directive(words)}"
    return f"{base}#{fragment if hash_ else ''}:~:{text_directive(words)}"

