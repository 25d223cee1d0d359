/* Fast keyboard entry on the call desk. The form works without this file: every question
   is a group of radio buttons reached with Tab and chosen with the arrow keys, and the
   save button submits. With it:
   - a number key (1 to the item's scale, 0 for "no answer") answers the question in
     focus and moves on to the next one (after the last, to the voice of the customer);
   - Ctrl+Enter anywhere in the form, or Enter on the last flag, saves;
   - the page opens on the first question still to answer (the first wrong one after a
     failed save), and after an attempt recorded with htmx, on the link to the next call;
   - after a save it opens on the next call's card, which says what was saved, and a
     number key typed there answers the first question, so entry goes on at once.
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
      if (question && answer(question, event.key)) { event.preventDefault(); }
    });

    var start = form.querySelector("fieldset[data-question].field-error") ||
      questions.filter(function (q) { return !q.querySelector("input:checked"); })[0];
    var card = document.getElementById("call-card");
    if (card && document.getElementById("desk-saved")) {
      card.focus();
      card.addEventListener("keydown", function (event) {
        if (event.target !== card || event.altKey || event.ctrlKey || event.metaKey) { return; }
        if (start && answer(start, event.key)) { event.preventDefault(); }
      });
    } else if (start) {
      focusQuestion(start);
    }
  } else {
    var saved = document.getElementById("call-card") || document.getElementById("desk-saved");
    if (saved && document.getElementById("desk-saved")) { saved.focus(); }
  }

  /* Answer `question` with a number key and move on; false when the key is no answer. */
  function answer(question, key) {
    if (!/^[0-9]$/.test(key)) { return false; }
    var radio = question.querySelector('input[type="radio"][value="' + key + '"]');
    if (!radio) { return false; }
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    var next = questions[questions.indexOf(question) + 1];
    if (next) { focusQuestion(next); } else if (afterQuestions) { afterQuestions.focus(); }
    return true;
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
