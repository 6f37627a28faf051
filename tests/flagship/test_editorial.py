"""The flagship says no more than its articles: checks from the editorial pass of issue 19.

test_content.py checks the quotes and the numbers; these tests check what the site says in
its own voice. The members table on the members page is checked against the article texts
(every name really in every article credited with it, no article and no member left out);
the timeline is drawn in one calendar, Korean dates, and facts that say "the next day" are
dated so; lists the articles end in "등" keep their "등" when a fact repeats them; a present
tense ("현재", "지금") keeps its date; every disagreement is listed on the about page; and
nothing the site writes follows an article word for word beyond a few words.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT
from explainer.content.load import load_site
from explainer.content.quotes import normalize_quote
from explainer.model import Fact, Options, Site
from flagship_articles import article_text
from support import articles_dir


@pytest.fixture(scope="module")
def site() -> Site:
    loaded, problems = load_site(Options(content_dir=ROOT / "content"))
    assert loaded is not None, problems
    assert not [p for p in problems if p.severity == "error"], problems
    return loaded


@pytest.fixture(scope="module")
def articles(site: Site) -> dict[str, str]:
    """Each source's article text (page furniture and repeats left out), normalised as quotes are compared."""
    folder = articles_dir()
    if folder is None:
        pytest.skip("../shared/articles is not beside this checkout (test_flagship fails in CI)")
    return {s.id: article_text(Path(s.archive).name, (folder / Path(s.archive).name).read_text(encoding="utf-8"))
            for s in site.sources}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", normalize_quote(text))


# -- the members table --------------------------------------------------------------------------

MEMBERS_PAGE = "members"
TABLE_HEADER = ("이름", "종류", "이름을 든 기사")
# The names the table uses for the sources (a cell lists them, each perhaps with (‘how it spells the name’)).
SOURCE_NAMES = {
    "동아일보": "donga-ai-alliance",
    "더테크": "thetech-ai-alliance-column",
    "래빗스쿨": "rabbitschool-ai-alliances",
    "애플경제": "applegyeongje-ai-alliance",
    "매일경제": "mk-clegg-interview",
}
KINDS = {"주도 기업", "반도체 기업", "IT 기업", "AI 기업", "AI 스타트업", "대학", "공공 기관", "재단"}
D, T, R, A = "donga-ai-alliance", "thetech-ai-alliance-column", "rabbitschool-ai-alliances", "applegyeongje-ai-alliance"
# Every member the articles name, read off the five articles by hand: name -> (kind, the sources naming it as a
# member or participant). 004 (매일경제) is from before the launch and names none. 003's Anyscale is where Ion
# Stoica works, not a member; 003's "시민 단체" and the other kinds are named without names.
EXPECTED_MEMBERS: dict[str, tuple[str, frozenset[str]]] = {
    "메타": ("주도 기업", frozenset({D, T, R, A})),
    "IBM": ("주도 기업", frozenset({D, T, R, A})),
    "인텔": ("반도체 기업", frozenset({D, T, A})),
    "AMD": ("반도체 기업", frozenset({D, T, A})),
    "델": ("IT 기업", frozenset({D, T})),
    "소니": ("IT 기업", frozenset({D, T, A})),
    "소프트뱅크": ("IT 기업", frozenset({D})),
    "오라클": ("IT 기업", frozenset({T})),
    "서비스나우": ("IT 기업", frozenset({A})),
    "SB인튜이션": ("AI 기업", frozenset({D})),
    "스태빌리티 AI": ("AI 스타트업", frozenset({T, A})),
    "허깅페이스": ("AI 스타트업", frozenset({T})),
    "뉴욕대": ("대학", frozenset({D})),
    "버클리대": ("대학", frozenset({D})),
    "도쿄대": ("대학", frozenset({D, T, A})),
    "예일대": ("대학", frozenset({T, A})),
    "코넬대": ("대학", frozenset({T})),
    "다트머스대": ("대학", frozenset({T, A})),
    "예루살렘 히브리대": ("대학", frozenset({T})),
    "임페리얼 칼리지 런던": ("대학", frozenset({T, A})),
    "노트르담대": ("대학", frozenset({A})),
    "무함마드 빈 자이드 AI대": ("대학", frozenset({D})),
    "뭄바이 인도공대(IIT)": ("대학", frozenset({D})),
    "미국 항공우주국(NASA)": ("공공 기관", frozenset({D, T})),
    "미국 국립과학재단(NSF)": ("공공 기관", frozenset({T, A})),
    "유럽입자물리연구소(CERN)": ("공공 기관", frozenset({D, T})),
    "싱가포르 기술과학청(A*STAR)": ("공공 기관", frozenset({D})),
    "리눅스 재단": ("재단", frozenset({A})),
}
# How the articles write a member whose table name they do not print as such (the table's (‘…’) adds more).
SPELLINGS: dict[str, tuple[str, ...]] = {
    "스태빌리티 AI": ("스태빌리티 AI", "스태빌리티AI"),
    "다트머스대": ("다트마스대", "다트머스 대학"),
    "예루살렘 히브리대": ("예루살램 히브리대",),
    "임페리얼 칼리지 런던": ("임페리얼 칼리지 런던", "알 칼리지 런던"),
    "노트르담대": ("노트르담대학교",),
    "미국 항공우주국(NASA)": ("NASA", "항공우주국"),
    "미국 국립과학재단(NSF)": ("NSF", "국립과학재단"),
    "유럽입자물리연구소(CERN)": ("CERN", "유럽입자물리연구소"),
    "싱가포르 기술과학청(A*STAR)": ("A*STAR", "기술과학청"),
}
# Where an article writes a member's name, but not as a member of the alliance.
NOT_AS_MEMBER = {
    ("메타", "mk-clegg-interview"): "the July 2023 interview, before the alliance",
    ("인텔", R): "a foundry Big Tech works with, and an example of a foundry",
    ("AMD", R): "an example of a fabless company",
}
ITEM_RE = re.compile(r"\s*([^,(‘]+?)\s*(?:\(‘([^’]+)’\))?\s*(?:,|$)")


