"""The generated benchmark site as data: N pages, a 200-term glossary, 500 facts and the sources behind them.

Deterministic: every part comes from a random stream seeded by a fixed string, so the same N gives the
same corpus byte for byte. A page's text depends on its number (and on N only through the pages it
links to), so the 100-page site's pages read like the first 100 of the 1,000-page site.

Page bodies are written in explainer's Markdown: `[[fact:…]]`, `[[term:…]]`, `[[cite:…]]` and
`[[quote:…]]` references, and links from the site root (`/page-0042/`). `sitegen.py` writes them out
for each tool.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SEED = "explainer-bench-2026"
TERMS = 200
FACTS = 500
SOURCES = 100
EXCERPTS_PER_SOURCE = 6  # 600 excerpts: 500 first evidence, 100 second evidence
FACT_GROUPS = 10
WORDS = (600, 840)  # words a page aims at; the last paragraph may add up to about 60 (pages have 600-900 words)

# Latin syllables and the Hangul a Korean writer would transliterate each into (Kalomi -> 칼로미).
LATIN_TO_HANGUL = {
    "ka": "카", "lo": "로", "mi": "미", "ra": "라", "te": "테", "su": "수", "no": "노", "vi": "비", "da": "다",
    "pe": "페", "zo": "조", "ri": "리", "ban": "반", "tor": "토르", "mel": "멜", "quin": "퀸", "sa": "사",
    "fu": "푸", "gre": "그레", "ol": "올", "nex": "넥스", "ti": "티", "mor": "모르", "ven": "벤",
}
LATIN = tuple(LATIN_TO_HANGUL)
# Syllables for Korean filler words: common initial-vowel pairs, some with a final consonant.
HANGUL = tuple("가나다라마바사아자차카타파하고노도로모보소오조호구누두루무부수우주기니디리미비시지"
               "개내대래매새재해게네데세제강남당상장공동송종건선전한산만반단안간민신진정성경명영평")
SUFFIXES = ("연합", "모델", "기술", "플랫폼", "시장", "재단", "프로토콜", "반도체", "규격", "생태계")
SUFFIXES_EN = ("Alliance", "Model", "Technology", "Platform", "Market", "Foundation", "Protocol", "Chip", "Standard", "Ecosystem")
ENDINGS = ("합니다", "했습니다", "됩니다", "있습니다", "보입니다", "말합니다", "나타납니다", "이어집니다")
EN_GLUE = ("the", "of", "and", "to", "in", "is", "that", "for", "with", "as", "on", "by", "this", "was", "are", "from")
BATCHIM_PARTICLES = ("을", "은", "이", "과", "으로", "에서", "의", "도", "에", "까지", "처럼", "이나", "에서는", "으로는")
OPEN_PARTICLES = ("를", "는", "가", "와", "로", "에서", "의", "도", "에", "까지", "처럼", "나", "에서는", "로는")
LATIN_PARTICLES = ("의", "에서", "도", "에", "까지", "처럼", "에서는", "만")
OUTLETS = ("한빛일보", "새벽신문", "Tech Ledger", "미래경제", "The Daily Signal", "누리방송", "Open Wire", "가람뉴스")
TAGS = ("시장", "기술", "정책", "연구", "수치", "인물")


@dataclass(frozen=True, slots=True)
class Term:
    """A glossary term: its Korean display form, English form and one alias (three surface forms)."""

    id: str
    term: str
    en: str
    alias: str
    short: str
    body: str  # Markdown, may be empty
    related: tuple[str, ...]

    @property
    def forms(self) -> tuple[str, str, str]:
        """Every surface form that links to the term."""
        return (self.term, self.en, self.alias)


@dataclass(frozen=True, slots=True)
class Excerpt:
    """A verbatim sentence of a source's archive."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Source:
    """A generated article: metadata, its archive text and the excerpts quoted from it."""

    id: str
    title: str
    outlet: str
    author: str
    published: str
    language: str
    archive: str  # the whole text, paragraphs separated by blank lines
    excerpts: tuple[Excerpt, ...]


@dataclass(frozen=True, slots=True)
class Fact:
    """A claim in the site's words, with the excerpts (source-id#excerpt-id) supporting it."""

    id: str
    group: int
    claim: str
    evidence: tuple[str, ...]
    when: str  # ISO date or ""
    tags: tuple[str, ...]
    disagreement: str  # "" unless two sources differ


