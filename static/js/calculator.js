// Calculator pages: the leverage control and printing. No inline scripts (the CSP forbids them).
//
// Leverage control (templates/calculators/includes/leverage.html): a wrapper [data-leverage]
// holding the form's text input (named, submitted, the one the server reads) and a range
// input (unnamed, so it never reaches the query string) plus an <output> showing "20x".
// Arrow keys on the slider or typing in the box update the other one, the visible value and
// aria-valuetext ("20× leverage"). Without JavaScript the slider stays hidden and the text
// input works alone. After each htmx swap the result says the highest leverage the chosen
// tier allows (data-leverage-max); both inputs take it as their max.
//
// Printing: "Show the maths" and other <details> open before printing, so the printout keeps
// the working (static/css/site.css hides the form and navigation in print).
//
// "More inputs" (templates/calculators/includes/form.html): the server opens it when the query
// sets one of its fields or one has an error or is needed; as someone types, only the result
// is swapped, so after each swap an error or a needed input the result names for a field
// inside it opens it here.
//
// Assumptions (templates/calculators/includes/assumptions.html) and needed inputs
// (templates/calculators/includes/errors.html): a "Set your own ..." or an input's link in
// the result opens the disclosure holding its field (if any) and focuses the field.
//
// Deferred analysis (every calculator page): as someone types, the new result's #analysis
// block is a placeholder (templates/calculators/includes/analysis_pending.html) that fetches
// the maths, charts and tables for the new inputs a second after it arrives
// (hx-trigger="load delay:1s"; a placeholder replaced by a newer result within that second
// never asks, so typing that goes on costs only the result requests). Until they arrive it keeps
// showing the previous ones under a note saying they are for the previous inputs, marked
// aria-busy, so the page does not jump at every keystroke.
(function () {
  "use strict";

  function bind(wrapper) {
    if (wrapper.getAttribute("data-leverage-bound")) { return; }
    var box = wrapper.querySelector("input:not([type=range])");
    var slider = wrapper.querySelector("input[type=range]");
    var shown = wrapper.querySelector("output");
    if (!box || !slider) { return; }
    wrapper.setAttribute("data-leverage-bound", "true");
    slider.hidden = false;

    // The spoken value comes translated from the template (data-say-value, data-say-none).
    function show(value) {
      if (shown) { shown.textContent = value === "" ? "" : value + "\u00d7"; }
      var said = value === "" ? wrapper.getAttribute("data-say-none") || "no leverage set"
        : (wrapper.getAttribute("data-say-value") || "{value}\u00d7 leverage").replace("{value}", value);
      slider.setAttribute("aria-valuetext", said);
    }
    slider.addEventListener("input", function () {
      box.value = slider.value;
      show(slider.value);
    });
    box.addEventListener("input", function () {
      var number = parseFloat(box.value.replace(",", "."));
      if (!isNaN(number)) { slider.value = String(number); }
      show(box.value.trim());
    });
    var number = parseFloat(box.value.replace(",", "."));
    if (!isNaN(number)) { slider.value = String(number); }
    show(box.value.trim());
  }

  function applyCap() {
    var source = document.querySelector("[data-leverage-max]");
    if (!source) { return; }
    var cap = source.getAttribute("data-leverage-max");
    document.querySelectorAll("[data-leverage]").forEach(function (wrapper) {
      var slider = wrapper.querySelector("input[type=range]");
      if (!slider) { return; }
      var max = cap || slider.getAttribute("data-default-max");
      if (max && slider.max !== max) {
        slider.max = max;
        var box = wrapper.querySelector("input:not([type=range])");
        if (box) { box.max = max; }
        var note = wrapper.querySelector("[data-leverage-cap]");
        var says = wrapper.getAttribute("data-say-cap") || "maximum {cap}\u00d7 here";
        if (note) { note.textContent = cap ? says.replace("{cap}", cap) : ""; }
      }
    });
  }

  function openMoreForErrors() {
    var links = "#result [data-error-list] a[href^='#'], #result [data-needed] a[href^='#']";
    document.querySelectorAll(links).forEach(function (link) {
      var field = document.getElementById(link.getAttribute("href").slice(1));
      var more = field && field.closest("details[data-more-inputs]");
      if (more && !more.open) { more.open = true; }
    });
  }

  function setUp() {
    document.querySelectorAll("[data-leverage]").forEach(bind);
    applyCap();
    openMoreForErrors();
  }
  var previousAnalysis = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "result") { return; }
    var old = document.getElementById("analysis");
    previousAnalysis = old && old.querySelector(".calc-maths, [data-chart], .scenario-table") ? old : null;
  });
  document.addEventListener("htmx:afterSwap", function () {
    var pending = document.querySelector("#analysis[aria-busy]");
    var old = previousAnalysis;
    previousAnalysis = null;
    if (!pending || !old || pending === old) { return; }
    var stale = document.createElement("div");
    stale.className = "calc-analysis-stale";
    var carried = old.querySelector(".calc-analysis-stale") || old;  // typed again before it came
    Array.prototype.slice.call(carried.childNodes).forEach(function (node) {
      if (!(node.classList && node.classList.contains("calc-analysis-pending"))) {
        stale.appendChild(node);
      }
    });
    var note = pending.querySelector(".calc-analysis-pending");
    var updating = pending.getAttribute("data-say-updating") ||
      "Updating: the figures below still show the previous inputs.";
    if (note) { note.textContent = updating; }
    pending.appendChild(stale);
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-focus-field]") : null;
    var field = link && document.getElementById(link.getAttribute("data-focus-field"));
    if (!field) { return; }
    event.preventDefault();
    for (var node = field.parentElement; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
    field.focus();
  });

  document.addEventListener("DOMContentLoaded", setUp);
  document.addEventListener("htmx:afterSettle", setUp);
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("[data-print-open]").forEach(function (details) {
      details.open = true;
    });
  });
})();
