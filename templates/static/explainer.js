// Progressive enhancement only: every page works without this file.
// Glossary tooltips: Escape dismisses the one shown (WCAG 1.4.13), and a tooltip that
// would run off the right edge of the window opens to the left instead.
(function () {
  "use strict";
  function place(term) {
    var tip = term.querySelector(".term-tip");
    if (!tip) return;
    term.classList.remove("tip-left");
    var rect = term.getBoundingClientRect();
    var room = document.documentElement.clientWidth - rect.left;
    if (room < Math.min(352, window.innerWidth * 0.8)) term.classList.add("tip-left");
  }
  document.addEventListener("focusin", function (event) {
    var term = event.target.closest && event.target.closest(".term");
    if (term) { term.classList.remove("tip-dismissed"); place(term); }
  });
  document.addEventListener("mouseover", function (event) {
    var term = event.target.closest && event.target.closest(".term");
    if (term) { term.classList.remove("tip-dismissed"); place(term); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".term").forEach(function (term) { term.classList.add("tip-dismissed"); });
  });
})();