@dataclass(frozen=True, slots=True)
class Page:
    """A narrative page: front matter fields and a body in explainer's Markdown."""

    slug: str
    title: str
    summary: str
    order: int
    body: str


@dataclass(frozen=True, slots=True)
class Corpus:
    """The whole generated site, in no tool's format yet."""

    pages: tuple[Page, ...]
    terms: tuple[Term, ...]
    facts: tuple[Fact, ...]
    sources: tuple[Source, ...]

    def term(self, term_id: str) -> Term:
        """Return the term with this id."""
        return self.terms[int(term_id.rsplit("-", 1)[1]) - 1]

    def fact(self, fact_id: str) -> Fact:
        """Return the fact with this id."""
        return self.facts[int(fact_id.rsplit("-", 1)[1]) - 1]

    def excerpt(self, key: str) -> tuple[Source, Excerpt]:
        """Return the source and excerpt named by source-id#excerpt-id."""
        source_id, _, excerpt_id = key.partition("#")
        source = self.sources[int(source_id.rsplit("-", 1)[1]) - 1]
        return source, source.excerpts[int(excerpt_id[1:]) - 1]


def stream(*parts: object) -> random.Random:
    """Return the random stream for one part of the corpus (stable across Python runs: str seeds are hashed with SHA-512)."""
    return random.Random("/".join([SEED, *map(str, parts)]))


def has_batchim(word: str) -> bool:
    """Whether the word's last character is a Hangul syllable ending in a consonant."""
    last = word[-1]
    return "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0


def with_particle(rng: random.Random, form: str) -> str:
    """Return the form followed by a particle that suits its last sound."""
    if not "가" <= form[-1] <= "힣":
        return form + rng.choice(LATIN_PARTICLES)
    return form + rng.choice(BATCHIM_PARTICLES if has_batchim(form) else OPEN_PARTICLES)


def hangul_word(rng: random.Random, low: int = 1, high: int = 3) -> str:
    """Return a pseudo-Korean word of low..high syllables."""
    return "".join(rng.choice(HANGUL) for _ in range(rng.randint(low, high)))


def latin_syllables(rng: random.Random, low: int, high: int) -> list[str]:
    """Return a run of Latin syllables that transliterate to Hangul."""
    return [rng.choice(LATIN) for _ in range(rng.randint(low, high))]


# -- the glossary ----------------------------------------------------------------------------------


def make_terms() -> tuple[Term, ...]:
    """Return 200 terms with 600 distinct surface forms (no form names two terms)."""
    rng = stream("terms")
    taken: set[str] = set()
    terms: list[Term] = []
    while len(terms) < TERMS:
        number = len(terms) + 1
        syllables = latin_syllables(rng, 2, 3)
        en = "".join(syllables).capitalize()
        term = "".join(LATIN_TO_HANGUL[s] for s in syllables)
        if number % 5 == 0:  # every fifth term is two words: 칼로미 연합 / Kalomi Alliance
            which = rng.randrange(len(SUFFIXES))
            term, en = f"{term} {SUFFIXES[which]}", f"{en} {SUFFIXES_EN[which]}"
        if number % 4 == 0:  # an acronym, matched only in capitals: KLM, KLMA
            alias = "".join(s[0] for s in syllables).upper() + "".join(w[0] for w in en.split()[1:])
        else:  # a Korean nickname
            alias = hangul_word(rng, 2, 3) + rng.choice(("", "법", "사", "론"))
        forms = (term, en, alias)
        keys = {f.casefold() for f in forms} | {f.replace(" ", "").casefold() for f in forms}
        if len(keys & taken) or len({f.casefold() for f in forms}) < 3 or len(alias) < 2:
            continue
        taken |= keys
        terms.append(Term(f"term-{number:03d}", term, en, alias, "", "", ()))
    return tuple(_describe(rng, t, terms) for t in terms)


def _describe(rng: random.Random, term: Term, terms: list[Term]) -> Term:
    """Give a term its definition, a body for every third term, and related terms for every second."""
    particle = "을" if has_batchim(term.term) else "를"
    short = f"{term.term}{particle} 설명하려고 만든 가상의 개념으로, {korean_sentence(rng, terms, (4, 7), link=False)}"
    number = int(term.id[-3:])
    body = "" if number % 3 else "\n\n".join(korean_paragraph(rng, terms, 2) for _ in range(2)) + "\n"
    related = tuple(sorted({rng.choice(terms).id for _ in range(2)} - {term.id})) if number % 2 == 0 else ()
    return Term(term.id, term.term, term.en, term.alias, short, body, related)


