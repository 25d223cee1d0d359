/* Where focus goes when a staff page comes back from the server (issue 15 item 1): to the
   element marked data-autofocus (the error summary of a failed form, or the confirmation
   step of a decision), so that a keyboard or screen-reader user starts there instead of at
   the top of a long page. A link of the summary then lands in its field, opening any
   collapsed <details> around it. Every page works without this script: the summary is at
   the top of the page and its links are ordinary anchors. Loaded with defer, never inline,
   so it stays within the Content-Security-Policy. */
(function () {
  "use strict";
  if (window.kindnessFormFocus) { return; }
  window.kindnessFormFocus = true;

  var FOCUSABLE = "input:not([type=hidden]), select, textarea, button, [tabindex]";

  function openAround(element) {
    for (var node = element.closest("details"); node; node = node.parentElement.closest("details")) {
      node.open = true;
    }
  }

  function focusable(element) {
    if (element.matches(FOCUSABLE)) { return element; }
    return element.querySelector(FOCUSABLE) || element;
  }

  var start = document.querySelector("[data-autofocus]");
  if (start) {
    openAround(start);
    start.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".error-summary a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) { return; }
    event.preventDefault();
    openAround(target);
    var field = focusable(target);
    // The label (or the legend of a group) says what the field is: show it with the field.
    var label = field.id && document.querySelector("label[for='" + field.id + "']");
    (label || target).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
})();