def members_table(site: Site) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The members page's tables, one per section: (name, kind, [(source name, spelling or '')]) per row.

    The rows are split over several tables, each short enough to fit the window when the keyboard
    focuses its scroll region; every table has the same header.
    """
    lines = site.page_by_slug[MEMBERS_PAGE].body.text.splitlines()
    tables: list[list[list[str]]] = []
    previous = ""
    for line in lines:
        if line.strip().startswith("|"):
            if not previous.strip().startswith("|"):
                tables.append([])
            tables[-1].append([cell.strip() for cell in line.strip().strip("|").split("|")])
        previous = line
    assert tables, "the members page has no table"
    table = []
    for cells in tables:
        assert tuple(cells[0]) == TABLE_HEADER, cells[0]
        assert len(cells) > 2 and set(cells[1][0]) <= set("-: "), "a header, a separator, then rows"
        for name, kind, credits in cells[2:]:
            items = [(m.group(1), m.group(2) or "") for m in ITEM_RE.finditer(credits) if m.group(1)]
            assert ", ".join(f"{s}(‘{w}’)" if w else s for s, w in items) == credits, f"cannot read the cell {credits!r}"
            table.append((name.replace("\\*", "*"), kind, items))
    return table


def names_in(text: str, spelling: str) -> bool:
    """Whether text writes spelling at the start of a word (델 in 'IT·델', not in '모델')."""
    return re.search(r"(?<![0-9A-Za-z가-힣])" + re.escape(normalize_quote(spelling)), text) is not None


def test_members_table_lists_every_member_the_articles_name(site: Site) -> None:
    table = members_table(site)
    names = [name for name, _, _ in table]
    assert len(names) == len(set(names)), "a member is listed twice"
    assert not set(EXPECTED_MEMBERS) - set(names), f"members missing from the table: {sorted(set(EXPECTED_MEMBERS) - set(names))}"
    assert not set(names) - set(EXPECTED_MEMBERS), f"not members in the articles: {sorted(set(names) - set(EXPECTED_MEMBERS))}"
    for name, kind, items in table:
        assert kind in KINDS, f"{name}: unknown kind {kind!r}"
        sources = [SOURCE_NAMES.get(source) for source, _ in items]
        assert None not in sources, f"{name}: unknown source name in {items}"
        assert len(sources) == len(set(sources)), f"{name}: a source credited twice"
        assert (kind, frozenset(s for s in sources if s)) == EXPECTED_MEMBERS[name], f"{name}: kind or sources differ"


def test_members_table_is_what_the_articles_say(site: Site, articles: dict[str, str]) -> None:
    """Each credited article writes the name (or the spelling shown); no other article writes it as a member."""
    wrong = []
    for name, _, items in members_table(site):
        spellings = {name, *SPELLINGS.get(name, ())} | {spelling for _, spelling in items if spelling}
        credited = set()
        for source_name, spelling in items:
            source = SOURCE_NAMES[source_name]
            credited.add(source)
            if spelling and not names_in(articles[source], spelling):
                wrong.append(f"{name}: {source_name} does not write ‘{spelling}’")
            if not any(names_in(articles[source], s) for s in spellings):
                wrong.append(f"{name}: {source_name} does not name it")
        for source, text in articles.items():
            if source not in credited and (name, source) not in NOT_AS_MEMBER and any(names_in(text, s) for s in spellings):
                wrong.append(f"{name}: {source} names it too; credit it (or explain in NOT_AS_MEMBER)")
    assert not wrong, "\n".join(wrong)


# -- one calendar for the timeline ---------------------------------------------------------------

CALENDAR = "한국 날짜"
# A day written in a foreign place's local time: 5일(현지 시간), 22일현지 시간, 5일(현지시각).
LOCAL_DAY_RE = re.compile(r"(\d+)일\s*\(?\s*현지")
# Facts whose claim places them relative to another fact: id -> (the other fact, days after it).
RELATIVE_DAYS = {"gemini-next-day": ("launch-date", 1)}
RELATIVE_WORDS = re.compile(r"다음 날|이튿날|전날|하루 (?:뒤|앞)")


def day_forms(fact: Fact) -> list[str]:
    assert fact.when is not None
    y, m, d = fact.when.year, fact.when.month, fact.when.day
    return [f"{y}.{m}.{d}", f"{y}-{m:02d}-{d:02d}", f"{m}월 {d}일", f"{d}일"]


def test_the_timeline_page_states_its_calendar(site: Site) -> None:
    pages = [page for page in site.pages if any(ref.kind == "timeline" for ref in page.body.refs)]
    assert pages, "no page embeds [[timeline]]"
    for page in pages:
        assert f"모두 {CALENDAR}" in page.body.text, f"{page.slug}: say that the timeline's dates are all {CALENDAR}s"


def test_timeline_days_are_korean_dates(site: Site) -> None:
    """A fact dated to the day has evidence writing that day in Korean time, not as some place's local day."""
    wrong = []
    for fact in site.facts:
        if fact.when is None or fact.when.precision != "day":
            continue
        texts = [normalize_quote(e.text) for e in (site.excerpt(ref) for ref in fact.evidence) if e is not None]
        found = False
        for text in texts:
            for form in day_forms(fact):
                for match in re.finditer(r"(?<!\d)" + re.escape(form), text):
                    if not re.match(r"\s*\(?\s*현지", text[match.end():]):
                        found = True
        if not found:
            wrong.append(f"{fact.id}: no evidence writes {fact.when.iso()} as a {CALENDAR}")
    assert not wrong, wrong


