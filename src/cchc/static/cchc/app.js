// Small progressive enhancements; every page works without them.

document.addEventListener("click", (event) => {
  const toggle = event.target.closest(".menu-toggle");
  if (!toggle) return;
  const menu = document.getElementById(toggle.getAttribute("aria-controls"));
  const open = menu.classList.toggle("open");
  toggle.setAttribute("aria-expanded", String(open));
});

// Escape folds the phone menu again and gives the focus back to its button.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const toggle = document.querySelector(".menu-toggle[aria-expanded='true']");
  if (!toggle) return;
  document.getElementById(toggle.getAttribute("aria-controls")).classList.remove("open");
  toggle.setAttribute("aria-expanded", "false");
  toggle.focus();
});
