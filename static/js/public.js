/* Small enhancements of the public report pages. Every page works without them:
   the department list is a plain <select>, the counter repeats the help text, and
   the print button only stands for the browser's own Print command. */
(function () {
  "use strict";

  // Department filter: narrows the <select> to the departments (or bureaus) whose name
  // contains the typed text. Options are rebuilt rather than hidden, which phones ignore.
  var filter = document.getElementById("department-filter");
  var select = filter && document.getElementById(filter.getAttribute("aria-controls"));
  if (filter && select) {
    var original = Array.prototype.map.call(select.children, function (node) {
      return node.cloneNode(true);
    });
    filter.parentElement.hidden = false;
    filter.addEventListener("input", function () {
      var text = filter.value.trim().toLowerCase();
      var chosen = select.value;
      while (select.firstChild) { select.removeChild(select.firstChild); }
      original.forEach(function (node) {
        if (node.tagName !== "OPTGROUP") { select.appendChild(node.cloneNode(true)); return; }
        var wholeGroup = node.label.toLowerCase().indexOf(text) !== -1;
        var group = node.cloneNode(false);
        Array.prototype.forEach.call(node.children, function (option) {
          if (wholeGroup || option.value === chosen || option.text.toLowerCase().indexOf(text) !== -1) {
            group.appendChild(option.cloneNode(true));
          }
        });
        if (group.children.length) { select.appendChild(group); }
      });
      select.value = chosen;
    });
  }

  // Character counter beside "what happened" (a line break counts as one, as on the server).
  var counter = document.querySelector("[data-counter-for]");
  var area = counter && document.getElementById(counter.getAttribute("data-counter-for"));
  if (counter && area) {
    var max = area.getAttribute("maxlength");
    var update = function () {
      counter.textContent = area.value.replace(/\r\n/g, "\n").length + " / " + max;
    };
    counter.hidden = false;
    area.addEventListener("input", update);
    update();
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
