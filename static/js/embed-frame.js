// Inside an embedded widget (templates/embed/base.html): theme, height reports, links.
// Loaded in <head> without defer so theme=auto never flashes the wrong colours.
//
// Height: a ResizeObserver on the whole document posts {type: "riskcalc:height", id, height}
// to the host page, only when the loader told this frame the host's origin (?origin=) and its
// id (?widget=); the server validated both. The message goes to that origin alone, never to
// any (a plain iframe learns both from the loader's hello, below). The height is the <html>
// element's border box: every margin and border inside it (the
// accent's top border too), so a frame set to it never scrolls inside.
// Links: anything leaving this calculator opens in a new tab instead of inside the frame;
// links to another state of the same widget keep its options (theme, origin, id...).
(function () {
  "use strict";
  var root = document.documentElement;

  if (root.getAttribute("data-embed-theme") === "auto" && window.matchMedia) {
    var media = window.matchMedia("(prefers-color-scheme: dark)");
    var apply = function () { root.setAttribute("data-bs-theme", media.matches ? "dark" : "light"); };
    apply();
    media.addEventListener("change", apply);
  }

  var parentOrigin = root.getAttribute("data-parent-origin");
  var widgetId = root.getAttribute("data-widget-id");
  var watching = false;

  function watchHeight() {
    var content = document.documentElement;
    if (watching || !parentOrigin || !widgetId || window.parent === window) { return; }
    watching = true;
    var last = 0;
    function report() {
      var height = Math.ceil(content.getBoundingClientRect().height);
      if (height > 0 && height !== last) {
        last = height;
        window.parent.postMessage({ type: "riskcalc:height", id: widgetId, height: height }, parentOrigin);
      }
    }
    if (window.ResizeObserver) {
      new ResizeObserver(report).observe(content);
    } else {
      window.addEventListener("resize", report);
      document.addEventListener("htmx:afterSettle", report);
      document.addEventListener("toggle", report, true);
    }
    report();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || link.target) { return; }
    var url = new URL(link.href, location.href);
    if (url.origin === location.origin && url.pathname === location.pathname) {
      // Another state of this widget (an example link): keep the widget's own options.
      document.querySelectorAll("input[type=hidden][form]").forEach(function (input) {
        if (!url.searchParams.has(input.name)) { url.searchParams.set(input.name, input.value); }
      });
      link.href = url.href;
      return;
    }
    link.target = "_blank";
    link.rel = "noopener";
  });

  // A plain iframe (the builder's iframe snippet, oEmbed) has no ?origin=: when the host page
  // also loads /embed.js, the loader introduces itself with {type: "riskcalc:hello", id}. Only
  // the parent window counts, and its origin is the one the browser vouches for.
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (parentOrigin || event.source !== window.parent || !data || data.type !== "riskcalc:hello" ||
        typeof data.id !== "string" || !/^[A-Za-z0-9_-]{1,40}$/.test(data.id) ||
        !/^https?:\/\//.test(event.origin)) { return; }
    parentOrigin = event.origin;
    widgetId = data.id;
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", watchHeight);
    } else {
      watchHeight();
    }
  });

  document.addEventListener("DOMContentLoaded", watchHeight);

  // In the widget builder, a page of riskcalc itself (the parent's origin is ours), the inputs
  // become the snippet's prefill: after each update, tell it the ones the widget was opened
  // with or someone has touched (not every select's default), as a query string. Never to
  // another origin: a publisher's page learns nothing its readers type.
  var touched = {};
  new URLSearchParams(location.search).forEach(function (value, name) { touched[name] = true; });
  function touch(event) {
    var target = event.target;
    var name = target.name || (target.closest && target.closest("[data-leverage]") ? "leverage" : "");
    if (name) { touched[name] = true; }
  }
  document.addEventListener("input", touch);
  document.addEventListener("change", touch);
  document.addEventListener("htmx:afterSettle", function () {
    var form = document.getElementById("form");
    if (!form || parentOrigin !== location.origin || !widgetId || window.parent === window) { return; }
    var options = {};
    document.querySelectorAll("input[type=hidden][form]").forEach(function (input) {
      options[input.name] = true;
    });
    var query = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (touched[name] && !options[name] && typeof value === "string" && value.trim()) {
        query.append(name, value.trim());
      }
    });
    window.parent.postMessage({ type: "riskcalc:inputs", id: widgetId, query: query.toString() }, parentOrigin);
  });
})();
