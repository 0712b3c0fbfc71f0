// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary so screen-reader users hear what to fix.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
    // Else to the outcome of the last action, shown where the page lands (e.g. a row).
    var outcome = summary ? null : document.querySelector("[data-focus-on-load]");
    if (outcome) {
      outcome.focus();
      // Going to the URL's #fragment may move focus back to the page after this: again then.
      window.addEventListener("load", function () {
        if (document.activeElement === document.body) outcome.focus();
      });
    }
    // Ask before destructive actions marked with data-confirm.
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  });
})();
