// A reason is required whenever the appraised score differs from the unit's own (the server
// checks it too); mark the field so the browser says so before sending.
document.addEventListener("input", (event) => {
  const input = event.target.closest("input[data-reference]");
  if (!input) return;
  const reason = input.form.querySelector("textarea[name=reason]");
  const ref = input.dataset.reference;
  const differs = input.value !== "" && (ref === "" || Number(input.value) !== Number(ref));
  reason.required = differs;
});
