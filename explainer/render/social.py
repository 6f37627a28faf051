"""The image each page shows in link previews: its own (`image:`), the site's (`social_image:`), else a card drawn for it.

Cards are drawn once every page is rendered (media/cards.py), with the site's font files and
then the machine's (media/fonts.py), and kept in the cache's `cards` section between builds
(key: the card's words and colours and the fonts' bytes). A character no font has is left out
of its card and named in a warning; with no font at all, no card is drawn and the build says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..cache import Cache, Digest, Section, digest
from ..content.targets import resolve
from ..errors import Problem
from ..media.cards import HEIGHT, WIDTH, Card, CardMaker
from ..media.contrast import DEFAULT_ACCENT, readable_on
from ..media.fonts import Font, load_font, missing, system_fonts
from ..model import Output, Site

FOLDER = "cards"
FONT_HINT = ("name a font file that has them under `fonts:` in site.yaml (TTF or OTF in content/files/), or install one "
             "(Debian: sudo apt-get install fonts-nanum for Hangul); `cards: false` draws none")


@dataclass(frozen=True, slots=True)
class SocialImage:
    """What a page's preview shows: an image's absolute URL and size, and its text alternative."""

    url: str
    width: int
    height: int
    alt: str


# A card a page shows: its file in the site, the card, and the content file the page shows (for messages).
CardWant = tuple[str, Card, str]


@dataclass(slots=True)
class Cards:
    """The cards of one build: each page's words, drawn at the end."""

    site: Site
    wanted: dict[str, tuple[Card, str]] = field(default_factory=dict)  # output path -> card, the file the page shows (messages)
    found: tuple[Font, ...] | None = None  # `fonts`, once asked: what is wanted is checked, then drawn, with the same

    def want(self, card: CardWant) -> None:
        """Draw this card at the end of the build."""
        self.wanted[card[0]] = (card[1], card[2])

    def image_for(self, page_path: str, title: str, own: str, origin: str) -> tuple[SocialImage | None, CardWant | None]:
        """The social image of the page at `page_path` ('' the home page): its own, the site's, else its card (and the card)."""
        site, config = self.site, self.site.config
        for written, where in ((own, origin), (config.look.social_image, "site.yaml")):
            if written:
                target = resolve(written, site.paths.get(where, where), site)
                if target.kind == "asset":
                    asset = site.assets[target.path]
                    return SocialImage(config.absolute(asset.url), asset.width, asset.height, title), None
        if not config.look.cards:
            return None, None
        name = f"{FOLDER}/{page_path.rstrip('/') or 'index'}.png"
        address = urlsplit(config.base_url)
        background = config.look.accent[0] or DEFAULT_ACCENT
        card = Card(title, config.title, address.netloc + address.path, background, readable_on(background))
        want = (name, card, origin)
        self.want(want)
        return SocialImage(config.absolute(name), WIDTH, HEIGHT, title), want

    def fonts(self) -> tuple[Font, ...]:
        """The site's font files (Hangul first on a Korean site), then the machine's."""
        if self.found is not None:
            return self.found
        look = self.site.config.look
        order = (look.font_hangul, look.font_latin) if self.site.config.primary_language == "ko" else (look.font_latin, look.font_hangul)
        own: list[Font] = []
        for written in order:
            target = resolve(written, "site.yaml", self.site) if written else None
            if target is not None and target.kind == "asset" and target.path.lower().endswith((".ttf", ".otf")):
                font = load_font(target.path, self.site.assets[target.path].data)
                if font is not None:
                    own.append(font)
        self.found = (*own, *system_fonts())
        return self.found

    def problems(self) -> list[Problem]:
        """What `outputs` warns of, known before any card is drawn: a build that draws them later stops on them first."""
        fonts = self.fonts() if self.wanted else ()
        if self.wanted and not fonts:
            return [self.no_font()]
        return [_lost(origin, lost) for _, (card, origin) in sorted(self.wanted.items()) if (lost := missing(card.title + card.site, fonts))]

    def no_font(self) -> Problem:
        return Problem(self.site.config.loc.path, 0, "no social cards are drawn: no font was found to draw them with", FONT_HINT, "warning")

    def outputs(self, cache: Cache | None, warnings: list[Problem]) -> list[Output]:
        """Every card wanted, drawn (or taken from the cache); a warning for each character a card had to leave out."""
        if not self.wanted:
            return []
        fonts = self.fonts()
        if not fonts:
            warnings.append(self.no_font())
            return []
        section = cache.section("cards") if cache is not None else None
        if section is not None:
            section.start()
        maker, fonts_key = drawing(fonts)
        outputs: list[Output] = []
        for name, (card, origin) in sorted(self.wanted.items()):
            key = card_key(card, fonts_key)
            found: tuple[bytes, str] | None = section.lookup(name, key) if section is not None else None
            if found is None:
                found = (maker.draw(card), missing(card.title + card.site, fonts))
                if section is not None:
                    section.store(name, key, found)
            data, lost = found
            if lost:
                warnings.append(_lost(origin, lost))
            outputs.append(Output(name, data, origin))
        if section is not None:
            section.sweep()
        return outputs

    def undrawn(self, section: Section) -> list[CardWant]:
        """The cards wanted that `section` does not hold drawn with these fonts, in the order `outputs` draws them."""
        fonts = self.fonts() if self.wanted else ()
        if not fonts:
            return []
        _, fonts_key = drawing(fonts)
        return [(name, card, origin) for name, (card, origin) in sorted(self.wanted.items())
                if not section.stored(name, card_key(card, fonts_key))]

    def draw_ahead(self, section: Section) -> None:
        """Draw the cards wanted so far into `section`, under the names and keys `outputs` looks for (a worker's share)."""
        fonts = self.fonts() if self.wanted else ()
        if not fonts:
            return
        maker, fonts_key = drawing(fonts)
        for name, (card, _) in sorted(self.wanted.items()):
            section.store(name, card_key(card, fonts_key), (maker.draw(card), missing(card.title + card.site, fonts)))


def _lost(origin: str, lost: str) -> Problem:
    """The warning for a card drawn without the characters `lost` (no font has them)."""
    return Problem(origin, 0, f"the social card of this page is drawn without {', '.join(lost)}: no font found has them", FONT_HINT,
                   "warning")


def drawing(fonts: tuple[Font, ...]) -> tuple[CardMaker, Digest]:
    """What draws cards with `fonts`, and the fonts' part of every card's key."""
    return CardMaker(fonts), digest(*(font.key for font in fonts))


def card_key(card: Card, fonts_key: Digest) -> Digest:
    """What a drawn card depends on: its words and colours, and the fonts' bytes."""
    return digest(repr(card), fonts_key)
