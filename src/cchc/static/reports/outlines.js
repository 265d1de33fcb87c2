// "Chèn" buttons on an outline report: append the figure's ready sentence to its section's
// narrative (a static file: the Content-Security-Policy allows no inline script).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-insert]");
  if (!button) return;
  var area = document.getElementById(button.dataset.insert);
  area.value = (area.value ? area.value.replace(/\s+$/, "") + "\n" : "") + button.dataset.text;
  area.focus();
});
