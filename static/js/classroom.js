// Classroom pages: an error response that names its own target (HX-Retarget, with HX-Reswap)
// is a fragment meant for the page, such as an exercise saying "the teacher has closed this
// session" or "too many answers". htmx 2 does not swap 4xx responses, so swap these; and keep
// them from django-htmx's DEBUG helper, which replaces the whole document with any 400, 403,
// 404 or 500 response (a capture listener on document runs before its listener there).
(function () {
  "use strict";
  function namesItsTarget(xhr) {
    return Boolean(xhr && xhr.getResponseHeader("HX-Retarget"));
  }
  document.addEventListener(
    "htmx:beforeOnLoad",
    function (event) {
      if (namesItsTarget(event.detail.xhr)) {
        event.stopPropagation();
      }
    },
    true
  );
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (namesItsTarget(event.detail.xhr)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
