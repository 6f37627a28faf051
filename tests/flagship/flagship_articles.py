"""The five source articles as the flagship's rules read them: each one's own text, without page furniture or repeats."""

from __future__ import annotations

from explainer.content.quotes import normalize_quote

# What of each article file is the article's own text (../shared/articles/README.md says which parts are
# page furniture): the text from `start` (or the beginning) up to `end` (or the end), less the
# `furniture` strings inside it.
ARTICLE_TEXT: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # Prints its body twice: the first copy ends at the reporter's e-mail; then unrelated headlines.
    "000_b91782b70bdbd4e9.txt": ("", "뉴욕=김현수 특파원 kimhs@donga.com", ()),
    # The column's standing blurb, and the related-articles box and banner at the end.
    "001_0200a4a0cae8c2e1.txt": ("", "관련기사", (
        "‘더테크 View’는 더테크 기자들의 시각이 반영된 칼럼입니다. 각종 테크 이슈, 그리고 취재과정에서 나온 "
        "다양한 의견과 생각들을 '색깔있는 관점'으로 풀어냅니다.",)),
    # The author box and the platform's links after the article.
    "002_5033c1815f34de27.txt": ("", "박지수 에디터 이미지", ()),
    "003_c8bcc6f35eca0e11.txt": ("", "", ()),
    # The aggregator's header, an image file name, and from the unrelated headlines on, its footer.
    "004_f3610bcdcc5283cc.txt": ("“메타, 한국 기업과 AI 동맹", "“1000명 일제히 벗었다”",
                                 ("news-p.v1.20230723.ed6058f368734485beaf05c76536c9fa_P1.jpg",)),
}


def article_text(name: str, raw: str) -> str:
    """The article's own text, normalised as quotes are compared: page furniture and repeats left out."""
    start, end, furniture = ARTICLE_TEXT[name]
    assert (not start or start in raw) and (not end or end in raw), f"{name}: the text no longer has its markers"
    text = raw[raw.index(start) if start else 0:raw.index(end) if end else len(raw)]
    for piece in furniture:
        assert piece in text, f"{name}: no furniture {piece[:30]!r}"
        text = text.replace(piece, "\n")
    return normalize_quote(text)
