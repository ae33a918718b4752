// Progressive enhancement only: every form works without this file.
// Picking a SPARQL example loads it at once instead of needing the "Load" button.
document.addEventListener("DOMContentLoaded", () => {
  const example = document.getElementById("example");
  if (example) example.addEventListener("change", () => example.form.submit());
});
