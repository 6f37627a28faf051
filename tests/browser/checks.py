"""What the browser tests look for on a loaded page. Each check returns a list of problems (empty when all is well).

The in-page parts are small JavaScript functions evaluated by Playwright; they run whether or not
the page itself may run scripts (Playwright evaluates them through the DevTools protocol).
"""

from __future__ import annotations

import functools
import importlib.resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

# The WCAG 2.0 and 2.1 rules at levels A and AA (axe-core's tag names).
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
HANGUL = r"[\u1100-\u11FF\u3130-\u318F\uAC00-\uD7A3]"


@functools.cache
def axe_source() -> str:
    """The axe-core script bundled in the axe-playwright-python package (so no Node or npm is needed)."""
    try:
        return (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        from tools import missing

        missing("axe-core is not installed: pip install -e '.[test]' (it comes with axe-playwright-python)")


def axe_version() -> str:
    """The bundled axe-core version, as its file header states it."""
    first = axe_source().split("\n", 1)[0]  # "/*! axe v4.12.1"
    return first.rsplit("v", 1)[-1].strip()


def run_axe(page: Page, context: str | None = None, rules: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Run axe-core on the page (or the `context` selector); return its violations.

    With `rules`, only those rules run; otherwise every WCAG 2.0/2.1 A and AA rule.
    """
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    options["runOnly"] = {"type": "rule", "values": list(rules)} if rules else {"type": "tag", "values": list(WCAG_TAGS)}
    result: dict[str, Any] = page.evaluate("([context, options]) => axe.run(context || document, options)", [context, options])
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> list[str]:
    """One line per offending element: rule id, impact, element and axe's summary of what to fix."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"axe {violation['id']} ({violation['impact']}) at {' '.join(map(str, node['target']))}: {summary[:300]}")
    return lines


# Layout: sideways scrolling, boxes sticking out of the window, text overlapping other text,
# Korean text without keep-all, Korean words broken across two lines, a line that starts with a
# middle dot or tilde joining two words (삼성 / ·LG와), and two horizontal rules with nothing between.
LAYOUT_JS = r"""
() => {
  const problems = [];
  const doc = document.documentElement;
  const width = doc.clientWidth;
  const describe = (el) => {
    const cls = el.classList && el.classList.length ? "." + [...el.classList].join(".") : "";
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return `<${el.tagName.toLowerCase()}${cls}> "${text}"`;
  };
  if (doc.scrollWidth > width) problems.push(`the page scrolls sideways: scrollWidth ${doc.scrollWidth} > clientWidth ${width}`);

  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  const sticking = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.bottom < -window.scrollY) continue;  // hidden, or parked above the page
    if ((box.right > width + 1 || box.left < -1) && !clipped(el)) sticking.push(el);
  }
  // Report the outermost offenders only.
  for (const el of sticking) {
    if (!sticking.some((other) => other !== el && other.contains(el))) {
      const box = el.getBoundingClientRect();
      problems.push(`${describe(el)} spans x=${Math.round(box.left)}..${Math.round(box.right)}, outside the ${width}px window`);
    }
  }

  const hangul = /HANGUL/u;
  const word = /[\p{L}\p{N}]+/gu;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const boxes = [];
  const loose = new Set();
  let previous = null;  // the last rendered text node before this one
  const charBox = (node, index) => {
    const one = document.createRange();
    one.setStart(node, index);
    one.setEnd(node, index + 1);
    return [...one.getClientRects()].find((r) => r.width > 0) || null;
  };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"].includes(parent.tagName) || !node.data.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    if (!rects.length || !parent.checkVisibility()) continue;  // not rendered (a closed <details> still gives boxes)
    for (const r of rects) boxes.push({node, parent, left: r.left, right: r.right, top: r.top, bottom: r.bottom});
    // a middle dot or tilde between two words must not start a line
    for (const mark of node.data.matchAll(/[·~](?=[\p{L}\p{N}])/gu)) {
      const at = mark.index;
      const back = node.data[at - 1] === "\u2060" ? at - 2 : at - 1;  // a word joiner is no character of its own
      let before = null;
      if (back >= 0 && /[\p{L}\p{N}]/u.test(node.data[back])) before = charBox(node, back);
      else if (back < 0 && previous && /[\p{L}\p{N}]$/u.test(previous.data)) before = charBox(previous, previous.data.length - 1);
      if (!before) continue;
      const own = charBox(node, at);
      if (own && own.top > before.top + 2) {
        problems.push(`a line starts with "${node.data.slice(at, at + 6)}" in ${describe(parent)}`);
      }
    }
    previous = node;
    if (!hangul.test(node.data)) continue;
    if (getComputedStyle(parent).wordBreak !== "keep-all") loose.add(parent);
    for (const match of node.data.matchAll(word)) {
      if (!hangul.test(match[0])) continue;
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top));
      if (tops.length > 1 && Math.max(...tops) - Math.min(...tops) > 2) {
        problems.push(`the word "${match[0]}" breaks across lines in ${describe(parent)}`);
      }
    }
  }
  for (const el of loose) problems.push(`Korean text without word-break: keep-all in ${describe(el)}`);

  boxes.sort((a, b) => a.top - b.top);
  const overlaps = new Set();
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].top < a.bottom - 2; j++) {
      const b = boxes[j];
      if (a.node === b.node) continue;
      const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (across > 2 && down > 2) overlaps.add(`text "${a.node.data.trim().slice(0, 30)}" overlaps "${b.node.data.trim().slice(0, 30)}"`);
    }
  }
  problems.push(...overlaps);

  // Horizontal rules: hr, and the top or bottom border of an element with no border at its sides
  // (a box's border is not a rule). Two in a row, one over the other with no text between, is one too many.
  const rules = [];
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    const has = (side) => style[`border${side}Style`] !== "none" && parseFloat(style[`border${side}Width`]) > 0;
    const box = el.getBoundingClientRect();
    if (box.width < 80 || box.height === 0 || !el.checkVisibility()) continue;
    if (el.tagName === "HR") { rules.push({el, y: box.top + box.height / 2, left: box.left, right: box.right}); continue; }
    if (has("Left") || has("Right")) continue;
    if (has("Top")) rules.push({el, y: box.top, left: box.left, right: box.right});
    if (has("Bottom")) rules.push({el, y: box.bottom, left: box.left, right: box.right});
  }
  rules.sort((a, b) => a.y - b.y);
  const across = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 * Math.min(a.right - a.left, b.right - b.left);
  for (let i = 0; i < rules.length; i++) {
    const a = rules[i];
    const b = rules.slice(i + 1).find((r) => r.y > a.y + 2 && across(a, r));
    if (!b || b.y - a.y > 400) continue;
    const between = boxes.some((t) => (t.top + t.bottom) / 2 > a.y && (t.top + t.bottom) / 2 < b.y
      && t.right > Math.max(a.left, b.left) && t.left < Math.min(a.right, b.right));
    if (!between) {
      problems.push(`two rules in a row, ${Math.round(b.y - a.y)}px apart with nothing between: under ${describe(a.el)} and over ${describe(b.el)}`);
    }
  }
  return problems;
}
""".replace("HANGUL", HANGUL)


# Targets (WCAG 2.5.8, and what a thumb needs): every link, button or field is at least 24 px tall
# and wide, unless it is a link in running text, which is as tall as its line. A link counts as in
# running text when the block around it has at least 25 letters of its own besides its links.
TARGETS_JS = r"""
() => {
  const problems = [];
  const blocks = "p, li, dd, dt, td, th, figcaption, blockquote, h1, h2, h3, h4, h5, h6, div, nav, section, header, footer, main, article";
  for (const el of document.querySelectorAll("a[href], button, input, select, textarea, summary")) {
    if (!el.checkVisibility({visibilityProperty: true}) || el.closest(".term-tip, .skip-link")) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || (box.height >= 23.5 && box.width >= 23.5)) continue;
    const block = el.parentElement && el.parentElement.closest(blocks);
    let own = block ? block.textContent : "";
    if (block) for (const other of block.querySelectorAll("a, button, .term-tip")) own = own.replace(other.textContent, "");
    if (own.replace(/[^\p{L}\p{N}]/gu, "").length >= 25) continue;
    const text = (el.textContent || el.getAttribute("aria-label") || "").trim().replace(/\s+/g, " ").slice(0, 40);
    const cls = el.classList.length ? "." + [...el.classList].join(".") : "";
    problems.push(`<${el.tagName.toLowerCase()}${cls}> "${text}" is a target of ${Math.round(box.width)}x${Math.round(box.height)}px, under 24px`);
  }
  return problems;
}
"""


def small_targets(page: Page) -> list[str]:
    """Links, buttons and fields smaller than 24 x 24 px that are not links in running text."""
    found: list[str] = page.evaluate(TARGETS_JS)
    return found


def layout_problems(page: Page) -> list[str]:
    """Sideways scrolling, boxes outside the window, overlapping text, Korean words broken or not keep-all."""
    problems: list[str] = page.evaluate(LAYOUT_JS)
    return problems


# The element that has focus: what it is, whether its focus indicator can be seen, and, for a
# glossary link, whether its tooltip is shown, inside the window and not covered.
FOCUS_JS = r"""
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const parse = (colour) => {
    const n = (colour.match(/[\d.]+/g) || []).map(Number);
    return {r: n[0] || 0, g: n[1] || 0, b: n[2] || 0, a: n.length > 3 ? n[3] : 1};
  };
  const luminance = ({r, g, b}) => {
    const lin = (c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const contrast = (x, y) => {
    const [a, b] = [luminance(x), luminance(y)].sort((p, q) => q - p);
    return (a + 0.05) / (b + 0.05);
  };
  const background = (start) => {
    for (let up = start.parentElement; up; up = up.parentElement) {
      const colour = parse(getComputedStyle(up).backgroundColor);
      if (colour.a > 0.5) return colour;
    }
    return parse(getComputedStyle(document.documentElement).backgroundColor || "rgb(255,255,255)");
  };
  const skipsToMain = (link) => {
    const href = link.getAttribute("href") || "";
    const target = href.startsWith("#") && href.length > 1 ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
    return !!target && (target.tagName === "MAIN" || target.querySelector("main") !== null);
  };
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const width = document.documentElement.clientWidth;
  const cls = el.classList.length ? "." + [...el.classList].join(".") : "";
  const info = {
    key: el.dataset.kbd || null,
    describe: `<${el.tagName.toLowerCase()}${cls}> "${(el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40)}"`,
    href: el.getAttribute("href"),
    isSkipLink: skipsToMain(el),
    outline: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth),
    outlineContrast: contrast(parse(style.outlineColor), background(el)),
    inWindow: false,
    underHeader: false,
    tip: null,
  };
  // a sticky header must not cover what has focus (WCAG 2.4.11): the top of the element, where it is drawn
  const header = document.querySelector("body > header");
  const edge = header && getComputedStyle(header).position !== "static" ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
  if (header && !header.contains(el) && box.width > 0 && box.top < edge - 1) {
    const hit = document.elementFromPoint(Math.min(Math.max(box.left + box.width / 2, 0), width - 1), Math.max(box.top + 2, 0));
    info.underHeader = !!hit && header.contains(hit) && !el.contains(hit);
  }
  // in the window: wholly, or from its top when it is taller than the room below the header
  // (2px of slack below: scrolled to by Tab, a box may end a fraction of a pixel past the window)
  info.inWindow = box.left >= -1 && box.right <= width + 1 && box.top >= -1 && box.width > 0
    && (box.bottom <= window.innerHeight + 2 || (box.height > window.innerHeight - edge && box.top < window.innerHeight / 2));
  const tipId = el.classList.contains("term-link") ? el.getAttribute("aria-describedby") : null;
  if (tipId !== null) {
    const tip = document.getElementById(tipId);
    info.tip = {id: tipId, exists: !!tip};
    if (tip) {
      const t = tip.getBoundingClientRect();
      const x = Math.min(Math.max(t.left + t.width / 2, 0), width - 1), y = t.top + Math.min(t.height / 2, 10);
      const onTop = document.elementFromPoint(x, y);
      Object.assign(info.tip, {
        text: tip.textContent.trim(),
        shown: tip.checkVisibility() && t.width > 0 && t.height > 0,
        inWindow: t.left >= -1 && t.right <= width + 1,
        below: t.top < -1 || t.bottom > window.innerHeight + 1,
        covered: !(onTop && tip.contains(onTop)),
        sideways: document.documentElement.scrollWidth > width,
      });
    }
  }
  return info;
}
"""

# Number the elements a keyboard user should be able to reach, so a Tab walk can tick them off.
MARK_FOCUSABLE_JS = r"""
() => {
  const selector = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), ' +
                   'textarea:not([disabled]), summary, [tabindex]:not([tabindex^="-"])';
  const found = [];
  document.querySelectorAll(selector).forEach((el, index) => {
    if (!el.checkVisibility({visibilityProperty: true})) return;
    el.dataset.kbd = String(index);
    found.push({key: String(index), describe: `<${el.tagName.toLowerCase()}> "${(el.textContent || "").trim().slice(0, 40)}"`,
                term: el.classList.contains("term-link")});
  });
  return found;
}
"""


def focus_problems(info: dict[str, Any], scripted: bool) -> list[str]:
    """What is wrong with the focused element (FOCUS_JS's `info`): an unclear focus indicator, a tooltip not readable.

    A tooltip must open inside the window's width; with the page's script running (`scripted`) it
    must also be wholly in view, the script moving it above its link when there is no room below.
    """
    where = info["describe"]
    problems = []
    if info["outline"] < 2 or info["outlineContrast"] < 3:
        problems.append(f"focus is not clearly visible on {where} (outline {info['outline']}px, contrast {info['outlineContrast']:.2f}:1)")
    if not info["inWindow"]:
        problems.append(f"{where} has focus but is not inside the window")
    elif info.get("underHeader"):
        problems.append(f"{where} has focus but the sticky header covers it")
    tip = info["tip"]
    if tip is None:
        return problems
    if not tip["exists"]:
        return [*problems, f"{where} is described by #{tip['id']}, which does not exist"]
    if not tip["text"]:
        problems.append(f"the tooltip of {where} is empty")
    if not tip["shown"]:
        problems.append(f"the tooltip of {where} is not shown on focus")
    elif not tip["inWindow"] or tip["sideways"]:
        problems.append(f"the tooltip of {where} does not fit in the window's width")
    elif scripted and tip["below"]:
        problems.append(f"the tooltip of {where} opens outside the window")
    elif not tip["below"] and tip["covered"]:
        problems.append(f"the tooltip of {where} is covered by another element")
    return problems


def walk_with_tab(page: Page, scripted: bool = True) -> tuple[list[dict[str, Any]], list[str]]:
    """Press Tab through the whole page from the top; return each focus stop and the problems seen."""
    focusable: list[dict[str, Any]] = page.evaluate(MARK_FOCUSABLE_JS)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops: list[dict[str, Any]] = []
    problems: list[str] = []
    for _ in range(len(focusable) + 3):
        page.keyboard.press("Tab")
        info: dict[str, Any] | None = page.evaluate(FOCUS_JS)
        if info is None or (stops and info["key"] == stops[0]["key"]):
            break  # focus left the page or came round again
        stops.append(info)
        problems += focus_problems(info, scripted)
    if not stops or not stops[0]["isSkipLink"]:
        problems.append(f"the first Tab stop is {stops[0]['describe'] if stops else 'nothing'}, not a link to the main content")
    reached = {stop["key"] for stop in stops}
    problems.extend(f"Tab never reaches {item['describe']}" for item in focusable if item["key"] not in reached)
    return stops, problems
