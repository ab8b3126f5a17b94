// Light/dark theme: follows the system setting until the visitor picks one with the toggle.
// Loaded in <head> without defer so the page never flashes the wrong theme.
(function () {
  "use strict";
  var storageKey = "riskcalc-theme";
  var media = window.matchMedia("(prefers-color-scheme: dark)");

  function stored() {
    try { return localStorage.getItem(storageKey); } catch (e) { return null; }
  }
  function preferred() {
    var choice = stored();
    if (choice === "light" || choice === "dark") { return choice; }
    return media.matches ? "dark" : "light";
  }
  function apply(theme) {
    document.documentElement.setAttribute("data-bs-theme", theme);
    var button = document.getElementById("theme-toggle");
    if (button) {
      // The titles come translated from the template (data-title-dark, data-title-light).
      var next = theme === "dark" ? "light" : "dark";
      button.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
      button.title = button.getAttribute("data-title-" + next) || "";
    }
  }

  apply(preferred());
  media.addEventListener("change", function () {
    if (!stored()) { apply(preferred()); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme-toggle");
    if (!button) { return; }
    button.hidden = false;
    apply(preferred());
    button.addEventListener("click", function () {
      var theme = document.documentElement.getAttribute("data-bs-theme") === "dark" ? "light" : "dark";
      try { localStorage.setItem(storageKey, theme); } catch (e) { /* private mode: not remembered */ }
      apply(theme);
    });
  });
})();
