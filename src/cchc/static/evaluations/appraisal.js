// A reason is required whenever the appraised score differs from the unit's own (the server
// checks it too); mark the field so the browser says so before sending.
document.addEventListener("input", (event) => {
  const input = event.target.closest("input[data-reference]");
  if (!input) return;
  const reason = input.form.querySelector("textarea[name=reason]");
  const ref = input.dataset.reference;
  // "6,5" and "6.5" are the same score (the field takes the Vietnamese decimal comma).
  const value = Number(input.value.trim().replace(",", "."));
  const differs = input.value.trim() !== "" && (ref === "" || value !== Number(ref));
  reason.required = differs;
});