def test_local_days_are_explained(site: Site) -> None:
    """A dated fact whose evidence gives a local (foreign) day says in its note how the Korean date was read."""
    wrong = []
    for fact in site.facts:
        if fact.when is None:
            continue
        excerpts = [site.excerpt(ref) for ref in fact.evidence]
        if any(e is not None and LOCAL_DAY_RE.search(e.text) for e in excerpts):
            note = fact.note.text if fact.note else ""
            if "현지" not in note or CALENDAR not in note:
                wrong.append(f"{fact.id}: its evidence gives a local day; the note must say how the {CALENDAR} was read")
    assert not wrong, wrong


def test_relative_days_agree_with_the_dates(site: Site) -> None:
    """"바로 다음 날" on the timeline means one day after, in the same calendar."""
    for fact in site.facts:
        if RELATIVE_WORDS.search(fact.claim.text):
            assert fact.id in RELATIVE_DAYS, f"{fact.id}: its claim is relative to another fact; add it to RELATIVE_DAYS"
    for fact_id, (other_id, days) in RELATIVE_DAYS.items():
        fact, other = site.fact_by_id[fact_id], site.fact_by_id[other_id]
        assert fact.when is not None and other.when is not None
        assert fact.when.precision == other.when.precision == "day"
        first = date(other.when.year, other.when.month, other.when.day)
        second = date(fact.when.year, fact.when.month, fact.when.day)
        assert (second - first).days == days, f"{fact_id} is {(second - first).days} days after {other_id}, its claim says {days}"


# -- what facts keep of their evidence ------------------------------------------------------------

LIST_BEFORE_DEUNG = re.compile(r"([^.]*?)\s등(?=[\s의을과이도])")
# A present tense tied to the article's own time, as the excerpt notes mark it.
TIME_BOUND_NOTE = re.compile(r"‘(현재|지금)’")


def test_lists_keep_their_deung(site: Site) -> None:
    """When a claim repeats two or more names of a list its evidence ends in "등", the claim says 등 (or 같은) too."""
    wrong = []
    for fact in site.facts:
        claim = squeeze(fact.claim.text)
        for ref in fact.evidence:
            excerpt = site.excerpt(ref)
            assert excerpt is not None
            for match in LIST_BEFORE_DEUNG.finditer(normalize_quote(excerpt.text)):
                items = [w for w in re.split(r"[\s,()·*]+", match.group(1)) if len(w) >= 2]
                if sum(squeeze(item) in claim for item in items) >= 2 and not re.search(r"등|같은", fact.claim.text):
                    wrong.append(f"{fact.id}: {ref.key} lists {match.group(1)!r} 등; the claim drops 등")
    assert not wrong, wrong


