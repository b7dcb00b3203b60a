// Amanah's own script (no inline scripts: the pages' Content-Security-Policy forbids them).
// A button with data-print prints the page (the roll sheets).
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-print]");
  if (target) {
    event.preventDefault();
    window.print();
  }
});
