// The "Print" button of a printable page (order slip, receipt): a file of its own
// because the Content Security Policy runs no inline script.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
