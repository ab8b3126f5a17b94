// "Try it" buttons on /api/: POST the example to the API and show the JSON answer.
// Same origin only (the CSP allows connect-src 'self'); no inline script. The status lines come
// translated from the button's data-say-* attributes, and the API is asked in the page's language.
(function () {
  "use strict";
  document.querySelectorAll("[data-api-try]").forEach(function (button) {
    button.addEventListener("click", function () {
      var output = document.getElementById(button.getAttribute("aria-controls"));
      output.hidden = false;
      output.textContent = button.dataset.sayCalling || "Calling " + button.dataset.url + "…";
      fetch(button.dataset.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Accept-Language": document.documentElement.lang || "en",
        },
        body: button.dataset.body,
      })
        .then(function (response) {
          return response.json().then(function (body) {
            output.textContent = response.status + "\n" + JSON.stringify(body, null, 2);
          });
        })
        .catch(function (error) {
          var failed = button.dataset.sayFailed || "The request failed: {error}";
          output.textContent = failed.replace("{error}", error.message);
        });
    });
  });
})();
