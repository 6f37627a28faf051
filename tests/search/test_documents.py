"""What the search index is built from: page text block by block, and each fact on its own."""

from __future__ import annotations

import pytest

from explainer.cancel import Cancelled
from explainer.model import Output
from explainer.search.documents import read_page, search_documents


def page(main: str, head: str = "") -> str:
    return (f"<!doctype html><html lang='ko'><head><title>t</title>{head}</head><body>"
            f"<header><nav><a href='x'>메뉴</a></nav><form><label>검색</label></form></header>"
            f"<main id='main'>{main}</main><footer>저작권</footer></body></html>")


def texts(html: str) -> list[tuple[str, str]]:
    return [(block.tag, block.text) for block in read_page("p/index.html", html).blocks if block.in_main]


def test_inline_elements_join_and_tooltips_are_left_out() -> None:
    html = page('<p>칩을 설계하는 <span class="term"><a href="g/">팹리스</a>'
                '<span class="term-tip" role="tooltip">공장이 없는 기업.</span></span>와 <em>파운드리</em>가</p>')
    assert texts(html) == [("p", "칩을 설계하는 팹리스와 파운드리가")]


def test_blocks_and_br_separate_words_and_headings_keep_their_level() -> None:
    html = page("<h1>제목</h1><p>첫 줄<br>둘째 줄</p><ul><li>하나</li><li>둘</li></ul><h2 id='x'>소제목</h2><p>끝</p>")
    assert texts(html) == [("h1", "제목"), ("p", "첫 줄 둘째 줄"), ("p", "하나"), ("p", "둘"), ("h2", "소제목"), ("p", "끝")]


def test_ignored_hidden_navigation_scripts_and_forms_are_left_out() -> None:
    html = page("<p>보이는 글</p><p data-pagefind-ignore>이동 링크</p><div hidden>숨김</div><nav>차례</nav>"
                "<script>var x = '코드';</script><p aria-hidden='true'>장식</p><form><button>찾기</button></form>"
                "<section data-pagefind-ignore><h2>관련 용어</h2><ul><li>사과</li></ul></section><p>마지막</p>")
    assert texts(html) == [("p", "보이는 글"), ("p", "마지막")]


def test_entities_and_whitespace_are_read_as_text() -> None:
    assert texts(page("<p>AT&amp;T와\n   &lt;칩&gt;</p>")) == [("p", "AT&T와 <칩>")]


def test_marked_bodies_decide_what_is_indexed() -> None:
    marked = Output("a/index.html", page("<article data-pagefind-body><h1>가</h1><p>본문</p></article><p>밖</p>").encode())
    unmarked = Output("b/index.html", page("<h1>나</h1><p>목록</p>").encode())
    docs = search_documents([marked, unmarked], {})
    assert [(d.url, d.title, [b.text for b in d.blocks]) for d in docs] == [("a/", "가", ["가", "본문"])]
    alone = search_documents([unmarked], {})  # no page is marked: each page's <main> is indexed
    assert [(d.url, d.title, [b.text for b in d.blocks]) for d in alone] == [("b/", "나", ["나", "목록"])]


def test_each_fact_is_a_result_linking_to_its_anchor_and_the_facts_page_is_not() -> None:
    facts = Output("facts/index.html", page(
        "<h1>사실</h1><section><h2 id='group-a'>묶음</h2>"
        "<article class='fact' id='fact-one'><p>2023년</p><p>첫째 주장.</p><blockquote><p>근거 인용</p></blockquote></article>"
        "<article class='fact' id='fact-two'><p>둘째 주장.</p></article></section>").encode())
    missing = Output("404.html", page("<h1>없음</h1>").encode())
    docs = search_documents([facts, missing], {"one": "첫째 주장."})
    assert [(d.url, d.kind, d.title, [b.text for b in d.blocks]) for d in docs] == [
        ("facts/#fact-one", "fact", "첫째 주장.", ["2023년", "첫째 주장.", "근거 인용"]),
        ("facts/#fact-two", "fact", "둘째 주장.", ["둘째 주장."]),
    ]


def test_home_page_url_is_the_site_root() -> None:
    docs = search_documents([Output("index.html", page("<p data-pagefind-body>소개</p>").encode())], {})
    assert [(d.url, d.title) for d in docs] == [("", "소개")]


def test_text_left_out_keeps_its_boundaries() -> None:
    html = page("<p>앞<span hidden>숨김<br>글</span>뒤</p><div>위<aside data-pagefind-ignore><p>관련</p></aside>아래</div>"
                "<p>가<!-- 주석 -->나</p>")
    assert texts(html) == [("p", "앞 뒤"), ("p", "위"), ("p", "아래"), ("p", "가나")]


def test_pages_are_parsed_as_a_browser_parses_them() -> None:
    # unclosed paragraphs end where a browser ends them; bytes are read as UTF-8, the encoding of every page we write
    html = page("<p>하나<p>둘<ul><li>셋</ul>넷")
    assert texts(html) == [("p", "하나"), ("p", "둘"), ("p", "셋"), ("p", "넷")]
    assert [b.text for b in read_page("p/index.html", html.encode()).blocks if b.in_main] == ["하나", "둘", "셋", "넷"]


def test_elements_nested_deeper_than_python_recurses_are_read() -> None:
    depth = 5000  # sanitised Markdown HTML may nest this deep (nh3 keeps it)
    html = page("<div>" * depth + "<span>깊은</span> 글" + "</div>" * depth)
    assert texts(html) == [("p", "깊은 글")]


def test_each_page_is_a_result_of_its_kind() -> None:
    pages = [Output(path, page(f"<article data-pagefind-body><h1>{path}</h1><p>글</p></article>").encode())
             for path in ("index.html", "overview/index.html", "glossary/index.html", "glossary/x/index.html",
                          "sources/index.html", "sources/y/index.html")]
    docs = search_documents(pages, {})
    assert [(d.url, d.kind) for d in docs] == [("", "home"), ("overview/", "page"), ("glossary/", "page"), ("glossary/x/", "term"),
                                               ("sources/", "page"), ("sources/y/", "source")]


def test_reading_stops_at_the_next_page_once_cancelled() -> None:
    # the preview's index runs beside its rebuilds: a new edit must stop it within a page, not after every page
    pages = [Output(f"p{n}/index.html", f"<main data-pagefind-body><h1>Page {n}</h1></main>".encode()) for n in range(50)]
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 3

    with pytest.raises(Cancelled):
        search_documents(pages, {}, None, cancelled)
    assert len(asked) == 4
    assert len(search_documents(pages, {})) == 50
