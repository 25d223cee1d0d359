// A button with data-print prints the page (in a file, not an inline handler: the
// Content-Security-Policy allows no inline script).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