def test_present_tense_keeps_its_date(site: Site) -> None:
    """A fact resting on an excerpt said in the present of its article (note: ‘현재’, ‘지금’) says when that was."""
    wrong = []
    for fact in site.facts:
        for ref in fact.evidence:
            excerpt = site.excerpt(ref)
            time_bound = excerpt is not None and excerpt.note is not None and TIME_BOUND_NOTE.search(excerpt.note.text)
            if time_bound and not re.search(r"20\d\d년", fact.claim.text):
                wrong.append(f"{fact.id}: {ref.key} speaks of its article's present; the claim must give the year")
    assert not wrong, wrong


# -- disagreements --------------------------------------------------------------------------------

COUNTS = {1: "한", 2: "두", 3: "세", 4: "네", 5: "다섯", 6: "여섯", 7: "일곱", 8: "여덟", 9: "아홉", 10: "열"}


def test_about_lists_every_disagreement(site: Site) -> None:
    about = site.page_by_slug["about"]
    disputed = {fact.id for fact in site.facts if fact.disagreement is not None}
    linked = {ref.target for ref in about.body.refs if ref.kind == "fact"}
    assert disputed <= linked, f"about.md does not mention {sorted(disputed - linked)}"
    assert f"어긋남은 {COUNTS[len(disputed)]} 가지" in about.body.text, f"about.md should count {len(disputed)} disagreements"


# -- in our own words -----------------------------------------------------------------------------

# The longest run of characters (spaces left out) the site's own sentences may share with an article.
MAX_SHARED_RUN = 20
# Names and titles may be written as the articles write them; they are left out before comparing.
NAMES = (
    "IBM Research의 AI 개방형 혁신 이사", "안토니 안눈지아타", "아이온 스토이카", "애니스케일", "얀 르쾽", "마크 앤드리슨",
    "마크 저커버그", "닉 클레그", "샘 올트먼", "넷스케이프", "테크리퍼블릭", "시너지 리서치 그룹", "마이크로소프트",
    "오픈AI", "오픈 AI", "구글", "엔비디아", "TSMC", "삼성전자", "SK하이닉스", "글로벌파운드리", "퀄컴", "브로드컴",
    "헤럴드경제", "매일경제", "동아일보", "더테크", "애플경제", "래빗스쿨",
)


def own_voice(site: Site) -> list[tuple[str, str]]:
    """Everything the site writes in its own voice: (where, text)."""
    texts: list[tuple[str, str]] = []
    for fact in site.facts:
        texts += [(f"fact {fact.id}", doc.text) for doc in (fact.claim, fact.note, fact.disagreement) if doc is not None]
    for term in site.terms:
        texts += [(f"term {term.id}", term.short)] + ([(f"term {term.id}", term.body.text)] if term.body else [])
    for page in site.pages:
        texts.append((f"page {page.slug}", page.body.text))
    for record, correction in site.corrections():
        texts += [(f"correction of {type(record).__name__.lower()} {getattr(record, 'id', getattr(record, 'slug', ''))}", doc.text)
                  for doc in (correction.change, correction.reason)]
    for source in site.sources:
        texts += [(f"source {source.id}", source.note.text)] if source.note else []
        texts += [(f"excerpt {source.id}#{e.id}", e.note.text) for e in source.excerpts if e.note is not None]
    return texts


def test_the_site_writes_in_its_own_words(site: Site, articles: dict[str, str]) -> None:
    """Outside quotation marks, references and names, no run of more than MAX_SHARED_RUN characters is an article's."""
    names = sorted({*NAMES, *EXPECTED_MEMBERS, *(s for spellings in SPELLINGS.values() for s in spellings)}, key=len, reverse=True)
    name_re = re.compile("|".join(re.escape(squeeze(n)) for n in names))
    sources = {sid: squeeze(text) for sid, text in articles.items()}
    wrong = []
    for where, text in own_voice(site):
        text = re.sub(r"\[\[[^\]]*\]\]|‘[^’]*’|“[^”]*”|\{\.no-glossary\}", "\0", text)
        mine = name_re.sub("\0", squeeze(text))
        for sid, article in sources.items():
            for start in range(len(mine) - MAX_SHARED_RUN):
                run = mine[start:start + MAX_SHARED_RUN + 1]
                if "\0" not in run and run in article:
                    wrong.append(f"{where}: {run}… is {sid}'s wording")
                    break
    assert not wrong, "\n".join(wrong)
