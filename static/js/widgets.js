// Widget builder (templates/widgets/builder.html): copy buttons, the live preview and its inputs.
// The snippets are plain text in <pre> elements, so copying by hand works without this file.
// After htmx swaps in a new output section, the embed loader (/embed.js) mounts its preview.
(function () {
  "use strict";

  // The sentences come translated from the template (#copy-status's data-say-* attributes).
  function say(name, english) {
    var live = document.getElementById("copy-status");
    return (live && live.getAttribute("data-say-" + name)) || english;
  }

  function status(text) {
    var live = document.getElementById("copy-status");
    if (live) { live.textContent = text; }
  }

  function setUp() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      if (button.getAttribute("data-copy-bound")) { return; }
      button.setAttribute("data-copy-bound", "true");
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        var text = source ? source.textContent : "";
        var label = button.getAttribute("data-label") || button.textContent;
        button.setAttribute("data-label", label);
        var done = function () {
          status(say("copied", "Copied."));
          button.textContent = say("copied-button", "Copied");
          window.setTimeout(function () { button.textContent = label; }, 2000);
        };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(done, function () {
            status(say("failed", "Could not copy: select the text and copy it."));
          });
        } else {
          var range = document.createRange();
          range.selectNodeContents(source);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          status(say("selected", "Selected: press Ctrl+C or Cmd+C to copy."));
        }
      });
    });
    if (window.riskcalcEmbed) { window.riskcalcEmbed.scan(); }
  }

  // Configured by using the widget: the preview (same origin, see static/js/embed-frame.js)
  // reports the inputs it computed with; they become the prefill, and only the snippets are
  // asked for again, checked by the calculator's own form, so the preview is not reloaded
  // under the typing. A changed choice (theme, mode...) reloads it with that prefill.
  window.addEventListener("message", function (event) {
    var data = event.data;
    var frame = document.querySelector(".widget-preview iframe");
    var field = document.getElementById("id_prefill");
    var form = document.getElementById("widget-form");
    if (event.origin !== location.origin || !frame || event.source !== frame.contentWindow ||
        !data || data.type !== "riskcalc:inputs" || typeof data.query !== "string" ||
        !field || !form || !window.htmx || field.value === data.query) { return; }
    field.value = data.query;
    window.htmx.ajax("GET", form.getAttribute("action"), { source: form, target: "#snippets", swap: "outerHTML" });
  });

  document.addEventListener("DOMContentLoaded", setUp);
  document.addEventListener("htmx:afterSettle", setUp);
})();
