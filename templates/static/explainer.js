// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // The sticky header's bottom edge: nothing should open or be read under it.
  function headerBottom() {
    const header = document.querySelector(".site-header");
    return header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
  }

  // ---- Glossary tooltips ------------------------------------------------------------------
  // Escape dismisses the one shown (WCAG 1.4.13). Without this script a tooltip opens below its
  // link's line at the start of the text column (see style.css); here it moves beside the link,
  // stays inside the window, and opens above the link when there is no room below. On a touch
  // screen the first tap on a term shows its definition and the second follows the link.
  const MARGIN = 8;
  function place(term) {
    const tip = term.querySelector(".term-tip");
    const link = term.querySelector(".term-link");
    if (!tip || !link) return;
    tip.style.transform = "";
    const t = tip.getBoundingClientRect();
    if (!t.width) return; // not shown
    // A link that wraps has one box per line: a tooltip below lines up with the last line,
    // one above with the first, so the pointer can always move straight onto it.
    const rects = link.getClientRects();
    const first = rects[0] || link.getBoundingClientRect();
    const last = rects[rects.length - 1] || first;
    const above = t.bottom > window.innerHeight && first.top - t.height - 2 >= headerBottom();
    const anchor = above ? first : last;
    const width = document.documentElement.clientWidth;
    const dx = Math.max(Math.min(anchor.left - t.left, width - MARGIN - t.right), MARGIN - t.left);
    const dy = above ? first.top - 2 - t.height - t.top : 0;
    tip.classList.toggle("tip-above", above);
    tip.style.transform = "translate(" + Math.round(dx) + "px, " + Math.round(dy) + "px)";
  }
  function show(event) {
    const term = event.target.closest && event.target.closest(".term");
    if (!term || (event.relatedTarget && term.contains(event.relatedTarget))) return;
    term.classList.remove("tip-dismissed");
    place(term);
  }
  function closeTapped(except) {
    document.querySelectorAll(".term.tip-open").forEach((term) => { if (term !== except) term.classList.remove("tip-open"); });
  }
  document.addEventListener("focusin", show);
  document.addEventListener("mouseover", show);
  let touched = null; // the glossary link a finger (or pen) went down on
  document.addEventListener("pointerdown", (event) => {
    touched = event.pointerType !== "mouse" && event.target.closest ? event.target.closest(".term-link") : null;
  }, true);
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest(".term-link");
    const term = link && link.closest(".term");
    if (term && link === touched && !term.classList.contains("tip-open")) {
      event.preventDefault(); // first tap: the definition; a second tap follows the link
      closeTapped(term);
      term.classList.remove("tip-dismissed");
      term.classList.add("tip-open");
      place(term);
      return;
    }
    if (!(event.target.closest && event.target.closest(".term.tip-open"))) closeTapped(null);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    closeTapped(null);
    document.querySelectorAll(".term").forEach((term) => term.classList.add("tip-dismissed"));
  });

  // ---- Panels (popovers) -----------------------------------------------------------------
  // A link followed inside an open panel (the menu, the page's contents) closes the panel.
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("[popover] a[href]");
    const panel = link && link.closest("[popover]");
    try {
      if (panel && panel.matches(":popover-open")) panel.hidePopover();
    } catch (error) { /* a browser without popovers shows the panels as plain blocks */ }
  });

  // ---- The page's contents: the section being read is marked ------------------------------
  const tocLinks = Array.from(document.querySelectorAll(".toc-list a[href^='#']"));
  const targets = tocLinks.map((link) => document.getElementById(decodeURIComponent(link.hash.slice(1))));
  let spying = 0;
  function spy() {
    spying = 0;
    const line = headerBottom() + window.innerHeight * 0.2;
    let current = -1;
    targets.forEach((target, index) => {
      if (target && target.getClientRects().length && target.getBoundingClientRect().top <= line) current = index;
    });
    tocLinks.forEach((link, index) => {
      if (index === current) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    });
  }
  if (tocLinks.length) {
    window.addEventListener("scroll", () => { if (!spying) spying = requestAnimationFrame(spy); }, { passive: true });
    spy();
  }

  // ---- The facts page: a tag's link filters the cards ------------------------------------
  // Without this script a tag's link leads to the list of its facts at the end of the page.
  const filter = document.querySelector(".tag-filter");
  if (filter) {
    const status = filter.querySelector(".filter-status");
    const reset = filter.querySelector(".filter-reset");
    const cards = Array.from(document.querySelectorAll(".fact[data-tags]"));
    const groups = Array.from(document.querySelectorAll(".fact-group"));
    const index = document.querySelector(".tag-index");
    let active = "";

    const showAll = () => {
      active = "";
      cards.forEach((card) => { card.hidden = false; });
      groups.forEach((group) => { group.hidden = false; });
      if (index) index.hidden = false;
      filter.querySelectorAll(".tag").forEach((tag) => tag.removeAttribute("aria-current"));
      status.textContent = "";
      reset.hidden = true;
    };
    const showTag = (anchor) => {
      const chosen = filter.querySelector('.tag[data-tag="' + CSS.escape(anchor) + '"]');
      if (!chosen) return false;
      active = anchor;
      let shown = 0;
      cards.forEach((card) => {
        const has = card.dataset.tags.split(" ").includes(anchor);
        card.hidden = !has;
        if (has) shown += 1;
      });
      groups.forEach((group) => { group.hidden = !group.querySelector(".fact:not([hidden])"); });
      if (index) index.hidden = true;
      filter.querySelectorAll(".tag").forEach((tag) => {
        if (tag === chosen) tag.setAttribute("aria-current", "true");
        else tag.removeAttribute("aria-current");
      });
      const name = chosen.firstChild ? chosen.firstChild.textContent.trim() : anchor;
      status.textContent = status.dataset.label.split("{tag}").join(name).split("{n}").join(String(shown))
        .split("{total}").join(status.dataset.total);
      reset.hidden = false;
      return true;
    };
    const follow = () => {
      const id = decodeURIComponent(location.hash.slice(1));
      if (id.startsWith("tag-") && showTag(id)) {
        filter.scrollIntoView({ block: "start" });
        return;
      }
      const target = id && document.getElementById(id);
      if (active && (!target || target.closest("[hidden]"))) {
        showAll(); // a fact the filter hides was asked for: show everything again
        if (target) target.scrollIntoView({ block: "start" });
      }
    };
    reset.querySelector("a").addEventListener("click", (event) => {
      event.preventDefault();
      history.pushState(null, "", location.pathname + location.search);
      showAll();
      filter.querySelector(".tag").focus();
    });
    window.addEventListener("hashchange", follow);
    follow();
  }
})();

/* A fact's "Copy link" button: shown only where scripts run; copies the fact's permanent address
   and says so in its own words (a polite live region beside it), then reads as before. */
(function () {
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.appendChild(field);
    field.select();
    var done = document.execCommand("copy");
    document.body.removeChild(field);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  document.querySelectorAll("button.copy-link[data-copy]").forEach(function (button) {
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.after(status);
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(button.dataset.copy).then(function () {
        status.textContent = button.dataset.copied;
        setTimeout(function () { status.textContent = ""; }, 4000);
      }, function () {
        window.prompt(button.textContent, button.dataset.copy);
      });
    });
  });
})();
