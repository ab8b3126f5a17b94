/*! riskcalc embed loader: <div data-riskcalc="liquidation" data-theme="dark" data-leverage="100"></div>
 * plus <script async src="https://<riskcalc host>/embed.js"></script>. No dependencies. */
// Each [data-riskcalc] element gets a lazy-loaded, titled iframe of /embed/<name>/ whose query
// is the element's other data-* attributes (data-entry-price -> entry_price). The frame reports
// its content height by postMessage; a message counts only if it comes from riskcalc's origin
// (taken from this script's own src), from one of the frames made here, and carries a finite
// positive height, which is capped. Including the script twice mounts nothing twice.
(function () {
  "use strict";
  if (window.riskcalcEmbed) { window.riskcalcEmbed.scan(); return; }

  var MAX_HEIGHT = 8000;
  var script = document.currentScript ||
    document.querySelector("script[src$='/embed.js']");
  if (!script) { return; }
  var origin = new URL(script.src, location.href).origin;
  var frames = {};
  var count = 0;

  function title(name) {
    return "riskcalc " + name.replace(/-/g, " ") + " calculator";
  }

  function mount(element) {
    var name = element.getAttribute("data-riskcalc");
    if (element.getAttribute("data-riskcalc-mounted") || !/^[a-z][a-z-]{0,39}$/.test(name)) { return; }
    element.setAttribute("data-riskcalc-mounted", "true");
    var id = "riskcalc-" + (++count);
    var query = new URLSearchParams();
    Array.prototype.forEach.call(element.attributes, function (attribute) {
      var key = attribute.name;
      if (key.indexOf("data-") !== 0 || key.indexOf("data-riskcalc") === 0 ||
          key === "data-height" || key === "data-title") { return; }
      query.set(key.slice(5).replace(/-/g, "_"), attribute.value);
    });
    query.set("widget", id);
    if (/^https?:/.test(location.protocol)) { query.set("origin", location.origin); }

    var frame = document.createElement("iframe");
    frame.src = origin + "/embed/" + name + "/?" + query.toString();
    frame.title = element.getAttribute("data-title") || title(name);
    frame.setAttribute("loading", "lazy");
    frame.style.cssText = "display:block;width:100%;border:0;height:" +
      (parseInt(element.getAttribute("data-height"), 10) || 640) + "px";
    frames[id] = frame;
    element.appendChild(frame);
  }

  function scan() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-riskcalc]"), mount);
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== origin || !data || data.type !== "riskcalc:height") { return; }
    var frame = Object.prototype.hasOwnProperty.call(frames, data.id) ? frames[data.id] : null;
    if (!frame || frame.contentWindow !== event.source) { return; }
    var height = data.height;
    if (typeof height !== "number" || !isFinite(height) || height <= 0) { return; }
    frame.style.height = Math.min(Math.ceil(height), MAX_HEIGHT) + "px";
  });

  window.riskcalcEmbed = { scan: scan };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scan);
  } else {
    scan();
  }
})();
