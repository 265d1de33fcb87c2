// Behaviours declared in the markup with data- attributes, because the
// Content-Security-Policy forbids inline handlers (onchange=, onsubmit=) and inline scripts.
// Every page still works without them.

// <select data-autosubmit>: choosing an option sends its form (the language selector).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.submit();
});

// <select data-navigate="/path/{value}/">: choosing an option opens that address.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-navigate]");
  if (!select) return;
  window.location.href = select.dataset.navigate.replace(
    "{value}",
    encodeURIComponent(select.value),
  );
});

// <form data-confirm="Question?">: asks before sending (deleting a plan, an item, a member).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// <button data-print>: prints the page (the receipt and apology papers).
document.addEventListener("click", (event) => {
  if (event.target.closest("button[data-print]")) window.print();
});