# -- prose -----------------------------------------------------------------------------------------


def korean_sentence(rng: random.Random, terms: list[Term] | tuple[Term, ...], words: tuple[int, int] = (6, 11),
                    link: bool = True) -> str:
    """Return a pseudo-Korean sentence; with link=True one word in three is a glossary form with a particle."""
    out = [hangul_word(rng) for _ in range(rng.randint(*words) - 1)]
    out = [with_particle(rng, word) if rng.random() < 0.4 else word for word in out]
    if link and terms and rng.random() < 0.7:
        out[rng.randrange(len(out))] = with_particle(rng, rng.choice(rng.choice(terms).forms))
    return " ".join([*out, rng.choice(ENDINGS)]) + "."


def english_sentence(rng: random.Random, terms: list[Term] | tuple[Term, ...], words: tuple[int, int] = (8, 15)) -> str:
    """Return a pseudo-English sentence of glue words and made-up ones, sometimes naming a term in English."""
    out = [rng.choice(EN_GLUE) if rng.random() < 0.35 else "".join(latin_syllables(rng, 1, 3)) for _ in range(rng.randint(*words))]
    if terms and rng.random() < 0.5:
        out[rng.randrange(1, len(out))] = rng.choice(terms).en
    text = " ".join(out)
    return text[0].upper() + text[1:] + "."


def korean_paragraph(rng: random.Random, terms: list[Term] | tuple[Term, ...], sentences: int) -> str:
    """Return a paragraph of Korean sentences."""
    return " ".join(korean_sentence(rng, terms) for _ in range(sentences))


def count_words(text: str) -> int:
    """Count whitespace-separated words."""
    return len(text.split())


# -- sources and facts -----------------------------------------------------------------------------


def make_sources(terms: tuple[Term, ...]) -> tuple[Source, ...]:
    """Return 100 sources, each with an archive of about 2,500 characters and 6 excerpts taken from it."""
    return tuple(_source(number, terms) for number in range(1, SOURCES + 1))


def _source(number: int, terms: tuple[Term, ...]) -> Source:
    rng = stream("source", number)
    language = "en" if number % 4 == 0 else "ko"
    sentence = english_sentence if language == "en" else korean_sentence
    paragraphs = [[sentence(rng, terms) for _ in range(rng.randint(3, 5))] for _ in range(12)]
    picks = sorted(rng.sample(range(len(paragraphs)), EXCERPTS_PER_SOURCE))
    excerpts = tuple(Excerpt(f"e{i}", rng.choice(paragraphs[p])) for i, p in enumerate(picks, start=1))
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    title = english_sentence(rng, terms, (5, 8)).rstrip(".") if language == "en" else korean_sentence(rng, terms, (4, 6)).rstrip(".")
    return Source(f"source-{number:03d}", title, rng.choice(OUTLETS), f"{hangul_word(rng, 3, 3)} 기자", f"2023-{month:02d}-{day:02d}",
                  language, "\n\n".join(" ".join(p) for p in paragraphs) + "\n", excerpts)


