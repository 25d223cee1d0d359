/* After a failed submit the page comes back with an error summary at the top: move focus
   to it, so that a keyboard or screen-reader user starts from the list of what to correct
   (its links lead to the fields) instead of the top of the page (issue 15 item 14). A
   separate file, loaded with `defer`: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  if (!summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
  summary.focus();
})();
