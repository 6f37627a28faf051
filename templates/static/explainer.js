// Progressive enhancement only: every page works without this file.
// Glossary tooltips: Escape dismisses the one shown (WCAG 1.4.13). Without this script a tooltip
// opens below its link's line at the start of the text column (see style.css); here it moves
// beside the link, stays inside the window, and opens above the link when there is no room below.
(function () {
  "use strict";
  var MARGIN = 8;
  function place(term) {
    var tip = term.querySelector(".term-tip");
    var link = term.querySelector(".term-link");
    if (!tip || !link) return;
    tip.style.transform = "";
    var t = tip.getBoundingClientRect();
    if (!t.width) return; // not shown
    // A link that wraps has one box per line: a tooltip below lines up with the last line,
    // one above with the first, so the pointer can always move straight onto it.
    var rects = link.getClientRects();
    var first = rects[0] || link.getBoundingClientRect();
    var last = rects[rects.length - 1] || first;
    var above = t.bottom > window.innerHeight && first.top - t.height - 2 >= 0;
    var anchor = above ? first : last;
    var width = document.documentElement.clientWidth;
    var dx = Math.max(Math.min(anchor.left - t.left, width - MARGIN - t.right), MARGIN - t.left);
    var dy = above ? first.top - 2 - t.height - t.top : 0;
    tip.classList.toggle("tip-above", above);
    tip.style.transform = "translate(" + Math.round(dx) + "px, " + Math.round(dy) + "px)";
  }
  function show(event) {
    var term = event.target.closest && event.target.closest(".term");
    if (!term || (event.relatedTarget && term.contains(event.relatedTarget))) return;
    term.classList.remove("tip-dismissed");
    place(term);
  }
  document.addEventListener("focusin", show);
  document.addEventListener("mouseover", show);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".term").forEach(function (term) { term.classList.add("tip-dismissed"); });
  });
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
