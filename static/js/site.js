// Site behaviour that the CSP allows: this file is served from 'self', nothing runs inline.
(function () {
  "use strict";

  // Controls that only matter without JavaScript (their htmx version takes over) hide themselves.
  document.documentElement.classList.add("js");

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // htmx requests carry Django's CSRF token in the header Django reads (X-CSRFToken).
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  });
})();
