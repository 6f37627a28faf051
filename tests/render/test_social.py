"""Social cards: drawn for every page with fonts that have its characters (never boxes), or the page's or site's own image."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from conftest import MINI, Run
from explainer.media import fonts as font_module
from explainer.media.cards import HEIGHT, WIDTH, Card, CardMaker, Typesetter
from explainer.media.fonts import missing, system_fonts

KOREAN = "인공지능 동맹(AI Alliance)의 출범과 2023년 12월의 한국"


def hangul_fonts() -> tuple[font_module.Font, ...]:
    found = system_fonts()
    if not any(font.has("한") for font in found):
        pytest.skip("no font with Hangul on this machine (Debian: fonts-nanum)")
    return found


def test_every_character_of_a_korean_title_is_drawn_by_a_font_that_has_it() -> None:
    fonts = hangul_fonts()
    setter = Typesetter(fonts, [])
    drawn = "".join(run for _, run in setter.runs(KOREAN))
    assert drawn == KOREAN  # nothing left out
    for index, run in setter.runs(KOREAN):
        assert all(char.isspace() or fonts[index].has(char) for char in run), (fonts[index].name, run)


def test_a_character_no_font_has_is_left_out_never_drawn_as_a_box() -> None:
    fonts = hangul_fonts()
    maker = CardMaker(fonts)
    plain = maker.draw(Card("가나다", "Site", "example.org/", "#0b57b3", "#ffffff"))
    with_emoji = maker.draw(Card("가나다\U0001F389", "Site", "example.org/", "#0b57b3", "#ffffff"))
    assert missing("가나다\U0001F389", fonts) == "\U0001F389"
    assert with_emoji == plain
    empty = maker.draw(Card("", "Site", "example.org/", "#0b57b3", "#ffffff"))
    assert plain != empty  # the Hangul itself was drawn
    with Image.open(io.BytesIO(plain)) as image:
        assert image.size == (WIDTH, HEIGHT) and not image.info.get("exif")


def test_cards_are_drawn_for_every_page_and_are_the_same_bytes_each_build(make_site: Callable[..., Run]) -> None:
    hangul_fonts()
    korean = {"content/site.yaml": MINI["content/site.yaml"].replace("title: Mini", "title: 미니 사이트")}
    first = make_site(korean)
    assert first.code == 0, first.err
    cards = sorted(path.relative_to(first.site).as_posix() for path in (first.site / "cards").rglob("*.png"))
    assert cards == ["cards/corrections.png", "cards/facts.png", "cards/glossary.png", "cards/glossary/sky.png", "cards/index.png", "cards/intro.png",
                     "cards/sources.png", "cards/sources/paper.png"]
    before = {name: (first.site / name).read_bytes() for name in cards}
    again = make_site(korean)
    assert {name: (again.site / name).read_bytes() for name in cards} == before


def test_a_title_with_characters_no_font_has_is_a_warning(make_site: Callable[..., Run]) -> None:
    hangul_fonts()
    party = {"content/pages/intro.md": MINI["content/pages/intro.md"].replace("title: Introduction", "title: Party \U0001F389")}
    run = make_site(party)
    assert run.code == 0
    assert ("content/pages/intro.md: warning: the social card of this page is drawn without \U0001F389: no font found has them"
            in run.err.splitlines()), run.err
    strict = make_site(party, "build", "--strict")
    assert strict.code == 1 and "drawn without" in strict.err


def test_under_strict_a_card_warning_stops_the_build_where_no_link_check_follows(tmp_path: Path) -> None:
    # the preview builds without the link check, which was where a strict build stopped on errors before
    from conftest import write_tree
    from explainer.errors import BuildFailed
    from explainer.model import Options
    from explainer.pipeline import make

    hangul_fonts()
    write_tree(tmp_path, {**MINI, "content/pages/intro.md": MINI["content/pages/intro.md"].replace(
        "title: Introduction", "title: Party \U0001F389")})
    with pytest.raises(BuildFailed) as failed:
        make(Options(content_dir=tmp_path / "content", strict=True), links=False, search=False)
    assert [p.severity for p in failed.value.problems if "drawn without" in p.message] == ["error"]


def test_without_any_font_no_card_is_drawn_and_the_build_says_why(make_site: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("explainer.render.social.system_fonts", lambda: ())
    run = make_site()
    assert "content/site.yaml: warning: no social cards are drawn: no font was found to draw them with" in run.err.splitlines()
    assert not (run.site / "cards").exists()


def test_the_sites_own_font_file_comes_first_and_cards_can_be_switched_off(make_site: Callable[..., Run], site_root: Path) -> None:
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not dejavu.is_file():
        pytest.skip("DejaVu Sans is not on this machine")
    (site_root / "content/files").mkdir(parents=True)
    (site_root / "content/files/Body.ttf").write_bytes(dejavu.read_bytes())
    run = make_site({"content/site.yaml": MINI["content/site.yaml"] + "fonts:\n  latin: files/Body.ttf\n"}, "build", "--strict")
    assert run.code == 0, run.err
    assert (run.site / "files/Body.ttf").is_file()  # served for the pages' own text too
    off = make_site({"content/site.yaml": MINI["content/site.yaml"] + "cards: false\n"})
    assert off.code == 0 and not (off.site / "cards").exists()


def test_control_format_and_private_characters_draw_nothing_and_never_fail() -> None:
    """A title may hold anything a YAML string holds: bidi overrides, zero-width joiners, private-use and control characters."""
    fonts = hangul_fonts()
    maker = CardMaker(fonts)
    plain = maker.draw(Card("가나다 AI", "Site", "example.org/", "#0b57b3", "#ffffff"))
    hostile = "\u202e가나\u200d다\ue000 \x07AI\u2066\ufeff"
    assert [run for _, run in Typesetter(fonts, []).runs(hostile)] and "".join(
        run for _, run in Typesetter(fonts, []).runs(hostile)) == "가나다 AI"
    assert maker.draw(Card(hostile, "Site\u202e", "example.org/", "#0b57b3", "#ffffff")) == plain
