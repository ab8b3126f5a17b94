/*! riskcalc embed loader: <div data-riskcalc="liquidation" data-theme="dark" data-leverage="100"></div>
 * plus <script async src="https://<riskcalc host>/embed.js"></script>. No dependencies. */
// Each [data-riskcalc] element gets a lazy-loaded, titled iframe of /embed/<name>/ whose query
// is the element's other data-* attributes (data-entry-price -> entry_price). The frame reports
// its content height by postMessage; a message counts only if it comes from riskcalc's origin
// (taken from this script's own src), from one of the frames made here, and carries a finite
// positive height, which is capped. Including the script twice mounts nothing twice. Plain
// iframes of /embed/ marked data-riskcalc-frame (the iframe snippet) are resized the same way.
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

  // A plain iframe of ours (the builder's iframe snippet, oEmbed's HTML) marked
  // data-riskcalc-frame: say hello so it reports its height here, as a mounted one does. The
  // first hello may reach the frame before its page has loaded (lost, so sent to any origin:
  // it carries only the id); each load of the frame gets one addressed to riskcalc alone.
  function adopt(frame) {
    var src;
    try { src = new URL(frame.src, location.href); } catch (error) { return; }
    if (frame.getAttribute("data-riskcalc-mounted") || src.origin !== origin ||
        src.pathname.indexOf("/embed/") !== 0) { return; }
    frame.setAttribute("data-riskcalc-mounted", "true");
    var id = "riskcalc-" + (++count);
    frames[id] = frame;
    frame.addEventListener("load", function () {
      frame.contentWindow.postMessage({ type: "riskcalc:hello", id: id }, origin);
    });
    if (frame.contentWindow) { frame.contentWindow.postMessage({ type: "riskcalc:hello", id: id }, "*"); }
  }

  function scan() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-riskcalc]"), mount);
    Array.prototype.forEach.call(document.querySelectorAll("iframe[data-riskcalc-frame]"), adopt);
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
