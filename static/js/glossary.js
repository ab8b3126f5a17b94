// Glossary tooltips on learn pages: Escape hides the open tooltip (WCAG 1.4.13, dismissible);
// it shows again once focus or the pointer leaves the term and comes back.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".term:hover, .term:focus-within").forEach(function (term) {
      term.classList.add("tip-dismissed");
    });
  });
  function reset(event) {
    var term = event.target.closest && event.target.closest(".term");
    if (term) term.classList.remove("tip-dismissed");
  }
  document.addEventListener("focusout", reset);
  document.addEventListener("mouseout", reset);
})();
