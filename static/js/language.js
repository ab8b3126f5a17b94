// The language switcher remembers the reader's choice: picking a language sets Django's
// language cookie (its name is on the switcher), and the home page at / sends a reader whose
// cookie names another language to that language's home (riskcalc/views/pages.py).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".language-switcher a[hreflang]");
    if (!link) { return; }
    var name = link.closest(".language-switcher").getAttribute("data-cookie-name");
    if (!name) { return; }
    var secure = window.location.protocol === "https:" ? "; secure" : "";
    document.cookie = name + "=" + encodeURIComponent(link.getAttribute("hreflang")) +
      "; path=/; max-age=31536000; samesite=lax" + secure;
  });
})();
