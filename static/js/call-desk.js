/* Fast keyboard entry on the call desk. The form works without this file: every question
   is a group of radio buttons reached with Tab and chosen with the arrow keys, and the
   save button submits. With it:
   - a number key (1 to the item's scale, 0 for "no answer") answers the question in
     focus and moves on to the next one (after the last, to the voice of the customer);
   - Ctrl+Enter anywhere in the form, or Enter on the last flag, saves;
   - the page opens on the first question still to answer (the first wrong one after a
     failed save), and after an attempt recorded with htmx, on the link to the next call;
   - "L" sends a survey link instead of calling. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-call-desk]");

  function radios(question) {
    return question.querySelectorAll('input[type="radio"]');
  }

  function focusQuestion(question) {
    var radio = question.querySelector('input[type="radio"]:checked') || radios(question)[0];
    if (radio) { radio.focus(); }
  }

  if (form) {
    var questions = Array.prototype.slice.call(form.querySelectorAll("fieldset[data-question]"));
    var afterQuestions = form.querySelector("textarea, input:not([type=radio]):not([type=hidden])");
    var checkboxes = form.querySelectorAll('input[type="checkbox"]');
    var lastField = checkboxes[checkboxes.length - 1];

    form.addEventListener("keydown", function (event) {
      if (event.altKey || event.metaKey) { return; }
      if (event.key === "Enter" && event.ctrlKey) {
        event.preventDefault();
        form.requestSubmit();
        return;
      }
      if (event.ctrlKey || event.shiftKey) { return; }
      var target = event.target;
      if (event.key === "Enter" && target === lastField) {
        event.preventDefault();
        form.requestSubmit();
        return;
      }
      var question = target.type === "radio" && target.closest("fieldset[data-question]");
      if (!question || !/^[0-9]$/.test(event.key)) { return; }
      var radio = question.querySelector('input[type="radio"][value="' + event.key + '"]');
      if (!radio) { return; }
      event.preventDefault();
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
      var next = questions[questions.indexOf(question) + 1];
      if (next) { focusQuestion(next); } else if (afterQuestions) { afterQuestions.focus(); }
    });

    var start = form.querySelector("fieldset[data-question].field-error") ||
      questions.filter(function (q) { return !q.querySelector("input:checked"); })[0];
    if (start) { focusQuestion(start); }
  }

  // "L" (ㅣ on a Korean keyboard) sends a survey link instead of calling, from anywhere
  // but a field that takes text.
  var sendLink = document.getElementById("send-link");
  if (sendLink) {
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) { return; }
      if (["l", "L", "ㅣ"].indexOf(event.key) < 0) { return; }
      var target = event.target;
      var typing = target.isContentEditable || target.tagName === "TEXTAREA" ||
        target.tagName === "SELECT" ||
        (target.tagName === "INPUT" && ["radio", "checkbox", "button", "submit"].indexOf(target.type) < 0);
      if (typing) { return; }
      event.preventDefault();
      sendLink.click();
    });
  }

  document.body.addEventListener("htmx:afterSettle", function () {
    var next = document.getElementById("next-call");
    if (next) { next.focus(); }
  });
})();
