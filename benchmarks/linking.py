"""Glossary linking cost per page: explainer's word lookup against the obvious designs, same run.

    .venv/bin/python benchmarks/linking.py [--pages 1000] [--terms 200] [--rounds 5] [--baseline main]

Generates a site-sized corpus (pages of 600–900 words of Korean-like text with Latin words
and particles, glued compounds and lower-case acronyms, a glossary of Hangul, Latin and
multi-word forms), then times, on the same paragraphs: explainer's matcher and linker (all
rules), the matcher and linker as of the git revision `--baseline` (loaded from that
revision's explainer/text/korean.py and termmatch.py), one compiled regex per form, and one
big alternation of every form. It also times markdown-it rendering of the same pages for
scale, and the linking share of a real build of the flagship in content/, with the links
made (also with the baseline's matcher). Prints milliseconds of CPU time per page and ratios;
nothing here is part of the test suite.
"""

from __future__ import annotations

import argparse
import importlib
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from explainer.model import Loc, Term  # noqa: E402
from explainer.text import glossary as link_module  # noqa: E402
from explainer.text import markdown  # noqa: E402
from explainer.text.glossary import Glossary, Linker  # noqa: E402
from explainer.text.korean import PARTICLES  # noqa: E402
from explainer.text.termmatch import TermMatcher  # noqa: E402

# CPU time of this process: on a shared machine, other jobs' time does not count against a design.
clock = time.process_time

SYLLABLES = [chr(0xAC00 + i) for i in range(0, 11172, 37)]
COMMON_PARTICLES = ["은", "는", "이", "가", "을", "를", "의", "에", "에서", "와", "과", "로", "으로", "도", "만", "에서는", "과의"]
LATIN = ["data", "model", "chip", "cloud", "open", "source", "market", "policy", "device", "network"]
HEADS = ["시대", "시장", "업계", "기업", "모델"]  # glued after a form: a compound the matcher reads as the term


def hangul_word(rng: random.Random, low: int = 2, high: int = 4) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(low, high)))


def make_glossary(rng: random.Random, count: int) -> list[tuple[str, list[str]]]:
    """Return (term id, forms) pairs: a Hangul display form, an English form, and an alias; some multi-word."""
    terms: list[tuple[str, list[str]]] = []
    used: set[str] = set()
    while len(terms) < count:
        index = len(terms)
        display = hangul_word(rng) if index % 5 else f"{hangul_word(rng)} {hangul_word(rng, 2, 3)}"
        english = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.randint(2, 4))) if index % 2 \
            else f"{rng.choice(LATIN)} {rng.choice(LATIN)}{index}"
        alias = hangul_word(rng, 3, 5)
        forms = [display, english, alias]
        if any(f.casefold() in used for f in forms):
            continue
        used.update(f.casefold() for f in forms)
        terms.append((f"t{index}", forms))
    return terms


def make_page(rng: random.Random, glossary: list[tuple[str, list[str]]], vocabulary: list[str]) -> list[str]:
    """Return the paragraphs of one page (600–900 words), with terms, particles and look-alikes."""
    words_left = rng.randint(600, 900)
    paragraphs: list[str] = []
    while words_left > 0:
        size = min(words_left, rng.randint(40, 90))
        words: list[str] = []
        for _ in range(size):
            roll = rng.random()
            if roll < 0.04:
                form = rng.choice(rng.choice(glossary)[1])
                words.append(form + (rng.choice(COMMON_PARTICLES) if rng.random() < 0.7 else ""))
            elif roll < 0.045:  # a compound written as one word, or an acronym in lower case
                form = rng.choice(glossary)[1][rng.choice((0, 1))].replace(" ", "")
                words.append(form + rng.choice(HEADS) if rng.random() < 0.5 else form.lower() + rng.choice(COMMON_PARTICLES))
            elif roll < 0.05:
                words.append(rng.choice(rng.choice(glossary)[1]).replace(" ", "") + "화")  # a longer word: no match
            elif roll < 0.10:
                words.append(rng.choice(LATIN))
            else:
                words.append(rng.choice(vocabulary) + (rng.choice(COMMON_PARTICLES) if rng.random() < 0.4 else ""))
        text = " ".join(words)
        paragraphs.append(re.sub(r"(\S+ \S+ \S+ \S+ \S+ \S+ \S+ \S+ \S+ \S+ \S+ \S+) ", r"\1, ", text, count=3) + ".")
        words_left -= size
    return paragraphs


