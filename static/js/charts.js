// Charts: every element with data-chart="<id of a json_script element>" becomes a Plotly chart.
//
// The figure is a plain {data, layout, config} dict built on the server (riskcalc/charts.py)
// and shipped with Django's json_script, so no inline script is needed (the CSP forbids it).
// Plotly's bundle is loaded only when a page shows a chart: the chart element names it in
// data-plotly-src (a hashed static URL), and it is fetched once, on first use. A chart is
// drawn when it comes within about a screen of the viewport (IntersectionObserver), so a
// shared result link on a phone does not parse 1.2 MB of Plotly before the reader scrolls
// to the charts (Lighthouse: total blocking time 2.7 s when everything was drawn at once).
// Printouts leave the charts out (site.css), so nothing waits for them there.
//
// CSP: Plotly writes its rules into <style id="plotly.js-style-global">; a style element
// carrying the page's nonce is allowed to be changed through the CSSOM (plotly/plotly.js#7543).
// Pages render that element in <head>; where one is missing (an embed), this file creates it
// with the nonce of the page's own scripts.
(function () {
  "use strict";
  var loading = {};  // bundle URL -> Promise of window.Plotly (one fetch per bundle)

  function ensurePlotlyStyle() {
    if (document.getElementById("plotly.js-style-global")) { return; }
    var nonced = document.querySelector("script[nonce]");
    var style = document.createElement("style");
    style.id = "plotly.js-style-global";
    if (nonced && nonced.nonce) { style.nonce = nonced.nonce; }
    document.head.appendChild(style);
  }

  // A page uses one bundle (basic for the calculators, geo for the restrictions map); the
  // first chart's data-plotly-src decides, and a loaded Plotly is reused.
  function loadPlotly(src) {
    if (window.Plotly) { return Promise.resolve(window.Plotly); }
    if (!loading[src]) {
      ensurePlotlyStyle();
      loading[src] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.onload = function () { resolve(window.Plotly); };
        script.onerror = function () {
          delete loading[src];
          reject(new Error("Could not load " + src));
        };
        document.head.appendChild(script);
      });
    }
    return loading[src];
  }

  // Colours follow the Bootstrap theme (light or dark) through its CSS variables.
  function themed(layout) {
    var styles = getComputedStyle(document.body);
    var text = styles.getPropertyValue("--bs-body-color").trim() || "#212529";
    var grid = styles.getPropertyValue("--bs-border-color").trim() || "#dee2e6";
    var copy = JSON.parse(JSON.stringify(layout || {}));
    copy.paper_bgcolor = "rgba(0,0,0,0)";
    copy.plot_bgcolor = "rgba(0,0,0,0)";
    copy.font = Object.assign({ color: text, family: styles.fontFamily, size: 13 }, copy.font || {});
    Object.keys(copy).forEach(function (key) {
      if (/^[xy]axis\d*$/.test(key)) {
        copy[key] = Object.assign({ gridcolor: grid, zerolinecolor: grid, linecolor: grid }, copy[key]);
      }
    });
    (copy.annotations || []).forEach(function (note) {
      note.font = Object.assign({ color: text }, note.font || {});
    });
    return copy;
  }

  // The figure comes from a json_script element named by data-chart, or, for a figure too
  // big to ship with every page (the restrictions map), from the URL in data-chart-src,
  // fetched only when the chart comes near the viewport and kept for redraws.
  var figures = new WeakMap();
  function figureOf(element) {
    if (!figures.has(element)) {
      var url = element.getAttribute("data-chart-src");
      var source = document.getElementById(element.getAttribute("data-chart"));
      figures.set(element, url ? fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error("Could not load " + url); }
        return response.json();
      }) : source ? Promise.resolve(JSON.parse(source.textContent)) : null);
    }
    return figures.get(element);
  }

  function draw(element) {
    var figure = figureOf(element);
    if (!figure) { return; }
    element.setAttribute("data-chart-state", "loading");
    Promise.all([figure, loadPlotly(element.getAttribute("data-plotly-src"))]).then(function (loaded) {
      var data = loaded[0], Plotly = loaded[1];
      var config = Object.assign({ responsive: true, displaylogo: false, displayModeBar: false },
        data.config || {});
      return Plotly.react(element, data.data || [], themed(data.layout), config);
    }).then(function () {
      element.setAttribute("data-chart-state", "drawn");
    });
  }

  function observer(rootMargin) {
    if (!("IntersectionObserver" in window)) { return null; }
    var watching = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          watching.unobserve(entry.target);
          if (!entry.target.hasAttribute("data-chart-state")) { draw(entry.target); }
        }
      });
    }, { rootMargin: rootMargin });
    return watching;
  }
  var nearViewport = observer("100% 0px");
  // A chart whose figure is fetched (data-chart-src) waits until it is actually on screen:
  // its figure and Plotly are the heaviest things such a page loads.
  var inViewport = observer("0px");

  // Observing an element already observed does nothing, so every htmx swap can call this.
  function drawNew() {
    document.querySelectorAll("[data-chart]:not([data-chart-state])").forEach(function (element) {
      var watching = element.hasAttribute("data-chart-src") ? inViewport : nearViewport;
      if (watching) { watching.observe(element); } else { draw(element); }
    });
  }

  function redrawAll() {
    document.querySelectorAll("[data-chart][data-chart-state='drawn']").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", drawNew);
  document.addEventListener("htmx:afterSettle", drawNew);
  new MutationObserver(redrawAll).observe(document.documentElement,
    { attributes: true, attributeFilter: ["data-bs-theme"] });
})();
