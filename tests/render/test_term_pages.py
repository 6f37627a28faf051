"""Term pages: where each term appears, term pages included, rendered once for the default theme and exactly for any theme."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from conftest import Run, write_tree
from explainer.cache import Cache
from explainer.model import Options
from explainer.pipeline import make
from support import KOREAN, soup

# besides KOREAN's 팹리스 (linking 파운드리 in its body) and 파운드리 (linking 팹리스 in its body): terms
# whose pages link the two from everywhere else the default theme's term page shows Markdown
TERMS = {
    "content/glossary/wafer.yaml": ("term: 웨이퍼\nshort: 칩을 만드는 원판.\nimage:\n  file: ../files/wafer.png\n"
                                    "  alt: 둥근 원판\n  caption: 팹리스가 설계한 칩이 놓인다.\n  credit: own\n"),
    "content/glossary/node.yaml": ("term: 공정\nshort: 칩을 만드는 방법.\ncorrections:\n  - date: 2024-05-01\n"
                                   "    change: 파운드리의 이름을 고쳤다.\n    reason: 오타.\n"),
    "content/glossary/yield.yaml": "term: 수율\nshort: 쓸 수 있는 칩의 비율.\nbody: \"[[fact:design2]]\"\n",
}


def png() -> bytes:
    """A small PNG image."""
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def appearing_terms(run: Run, term_id: str) -> list[str]:
    """The titles of the term pages a term's page lists among the pages it appears on, in order.

    (The glossary index is listed beside them when it links the term, from the corrections it lists.)
    """
    links = soup(run, f"glossary/{term_id}/index.html").select("ul.appearance-terms a")
    return [a.get_text() for a in links if a["href"] != "../"]


def test_term_pages_list_the_term_pages_linking_them(make_site: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "content/files").mkdir(parents=True)
    (tmp_path / "content/files/wafer.png").write_bytes(png())
    run = make_site(TERMS, base=KOREAN)
    assert run.code == 0, run.err
    assert appearing_terms(run, "fabless") == ["수율", "웨이퍼", "파운드리"]  # a fact card, a caption, a body
    assert appearing_terms(run, "foundry") == ["공정", "수율", "팹리스"]  # a correction, a fact card, a body
    assert appearing_terms(run, "yield") == []
    facts = soup(run, "glossary/foundry/index.html").select("ul.appearance-facts a")
    assert [a["href"] for a in facts] == ["../../facts/#fact-design2"]


def term_renderings(root: Path, cache: Cache) -> dict[str, object]:
    """Build the site at `root` in memory with `cache`; return the term pages it keeps, by name (`term:<id>:<rendering>`)."""
    make(Options(root / "content", root / "site"), cache, links=False, search=False)
    return {name: entry for name, entry in cache.section("pages").entries.items() if name.startswith("term:")}


def test_the_default_theme_renders_each_term_page_once_and_reuses_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {**KOREAN, **TERMS})
    (tmp_path / "content/files").mkdir(parents=True)
    (tmp_path / "content/files/wafer.png").write_bytes(png())
    cache = Cache()
    kept = term_renderings(tmp_path, cache)
    assert sorted(kept) == [f"term:{name}:2" for name in ("fabless", "foundry", "node", "wafer", "yield")]
    again = term_renderings(tmp_path, cache)
    assert all(again[name] is kept[name] for name in kept)  # not rendered again: reused


# a theme whose term pages link terms from the site's introduction too, and never show a term's image
LINKING_THEME = {
    "content/site.yaml": KOREAN["content/site.yaml"] + "intro: 이 사이트는 팹리스와 수율을 설명한다.\n",
    "content/glossary/yield.yaml": "term: 수율\nshort: 쓸 수 있는 칩의 비율.\n",
    "content/glossary/wafer.yaml": TERMS["content/glossary/wafer.yaml"].replace("팹리스가 설계한", "파운드리가 만든"),
    "templates/term.html": ("{% extends 'base.html' %}\n{% block main %}<main>{{ body }}\n{{ md(config.intro) }}\n"
                            "<ul class=\"appearance-terms\">{% for item in appearances.terms %}"
                            "<li><a href=\"{{ url(item.path) }}\">{{ item.title }}</a></li>{% endfor %}</ul></main>{% endblock %}\n"),
}


def test_a_theme_linking_other_terms_on_term_pages_is_listed_exactly(make_site: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "content/files").mkdir(parents=True)
    (tmp_path / "content/files/wafer.png").write_bytes(png())
    run = make_site(LINKING_THEME, base=KOREAN)
    assert run.code == 0, run.err
    assert appearing_terms(run, "fabless") == ["수율", "웨이퍼", "파운드리"]  # the introduction on 수율's and 웨이퍼's pages
    assert appearing_terms(run, "yield") == ["웨이퍼", "파운드리", "팹리스"]
    assert appearing_terms(run, "foundry") == ["팹리스"]  # not 웨이퍼: this theme does not show its image, nor its caption
    assert appearing_terms(run, "wafer") == []
    cache = Cache()
    kept = term_renderings(tmp_path, cache)
    assert sorted(kept) == [f"term:{name}:{n}" for name in ("fabless", "foundry", "wafer", "yield") for n in (2, 3)]  # again, knowing
    again = term_renderings(tmp_path, cache)
    assert all(again[name] is kept[name] for name in kept)  # both renderings reused