def regex_per_form(forms: list[tuple[str, str]]) -> Callable[[str], int]:
    particle = "(?:" + "|".join(sorted(map(re.escape, PARTICLES), key=len, reverse=True)) + ")"
    patterns = [re.compile(rf"(?<!\w){re.escape(form)}(?={particle}?(?!\w))", re.IGNORECASE) for form, _ in forms]

    def find(text: str) -> int:
        spans = sorted((m.start(), -m.end()) for p in patterns for m in p.finditer(text))
        count, end = 0, -1
        for start, negative_end in spans:
            if start >= end:
                count, end = count + 1, -negative_end
        return count

    return find


def big_alternation(forms: list[tuple[str, str]]) -> Callable[[str], int]:
    particle = "(?:" + "|".join(sorted(map(re.escape, PARTICLES), key=len, reverse=True)) + ")"
    alternatives = "|".join(sorted((re.escape(form) for form, _ in forms), key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?={particle}?(?!\w))", re.IGNORECASE)
    return lambda text: sum(1 for _ in pattern.finditer(text))


def baseline_matcher(revision: str) -> Any:
    """The TermMatcher class as of a git revision, imported from that revision's own files."""
    folder = Path(tempfile.mkdtemp(prefix="linking-")) / "baseline_text"
    folder.mkdir()
    (folder / "__init__.py").write_text("", encoding="utf-8")
    for name in ("korean", "termmatch"):
        for path in (f"explainer/text/{name}.py", f"explainer/{name}.py"):  # after and before the packages by stage
            shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{revision}:{path}"], capture_output=True, text=True)
            if shown.returncode == 0:
                (folder / f"{name}.py").write_text(shown.stdout, encoding="utf-8")
                break
        else:
            raise SystemExit(f"--baseline {revision}: no {name}.py in that revision")
    sys.path.insert(0, str(folder.parent))
    return importlib.import_module("baseline_text.termmatch").TermMatcher


def explainer_linker(terms: list[Term], matcher: Any = None) -> Callable[[str], int]:
    glossary = Glossary.build(tuple(terms))
    if matcher is not None:
        glossary = Glossary(glossary.terms, matcher([(form, t.id) for t in terms if t.autolink for form in t.forms]))

    def link(text: str) -> int:
        linker = Linker(glossary, lambda term_id: f"../glossary/{term_id}/", lambda term_id: None)
        return linker.text(text, True).count("term-link")

    return link


def per_page(pages: list[list[str]], work: Callable[[str], object], repeat: int = 3) -> float:
    """Median over `repeat` runs of the total time for all pages, divided by pages (ms)."""
    totals = []
    for _ in range(repeat):
        started = clock()
        for page in pages:
            for paragraph in page:
                work(paragraph)
        totals.append(clock() - started)
    return statistics.median(totals) / len(pages) * 1000


def flagship_linking(matcher: Any = None) -> tuple[int, float, float, int]:
    """Build the flagship in memory; return pages, total render ms, linking ms and links made (with `matcher`'s rules)."""
    from explainer.content.load import load_site
    from explainer.model import Options
    from explainer.render.pages import render_site
    from explainer.render.theme import Theme

    options = Options(content_dir=ROOT / "content")
    site, _ = load_site(options)
    assert site is not None
    spent = [0.0]
    made = [0]
    original = link_module.Linker.text

    def timed(self: Linker, text: str, linkable: bool) -> str:
        started = clock()
        result = original(self, text, linkable)
        spent[0] += clock() - started
        return result

    original_link = link_module.Linker.link

    def counted(self: Linker, term_id: str, text: str) -> str:
        made[0] += 1
        return original_link(self, term_id, text)

    link_module.Linker.text = timed  # type: ignore[method-assign]
    link_module.Linker.link = counted  # type: ignore[method-assign]
    namespace = vars(link_module)  # where Glossary.build finds TermMatcher
    original_matcher = namespace["TermMatcher"]
    if matcher is not None:
        namespace["TermMatcher"] = lambda forms, **settings: matcher(forms)
    try:
        started = clock()
        outputs, _ = render_site(site, options, Theme.for_site(options))  # the pages (their cards are not drawn)
        total = clock() - started
    finally:
        link_module.Linker.text = original  # type: ignore[method-assign]
        link_module.Linker.link = original_link  # type: ignore[method-assign]
        namespace["TermMatcher"] = original_matcher
    pages = sum(1 for o in outputs if o.path.endswith(".html"))
    return pages, total * 1000, spent[0] * 1000, made[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--terms", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5, help="times each design is run, in turns with the others")
    parser.add_argument("--baseline", default="", help="a git revision whose matcher to time beside this one (e.g. main)")
    args = parser.parse_args()
    baseline = baseline_matcher(args.baseline) if args.baseline else None
    rng = random.Random(2023)
    glossary = make_glossary(rng, args.terms)
    vocabulary = [hangul_word(rng) for _ in range(4000)]
    pages = [make_page(rng, glossary, vocabulary) for _ in range(args.pages)]
    forms = [(form, term_id) for term_id, listed in glossary for form in listed]
    words = statistics.mean(sum(len(p.split()) for p in page) for page in pages)
    print(f"{args.pages} pages, {words:.0f} words per page on average; {args.terms} terms, {len(forms)} surface forms")

    terms = [Term(term_id, listed[0], listed[1], tuple(listed[2:]), "definition", None, (), (), True, Loc("bench", 0))
             for term_id, listed in glossary]
    designs: list[tuple[str, Callable[[], Callable[[str], object]]]] = [
        ("explainer: word lookup + linker (all rules)", lambda: explainer_linker(terms)),
        ("explainer: matcher alone", lambda: TermMatcher(forms).find),
        *([(f"explainer at {args.baseline}: linker", lambda: explainer_linker(terms, baseline)),
           (f"explainer at {args.baseline}: matcher alone", lambda: baseline(forms).find)] if baseline else []),
        ("one big alternation regex", lambda: big_alternation(forms)),
        ("one compiled regex per form", lambda: regex_per_form(forms)),
    ]
    # Compile each design, then time them in turns (round after round), so that a busy machine
    # slows every design alike; the median of the rounds is kept.
    built: list[tuple[str, float, Callable[[str], object]]] = []
    for name, make in designs:
        started = clock()
        work = make()
        built.append((name, (clock() - started) * 1000, work))
    rounds: dict[str, list[float]] = {name: [] for name, _, _ in built}
    for turn in range(args.rounds):
        for name, _, work in built:
            if "per form" in name and turn:
                continue  # the slow one once, on a tenth of the pages
            sample = pages if "per form" not in name else pages[: max(1, len(pages) // 10)]
            rounds[name].append(per_page(sample, work, repeat=1))
    results = [(name, compile_ms, statistics.median(rounds[name])) for name, compile_ms, _ in built]

    md_pages = pages[: max(1, len(pages) // 5)]
    docs = ["\n\n".join(page) for page in md_pages]
    parser_md = markdown.parser()
    started = clock()
    for doc in docs:
        parser_md.render(doc)
    markdown_ms = (clock() - started) / len(docs) * 1000

    ours = results[0][2]
    print(f"\n{'design':<46} {'compile ms':>10} {'ms/page':>9} {'vs explainer':>13}")
    for name, compile_ms, page_ms in results:
        print(f"{name:<46} {compile_ms:>10.1f} {page_ms:>9.3f} {page_ms / ours:>12.1f}x")
    print(f"{'markdown-it render of the same page (scale)':<46} {'':>10} {markdown_ms:>9.3f} {markdown_ms / ours:>12.1f}x")

    print()
    flagship: dict[str, list[tuple[int, float, float, int]]] = {}
    matchers = [("explainer", None), *([(f"explainer at {args.baseline}", baseline)] if baseline else [])]
    for _ in range(args.rounds):  # in turns, as above
        for name, matcher in matchers:
            flagship.setdefault(name, []).append(flagship_linking(matcher))
    for name, runs in flagship.items():
        pages_built, _, _, links = runs[0]
        render_ms = statistics.median(run[1] for run in runs)
        link_ms = statistics.median(run[2] for run in runs)
        print(f"flagship (content/), {name}: {pages_built} pages rendered in {render_ms:.0f} ms; glossary linking "
              f"{link_ms:.1f} ms in all, {link_ms / pages_built:.3f} ms per page; {links} links made")


if __name__ == "__main__":
    main()
