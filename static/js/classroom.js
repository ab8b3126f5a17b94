// Classroom pages: show the server's message when an htmx request is refused (429 too many
// answers, 403 session closed, 404 link unknown). htmx does not swap error responses by
// default; the classroom's error responses are short fragments meant to be shown in place.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 403 || status === 404 || status === 409 || status === 429) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      event.detail.swapOverride = "beforeend";
    }
  });
})();
