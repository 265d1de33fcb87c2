// Statistics form: show only the period fields of the chosen kind. Without script every
// field shows and the server picks the one that matches the kind.
(function () {
  const kind = document.getElementById("id_kind");
  if (!kind) return;
  const sync = () => {
    document.querySelectorAll("[data-kind]").forEach((el) => {
      el.hidden = el.dataset.kind !== kind.value;
    });
    const year = document.getElementById("id_year");
    if (year) year.closest(".field").hidden = kind.value === "custom";
  };
  kind.addEventListener("change", sync);
  sync();
})();
