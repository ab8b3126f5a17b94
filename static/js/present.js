// Projector mode: move between steps with the keyboard. The slides are plain links
// (rel="prev"/"next"), so everything also works without this script.
(function () {
  "use strict";
  var NEXT = ["ArrowRight", "PageDown", " ", "Spacebar"];
  var PREV = ["ArrowLeft", "PageUp"];

  function follow(selector) {
    var link = document.querySelector(selector);
    if (link && link.href) {
      window.location.assign(link.href);
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var target = event.target;
    if (target && target.closest && target.closest("input, textarea, select, button, [contenteditable]")) {
      return;
    }
    var moved = false;
    if (PREV.indexOf(event.key) !== -1 || (event.key === " " && event.shiftKey)) {
      moved = follow('a[rel="prev"]');
    } else if (NEXT.indexOf(event.key) !== -1) {
      moved = follow('a[rel="next"]');
    } else if (event.key === "Home") {
      moved = follow('a[data-present="first"]');
    } else if (event.key === "End") {
      moved = follow('a[data-present="last"]');
    }
    if (moved) {
      event.preventDefault();
    }
  });
})();