def make_facts(terms: tuple[Term, ...], sources: tuple[Source, ...]) -> tuple[Fact, ...]:
    """Return 500 facts: each cites one excerpt of its own, every fifth a second one, so every excerpt is cited once."""
    rng = stream("facts")
    first = [f"{s.id}#e{slot}" for slot in range(1, EXCERPTS_PER_SOURCE) for s in sources]
    rng.shuffle(first)
    facts: list[Fact] = []
    for index in range(FACTS):
        evidence = [first[index]]
        disagreement = ""
        if index % 5 == 0:
            other = sources[(index // 5 * 37 + 11) % SOURCES]
            evidence.append(f"{other.id}#e{EXCERPTS_PER_SOURCE}")
            if other.id != evidence[0].partition("#")[0] and index % 25 == 0:
                disagreement = korean_sentence(rng, terms, (5, 8))
        claim = korean_sentence(rng, terms) + (" " + korean_sentence(rng, terms) if rng.random() < 0.4 else "")
        when = f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if index % 3 == 0 else ""
        tags = tuple(sorted(set(rng.sample(TAGS, rng.randint(0, 2)))))
        facts.append(Fact(f"fact-{index + 1:03d}", index % FACT_GROUPS + 1, claim, tuple(evidence), when, tags, disagreement))
    return tuple(facts)


# -- pages -----------------------------------------------------------------------------------------


def make_page(number: int, pages: int, corpus: Corpus) -> Page:
    """Return page `number` of a `pages`-page site: 600-900 words with headings, lists, a table, links, code and references."""
    rng = stream("page", number)
    terms = corpus.terms
    target = rng.randint(*WORDS)
    blocks: list[str] = [korean_paragraph(rng, terms, 3)]
    extras = _page_extras(rng, number, pages, corpus)
    while sum(map(count_words, blocks + extras)) < target:
        if rng.random() < 0.25:
            blocks.append(f"{rng.choice(('##', '##', '###'))} {hangul_word(rng, 2, 3)} {hangul_word(rng, 2, 3)} {len(blocks)}")
        if extras and rng.random() < 0.45:
            blocks.append(extras.pop())
        blocks.append(english_paragraph(rng, terms) if rng.random() < 0.3 else korean_paragraph(rng, terms, rng.randint(3, 5)))
    blocks += extras
    title = f"{hangul_word(rng, 2, 3)} {hangul_word(rng, 2, 3)} {number}"
    summary = korean_sentence(rng, terms, (6, 9), link=False)
    return Page(f"page-{number:04d}", title, summary, number, "\n\n".join(blocks) + "\n")


def english_paragraph(rng: random.Random, terms: tuple[Term, ...]) -> str:
    """Return a paragraph of English sentences."""
    return " ".join(english_sentence(rng, terms) for _ in range(rng.randint(3, 5)))


def _page_extras(rng: random.Random, number: int, pages: int, corpus: Corpus) -> list[str]:
    """Return the blocks every page has once: fact cards, fact links, a citation, a term link, lists, a table, links, code."""
    terms = corpus.terms
    cards = [corpus.facts[(number * 7 + k * 250) % FACTS].id for k in range(2)]
    linked = corpus.facts[(number * 13 + 5) % FACTS].id
    source = corpus.sources[rng.randrange(SOURCES)]
    cited = f"{source.id}#{rng.choice(source.excerpts).id}"
    links = stream("links", number)  # its own stream: the rest of the page does not depend on N
    others = [f"/page-{links.randint(1, pages):04d}/" for _ in range(3)]
    term = rng.choice(terms)
    blocks = [
        f"[[fact:{cards[0]}]]",
        f"[[fact:{cards[1]}]]",
        f"{korean_sentence(rng, terms)} 자세한 내용은 [[fact:{linked}|관련 사실]]에서 볼 수 있습니다[[cite:{cited}]].",
        f"{korean_sentence(rng, terms)} [[term:{term.id}]]{rng.choice(('의', '에서', '도'))} 뜻은 용어집에 있습니다.",
        f"[[quote:{cited}]]" if number % 3 == 0 else korean_paragraph(rng, terms, 2),
        "\n".join(f"- {korean_sentence(rng, terms, (3, 6))}" for _ in range(rng.randint(3, 5))),
        "\n".join(f"{i}. {english_sentence(rng, terms, (4, 7))}" for i in range(1, 4)),
        _table(rng, terms),
        f"{korean_sentence(rng, terms)} [이전 글]({others[0]}), [다음 글]({others[1]}), 그리고 [관련 글]({others[2]})을 함께 읽어 보세요.",
        _code(rng),
    ]
    rng.shuffle(blocks)
    return blocks


def _table(rng: random.Random, terms: tuple[Term, ...]) -> str:
    rows = [f"| {rng.choice(terms).term} | {rng.randint(1, 999)} | {english_sentence(rng, (), (2, 4))} |" for _ in range(4)]
    return "\n".join(["| 항목 | 값 | 비고 |", "|---|---:|---|", *rows])


def _code(rng: random.Random) -> str:
    name = "_".join(latin_syllables(rng, 2, 3))
    lines = [f"def {name}(items):", f"    total = {rng.randint(1, 99)}", "    for item in sorted(items):",
             f"        total += len(item) * {rng.randint(2, 9)}", "    return total"]
    return "```python\n" + "\n".join(lines) + "\n```"


def make_corpus(pages: int) -> Corpus:
    """Return the whole corpus for a site of `pages` pages."""
    terms = make_terms()
    sources = make_sources(terms)
    facts = make_facts(terms, sources)
    shell = Corpus((), terms, facts, sources)
    return Corpus(tuple(make_page(n, pages, shell) for n in range(1, pages + 1)), terms, facts, sources)
